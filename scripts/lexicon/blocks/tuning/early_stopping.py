"""The early-stopping kind: training and validation loss epoch by epoch, the best epoch, and where patience stops."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import NOTE, early_stopping_runs, stop_at

NAMES = Names("write e.g. 'final > best_loss' or 'best_epoch < 500'",
              best_loss=("the mean lowest validation loss", 0, False),
              final=("the mean validation loss after the last epoch", 0, False),
              kept=("the mean validation loss of the weights early stopping keeps", 0, False),
              best_epoch=("the median best epoch", 0, True),
              stopped=("the median epoch early stopping stops at", 0, True),
              best_accuracy=("the mean validation accuracy at the best epochs", 0, False),
              final_accuracy=("the mean validation accuracy after the last epoch", 0, False))


def summary(spec, result) -> dict:
    runs = result["runs"]
    best = [int(np.argmin(r["valid"])) for r in runs]
    stops = [stop_at(r["valid"], spec.patience) for r in runs]
    return {"best": best, "stops": stops,
            "best_loss": float(np.mean([r["valid"][b] for r, b in zip(runs, best)])),
            "final": float(np.mean([r["valid"][-1] for r in runs])),
            "best_accuracy": float(np.mean([r["accuracy"][b] for r, b in zip(runs, best)])),
            "final_accuracy": float(np.mean([r["accuracy"][-1] for r in runs])),
            "kept": float(np.mean([r["valid"][k] for r, (_, k) in zip(runs, stops)])),
            "best_epoch": float(np.median(best)), "stopped": float(np.median([s for s, _ in stops]))}


class EarlyStopping(Kind):
    """Early stopping on a logistic regression that overfits: the validation loss after every epoch, the best epoch,
    and where a given patience stops training.

    A logistic regression WITHOUT any penalty learns by full-batch gradient descent (written in
    numpy, from all-zero weights, at `rate`) from `patients` tumours of scikit-learn's breast cancer data, and the
    mean logistic loss on the other tumours (the validation split) is recorded after every epoch (one epoch is one
    full-batch step). Unpenalised, the weights keep growing as the training loss falls towards zero, and from some
    epoch on the validation loss rises again: the model overfits.

    Early stopping keeps the weights of the epoch with the lowest validation loss, and stops training once `patience`
    epochs have passed without a new lowest. The run is repeated on `seeds` stratified splits
    (`train_test_split(random_state=seed + r)`, features standardised on the training part); the figure shows the
    first, the table every split.
    """

    example = "patients: 100\nepochs: 400\nseeds: 3\nexpect:\n  - final > best_loss"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        patients=opt.integer("The training tumours of each split.", default=100, min=20, max=400),
        epochs=opt.integer("The epochs (full-batch steps) of each run.", default=2000, min=10, max=5000),
        rate=opt.number("The learning rate.", default=0.5, above=0, max=4),
        patience=opt.integer("The epochs without a new lowest validation loss before training stops.", default=50,
                             min=1, max=1000),
        seeds=opt.integer("The random splits.", default=8, min=1, max=20),
        seed=opt.seed("The first split's seed (split r uses seed + r).", default=0),
        expect=opt.claims("[Claims](#claims): `final > best_loss`, `best_epoch < 500`. "
                          "Names: best_loss, final, kept, best_epoch, stopped, best_accuracy, final_accuracy."),
        caption=opt.caption("“Training and validation loss …”"),
        figure=opt.show_figure("Show the figure (the table is then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if spec.patience >= spec.epochs:
            raise LexiconError(f"patience {spec.patience} is not below the {spec.epochs} epochs",
                               fix="lower the patience or train longer")
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: None)

    def anchor_hint(self, spec):
        return "early stopping"

    def compute(self, kv, spec):
        return early_stopping_runs(spec.patients, spec.epochs, spec.rate, spec.seeds, spec.seed)

    def claims(self, spec, result, check):
        s = summary(spec, result)
        NAMES.check_all(spec.parsed, lambda n, args: s[n], check, fmt)

    def _v(self, spec, result, name, whole=False):
        x = summary(spec, result)[name]
        return Value(f"{x:,.0f}" if whole else fmt(x), x)

    @value("The mean lowest validation loss over the splits.")
    def best_loss(self, spec, result):
        return self._v(spec, result, "best_loss")

    @value("The mean validation loss after the last epoch.")
    def final(self, spec, result):
        return self._v(spec, result, "final")

    @value("The mean validation accuracy at the best epochs (lowest validation loss) over the splits.")
    def best_accuracy(self, spec, result):
        return self._v(spec, result, "best_accuracy")

    @value("The mean validation accuracy after the last epoch.")
    def final_accuracy(self, spec, result):
        return self._v(spec, result, "final_accuracy")

    @value("The mean validation loss of the weights early stopping keeps (with `patience`).")
    def kept(self, spec, result):
        return self._v(spec, result, "kept")

    @value("The median best epoch over the splits.")
    def best_epoch(self, spec, result):
        return self._v(spec, result, "best_epoch", True)

    @value("The median epoch at which early stopping stops.")
    def stopped(self, spec, result):
        return self._v(spec, result, "stopped", True)

    @value("The earliest and latest best epoch over the splits: `best_range`.")
    def best_range(self, spec, result):
        b = summary(spec, result)["best"]
        return Value(f"{min(b):,}–{max(b):,}", max(b) - min(b))

    @value("The validation loss of the first split at an epoch: `valid(0)`, `valid(2000)`.")
    def valid(self, spec, result, epoch):
        e = str(epoch).strip()
        if not e.isdigit() or int(e) > spec.epochs:
            raise LexiconError(f"there is no epoch '{epoch}'", fix=f"name an epoch from 0 to {spec.epochs}")
        x = result["runs"][0]["valid"][int(e)]
        return Value(fmt(x), x)

    @value("The training loss of the first split after the last epoch.")
    def train_final(self, spec, result):
        x = result["runs"][0]["train"][-1]
        return Value(f"{x:.1e}" if x < 1e-3 else fmt(x), x)

    @value("The validation tumours of each split.")
    def validation(self, spec, result):
        return Value(f"{result['validation']:,}", result["validation"])

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        s = summary(spec, result)
        runs = result["runs"]
        rows = []
        for i, r in enumerate(runs):
            stop, kept = s["stops"][i]
            b = s["best"][i]
            rows.append([str(spec.seed + i), f"{b:,}", fmt(r["valid"][b]), fmt(r["accuracy"][b]), f"{stop:,}",
                         fmt(r["valid"][-1]), fmt(r["accuracy"][-1])])
        table = Table(["Split seed", "Best epoch", "Validation loss there", "Validation accuracy there",
                       f"Stopped at (patience {spec.patience})", f"Validation loss at {spec.epochs:,}",
                       f"Validation accuracy at {spec.epochs:,}"], rows, numeric=tuple(range(7)))
        first = runs[0]
        # the epochs drawn: about 150 spread evenly on the log axis (epoch 0 has no place on it), the best and the stop
        epochs = sorted({int(e) for e in np.geomspace(1, spec.epochs, 150).round()} | {s["best"][0], s["stops"][0][0]}
                        - {0})

        def figure():
            fig = go.Figure()
            for j, (series, label) in enumerate(((first["train"], "training loss"), (first["valid"], "validation loss"))):
                fig.add_trace(go.Scatter(x=epochs, y=[series[e] for e in epochs], mode="lines", name=label, line=dict(color=PALETTE[j], width=2),
                                         hovertemplate="epoch %{x}: %{y:.4f}<extra>" + label + "</extra>"))
            fig.add_vline(x=s["best"][0], line=dict(color=PALETTE[7], width=1, dash="dash"))
            fig.add_vline(x=s["stops"][0][0], line=dict(color=PALETTE[3], width=1, dash="dot"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="epoch (log scale)", standoff=6), type="log"),
                              yaxis=dict(title=dict(text="mean logistic loss", standoff=6), rangemode="tozero"))
            return fig

        alt = (f"Line chart of the training and validation loss of the first split over {spec.epochs:,} epochs: the "
               f"validation loss falls from {fmt(first['valid'][0])} before training to {fmt(first['valid'][s['best'][0]])} at epoch "
               f"{s['best'][0]:,} and rises to {fmt(first['valid'][-1])}; the training loss ends at "
               f"{first['train'][-1]:.1e}. Early stopping with patience {spec.patience} stops at epoch {s['stops'][0][0]:,}.")
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_breast_cancer\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_breast_cancer()\n"
                f"x_tr, x_va, y_tr, y_va = train_test_split(data.data, data.target.astype(float), train_size={spec.patients},\n"
                f"                                          stratify=data.target, random_state={spec.seed})\n"
                "scaler = StandardScaler().fit(x_tr)\n"
                "a = np.column_stack([np.ones(len(y_tr)), scaler.transform(x_tr)])\n"
                "b = np.column_stack([np.ones(len(y_va)), scaler.transform(x_va)])\n\n"
                "def loss(m, y, w):\n"
                "    z = m @ w\n"
                "    return np.mean(np.logaddexp(0, z) - y * z)\n\n"
                "w = np.zeros(a.shape[1])\n"
                "best, best_w, waited = loss(b, y_va, w), w.copy(), 0   # epoch 0: before training\n"
                f"for epoch in range(1, {spec.epochs + 1}):\n"
                "    p = 1 / (1 + np.exp(-(a @ w)))\n"
                f"    w = w - {spec.rate:g} * a.T @ (p - y_tr) / len(y_tr)\n"
                "    v = loss(b, y_va, w)\n"
                "    if v < best:\n"
                "        best, best_w, waited = v, w.copy(), 0\n"
                "    else:\n"
                "        waited += 1\n"
                f"        if waited >= {spec.patience}:\n"
                "            break\n"
                "print(epoch, best)   # stopped at this epoch; best_w are the weights kept\n")
        return [
            Html(f"<p>A logistic regression without any penalty learns from {spec.patients} tumours of scikit-learn's "
                 f"breast cancer data by full-batch gradient descent at rate {spec.rate:g}, for {spec.epochs:,} epochs, "
                 f"and is validated on the other {result['validation']:,} after each epoch; {spec.seeds} random "
                 "splits.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=380, anchor="curves",
                   default_caption=f"Training and validation loss of the first split (epochs on a log scale); dashed: the "
                                   f"best epoch; dotted: where patience {spec.patience} stops. The table shows every split."),
            Code(code, "The numpy loop with early stopping (it runs as shown)"),
        ]
