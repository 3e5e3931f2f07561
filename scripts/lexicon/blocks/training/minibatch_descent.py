"""The minibatch-descent kind: the loss after each epoch of batch, mini-batch and stochastic gradient descent."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...minibatch import SHOWN, SHUFFLE_SEED, BatchSizes, batch_name, batch_sizes_option
from ...render import fmt
from ._claims import Names
from ._data import NOTE, closed_form, design, diabetes, minibatch_descent

NAMES = Names("write e.g. 'final(32) < final(full)', 'loss(1, 1) < loss(full, 1)' or 'updates(32) = 14'",
              loss=("the loss after epoch {1} (batch size: {0})", 2, False),
              final=("the final loss (batch size: {0})", 1, False),
              optimum=("the least-squares loss", 0, False),
              updates=("the updates per epoch (batch size: {0})", 1, True))


class MinibatchDescent(BatchSizes, Kind):
    """Gradient descent in numpy on a linear regression of scikit-learn's diabetes data, with the gradient
    taken on all the samples (batch), on small shuffled batches (mini-batch) or on one sample at a time
    (stochastic): the loss after each epoch, against the least-squares optimum.

    The data and loss are those of `gradient-descent`: the ten standardised features (with an intercept) and
    the mean squared error on all 442 patients. Each run starts from all-zero weights; each epoch shuffles the
    patients (`numpy.random.RandomState(seed)`) and takes one step `w ← w − rate · gradient` per batch of
    each size in `batch_sizes` (`full` is all of them), so an epoch is one pass over the data and holds
    442 / batch size updates, rounded up. After each epoch the loss on all the patients is recorded; the
    dashed line is the loss of the closed-form least-squares fit (`LinearRegression`), which no run can beat.
    A run whose loss passes 1,000 times its start is stopped and said to diverge.
    """

    example = "batch_sizes: [full, 32, 1]\nepochs: 10\nexpect:\n  - final(32) < final(full)"
    batch_samples, batch_claims = 442, NAMES
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        batch_sizes=batch_sizes_option(442),
        rate=opt.number("The learning rate (step size) of every run.", default=0.01, above=0, max=10),
        epochs=opt.integer("The passes over the data.", default=20, min=1, max=100),
        seed=SHUFFLE_SEED,
        expect=opt.claims("[Claims](#claims): `final(32) < final(full)`, `loss(1, 1) < loss(full, 1)`, "
                          "`updates(32) = 14`. Names: loss(size, epoch), final(size), optimum, updates(size)."),
        **SHOWN,
    )

    def anchor_hint(self, spec):
        return "epochs " + " ".join(str(b) for b in spec.batch_sizes)

    def compute(self, kv, spec):
        x, y, _ = diabetes()
        a = design(x)
        return {"runs": [minibatch_descent(a, y, spec.rate, b, spec.epochs, spec.seed) for b in spec.sizes],
                "optimum": closed_form(x, y)["loss"], "samples": int(len(y))}

    # --- reading the result ---------------------------------------------------------------------------
    def _run(self, spec, result, size) -> dict:
        return result["runs"][spec.sizes.index(self._size(spec, size))]

    def _lookup(self, spec, result, n, args):
        if n == "optimum":
            return result["optimum"]
        run = self._run(spec, result, args[0])
        if n == "updates":
            return -(-result["samples"] // run["batch"])
        if run["diverged_at"]:
            return None
        return run["losses"][int(args[1])] if n == "loss" else run["losses"][-1]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    def _quoted(self, spec, result, n, args):
        v = self._lookup(spec, result, n, args)
        if v is None:
            raise LexiconError(f"batch size {args[0]} diverged", fix="quote another run, or lower the rate")
        return Value(f"{v:,}" if n == "updates" else fmt(v), v)

    @value("The loss on all the patients after an epoch (0: before the first): `loss(32, 1)`.")
    def loss(self, spec, result, size, epoch):
        self._args(spec, "loss", [str(size), str(epoch).strip()])
        return self._quoted(spec, result, "loss", [size, epoch])

    @value("The loss after the last epoch: `final(full)`.")
    def final(self, spec, result, size):
        return self._quoted(spec, result, "final", [size])

    @value("The loss of the least-squares fit (`LinearRegression`), the lowest any run can reach.")
    def optimum(self, spec, result):
        return Value(fmt(result["optimum"]), result["optimum"])

    @value("The learning rate of every run (`rate`).")
    def rate(self, spec, result):
        return Value(f"{spec.rate:g}", spec.rate)

    @value("The weight updates in one epoch at a batch size: `updates(32)`.")
    def updates(self, spec, result, size):
        return self._quoted(spec, result, "updates", [size])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        n, runs = result["samples"], result["runs"]
        epochs = list(range(spec.epochs + 1))
        table = Table(["Epoch"] + [batch_name(r["batch"], n) for r in runs],
                      [[str(e)] + [fmt(r["losses"][e]) if e < len(r["losses"]) else "diverged" for r in runs]
                       for e in epochs], numeric=tuple(range(len(runs) + 1)))

        seen = [v for r in runs for v in r["losses"]] + [result["optimum"]]
        ticks = [t * 10 ** k for k in range(1, 8) for t in (1, 2, 3, 5) if min(seen) / 1.5 <= t * 10 ** k <= max(seen) * 1.5]

        def figure():
            fig = go.Figure()
            for i, r in enumerate(runs):
                fig.add_trace(go.Scatter(x=epochs[:len(r["losses"])], y=r["losses"], mode="lines+markers",
                                         name=batch_name(r["batch"], n), line=dict(color=PALETTE[i], width=2),
                                         hovertemplate="epoch %{x}: loss %{y:.1f}<extra></extra>"))
            fig.add_hline(y=result["optimum"], line=dict(color=PALETTE[7], width=1, dash="dash"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="epoch", standoff=6)),
                              yaxis=dict(title=dict(text="mean squared error (log scale)", standoff=6), type="log",
                                         tickvals=ticks, tickformat=",.0f"))
            return fig

        alt = (f"Line chart of the loss after each of {spec.epochs} epochs, learning rate {spec.rate:g}: "
               + "; ".join(f"{batch_name(r['batch'], n)}, {-(-n // r['batch']):,} update{'s' if r['batch'] < n else ''} an epoch, from {fmt(r['losses'][0])} "
                           + (f"to {fmt(r['losses'][-1])}" if not r["diverged_at"] else
                              f"until it diverged at epoch {r['diverged_at']}") for r in runs)
               + f". The least-squares loss is {fmt(result['optimum'])}.")
        code = ("import numpy as np\n"
                "# a: the standardised diabetes features with a column of ones; y: the target (as in gradient-descent)\n"
                f"rng = np.random.RandomState({spec.seed})\n"
                "w = np.zeros(a.shape[1])\n"
                f"for epoch in range({spec.epochs}):\n"
                "    order = rng.permutation(len(y))\n"
                "    for s in range(0, len(y), batch):\n"
                "        i = order[s:s + batch]\n"
                f"        w -= {spec.rate:g} * 2 * a[i].T @ (a[i] @ w - y[i]) / len(i)\n"
                "    np.mean((a @ w - y) ** 2)  # the loss after this epoch\n")
        return [
            Html(f"<p>Gradient descent fits a linear regression to the {n:,} patients of scikit-learn's diabetes data "
                 f"at learning rate {spec.rate:g}, for {spec.epochs} epochs. One epoch is one pass over the data: "
                 + ", ".join(f"{-(-n // r['batch']):,} update{'s' if r['batch'] < n else ''} for the "
                             f"{batch_name(r['batch'], n)}" for r in runs) + ".</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=380, anchor="epochs",
                   default_caption="The loss on all the patients after each epoch (log scale); dashed: the "
                                   "least-squares optimum."),
            Code(code, "The numpy loop behind these numbers"),
        ]
