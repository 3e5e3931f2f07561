"""Evaluating the model.

The configured model measured, at build time, on the standard test data that ships with gensim:
word-analogy accuracy on `questions-words.txt`, and agreement with people's similarity scores
on WordSim-353 and SimLex-999, each shown beside the published figures the author lists.
"""

ORDER = 7  # where the family stands in the authoring guide
