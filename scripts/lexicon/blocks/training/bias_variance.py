"""The bias-variance kind: bias², variance and error of regression trees of growing depth, from bootstrap
resamples of the training split."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import NOTE, bias_variance

NAMES = Names("write e.g. 'variance(8) > variance(2)', 'bias2(1) > bias2(5)' or 'best = 2'",
              bias2=("bias² at depth {0}", 1, False), variance=("the variance at depth {0}", 1, False),
              error=("the expected error at depth {0}", 1, False),
              best=("the depth with the lowest expected error", 0, True))


class BiasVariance(Kind):
    """The bias–variance decomposition, estimated numerically: regression trees of each depth refitted on
    bootstrap resamples of a training split of scikit-learn's diabetes data, and their predictions for the
    validation patients compared.

    The diabetes data (standardised features) is split with `train_test_split(test_size, random_state=seed)`.
    `bootstraps` resamples of the training split are drawn with replacement (`numpy.random.RandomState(seed)`,
    the same resamples for every depth), and a `DecisionTreeRegressor(max_depth=d, random_state=seed)` is fitted
    on each for every depth from 1 to `max_depth`. For each validation patient the predictions' mean and
    variance over the resamples are taken, then averaged over the patients: **variance** (how much the
    prediction moves with the training sample), **bias²** (the squared gap between the mean prediction and the
    true value; on real data it also holds the noise no model can remove) and the **expected error** (the mean
    squared error of a single tree, averaged over the resamples), which is exactly their sum.
    """

    example = "max_depth: 6\nbootstraps: 20\nexpect:\n  - variance(6) > variance(2)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        max_depth=opt.integer("The deepest tree; depths 1 to this are compared.", default=8, min=2, max=12),
        bootstraps=opt.integer("The bootstrap resamples of the training split.", default=30, min=5, max=60),
        test_size=opt.number("The share of the patients held out as the validation split.", default=0.25, min=0.1,
                             max=0.5),
        seed=opt.seed("The seed of the split, the resamples and the trees.", default=0),
        expect=opt.claims("[Claims](#claims): `variance(8) > variance(2)`, `bias2(1) > bias2(5)`, `best = 2`. "
                          "Names: bias2(depth), variance(depth), error(depth), best."),
        caption=opt.caption("“Bias², variance and expected error of regression trees at each depth …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._depth(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return "bias variance depth"

    def compute(self, kv, spec):
        return bias_variance(list(range(1, spec.max_depth + 1)), spec.bootstraps, spec.test_size, spec.seed)

    def _depth(self, spec, text) -> int:
        t = str(text).strip()
        if not t.isdigit() or not 1 <= int(t) <= spec.max_depth:
            raise LexiconError(f"'{text}' is not one of the depths compared", fix=f"name a depth from 1 to {spec.max_depth}")
        return int(t)

    @staticmethod
    def _best(result) -> dict:
        return min(result["rows"], key=lambda r: r["error"])

    def _lookup(self, spec, result, n, args):
        if n == "best":
            return self._best(result)["depth"]
        return result["rows"][self._depth(spec, args[0]) - 1][n]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("Bias² at a depth (with the noise): `bias2(1)`.")
    def bias2(self, spec, result, depth):
        v = self._lookup(spec, result, "bias2", [depth])
        return Value(fmt(v), v)

    @value("The variance of the predictions over the resamples at a depth: `variance(8)`.")
    def variance(self, spec, result, depth):
        v = self._lookup(spec, result, "variance", [depth])
        return Value(fmt(v), v)

    @value("The expected error (bias² + variance) at a depth: `error(2)`.")
    def error(self, spec, result, depth):
        v = self._lookup(spec, result, "error", [depth])
        return Value(fmt(v), v)

    @value("The depth with the lowest expected error.")
    def best(self, spec, result):
        d = self._best(result)["depth"]
        return Value(str(d), d)

    @value("How many bootstrap resamples were drawn.")
    def resamples(self, spec, result):
        return Value(str(spec.bootstraps), spec.bootstraps)

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        rows, best = result["rows"], self._best(result)
        depths = [r["depth"] for r in rows]
        table = Table(["Depth", "Bias² (with noise)", "Variance", "Expected error"],
                      [[str(r["depth"]) + (" (lowest error)" if r is best else ""), fmt(r["bias2"]), fmt(r["variance"]),
                        fmt(r["error"])] for r in rows], numeric=(1, 2, 3))

        def figure():
            fig = go.Figure()
            for i, (key, label) in enumerate((("bias2", "bias² (with noise)"), ("variance", "variance"),
                                              ("error", "expected error"))):
                fig.add_trace(go.Scatter(x=depths, y=[r[key] for r in rows], mode="lines+markers", name=label,
                                         line=dict(color=PALETTE[i], width=2, dash=("dash", "dot", "solid")[i]),
                                         hovertemplate=f"depth %{{x}}: {label} %{{y:.1f}}<extra></extra>"))
            fig.add_vline(x=best["depth"], line=dict(color=PALETTE[7], width=1, dash="dot"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="maximum depth of the tree", standoff=6),
                                                          dtick=1),
                              yaxis=dict(title=dict(text="squared error on the validation split", standoff=6),
                                         rangemode="tozero"))
            return fig

        alt = ("Line chart of bias², variance and their sum, the expected error, against the depth of a regression "
               "tree. " + " ".join(f"Depth {r['depth']}: bias² {fmt(r['bias2'])}, variance {fmt(r['variance'])}, "
                                   f"error {fmt(r['error'])}." for r in rows)
               + f" The lowest expected error is at depth {best['depth']}.")
        code = ("import numpy as np\nfrom sklearn.datasets import load_diabetes\n"
                "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
                "from sklearn.tree import DecisionTreeRegressor\n\n"
                "data = load_diabetes(scaled=False)\n"
                "x = StandardScaler().fit_transform(data.data)  # trees do not depend on the scaling\n"
                "x_train, x_val, y_train, y_val = train_test_split(\n"
                f"    x, data.target, test_size={spec.test_size:g}, random_state={spec.seed})\n"
                f"rng = np.random.RandomState({spec.seed})\n"
                f"resamples = [rng.randint(0, len(y_train), len(y_train)) for _ in range({spec.bootstraps})]\n"
                f"for depth in range(1, {spec.max_depth + 1}):\n"
                f"    p = np.array([DecisionTreeRegressor(max_depth=depth, random_state={spec.seed})\n"
                "                  .fit(x_train[i], y_train[i]).predict(x_val) for i in resamples])\n"
                "    bias2 = ((p.mean(axis=0) - y_val) ** 2).mean()\n"
                "    variance = p.var(axis=0).mean()\n"
                "    error = ((p - y_val) ** 2).mean()  # equals bias2 + variance\n"
                "    print(depth, round(bias2, 4), round(variance, 4), round(error, 4))\n")
        return [
            Html(f"<p>{spec.bootstraps} bootstrap resamples of the {result['train']:,} training patients; a regression "
                 f"tree of each depth learns from each, and predicts the {result['validation']:,} validation patients. "
                 f"The expected error is lowest at depth {best['depth']}.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=380, anchor="bias-variance",
                   default_caption="Bias², variance and expected error at each depth; dotted: the lowest expected "
                                   "error. On real data bias² also holds the noise no model can remove."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
