"""Machine learning: fitting a model.

How a model is fitted, on scikit-learn's bundled datasets (diabetes, breast cancer, …), never a
download: batch gradient descent written out in numpy on a linear regression and checked against
the closed-form least-squares fit, training against validation scores as a model grows more
complex, ridge (L2) and lasso (L1) coefficients as the penalty grows, and k-fold cross-validation
against a single train/test split; and an exercise built on them. No embedding model is used.
"""

ORDER = 9  # where the family stands in the authoring guide
