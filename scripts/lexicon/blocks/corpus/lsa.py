"""The lsa kind: latent semantic analysis of the Lee corpus, a truncated SVD of its TF-IDF matrix."""

from __future__ import annotations

import re

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import fmt, percent
from ._lee import BACKGROUND, NOTE, READ
from ._lsa import SEED, fitted, require_lsa_words, word_vectors

HAS = re.compile(r"^\s*([a-z]+)\s+(in|not in)\s+component\(\s*(\d+)\s*\)\s*$")
SIM = re.compile(r"^\s*([a-z]+)~([a-z]+)\s*([<>])\s*([a-z]+)~([a-z]+)\s*$")
WIDER = (10, 20, 30)   # the claims' word pairs are also compared with these many dimensions
CLAIM_FIX = ("write 'palestinian in component(2)', 'cricket not in component(2)' or "
             "'israeli~palestinian > israeli~cricket'")


def parse(text: str):
    m, s = HAS.match(str(text)), SIM.match(str(text))
    if m:
        return ("has", m.group(1), m.group(2) == "in", int(m.group(3)))
    if s:
        return ("sim", (s.group(1), s.group(2)), s.group(3), (s.group(4), s.group(5)))
    raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)


def lsa_result(components: int, topwords: int, pairs: list) -> dict:
    words, matrix, svd = fitted(components)
    comps = []
    for c in svd.components_:
        order = np.argsort(-c, kind="stable")
        comps.append({"positive": [words[j] for j in order[:topwords]],
                      "negative": [words[j] for j in order[::-1][:topwords] if c[j] < 0]})
    sims_at = {}
    for k in sorted({components, *WIDER}):
        index, vectors = word_vectors(k)
        sims_at[str(k)] = {f"{a}~{b}": round(float(vectors[index[a]] @ vectors[index[b]]), SCORE_DIGITS)
                           for a, b in pairs}
    return {"stories": matrix.shape[0], "words": matrix.shape[1], "components": comps,
            "variance": [round(float(x), 6) for x in svd.explained_variance_ratio_],
            "singular": [round(float(x), SCORE_DIGITS) for x in svd.singular_values_],
            "similarity": sims_at[str(components)], "similarity_at": sims_at}


