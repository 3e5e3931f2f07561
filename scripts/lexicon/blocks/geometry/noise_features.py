"""Classifiers' test accuracy on one of scikit-learn's bundled datasets as random noise features are added: a picture of the curse of dimensionality for methods that measure distance.

Each noise feature is a column of standard-normal numbers (NumPy seed 0) appended to the real
features; every model is trained on standardised features over repeated stratified 70/30
splits, and the table gives the mean, lowest and highest split's accuracy.
"""

from __future__ import annotations

import plotly.graph_objects as go

from ... import datasets, figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Table
from ...errors import LexiconError
from ...render import percent
from ._noise import MODELS, TEST_SIZE, accuracy

NOISE_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 2000},
                "minItems": 2, "maxItems": 6, "uniqueItems": True}
MODELS_SCHEMA = {"type": "array", "items": {"enum": list(MODELS)}, "minItems": 1, "uniqueItems": True}


class NoiseFeatures(Kind):
    """Classifiers' test accuracy on a bundled dataset as random noise features are added, over repeated splits.

    For each number in `noise`, that many standard-normal columns (NumPy seed 0) are appended to
    the dataset's real features; each model in `models` (`knn`: k-nearest neighbours with k = 5,
    `logistic`: logistic regression, `tree`: a decision tree) is trained on standardised features
    over `splits` stratified 70/30 splits (`StratifiedShuffleSplit`, seed 0). The chart and table
    give the mean accuracy, with the lowest and highest split's.
    """

    needs_model = False
    note = "Computed at build time with scikit-learn on its bundled dataset and NumPy noise; no embedding model."
    example = "dataset: wine\nnoise: [0, 100]\nmodels: [knn]\nsplits: 3"
    options = opt.Options(
        Kind.options,
        dataset=opt.choice("One of scikit-learn's bundled classification datasets.", list(datasets.CLASSIFICATION),
                           required=True),
        noise=opt.raw("Numbers of noise features to add, increasing (0 = the real features alone).", NOISE_SCHEMA,
                      "2–6 whole numbers from 0 to 2,000", default=[0, 10, 100, 1000], convert=list),
        models=opt.raw("The classifiers: " + ", ".join(f"`{m}`" for m in MODELS) + ".", MODELS_SCHEMA,
                       "list of " + ", ".join(f"`{m}`" for m in MODELS), default=["knn"], convert=list),
        splits=opt.integer("How many random 70/30 splits.", default=10, min=2, max=20),
        caption=opt.caption("“Test accuracy as noise features are added …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if spec.noise != sorted(spec.noise):
            raise LexiconError(f"'noise' {spec.noise} must increase", fix=f"write noise: {sorted(spec.noise)}")

    def anchor_hint(self, spec):
        return f"noise {spec.dataset}"

    def compute(self, kv, spec):
        return {"acc": {m: [accuracy(spec.dataset, n, m, spec.splits) for n in spec.noise] for m in spec.models},
                "features": int(datasets.load(spec.dataset).data.shape[1])}

    def _cell(self, spec, result, model, n):
        if model not in result["acc"]:
            raise LexiconError(f"'{model}' is not one of the block's models", fix="name one of: " + ", ".join(spec.models))
        if int(n) not in spec.noise:
            raise LexiconError(f"{n} is not one of the block's noise levels",
                               fix="name one of: " + ", ".join(map(str, spec.noise)))
        return result["acc"][model][spec.noise.index(int(n))]

    @value("A model's mean accuracy with n noise features: `accuracy(knn, 100)`.")
    def accuracy(self, spec, result, model, n):
        a = self._cell(spec, result, model, n)["mean"]
        return Value(percent(a), a)

    @value("The lowest split's accuracy: `low(knn, 100)`.")
    def low(self, spec, result, model, n):
        a = self._cell(spec, result, model, n)["low"]
        return Value(percent(a), a)

    @value("The highest split's accuracy: `high(knn, 100)`.")
    def high(self, spec, result, model, n):
        a = self._cell(spec, result, model, n)["high"]
        return Value(percent(a), a)

    @value("How many real features the dataset has.")
    def features(self, spec, result):
        return Value(str(result["features"]), result["features"])

    def render(self, spec, result, ctx):
        acc = result["acc"]
        rows = [[n] + [f"{percent(acc[m][i]['mean'])} ({percent(acc[m][i]['low'])} to {percent(acc[m][i]['high'])})"
                       for m in spec.models] for i, n in enumerate(spec.noise)]
        tbl = Table(["Noise features"] + [f"{MODELS[m]} (splits' range)" for m in spec.models], rows, numeric=(0,))
        return [
            Figure(lambda: lines(spec, acc),
                   alt="Line chart of mean test accuracy by number of noise features: " + "; ".join(
                       MODELS[m] + " " + ", ".join(f"{n}: {acc[m][i]['mean']:.3f}" for i, n in enumerate(spec.noise))
                       for m in spec.models) + ".",
                   caption=spec.caption,
                   default_caption=f"Test accuracy on the {spec.dataset.replace('_', ' ')} data "
                                   f"({result['features']} real features) as random noise features are added (one draw of "
                                   f"the noise, NumPy seed 0); mean of {spec.splits} stratified 70/30 splits.", height=300, table=tbl),
            Code("import numpy as np\nfrom sklearn import datasets\nfrom sklearn.model_selection import "
                 "StratifiedShuffleSplit, cross_val_score\nfrom sklearn.neighbors import KNeighborsClassifier\n"
                 "from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n\n"
                 f"d = datasets.load_{spec.dataset}()\n"
                 f"for noise in {spec.noise!r}:\n"
                 "    x = np.hstack([d.data, np.random.default_rng(0).standard_normal((len(d.data), noise))])\n"
                 f"    cv = StratifiedShuffleSplit(n_splits={spec.splits}, test_size={TEST_SIZE}, random_state=0)\n"
                 "    model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5))\n"
                 "    print(noise, cross_val_score(model, x, d.target, cv=cv).mean())",
                 "The scikit-learn calls behind the k-nearest-neighbours numbers"),
        ]


def lines(spec, acc) -> go.Figure:
    fig = go.Figure()
    x = [str(n) for n in spec.noise]
    for i, m in enumerate(spec.models):
        fig.add_trace(go.Scatter(x=x, y=[a["mean"] for a in acc[m]], mode="lines+markers", name=MODELS[m],
                                 line=dict(width=2, color=figures.PALETTE[i % len(figures.PALETTE)]),
                                 error_y=dict(type="data", symmetric=False,
                                              array=[a["high"] - a["mean"] for a in acc[m]],
                                              arrayminus=[a["mean"] - a["low"] for a in acc[m]]),
                                 hovertemplate=MODELS[m] + ", %{x} noise features: %{y:.3f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.25),
                      xaxis=dict(title=dict(text="noise features added", standoff=6), type="category",
                                 automargin=True),
                      yaxis=dict(title=dict(text="test accuracy", standoff=6), automargin=True, tickformat=".0%"))
    return fig
