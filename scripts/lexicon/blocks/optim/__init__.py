"""Machine learning: optimisers.

How the weights of a model are moved, written out in numpy where the arithmetic is the point and
checked against scikit-learn: stochastic and mini-batch gradient descent on a regularised logistic
regression of the breast cancer data (against ``LogisticRegression``'s optimum and ``SGDClassifier``),
and plain gradient descent, momentum and Adam on the unscaled diabetes regression, whose features
differ in scale by orders of magnitude (against ``LinearRegression``'s least-squares optimum); and an
exercise built on them. No embedding model is used.
"""

ORDER = 15  # where the family stands in the authoring guide
