"""The feature-scaling kind: a nearest-neighbour classifier with and without scaling its features."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import BASE_LAYOUT, PALETTE
from ...render import esc, fmt, percent
from ._claims import Names
from ._data import NOTE, SCALERS, check_dataset, scaled_knn

SCALERS_SCHEMA = {"type": "array", "items": {"enum": list(SCALERS)}, "minItems": 2, "uniqueItems": True}
NAMES = Names("write e.g. 'accuracy(standard) > accuracy(none)' or 'share > 0.9'",
              accuracy=("the test accuracy with scaler = {0}", 1, False),
              share=("the share of the total variance held by the largest feature", 0, False))


class FeatureScaling(Kind):
    """A k-nearest-neighbour classifier (`KNeighborsClassifier`) on a bundled classification dataset, with its
    features left as measured and rescaled: does the unit a feature happens to be measured in decide the
    neighbours?

    The dataset is split with `train_test_split` (`test_size`, `seed`, stratified by class). For each of
    `scalers` (`none`, `standard`: `StandardScaler`, mean 0 and standard deviation 1; `minmax`:
    `MinMaxScaler`, 0 to 1) a pipeline of the scaler and `KNeighborsClassifier(n_neighbors=neighbours)` is
    fitted on the training split (so the scaler learns its means and ranges there only) and scored (accuracy)
    on the test split. A table lists each feature's standard deviation on the training split; the value
    `share` is the share of the summed variances that the largest feature holds, which is roughly its share of
    every squared distance between unscaled samples.
    """

    example = "dataset: wine\nneighbours: 5\nexpect:\n  - accuracy(standard) > accuracy(none)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or "
                         "`digits`.", default="wine"),
        scalers=opt.raw("The scalings compared: `none`, `standard` (`StandardScaler`), `minmax` (`MinMaxScaler`).",
                        SCALERS_SCHEMA, "list of 2–3 scalings", default=["none", "standard"], convert=list),
        neighbours=opt.integer("The neighbours that vote (`n_neighbors`).", default=5, min=1, max=50),
        test_size=opt.number("The share of the samples held out as the test split.", default=0.25, min=0.1, max=0.5),
        seed=opt.seed("The seed of the split (`random_state`).", default=0),
        expect=opt.claims("[Claims](#claims): `accuracy(standard) > accuracy(none)`, `share > 0.9`. Names: "
                          "accuracy(scaler), share."),
        caption=opt.caption("“Test accuracy of the nearest-neighbour classifier with each scaling …”"),
        figure=opt.show_figure("Show the bar chart (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._scaler(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return f"scaling {spec.dataset}"

    def compute(self, kv, spec):
        return scaled_knn(spec.dataset, spec.scalers, spec.neighbours, spec.test_size, spec.seed)

    def _scaler(self, spec, text) -> str:
        name = str(text).strip()
        if name not in spec.scalers:
            raise LexiconError(f"'{text}' is not one of the block's scalers", fix="name one of: " + ", ".join(spec.scalers))
        return name

    def claims(self, spec, result, check):
        def lookup(name, args):
            return result["largest_share"] if name == "share" else result["accuracy"][self._scaler(spec, args[0])]
        NAMES.check_all(spec.parsed, lookup, check, fmt)

    @value("The test accuracy with one scaling: `accuracy(standard)`.")
    def accuracy(self, spec, result, scaler):
        v = result["accuracy"][self._scaler(spec, scaler)]
        return Value(fmt(v), v)

    @value("The feature with the largest standard deviation on the training split, by scikit-learn's name.")
    def largest(self, spec, result):
        return Value(result["largest"].replace("_", " "), result["largest"])

    @value("The share of the summed variances the largest feature holds, as a percentage (`99.8%`).")
    def share(self, spec, result):
        return Value(percent(result["largest_share"]), result["largest_share"])

    @value("A feature's standard deviation on the training split: `std(proline)`.")
    def std(self, spec, result, feature):
        name = str(feature).strip()
        if name not in result["features"]:
            raise LexiconError(f"the {spec.dataset} data has no feature '{feature}'",
                               fix="name one of: " + ", ".join(result["features"]))
        v = result["std"][result["features"].index(name)]
        return Value(fmt(v), v)

    @value("How many features the dataset has.")
    def features(self, spec, result):
        return Value(str(len(result["features"])), len(result["features"]))

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        names = [SCALERS[s] for s in spec.scalers]
        accs = [result["accuracy"][s] for s in spec.scalers]
        table = Table(["Scaling", "Test accuracy"], [[n, fmt(a)] for n, a in zip(names, accs)], numeric=(1,))
        stds = Table(["Feature", "Standard deviation (training split)"],
                     [[f, fmt(s)] for f, s in sorted(zip(result["features"], result["std"]), key=lambda t: -t[1])],
                     numeric=(1,))

        def figure():
            fig = go.Figure(go.Bar(x=names, y=accs, marker_color=[PALETTE[i] for i in range(len(names))],
                                   text=[fmt(a) for a in accs], textposition="outside",
                                   hovertemplate="%{x}: accuracy %{y:.4f}<extra></extra>"))
            fig.update_layout(**BASE_LAYOUT, yaxis=dict(title=dict(text="test accuracy", standoff=6), range=[0, 1.1]),
                              xaxis=dict(fixedrange=True))
            return fig

        alt = (f"Bar chart of the test accuracy of a {spec.neighbours}-nearest-neighbour classifier on the "
               f"{spec.dataset} data: " + "; ".join(f"{n} {fmt(a)}" for n, a in zip(names, accs)) + ".")
        steps = {"none": "", "standard": "StandardScaler(), ", "minmax": "MinMaxScaler(), "}
        code = (f"from sklearn.datasets import load_{spec.dataset}\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.neighbors import KNeighborsClassifier\n"
                "from sklearn.pipeline import make_pipeline\n"
                "from sklearn.preprocessing import MinMaxScaler, StandardScaler\n\n"
                f"data = load_{spec.dataset}()\n"
                "x_train, x_test, y_train, y_test = train_test_split(\n"
                f"    data.data, data.target, test_size={spec.test_size:g}, random_state={spec.seed}, "
                "stratify=data.target)\n"
                + "".join(f"make_pipeline({steps[s]}KNeighborsClassifier({spec.neighbours})).fit(x_train, y_train)"
                          ".score(x_test, y_test)\n" for s in spec.scalers))
        return [
            Html(f"<p>A {spec.neighbours}-nearest-neighbour classifier learns from {result['train']:,} samples of the "
                 f"{esc(spec.dataset)} data and is scored on {result['test']:,} others. Its largest feature, "
                 f"<code>{esc(result['largest'])}</code>, holds {percent(result['largest_share'])} of the summed "
                 "variances.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=320, anchor="scaling",
                   default_caption="Test accuracy with each scaling; the scaler learns from the training split only."),
            stds,
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
