"""Machine learning: classic models.

Classic classifiers on scikit-learn's bundled datasets (breast cancer, iris, wine, digits), never a
download: logistic regression, k nearest neighbours, decision trees, Gaussian naive Bayes, support
vector machines, random forests, bagging and gradient boosting, compared by stratified k-fold
cross-validation repeated over several shuffles of the folds, each with a table of what that model
learned (coefficients, a tree's splits, feature importances, one sample's neighbours); and an exercise
that asks which model or setting cross-validates best. For the ensembles: what bagging's bootstrap samples leave
out and its out-of-bag estimate, held-out scores after each tree or boosting stage, a forest's impurity and
permutation importances, and an exercise on how many stages or trees. No embedding model is used.
"""

ORDER = 14  # where the family stands in the authoring guide
