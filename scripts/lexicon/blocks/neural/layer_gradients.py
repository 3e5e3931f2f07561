"""The layer-gradients kind: in a deep numpy network, each layer's gradient and activation spread, by activation and init."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt
from ._data import ACTIVATIONS, DATASET_DOC, INITS, NAMES, NOTE, check_dataset, deep_gradients, sci

RUNS_SCHEMA = {"type": "array", "minItems": 1, "maxItems": 4, "uniqueItems": True,
               "items": {"type": "array", "minItems": 2, "maxItems": 2,
                         "prefixItems": [{"enum": list(ACTIVATIONS)}, {"enum": list(INITS)}]}}


def run_text(run) -> str:
    return f"{run[0]}/{run[1]}"


class LayerGradients(Kind):
    """The gradient's size and the activations' spread, layer by layer, in a deep network written in
    numpy, for a few pairs of activation and weight initialisation.

    Each run of `runs` (`[activation, init]`: activation `sigmoid`, `tanh`, `relu` or `gelu`; init
    `small` = N(0, 0.01²), `xavier` = N(0, 2 / (fan-in + fan-out)), `he` = N(0, 2 / fan-in)) builds
    `depth` hidden layers of `width` units with zero biases and a softmax output, from the same seed,
    and passes the first `batch` standardised training examples of `dataset` through it. Backpropagating
    the mean cross-entropy gives the gradient of every layer's weights; the figure draws its norm per
    layer (log scale, layer 1 nearest the input), the table also the standard deviation of each
    layer's outputs. Nothing is trained: this is the network at its first step.
    """

    example = "runs: [[sigmoid, small], [relu, he]]\ndepth: 5"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        runs=opt.raw("Pairs `[activation, init]`, e.g. `[[sigmoid, xavier], [relu, he]]`.", RUNS_SCHEMA,
                     "list of 1–4 pairs", default=[["sigmoid", "xavier"], ["relu", "he"]], convert=list),
        dataset=opt.text(DATASET_DOC, default="digits"),
        depth=opt.integer("Hidden layers.", default=10, min=2, max=30),
        width=opt.integer("Units per hidden layer.", default=64, min=4, max=256),
        batch=opt.integer("Training examples in the batch.", default=256, min=8, max=1024),
        seed=opt.seed("The seed of the split and of the weights.", default=0),
        caption=opt.caption("“The gradient's norm at each layer …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        spec.runs = [list(r) for r in spec.runs]

    def anchor_hint(self, spec):
        return "layer gradients " + " ".join(run_text(r) for r in spec.runs)

    def compute(self, kv, spec):
        return {"runs": [dict(deep_gradients(spec.dataset, a, i, spec.depth, spec.width, spec.batch, spec.seed), run=[a, i])
                         for a, i in spec.runs]}

    def _run(self, spec, result, text) -> dict:
        match = [r for r in result["runs"] if run_text(r["run"]) == str(text).strip()]
        if not match:
            raise LexiconError(f"'{text}' is not one of the block's runs",
                               fix="name one of: " + ", ".join(run_text(r) for r in spec.runs))
        return match[0]

    def _layer(self, spec, k) -> int:
        t = str(k).strip()
        if not t.isdigit() or not 1 <= int(t) <= spec.depth:
            raise LexiconError(f"there is no layer '{k}'", fix=f"name 1 to {spec.depth}")
        return int(t) - 1

    # --- values for prose -----------------------------------------------------------------------------
    @value("The gradient norm of a layer's weights in a run: `grad(sigmoid/small, 1)`.")
    def grad(self, spec, result, run, k):
        v = self._run(spec, result, run)["grad"][self._layer(spec, k)]
        return Value(sci(v), v)

    @value("The standard deviation of a layer's outputs in a run: `std(relu/he, 10)`.")
    def std(self, spec, result, run, k):
        v = self._run(spec, result, run)["std"][self._layer(spec, k)]
        return Value(sci(v), v)

    @value("The last hidden layer's gradient norm over the first's: `ratio(sigmoid/xavier)`.")
    def ratio(self, spec, result, run):
        g = self._run(spec, result, run)["grad"]
        v = g[-1] / g[0]
        return Value(f"{v:,.0f}" if v >= 100 else fmt(v), v)

    @value("The hidden layers (`depth`).")
    def depth(self, spec, result):
        return Value(str(spec.depth), spec.depth)

    @value("The units per layer (`width`).")
    def width(self, spec, result):
        return Value(str(spec.width), spec.width)

    @value("The examples in the batch.")
    def batch(self, spec, result):
        return Value(str(result["runs"][0]["batch"]), result["runs"][0]["batch"])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        runs = result["runs"]
        names = [f"{NAMES[r['run'][0]]}, {r['run'][1]} init" for r in runs]
        layers = list(range(1, spec.depth + 1))
        head = ["Layer"] + [f"{esc(n)}: gradient" for n in names] + [f"{esc(n)}: output std" for n in names]
        rows = [[str(k)] + [sci(r["grad"][k - 1]) for r in runs] + [sci(r["std"][k - 1]) for r in runs] for k in layers]
        table = Table(head, rows, numeric=tuple(range(0, 1 + 2 * len(runs))))

        def figure():
            fig = go.Figure()
            for i, (n, r) in enumerate(zip(names, runs)):
                fig.add_trace(go.Scatter(x=layers, y=r["grad"], mode="lines+markers", name=n,
                                         line=dict(color=PALETTE[i], width=2, dash=("solid", "dash", "dot", "dashdot")[i]),
                                         hovertemplate=f"{n}, layer %{{x}}: %{{y:.2e}}<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="hidden layer (1 = nearest the input)", standoff=6),
                                                          dtick=1),
                              yaxis=dict(type="log", exponentformat="e",
                                         title=dict(text="norm of the weights' gradient (log)", standoff=6)))
            return fig

        alt = ("Line chart, log scale, of the gradient norm of each hidden layer's weights. " + " ".join(
            f"{n}: from {sci(r['grad'][0])} at layer 1 to {sci(r['grad'][-1])} at layer {spec.depth}." for n, r in zip(names, runs)))
        code = ("import numpy as np\n\n"
                "act = {'sigmoid': (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),\n"
                "       'relu': (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0)}\n"
                "scale = {'small': lambda i, o: 0.01, 'xavier': lambda i, o: np.sqrt(2 / (i + o)),\n"
                "         'he': lambda i, o: np.sqrt(2 / i)}\n"
                f"sizes = [x.shape[1]] + [{spec.width}] * {spec.depth} + [n_classes]\n"
                f"rng = np.random.default_rng({spec.seed})\n"
                "ws = [rng.normal(0, scale[init](i, o), (i, o)) for i, o in zip(sizes, sizes[1:])]\n"
                "hs, zs = [x], []\n"
                "for w in ws[:-1]:\n"
                "    zs.append(hs[-1] @ w); hs.append(act[a][0](zs[-1]))\n"
                "z = hs[-1] @ ws[-1]; p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)\n"
                "d = p.copy(); d[np.arange(len(y)), y] -= 1; d /= len(y)\n"
                "d = d @ ws[-1].T\n"
                "for i in reversed(range(len(ws) - 1)):\n"
                "    d = d * act[a][1](zs[i])\n"
                "    print(i + 1, np.linalg.norm(hs[i].T @ d))   # the gradient of layer i + 1's weights\n"
                "    d = d @ ws[i].T\n")
        return [
            Html(f"<p>{spec.depth} hidden layers of {spec.width} units, the first {runs[0]['batch']} standardised training "
                 f"examples of the {esc(spec.dataset)} data, before any training.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=360, anchor="gradients",
                   default_caption="The norm of each hidden layer's weight gradient (log scale); the table adds the "
                                   "standard deviation of each layer's outputs."),
            Code(code, "The numpy code behind these numbers"),
        ]
