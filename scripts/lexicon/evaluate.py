"""Word-analogy and word-similarity benchmarks, with gensim's own settings and test data.

``analogies`` answers the same questions as gensim's
``KeyedVectors.evaluate_word_analogies`` (3CosAdd over the ``restrict_vocab`` most
frequent words, case-insensitive by default, questions with an unknown word skipped)
and returns the same counts per section. gensim answers one question at a time
(a matrix-vector product over 300,000 rows, then a partial sort); here a few hundred
questions share one matrix-matrix product over unit vectors and each row needs only an
argmax. Where floating-point rounding could change the answer (the best and the next
candidate closer than ``TIE_MARGIN``), the question is answered again exactly as gensim
does it, so the counts are equal, not just close.

``word_pairs`` wraps gensim's ``evaluate_word_pairs`` (Pearson, Spearman, share of
pairs out of the vocabulary) and adds each pair's cosine for a scatter plot.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from gensim import matutils, utils

ANALOGIES = "questions-words.txt"
PAIRS = {"wordsim353": "wordsim353.tsv", "simlex999": "simlex999.txt"}
TIE_MARGIN = 1e-5   # far above float32 rounding of a cosine (~1e-7), far below real gaps
SEMANTIC = ("capital-common-countries", "capital-world", "currency", "city-in-state", "family")


def datapath(name: str) -> str:
    from gensim.test.utils import datapath as gensim_datapath

    return gensim_datapath(name)


@dataclass
class Section:
    name: str
    correct: int = 0
    incorrect: int = 0
    examples: list = field(default_factory=list)  # a few (a, b, c, expected, predicted) misses

    @property
    def total(self) -> int:
        return self.correct + self.incorrect

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def read_questions(path: str, case_insensitive: bool = True):
    """(section name, [(a, b, c, expected)]) in file order, parsed as gensim parses them."""
    sections, current = [], None
    with utils.open(path, "rb") as fin:
        for line_no, raw in enumerate(fin):
            line = utils.to_unicode(raw)
            if line.startswith(": "):
                current = (line.lstrip(": ").strip(), [])
                sections.append(current)
                continue
            if current is None:
                raise ValueError(f"Missing section header before line #{line_no} in {path}")
            words = [w.upper() for w in line.split()] if case_insensitive else line.split()
            if len(words) == 4:
                current[1].append(tuple(words))
    return sections


def ok_vocabulary(kv, restrict_vocab: int, case_insensitive: bool) -> dict[str, int]:
    keys = kv.index_to_key[:restrict_vocab]
    if case_insensitive:
        return {k.upper(): kv.get_index(k) for k in reversed(keys)}
    return {k: kv.get_index(k) for k in reversed(keys)}


def analogies(kv, path: str | None = None, restrict_vocab: int = 300_000, case_insensitive: bool = True,
              batch: int = 256, tile: int = 8192, keep_misses: int = 3,
              sections: list[str] | None = None) -> dict:
    """Counts per section as gensim's evaluate_word_analogies gives them (dummy4unknown=False)."""
    path = path or datapath(ANALOGIES)
    ok = ok_vocabulary(kv, restrict_vocab, case_insensitive)
    n = min(restrict_vocab, len(kv.index_to_key))
    kv.fill_norms()
    vectors = kv.vectors[:n]
    norms = kv.norms[:n]
    unit = (vectors / norms[:, None]).astype(np.float32)
    started = time.perf_counter()
    parsed = read_questions(path, case_insensitive)
    if sections is not None:
        parsed = [s for s in parsed if s[0] in sections]
    result, oov, asked, exact = [], 0, 0, 0
    for name, questions in parsed:
        sec = Section(name)
        result.append(sec)
        known = []
        for q in questions:
            asked += 1
            if all(w in ok for w in q):
                known.append(q)
            else:
                oov += 1
        for start in range(0, len(known), batch):
            chunk = known[start:start + batch]
            idx = np.array([[ok[a], ok[b], ok[c]] for a, b, c, _ in chunk])
            # gensim's query: the mean of the unit vectors (b + c − a), normalised.
            mean = unit[idx[:, 1]] + unit[idx[:, 2]] - unit[idx[:, 0]]
            mean /= np.linalg.norm(mean, axis=1, keepdims=True)
            mean = mean.astype(np.float32)
            top, top_score, second = _top2(unit, mean, idx, tile)
            for i, q in enumerate(chunk):
                key = kv.index_to_key[top[i]]
                predicted = key.upper() if case_insensitive else key
                if predicted in ok and predicted not in q[:3]:
                    safe = top_score[i] - second[i] > TIE_MARGIN
                else:
                    # The best is a question word in another case: walk gensim's top 5 on the full row.
                    row = unit @ mean[i]
                    row[idx[i]] = -np.inf
                    predicted, safe = _predict(row, q, ok, kv, case_insensitive)
                if not safe:
                    exact += 1
                    predicted = _predict_exactly(kv, vectors, norms, q, ok, case_insensitive)
                if predicted == q[3]:
                    sec.correct += 1
                else:
                    sec.incorrect += 1
                    if len(sec.examples) < keep_misses:
                        sec.examples.append([*q, predicted])
    seconds = time.perf_counter() - started
    return {"sections": result, "oov": oov, "questions": asked, "exact_rechecks": exact,
            "seconds": seconds, "restrict_vocab": restrict_vocab, "case_insensitive": case_insensitive}


