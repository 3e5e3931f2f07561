"""The error-measures kind: mean squared error, its root and the mean absolute error of a linear regression on the
diabetes data, and how much of each the largest misses make up."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt, percent
from ._claims import Names
from ._data import NOTE
from ._penalty import error_measures

NAMES = Names("write e.g. 'top_sq > top_abs', 'rmse > mae' or 'mse < baseline_mse'",
              mse=("the mean squared error", 0, False), rmse=("the root mean squared error", 0, False),
              mae=("the mean absolute error", 0, False), baseline_mse=("the training mean's mean squared error", 0, False),
              baseline_mae=("the training mean's mean absolute error", 0, False),
              top_sq=("the largest misses' share of the squared error", 0, False),
              top_abs=("the largest misses' share of the absolute error", 0, False),
              splits_sq_min=("the lowest share of the squared error over the split seeds", 0, False),
              splits_abs_max=("the highest share of the absolute error over the split seeds", 0, False))
MEASURES = {"mse": "Mean squared error (MSE)", "rmse": "Root mean squared error (RMSE)", "mae": "Mean absolute error (MAE)"}
DECIMALS = {"mse": 0, "rmse": 1, "mae": 1}   # a split alone moves the MSE by hundreds: no false precision


def shown(m: str, v: float) -> str:
    """A measure as the page writes it: the MSE to a whole number, the RMSE and MAE to one decimal."""
    return f"{v:,.{DECIMALS[m]}f}".replace("-", "−")


def as_value(m: str, v: float) -> Value:
    return Value(shown(m, v), v)


class ErrorMeasures(Kind):
    """The mean squared error (MSE), its square root (RMSE) and the mean absolute error (MAE) of a least-squares
    linear regression on scikit-learn's diabetes data, and the share of each that the largest misses make up.

    The ten standardised features of the 442 patients are split once (`train_test_split`, `test_size`, `seed`);
    `LinearRegression` learns on the training part and predicts the validation part. The three measures are
    computed from the misses (true minus predicted) and the tests check them against `sklearn.metrics`; beside
    them, the same measures for always predicting the training mean. The largest `top` share of the misses (by
    size, rounded up to whole patients) is then weighed: its share of the summed squared errors against its share
    of the summed absolute errors, on this split and over split seeds 0 … 49. The figure draws both shares as the
    misses are added largest first.
    """

    example = "top: 0.1\nexpect:\n  - top_sq > top_abs\n  - rmse > mae"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        top=opt.number("The share of the largest misses weighed (0.1: the largest tenth).", default=0.1, min=0.01,
                       max=0.5),
        test_size=opt.number("The share of the patients held out as the validation split.", default=0.25, min=0.1,
                             max=0.5),
        seed=opt.seed("The seed of the split (`random_state`).", default=0),
        expect=opt.claims("[Claims](#claims): `top_sq > top_abs`, `rmse > mae`, `mse < baseline_mse`. Names: mse, rmse, "
                          "mae, baseline_mse, baseline_mae, top_sq, top_abs, splits_sq_min, splits_abs_max."),
        caption=opt.caption("“How much of each error the largest misses make up …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]

    def anchor_hint(self, spec):
        return "mse mae diabetes"

    def compute(self, kv, spec):
        return error_measures(spec.test_size, spec.seed, spec.top)

    def _lookup(self, spec, result, name, args=()):
        if name.startswith("baseline_"):
            return result["baseline"][name[9:]]
        if name == "splits_sq_min":
            return min(result["splits_sq"])
        if name == "splits_abs_max":
            return max(result["splits_abs"])
        return result[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    @value("The mean squared error on the validation split, in squared units of the target (to a whole number: "
           "the split alone moves it by far more).")
    def mse(self, spec, result):
        return as_value("mse", result["mse"])

    @value("Its square root (RMSE), in the target's units (to one decimal).")
    def rmse(self, spec, result):
        return as_value("rmse", result["rmse"])

    @value("The mean absolute error on the validation split, in the target's units (to one decimal).")
    def mae(self, spec, result):
        return as_value("mae", result["mae"])

    @value("A measure of always predicting the training mean: `baseline(mse)`, `baseline(rmse)` or `baseline(mae)`.")
    def baseline(self, spec, result, measure):
        m = str(measure).strip()
        if m not in MEASURES:
            raise LexiconError(f"'{measure}' is not a measure of the block", fix="name mse, rmse or mae")
        return as_value(m, result["baseline"][m])

    @value("The largest misses' share of the summed squared errors, as a percentage: `top_sq`.")
    def top_sq(self, spec, result):
        return Value(percent(result["top_sq"]), result["top_sq"])

    @value("The largest misses' share of the summed absolute errors, as a percentage: `top_abs`.")
    def top_abs(self, spec, result):
        return Value(percent(result["top_abs"]), result["top_abs"])

    @value("The range of a share over the split seeds: `splits(sq, min)`, `splits(abs, max)`.")
    def splits(self, spec, result, which, end):
        key, end = {"sq": "splits_sq", "abs": "splits_abs"}.get(str(which).strip()), str(end).strip()
        if key is None or end not in ("min", "max"):
            raise LexiconError(f"cannot read splits({which}, {end})", fix="write e.g. splits(sq, min) or splits(abs, max)")
        v = (min if end == "min" else max)(result[key])
        return Value(percent(v), v)

    @value("A count: `count(top)` (the largest misses weighed), `count(validation)`, `count(train)` or "
           "`count(splits)`.")
    def count(self, spec, result, what):
        counts = {"top": result["top"], "validation": result["validation"], "train": result["train"],
                  "splits": result["splits"]}
        if str(what).strip() not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(counts))
        n = counts[str(what).strip()]
        return Value(f"{n:,}", n)

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        sizes = sorted((abs(e) for e in result["misses"]), reverse=True)
        sq_total, ab_total = sum(a * a for a in sizes), sum(sizes)
        cum_sq, cum_ab, s, a = [], [], 0.0, 0.0
        for m in sizes:
            s, a = s + m * m, a + m
            cum_sq.append(s / sq_total)
            cum_ab.append(a / ab_total)
        n = len(sizes)
        xs = [(k + 1) / n for k in range(n)]

        def figure():
            fig = go.Figure([
                go.Scatter(x=xs, y=cum_sq, mode="lines", name="share of the squared error",
                           line=dict(color=PALETTE[0], width=2), hovertemplate="largest %{x:.0%}: %{y:.1%}<extra></extra>"),
                go.Scatter(x=xs, y=cum_ab, mode="lines", name="share of the absolute error",
                           line=dict(color=PALETTE[1], width=2, dash="dash"),
                           hovertemplate="largest %{x:.0%}: %{y:.1%}<extra></extra>")])
            fig.add_vline(x=result["top"] / n, line=dict(color=PALETTE[7], width=1, dash="dot"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="share of the misses, largest first", standoff=6),
                                                          tickformat=".0%"),
                              yaxis=dict(title=dict(text="share of the total error", standoff=6), tickformat=".0%"))
            return fig

        table = Table(["Largest misses", "Miss (true − predicted, absolute)", "Share of the squared error",
                       "Share of the absolute error"],
                      [[f"{k + 1:,}", fmt(m), percent(q), percent(b)]
                       for k, (m, q, b) in enumerate(zip(sizes, cum_sq, cum_ab))], numeric=(0, 1, 2, 3))
        measures = Table(["Measure", "Linear regression", "Always the training mean"],
                         [[label, shown(m, result[m]), shown(m, result["baseline"][m])] for m, label in MEASURES.items()],
                         numeric=(1, 2))
        alt = (f"Line chart: the {n} validation misses added largest first. The largest {result['top']} make up "
               f"{percent(result['top_sq'])} of the squared error and {percent(result['top_abs'])} of the absolute error.")
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_diabetes\n"
                "from sklearn.linear_model import LinearRegression\n"
                "from sklearn.metrics import mean_absolute_error, mean_squared_error\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_diabetes(scaled=False)\n"
                "x_train, x_val, y_train, y_val = train_test_split(\n"
                f"    data.data, data.target, test_size={spec.test_size:g}, random_state={spec.seed})\n"
                "scaler = StandardScaler().fit(x_train)   # fitted on the training part only\n"
                "x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)\n"
                "pred = LinearRegression().fit(x_train, y_train).predict(x_val)\n"
                "mse = mean_squared_error(y_val, pred)\n"
                "print(mse, np.sqrt(mse), mean_absolute_error(y_val, pred))\n"
                f"miss = np.sort(np.abs(y_val - pred))[::-1][:{result['top']}]   # the largest misses\n"
                "print((miss ** 2).sum() / ((y_val - pred) ** 2).sum(), miss.sum() / np.abs(y_val - pred).sum())\n")
        lo_sq, hi_sq = min(result["splits_sq"]), max(result["splits_sq"])
        lo_ab, hi_ab = min(result["splits_abs"]), max(result["splits_abs"])
        return [
            Html(f"<p>{result['train']:,} patients train a least-squares linear regression; it predicts the other "
                 f"{result['validation']:,}. Over {result['splits']} split seeds, the largest "
                 f"{result['top']:,} of the {result['validation']:,} misses make up {percent(lo_sq)} to {percent(hi_sq)} of the squared error "
                 f"and {percent(lo_ab)} to {percent(hi_ab)} of the absolute error.</p>"),
            measures,
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=360, anchor="shares",
                   default_caption="How much of each error the largest misses make up: the squared error (solid) piles up "
                                   "on the few largest misses; dashed: the absolute error; dotted: the largest misses weighed."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
