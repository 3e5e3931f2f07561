"""The lr-schedule kind: constant, step, cosine and warmup learning-rate schedules, each at its best base rate."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import ALPHA, SCHEDULES, WARMUP, scheduled_sgd, NOTE

RATES_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 10}, "minItems": 1,
                "maxItems": 6, "uniqueItems": True}
NAMES = Names("write e.g. 'final(cosine) < final(constant)' or 'spread(cosine) < spread(constant)'",
              final=("the mean final loss of {0} at its best base rate", 1, False),
              spread=("the spread (highest minus lowest) of the final loss of {0} over the seeds", 1, False),
              optimum=("the lowest loss (LogisticRegression)", 0, False))


def best_rows(result) -> dict:
    """Each schedule's best base rate (lowest mean final loss; a rate that diverged on any seed never wins)."""
    out = {}
    for name, tried in result["runs"].items():
        ok = [t for t in tried if None not in [r[-1] for r in t["runs"]]]
        best = min(ok, key=lambda t: np.mean([r[-1] for r in t["runs"]]))
        finals = [r[-1] for r in best["runs"]]
        out[name] = {"rate": best["rate"], "final": float(np.mean(finals)), "spread": float(max(finals) - min(finals)),
                     "curve": np.mean([r for r in best["runs"]], axis=0).tolist(),
                     "tried": [[t["rate"], None if None in [r[-1] for r in t["runs"]] else
                                float(np.mean([r[-1] for r in t["runs"]]))] for t in tried]}
    return out


