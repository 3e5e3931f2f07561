"""The ``sentence-similarity`` kind: mean word vectors of sentences, compared by cosine."""

from __future__ import annotations

import math
import re

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._sentence_vectors import DROP_STOPWORDS_DOC, METHOD_NOTE, cosines, mean_vectors, sentence_words
from ._tokens import token_letters

DIGITS = 4
CLAIM = re.compile(r"^\s*(\d+)\s*(?:~\s*(\d+)\s*([<>])\s*(?:(\d+)\s*~\s*(\d+)|(-?\d*\.\d+))"
                   r"|(->)\s*(\d+)|(=)\s*(\d+))\s*$")


def parse_claim(text: str, n: int):
    """``1~2 > 1~3`` or ``1~4 > 0.5`` (cosine), ``1 -> 2`` (nearest), ``1 = 2`` (identical vectors)."""
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix="write '1~2 > 1~3' (sentences 1 and 2 are more similar than 1 and 3), "
                               "'1~4 > 0.5' (a cosine above 0.5), '1 -> 2' (sentence 2 is the nearest to "
                               "sentence 1) or '1 = 2' (identical vectors)")
    nums = [int(g) for g in m.groups() if g and g.isdigit()]
    for k in nums:
        if not 1 <= k <= n:
            raise LexiconError(f"the claim '{text}' names sentence {k}; there are {n}",
                               fix=f"number the sentences from 1 to {n}, in the order listed")
    if m.group(3):
        return "compare", nums + ([float(m.group(6))] if m.group(6) else []), m.group(3)
    if nums[0] == nums[1]:
        raise LexiconError(f"the claim '{text}' compares sentence {nums[0]} with itself",
                           fix="name two different sentences")
    return ("nearest" if m.group(7) else "identical"), nums, None


def _sentence(spec, k: str) -> int:
    """0-based index of sentence ``k`` (a value's argument, counted from 1)."""
    if not str(k).isdigit() or not 1 <= int(k) <= len(spec.sentences):
        raise LexiconError(f"'{k}' names no sentence", fix=f"number the sentences from 1 to {len(spec.sentences)}")
    return int(k) - 1


