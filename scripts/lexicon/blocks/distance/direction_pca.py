"""The ``direction-pca`` kind: a direction found by PCA of definitional pairs, its share of the variance, and words projected on it."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...errors import LexiconError
from ...render import fmt
from ._pca_direction import pair_direction, random_pair_shares, unit_rows
from ._projection import direction_vector, parse_statement, projection_figure, projection_of, signed, sorted_words

SHARE = re.compile(r"^\s*share\s*([<>])\s*(baseline|0?\.\d+|1(\.0*)?)\s*$")
CLAIM_FIX = ("write 'share > 0.6' (the first axis's share of the variance), 'share > baseline' (above every "
             "random draw), or a word statement: 'nurse < 0', 'captain > nurse'")


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


class DirectionPca(Kind):
    """A direction found as Bolukbasi et al. (2016) found theirs: PCA of definitional pairs such as he − she, each pair centred on its own mean. Shows how much of the variance the first axis holds, against random pairs, and projects words on it.

    Each pair (a, b) gives two rows, unit(a) − μ and unit(b) − μ, with μ the mean of the two unit
    vectors; scikit-learn's `PCA` of those rows gives the axes. If the pairs differ in one shared
    way, the first axis holds most of the variance; the bar chart shows every axis's share. The
    **baseline** does the same for `baseline_draws` sets of as many pairs of random words from the
    `baseline_vocab` most frequent ones (numpy's `default_rng(seed)`), so the share can be read
    against what unrelated pairs give. The first axis is turned so that the pairs' first words lie
    on its positive side, and each of `words` is projected on it (its cosine with the axis). The
    block also gives the cosine between this axis and the simpler average direction of the
    `direction` kind.
    """

    example = ("pairs:\n  - [he, she]\n  - [man, woman]\n  - [his, her]\n  - [father, mother]\n"
               "words: [nurse, engineer]\nbaseline_draws: 5\nexpect:\n  - share > baseline\n  - nurse < 0")
    options = opt.Options(
        Kind.options,
        pairs=opt.pairs("The definitional pairs, e.g. `[he, she]`; the first word of each pair is the positive "
                        "end.", min=2, max=12, required=True),
        words=opt.words("Words to project on the first axis.", min=1, max=40, unique=True, type_doc="1–40 words",
                        default=[]),
        baseline_draws=opt.integer("How many sets of random pairs the baseline draws (0: none).", default=20,
                                   min=0, max=200),
        baseline_vocab=opt.integer("The random words come from this many most frequent words.", default=10_000,
                                   min=100, max=100_000),
        seed=opt.seed("Seed of the random pairs (numpy's `default_rng`).", default=0),
        expect=opt.claims("Claims: `share > 0.6`, `share > baseline`, `nurse < 0`, `captain > nurse`."),
        caption=opt.caption("“Each axis's share of the variance of the centred pairs …”"),
        figure=opt.show_figure("Show the charts. With `false`, only the tables are shown."),
        code=opt.show_code("Show the collapsible Python."),
    )

    def prepare(self, spec):
        spec.parsed = []
        for text in spec.expect:
            m = SHARE.match(str(text))
            if m:
                spec.parsed.append(("share", m.group(1), m.group(2)))
                continue
            if not spec.words:
                raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
            spec.parsed.append(("word", *parse_statement(text, spec.words)))
        if any(p[0] == "share" and p[2] == "baseline" for p in spec.parsed) and not spec.baseline_draws:
            raise LexiconError("a claim compares the share with the baseline, but baseline_draws is 0",
                               fix="set baseline_draws to 1 or more, or compare with a number")

    def anchor_hint(self, spec):
        return "pca " + " ".join(spec.pairs[0])

    def compute(self, kv, spec):
        g, shares = pair_direction(kv, spec.pairs)
        mean_dir = direction_vector(kv, spec.pairs)
        top = min(spec.baseline_vocab, len(kv))
        base = random_pair_shares(kv, len(spec.pairs), top, spec.baseline_draws, spec.seed) if spec.baseline_draws else []
        scores = [round(float(unit_rows(kv[w]) @ g), 4) for w in spec.words]
        return {"shares": [round(float(s), 6) for s in shares], "baseline": [round(s, 6) for s in base],
                "scores": scores, "mean_cosine": round(float(g @ mean_dir), 6), "vocab": top}

    def claims(self, spec, result, check):
        first = result["shares"][0]
        top = max(result["baseline"]) if result["baseline"] else None
        score = dict(zip(spec.words, result["scores"]))
        shown = ", ".join(f"{w} ({s:.4f})" for w, s in sorted_words(spec.words, result["scores"]))
        for text, parsed in zip(spec.expect, spec.parsed):
            if parsed[0] == "share":
                _, op, right = parsed
                bound = top if right == "baseline" else float(right)
                what = (f"the largest of {len(result['baseline'])} random draws ({pct(top)})" if right == "baseline"
                        else pct(bound))
                check(f"the first axis holds {'more' if op == '>' else 'less'} than {what} of the variance",
                      first > bound if op == ">" else first < bound, f"it holds {pct(first)}")
                continue
            _, left, op, right = parsed
            lv, rv = score[left], (0.0 if right == "0" else score[right])
            end = spec.pairs[0][0] if op == ">" else spec.pairs[0][1]
            statement = (f"'{left}' leans towards '{end}' on the first axis" if right == "0"
                         else f"'{left}' lies further towards '{end}' than '{right}' on the first axis")
            check(statement, lv > rv if op == ">" else lv < rv, f"projections: {shown}")

    @value("The share of the variance an axis holds, as the table shows it: `share` (the first), `share(2)`.")
    def share(self, spec, result, axis="1"):
        try:
            k = int(axis)
        except ValueError:
            k = 0
        if not 1 <= k <= len(result["shares"]):
            raise LexiconError(f"there is no axis '{axis}'", fix=f"name an axis from 1 to {len(result['shares'])}")
        s = result["shares"][k - 1]
        return Value(pct(s), s)

    @value("The mean share of the first axis over the random draws of the baseline.")
    def baseline_mean(self, spec, result):
        return _baseline(result, np.mean)

    @value("The largest share of the first axis among the random draws.")
    def baseline_max(self, spec, result):
        return _baseline(result, max)

    @value("The smallest share of the first axis among the random draws.")
    def baseline_min(self, spec, result):
        return _baseline(result, min)

    @value("The cosine between the first axis and the average of the same pairs' differences (the method of the "
           "`direction` kind, on this block's pairs).")
    def mean_cosine(self, spec, result):
        return Value(fmt(result["mean_cosine"]), result["mean_cosine"])

    @value("A word's projection on the first axis, as the table shows it: `projection(nurse)`.")
    def projection(self, spec, result, word):
        return projection_of(spec.words, result["scores"], word)

    def render(self, spec, result, ctx):
        shares, base = result["shares"], result["baseline"]
        pair_names = ", ".join(f"{a} − {b}" for a, b in spec.pairs)
        rows = [[str(i + 1), pct(s)] for i, s in enumerate(shares)]
        cap = (f"Each axis's share of the variance of the centred pairs {pair_names}, largest first."
               + (f" The line is the mean share of the first axis for {len(base)} sets of {len(spec.pairs)} random "
                  f"pairs of the {result['vocab']:,} most frequent words (from {pct(min(base))} to {pct(max(base))})."
                  if base else ""))
        parts = [Figure(lambda: _shares_figure(shares, base), caption=spec.caption, default_caption=cap,
                        alt=("Bar chart of the share of variance per axis: " + ", ".join(
                            f"axis {r[0]} {r[1]}" for r in rows) + "."), height=320,
                        table=Table(["Axis", "Share of the variance"], rows, numeric=(0, 1)))]
        if spec.words:
            ends = (spec.pairs[0][0], spec.pairs[0][1])
            order = sorted_words(spec.words, result["scores"])
            parts.append(Figure(
                lambda: projection_figure(spec.words, result["scores"], ends, f"first axis: {ends[0]} ↔ {ends[1]}"),
                default_caption=(f"Each word's projection on the first axis: its cosine with it. Bars to the right "
                                 f"lean towards “{ends[0]}”, to the left towards “{ends[1]}”."),
                alt="Bar chart of projections on the first axis: " + ", ".join(f"{w} {signed(s)}" for w, s in order) + ".",
                height=90 + 26 * len(spec.words), anchor="projections",
                table=Table(["Word", "Projection"], [[w, fmt(s)] for w, s in order], numeric=(1,))))
        parts.append(Code(_code(spec), "The Python behind these numbers"))
        return parts


def _baseline(result, f) -> Value:
    if not result["baseline"]:
        raise LexiconError("the block has no baseline", fix="set baseline_draws to 1 or more")
    s = float(f(result["baseline"]))
    return Value(pct(s), s)


def _shares_figure(shares, base) -> go.Figure:
    fig = go.Figure(go.Bar(x=[str(i + 1) for i in range(len(shares))], y=[100 * s for s in shares],
                           marker_color=figures.PALETTE[0], text=[pct(s) for s in shares], textposition="auto",
                           hovertemplate="axis %{x}: %{y:.1f} %<extra></extra>"))
    if base:
        fig.add_hline(y=100 * float(np.mean(base)), line_dash="dash", line_color=figures.PALETTE[1],
                      annotation_text="random pairs, first axis (mean)", annotation_position="top right")
    fig.update_layout(**figures.BASE_LAYOUT, xaxis={"title": "Axis", "fixedrange": True},
                      yaxis={"title": "Share of the variance (%)", "range": [0, 100], "fixedrange": True},
                      showlegend=False)
    return fig


def _code(spec) -> str:
    return ("import numpy as np\nfrom sklearn.decomposition import PCA\n\n"
            "def unit(v):\n    return v / np.linalg.norm(v)\n\n"
            f"pairs = {[tuple(p) for p in spec.pairs]!r}\n"
            "rows = []\nfor a, b in pairs:\n    mu = (unit(kv[a]) + unit(kv[b])) / 2\n"
            "    rows += [unit(kv[a]) - mu, unit(kv[b]) - mu]\n"
            "pca = PCA(n_components=len(pairs), svd_solver='full').fit(np.array(rows))   # n pairs span n axes at most\n"
            "print(pca.explained_variance_ratio_)\n"
            "g = pca.components_[0]\n"
            "if sum(unit(kv[a]) @ g - unit(kv[b]) @ g for a, b in pairs) < 0:\n    g = -g   # first words positive\n"
            + (f"for w in {list(spec.words)!r}:\n    print(w, unit(kv[w]) @ g)\n" if spec.words else ""))
