"""The optimizer-race kind: the loss after each step of gradient descent, momentum and Adam, each at its best rate."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import METHODS, MOMENTUM_BETA, NOTE, best_run, curvatures, diabetes, least_squares, loss_text, rate_text

METHODS_SCHEMA = {"type": "array", "items": {"enum": list(METHODS)}, "minItems": 1, "maxItems": 3, "uniqueItems": True}
NAMES = Names("write e.g. 'final(adam) < final(gd)' or 'loss(momentum, 100) < loss(gd, 100)'",
              loss=("the loss of {0} after step {1}", 2, False),
              final=("the final loss of {0}", 1, False),
              optimum=("the least-squares loss", 0, False))


class OptimizerRace(Kind):
    """Plain gradient descent, momentum and Adam in numpy, fitting a linear regression to scikit-learn's diabetes
    data with its features as measured (`scaled: false`: ages in years, blood pressure in mm Hg, a sex coded 1 or 2,
    …) or standardised (`scaled: true`): the mean squared error after each full-batch step, against the least-squares
    optimum (`LinearRegression`), which no run can beat.

    Every method starts from all-zero weights. Gradient descent steps `w ← w − rate · g`; momentum keeps a velocity
    `v ← 0.9 v + g` and steps `w ← w − rate · v` (Polyak 1964; the form of Sutskever et al. 2013); Adam keeps running
    means of the gradient and of its square (β₁ = 0.9, β₂ = 0.999), corrects their bias towards zero, and steps
    `rate · m̂ / (√ŝ + 10⁻⁸)` (Kingma & Ba 2015, Algorithm 1). A comparison at one shared rate would be unfair, so each
    method is run at every rate of a small grid and shown at its best (lowest final loss; a run whose loss passes 1,000
    times its start is stopped there and never wins): gradient descent and momentum at 0.25, 0.5, 1 and 1.9
    times 1/L, where L is the largest curvature of the loss (rates above 2/L make gradient descent diverge), Adam at
    0.01, 0.1, 1, 3 and 10 (its step is about `rate` per weight whatever the gradient's size).
    """

    example = "methods: [gd, momentum, adam]\nsteps: 200\nexpect:\n  - final(adam) < final(gd)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        methods=opt.raw("The methods compared: `gd`, `momentum`, `adam`.", METHODS_SCHEMA, "list of 1–3 methods",
                        default=["gd", "momentum", "adam"], convert=list),
        steps=opt.integer("The full-batch steps of every run.", default=500, min=1, max=3000),
        scaled=opt.flag("Standardise the features first (the default keeps them as measured).", default=False),
        expect=opt.claims("[Claims](#claims): `final(adam) < final(gd)`, `loss(momentum, 100) < loss(gd, 100)`. "
                          "Names: loss(method, step), final(method), optimum."),
        caption=opt.caption("“Loss after each step …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._args(spec, n, args))

    def anchor_hint(self, spec):
        return "race " + " ".join(spec.methods)

    def compute(self, kv, spec):
        a, y = diabetes(spec.scaled)
        flat, steep = curvatures(a, y)
        return {"runs": [best_run(a, y, m, spec.steps, steep) for m in spec.methods], "optimum": least_squares(a, y),
                "flat": flat, "steep": steep, "samples": int(len(y))}

    # --- reading the result ---------------------------------------------------------------------------
    def _args(self, spec, n, args):
        if args and args[0] not in spec.methods:
            raise LexiconError(f"'{args[0]}' is not one of the block's methods", fix="name one of: " + ", ".join(spec.methods))
        if n == "loss" and not (args[1].isdigit() and int(args[1]) <= spec.steps):
            raise LexiconError(f"there is no step '{args[1]}'", fix=f"name a step from 0 to {spec.steps}")

    def _lookup(self, spec, result, n, args):
        if n == "optimum":
            return result["optimum"]
        run = result["runs"][spec.methods.index(args[0])]
        return run["losses"][int(args[1])] if n == "loss" else run["losses"][-1]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    def _method(self, spec, method) -> str:
        m = str(method).strip()
        self._args(spec, "final", [m])
        return m

    @value("The loss of a method after a step (0: before the first): `loss(adam, 100)`.")
    def loss(self, spec, result, method, step):
        m, s = self._method(spec, method), str(step).strip()
        self._args(spec, "loss", [m, s])
        v = self._lookup(spec, result, "loss", [m, s])
        return Value(loss_text(v), v)

    @value("The loss of a method after the last step: `final(momentum)`.")
    def final(self, spec, result, method):
        v = self._lookup(spec, result, "final", [self._method(spec, method)])
        return Value(loss_text(v), v)

    @value("The rate a method won with, from its grid: `rate(gd)`.")
    def rate(self, spec, result, method):
        r = result["runs"][spec.methods.index(self._method(spec, method))]["rate"]
        return Value(rate_text(r), r)

    @value("The least-squares loss (`LinearRegression`), the lowest any run can reach.")
    def optimum(self, spec, result):
        return Value(loss_text(result["optimum"]), result["optimum"])

    @value("The loss before the first step (all weights zero).")
    def start(self, spec, result):
        v = result["runs"][0]["losses"][0]
        return Value(loss_text(v), v)

    @value("The condition number of the loss: its largest curvature over its smallest.")
    def condition(self, spec, result):
        c = result["steep"] / result["flat"]
        return Value(f"{c:,.0f}", c)

    @value("The steps of every run.")
    def steps(self, spec, result):
        return Value(f"{spec.steps:,}", spec.steps)

    @value("A step number of the runs, checked to lie within them (for prose that names a step): `step(100)`.")
    def step(self, spec, result, k):
        self._args(spec, "loss", [spec.methods[0], str(k).strip()])
        return Value(f"{int(k):,}", int(k))

    @value("Momentum's coefficient β (the share of the velocity kept each step).")
    def beta(self, spec, result):
        return Value(f"{MOMENTUM_BETA:g}", MOMENTUM_BETA)

    @value("The rates tried for each method: `tried(adam)` counts them.")
    def tried(self, spec, result, method):
        n = len(result["runs"][spec.methods.index(self._method(spec, method))]["tried"])
        return Value(str(n), n)

    @value("Gradient descent's limit 2/L: any larger rate diverges.")
    def limit(self, spec, result):
        v = 2 / result["steep"]
        return Value(rate_text(v), v)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        runs = result["runs"]
        marks = sorted({0, spec.steps} | {s for s in (1, 10, 50, 100, 200, 500, 1000, 2000) if s < spec.steps})
        table = Table(["Step"] + [f"{METHODS[r['method']]} (rate {rate_text(r['rate'])})" for r in runs],
                      [[str(s)] + [loss_text(r["losses"][s]) for r in runs] for s in marks],
                      numeric=tuple(range(len(runs) + 1)))
        tried = Table(["Method", "Rates tried: final loss (“stopped”: loss passed 1,000× its start)"],
                      [[METHODS[r["method"]], "; ".join(f"{rate_text(rt)}: " + (loss_text(v) if v is not None
                                                                              else f"stopped at step {at}")
                                                        for rt, v, at in r["tried"])] for r in runs])

        def figure():
            fig = go.Figure()
            xs = list(range(spec.steps + 1))
            for i, r in enumerate(runs):
                fig.add_trace(go.Scatter(x=xs, y=r["losses"], mode="lines", name=METHODS[r["method"]],
                                         line=dict(color=PALETTE[i], width=2),
                                         hovertemplate="step %{x}: loss %{y:.1f}<extra></extra>"))
            fig.add_hline(y=result["optimum"], line=dict(color=PALETTE[7], width=1, dash="dash"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="step", standoff=6)),
                              yaxis=dict(title=dict(text="mean squared error (log scale)", standoff=6), type="log"))
            return fig

        what = "standardised" if spec.scaled else "as measured (unscaled)"
        alt = (f"Line chart of the loss after each of {spec.steps} steps: "
               + "; ".join(f"{METHODS[r['method']]} at rate {rate_text(r['rate'])} from {loss_text(r['losses'][0])} "
                           f"to {loss_text(r['losses'][-1])}" for r in runs)
               + f". The least-squares loss is {loss_text(result['optimum'])}.")
        features = ("StandardScaler().fit_transform(data.data)" if spec.scaled else "data.data")
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_diabetes\n"
                + ("from sklearn.preprocessing import StandardScaler\n" if spec.scaled else "")
                + "\ndata = load_diabetes(scaled=False)\n"
                f"a = np.column_stack([np.ones(len(data.target)), {features}])\n"
                "y = data.target.astype(float)\n\n"
                f"for method, rate in {[(r['method'], r['rate']) for r in runs]!r}:\n"
                "    w, v, m, s = (np.zeros(a.shape[1]) for _ in range(4))\n"
                f"    for t in range(1, {spec.steps} + 1):\n"
                "        g = 2 * a.T @ (a @ w - y) / len(y)      # the gradient of the mean squared error\n"
                "        if method == 'gd':\n"
                "            w = w - rate * g\n"
                "        elif method == 'momentum':\n"
                f"            v = {MOMENTUM_BETA:g} * v + g\n"
                "            w = w - rate * v\n"
                "        else:                                      # Adam\n"
                "            m = 0.9 * m + 0.1 * g\n"
                "            s = 0.999 * s + 0.001 * g * g\n"
                "            m_hat, s_hat = m / (1 - 0.9 ** t), s / (1 - 0.999 ** t)\n"
                "            w = w - rate * m_hat / (np.sqrt(s_hat) + 1e-8)\n"
                "    print(method, np.mean((a @ w - y) ** 2))\n")
        return [
            Html(f"<p>Each method fits a linear regression to the {result['samples']:,} patients of scikit-learn's "
                 f"diabetes data, features {what}, for {spec.steps:,} full-batch steps, at the rate of its grid that "
                 f"ends lowest. The loss's curvature is {result['steep'] / result['flat']:,.0f} times larger in its "
                 f"steepest direction than in its flattest.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=380, anchor="race",
                   default_caption="The loss on all the patients after each step (log scale); dashed: the "
                                   "least-squares optimum."),
            tried,
            Code(code, "The numpy loop behind these numbers (it runs as shown)"),
        ]
