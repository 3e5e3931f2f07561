"""Maps of the vector space

Words squeezed from the model's dimensions to two: PCA, t-SNE and UMAP maps, how much of the
variance PCA's components keep, how well a map keeps each word's neighbours and groups, and
the exercises that ask whether a map can be trusted.
"""

ORDER = 4  # where the family stands in the authoring guide
