"""Machine learning: neural networks.

The arithmetic of a neural network, on scikit-learn's bundled datasets (iris, wine, digits, breast
cancer), never a download: a model's logits turned into probabilities by softmax (checked against
``predict_proba``), the cross-entropy of real predictions (checked against ``log_loss``), activation
functions and what they do in an ``MLPClassifier``, the perceptron's update rule (checked against
scikit-learn's ``Perceptron``), backpropagation in numpy checked against a numerical gradient, and the
gradient's size layer by layer in a deep network; and an exercise built on them. No embedding model.
"""

ORDER = 10  # where the family stands in the authoring guide
