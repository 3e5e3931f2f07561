"""The computations behind every block: plain functions of a gensim KeyedVectors.

Each returns plain data (lists, floats, strings) so results can be cached as
JSON and rendered without the model. Scores are cosine similarities, exactly
as gensim computes them.
"""

from __future__ import annotations

import logging
import time

import numpy as np

log = logging.getLogger("mkdocs.plugins.lexicon")

SCORE_DIGITS = 4
COORD_DIGITS = 3


def _r(x, digits=SCORE_DIGITS):
    return np.round(np.asarray(x, dtype=float), digits).tolist()


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def analogy(kv, positive: list[str], negative: list[str], topn: int) -> dict:
    """gensim's ``most_similar(positive, negative)`` (3CosAdd), plus a 2-D picture of it.

    The picture is a PCA of the query words, the answer and the target point
    ``sum(positive) - sum(negative)`` of unit vectors (the point gensim ranks
    candidates against), so the reader sees the offsets the arithmetic relies on.
    """
    answers = kv.most_similar(positive=positive, negative=negative, topn=topn)
    top = answers[0][0]
    words = list(dict.fromkeys(positive + negative + [top]))
    vecs = _unit(np.stack([kv[w] for w in words]))
    target = _unit(sum(_unit(kv[w]) for w in positive) - sum(_unit(kv[w]) for w in negative))
    coords = _pca2(np.vstack([vecs, target[None, :]]))
    return {
        "answers": [[w, round(float(s), SCORE_DIGITS)] for w, s in answers],
        "points": {w: _r(c, COORD_DIGITS) for w, c in zip(words, coords[:-1])},
        "target": _r(coords[-1], COORD_DIGITS),
        "explained": _r(_pca2_explained(np.vstack([vecs, target[None, :]])), 3),
    }


def _pca2(m: np.ndarray) -> np.ndarray:
    from sklearn.decomposition import PCA

    return PCA(n_components=2, svd_solver="full").fit_transform(m)


def _pca2_explained(m: np.ndarray) -> list[float]:
    from sklearn.decomposition import PCA

    return PCA(n_components=2, svd_solver="full").fit(m).explained_variance_ratio_.tolist()


def similarities(kv, pairs: list[list[str]]) -> list[float]:
    """Cosine similarity of each pair, as gensim's ``similarity``."""
    return [round(float(kv.similarity(a, b)), SCORE_DIGITS) for a, b in pairs]


def neighbours(kv, word: str, topn: int) -> list[list]:
    """The ``topn`` nearest words to ``word`` by cosine similarity (``most_similar``)."""
    return [[w, round(float(s), SCORE_DIGITS)] for w, s in kv.most_similar(word, topn=topn)]


def cosine_matrix(kv, words: list[str]) -> list[list[float]]:
    u = _unit(np.stack([kv[w] for w in words]))
    return _r(u @ u.T)


def onehot_vs_dense(kv, words: list[str]) -> dict:
    """One-hot rows, the real dense vectors, and both cosine-similarity matrices."""
    n = len(words)
    return {
        "onehot": np.eye(n, dtype=int).tolist(),
        "vectors": _r(np.stack([kv[w] for w in words]), 3),
        "onehot_cosine": np.eye(n).tolist(),
        "dense_cosine": cosine_matrix(kv, words),
        "dims": int(kv.vector_size),
    }


def projections(kv, words: list[str], labels: list[str], methods: list[str], seed: int) -> dict:
    """2-D maps of the words by each method, with how well each keeps groups together.

    "Agreement" is the share of words whose nearest neighbour (in the map, or
    by cosine in the full space) carries the same group label: a number the
    reader can compare across methods.
    """
    x = _unit(np.stack([kv[w] for w in words]))
    out = {"full_agreement": _agreement(x @ x.T, labels, higher_is_closer=True), "maps": {}}
    for method in methods:
        started = time.perf_counter()
        coords = _project(x, method, seed)
        d = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=-1)
        out["maps"][method] = {
            "coords": _r(coords, COORD_DIGITS),
            "agreement": _agreement(d, labels, higher_is_closer=False),
        }
        log.info("lexicon: %s map of %d words in %.1f s", method, len(words), time.perf_counter() - started)
    return out


def _project(x: np.ndarray, method: str, seed: int) -> np.ndarray:
    if method == "pca":
        coords = _pca2(x)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = float(min(30, max(5, (len(x) - 1) // 4)))
        coords = TSNE(n_components=2, perplexity=perplexity, init="pca", metric="cosine",
                      random_state=seed, max_iter=1000).fit_transform(x)
    elif method == "umap":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # umap warns that a seed disables parallelism
            import umap

            coords = umap.UMAP(n_components=2, n_neighbors=15, min_dist=0.1, metric="cosine",
                               random_state=seed, n_jobs=1).fit_transform(x)
    else:  # guarded by the block schema
        raise ValueError(method)
    # Centre and scale to unit spread so the three maps share a sense of size.
    coords = coords - coords.mean(axis=0)
    return coords / (np.abs(coords).max() or 1)


def _agreement(scores: np.ndarray, labels: list[str], *, higher_is_closer: bool) -> float:
    s = np.array(scores, dtype=float)
    np.fill_diagonal(s, -np.inf if higher_is_closer else np.inf)
    nearest = s.argmax(axis=1) if higher_is_closer else s.argmin(axis=1)
    same = [labels[i] == labels[j] for i, j in enumerate(nearest)]
    return round(float(np.mean(same)), 3)


def odd_one_out(kv, words: list[str]) -> dict:
    """Each word's mean cosine similarity to the others; the odd one out has the lowest."""
    m = np.array(cosine_matrix(kv, words))
    n = len(words)
    means = (m.sum(axis=1) - np.diag(m)) / (n - 1)
    return {"means": _r(means), "matrix": _r(m), "answer": words[int(np.argmin(means))]}
