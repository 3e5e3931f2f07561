"""The linear-fit kind: a linear regression on the diabetes data, judged on a validation split by R² and mean
absolute error, beside the baseline that always predicts the mean."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import FEATURES, NOTE, linear_fit

FEATURES_SCHEMA = {"type": "array", "items": {"enum": list(FEATURES)}, "minItems": 1, "maxItems": 10, "uniqueItems": True}
NAMES = Names("write e.g. 'r2 > 0.3', 'mae < baseline_mae' or 'coef(bmi) > coef(age)'",
              r2=("the R² on the validation split", 0, False), mae=("the mean absolute error", 0, False),
              baseline_mae=("the mean absolute error of always predicting the training mean", 0, False),
              baseline_r2=("the R² of always predicting the training mean", 0, False),
              coef=("the coefficient of {0}", 1, False))


class LinearFit(Kind):
    """A linear regression (`LinearRegression`) fitted on a training split of scikit-learn's diabetes data and
    scored on the validation split it never saw: R² (`r2_score`), the mean absolute error
    (`mean_absolute_error`) and the mean squared error, beside the baseline that always predicts the
    training split's mean (`DummyRegressor`).

    The ten features (age, sex, body mass index, blood pressure and six blood measurements) are standardised
    (a `StandardScaler` fitted on the training split only), so each coefficient is the change in the predicted disease progression for one standard deviation of its
    feature. `features` picks the ones the model may use (all ten by default). The split is
    `train_test_split(test_size, random_state=seed)`. The figure plots each validation patient's prediction
    against the true value: a perfect model puts every point on the diagonal.
    """

    example = "features: [bmi, s5]\nexpect:\n  - mae < baseline_mae\n  - r2 > 0.2"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        features=opt.raw("The diabetes features the model uses, by scikit-learn's names (`age`, `sex`, `bmi`, `bp`, "
                         "`s1` … `s6`).", FEATURES_SCHEMA, "list of feature names", default_doc="all ten", convert=list),
        test_size=opt.number("The share of the patients held out as the validation split.", default=0.25, min=0.1,
                             max=0.5),
        seed=opt.seed("The seed of the split (`random_state`).", default=0),
        expect=opt.claims("[Claims](#claims): `r2 > 0.3`, `mae < baseline_mae`, `coef(bmi) > coef(age)`. Names: r2, "
                          "mae, baseline_mae, baseline_r2, coef(feature)."),
        caption=opt.caption("“Predicted against true disease progression of the … validation patients …”"),
        figure=opt.show_figure("Show the scatter plot (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._feature(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return "linear fit " + " ".join(spec.features or ["all"])

    def compute(self, kv, spec):
        return linear_fit(spec.features, spec.test_size, spec.seed)

    def _feature(self, spec, text) -> str:
        name = str(text).strip()
        if name not in (spec.features or list(FEATURES)):
            raise LexiconError(f"'{text}' is not one of the block's features",
                               fix="name one of: " + ", ".join(spec.features or FEATURES))
        return name

    def _lookup(self, spec, result, name, args):
        if name == "coef":
            return result["coef"][result["features"].index(self._feature(spec, args[0]))]
        return result[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    @value("The R² on the validation split (`r2_score`): 1 is perfect, 0 no better than predicting the mean.")
    def r2(self, spec, result):
        return Value(fmt(result["r2"]), result["r2"])

    @value("The mean absolute error on the validation split, in the target's units.")
    def mae(self, spec, result):
        return Value(fmt(result["mae"]), result["mae"])

    @value("The mean squared error on the validation split, in the target's units squared.")
    def mse(self, spec, result):
        return Value(fmt(result["mse"]), result["mse"])

    @value("The mean absolute error of always predicting the training split's mean.")
    def baseline_mae(self, spec, result):
        return Value(fmt(result["baseline_mae"]), result["baseline_mae"])

    @value("The mean squared error of always predicting the training split's mean.")
    def baseline_mse(self, spec, result):
        return Value(fmt(result["baseline_mse"]), result["baseline_mse"])

    @value("The root of the mean squared error on the validation split (RMSE), in the target's units.")
    def rmse(self, spec, result):
        return Value(fmt(result["mse"] ** 0.5), result["mse"] ** 0.5)

    @value("The R² on the training split the model learned from.")
    def train_r2(self, spec, result):
        return Value(fmt(result["train_r2"]), result["train_r2"])

    @value("The mean R² over the splits of seeds 0 … 199: `splits_r2(validation)` or `splits_r2(train)`.")
    def splits_r2(self, spec, result, which):
        key = {"validation": "splits_r2", "train": "splits_train_r2"}.get(str(which).strip())
        if key is None:
            raise LexiconError(f"'{which}' is not a split", fix="name validation or train")
        return Value(fmt(result[key]), result[key])

    @value("How many of the splits of seeds 0 … 199 give a lower validation R² than this block's split.")
    def splits_below(self, spec, result):
        return Value(f"{result['splits_below']:,}", result["splits_below"])

    @value("The number of split seeds `splits_r2` averages over (200).")
    def splits(self, spec, result):
        return Value(f"{result['splits']:,}", result["splits"])

    @value("The R² of always predicting the training split's mean (close to 0).")
    def baseline_r2(self, spec, result):
        return Value(fmt(result["baseline_r2"]), result["baseline_r2"])

    @value("A feature's coefficient, per standard deviation of the feature: `coef(bmi)`.")
    def coef(self, spec, result, feature):
        v = self._lookup(spec, result, "coef", [feature])
        return Value(fmt(v), v)

    @value("The intercept: the prediction for a patient at the mean of every feature.")
    def intercept(self, spec, result):
        return Value(fmt(result["intercept"]), result["intercept"])

    @value("A count: `count(train)`, `count(validation)` or `count(features)`.")
    def count(self, spec, result, what):
        what = str(what).strip()
        counts = {"train": result["train"], "validation": result["validation"], "features": len(result["features"])}
        if what not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name train, validation or features")
        return Value(f"{counts[what]:,}", counts[what])

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        actual, predicted = result["actual"], result["predicted"]
        lo, hi = min(actual + predicted), max(actual + predicted)
        scores = Table(["Model", "Validation R²", "Mean absolute error", "Mean squared error"],
                       [["Linear regression", fmt(result["r2"]), fmt(result["mae"]), fmt(result["mse"])],
                        ["Always the training mean", fmt(result["baseline_r2"]), fmt(result["baseline_mae"]),
                         fmt(result["baseline_mse"])]],
                       numeric=(1, 2, 3))
        coefs = Table(["Feature", "Coefficient (per standard deviation)"],
                      [[f"{f} ({FEATURES[f]})", fmt(c)] for f, c in zip(result["features"], result["coef"])]
                      + [["intercept", fmt(result["intercept"])]], numeric=(1,))
        points = Table(["Patient (validation)", "True progression", "Predicted"],
                       [[str(i + 1), fmt(a), fmt(p)] for i, (a, p) in enumerate(zip(actual, predicted))], numeric=(0, 1, 2))

        def figure():
            fig = go.Figure([
                go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="perfect prediction",
                           line=dict(color=PALETTE[7], width=1, dash="dash"), hoverinfo="skip"),
                go.Scatter(x=actual, y=predicted, mode="markers", name="validation patients",
                           marker=dict(size=6, color=PALETTE[0], opacity=0.8),
                           hovertemplate="true %{x:.0f}, predicted %{y:.1f}<extra></extra>")])
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="true disease progression", standoff=6)),
                              yaxis=dict(title=dict(text="predicted", standoff=6)))
            return fig

        used = ", ".join(FEATURES[f] for f in result["features"])
        alt = (f"Scatter plot of predicted against true disease progression for the {result['validation']:,} validation "
               f"patients, from a linear regression on {used}. R² {fmt(result['r2'])}, mean absolute error "
               f"{fmt(result['mae'])}, against {fmt(result['baseline_mae'])} for always predicting the mean.")
        features = repr(result["features"])
        code = ("from sklearn.datasets import load_diabetes\nfrom sklearn.dummy import DummyRegressor\n"
                "from sklearn.linear_model import LinearRegression\n"
                "from sklearn.metrics import mean_absolute_error, r2_score\n"
                "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n\n"
                "data = load_diabetes(scaled=False)\n"
                f"columns = [data.feature_names.index(f) for f in {features}]\n"
                "x_train, x_val, y_train, y_val = train_test_split(\n"
                f"    data.data[:, columns], data.target, test_size={spec.test_size:g}, random_state={spec.seed})\n"
                "scaler = StandardScaler().fit(x_train)  # on the training split only\n"
                "x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)\n"
                "model = LinearRegression().fit(x_train, y_train)\n"
                "r2_score(y_val, model.predict(x_val)), mean_absolute_error(y_val, model.predict(x_val))\n"
                "mean_absolute_error(y_val, DummyRegressor().fit(x_train, y_train).predict(x_val))\n")
        return [
            Html(f"<p>{result['train']:,} patients train the model, {result['validation']:,} are held out to judge it. "
                 f"Features used: {used}.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=points, height=380, anchor="fit",
                   default_caption="Each dot a validation patient: the model's prediction against the true value; "
                                   "dashed: a perfect prediction."),
            scores, coefs,
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
