"""2-D layouts of unit vectors by PCA, t-SNE or UMAP, with the exact library calls they make."""

from __future__ import annotations

import warnings

import numpy as np

from ...errors import LexiconError

SETTING = {"tsne": "perplexity", "umap": "n_neighbors"}
METHOD_NAME = {"tsne": "t-SNE", "umap": "UMAP", "pca": "PCA"}


def check_setting(method: str, setting, n_words: int) -> None:
    """A clear error for settings the libraries reject (or quietly change) for this many words."""
    if method == "tsne" and not setting < n_words:
        raise LexiconError(f"perplexity {setting} must be less than the number of words ({n_words})",
                           fix=f"lower the perplexity below {n_words} (roughly: how many neighbours each "
                               f"word should keep), or add words")
    if method == "umap" and not setting < n_words:
        raise LexiconError(f"n_neighbors {setting} must be less than the number of words ({n_words})",
                           fix=f"lower n_neighbors below {n_words}, or add words")


def layout(x: np.ndarray, method: str, setting, seed: int, min_dist: float = 0.1) -> np.ndarray:
    """2-D coordinates of the rows of ``x``, centred and scaled so the largest |coordinate| is 1."""
    if method == "pca":
        from sklearn.decomposition import PCA

        coords = PCA(n_components=2, svd_solver="full").fit_transform(x)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        coords = TSNE(n_components=2, perplexity=float(setting), init="pca", metric="cosine",
                      random_state=seed, max_iter=1000).fit_transform(x)
    elif method == "umap":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # umap warns that a seed turns off parallelism: we want that
            import umap

            # init="pca", not umap-learn's default spectral layout: when the neighbour graph falls
            # into pieces (tiny n_neighbors), the spectral layout of the pieces varies in its last
            # bits from run to run, and the optimisation turns that into a different map.
            coords = umap.UMAP(n_components=2, n_neighbors=int(setting), min_dist=min_dist, metric="cosine",
                               init="pca", random_state=seed, n_jobs=1).fit_transform(x)
    else:  # guarded by the options
        raise ValueError(method)
    coords = coords - coords.mean(axis=0)
    return coords / (np.abs(coords).max() or 1)


def layout_call(method: str, setting, seed: int, min_dist: float = 0.1) -> str:
    """The exact library call of :func:`layout` (``setting`` may be a variable's name)."""
    if method == "tsne":
        value = setting if isinstance(setting, str) else float(setting)
        return (f"from sklearn.manifold import TSNE\n"
                f"coords = TSNE(n_components=2, perplexity={value}, init='pca', metric='cosine',\n"
                f"              random_state={seed}, max_iter=1000).fit_transform(x)")
    if method == "umap":
        value = setting if isinstance(setting, str) else int(setting)
        return (f"import umap\n"
                f"coords = umap.UMAP(n_components=2, n_neighbors={value}, min_dist={min_dist}, metric='cosine',\n"
                f"                   init='pca', random_state={seed}, n_jobs=1).fit_transform(x)")
    return ("from sklearn.decomposition import PCA\n"
            "coords = PCA(n_components=2, svd_solver='full').fit_transform(x)")


def vectors_call(words: list[str]) -> str:
    shown = words if len(words) <= 6 else words[:5] + ["..."]
    return ("import numpy as np\n"
            f"words = {shown!r}\n".replace("'...'", "...") +
            "x = np.stack([kv[w] for w in words]).astype(np.float64)\n"
            "x /= np.linalg.norm(x, axis=1, keepdims=True)  # length 1: maps follow cosine similarity\n")
