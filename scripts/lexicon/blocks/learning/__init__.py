"""Machine learning: evaluating a classifier.

Classic machine learning on scikit-learn's bundled datasets (breast cancer, iris, wine, digits), never
a download: a standardised logistic regression is fitted on a stated, seeded, stratified training split
and judged on the test split it never saw. The confusion matrix and the metrics read from it
(accuracy, balanced accuracy, precision, recall, F1), how they move with the decision threshold, the ROC
and precision–recall curves with their areas, whether the model's probabilities are calibrated (the
reliability curve and the Brier score, beside Gaussian naive Bayes), and an exercise built on them. Every number is scikit-learn's own; no embedding model is used.
"""

ORDER = 8  # where the family stands in the authoring guide