def _top2(unit: np.ndarray, mean: np.ndarray, idx: np.ndarray, tile: int):
    """Best word, its score and the runner-up's score for every query row, over the vocabulary in
    tiles (each tile's scores stay in the CPU cache instead of a (questions × words) matrix)."""
    rows = np.arange(len(mean))
    best = np.full(len(mean), -1, dtype=np.int64)
    best_s = np.full(len(mean), -np.inf, dtype=np.float32)
    second = np.full(len(mean), -np.inf, dtype=np.float32)
    for lo in range(0, len(unit), tile):
        hi = min(lo + tile, len(unit))
        sims = mean @ unit[lo:hi].T
        for j in range(3):  # gensim drops the question's words
            inside = (idx[:, j] >= lo) & (idx[:, j] < hi)
            sims[rows[inside], idx[inside, j] - lo] = -np.inf
        a = sims.argmax(axis=1)
        s1 = sims[rows, a]
        sims[rows, a] = -np.inf
        s2 = sims.max(axis=1)
        better = s1 > best_s
        # New runner-up: the larger of (old best, tile's second) where the tile wins, else of
        # (old second, tile's best).
        second = np.where(better, np.maximum(best_s, s2), np.maximum(second, s1))
        best = np.where(better, a + lo, best)
        best_s = np.where(better, s1, best_s)
    return best, best_s, second


def _predict(row: np.ndarray, q, ok, kv, case_insensitive):
    """gensim's pick from the top 5 (first candidate known and not a question word), and
    whether rounding could have changed it."""
    ignore = set(q[:3])
    taken = []
    predicted = None
    for _ in range(5):
        best = int(np.argmax(row))
        taken.append((best, float(row[best])))
        key = kv.index_to_key[best]
        predicted = key.upper() if case_insensitive else key
        row[best] = -np.inf
        if predicted in ok and predicted not in ignore:
            break
    runner_up = float(row.max())
    for best, score in taken:  # put the row back as it was (it is reused by no one, but be tidy)
        row[best] = score
    scores = [s for _, s in taken] + [runner_up]
    safe = all(a - b > TIE_MARGIN for a, b in zip(scores, scores[1:]))
    return predicted, safe


def _predict_exactly(kv, vectors, norms, q, ok, case_insensitive):
    """One question exactly as gensim answers it (its mean, its dot product, its argsort)."""
    a, b, c, _ = q
    mean = np.zeros(kv.vector_size, kv.vectors.dtype)
    for key, w in ((b, 1.0), (c, 1.0), (a, -1.0)):
        i = ok[key]
        mean += np.float64(w) * (kv.vectors[i] / kv.norms[i])
    mean = mean / np.float64(3.0)
    mean = matutils.unitvec(mean).astype(np.float32)
    dists = np.dot(vectors, mean) / norms
    inputs = {ok[a], ok[b], ok[c]}
    best = matutils.argsort(dists, topn=5 + len(inputs), reverse=True)
    sims = [kv.index_to_key[s] for s in best if s not in inputs][:5]
    ignore = {a, b, c}
    predicted = None
    for key in sims:
        predicted = key.upper() if case_insensitive else key
        if predicted in ok and predicted not in ignore:
            break
    return predicted


def summary(result: dict) -> dict:
    """Totals: all sections, semantic (the first five of questions-words) and syntactic."""
    secs = result["sections"]

    def tot(group):
        c = sum(s.correct for s in group)
        t = sum(s.total for s in group)
        return {"correct": c, "total": t, "accuracy": c / t if t else 0.0}
    return {"total": tot(secs), "semantic": tot([s for s in secs if s.name in SEMANTIC]),
            "syntactic": tot([s for s in secs if s.name not in SEMANTIC]),
            "oov_share": result["oov"] / result["questions"] if result["questions"] else 0.0}


def gensim_analogies(kv, path: str | None = None, restrict_vocab: int = 300_000, case_insensitive: bool = True):
    """gensim's own evaluator, for comparison: {section: (correct, incorrect)}."""
    _, sections = kv.evaluate_word_analogies(path or datapath(ANALOGIES), restrict_vocab=restrict_vocab,
                                             case_insensitive=case_insensitive)
    return {s["section"]: (len(s["correct"]), len(s["incorrect"])) for s in sections
            if s["section"] != "Total accuracy"}


def word_pairs(kv, name: str, restrict_vocab: int = 300_000, case_insensitive: bool = True,
               path: str | None = None) -> dict:
    """gensim's evaluate_word_pairs on a gensim test file (``PAIRS[name]``, or ``path``), plus every pair's cosine."""
    path = path or datapath(PAIRS[name])
    delimiter = "\t"
    pearson, spearman, oov_ratio = kv.evaluate_word_pairs(path, delimiter=delimiter, restrict_vocab=restrict_vocab,
                                                          case_insensitive=case_insensitive)
    ok = ok_vocabulary(kv, restrict_vocab, case_insensitive)
    kv.fill_norms()
    pairs, skipped = [], 0
    with utils.open(path, encoding="utf8") as fin:
        for line in fin:
            if not line or line.startswith("#"):
                continue
            try:
                a, b, sim = line.split(delimiter)
                sim = float(sim)
            except (ValueError, TypeError):
                continue
            ka, kb = (a.upper(), b.upper()) if case_insensitive else (a, b)
            if ka not in ok or kb not in ok:
                skipped += 1
                continue
            ia, ib = ok[ka], ok[kb]
            cos = float(np.dot(kv.vectors[ia] / kv.norms[ia], kv.vectors[ib] / kv.norms[ib]))
            pairs.append([a, b.strip() if isinstance(b, str) else b, sim, round(cos, 6)])
    return {"name": name, "file": PAIRS[name], "pearson": float(pearson[0]), "pearson_p": float(pearson[1]),
            "spearman": float(spearman.statistic if hasattr(spearman, "statistic") else spearman[0]),
            "spearman_p": float(spearman.pvalue if hasattr(spearman, "pvalue") else spearman[1]),
            "oov_ratio": float(oov_ratio) / 100, "pairs": pairs, "skipped": skipped}
