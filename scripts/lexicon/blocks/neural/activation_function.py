"""The activation-function kind: sigmoid, tanh, ReLU and GELU with their derivatives, and each in a real MLP."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt
from ._data import (ACTIVATIONS, DATASET_DOC, NAMES, NOTE, SAMPLES, SKLEARN, TEST_SIZE, activation, check_dataset,
                    mlp_scores)

ACTS_SCHEMA = {"type": "array", "items": {"enum": list(ACTIVATIONS)}, "minItems": 1, "maxItems": 4, "uniqueItems": True}
POINTS_SCHEMA = {"type": "array", "items": {"type": "number", "minimum": -10, "maximum": 10}, "minItems": 1,
                 "maxItems": 7, "uniqueItems": True}


class ActivationFunction(Kind):
    """Activation functions and their derivatives on a grid, and what each does inside a real
    `MLPClassifier`.

    For each of `activations` (`sigmoid`, `tanh`, `relu`, `gelu`; GELU is the exact `x·Φ(x)`) the
    figure draws the function (solid) and its derivative (dashed) from −4 to 4, and the table gives
    both at each of `points` (the derivatives are checked against central differences in the tests).
    With `mlp: true` an `MLPClassifier` with one hidden layer of `hidden` units learns on the
    standardised training split of `dataset` once with each activation scikit-learn offers (it has no
    GELU) and once with none (`identity`, a linear model), all with the same seed and at most
    `max_iter` epochs of adam; the second table gives training and test accuracy and whether the
    optimiser stopped before converging.
    """

    example = "activations: [sigmoid, relu]\npoints: [-2, 0, 2]\nmlp: false"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        activations=opt.raw("The activation functions, in this order.", ACTS_SCHEMA,
                            "list of `sigmoid` / `tanh` / `relu` / `gelu`", default=list(ACTIVATIONS), convert=list),
        points=opt.raw("The inputs at which the table gives each function and derivative (−10 to 10).",
                       POINTS_SCHEMA, "list of 1–7 different numbers", default=[-2, -0.5, 0, 0.5, 2], convert=list),
        mlp=opt.flag("Also train an MLPClassifier with each activation.", default=True),
        dataset=opt.text(DATASET_DOC, default="digits"),
        hidden=opt.integer("Hidden units of the MLP.", default=32, min=1, max=256),
        max_iter=opt.integer("The most epochs the MLP's optimiser runs.", default=30, min=1, max=500),
        test_size=TEST_SIZE,
        seed=opt.seed("The seed of the split and of the MLP's initial weights.", default=0),
        caption=opt.caption("“Each activation (solid) and its derivative (dashed) …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if spec.mlp:
            check_dataset(spec.dataset)

    def anchor_hint(self, spec):
        return "activations " + " ".join(spec.activations)

    def compute(self, kv, spec):
        grid = np.linspace(-4, 4, 161)
        out = {"grid": grid.tolist(),
               "curves": {a: {"f": activation(a, grid).tolist(), "d": activation(a, grid, True).tolist()}
                          for a in spec.activations},
               "points": {a: {"f": activation(a, spec.points).tolist(), "d": activation(a, spec.points, True).tolist()}
                          for a in spec.activations}}
        if spec.mlp:
            acts = ["identity"] + [a for a in spec.activations if a in SKLEARN]
            out["mlp"] = mlp_scores(spec.dataset, acts, spec.hidden, spec.max_iter, spec.test_size, spec.seed)
        return out

    # --- reading the result ---------------------------------------------------------------------------
    def _at(self, spec, result, name, x, key):
        a = str(name).strip().lower()
        if a not in result["points"]:
            raise LexiconError(f"'{name}' is not one of the block's activations", fix="name one of: " + ", ".join(spec.activations))
        match = [i for i, p in enumerate(spec.points) if f"{p:g}" == str(x).strip()]
        if not match:
            raise LexiconError(f"'{x}' is not one of the block's points", fix="name one of: " + ", ".join(f"{p:g}" for p in spec.points))
        return result["points"][a][key][match[0]]

    def _mlp(self, spec, result, name) -> dict:
        rows = {r["activation"]: r for r in result.get("mlp", [])}
        if not rows:
            raise LexiconError("this value needs the MLP runs", fix="set 'mlp: true'")
        if str(name).strip() not in rows:
            raise LexiconError(f"no MLP was trained with '{name}'", fix="name one of: " + ", ".join(rows))
        return rows[str(name).strip()]

    # --- values for prose -----------------------------------------------------------------------------
    @value("An activation's value at one of the points: `f(sigmoid, 0)`.")
    def f(self, spec, result, name, x):
        v = self._at(spec, result, name, x, "f")
        return Value(fmt(v), v)

    @value("An activation's derivative at one of the points: `d(sigmoid, 0)`.")
    def d(self, spec, result, name, x):
        v = self._at(spec, result, name, x, "d")
        return Value(fmt(v), v)

    @value("The MLP's test accuracy with an activation (`identity` for none): `test(relu)`.")
    def test(self, spec, result, name):
        v = self._mlp(spec, result, name)["test"]
        return Value(fmt(v), v)

    @value("The MLP's training accuracy with an activation: `train(relu)`.")
    def train(self, spec, result, name):
        v = self._mlp(spec, result, name)["train"]
        return Value(fmt(v), v)

    @value("How many of the MLP runs stopped at `max_iter` before converging.")
    def unconverged(self, spec, result):
        n = sum(not r["converged"] for r in result.get("mlp", []))
        return Value(str(n), n)

    @value("How many MLP runs there are (with `identity`).")
    def runs(self, spec, result):
        n = len(result.get("mlp", []))
        return Value(str(n), n)

    @value("The k-th of `points` (1 = the first listed): `point(5)`.")
    def point(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.points):
            raise LexiconError(f"there is no point '{k}'", fix=f"name 1 to {len(spec.points)} ('points' lists them)")
        x = spec.points[int(k) - 1]
        return Value(f"{x:g}".replace("-", "−"), x)

    @value("The MLP's epochs (`max_iter`).")
    def max_iter(self, spec, result):
        return Value(str(spec.max_iter), spec.max_iter)

    @value("The MLP's hidden units (`hidden`).")
    def hidden(self, spec, result):
        return Value(str(spec.hidden), spec.hidden)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        acts = spec.activations
        table = Table(["Activation"] + [f"f({p:g})" for p in spec.points] + [f"f′({p:g})" for p in spec.points],
                      [[NAMES[a]] + [fmt(v) for v in result["points"][a]["f"]] + [fmt(v) for v in result["points"][a]["d"]]
                       for a in acts], numeric=tuple(range(1, 1 + 2 * len(spec.points))))

        def figure():
            fig = go.Figure()
            for i, a in enumerate(acts):
                for key, dash, label in (("f", "solid", ""), ("d", "dash", " derivative")):
                    fig.add_trace(go.Scatter(x=result["grid"], y=result["curves"][a][key], mode="lines",
                                             name=NAMES[a] + label, line=dict(color=PALETTE[i], width=2, dash=dash),
                                             hovertemplate=f"{NAMES[a]}{label}(%{{x:.2f}}) = %{{y:.4f}}<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="input x", standoff=6)),
                              yaxis=dict(range=[-1.2, 2.2], title=dict(text="value", standoff=6)))
            return fig

        alt = ("Line chart of each activation (solid) and its derivative (dashed) from −4 to 4. "
               + " ".join(f"{NAMES[a]}: " + ", ".join(f"f({p:g}) = {fmt(f)}, f′({p:g}) = {fmt(d)}" for p, f, d in
                                                     zip(spec.points, result["points"][a]["f"], result["points"][a]["d"]))
                          + "." for a in acts))
        parts = [Figure(figure, alt=alt, caption=spec.caption, table=table, height=360, anchor="activations",
                        default_caption="Each activation (solid) and its derivative (dashed); the table gives both at "
                                        "a few inputs.")]
        code = ("import numpy as np\nfrom scipy.special import ndtr            # Φ, the standard normal CDF\n\n"
                "x = np.linspace(-4, 4, 161)\n"
                "sigmoid = 1 / (1 + np.exp(-x));  d_sigmoid = sigmoid * (1 - sigmoid)\n"
                "tanh = np.tanh(x);               d_tanh = 1 - tanh ** 2\n"
                "relu = np.maximum(x, 0);         d_relu = (x > 0).astype(float)\n"
                "gelu = x * ndtr(x);              d_gelu = ndtr(x) + x * np.exp(-x**2 / 2) / np.sqrt(2 * np.pi)\n")
        if "mlp" in result:
            what = SAMPLES.get(spec.dataset, "examples")
            rows = [[esc(NAMES[r["activation"]]), fmt(r["train"]), fmt(r["test"]), str(r["iterations"]),
                     "yes" if r["converged"] else f"no (stopped at {spec.max_iter})"] for r in result["mlp"]]
            parts += [Html(f"<p>An <code>MLPClassifier</code> with one hidden layer of {spec.hidden} units learns the "
                           f"{esc(spec.dataset)} {what} with each activation (same split, same seed, at most "
                           f"{spec.max_iter} epochs). scikit-learn has no GELU.</p>"),
                      Table(["Activation", "Training accuracy", "Test accuracy", "Epochs run", "Converged?"], rows,
                            numeric=(1, 2, 3))]
            code += (f"\nfrom sklearn.datasets import load_{spec.dataset}\nfrom sklearn.model_selection import train_test_split\n"
                     "from sklearn.neural_network import MLPClassifier\nfrom sklearn.preprocessing import StandardScaler\n\n"
                     f"data = load_{spec.dataset}()\n"
                     "x_train, x_test, y_train, y_test = train_test_split(\n"
                     f"    data.data, data.target, test_size={spec.test_size:g}, random_state={spec.seed}, stratify=data.target)\n"
                     "scaler = StandardScaler().fit(x_train)\n"
                     "for act in ['identity', 'logistic', 'tanh', 'relu']:   # 'logistic' is the sigmoid\n"
                     f"    mlp = MLPClassifier(hidden_layer_sizes=({spec.hidden},), activation=act, max_iter={spec.max_iter},\n"
                     f"                        random_state={spec.seed}).fit(scaler.transform(x_train), y_train)\n"
                     "    mlp.score(scaler.transform(x_test), y_test)\n")
        return parts + [Code(code, "The numpy and scikit-learn code behind these numbers")]
