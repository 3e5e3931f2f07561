"""The perceptron kind: Rosenblatt's update rule on two classes of a real dataset, mistakes per epoch."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc
from ._data import NOTE, SAMPLES, check_dataset, class_label, perceptron

PAIRS_SCHEMA = {"type": "array", "minItems": 1, "maxItems": 3,
                "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}}


def pair_text(pair) -> str:
    return f"{pair[0]}/{pair[1]}"


class Perceptron(Kind):
    """Rosenblatt's perceptron, written in numpy, on pairs of classes of a bundled dataset (raw
    features, in the data's own order), against scikit-learn's `Perceptron`.

    For each pair in `pairs` the second class is +1 and the first −1. From all-zero weights the
    perceptron visits every sample once per epoch; a sample on the wrong side of the boundary or on it,
    `y (w · x + b) ≤ 0`, moves it: `w ← w + y x`, `b ← b + y`. The figure draws the mistakes (updates)
    in each of `epochs` epochs: they reach 0 and stay there when the two classes can be split by a
    straight boundary (a hyperplane), and never do when they cannot. The table gives the mistakes in
    the first and last epoch, the training errors of the final weights, and whether scikit-learn's
    `Perceptron(shuffle=False, eta0=1, tol=None)`, run for the same epochs, ends with the same weights.
    """

    example = "pairs: [[setosa, versicolor]]\nepochs: 10"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("A bundled classification dataset (`iris`, `wine`, `breast_cancer`, `digits`).", default="iris"),
        pairs=opt.raw("Pairs of classes, e.g. `[[setosa, versicolor], [versicolor, virginica]]`.", PAIRS_SCHEMA,
                      "list of 1–3 pairs of class names", default=[["setosa", "versicolor"]], convert=list),
        epochs=opt.integer("Passes over the samples.", default=20, min=1, max=500),
        caption=opt.caption("“Mistakes in each epoch …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        names = check_dataset(spec.dataset)
        for pair in spec.pairs:
            for c in pair:
                if c not in names:
                    raise LexiconError(f"the {spec.dataset} data has no class '{c}'", fix="name two of: " + ", ".join(names))
            if pair[0] == pair[1]:
                raise LexiconError(f"the pair {pair_text(pair)} names one class twice", fix="name two different classes")

    def anchor_hint(self, spec):
        return "perceptron " + " ".join(pair_text(p) for p in spec.pairs)

    def compute(self, kv, spec):
        return {"runs": [dict(perceptron(spec.dataset, tuple(p), spec.epochs), pair=list(p)) for p in spec.pairs]}

    def _run(self, spec, result, text) -> dict:
        t = str(text).strip()
        match = [r for r in result["runs"] if pair_text(r["pair"]) == t]
        if not match:
            raise LexiconError(f"'{text}' is not one of the block's pairs",
                               fix="name one of: " + ", ".join(pair_text(p) for p in spec.pairs))
        return match[0]

    @staticmethod
    def _same(r) -> bool:
        return r["weights"] == r["sklearn"]["weights"] and r["bias"] == r["sklearn"]["bias"]

    # --- values for prose -----------------------------------------------------------------------------
    @value("Mistakes in one epoch (1 = the first): `mistakes(setosa/versicolor, 1)`.")
    def mistakes(self, spec, result, pair, epoch):
        r = self._run(spec, result, pair)
        if not str(epoch).strip().isdigit() or not 1 <= int(epoch) <= spec.epochs:
            raise LexiconError(f"there is no epoch '{epoch}'", fix=f"name 1 to {spec.epochs}")
        n = r["mistakes"][int(epoch) - 1]
        return Value(str(n), n)

    @value("Mistakes in the last epoch: `last(versicolor/virginica)`.")
    def last(self, spec, result, pair):
        n = self._run(spec, result, pair)["mistakes"][-1]
        return Value(str(n), n)

    @value("The first epoch with no mistake (the classes are separated): `separated_at(setosa/versicolor)`.")
    def separated_at(self, spec, result, pair):
        m = self._run(spec, result, pair)["mistakes"]
        k = next((i + 1 for i, v in enumerate(m) if v == 0), None)
        if k is None:
            raise LexiconError(f"the perceptron never makes a mistake-free epoch on {pair}",
                               fix="quote last(...) or the least mistakes instead")
        return Value(str(k), k)

    @value("The fewest mistakes in any epoch: `fewest(versicolor/virginica)`.")
    def fewest(self, spec, result, pair):
        n = min(self._run(spec, result, pair)["mistakes"])
        return Value(str(n), n)

    @value("Training samples misclassified by the final weights: `errors(versicolor/virginica)`.")
    def errors(self, spec, result, pair):
        n = self._run(spec, result, pair)["errors_after"]
        return Value(str(n), n)

    @value("The samples of a pair: `samples(setosa/versicolor)`.")
    def samples(self, spec, result, pair):
        n = self._run(spec, result, pair)["samples"]
        return Value(str(n), n)

    @value("How many pairs end with exactly scikit-learn's weights (`Perceptron`, same epochs), in words: “both pairs”.")
    def same_as_sklearn(self, spec, result):
        n, total = sum(self._same(r) for r in result["runs"]), len(result["runs"])
        text = (("both pairs" if total == 2 else f"all {total} pairs") if n == total else
                "the one pair" if total == 1 and n == 1 else f"{n} of the {total} pairs")
        return Value(text, n)

    @value("Whether some straight boundary separates a pair without a mistake (a linear-program test): "
           "`separable(versicolor/virginica)` is “yes” or “no”.")
    def separable(self, spec, result, pair):
        v = self._run(spec, result, pair)["separable"]
        return Value("yes" if v else "no", int(v))

    @value("The epochs run (`epochs`).")
    def epochs(self, spec, result):
        return Value(str(spec.epochs), spec.epochs)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        runs = result["runs"]
        names = [" vs ".join(class_label(spec.dataset, c) for c in r["pair"]) for r in runs]
        rows = [[esc(n), str(r["samples"]), str(r["mistakes"][0]), str(r["mistakes"][-1]), str(r["errors_after"]),
                 "identical" if self._same(r) else "different"] for n, r in zip(names, runs)]
        table = Table(["Classes", "Samples", "Mistakes in epoch 1", f"Mistakes in epoch {spec.epochs}",
                       "Training errors at the end", "scikit-learn's Perceptron weights"], rows, numeric=(1, 2, 3, 4))

        most = max(max(r["mistakes"]) for r in runs)

        def figure():
            fig = go.Figure()
            for i, (n, r) in enumerate(zip(names, runs)):
                fig.add_trace(go.Scatter(x=list(range(1, spec.epochs + 1)), y=r["mistakes"], mode="lines+markers", name=n,
                                         line=dict(color=PALETTE[i], width=2, dash=("solid", "dash", "dot")[i]),
                                         hovertemplate=f"{n}, epoch %{{x}}: %{{y}} mistakes<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="epoch", standoff=6), dtick=max(1, spec.epochs // 10)),
                              yaxis=dict(rangemode="tozero", dtick=1 if most <= 10 else None, title=dict(text="mistakes (updates) in the epoch", standoff=6)))
            return fig

        alt = "Line chart of the perceptron's mistakes per epoch. " + " ".join(
            f"{n}: " + ", ".join(str(v) for v in r["mistakes"]) + "." for n, r in zip(names, runs))
        pair = runs[0]["pair"]
        code = (f"import numpy as np\nfrom sklearn.datasets import load_{spec.dataset}\nfrom sklearn.linear_model import Perceptron\n\n"
                f"data = load_{spec.dataset}()\nnames = list(data.target_names)\n"
                f"a, b = names.index('{pair[0]}'), names.index('{pair[1]}')\n"
                "keep = np.isin(data.target, [a, b])\n"
                "x, y = data.data[keep], np.where(data.target[keep] == b, 1, -1)\n"
                "w, bias = np.zeros(x.shape[1]), 0.0\n"
                f"for epoch in range({spec.epochs}):\n"
                "    for xi, yi in zip(x, y):\n"
                "        if yi * (xi @ w + bias) <= 0:        # wrong side, or on the boundary\n"
                "            w, bias = w + yi * xi, bias + yi\n"
                f"ref = Perceptron(shuffle=False, eta0=1.0, tol=None, max_iter={spec.epochs}).fit(x, y)\n"
                "np.array_equal(w, ref.coef_[0]), bias == ref.intercept_[0]\n")
        what = SAMPLES.get(spec.dataset, "samples")
        return [
            Html(f"<p>Each epoch visits every {what[:-1] if what.endswith('s') else what} of the pair once, in the "
                 f"data's order, on the {esc(spec.dataset)} data's raw features.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=340, anchor="mistakes",
                   default_caption="Mistakes (each one an update of the weights) in each epoch, for each pair of classes."),
            Code(code, "The numpy and scikit-learn code behind these numbers"),
        ]
