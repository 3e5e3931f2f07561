"""Search and retrieval.

Finding the stored vectors nearest to a query: exact search against an approximate index
(faiss's HNSW graph, an inverted file, product quantization) counted as recall, nearest-neighbour
search under a metadata filter (filtering first or last), ranking metrics (precision and recall at
k, the reciprocal rank) against stated relevant answers, two-stage retrieval (BM25, then a
transformer re-ranks), and the exercises built on them.
"""

ORDER = 5  # where the family stands in the authoring guide
