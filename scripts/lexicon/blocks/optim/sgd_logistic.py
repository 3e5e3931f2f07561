"""The sgd-logistic kind: stochastic, mini-batch and batch gradient descent on a logistic regression, epoch by epoch."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...figures import LEGEND_ON_TOP, PALETTE
from ...minibatch import SHOWN, SHUFFLE_SEED, BatchSizes, batch_name, batch_sizes_option
from ...render import fmt
from ._claims import Names
from ._data import NOTE, breast_cancer, logistic_optimum, sgd, sgd_classifier

SAMPLES = 569   # the breast cancer data's patients
NAMES = Names("write e.g. 'final(1) < final(full)', 'loss(1, 1) < loss(full, 1)' or 'updates(32) = 18'",
              loss=("the loss with batch size {0} after epoch {1}", 2, False),
              final=("the final loss with batch size {0}", 1, False),
              optimum=("the lowest loss (LogisticRegression)", 0, False),
              sklearn=("the loss of SGDClassifier", 0, False),
              updates=("the updates per epoch with batch size {0}", 1, True))


class SgdLogistic(BatchSizes, Kind):
    """Stochastic gradient descent in numpy: a logistic regression of scikit-learn's breast cancer data (569 patients,
    30 standardised features, an intercept) trained with the gradient taken on one shuffled patient at a time
    (`1`), on small shuffled batches, or on all of them (`full`), for `epochs` passes over the data at a constant
    `rate`.

    The loss is the mean logistic loss plus `alpha / 2` times the squared weights (not the intercept): the
    objective of scikit-learn's `SGDClassifier(loss="log_loss", alpha=alpha)` and of
    `LogisticRegression(C = 1 / (569 · alpha))`, whose fit gives the lowest loss (the dashed line). For comparison
    the block also reports the loss `SGDClassifier` reaches with the same rate, epochs and seed (its own shuffles,
    so not the same numbers). Each run starts from all-zero weights; each epoch shuffles the patients
    (`numpy.random.RandomState(seed)`); the loss on all the patients is recorded after each epoch.
    """

    example = "batch_sizes: [full, 32, 1]\nepochs: 5\nexpect:\n  - final(1) < final(full)"
    batch_samples, batch_claims = SAMPLES, NAMES
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        batch_sizes=batch_sizes_option(SAMPLES),
        rate=opt.number("The constant learning rate of every run.", default=0.01, above=0, max=10),
        alpha=opt.number("The strength of the L2 penalty.", default=0.01, above=0, max=10),
        epochs=opt.integer("The passes over the data.", default=10, min=1, max=50),
        seed=SHUFFLE_SEED,
        expect=opt.claims("[Claims](#claims): `final(1) < final(full)`, `loss(1, 1) < loss(full, 1)`, `updates(32) = 18`. "
                          "Names: loss(size, epoch), final(size), optimum, sklearn, updates(size)."),
        **SHOWN,
    )

    def anchor_hint(self, spec):
        return "sgd " + " ".join(str(b) for b in spec.batch_sizes)

    def compute(self, kv, spec):
        a, y = breast_cancer()
        return {"runs": [sgd(a, y, spec.alpha, spec.rate, b, spec.epochs, spec.seed) for b in spec.sizes],
                "optimum": logistic_optimum(a, y, spec.alpha),
                "sklearn": sgd_classifier(a, y, spec.alpha, spec.rate, spec.epochs, spec.seed), "samples": int(len(y)),
                "features": int(a.shape[1] - 1)}

    # --- reading the result ---------------------------------------------------------------------------
    def _lookup(self, spec, result, n, args):
        if n in ("optimum", "sklearn"):
            return result[n]
        run = result["runs"][spec.sizes.index(self._size(spec, args[0]))]
        if n == "updates":
            return run["updates"]
        return run["losses"][int(args[1])] if n == "loss" else run["losses"][-1]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("The loss on all the patients after an epoch (0: before the first): `loss(1, 1)`.")
    def loss(self, spec, result, size, epoch):
        self._args(spec, "loss", [str(size).strip(), str(epoch).strip()])
        v = self._lookup(spec, result, "loss", [size, str(epoch).strip()])
        return Value(fmt(v), v)

    @value("The loss after the last epoch: `final(32)`.")
    def final(self, spec, result, size):
        v = self._lookup(spec, result, "final", [size])
        return Value(fmt(v), v)

    @value("The lowest loss, from `LogisticRegression` fitted to the same objective.")
    def optimum(self, spec, result):
        return Value(fmt(result["optimum"]), result["optimum"])

    @value("The loss of scikit-learn's `SGDClassifier` after the same epochs at the same rate.")
    def sklearn(self, spec, result):
        return Value(fmt(result["sklearn"]), result["sklearn"])

    @value("The learning rate of every run.")
    def rate(self, spec, result):
        return Value(f"{spec.rate:g}", spec.rate)

    @value("The features of the breast cancer data (the intercept aside).")
    def features(self, spec, result):
        return Value(str(result["features"]), result["features"])

    @value("The weight updates in one epoch at a batch size: `updates(32)`.")
    def updates(self, spec, result, size):
        v = self._lookup(spec, result, "updates", [size])
        return Value(f"{v:,}", v)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        runs = result["runs"]
        epochs = list(range(spec.epochs + 1))
        table = Table(["Epoch"] + [batch_name(r["batch"], SAMPLES) for r in runs],
                      [[str(e)] + [fmt(r["losses"][e]) for r in runs] for e in epochs],
                      numeric=tuple(range(len(runs) + 1)))

        def figure():
            fig = go.Figure()
            for i, r in enumerate(runs):
                fig.add_trace(go.Scatter(x=epochs, y=r["losses"], mode="lines+markers", name=batch_name(r["batch"], SAMPLES),
                                         line=dict(color=PALETTE[i], width=2),
                                         hovertemplate="epoch %{x}: loss %{y:.4f}<extra></extra>"))
            fig.add_hline(y=result["optimum"], line=dict(color=PALETTE[7], width=1, dash="dash"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="epoch", standoff=6)),
                              yaxis=dict(title=dict(text="regularised logistic loss (log scale)", standoff=6), type="log"))
            return fig

        alt = (f"Line chart of the loss after each of {spec.epochs} epochs at learning rate {spec.rate:g}: "
               + "; ".join(f"{batch_name(r['batch'], SAMPLES)}, {r['updates']:,} updates an epoch, from {fmt(r['losses'][0])} to "
                           f"{fmt(r['losses'][-1])}" for r in runs)
               + f". The lowest loss (LogisticRegression) is {fmt(result['optimum'])}.")
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_breast_cancer\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_breast_cancer()\n"
                "a = np.column_stack([np.ones(len(data.target)), StandardScaler().fit_transform(data.data)])\n"
                "y = data.target.astype(float)\n"
                f"alpha, rate, batch = {spec.alpha:g}, {spec.rate:g}, 32   # batch: 1, 32 or len(y)\n\n"
                "def loss(w):\n"
                "    z = a @ w\n"
                "    return np.mean(np.logaddexp(0, z) - y * z) + alpha / 2 * w[1:] @ w[1:]\n\n"
                f"rng = np.random.RandomState({spec.seed})\n"
                "w = np.zeros(a.shape[1])\n"
                f"for epoch in range({spec.epochs}):\n"
                "    order = rng.permutation(len(y))\n"
                "    for s in range(0, len(y), batch):\n"
                "        i = order[s:s + batch]\n"
                "        p = 1 / (1 + np.exp(-(a[i] @ w)))\n"
                "        g = a[i].T @ (p - y[i]) / len(i)\n"
                "        g[1:] += alpha * w[1:]          # the intercept is not penalised\n"
                "        w = w - rate * g\n"
                "    print(epoch + 1, loss(w))\n")
        return [
            Html(f"<p>A logistic regression learns to tell malignant from benign tumours in the {result['samples']:,} "
                 f"patients of scikit-learn's breast cancer data, at learning rate {spec.rate:g}, for {spec.epochs} "
                 "epochs. One epoch is one pass over the data: "
                 + ", ".join(f"{r['updates']:,} update{'s' if r['updates'] > 1 else ''} for the {batch_name(r['batch'], SAMPLES)}"
                             for r in runs)
                 + f". scikit-learn's <code>SGDClassifier</code> at the same rate ends at {fmt(result['sklearn'])}.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=380, anchor="epochs",
                   default_caption="The loss on all the patients after each epoch (log scale); dashed: the lowest loss, "
                                   "from LogisticRegression."),
            Code(code, "The numpy loop behind these numbers (it runs as shown)"),
        ]
