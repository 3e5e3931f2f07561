"""``pca``: how much of the variance each principal component explains, and the words on the first two."""

from __future__ import annotations

import re
import textwrap

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...errors import LexiconError
from ...numeric import rounded
from ...render import fmt, percent
from ._figures import labelled_map, variance_figure, variance_table
from ._variance import VarianceValues, component_value, cumulative, pca_variance
from ._words import (
    GROUPS,
    TOP,
    WORDS,
    group_hint,
    point_vectors,
    points_phrase,
    read_points,
)

CLAIM = re.compile(r"^\s*first\s+(\d+)\s*([<>])\s*(\d+(?:\.\d+)?)\s*%\s*$")


def parse_claim(text: str, max_components: int) -> tuple[int, str, float]:
    m = CLAIM.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix="write e.g. 'first 2 < 30%' (the first 2 components explain less than 30% "
                               "of the variance) or 'first 10 > 50%'")
    n, op, p = int(m.group(1)), m.group(2), float(m.group(3))
    if not 1 <= n <= max_components:
        raise LexiconError(f"the claim '{text}' is about {n} components, but there are at most {max_components}",
                           fix=f"claim about 1 to {max_components} components")
    return n, op, p


class PCABlock(VarianceValues, Kind):
    """PCA (scikit-learn, exact): each component's share of the variance, the running total, and the words
    on the first two components.

    PCA of a list of words, or of the model's most frequent words. scikit-learn's PCA runs with
    `svd_solver='full'` on vectors scaled to length 1, so the numbers are exact and repeatable, and
    the map follows cosine similarity like every other map on the site. A chart shows each
    component's share of the variance and the running total. For `words` or `groups`, a second
    figure places the words on the first two components, and each axis title gives its share.
    """

    distinct_words = True  # a map (geometry.require_spread)

    example = "groups:\n  animals: [cat, dog, horse]\n  vehicles: [car, bus, train]\nexpect:\n  - first 2 > 40%"
    options = opt.Options(
        Kind.options,
        words=WORDS,
        groups=GROUPS,
        top=TOP,
        components=opt.integer("How many components the chart shows.", default=10, min=2, max=400, display=True),
        map=opt.flag("Show the 2-D map of the words on the first two components. Not allowed with `top`.",
                     default=None, default_doc="`true` with `words` or `groups`", display=True),
        labels=opt.flag("Write each word beside its point on the map.", default=None,
                        default_doc="`true` up to 60 words", display=True),
        expect=opt.claims("Claims such as `first 2 < 15%` or `first 10 > 50%`: the first N components together "
                          "explain less or more than P% of the variance."),
        caption=opt.caption("“PCA of … (… dimensions, each vector scaled to length 1). Bars: …”"),
    )

    def prepare(self, spec):
        read_points(spec, self.kind)
        if spec.top is not None and spec.map:
            raise LexiconError("a map of the 'top' words would be thousands of unlabelled points",
                               fix="remove 'map: true', or list the words to draw with 'words' or 'groups'")
        spec.show_map = spec.map if spec.map is not None else spec.top is None
        spec.show_labels = spec.labels if spec.labels is not None else len(spec.word_list) <= 60
        # PCA of n points (centred) has at most min(n, dims) components; the model's dims are
        # checked when the claims are, so here only the point count bounds them.
        for t in spec.expect:
            parse_claim(t, spec.top or len(spec.word_list))

    def words(self, spec):
        return spec.word_list

    def anchor_hint(self, spec):
        return f"top {spec.top}" if spec.top else group_hint(spec.word_list, spec.group_of)

    def compute(self, kv, spec):
        x = point_vectors(kv, spec.word_list, spec.top)
        shares, coords = pca_variance(x)
        out = {"shares": shares, "dims": int(x.shape[1])}
        if spec.word_list:
            out["coords"] = rounded(coords, 8)    # shown at 3 decimals: rounded once there, not 4 then 3
        return out

    def claims(self, spec, result, check):
        for t in spec.expect:
            n, op, p = parse_claim(t, len(result["shares"]))
            total = cumulative(result["shares"], n)
            ok = total * 100 < p if op == "<" else total * 100 > p
            word = "less" if op == "<" else "more"
            what = "the first principal component explains" if n == 1 else \
                f"the first {n} principal components explain"
            check(f"{what} {word} than {p:g}% of the variance", ok, f"they explain {total * 100:.2f}%")

    # --- values for prose -----------------------------------------------------------------------------
    @value("How many points the PCA is of: the words listed, or `top`.")
    def points(self, spec, result):
        n = spec.top or len(spec.word_list)
        return Value(f"{n:,}", n)

    @value("The number of dimensions of the vectors (and of principal components at most).")
    def dims(self, spec, result):
        return Value(str(result["dims"]), result["dims"])

    @value("Component n's own share of the variance, as the table shows it (`12.3%`).")
    def component(self, spec, result, n):
        return component_value(result["shares"], n)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        shares = result["shares"]
        show = min(spec.components, len(shares))
        what = points_phrase(spec.word_list, spec.group_of, spec.top)
        two = cumulative(shares, 2)
        cum_show = cumulative(shares, show)
        alt = (f"Bar chart of the share of the variance of {what} explained by each of the first {show} principal "
               f"components, with a line for the running total: component 1 explains {shares[0] * 100:.1f}%, "
               f"the first 2 together {two * 100:.1f}%, the first {show} together {cum_show * 100:.1f}%.")
        default_caption = (
            f"PCA of {what} ({result['dims']} dimensions, each vector scaled to length 1). Bars: each component's "
            f"share of the variance. Line: the first components together.")
        parts = [Figure(lambda: variance_figure(shares, show), alt=alt, caption=spec.caption,
                        default_caption=default_caption, table=variance_table(shares, show), height=340,
                        anchor="variance")]
        if spec.show_map and spec.word_list:
            parts.append(self._map(spec, result, what, two))
        if spec.top:
            source = ("import numpy as np\n"
                      f"x = kv.vectors[:{spec.top}].astype(np.float64)  # the most frequent words\n")
        else:
            lines = textwrap.wrap(", ".join(repr(w) for w in spec.word_list), 96, break_on_hyphens=False)
            source = ("import numpy as np\n" + "words = [" + "\n         ".join(lines) + "]\n"
                      + "x = np.stack([kv[w] for w in words]).astype(np.float64)\n")
        source += ("x /= np.linalg.norm(x, axis=1, keepdims=True)  # length 1, as for cosine similarity\n\n"
                   "from sklearn.decomposition import PCA\n"
                   "pca = PCA(svd_solver='full').fit(x)\n"
                   "pca.explained_variance_ratio_      # each component's share of the variance\n"
                   "pca.transform(x)[:, :2]            # the points on the first two components\n")
        parts.append(Code(source, "The scikit-learn calls behind these numbers"))
        return parts

    def _map(self, spec, result, what: str, two: float) -> Figure:
        shares = result["shares"]
        words, labels, coords = spec.word_list, spec.group_of, result["coords"]
        groups = list(dict.fromkeys(labels))
        grouped = len(groups) > 1

        def make():
            fig = labelled_map(words, labels, coords, spec.show_labels)
            fig.update_layout(xaxis=dict(title=dict(text=f"component 1 ({percent(shares[0])})", standoff=4),
                                         showgrid=True),
                              yaxis=dict(title=dict(text=f"component 2 ({percent(shares[1])})", standoff=4),
                                         showgrid=True),
                              legend=dict(orientation="h", y=-0.1, yanchor="top"), margin=dict(b=40))
            return fig

        rows = [[w] + ([g] if grouped else []) + [fmt(c[0], 3), fmt(c[1], 3)] for w, g, c in zip(words, labels, coords)]
        table = Table(["Word"] + (["Group"] if grouped else []) + ["Component 1", "Component 2"], rows,
                      numeric=(2, 3) if grouped else (1, 2))
        return Figure(make, alt=(f"Scatter plot of {what} on the first two principal components, which together "
                                 f"explain {two * 100:.1f}% of the variance"
                                 + (f"; groups: {', '.join(groups)}" if grouped else "") + "."),
                      caption=(f"The same words on the first two components: a view that keeps {two * 100:.1f}% "
                               "of the variance."),
                      table=table, height=480, anchor="map")
