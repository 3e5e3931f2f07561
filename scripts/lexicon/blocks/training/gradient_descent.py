"""The gradient-descent kind: batch gradient descent in numpy on a linear regression, per learning rate."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import DIVERGED, NOTE, closed_form, curvature, descend, design, diabetes

RATES_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 10}, "minItems": 1,
                "maxItems": 4, "uniqueItems": True}
NAMES = Names("write e.g. 'loss(0.1) < loss(0.01)', 'within(0.1) < 50', 'diverged(0.5) = 1' or 'loss(0.1) < 3000'",
              loss=("the loss after the last step at rate {0}", 1, False),
              within=("the steps rate {0} takes to come within the tolerance", 1, True),
              diverged=("whether rate {0} diverges (1: yes, 0: no)", 1, True),
              optimum=("the least-squares optimum's loss", 0, False),
              start=("the loss of all-zero weights", 0, False))


def rate_text(r: float) -> str:
    return f"{r:g}"


class GradientDescent(Kind):
    """Batch gradient descent, written in numpy, fitting a linear regression to scikit-learn's diabetes
    data by mean squared error, at one or more learning rates, against the closed-form optimum.

    The 10 features of the 442 patients are standardised (`StandardScaler`); the target is a measure
    of disease progression a year later. From all-zero weights (intercept included) each step moves
    the weights against the gradient of the mean squared error, `w ← w − rate · (2/n) Aᵀ(Aw − y)`, for
    `steps` steps. The figure draws the loss per step (log scale) for each rate; the table gives the
    loss after the last step, the optimum that scikit-learn's `LinearRegression` reaches in closed
    form, and the first step at which the loss comes within `tolerance` (a share: 0.01 = 1 %) of it.
    A rate too large makes the loss grow instead: once it passes 1,000 times its starting value the
    run is stopped and reported as diverged, at that step; rates below 2
    divided by the largest eigenvalue of the loss's Hessian converge (the block reports that limit).
    """

    example = "rates: [0.01, 0.1, 0.3]\nsteps: 100\nexpect:\n  - loss(0.1) < loss(0.01)\n  - diverged(0.3) = 1"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        rates=opt.raw("The learning rates, one run each (more than 0, at most 10).", RATES_SCHEMA,
                      "list of 1–4 different numbers", default=[0.01, 0.1], convert=list),
        steps=opt.integer("How many steps each run takes.", default=100, min=1, max=5000),
        tolerance=opt.number("How close to the optimum's loss counts as arrived, as a share of it (0.01 = 1%).",
                             default=0.01, above=0, max=1, display=True),
        expect=opt.claims("[Claims](#claims): `loss(0.1) < loss(0.01)`, `within(0.1) < 50`, `diverged(0.3) = 1`, "
                          "`loss(0.1) < 3000`. Names: loss(rate), within(rate), diverged(rate), optimum, start."),
        caption=opt.caption("“The mean squared error at each step, for each learning rate …”"),
        figure=opt.show_figure("Show the loss curves (their numbers are then folded under them)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._rate(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return "gradient descent " + " ".join(rate_text(r) for r in spec.rates)

    def compute(self, kv, spec):
        x, y, _ = diabetes()
        a = design(x)
        return {"runs": [descend(a, y, r, spec.steps) for r in spec.rates], "optimum": closed_form(x, y),
                "curvature": curvature(a, y), "samples": len(y), "features": x.shape[1]}

    # --- reading the result ---------------------------------------------------------------------------
    def _rate(self, spec, text) -> float:
        match = [r for r in spec.rates if rate_text(r) == str(text).strip()]
        if not match:
            raise LexiconError(f"'{text}' is not one of the block's learning rates",
                               fix="name one of: " + ", ".join(rate_text(r) for r in spec.rates))
        return match[0]

    def _run(self, spec, result, text) -> dict:
        return result["runs"][spec.rates.index(self._rate(spec, text))]

    def _within(self, spec, result, run):
        target = result["optimum"]["loss"] * (1 + spec.tolerance)
        return next((i for i, v in enumerate(run["losses"]) if v <= target), None)

    def _lookup(self, spec, result, name, args):
        if name == "optimum":
            return result["optimum"]["loss"]
        if name == "start":
            return result["runs"][0]["losses"][0]
        run = self._run(spec, result, args[0])
        if name == "diverged":
            return int(run["diverged_at"] is not None)
        if name == "within":
            return self._within(spec, result, run)
        return None if run["diverged_at"] else run["losses"][-1]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    # --- values for prose -----------------------------------------------------------------------------
    @value("The mean squared error after the last step at a rate: `loss(0.1)` (an error if that rate diverged).")
    def loss(self, spec, result, rate):
        run = self._run(spec, result, rate)
        if run["diverged_at"]:
            raise LexiconError(f"rate {rate} diverged at step {run['diverged_at']}: it has no final loss",
                               fix=f"quote diverged_at({rate}), or a rate that converges")
        return Value(fmt(run["losses"][-1]), run["losses"][-1])

    @value("The loss of the closed-form least-squares fit (`LinearRegression`), the lowest any rate can reach.")
    def optimum(self, spec, result):
        return Value(fmt(result["optimum"]["loss"]), result["optimum"]["loss"])

    @value("The loss before the first step (all weights zero).")
    def start(self, spec, result):
        v = result["runs"][0]["losses"][0]
        return Value(fmt(v), v)

    @value("The first step at which a rate's loss is within the tolerance of the optimum: `within(0.1)`.")
    def within(self, spec, result, rate):
        k = self._within(spec, result, self._run(spec, result, rate))
        if k is None:
            raise LexiconError(f"rate {rate} never comes within the tolerance in {spec.steps} steps",
                               fix="quote another rate, or give the block more steps")
        return Value(f"{k:,}", k)

    @value("The step at which a rate was stopped as diverged: `diverged_at(0.3)`.")
    def diverged_at(self, spec, result, rate):
        k = self._run(spec, result, rate)["diverged_at"]
        if k is None:
            raise LexiconError(f"rate {rate} does not diverge", fix="quote a rate the table marks as diverged")
        return Value(f"{k:,}", k)

    @value("The limit of the learning rate: rates below 2 / the largest eigenvalue of the Hessian converge (`0.2485`).")
    def limit(self, spec, result):
        v = 2 / result["curvature"]
        return Value(fmt(v), v)

    @value("The tolerance as the table writes it (`1%`).")
    def tolerance(self, spec, result):
        return Value(f"{spec.tolerance * 100:g}%", spec.tolerance)

    @value("The number of patients (samples) in the data.")
    def samples(self, spec, result):
        return Value(f"{result['samples']:,}", result["samples"])

    @value("The number of features (each standardised).")
    def features(self, spec, result):
        return Value(str(result["features"]), result["features"])

    @value("The number of steps each run takes.")
    def steps(self, spec, result):
        return Value(f"{spec.steps:,}", spec.steps)

    @value("The k-th learning rate (1 = the first listed): `rate(2)`.")
    def rate(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.rates):
            raise LexiconError(f"there is no rate '{k}'", fix=f"name 1 to {len(spec.rates)} ('rates' lists them)")
        r = spec.rates[int(k) - 1]
        return Value(rate_text(r), r)

    # --- rendering ------------------------------------------------------------------------------------
    def _status(self, spec, result, run) -> str:
        if run["diverged_at"]:
            return f"diverged: loss over {DIVERGED:,.0f} × its start at step {run['diverged_at']:,}"
        k = self._within(spec, result, run)
        return f"within {spec.tolerance * 100:g}% at step {k:,}" if k is not None else \
            f"not within {spec.tolerance * 100:g}% after {spec.steps:,} steps"

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        opt_loss, runs = result["optimum"]["loss"], result["runs"]
        rows = [[rate_text(r["rate"]), "—" if r["diverged_at"] else fmt(r["losses"][-1]),
                 self._status(spec, result, r)] for r in runs]
        rows.append(["closed form (LinearRegression)", fmt(opt_loss), "the optimum"])

        def figure():
            fig = go.Figure()
            for i, r in enumerate(runs):
                fig.add_trace(go.Scatter(
                    x=list(range(len(r["losses"]))), y=r["losses"], mode="lines", name=f"rate {rate_text(r['rate'])}",
                    line=dict(color=PALETTE[i], width=2, dash=("solid", "dash", "dot", "dashdot")[i]),
                    hovertemplate=f"rate {rate_text(r['rate'])}, step %{{x}}: loss %{{y:.4f}}<extra></extra>"))
            fig.add_hline(y=opt_loss, line=dict(color=PALETTE[7], width=1, dash="dot"))
            fig.update_layout(**LEGEND_ON_TOP,
                              xaxis=dict(title=dict(text="step", standoff=6)),
                              yaxis=dict(type="log", title=dict(text="mean squared error (log scale)", standoff=6)))
            return fig

        alt = (f"Line chart of the mean squared error (log scale) against the step, from {fmt(runs[0]['losses'][0])} "
               f"before the first step; dotted: the optimum, {fmt(opt_loss)}. "
               + " ".join(f"Rate {row[0]}: {row[2]}" + ("" if row[1] == "—" else f", loss {row[1]} at the end") + "."
                          for row in rows[:-1]))
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_diabetes\n"
                "from sklearn.linear_model import LinearRegression\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_diabetes(scaled=False)\n"
                "x = StandardScaler().fit_transform(data.data)\n"
                "y = data.target\n"
                "a = np.column_stack([np.ones(len(y)), x])      # intercept first\n"
                f"w = np.zeros(a.shape[1])\n"
                f"for step in range({spec.steps}):\n"
                f"    w -= rate * 2 * a.T @ (a @ w - y) / len(y)  # rate: one of {[r for r in spec.rates]}\n"
                "loss = np.mean((a @ w - y) ** 2)\n"
                "best = LinearRegression().fit(x, y)            # the closed-form optimum\n"
                "np.mean((best.predict(x) - y) ** 2)\n")
        return [
            Html(f"<p>{result['samples']:,} patients, {result['features']} standardised features; every step uses "
                 f"all of them (batch gradient descent). Rates above {fmt(2 / result['curvature'])} "
                 f"(2 / the largest eigenvalue of the Hessian) diverge.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=Table(["Learning rate", f"Loss after {spec.steps:,} steps",
                                                                      f"Within {spec.tolerance:.0%} of the optimum's loss?"],
                                                                     rows, numeric=(1,)),
                   height=360, anchor="loss",
                   default_caption="The mean squared error at each step, for each learning rate; dotted: the "
                                   "closed-form optimum. A diverged run stops where it was stopped."),
            Code(code, "The numpy and scikit-learn code behind these numbers"),
        ]
