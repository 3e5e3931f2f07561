"""Generation and language models.

A language model gives a probability to every token that could come next. The family's model is an
n-gram model counted at build time from gensim's Lee corpus (300 news stories for training, 50 held
out): the next-token distribution, perplexity on held-out text, greedy decoding and beam search,
sampling with temperature, top-k and top-p, and the exercises built on them. Two kinds look at the
memory side of large models with the site's real models: int8 quantization of the GloVe vectors and
low-rank approximation of a MiniLM weight matrix, the numbers LoRA trains on MiniLM's real shapes, and a
real LoRA update learned in numpy on scikit-learn's bundled digits.
"""

ORDER = 12  # where the family stands in the authoring guide
