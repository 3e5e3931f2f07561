"""Search and retrieval.

Finding the stored vectors nearest to a query: exact search against an approximate index
(faiss's HNSW graph) counted as recall, nearest-neighbour search under a metadata filter (filtering
first or last), and the exercises built on them.
"""

ORDER = 5  # where the family stands in the authoring guide
