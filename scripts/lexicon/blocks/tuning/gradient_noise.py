"""The gradient-noise kind: how far a mini-batch gradient lies from the full gradient, batch size by batch size."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import ALPHA, NOTE, PLACES, gradient_noise

SAMPLES = 569   # the breast cancer data's patients
SIZES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": SAMPLES}, "minItems": 2,
                "maxItems": 8, "uniqueItems": True}
NAMES = Names("write e.g. 'noise(64) < noise(4)' or 'noise(16) < full'",
              noise=("the gradient noise with batch size {0}", 1, False),
              exact=("the exact gradient noise with batch size {0}", 1, False),
              full=("the length of the full gradient", 0, False))


class GradientNoise(Kind):
    """The noise of a mini-batch gradient: how far the gradient on a random batch lies from the gradient on all the
    data, batch size by batch size, measured and from the exact formula.

    The model is the regularised logistic regression of scikit-learn's breast cancer data
    (569 patients, 30 standardised features, the loss of `sgd-logistic` with `alpha` 0.01) at one set of weights
    (`at: start`, all zeros, or `at: optimum`, the minimiser found by `LogisticRegression`). For each batch size,
    `draws` batches are drawn without replacement (`numpy.random.RandomState(seed)`) and the gradient on each batch
    is compared with the gradient on all 569 patients: the table shows the root mean squared distance between them
    (the noise), next to its exact value `σ · √((N − b) / (b (N − 1)))`, where `σ²` is the mean squared distance of
    one patient's gradient from the full gradient and N = 569, and the length of the full gradient itself. At the
    optimum the full gradient is zero up to the solver's tolerance, so only `at: start` shows the noise as a multiple
    of it.
    """

    example = "batch_sizes: [1, 16, 256]\ndraws: 200\nexpect:\n  - noise(256) < noise(1)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        batch_sizes=opt.raw(f"The batch sizes, 1 to {SAMPLES}.", SIZES_SCHEMA, "list of 2–8 batch sizes", required=True,
                            convert=list),
        at=opt.choice("Where the gradients are taken: `start` or `optimum`.", list(PLACES), default="start"),
        draws=opt.integer("The random batches drawn at each size.", default=500, min=10, max=2000),
        seed=opt.seed("The seed of the batches.", default=0),
        expect=opt.claims("[Claims](#claims): `noise(64) < noise(4)`, `noise(16) < full`. "
                          "Names: noise(size), exact(size), full."),
        caption=opt.caption("“The distance of a batch gradient from the full gradient …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.batch_sizes = sorted(spec.batch_sizes)
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._row(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return "gradient noise " + spec.at

    def compute(self, kv, spec):
        return gradient_noise(spec.batch_sizes, spec.at, spec.draws, spec.seed)

    def _row(self, spec, text) -> int:
        t = str(text).strip()
        if not t.isdigit() or int(t) not in spec.batch_sizes:
            raise LexiconError(f"'{text}' is not one of the block's batch sizes",
                               fix="name one of: " + ", ".join(str(b) for b in spec.batch_sizes))
        return spec.batch_sizes.index(int(t))

    def _lookup(self, spec, result, n, args):
        if n == "full":
            return result["full"]
        return result["rows"][self._row(spec, args[0])]["measured" if n == "noise" else "exact"]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("The measured noise at a batch size (root mean squared distance from the full gradient): `noise(16)`.")
    def noise(self, spec, result, size):
        x = self._lookup(spec, result, "noise", [size])
        return Value(fmt(x), x)

    @value("The exact noise at a batch size, from the formula: `exact(16)`.")
    def exact(self, spec, result, size):
        x = self._lookup(spec, result, "exact", [size])
        return Value(fmt(x), x)

    @value("The ratio of the noise at two batch sizes: `ratio(4, 16)` is noise(4) / noise(16).")
    def ratio(self, spec, result, small, large):
        x = self._lookup(spec, result, "noise", [small]) / self._lookup(spec, result, "noise", [large])
        return Value(fmt(x, 2), x)

    @value("The k-th batch size, smallest first (1 = the first): `size(2)`.")
    def size(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.batch_sizes):
            raise LexiconError(f"there is no batch size number '{k}'", fix=f"name 1 to {len(spec.batch_sizes)}")
        b = spec.batch_sizes[int(k) - 1]
        return Value(str(b), b)

    @value("The patients of the breast cancer data (N).")
    def samples(self, spec, result):
        return Value(f"{result['samples']:,}", result["samples"])

    @value("The length of the full gradient.")
    def full(self, spec, result):
        x = result["full"]
        return Value(f"{x:.1e}" if x < 1e-3 else fmt(x), x)

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        rows = result["rows"]
        full = result["full"]
        # at the optimum the full gradient is zero but for the solver's tolerance: a ratio to it would measure the
        # solver, not the problem, so only the start shows one
        ratio = spec.at == "start"
        table = Table(["Batch size", f"Noise, measured ({spec.draws} batches)", "Noise, exact"]
                      + (["Noise / full gradient"] if ratio else []),
                      [[str(r["batch"]), fmt(r["measured"]), fmt(r["exact"])]
                       + ([fmt(r["measured"] / full, 2)] if ratio else []) for r in rows],
                      numeric=(0, 1, 2, 3) if ratio else (0, 1, 2))

        def figure():
            fig = go.Figure()
            sizes = [r["batch"] for r in rows]
            fig.add_trace(go.Scatter(x=sizes, y=[r["measured"] for r in rows], mode="markers", name="measured",
                                     marker=dict(color=PALETTE[0], size=9),
                                     hovertemplate="batch %{x}: %{y:.4f}<extra>measured</extra>"))
            fig.add_trace(go.Scatter(x=sizes, y=[r["exact"] for r in rows], mode="lines", name="exact",
                                     line=dict(color=PALETTE[1], width=2, dash="dot"),
                                     hovertemplate="batch %{x}: %{y:.4f}<extra>exact</extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="batch size (log scale)", standoff=6), type="log"),
                              yaxis=dict(title=dict(text="distance from the full gradient (log scale)", standoff=6),
                                         type="log"))
            return fig

        alt = ("Chart of the gradient noise against the batch size, both on log scales: "
               + "; ".join(f"batch {r['batch']}, measured {fmt(r['measured'])}, exact {fmt(r['exact'])}" for r in rows)
               + (f". The full gradient's length is {fmt(full)}." if spec.at == "start" else
                  ". The full gradient is zero at the minimum."))
        sizes = ", ".join(str(b) for b in spec.batch_sizes)
        w = ("w = np.zeros(a.shape[1])\n" if spec.at == "start" else
             f"m = LogisticRegression(C=1 / (len(y) * {ALPHA:g}), tol=1e-10, max_iter=10_000).fit(a[:, 1:], y)\n"
             "w = np.r_[m.intercept_, m.coef_[0]]\n")
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_breast_cancer\n"
                + ("from sklearn.linear_model import LogisticRegression\n" if spec.at == "optimum" else "") +
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_breast_cancer()\n"
                "a = np.column_stack([np.ones(len(data.target)), StandardScaler().fit_transform(data.data)])\n"
                "y = data.target.astype(float)\n" + w +
                "p = 1 / (1 + np.exp(-(a @ w)))\n"
                f"g = a * (p - y)[:, None]          # one gradient per patient\n"
                f"g[:, 1:] += {ALPHA:g} * w[1:]          # the L2 penalty (not on the intercept)\n"
                "full = g.mean(axis=0)\n"
                f"rng = np.random.RandomState({spec.seed})\n"
                f"for b in [{sizes}]:\n"
                f"    d2 = [np.sum((g[rng.choice(len(y), b, replace=False)].mean(axis=0) - full) ** 2) for _ in range({spec.draws})]\n"
                "    print(b, np.sqrt(np.mean(d2)))\n")
        return [
            Html(f"<p>The gradient of a regularised logistic regression of scikit-learn's breast cancer data, "
                 f"{PLACES[spec.at]}, taken on random batches of patients and compared with the gradient on all "
                 f"{result['samples']:,} of them, "
                 + (f"whose length is {fmt(full)}.</p>" if spec.at == "start" else
                    f"which is zero at the minimum ({full:.1e} here, where the solver stopped).</p>")),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=360, anchor="noise",
                   default_caption="The distance of a batch gradient from the full gradient (root mean square over the "
                                   "batches drawn), measured and exact."),
            Code(code, "The numpy loop behind these numbers (it runs as shown)"),
        ]
