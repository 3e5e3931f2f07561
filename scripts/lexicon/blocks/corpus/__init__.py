"""Classic NLP on a real corpus.

The methods that came before embeddings, computed on gensim's Lee corpus (300 short news stories,
and 50 more held out): a story as a bag of words, stop words, Porter stemming and Okapi BM25
ranking, with gensim and scikit-learn and the exercises built on them. No embedding model is used.
"""

ORDER = 11  # where the family stands in the authoring guide
