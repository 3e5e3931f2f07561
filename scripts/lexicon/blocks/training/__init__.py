"""Machine learning: fitting a model.

How a model is fitted, on scikit-learn's bundled datasets (diabetes, breast cancer, …), never a
download: batch gradient descent written out in numpy on a linear regression and checked against
the closed-form least-squares fit, training against validation scores as a model grows more
complex, ridge (L2) and lasso (L1) coefficients as the penalty grows, k-fold cross-validation
against a single train/test split, a linear regression judged by R² and mean absolute error, batch,
mini-batch and stochastic gradient descent epoch by epoch, bias and variance estimated from bootstrap
resamples, and features scaled or not for a nearest-neighbour classifier; the mean squared error against
the mean absolute error and how much of each the largest misses make up, the exact lasso path and the order
in which features drop out, ridge against least squares on correlated features, the labels of the bundled
datasets and what flipping some of them costs; and exercises built on them. No embedding model is used.
"""

ORDER = 9  # where the family stands in the authoring guide
