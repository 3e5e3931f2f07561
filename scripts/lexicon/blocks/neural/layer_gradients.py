"""The layer-gradients kind: in a deep numpy network, each layer's gradient and activation spread, by activation and init."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt
import statistics

from ._data import ACTIVATIONS, DATASET_DOC, INITS, NAMES, NOTE, check_dataset, deep_gradients, over_seeds, sci

RUNS_SCHEMA = {"type": "array", "minItems": 1, "maxItems": 4, "uniqueItems": True,
               "items": {"type": "array", "minItems": 2, "maxItems": 2,
                         "prefixItems": [{"enum": list(ACTIVATIONS)}, {"enum": list(INITS)}]}}


def run_text(run) -> str:
    return f"{run[0]}/{run[1]}"


def _ratio(v: float) -> Value:
    """A ratio of norms to two significant digits (it moves with the draw of the weights): 220,000, 210, 26, 2.1."""
    if v >= 10:
        r = float(f"{v:.2g}")
        return Value(f"{r:,.0f}", v)
    return Value(f"{v:.1f}", v)


class LayerGradients(Kind):
    """The gradient's size and the activations' spread, layer by layer, in a deep network written in
    numpy, for a few pairs of activation and weight initialisation.

    Each run of `runs` (`[activation, init]`: activation `sigmoid`, `tanh`, `relu` or `gelu`; init
    `small` = N(0, 0.01²), `xavier` = N(0, 2 / (fan-in + fan-out)), `he` = N(0, 2 / fan-in), `xavier4` =
    Xavier's standard deviation times four, the sigmoid's correction) builds `depth` hidden layers of
    `width` units with zero biases and a softmax output, from the same seed, and passes the first `batch`
    standardised training examples of `dataset` through it. Backpropagating the mean cross-entropy gives,
    per layer, the gradient passed back to its pre-activations (δ = ∂L/∂z) and the gradient of its
    weights (its input times δ, so the two can differ: Glorot and Bengio 2010, section 4.2.2); the
    figure draws both norms per layer (log scale, layer 1 nearest the input), the table adds the
    standard deviation of each layer's outputs. Nothing is trained: this is the network at its first
    step. With `seeds` above 1 the weights are also drawn from `seeds` consecutive seeds (same split),
    for the `*_range` values that say how much a number depends on the draw.
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
        seeds=opt.integer("Weight seeds (from `seed` on, same split) summarised by the `*_range` values.", default=1,
                          min=1, max=40),
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
        runs = [dict(deep_gradients(spec.dataset, a, i, spec.depth, spec.width, spec.batch, spec.seed), run=[a, i])
                for a, i in spec.runs]
        if spec.seeds > 1:
            for r in runs:
                r["seeds"] = over_seeds(spec.dataset, *r["run"], spec.depth, spec.width, spec.batch, spec.seed, spec.seeds)
        return {"runs": runs}

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

    @value("The norm of the gradient passed back to a layer's pre-activations, δ = ∂L/∂z: `delta(relu/xavier, 1)`.")
    def delta(self, spec, result, run, k):
        v = self._run(spec, result, run)["delta"][self._layer(spec, k)]
        return Value(sci(v), v)

    @value("The mean derivative of a layer's activation over its units and the batch: `slope(tanh/he, 10)`.")
    def slope(self, spec, result, run, k):
        v = self._run(spec, result, run)["slope"][self._layer(spec, k)]
        return Value(fmt(v), v)

    @value("The last hidden layer's weight-gradient norm over the first's: `ratio(sigmoid/xavier)`.")
    def ratio(self, spec, result, run):
        g = self._run(spec, result, run)["grad"]
        return _ratio(g[-1] / g[0])

    @value("The last hidden layer's δ norm over the first's: `delta_ratio(relu/xavier)`.")
    def delta_ratio(self, spec, result, run):
        d = self._run(spec, result, run)["delta"]
        return _ratio(d[-1] / d[0])

    def _over(self, spec, result, run, key, k=None) -> list[float]:
        r = self._run(spec, result, run)
        if "seeds" not in r:
            raise LexiconError("a '_range' value needs the weights drawn from several seeds", fix="add e.g. 'seeds: 20'")
        lists = r["seeds"]["grad" if key == "ratio" else "delta" if key == "delta_ratio" else key]
        if k is None:
            return [g[-1] / g[0] for g in lists]
        i = self._layer(spec, k)
        return [g[i] for g in lists]

    def _range(self, spec, vs, show) -> Value:
        lo, mid, hi = min(vs), statistics.median(vs), max(vs)
        return Value(f"{show(lo)} to {show(hi)} (median {show(mid)}) over {spec.seeds} weight seeds", mid)

    @value("`ratio` over the weight seeds: its range and median, `ratio_range(sigmoid/xavier)`.")
    def ratio_range(self, spec, result, run):
        return self._range(spec, self._over(spec, result, run, "ratio"), lambda v: _ratio(v).text)

    @value("`delta_ratio` over the weight seeds: `delta_ratio_range(relu/xavier)`.")
    def delta_ratio_range(self, spec, result, run):
        return self._range(spec, self._over(spec, result, run, "delta_ratio"), lambda v: _ratio(v).text)

    @value("A layer's weight-gradient norm over the weight seeds: `grad_range(relu/he, 10)`.")
    def grad_range(self, spec, result, run, k):
        return self._range(spec, self._over(spec, result, run, "grad", k), sci)

    @value("A layer's output standard deviation over the weight seeds: `std_range(relu/he, 10)`.")
    def std_range(self, spec, result, run, k):
        return self._range(spec, self._over(spec, result, run, "std", k), sci)

    @value("The last layer's weight gradient over the first's, the median over the weight seeds: `ratio_median(relu/he)`.")
    def ratio_median(self, spec, result, run):
        return _ratio(statistics.median(self._over(spec, result, run, "ratio")))

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
        init_names = {"small": "small", "xavier": "Xavier", "he": "He", "xavier4": "4 × Xavier"}
        names = [f"{NAMES[r['run'][0]]}, {init_names.get(r['run'][1], r['run'][1])} init" for r in runs]
        layers = list(range(1, spec.depth + 1))
        head = (["Layer"] + [f"{esc(n)}: δ = ∂L/∂z" for n in names] + [f"{esc(n)}: weights' gradient" for n in names]
                + [f"{esc(n)}: output std" for n in names])
        rows = [[str(k)] + [sci(r["delta"][k - 1]) for r in runs] + [sci(r["grad"][k - 1]) for r in runs]
                + [sci(r["std"][k - 1]) for r in runs] for k in layers]
        table = Table(head, rows, numeric=tuple(range(0, 1 + 3 * len(runs))))

        def figure():
            fig = go.Figure()
            for i, (n, r) in enumerate(zip(names, runs)):
                for key, what, dash, sym in (("delta", "δ", "solid", "circle"), ("grad", "weights", "dot", "x")):
                    fig.add_trace(go.Scatter(x=layers, y=r[key], mode="lines+markers", name=f"{n}: {what}",
                                             line=dict(color=PALETTE[i], width=2, dash=dash), marker=dict(symbol=sym),
                                             hovertemplate=f"{n}, {what}, layer %{{x}}: %{{y:.2e}}<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="hidden layer (1 = nearest the input)", standoff=6),
                                                          dtick=1),
                              yaxis=dict(type="log", exponentformat="e",
                                         title=dict(text="gradient norm (log)", standoff=6)))
            return fig

        alt = ("Line chart, log scale, per hidden layer, of the norm of the gradient passed back (δ, solid) and of the "
               "weights' gradient (dotted). " + " ".join(
                   f"{n}: δ from {sci(r['delta'][0])} at layer 1 to {sci(r['delta'][-1])} at layer {spec.depth}; weights' "
                   f"gradient from {sci(r['grad'][0])} to {sci(r['grad'][-1])}." for n, r in zip(names, runs)))
        run_list = ", ".join(f"('{a}', '{i}')" for a, i in spec.runs)
        code = ("import numpy as np\n"
                "from scipy.special import ndtr\n"
                "from sklearn.datasets import load_" + spec.dataset + "\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                f"data = load_{spec.dataset}()\n"
                "x_tr, _, y_tr, _ = train_test_split(data.data, data.target, test_size=0.25,\n"
                f"                                   random_state={spec.seed}, stratify=data.target)\n"
                f"x, y = StandardScaler().fit(x_tr).transform(x_tr)[:{spec.batch}], y_tr[:{spec.batch}]\n"
                "n_classes = len(data.target_names)\n\n"
                "sig = lambda z: 1 / (1 + np.exp(-z))\n"
                "act = {'sigmoid': (sig, lambda z: sig(z) * (1 - sig(z))),\n"
                "       'tanh': (np.tanh, lambda z: 1 - np.tanh(z) ** 2),\n"
                "       'relu': (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),\n"
                "       'gelu': (lambda z: z * ndtr(z), lambda z: ndtr(z) + z * np.exp(-z * z / 2) / np.sqrt(2 * np.pi))}\n"
                "scale = {'small': lambda i, o: 0.01, 'xavier': lambda i, o: np.sqrt(2 / (i + o)),\n"
                "         'he': lambda i, o: np.sqrt(2 / i), 'xavier4': lambda i, o: 4 * np.sqrt(2 / (i + o))}\n\n"
                f"for a, init in [{run_list}]:\n"
                f"    sizes = [x.shape[1]] + [{spec.width}] * {spec.depth} + [n_classes]\n"
                f"    rng = np.random.default_rng({spec.seed})\n"
                "    ws = [rng.normal(0, scale[init](i, o), (i, o)) for i, o in zip(sizes, sizes[1:])]\n"
                "    hs, zs = [x], []\n"
                "    for w in ws[:-1]:\n"
                "        zs.append(hs[-1] @ w); hs.append(act[a][0](zs[-1]))\n"
                "    z = hs[-1] @ ws[-1]; p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)\n"
                "    d = p.copy(); d[np.arange(len(y)), y] -= 1; d /= len(y)\n"
                "    d = d @ ws[-1].T\n"
                "    for i in reversed(range(len(ws) - 1)):\n"
                "        d = d * act[a][1](zs[i])             # δ = ∂L/∂z of layer i + 1\n"
                "        print(a, init, i + 1, np.linalg.norm(d), np.linalg.norm(hs[i].T @ d), hs[i + 1].std())\n"
                "        d = d @ ws[i].T\n")
        return [
            Html(f"<p>{spec.depth} hidden layers of {spec.width} units, the first {runs[0]['batch']} standardised training "
                 f"examples of the {esc(spec.dataset)} data, before any training.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=360, anchor="gradients",
                   default_caption="Per hidden layer (log scale), the norm of the gradient passed back, δ = ∂L/∂z "
                                   "(solid), and of the weights' gradient (dotted); the table adds the standard "
                                   "deviation of each layer's outputs."),
            Code(code, "The numpy code behind these numbers"),
        ]