class Lsa(Kind):
    """Latent semantic analysis of gensim's Lee corpus: a truncated SVD of the story × word TF-IDF matrix,
    with each component's share of the variance and its heaviest words.

    Stop words (gensim's list) are removed and words found in one story only are dropped; scikit-learn's
    `TfidfVectorizer` weights the rest and `TruncatedSVD(n_components=components, algorithm="arpack", random_state=0)` keeps
    the `components` strongest directions. Each component is listed with its explained-variance share,
    singular value and the `topwords` words with the largest positive and negative weights. Claims:
    `palestinian in component(2)` (among its top positive words), `cricket not in component(2)`, and
    `israeli~palestinian > israeli~cricket` (cosine of the words' LSA vectors); the claims' pairs are also
    compared with 10, 20 and 30 dimensions, for prose on how the number of dimensions spreads words apart.
    Needs no embedding model.
    """

    example = "components: 5\ntopwords: 5\nexpect:\n  - palestinian in component(2)\n  - israeli~palestinian > israeli~cricket"
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        Kind.options,
        components=opt.integer("How many components (dimensions) the SVD keeps.", default=10, min=2, max=30),
        topwords=opt.integer("How many words to list per component and sign.", default=6, min=2, max=12),
        expect=opt.claims("Claims: `palestinian in component(2)`, `cricket not in component(2)`, "
                          "`israeli~palestinian > israeli~cricket`.", "list of statements", display=False),
        caption=opt.caption(doc="Caption of the chart (Markdown)."),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [parse(t) for t in spec.expect]
        for p in spec.parsed:
            if p[0] == "has" and not 1 <= p[3] <= spec.components:
                raise LexiconError(f"the block keeps {spec.components} components, so there is no component {p[3]}",
                                   fix=f"name a component from 1 to {spec.components}")
        spec.pairs = list(dict.fromkeys(pair for p in spec.parsed if p[0] == "sim" for pair in (p[1], p[3])))

    def anchor_hint(self, spec):
        return f"lsa {spec.components}"

    def compute(self, kv, spec):
        require_lsa_words([w for pair in spec.pairs for w in pair], spec.components)
        return lsa_result(spec.components, spec.topwords, [list(p) for p in spec.pairs])

    def claims(self, spec, result, check):
        for text, p in zip(spec.expect, spec.parsed):
            if p[0] == "has":
                _, word, inside, n = p
                top = result["components"][n - 1]["positive"]
                check(str(text), (word in top) == inside, f"component {n}'s top words: {', '.join(top)}")
            else:
                _, left, op, right = p
                a, b = result["similarity"]["~".join(left)], result["similarity"]["~".join(right)]
                check(str(text), a > b if op == ">" else a < b,
                      f"{'~'.join(left)} = {fmt(a)}; {'~'.join(right)} = {fmt(b)}")

    @value("A component's share of the variance: `variance(2)`.")
    def variance(self, spec, result, n):
        x = self._component(result, n, "variance")
        return Value(percent(x), x)

    @value("The components' total share of the variance.")
    def total(self, spec, result):
        x = sum(result["variance"])
        return Value(percent(x), x)

    @value("A component's singular value: `singular(1)`.")
    def singular(self, spec, result, n):
        x = self._component(result, n, "singular")
        return Value(fmt(x, 2), x)

    @value("A component's top positive word at a rank: `word(2, 1)`.")
    def word(self, spec, result, n, rank="1"):
        words = self._component(result, n, "components")["positive"]
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(words):
            raise LexiconError(f"rank '{rank}' is not listed", fix=f"quote a rank from 1 to {len(words)}")
        return Value(words[int(rank) - 1])

    @value("How many words (columns) the TF-IDF matrix has.")
    def words(self, spec, result):
        return Value(f"{result['words']:,}", result["words"])

    @value("The cosine of two words' LSA vectors named in a claim: `similarity(israeli, palestinian)`; a third "
           "argument, 10, 20 or 30, compares them with that many dimensions instead of `components`.")
    def similarity(self, spec, result, a, b, k=None):
        key = f"{a}~{b}"
        if key not in result["similarity"]:
            raise LexiconError(f"the block compares no pair {key}", fix="name the pair in a claim first")
        table = result["similarity"] if k is None else result["similarity_at"].get(str(k).strip())
        if table is None:
            raise LexiconError(f"the pairs are not compared with {k} dimensions",
                               fix=f"write {', '.join(result['similarity_at'])} as the third argument")
        return Value(fmt(table[key]), table[key])

    def _component(self, result, n, what):
        if not str(n).isdigit() or not 1 <= int(n) <= len(result["variance"]):
            raise LexiconError(f"there is no component '{n}'", fix=f"name one from 1 to {len(result['variance'])}")
        return result[what][int(n) - 1]

    def render(self, spec, result, ctx):
        var, sing = result["variance"], result["singular"]
        labels = [str(i + 1) for i in range(len(var))]
        rows = [[i + 1, percent(var[i]), fmt(sing[i], 2), ", ".join(c["positive"]), ", ".join(c["negative"]) or "—"]
                for i, c in enumerate(result["components"])]

        def chart():
            import plotly.graph_objects as go

            fig = go.Figure(go.Bar(x=labels, y=[round(v * 100, 3) for v in var], marker_color=figures.PALETTE[0],
                                   hovertemplate="component %{x}: %{y:.2f}% of the variance<extra></extra>"))
            fig.update_layout(**figures.BASE_LAYOUT, xaxis=dict(title=dict(text="component"), type="category"),
                              yaxis=dict(title=dict(text="share of the variance (%)"), automargin=True))
            return fig

        alt = ("Bar chart of the share of the TF-IDF matrix's variance each component explains: " +
               ", ".join(f"component {i + 1} {percent(v)}" for i, v in enumerate(var)) + f"; together {percent(sum(var))}.")
        return [Text(f"The TF-IDF matrix has {result['stories']} stories × {result['words']:,} words; its "
                     f"{len(var)} strongest components explain {percent(sum(var))} of its variance."),
                Figure(chart, alt=alt, caption=spec.caption, height=300,
                       default_caption="Share of the variance explained by each component."),
                Table(["Component", "Variance", "Singular value", "Heaviest words (+)", "Heaviest words (−)"], rows,
                      numeric=(0, 1, 2)),
                Code(READ.format(corpus=BACKGROUND) +
                     "from gensim.parsing.preprocessing import STOPWORDS\n"
                     "from sklearn.decomposition import TruncatedSVD\n"
                     "from sklearn.feature_extraction.text import TfidfVectorizer\n\n"
                     "docs = [[w for w in s if w not in STOPWORDS] for s in stories]\n"
                     "tfidf = TfidfVectorizer(analyzer=list, min_df=2)\nmatrix = tfidf.fit_transform(docs)\n"
                     f"svd = TruncatedSVD(n_components={spec.components}, algorithm=\"arpack\", random_state={SEED}).fit(matrix)\n"
                     "svd.explained_variance_ratio_, svd.singular_values_\n"
                     "words = tfidf.get_feature_names_out()\n"
                     f"[words[c.argsort()[::-1][:{spec.topwords}]] for c in svd.components_]\n",
                     "The Python behind these numbers")]
