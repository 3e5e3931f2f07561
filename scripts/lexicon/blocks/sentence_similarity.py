"""``sentence-similarity``: sentence vectors as the mean of their word vectors, compared by cosine.

A sentence is split with gensim's ``simple_preprocess`` and its vector is the
mean of the model's vectors of its tokens (every token must be in the
vocabulary, so a typo fails the build). Averaging throws word order away: the
block can show that, and claims can check it.
"""

from __future__ import annotations

import math
import re

import numpy as np
import plotly.graph_objects as go

from .. import figures
from ..cache import code_version
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure_or_table, fmt, model_note, table
from .attention import tokens_of
from .base import CAPTION, Block, obj, register, str_list

DIGITS = 4
CLAIM = re.compile(r"^\s*(\d+)\s*(?:~\s*(\d+)\s*([<>])\s*(?:(\d+)\s*~\s*(\d+)|(-?\d*\.\d+))"
                   r"|(->)\s*(\d+)|(=)\s*(\d+))\s*$")
METHOD_NOTE = ("Each sentence’s vector is the mean of the GloVe vectors of its tokens (gensim’s "
               "<code>simple_preprocess</code>: lower-cased; one-letter words, digits and punctuation dropped{}).")


def sentence_words(text: str, drop_stopwords: bool, what: str = "sentence") -> list[str]:
    """The tokens that are averaged, or an error if none are left."""
    from gensim.parsing.preprocessing import STOPWORDS

    toks = tokens_of(text)
    if drop_stopwords:
        toks = [t for t in toks if t not in STOPWORDS]
    if not toks:
        raise LexiconError(f"the {what} '{text}' has no tokens left to average",
                           fix="write words of 2 or more letters" + (" that are not stop words" if drop_stopwords
                                                                      else ""))
    return toks


def mean_vectors(kv, token_lists: list[list[str]]) -> np.ndarray:
    """One row per sentence: the mean of its tokens' vectors, in float64.

    Sums use ``math.fsum`` (exact, then rounded once), so the same tokens in any order give
    exactly the same vector, as the mathematics says, rather than nearly the same.
    """
    rows = []
    for toks in token_lists:
        x = np.stack([kv[t] for t in toks]).astype(np.float64)
        rows.append([math.fsum(col) / len(toks) for col in x.T])
    return np.array(rows, dtype=np.float64)


def cosines(m: np.ndarray, v: np.ndarray | None = None) -> np.ndarray:
    u = m / np.linalg.norm(m, axis=1, keepdims=True)
    return u @ u.T if v is None else u @ (v / np.linalg.norm(v))


class UsesSentenceVectors(Block):
    """A block whose result comes from this module: its code is part of the cache key too."""

    def result_inputs(self, spec: dict) -> dict:
        return {**super().result_inputs(spec), "sentence_code": code_version(__name__)}


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


