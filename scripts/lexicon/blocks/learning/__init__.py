"""Machine learning: evaluating a classifier.

Classic machine learning on scikit-learn's bundled datasets (breast cancer, iris, wine, digits), never
a download: a standardised logistic regression is fitted on a stated, seeded, stratified training split
and judged on the test split it never saw. The confusion matrix and the metrics read from it
(accuracy, precision, recall, F1), how they move with the decision threshold, the ROC curve and its
AUC, and an exercise built on them. Every number is scikit-learn's own; no embedding model is used.
"""

ORDER = 8  # where the family stands in the authoring guide
