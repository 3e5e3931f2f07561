"""Text, tokens and corpora.

How text reaches a model: tokenizers and the vocabulary with its frequency ranks, fastText's
character n-grams and a tiny fastText model that gives vectors to unseen words, and the
distributional hypothesis counted in a real news corpus (gensim's Lee corpus), with the
exercises built on them.
"""

ORDER = 3  # where the family stands in the authoring guide