@register
class SentenceSimilarity(UsesSentenceVectors):
    kind = "sentence-similarity"
    summary = ("Sentence vectors as the mean of their word vectors, and the cosine similarity of every pair of "
               "sentences as a matrix.")
    schema = obj({
        "sentences": {**str_list(2, 8), "uniqueItems": True},
        "drop_stopwords": {"type": "boolean"},
        "expect": str_list(),
        "caption": CAPTION,
        "figure": {"type": "boolean"},
    }, required=["sentences"])
    example = "sentences:\n  - dog bites man\n  - man bites dog\nexpect: ['1 = 2']"

    def parse(self, data):
        drop = data.get("drop_stopwords", False)
        tokens = [sentence_words(s, drop, f"sentence {k + 1}") for k, s in enumerate(data["sentences"])]
        for text in data.get("expect", []):
            parse_claim(text, len(tokens))
        return {"sentences": data["sentences"], "tokens": tokens, "drop_stopwords": drop,
                "expect": data.get("expect", []), "caption": data.get("caption"),
                "figure": data.get("figure", True)}

    def words(self, spec):
        return [t for toks in spec["tokens"] for t in toks]

    def anchor_hint(self, spec):
        return "sentences " + " ".join(spec["tokens"][0][:3])

    def compute(self, kv, spec):
        m = mean_vectors(kv, spec["tokens"])
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

    def claims(self, spec, result):
        out, c = [], result["cosine"]
        for text in spec["expect"]:
            kind, nums, op = parse_claim(text, len(spec["tokens"]))
            if kind == "compare":
                a, b = nums[0] - 1, nums[1] - 1
                left = c[a][b]
                if len(nums) == 3:  # a constant on the right
                    right, name, shown = nums[2], f"{nums[2]:g}", ""
                else:
                    x, y = nums[2] - 1, nums[3] - 1
                    right, name = c[x][y], f"similarity(S{x + 1}, S{y + 1})"
                    shown = f", {name} = {right:.4f}"
                out.append(Claim(statement=f"similarity(S{a + 1}, S{b + 1}) {op} {name}",
                                 ok=left > right if op == ">" else left < right,
                                 actual=f"similarity(S{a + 1}, S{b + 1}) = {left:.4f}{shown}"))
            elif kind == "nearest":
                a, b = nums[0] - 1, nums[1] - 1
                got = result["nearest"][a]
                out.append(Claim(statement=f"the sentence nearest to S{a + 1} is S{b + 1}", ok=got == b,
                                 actual=f"the nearest is S{got + 1} ({c[a][got]:.4f}); S{b + 1} scores {c[a][b]:.4f}"))
            else:
                a, b = nums[0] - 1, nums[1] - 1
                diff = result["max_diff"][a][b]
                out.append(Claim(statement=f"S{a + 1} and S{b + 1} have identical sentence vectors", ok=diff == 0.0,
                                 actual=f"the largest difference between their coordinates is {diff:.3g}; "
                                        f"cosine {c[a][b]:.4f}"))
        return out

    def render(self, spec, result, ctx):
        n, c = len(spec["sentences"]), result["cosine"]
        labels = [f"S{k + 1}" for k in range(n)]
        sent_rows = [[labels[k], s, " ".join(spec["tokens"][k])] for k, s in enumerate(spec["sentences"])]
        identical = [(i, j) for i in range(n) for j in range(i + 1, n) if result["max_diff"][i][j] == 0.0]
        pairs = sorted(((c[i][j], i, j) for i in range(n) for j in range(i + 1, n)), key=lambda t: (-t[0], t[1], t[2]))
        alt = (f"Heatmap of the cosine similarity between the vectors of {n} sentences, S1 to S{n}. "
               f"Most similar pair: {labels[pairs[0][1]]}–{labels[pairs[0][2]]} ({pairs[0][0]:.2f}); least similar: "
               f"{labels[pairs[-1][1]]}–{labels[pairs[-1][2]]} ({pairs[-1][0]:.2f}).")
        tbl = table(["Cosine"] + labels, [[labels[i]] + [fmt(v) for v in c[i]] for i in range(n)],
                    numeric_cols=tuple(range(1, n + 1)))
        same = "".join(
            f"<p><strong>{labels[i]}</strong> and <strong>{labels[j]}</strong> get exactly the same "
            f"{result['dims']} numbers: they hold the same tokens, and an average does not know their order.</p>"
            for i, j in identical)
        stop = "; stop words removed" if spec["drop_stopwords"] else ""
        code = ("import numpy as np\nfrom gensim.utils import simple_preprocess\n"
                + ("from gensim.parsing.preprocessing import STOPWORDS\n" if spec["drop_stopwords"] else "") + "\n"
                f"sentences = {spec['sentences']!r}\n"
                "def sentence_vector(text):\n"
                "    tokens = simple_preprocess(text)\n"
                + ("    tokens = [t for t in tokens if t not in STOPWORDS]\n" if spec["drop_stopwords"] else "")
                + "    return np.mean([kv[t] for t in tokens], axis=0)\n\n"
                "M = np.stack([sentence_vector(s) for s in sentences])\n"
                "U = M / np.linalg.norm(M, axis=1, keepdims=True)\n"
                "print(U @ U.T)  # cosine similarity of every pair\n")
        return "".join([
            f'<div class="ll-block ll-sentence-similarity" id="{esc(ctx.anchor)}">',
            table(["", "Sentence", "Tokens averaged"], sent_rows),
            f'<p class="ll-caption">{METHOD_NOTE.format(stop)}</p>',
            figure_or_table(spec["figure"], lambda: self.heatmap(labels, spec["sentences"], c),
                            alt=alt, caption=spec["caption"],
                            default_caption="Cosine similarity between the sentence vectors (1 on the diagonal).",
                            data_table=tbl, height=max(300, 140 + 40 * n), anchor=ctx.anchor + "-figure"),
            same,
            claims_html(ctx.claims),
            code_details(code, "The code behind these numbers"),
            model_note(ctx.model_id), "</div>",
        ])

    @staticmethod
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
