"""Machine learning: the training procedure.

What happens around the optimiser, on scikit-learn's bundled datasets, never a download: a hyperparameter (the k
of a nearest-neighbour classifier, the C of a logistic regression) swept over repeated train/validation splits,
the leak of a preprocessing step fitted on all the data before cross-validation against the same step fitted
inside each fold (on stated random noise columns drawn with a stated seed), and the noise of a mini-batch
gradient against its batch size (checked against the exact formula for sampling without replacement); and an
exercise built on them. No embedding model is used.
"""

ORDER = 16  # where the family stands in the authoring guide
