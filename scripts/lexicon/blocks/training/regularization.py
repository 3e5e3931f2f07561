"""The regularization kind: ridge (L2) and lasso (L1) coefficients on the diabetes data against alpha."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import BASE_LAYOUT, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import NOTE, penalised
from ._penalty import ridge_wins

ALPHAS_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
                 "minItems": 2, "maxItems": 12, "uniqueItems": True}
MODELS = {"ridge": "ridge (L2)", "lasso": "lasso (L1)"}
NAMES = Names("write e.g. 'zeros(lasso, 10) > 3', 'norm(ridge, 100) < norm(ridge, 1)', 'r2(lasso, 1) > r2(lasso, 100)' "
              "or 'zeros(ridge, 100) = 0'; the first argument is ridge or lasso, the second an alpha of the block",
              zeros=("the number of zero coefficients of {0} at alpha {1}", 2, True),
              norm=("the length (L2 norm) of {0}'s coefficients at alpha {1}", 2, False),
              r2=("the validation R² of {0} at alpha {1}", 2, False),
              coef=("the {0} coefficient of {1} at alpha {2}", 3, False),
              ols_norm=("the length of the unpenalised coefficients", 0, False),
              ols_r2=("the validation R² of unpenalised least squares", 0, False),
              ridge_wins=("on how many split seeds the ridge at alpha {0} beats least squares", 1, True))


class Regularization(Kind):
    """Ridge (L2) and lasso (L1) regression on scikit-learn's diabetes data as the penalty `alpha` grows:
    the coefficients shrink, the lasso sets some exactly to zero, and the validation R² shows when the
    penalty starts to cost accuracy.

    The 442 patients are split once (`train_test_split`, `test_size`, `seed`) and their 10 features standardised
    by a `StandardScaler` fitted on the training part only. At each alpha, `Ridge(alpha)` and `Lasso(alpha)` are
    fitted on the training part; the block counts the coefficients that are exactly zero, measures
    their length (L2 norm) and scores R² on the validation part, beside unpenalised
    `LinearRegression`. scikit-learn scales the two penalties differently (the lasso's squared error
    is divided by twice the number of samples, the ridge's is not), so the same alpha is not the same
    strength for both: compare each model along its own path. The figures draw each model's
    coefficients against alpha (log scale). With `splits: 200`, the ridge at each alpha is also compared with
    least squares on the splits of seeds 0 … 199: on how many its validation R² is higher (`ridge_wins(100)`).
    """

    example = "alphas: [0.1, 1, 10, 100, 1000]\nexpect:\n  - zeros(lasso, 10) > 3\n  - zeros(ridge, 1000) = 0"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        alphas=opt.raw("The penalty strengths compared (more than 0).", ALPHAS_SCHEMA, "list of 2–12 different numbers",
                       default=[0.01, 0.1, 1, 10, 100, 1000], convert=lambda v: sorted(v)),
        test_size=opt.number("The share of the patients held out as the validation split.", default=0.25, min=0.1,
                             max=0.5),
        seed=opt.seed("The seed of the split (`random_state`).", default=0),
        splits=opt.integer("How many split seeds (0 … splits − 1) the ridge is compared with least squares on "
                           "(0: none).", default=0, min=0, max=500),
        expect=opt.claims("[Claims](#claims): `zeros(lasso, 10) > 3`, `norm(ridge, 100) < norm(ridge, 1)`, "
                          "`r2(lasso, 1) > r2(lasso, 100)`, `coef(lasso, s2, 2) < 0`. Names: zeros, norm, r2 (each with a "
                          "model and an alpha), coef (a model, a feature, an alpha), ols_norm, ols_r2, ridge_wins (an "
                          "alpha; needs `splits`)."),
        caption=opt.caption("“The lasso's coefficients against alpha …”"),
        figure=opt.show_figure("Show the figures (their numbers are then folded under them)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._at(spec, "ridge" if name == "ridge_wins" else args[0], args[-1])
                       if args else None)
        if not spec.splits and any(t[0] == "quantity" and t[1] == "ridge_wins" for c in spec.parsed for t in (c[0], c[2])):
            raise LexiconError("ridge_wins needs the repeated splits", fix="add e.g. 'splits: 200'")

    def anchor_hint(self, spec):
        return "ridge lasso diabetes"

    def compute(self, kv, spec):
        out = penalised(spec.alphas, spec.test_size, spec.seed)
        return {**out, "over": ridge_wins(spec.alphas, spec.test_size, spec.splits)} if spec.splits else out

    # --- reading the result ---------------------------------------------------------------------------
    def _at(self, spec, model, alpha) -> tuple[str, int]:
        model = str(model).strip()
        if model not in MODELS:
            raise LexiconError(f"'{model}' is not a model of the block", fix="name ridge or lasso")
        i = next((i for i, a in enumerate(spec.alphas) if f"{a:g}" == str(alpha).strip()), None)
        if i is None:
            raise LexiconError(f"'{alpha}' is not one of the block's alphas",
                               fix="name one of: " + ", ".join(f"{a:g}" for a in spec.alphas))
        return model, i

    def _lookup(self, spec, result, name, args):
        if name == "ridge_wins":
            return result["over"]["wins"][self._at(spec, "ridge", args[0])[1]]
        if name in ("ols_norm", "ols_r2"):
            return result["ols"][name[4:]]
        if name == "coef":
            return self._coef(spec, result, *args)
        model, i = self._at(spec, *args)
        return result[model][i][name]

    def _coef(self, spec, result, model, feature, alpha) -> float:
        model, i = self._at(spec, model, alpha)
        feature = str(feature).strip()
        if feature not in result["features"]:
            raise LexiconError(f"'{feature}' is not a feature of the diabetes data",
                               fix="name one of: " + ", ".join(result["features"]))
        return result[model][i]["coef"][result["features"].index(feature)]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    # --- values for prose -----------------------------------------------------------------------------
    @value("How many of a model's coefficients are exactly zero at an alpha: `zeros(lasso, 10)`.")
    def zeros(self, spec, result, model, alpha):
        n = self._lookup(spec, result, "zeros", (model, alpha))
        return Value(str(n), n)

    @value("The length (L2 norm) of a model's coefficients at an alpha: `norm(ridge, 100)`.")
    def norm(self, spec, result, model, alpha):
        v = self._lookup(spec, result, "norm", (model, alpha))
        return Value(fmt(v), v)

    @value("R² on the validation split at an alpha: `r2(lasso, 1)`.")
    def r2(self, spec, result, model, alpha):
        v = self._lookup(spec, result, "r2", (model, alpha))
        return Value(fmt(v), v)

    @value("The length of the unpenalised least-squares coefficients.")
    def ols_norm(self, spec, result):
        return Value(fmt(result["ols"]["norm"]), result["ols"]["norm"])

    @value("R² of unpenalised least squares on the validation split.")
    def ols_r2(self, spec, result):
        return Value(fmt(result["ols"]["r2"]), result["ols"]["r2"])

    @value("One coefficient of a model at an alpha, by the feature's scikit-learn name: `coef(lasso, s2, 2)`; "
           "exactly zero is written 0.")
    def coef(self, spec, result, model, feature, alpha):
        c = self._coef(spec, result, model, feature, alpha)
        return Value("0", 0.0) if c == 0 else Value(fmt(c), c)

    @value("On how many of the `splits` split seeds the ridge at an alpha has a higher validation R² than least "
           "squares: `ridge_wins(100)`.")
    def ridge_wins(self, spec, result, alpha):
        if not spec.splits:
            raise LexiconError("ridge_wins needs the repeated splits", fix="add e.g. 'splits: 200'")
        n = self._lookup(spec, result, "ridge_wins", (alpha,))
        return Value(f"{n:,}", n)

    @value("How many split seeds `ridge_wins` counts over: `splits`.")
    def splits(self, spec, result):
        if not spec.splits:
            raise LexiconError("there are no repeated splits", fix="add e.g. 'splits: 200'")
        return Value(f"{spec.splits:,}", spec.splits)

    @value("The number of features (coefficients) of each model.")
    def features(self, spec, result):
        return Value(str(len(result["features"])), len(result["features"]))

    @value("The k-th alpha, smallest first: `alpha(2)`.")
    def alpha(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.alphas):
            raise LexiconError(f"there is no alpha '{k}'", fix=f"name 1 to {len(spec.alphas)} (smallest first)")
        a = spec.alphas[int(k) - 1]
        return Value(f"{a:g}", a)

    # --- rendering ------------------------------------------------------------------------------------
    def _path(self, spec, result, model):
        import plotly.graph_objects as go

        fig = go.Figure()
        for j, name in enumerate(result["features"]):
            fig.add_trace(go.Scatter(
                x=spec.alphas, y=[r["coef"][j] for r in result[model]], mode="lines+markers", name=name,
                line=dict(color=PALETTE[j % len(PALETTE)], width=1.5, dash=("solid", "dash")[j // len(PALETTE)]),
                hovertemplate=f"{name}, alpha %{{x:g}}: %{{y:.4f}}<extra></extra>"))
        fig.add_hline(y=0, line=dict(color=PALETTE[7], width=1))
        fig.update_layout(**BASE_LAYOUT, showlegend=True,
                          xaxis=dict(type="log", title=dict(text="alpha (log scale)", standoff=6)),
                          yaxis=dict(title=dict(text=f"{MODELS[model]} coefficient", standoff=6)))
        return fig

    def render(self, spec, result, ctx):
        names = result["features"]
        summary = Table(["Alpha", "Ridge: zeros", "Ridge: length", "Ridge: R²", "Lasso: zeros", "Lasso: length",
                         "Lasso: R²"],
                        [[f"{a:g}", str(r["zeros"]), fmt(r["norm"]), fmt(r["r2"]), str(s["zeros"]), fmt(s["norm"]),
                          fmt(s["r2"])] for a, r, s in zip(spec.alphas, result["ridge"], result["lasso"])]
                        + [["none (least squares)", "0", fmt(result["ols"]["norm"]), fmt(result["ols"]["r2"]),
                            "0", fmt(result["ols"]["norm"]), fmt(result["ols"]["r2"])]], numeric=tuple(range(1, 7)),
                        cls="ll-table--wide")

        def coefs(model):
            return Table(["Alpha"] + names, [[f"{a:g}"] + [fmt(c) for c in r["coef"]]
                                             for a, r in zip(spec.alphas, result[model])], numeric=tuple(range(1, 11)),
                         cls="ll-table--wide")

        def alt(model):
            return (f"Line chart of the {len(names)} {MODELS[model]} coefficients against alpha, "
                    f"{spec.alphas[0]:g} to {spec.alphas[-1]:g} on a log scale. "
                    + " ".join(f"At alpha {a:g}: {r['zeros']} of {len(names)} coefficients are zero"
                       + (" (" + ", ".join(n for n, c in zip(names, r["coef"]) if c == 0) + ")" if 0 < r["zeros"] < len(names)
                          else "") + f", length {fmt(r['norm'])}." for a, r in zip(spec.alphas, result[model])))
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_diabetes\n"
                "from sklearn.linear_model import Lasso, LinearRegression, Ridge\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_diabetes(scaled=False)\n"
                "x_train, x_val, y_train, y_val = train_test_split(\n"
                f"    data.data, data.target, test_size={spec.test_size:g}, random_state={spec.seed})\n"
                "scaler = StandardScaler().fit(x_train)   # fitted on the training part only\n"
                "x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)\n"
                "plain = LinearRegression().fit(x_train, y_train)\n"
                "print('least squares', np.linalg.norm(plain.coef_), plain.score(x_val, y_val))\n"
                f"for alpha in {[float(a) for a in spec.alphas]}:\n"
                "    for model in (Ridge(alpha=alpha), Lasso(alpha=alpha, max_iter=100_000)):\n"
                "        model.fit(x_train, y_train)\n"
                "        print(alpha, type(model).__name__, (model.coef_ == 0).sum(),\n"
                "              np.linalg.norm(model.coef_), model.score(x_val, y_val))\n")
        return [
            Html(f"<p>{result['train']:,} patients train each model and {result['validation']:,} validate it; "
                 f"{len(names)} features, standardised on the training patients, one coefficient each. Unpenalised least "
                 f"squares scores R² {fmt(result['ols']['r2'])} on the validation split."
                 + (f" On the splits of {spec.splits:,} seeds, the ridge scores a higher validation R² than least squares "
                    "on " + ", ".join(f"{n:,} (alpha {a:g})" for a, n in zip(spec.alphas, result["over"]["wins"]))
                    + "." if spec.splits else "") + "</p>"),
            Table(summary.headers, summary.rows, numeric=summary.numeric),
            Figure(lambda: self._path(spec, result, "lasso"), alt=alt("lasso"), caption=spec.caption,
                   table=coefs("lasso"), height=380, anchor="lasso",
                   default_caption="The lasso's coefficients against alpha: they reach exactly zero (and one can leave zero again)."),
            Figure(lambda: self._path(spec, result, "ridge"), alt=alt("ridge"), table=coefs("ridge"), height=380,
                   anchor="ridge", always=True,
                   default_caption="The ridge's coefficients against alpha: their length shrinks; single ones can grow or change "
                                   "sign, none is held at zero."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