class SentenceSimilarity(Kind):
    """Sentence vectors as the mean of their word vectors, and the cosine similarity of every pair of
    sentences as a matrix.

    Each sentence's vector is the mean of its words' GloVe vectors (tokens from gensim's
    `simple_preprocess`; every token must be in the vocabulary, so a typo fails the build), and
    the block shows the cosine of every pair as a matrix. Sentences with the same tokens in a
    different order get exactly the same vector, and the block says so.
    """

    example = "sentences: [dog bites man, man bites dog, the cat sat on the mat]\nexpect: ['1 = 2']"
    options = opt.Options(
        Kind.options,
        sentences=opt.raw("The sentences, numbered 1, 2, … in claims; split with gensim's `simple_preprocess`.",
                          {**opt.word_list(2, 8), "uniqueItems": True}, "list of 2–8 texts", required=True,
                          convert=list),
        drop_stopwords=opt.flag(DROP_STOPWORDS_DOC, default=False),
        expect=opt.claims("`1~2 > 1~3` (sentences 1 and 2 are more similar than 1 and 3), `1~4 > 0.5` (a cosine "
                          "above 0.5), `1 -> 3` (3 is the nearest to 1), `1 = 2` (identical vectors)."),
        caption=opt.caption("“Cosine similarity between the sentence vectors (1 on the diagonal).”"),
        figure=opt.show_figure(),
    )

    def prepare(self, spec):
        spec.tokens = [sentence_words(s, spec.drop_stopwords, f"sentence {k + 1}")
                       for k, s in enumerate(spec.sentences)]
        for text in spec.expect:
            parse_claim(text, len(spec.tokens))

    def words(self, spec):
        return [t for toks in spec.tokens for t in toks]

    def anchor_hint(self, spec):
        return "sentences " + " ".join(spec.tokens[0][:3])

    def compute(self, kv, spec):
        m = mean_vectors(kv, spec.tokens)
        c = cosines(m)
        n = len(m)
        np.fill_diagonal(c, 1.0)
        nearest = [max((j for j in range(n) if j != i), key=lambda j: (c[i, j], -j)) for i in range(n)]
        return {
            "cosine": np.round(c, DIGITS).tolist(),
            "nearest": nearest,
            # Exactly equal vectors (the same multiset of tokens), and the largest coordinate gap otherwise.
            "max_diff": [[float(np.abs(m[i] - m[j]).max()) for j in range(n)] for i in range(n)],
            "dims": int(m.shape[1]),
        }

    def claims(self, spec, result, check):
        c = result["cosine"]
        for text in spec.expect:
            kind, nums, op = parse_claim(text, len(spec.tokens))
            a, b = nums[0] - 1, nums[1] - 1
            if kind == "compare":
                left = c[a][b]
                if len(nums) == 3:  # a constant on the right
                    right, name, shown = nums[2], f"{nums[2]:g}", ""
                else:
                    x, y = nums[2] - 1, nums[3] - 1
                    right, name = c[x][y], f"similarity(S{x + 1}, S{y + 1})"
                    shown = f", {name} = {right:.4f}"
                check(f"similarity(S{a + 1}, S{b + 1}) {op} {name}", left > right if op == ">" else left < right,
                      f"similarity(S{a + 1}, S{b + 1}) = {left:.4f}{shown}")
            elif kind == "nearest":
                got = result["nearest"][a]
                check(f"the sentence nearest to S{a + 1} is S{b + 1}", got == b,
                      f"the nearest is S{got + 1} ({c[a][got]:.4f}); S{b + 1} scores {c[a][b]:.4f}",
                      decided_by=[c[a][k] for k in range(len(c)) if k != a])
            else:
                diff = result["max_diff"][a][b]
                check(f"S{a + 1} and S{b + 1} have identical sentence vectors", diff == 0.0,
                      f"the largest difference between their coordinates is {diff:.3g}; cosine {c[a][b]:.4f}")

    @value("The cosine of sentences `a` and `b` (numbered from 1), as the table shows it.")
    def cosine(self, spec, result, a, b):
        v = result["cosine"][_sentence(spec, a)][_sentence(spec, b)]
        return Value(fmt(v), v)

    @value("How many tokens of sentence `k` (numbered from 1) are averaged.")
    def tokens(self, spec, result, k):
        n = len(spec.tokens[_sentence(spec, k)])
        return Value(str(n), n)

    @value("The shortest token gensim's `simple_preprocess` keeps, in letters (its `min_len`).")
    def min_letters(self, spec, result):
        n = token_letters()[0]
        return Value(str(n), n)

    @value("The longest token gensim's `simple_preprocess` keeps, in letters (its `max_len`).")
    def max_letters(self, spec, result):
        n = token_letters()[1]
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        n, c = len(spec.sentences), result["cosine"]
        labels = [f"S{k + 1}" for k in range(n)]
        sent_rows = [[labels[k], s, " ".join(spec.tokens[k])] for k, s in enumerate(spec.sentences)]
        identical = [(i, j) for i in range(n) for j in range(i + 1, n) if result["max_diff"][i][j] == 0.0]
        pairs = sorted(((c[i][j], i, j) for i in range(n) for j in range(i + 1, n)), key=lambda t: (-t[0], t[1], t[2]))
        alt = (f"Heatmap of the cosine similarity between the vectors of {n} sentences, S1 to S{n}. "
               f"Most similar pair: {labels[pairs[0][1]]}–{labels[pairs[0][2]]} ({pairs[0][0]:.2f}); least similar: "
               f"{labels[pairs[-1][1]]}–{labels[pairs[-1][2]]} ({pairs[-1][0]:.2f}).")
        stop = "; stop words removed" if spec.drop_stopwords else ""
        parts = [
            Table(["", "Sentence", "Tokens averaged"], sent_rows),
            Html(f'<p class="ll-caption">{METHOD_NOTE.format(stop)}</p>'),
            Figure(lambda: heatmap(labels, spec.sentences, c), alt=alt, caption=spec.caption,
                   default_caption="Cosine similarity between the sentence vectors (1 on the diagonal).",
                   table=Table(["Cosine"] + labels, [[labels[i]] + [fmt(v) for v in c[i]] for i in range(n)],
                               numeric=tuple(range(1, n + 1))),
                   height=max(300, 140 + 40 * n)),
        ]
        parts += [Html(f"<p><strong>{labels[i]}</strong> and <strong>{labels[j]}</strong> get exactly the same "
                       f"{result['dims']} numbers: they hold the same tokens, and an average does not know their "
                       "order.</p>") for i, j in identical]
        parts.append(Code(numpy_code(spec), "The code behind these numbers"))
        return parts


def heatmap(labels, sentences, c) -> go.Figure:
    # Plotly reads a few HTML tags in hover text: the author's sentences go in escaped.
    hover = [[f"{esc(sentences[i])}<br>{esc(sentences[j])}" for j in range(len(labels))]
             for i in range(len(labels))]
    fig = go.Figure(go.Heatmap(
        # The colours span the scores shown (down to the next 0.05), so that close scores
        # such as 0.93 and 0.99 still look different; the colour bar says where it starts.
        z=c, x=labels, y=labels, zmin=math.floor(min(min(r) for r in c) * 20) / 20, zmax=1, colorscale="Blues",
        texttemplate="%{z:.2f}", customdata=hover, colorbar=dict(title=dict(text="cosine"), thickness=12),
        hovertemplate="%{y} · %{x}: %{z:.4f}<br>%{customdata}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, xaxis=dict(automargin=True, side="top"),
                      yaxis=dict(autorange="reversed", automargin=True))
    return fig


def numpy_code(spec) -> str:
    drop = spec.drop_stopwords
    return ("import numpy as np\nfrom gensim.utils import simple_preprocess\n"
            + ("from gensim.parsing.preprocessing import STOPWORDS\n" if drop else "") + "\n"
            f"sentences = {spec.sentences!r}\n"
            "def sentence_vector(text):\n"
            "    tokens = simple_preprocess(text)\n"
            + ("    tokens = [t for t in tokens if t not in STOPWORDS]\n" if drop else "")
            + "    return np.mean([kv[t] for t in tokens], axis=0)\n\n"
            "M = np.stack([sentence_vector(s) for s in sentences])\n"
            "U = M / np.linalg.norm(M, axis=1, keepdims=True)\n"
            "print(U @ U.T)  # cosine similarity of every pair\n")
