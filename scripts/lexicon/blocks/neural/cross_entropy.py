"""The cross-entropy kind: each test example's loss, −log p(true class), from a real model's predictions."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt, percent
from ._data import (DATASET_DOC, NOTE, SAMPLES, SPLIT_OPTIONS, SplitValues, check_dataset, class_label, cross_entropy,
                    logistic_code, logistic_fit, prob, sci)


class CrossEntropy(SplitValues, Kind):
    """The cross-entropy loss of a trained classifier on every test example, `−log p(true class)`, in
    numpy, and its mean checked against `sklearn.metrics.log_loss`.

    The split, standardisation and multinomial `LogisticRegression` are those of `softmax`. Every test
    example's loss is minus the natural log of the probability the model gave its true class: near 0
    for a confident right answer, log 2 ≈ 0.69 for a coin toss between two classes, large for a
    confident wrong one. The table lists the `worst` examples (largest loss) and the `best` ones; the
    figure draws each test example on the curve `−log p` and marks the misclassified ones. The values
    say how much of the total loss the misclassified examples carry.
    """

    example = "dataset: digits\nworst: 3\nbest: 1"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text(DATASET_DOC, default="digits"),
        worst=opt.integer("How many of the largest losses the table lists.", default=4, min=1, max=10),
        best=opt.integer("How many of the smallest losses the table lists.", default=1, min=0, max=5),
        **SPLIT_OPTIONS,
        caption=opt.caption("“Every test example on the curve −log p …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.classes = check_dataset(spec.dataset)

    def anchor_hint(self, spec):
        return f"cross-entropy {spec.dataset}"

    def compute(self, kv, spec):
        from sklearn.metrics import log_loss

        fit = logistic_fit(spec.dataset, spec.test_size, spec.seed)
        probs, y = fit["sklearn"], fit["y"]
        losses = cross_entropy(probs, y)
        pred = probs.argmax(axis=1)
        order = np.argsort(-losses, kind="stable")
        wrong = pred != y

        def row(i):
            return {"row": int(i), "true": int(y[i]), "pred": int(pred[i]), "p_true": float(probs[i, y[i]]),
                    "p_pred": float(probs[i, pred[i]]), "loss": float(losses[i])}

        return {"classes": fit["classes"], "test": fit["test"], "train": fit["train"],
                "mean": float(losses.mean()), "log_loss": float(log_loss(y, probs, labels=list(range(probs.shape[1])))),
                "wrong": int(wrong.sum()), "wrong_share": float(losses[wrong].sum() / losses.sum()),
                "worst": [row(i) for i in order[:spec.worst]],
                "best": [row(i) for i in order[::-1][:spec.best]],
                "points": [[float(probs[i, y[i]]), float(losses[i]), bool(wrong[i])] for i in range(len(y))]}

    def _rank(self, result, k):
        t = str(k).strip()
        if not t.isdigit() or not 1 <= int(t) <= len(result["worst"]):
            raise LexiconError(f"there is no {k}-th worst example in the table",
                               fix=f"name 1 to {len(result['worst'])} (or raise 'worst')")
        return result["worst"][int(t) - 1]

    # --- values for prose -----------------------------------------------------------------------------
    @value("The mean cross-entropy over the test split (numpy).")
    def mean(self, spec, result):
        return Value(fmt(result["mean"]), result["mean"])

    @value("`sklearn.metrics.log_loss` on the same predictions.")
    def log_loss(self, spec, result):
        return Value(fmt(result["log_loss"]), result["log_loss"])

    @value("The difference between the numpy mean and `log_loss`.")
    def diff(self, spec, result):
        v = abs(result["mean"] - result["log_loss"])
        return Value(sci(v), v)

    @value("The k-th largest loss: `loss(1)`.")
    def loss(self, spec, result, k):
        v = self._rank(result, k)["loss"]
        return Value(fmt(v), v)

    @value("The probability the k-th worst example's true class got: `p_true(1)`.")
    def p_true(self, spec, result, k):
        v = self._rank(result, k)["p_true"]
        return Value(fmt(v), v)

    @value("The probability of the class predicted for the k-th worst example: `p_pred(1)`.")
    def p_pred(self, spec, result, k):
        v = self._rank(result, k)["p_pred"]
        return Value(fmt(v), v)

    @value("The true class of the k-th worst example: `truth(1)`.")
    def truth(self, spec, result, k):
        return Value(class_label(spec.dataset, result["classes"][self._rank(result, k)["true"]]))

    @value("The class predicted for the k-th worst example: `predicted(1)`.")
    def predicted(self, spec, result, k):
        return Value(class_label(spec.dataset, result["classes"][self._rank(result, k)["pred"]]))

    @value("The smallest loss in the test split.")
    def smallest(self, spec, result):
        v = min(p[1] for p in result["points"])
        return Value(sci(v), v)

    @value("How many test examples the model gets wrong.")
    def wrong(self, spec, result):
        return Value(f"{result['wrong']:,}", result["wrong"])

    @value("The share of the total loss that the misclassified examples carry (`62.3%`).")
    def wrong_share(self, spec, result):
        return Value(percent(result["wrong_share"]), result["wrong_share"])

    @value("The loss of a uniform guess, log(number of classes): what a model that knows nothing pays.")
    def uniform(self, spec, result):
        import math

        v = math.log(len(check_dataset(spec.dataset)))
        return Value(fmt(v), v)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        names = [class_label(spec.dataset, c) for c in result["classes"]]
        what = SAMPLES.get(spec.dataset, "examples")
        rows = [[f"{i + 1}", str(r["row"]), esc(names[r["true"]]), fmt(r["p_true"]), esc(names[r["pred"]]),
                 fmt(r["p_pred"]), fmt(r["loss"])] for i, r in enumerate(result["worst"])]
        rows += [["lowest", str(r["row"]), esc(names[r["true"]]), prob(r["p_true"]), esc(names[r["pred"]]),
                  prob(r["p_pred"]), sci(r["loss"])] for r in result["best"]]
        table = Table(["Rank by loss", "Test example", "True class", "p(true class)", "Predicted", "p(predicted)",
                       "Cross-entropy"], rows, numeric=(3, 5, 6))
        pts = result["points"]

        def figure():
            fig = go.Figure()
            grid = np.linspace(0.001, 1, 400)
            fig.add_trace(go.Scatter(x=grid.tolist(), y=(-np.log(grid)).tolist(), mode="lines", name="−log p",
                                     line=dict(color=PALETTE[7], width=1), hoverinfo="skip"))
            for i, (flag, name) in enumerate(((False, "right"), (True, "wrong"))):
                sel = [p for p in pts if p[2] == flag]
                fig.add_trace(go.Scatter(x=[p[0] for p in sel], y=[p[1] for p in sel], mode="markers", name=name,
                                         marker=dict(color=PALETTE[i], size=7 if flag else 5,
                                                     symbol="x" if flag else "circle"),
                                         hovertemplate=f"{name}: p(true) %{{x:.4f}}, loss %{{y:.4f}}<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(range=[0, 1.02], title=dict(text="probability of the true class",
                                                                                   standoff=6)),
                              yaxis=dict(title=dict(text="cross-entropy (nats)", standoff=6)))
            return fig

        alt = (f"Scatter of the {result['test']:,} test {what} on the curve minus log p: probability of the true class "
               f"against the loss. {result['wrong']} are misclassified, marked with crosses; the largest losses are "
               + ", ".join(f"{fmt(r['loss'])} (p {fmt(r['p_true'])})" for r in result["worst"]) + ".")
        code = (logistic_code(spec.dataset, spec.test_size, spec.seed, "from sklearn.metrics import log_loss\n")
                + "p = model.predict_proba(scaler.transform(x_test))\n"
                "loss = -np.log(p[np.arange(len(y_test)), y_test])   # one number per test example\n"
                "loss.mean(), log_loss(y_test, p)                      # the same\n")
        return [
            Html(f"<p>The mean of the {result['test']:,} losses is {fmt(result['mean'])}; scikit-learn's "
                 f"<code>log_loss</code> gives {fmt(result['log_loss'])}. The {result['wrong']} misclassified {what} "
                 f"carry {percent(result['wrong_share'])} of the total loss.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=340, anchor="loss",
                   default_caption="Every test example on the curve −log p(true class); crosses: the misclassified "
                                   "ones. The table lists the largest losses and the smallest.", always=False),
            Code(code, "The numpy and scikit-learn code behind these numbers"),
        ]
