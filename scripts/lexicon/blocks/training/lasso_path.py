"""The lasso-path kind: the exact lasso path on the diabetes data, the order in which features drop out as alpha
grows, and the alpha cross-validation chooses over several shuffles of the folds."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import BASE_LAYOUT, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import FEATURES, NOTE
from ._penalty import lasso_dropout

NAMES = Names("write e.g. 'drop(bmi) > drop(s5)' or 'cv_kept_min < 10'",
              drop=("the largest alpha at which {0} is non-zero", 1, False),
              cv_alpha_min=("the smallest alpha chosen by cross-validation", 0, False),
              cv_alpha_max=("the largest alpha chosen by cross-validation", 0, False),
              cv_kept_min=("the fewest features kept at a cross-validated alpha", 0, True),
              cv_kept_max=("the most features kept at a cross-validated alpha", 0, True))


class LassoPath(Kind):
    """The lasso (L1-penalised least squares) on all 442 patients of scikit-learn's diabetes data: the exact
    coefficient path, the order in which the features drop out (reach exactly zero) as alpha grows, and the alpha
    `LassoCV` chooses by cross-validation, repeated over several shuffles of the folds.

    The path is `lars_path(method="lasso")` on the ten standardised, centred features, with alphas on `Lasso`'s
    scale (the squared error divided by twice the number of patients): it is exact, knot by knot, with no grid.
    A feature's drop-out alpha is the largest alpha at which its coefficient is non-zero; above it the
    coefficient is exactly zero. A feature that is zero again at some smaller alpha (it leaves the model and
    comes back as the penalty weakens) is marked. `LassoCV(cv=KFold(folds, shuffle=True, random_state=s))` is
    run for s = 0 … `shuffles` − 1: each run's chosen alpha and how many features it keeps show how much the
    choice depends on how the patients fell into folds.
    """

    example = "shuffles: 5\nexpect:\n  - drop(bmi) > drop(age)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        folds=opt.integer("The folds of the cross-validation.", default=5, min=2, max=20),
        shuffles=opt.integer("How many shuffles of the folds (seeds 0, 1, …) `LassoCV` is run on.", default=10,
                             min=1, max=30),
        expect=opt.claims("[Claims](#claims): `drop(bmi) > drop(s5)`, `cv_kept_min < 10`. Names: drop(feature), "
                          "cv_alpha_min, cv_alpha_max, cv_kept_min, cv_kept_max."),
        caption=opt.caption("“The lasso's coefficients along its exact path …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._feature(args[0]) if args else None)

    def anchor_hint(self, spec):
        return "lasso path diabetes"

    def compute(self, kv, spec):
        return lasso_dropout(spec.folds, spec.shuffles)

    @staticmethod
    def _feature(text) -> str:
        name = str(text).strip()
        if name not in FEATURES:
            raise LexiconError(f"'{text}' is not a feature of the diabetes data", fix="name one of: " + ", ".join(FEATURES))
        return name

    def _lookup(self, spec, result, name, args):
        if name == "drop":
            return result["drop"][self._feature(args[0])]
        key, end = ("alpha" if "alpha" in name else "kept"), (min if name.endswith("min") else max)
        return end(c[key] for c in result["cv"])

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    @staticmethod
    def _order(result) -> list[str]:
        return sorted(result["features"], key=lambda f: result["drop"][f])

    @value("The largest alpha at which a feature's coefficient is non-zero: `drop(bmi)`.")
    def drop(self, spec, result, feature):
        v = result["drop"][self._feature(feature)]
        return Value(fmt(v), v)

    @value("The k-th feature to drop out as alpha grows, by scikit-learn's name: `order(1)` drops first.")
    def order(self, spec, result, k):
        names = self._order(result)
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(names):
            raise LexiconError(f"there is no place '{k}'", fix=f"name 1 to {len(names)}")
        return Value(names[int(k) - 1], names[int(k) - 1])

    @value("The chosen alphas' or kept features' range over the shuffles: `cv(alpha, min)`, `cv(kept, max)`.")
    def cv(self, spec, result, what, end):
        what, end = str(what).strip(), str(end).strip()
        if what not in ("alpha", "kept") or end not in ("min", "max"):
            raise LexiconError(f"cannot read cv({what}, {end})", fix="write e.g. cv(alpha, min) or cv(kept, max)")
        v = (min if end == "min" else max)(c[what] for c in result["cv"])
        return Value(fmt(v) if what == "alpha" else str(v), v)

    @value("A count: `count(shuffles)`, `count(folds)`, `count(samples)` or `count(features)`.")
    def count(self, spec, result, what):
        counts = {"shuffles": spec.shuffles, "folds": spec.folds, "samples": result["samples"],
                  "features": len(result["features"])}
        if str(what).strip() not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(counts))
        return Value(f"{counts[str(what).strip()]:,}", counts[str(what).strip()])

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        names, knots, coefs = result["features"], result["knots"], result["coefs"]
        lowest = knots[-2] / 3 if len(knots) > 1 else 0.01    # the path ends at alpha 0: a log axis stops short of it
        xs = knots[:-1] + [lowest]
        shown = [fmt(a) for a in knots[:-1]] + ["0 (least squares)"]

        def figure():
            fig = go.Figure()
            for j, name in enumerate(names):
                fig.add_trace(go.Scatter(
                    x=xs, y=[c[j] for c in coefs], mode="lines+markers", name=name, text=shown,
                    line=dict(color=PALETTE[j % len(PALETTE)], width=1.5, dash=("solid", "dash")[j // len(PALETTE)]),
                    hovertemplate=f"{name}, alpha %{{text}}: %{{y:.2f}}<extra></extra>"))
            fig.add_hline(y=0, line=dict(color=PALETTE[7], width=1))
            fig.update_layout(**BASE_LAYOUT, showlegend=True,
                              xaxis=dict(type="log", autorange="reversed",
                                         title=dict(text="alpha (log scale, growing to the left)", standoff=6)),
                              yaxis=dict(title=dict(text="lasso coefficient", standoff=6)))
            return fig

        order = self._order(result)
        drop_table = Table(["Drops out", "Feature", "Zero for every alpha above", "Zero again at a smaller alpha"],
                           [[str(k + 1), f"{f} ({FEATURES[f]})", fmt(result["drop"][f]),
                             "yes" if result["returns"][f] else "no"] for k, f in enumerate(order)], numeric=(0, 2))
        path = Table(["Alpha (knot)"] + names, [[fmt(a)] + [fmt(c) for c in row] for a, row in zip(knots, coefs)],
                     numeric=tuple(range(len(names) + 1)), cls="ll-table--wide")
        cv = result["cv"]
        cv_table = Table(["Fold shuffle (seed)", "Chosen alpha", "Features kept"],
                         [[str(s), fmt(c["alpha"]), str(c["kept"])] for s, c in enumerate(cv)], numeric=(0, 1, 2))
        alt = (f"Line chart of the {len(names)} lasso coefficients along the exact path, alpha from "
               f"{fmt(knots[0])} (all zero) down to least squares. Features drop out as alpha grows in this order: "
               + ", ".join(f"{f} above {fmt(result['drop'][f])}" for f in order) + ".")
        code = ("from sklearn.datasets import load_diabetes\n"
                "from sklearn.linear_model import LassoCV, lars_path\n"
                "from sklearn.model_selection import KFold\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_diabetes(scaled=False)\n"
                "x = StandardScaler().fit_transform(data.data)\n"
                "y = data.target - data.target.mean()\n"
                "alphas, _, coefs = lars_path(x, y, method=\"lasso\")   # the exact path, knot by knot\n"
                "for name, row in zip(data.feature_names, coefs):\n"
                "    print(name, alphas[(row != 0).argmax() - 1])        # zero for every alpha above this\n"
                f"for seed in range({spec.shuffles}):\n"
                f"    cv = LassoCV(cv=KFold({spec.folds}, shuffle=True, random_state=seed), max_iter=100_000)\n"
                "    cv.fit(x, data.target)\n"
                "    print(seed, cv.alpha_, (cv.coef_ != 0).sum())\n")
        lo, hi = min(c["alpha"] for c in cv), max(c["alpha"] for c in cv)
        kept = sorted({c["kept"] for c in cv})
        return [
            Html(f"<p>All {result['samples']:,} patients, {len(names)} standardised features. As alpha grows, "
                 f"<strong>{order[0]}</strong> drops out first and <strong>{order[-1]}</strong> last. Over "
                 f"{spec.shuffles} shuffles of the {spec.folds} folds, cross-validation chooses alphas from {fmt(lo)} to "
                 f"{fmt(hi)}, keeping " + (f"{kept[0]}" if len(kept) == 1 else f"{kept[0]} to {kept[-1]}")
                 + " features.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=path, height=400, anchor="path",
                   default_caption="The lasso's coefficients along its exact path, knot by knot: read from the right "
                                   "(the last points, alpha 0, are least squares) to the left, where one feature after "
                                   "another reaches zero."),
            drop_table,
            cv_table,
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