class LrSchedule(Kind):
    """Learning-rate schedules compared (constant, step decay, cosine decay, warmup then cosine), each at its best base
    rate, on a mini-batch logistic regression.

    Mini-batch gradient descent (batches of `batch`, a fresh shuffle each epoch)
    on the regularised logistic regression of `sgd-logistic` (scikit-learn's breast cancer data, L2 penalty 0.01), for
    `epochs` epochs, with the rate of each step set by a schedule: `constant`; `step` (halved after each third of the
    steps); `cosine` (from the base rate down towards 0 along half a cosine wave, as in Loshchilov & Hutter 2017
    without restarts); `warmup` (rising linearly from near 0 over the first tenth of the steps, then cosine).

    Each schedule is run at each base rate of `rates` on `seeds` shuffles (`RandomState(0)`, `RandomState(1)`, …) and
    is shown at the base rate with the lowest mean final loss (a rate that diverged on any shuffle is not chosen). The
    dashed line is the lowest loss, from `LogisticRegression` fitted to the same objective.
    """

    example = "schedules: [constant, cosine]\nrates: [0.3, 1]\nepochs: 5\nseeds: 2"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        schedules=opt.raw("The schedules compared.", {"type": "array", "items": {"enum": list(SCHEDULES)}, "minItems": 1,
                                                       "maxItems": 4, "uniqueItems": True},
                          "list of `constant`, `step`, `cosine`, `warmup`", default=list(SCHEDULES), convert=list),
        rates=opt.raw("The base rates each schedule is tried at.", RATES_SCHEMA, "list of 1–6 rates",
                      default=[0.1, 0.3, 1, 3], convert=list),
        batch=opt.integer("The batch size.", default=32, min=1, max=569),
        epochs=opt.integer("The epochs.", default=10, min=1, max=30),
        seeds=opt.integer("The shuffles each run is repeated with.", default=3, min=1, max=10),
        expect=opt.claims("[Claims](#claims): `final(cosine) < final(constant)`, `spread(cosine) < spread(constant)`. "
                          "Names: final(schedule), spread(schedule), optimum."),
        caption=opt.caption("“The loss above the optimum …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if len(spec.rates) * len(spec.schedules) * spec.seeds * spec.epochs > 2000:
            raise LexiconError("too many runs: rates × schedules × seeds × epochs is over 2,000",
                               fix="try fewer rates, seeds or epochs")
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._name(spec, args[0]) if args else None)

    def _name(self, spec, text) -> str:
        t = str(text).strip()
        if t not in spec.schedules:
            raise LexiconError(f"'{text}' is not one of the block's schedules", fix="name one of: " + ", ".join(spec.schedules))
        return t

    def anchor_hint(self, spec):
        return "schedules"

    def compute(self, kv, spec):
        from ...logistic import breast_cancer, logistic_optimum

        a, y = breast_cancer()
        runs = {k: [{"rate": r, "runs": [scheduled_sgd(k, r, spec.batch, spec.epochs, s) for s in range(spec.seeds)]}
                    for r in spec.rates] for k in spec.schedules}
        for k, tried in runs.items():
            if all(None in [r[-1] for r in t["runs"]] for t in tried):
                raise LexiconError(f"every base rate diverged for the {k} schedule", fix="add smaller rates")
        return {"runs": runs, "optimum": logistic_optimum(a, y, ALPHA), "updates": -(-len(y) // spec.batch)}

    def _lookup(self, spec, result, n, args):
        if n == "optimum":
            return result["optimum"]
        return best_rows(result)[self._name(spec, args[0])][n]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("The mean final loss of a schedule at its best base rate: `final(cosine)`.")
    def final(self, spec, result, name):
        x = self._lookup(spec, result, "final", [name])
        return Value(fmt(x), x)

    @value("The spread of a schedule's final loss over the shuffles: `spread(constant)`.")
    def spread(self, spec, result, name):
        x = self._lookup(spec, result, "spread", [name])
        return Value(f"{x:.1e}" if x < 1e-3 else fmt(x), x)

    def _at(self, spec, result, name, rate) -> list:
        """The final losses of a schedule at one of the base rates tried, shuffle by shuffle."""
        k = self._name(spec, name)
        for t in result["runs"][k]:
            if f"{t['rate']:g}" == str(rate).strip():
                finals = [r[-1] for r in t["runs"]]
                if None in finals:
                    raise LexiconError(f"the {k} schedule diverged at base rate {rate}", fix="quote a rate that did not")
                return finals
        raise LexiconError(f"'{rate}' is not one of the block's base rates",
                           fix="name one of: " + ", ".join(f"{r:g}" for r in spec.rates))

    @value("The mean final loss of a schedule at one of the base rates tried: `final_at(constant, 1)`.")
    def final_at(self, spec, result, name, rate):
        x = float(np.mean(self._at(spec, result, name, rate)))
        return Value(fmt(x), x)

    @value("The spread of a schedule's final loss over the shuffles at one of the base rates tried: "
           "`spread_at(constant, 1)`.")
    def spread_at(self, spec, result, name, rate):
        f = self._at(spec, result, name, rate)
        x = float(max(f) - min(f))
        return Value(f"{x:.1e}" if x < 1e-3 else fmt(x), x)

    @value("The best base rate of a schedule: `rate(cosine)`.")
    def rate(self, spec, result, name):
        x = best_rows(result)[self._name(spec, name)]["rate"]
        return Value(f"{x:g}", x)

    @value("The lowest loss, from `LogisticRegression`.")
    def optimum(self, spec, result):
        return Value(fmt(result["optimum"]), result["optimum"])

    @value("The updates in one epoch.")
    def updates(self, spec, result):
        return Value(str(result["updates"]), result["updates"])

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        rows = best_rows(result)
        opt_ = result["optimum"]
        table = Table(["Schedule", "Best base rate", f"Final loss (mean of {spec.seeds})", "Above the optimum",
                       "Spread over the shuffles", "Mean final loss at each rate tried"],
                      [[SCHEDULES[k], f"{r['rate']:g}", fmt(r["final"]), f"{r['final'] - opt_:.1e}",
                        f"{r['spread']:.1e}",
                        "; ".join(f"{t[0]:g}: {'diverged' if t[1] is None else fmt(t[1])}" for t in r["tried"])]
                       for k, r in rows.items()], numeric=(1, 2, 3, 4))

        def figure():
            fig = go.Figure()
            for i, (k, r) in enumerate(rows.items()):
                fig.add_trace(go.Scatter(x=list(range(1, spec.epochs + 1)), y=[v - opt_ for v in r["curve"][1:]],
                                         mode="lines+markers", name=f"{k} (rate {r['rate']:g})",
                                         line=dict(color=PALETTE[i], width=2),
                                         hovertemplate="epoch %{x}: %{y:.2e}<extra>" + k + "</extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="epoch", standoff=6)),
                              yaxis=dict(title=dict(text="loss above the optimum (log scale)", standoff=6), type="log"))
            return fig

        alt = ("Line chart of the loss above the optimum after each epoch, each schedule at its best base rate: "
               + "; ".join(f"{SCHEDULES[k]} at {r['rate']:g} ends {r['final'] - opt_:.1e} above" for k, r in rows.items())
               + ".")
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_breast_cancer\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_breast_cancer()\n"
                "a = np.column_stack([np.ones(len(data.target)), StandardScaler().fit_transform(data.data)])\n"
                "y = data.target.astype(float)\n"
                f"alpha, base, batch, epochs = {ALPHA:g}, 1.0, {spec.batch}, {spec.epochs}\n"
                "total = -(-len(y) // batch) * epochs\n\n"
                "def rate(kind, t):\n"
                "    if kind == 'constant':\n"
                "        return base\n"
                "    if kind == 'step':\n"
                "        return base * 0.5 ** min(2, (3 * t) // total)\n"
                f"    warm = max(1, int({WARMUP:g} * total)) if kind == 'warmup' else 0\n"
                "    if t < warm:\n"
                "        return base * (t + 1) / warm\n"
                "    return base * 0.5 * (1 + np.cos(np.pi * (t - warm) / (total - warm)))\n\n"
                "for kind in ['constant', 'step', 'cosine', 'warmup']:\n"
                "    rng, w, t = np.random.RandomState(0), np.zeros(a.shape[1]), 0\n"
                "    for epoch in range(epochs):\n"
                "        order = rng.permutation(len(y))\n"
                "        for s in range(0, len(y), batch):\n"
                "            i = order[s:s + batch]\n"
                "            g = a[i].T @ (1 / (1 + np.exp(-(a[i] @ w))) - y[i]) / len(i)\n"
                "            g[1:] += alpha * w[1:]\n"
                "            w, t = w - rate(kind, t) * g, t + 1\n"
                "    z = a @ w\n"
                "    print(kind, np.mean(np.logaddexp(0, z) - y * z) + alpha / 2 * w[1:] @ w[1:])\n")
        return [
            Html(f"<p>Mini-batch gradient descent (batches of {spec.batch}, {result['updates']} updates an epoch) fits a "
                 f"regularised logistic regression to scikit-learn's breast cancer data for {spec.epochs} epochs. Each "
                 f"schedule is tried at base rates {', '.join(f'{r:g}' for r in spec.rates)}, each on {spec.seeds} "
                 f"shuffles, and shown at its best. The lowest loss possible is {fmt(opt_)}.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=380, anchor="schedules",
                   default_caption="The loss above the optimum after each epoch (mean over the shuffles, log scale), each "
                                   "schedule at its best base rate."),
            Code(code, "The numpy loop behind these numbers, at base rate 1 and one shuffle (it runs as shown)"),
        ]
