"""The ridge-correlated kind: ridge against least squares on two strongly correlated diabetes features, their
coefficients and how much those vary over bootstrap resamples, and the alpha RidgeCV chooses."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._claims import Names
from ._data import FEATURES, NOTE
from ._penalty import PAIR, ridge_correlated

ALPHAS_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
                 "minItems": 1, "maxItems": 6, "uniqueItems": True}
NAMES = Names("write e.g. 'corr > 0.8', 'sd(ols, s1) > sd(10, s1)' or 'coef(ols, s1) < coef(10, s1)'; a model is ols "
              "or one of the block's alphas",
              corr=("the correlation of s1 and s2", 0, False),
              coef=("the {1} coefficient of {0}", 2, False),
              zeros=("the number of coefficients of {0} that are exactly zero", 1, True),
              sd=("the standard deviation of {0}'s {1} coefficient over the resamples", 2, False))


class RidgeCorrelated(Kind):
    """Ridge regression against least squares on scikit-learn's diabetes data, where total cholesterol (s1) and
    LDL cholesterol (s2) are strongly correlated: their correlation, every coefficient of each model, how much
    the s1 and s2 coefficients vary over bootstrap resamples, and the alpha `RidgeCV` chooses.

    All 442 patients, ten standardised features. Least squares is `LinearRegression`; each alpha of `alphas` is
    a `Ridge(alpha)`. `resamples` bootstrap resamples of the patients (`RandomState(seed)`, the same for every
    model) are fitted again: the mean and standard deviation of the s1 and s2 coefficients over them. `RidgeCV`
    chooses alpha from 26 values from 0.01 to 1,000 (log-spaced) by leave-one-out (its default, exact and
    without randomness) and by `KFold(folds, shuffle=True, random_state=s)` for s = 0 … `shuffles` − 1.
    """

    example = "alphas: [10, 100]\nresamples: 20\nshuffles: 3\nexpect:\n  - sd(ols, s1) > sd(100, s1)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        alphas=opt.raw("The ridge penalties shown beside least squares.", ALPHAS_SCHEMA, "list of 1–6 different numbers",
                       default=[1, 10, 100], convert=lambda v: sorted(v)),
        resamples=opt.integer("How many bootstrap resamples of the patients (0: none).", default=0, min=0, max=300),
        seed=opt.seed("The seed of the resamples.", default=0),
        folds=opt.integer("The folds of the k-fold `RidgeCV`.", default=5, min=2, max=20),
        shuffles=opt.integer("How many shuffles of the folds the k-fold `RidgeCV` is run on.", default=10, min=1,
                             max=20),
        expect=opt.claims("[Claims](#claims): `corr > 0.8`, `sd(ols, s1) > sd(10, s1)`, `coef(ols, s1) < coef(10, s1)`. "
                          "Names: corr, coef(model, feature), zeros(model), sd(model, s1 or s2); a model is ols or an alpha."),
        caption=opt.caption("“Least squares against ridge …”"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._args(spec, name, (list(args) + ["s1"])[:2]) if args else None)

    def anchor_hint(self, spec):
        return "ridge correlated s1 s2"

    def compute(self, kv, spec):
        return ridge_correlated(spec.alphas, spec.resamples, spec.seed, spec.folds, spec.shuffles)

    def _args(self, spec, name, args) -> tuple[str, str]:
        model, feature = str(args[0]).strip(), str(args[1]).strip()
        models = ["ols"] + [f"{a:g}" for a in spec.alphas]
        if model not in models:
            raise LexiconError(f"'{model}' is not a model of the block", fix="name one of: " + ", ".join(models))
        allowed = PAIR if name == "sd" else tuple(FEATURES)
        if feature not in allowed:
            raise LexiconError(f"'{feature}' is not a feature {name} can read", fix="name one of: " + ", ".join(allowed))
        return model, feature

    def _lookup(self, spec, result, name, args):
        if name == "corr":
            return result["corr"]
        if name == "zeros":
            model = self._args(spec, name, (args[0], "s1"))[0]
            return sum(c == 0 for c in result["coef"][model])
        model, feature = self._args(spec, name, args)
        if name == "coef":
            return result["coef"][model][result["features"].index(feature)]
        if not spec.resamples:
            raise LexiconError("sd needs the bootstrap resamples", fix="add e.g. 'resamples: 100'")
        return result["boot"][model]["std"][PAIR.index(feature)]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    @value("The correlation of s1 and s2 over the patients (Pearson's).")
    def corr(self, spec, result):
        return Value(fmt(result["corr"]), result["corr"])

    @value("One coefficient: `coef(ols, s1)` or `coef(10, s2)` (a model is ols or one of the block's alphas).")
    def coef(self, spec, result, model, feature):
        v = self._lookup(spec, result, "coef", (model, feature))
        return Value(fmt(v), v)

    @value("How many of a model's coefficients are exactly zero: `zeros(100)`.")
    def zeros(self, spec, result, model):
        n = self._lookup(spec, result, "zeros", (model,))
        return Value(str(n), n)

    @value("The standard deviation of the s1 or s2 coefficient over the resamples: `sd(ols, s1)`.")
    def sd(self, spec, result, model, feature):
        v = self._lookup(spec, result, "sd", (model, feature))
        return Value(fmt(v), v)

    @value("The alpha RidgeCV chooses by leave-one-out: `loo`.")
    def loo(self, spec, result):
        return Value(fmt(result["loo"]), result["loo"])

    @value("The range of the alphas k-fold RidgeCV chooses over the shuffles: `kfold(min)`, `kfold(max)`.")
    def kfold(self, spec, result, end):
        end = str(end).strip()
        if end not in ("min", "max"):
            raise LexiconError(f"cannot read kfold({end})", fix="write kfold(min) or kfold(max)")
        v = (min if end == "min" else max)(result["kfold"])
        return Value(fmt(v), v)

    @value("A count: `count(resamples)`, `count(shuffles)`, `count(folds)` or `count(samples)`.")
    def count(self, spec, result, what):
        counts = {"resamples": spec.resamples, "shuffles": spec.shuffles, "folds": spec.folds,
                  "samples": result["samples"]}
        if str(what).strip() not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(counts))
        return Value(f"{counts[str(what).strip()]:,}", counts[str(what).strip()])

    def render(self, spec, result, ctx):
        models = ["ols"] + [f"{a:g}" for a in spec.alphas]
        label = {"ols": "least squares", **{m: f"ridge, alpha {m}" for m in models[1:]}}
        coefs = Table(["Feature"] + [label[m] for m in models],
                      [[f"{f} ({FEATURES[f]})"] + [fmt(result["coef"][m][j]) for m in models]
                       for j, f in enumerate(result["features"])], numeric=tuple(range(1, len(models) + 1)))
        boot = [] if not spec.resamples else [Html(
            f"<p>The s1 and s2 coefficients over {spec.resamples} bootstrap resamples of the patients:</p>"), Table(["Model", "s1: mean", "s1: standard deviation", "s2: mean", "s2: standard deviation"],
                     [[label[m], fmt(result["boot"][m]["mean"][0]), fmt(result["boot"][m]["std"][0]),
                       fmt(result["boot"][m]["mean"][1]), fmt(result["boot"][m]["std"][1])] for m in models],
                     numeric=(1, 2, 3, 4))]
        lo, hi = min(result["kfold"]), max(result["kfold"])
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_diabetes\n"
                "from sklearn.linear_model import LinearRegression, Ridge, RidgeCV\n"
                "from sklearn.model_selection import KFold\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_diabetes(scaled=False)\n"
                "print(np.corrcoef(data.data[:, 4], data.data[:, 5])[0, 1])   # s1 and s2\n"
                "x, y = StandardScaler().fit_transform(data.data), data.target\n"
                f"models = [LinearRegression()] + [Ridge(alpha=a) for a in {[float(a) for a in spec.alphas]}]\n"
                "print([m.fit(x, y).coef_[[4, 5]] for m in models])\n"
                + (f"rng = np.random.RandomState({spec.seed})\n"
                   f"samples = [rng.randint(0, len(y), len(y)) for _ in range({spec.resamples})]\n"
                   "for m in models:   # the s1 and s2 coefficients over the resamples\n"
                   "    c = np.array([m.fit(x[b], y[b]).coef_[[4, 5]] for b in samples])\n"
                   "    print(m, c.mean(axis=0), c.std(axis=0))\n" if spec.resamples else "")
                + "grid = np.logspace(-2, 3, 26)\n"
                "print(RidgeCV(alphas=grid).fit(x, y).alpha_)   # leave-one-out\n"
                f"print([RidgeCV(alphas=grid, cv=KFold({spec.folds}, shuffle=True, random_state=s)).fit(x, y).alpha_\n"
                f"       for s in range({spec.shuffles})])\n")
        return ([Caption(spec.caption)] if spec.caption else []) + [
            Html(f"<p>All {result['samples']:,} patients. Total cholesterol (s1) and LDL cholesterol (s2) have a "
                 f"correlation of <strong>{fmt(result['corr'])}</strong>. RidgeCV chooses alpha {fmt(result['loo'])} by "
                 f"leave-one-out, and from {fmt(lo)} to {fmt(hi)} by {spec.folds}-fold cross-validation over "
                 f"{spec.shuffles} shuffles of the folds.</p>"),
            coefs,
            *boot,
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
