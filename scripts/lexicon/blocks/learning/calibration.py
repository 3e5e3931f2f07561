"""The calibration kind: does a classifier's probability mean what it says? The reliability curve and the
Brier score of one or two models on a held-out test split."""

from __future__ import annotations

from ...claimterms import Names
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE, SYMBOLS
from ...render import esc, fmt
from ._data import NOTE, SAMPLES, SPLIT_OPTIONS, class_label, positive_class, probabilities, ranked_pairs

MODELS = {"logistic-regression": "logistic regression", "naive-bayes": "Gaussian naive Bayes"}
MODELS_SCHEMA = {"type": "array", "items": {"enum": list(MODELS)}, "minItems": 1, "uniqueItems": True}
NAMES = Names("write e.g. 'brier(naive-bayes) > brier(logistic-regression)', 'auc(naive-bayes) > 0.95' or "
              "'ece(naive-bayes) > ece(logistic-regression)'",
              brier=("the Brier score of {0}", 1, False), auc=("the ROC AUC of {0}", 1, False),
              accuracy=("the accuracy of {0} at threshold 0.5", 1, False),
              ece=("the expected calibration error of {0}", 1, False))


class Calibration(Kind):
    """The reliability curve (`sklearn.calibration.calibration_curve`) and the Brier score
    (`brier_score_loss`) of one or two classifiers on a held-out test split: when a model says 0.8,
    are eight in ten of those samples positive?

    The data and split are those of `classifier-metrics` (`dataset`, `positive`, `test_size`, `seed`).
    Each of `models` learns on the training split: `logistic-regression` (the family's `StandardScaler`
    and `LogisticRegression` pipeline) and `naive-bayes` (`GaussianNB`). Their probabilities of positive
    on the test split are cut into `bins` equal-width bins from 0 to 1 (`strategy='uniform'`); each
    non-empty bin gives one point, the mean predicted probability against the share of its samples that
    are positive, and the table counts its samples. A calibrated model's points lie on the diagonal. The
    Brier score is the mean squared difference between probability and outcome (0 is perfect); the ROC AUC
    the accuracy at threshold 0.5 and the log loss (`log_loss`) are shown beside it, because a model can rank well and still be
    badly calibrated. `ece(model)`, the expected calibration error, is the distance of each point from the
    diagonal, |share − mean|, averaged with the bins' sample counts as weights.
    """

    example = ("dataset: breast_cancer\nmodels: [logistic-regression, naive-bayes]\nbins: 5\n"
               "expect:\n  - brier(naive-bayes) > brier(logistic-regression)")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        **SPLIT_OPTIONS,
        models=opt.raw("The classifiers compared: `logistic-regression`, `naive-bayes` (`GaussianNB`).", MODELS_SCHEMA,
                       "list of model names", default=list(MODELS), convert=list),
        bins=opt.integer("The equal-width bins of predicted probability the reliability curve reads.", default=5,
                         min=2, max=20),
        expect=opt.claims("[Claims](#claims): `brier(naive-bayes) > brier(logistic-regression)`, "
                          "`auc(logistic-regression) > 0.95`, `ece(naive-bayes) > 0.05`. Names: brier(model), "
                          "auc(model), accuracy(model), ece(model)."),
        caption=opt.caption("“The share of positives in each bin against the mean predicted probability …”"),
        figure=opt.show_figure("Show the reliability diagram (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.positive = positive_class(spec.dataset, spec.positive)
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._model(spec, args[0]))

    def anchor_hint(self, spec):
        return f"calibration {spec.dataset} {spec.positive}"

    def compute(self, kv, spec):
        import numpy as np
        from sklearn.calibration import calibration_curve
        from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score

        out = {"models": {}}
        for name in spec.models:
            fit = probabilities(spec.dataset, spec.positive, spec.test_size, spec.seed, name)
            y, p = np.asarray(fit["y"]), np.asarray(fit["score"])
            share, mean = calibration_curve(y, p, n_bins=spec.bins, strategy="uniform")
            # the samples in each bin, as calibration_curve bins them (empty bins dropped)
            counts = np.bincount(np.searchsorted(np.linspace(0, 1, spec.bins + 1)[1:-1], p), minlength=spec.bins)
            out["models"][name] = {"share": share.tolist(), "mean": mean.tolist(),
                                   "counts": counts[counts > 0].tolist(),
                                   "brier": float(brier_score_loss(y, p)), "auc": float(roc_auc_score(y, p)),
                                   "accuracy": float(accuracy_score(y, (p >= 0.5).astype(int))),
                                   "errors": int(((p >= 0.5).astype(int) != y).sum()),
                                   "log_loss": float(log_loss(y, p)), "pairs": ranked_pairs(y, p),
                                   "positives": [int(y[np.searchsorted(np.linspace(0, 1, spec.bins + 1)[1:-1], p) == b]
                                                     .sum()) for b in np.flatnonzero(counts)]}
            out.update(test=len(y), test_positive=int(y.sum()))
        return out

    # --- reading the result ---------------------------------------------------------------------------
    def _model(self, spec, text) -> str:
        name = str(text).strip()
        if name not in spec.models:
            raise LexiconError(f"'{text}' is not one of the block's models",
                               fix="name one of: " + ", ".join(spec.models))
        return name

    @staticmethod
    def _ece(m: dict) -> float:
        """The expected calibration error: each bin's |share − mean|, weighted by its samples."""
        return sum(c * abs(s - p) for s, p, c in zip(m["share"], m["mean"], m["counts"])) / sum(m["counts"])

    def _lookup(self, spec, result, name, args):
        m = result["models"][self._model(spec, args[0])]
        return self._ece(m) if name == "ece" else m[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    @value("The Brier score of a model, the mean squared gap between probability and outcome: `brier(naive-bayes)`.")
    def brier(self, spec, result, model):
        v = self._lookup(spec, result, "brier", [model])
        return Value(fmt(v), v)

    @value("The ROC AUC of a model (`roc_auc_score`): `auc(logistic-regression)`.")
    def auc(self, spec, result, model):
        v = self._lookup(spec, result, "auc", [model])
        return Value(fmt(v), v)

    @value("The accuracy of a model at threshold 0.5: `accuracy(naive-bayes)`.")
    def accuracy(self, spec, result, model):
        v = self._lookup(spec, result, "accuracy", [model])
        return Value(fmt(v), v)

    @value("A model's expected calibration error, the bins' distances from the diagonal weighted by their "
           "samples: `ece(naive-bayes)`.")
    def ece(self, spec, result, model):
        v = self._lookup(spec, result, "ece", [model])
        return Value(fmt(v), v)

    @value("A model's k-th non-empty bin: `bin(naive-bayes, 1, mean)` (its mean predicted probability), "
           "`bin(naive-bayes, 1, share)` (its share of positives), `bin(naive-bayes, 1, count)` (its samples), "
           "`bin(naive-bayes, 1, positives)` or `bin(naive-bayes, 1, negatives)`.")
    def bin(self, spec, result, model, k, what):
        m = result["models"][self._model(spec, model)]
        what = str(what).strip()
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(m["mean"]) or what not in ("mean", "share", "count", "positives", "negatives"):
            raise LexiconError(f"there is no bin value '{k}, {what}' for {model}",
                               fix=f"name a bin from 1 to {len(m['mean'])} and mean, share, count, positives or "
                                   "negatives")
        i = int(k) - 1
        if what == "negatives":
            v = m["counts"][i] - m["positives"][i]
        else:
            v = m[{"count": "counts"}.get(what, what)][i]
        return Value(fmt(v) if what in ("mean", "share") else f"{v:,}", v)

    @value("A model's log loss (`log_loss`), the mean of −log of the probability it gave the true class: "
           "`log_loss(naive-bayes)`.")
    def log_loss(self, spec, result, model):
        v = self._lookup(spec, result, "log_loss", [model])
        return Value(fmt(v), v)

    @value("How many test samples a model classifies wrongly at threshold 0.5: `errors(naive-bayes)`.")
    def errors(self, spec, result, model):
        v = self._lookup(spec, result, "errors", [model])
        return Value(f"{v:,}", v)

    @value("A model's (positive, negative) test pairs: `pairs(naive-bayes, misordered)` (the negative scored "
           "higher), `pairs(naive-bayes, tied)` (equal scores) or `pairs(naive-bayes, all)`.")
    def pairs(self, spec, result, model, what):
        p, what = result["models"][self._model(spec, model)]["pairs"], str(what).strip()
        counts = {"all": p["all"], "tied": p["tied"], "misordered": p["all"] - p["ordered"] - p["tied"]}
        if what not in counts:
            raise LexiconError(f"cannot count '{what}' pairs", fix="name all, misordered or tied")
        return Value(f"{counts[what]:,}", counts[what])

    @value("How many non-empty bins a model's reliability curve has: `bins_used(naive-bayes)`.")
    def bins_used(self, spec, result, model):
        n = len(result["models"][self._model(spec, model)]["mean"])
        return Value(str(n), n)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        pos, models = class_label(spec.dataset, spec.positive), result["models"]
        what = SAMPLES.get(spec.dataset, "samples")
        table = Table(["Model", "Bin", "Mean predicted probability", "Share positive", "Samples"],
                      [[MODELS[name], str(i + 1), fmt(p), fmt(s), f"{c:,}"] for name, m in models.items()
                       for i, (p, s, c) in enumerate(zip(m["mean"], m["share"], m["counts"]))], numeric=(1, 2, 3, 4))
        scores = Table(["Model", "Brier score (lower is better)", "Log loss (lower is better)", "ROC AUC",
                        "Accuracy at 0.5", "Expected calibration error"],
                       [[MODELS[n], fmt(m["brier"]), fmt(m["log_loss"]), fmt(m["auc"]), fmt(m["accuracy"]),
                         fmt(self._ece(m))] for n, m in models.items()], numeric=(1, 2, 3, 4, 5))

        def figure():
            fig = go.Figure([go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated",
                                        line=dict(color=PALETTE[7], width=1, dash="dash"), hoverinfo="skip")])
            for i, (name, m) in enumerate(models.items()):
                fig.add_trace(go.Scatter(
                    x=m["mean"], y=m["share"], mode="lines+markers", name=MODELS[name], customdata=m["counts"],
                    line=dict(color=PALETTE[i], width=2, dash=("solid", "dot")[i % 2]),
                    marker=dict(size=8, symbol=SYMBOLS[i]),
                    hovertemplate="mean predicted %{x:.4f}: share positive %{y:.4f} (%{customdata} samples)"
                                  "<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP,
                              xaxis=dict(title=dict(text="mean predicted probability of " + pos, standoff=6),
                                         range=[-0.02, 1.02], constrain="domain"),
                              yaxis=dict(title=dict(text="share of the bin that is " + pos, standoff=6),
                                         range=[-0.02, 1.02], scaleanchor="x"))
            return fig

        alt = (f"Reliability diagram of {len(models)} model" + ("s" if len(models) != 1 else "") + f" on the {result['test']:,} test {what}, predicted "
               f"probability cut into {spec.bins} equal bins. " + " ".join(
                   f"{MODELS[n][0].upper() + MODELS[n][1:]}: " + "; ".join(f"mean predicted {fmt(p)}, share positive {fmt(s)}"
                                                             for p, s in zip(m["mean"], m["share"]))
                   + f"; Brier score {fmt(m['brier'])}." for n, m in models.items()))
        code = ("# data and split as in classifier-metrics: x_train, x_test, y_train, y_test (1 = positive)\n"
                "from sklearn.calibration import calibration_curve\n"
                "from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score\n"
                "from sklearn.naive_bayes import GaussianNB\n\n"
                "for model in [make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)), GaussianNB()]:\n"
                "    p = model.fit(x_train, y_train).predict_proba(x_test)[:, 1]\n"
                f"    share, mean = calibration_curve(y_test, p, n_bins={spec.bins}, strategy='uniform')\n"
                "    brier_score_loss(y_test, p), log_loss(y_test, p), roc_auc_score(y_test, p)\n")
        return [
            Html(f"<p>The {result['test']:,} test {what} ({result['test_positive']:,} of them {esc(pos)}), their "
                 f"predicted probabilities of {esc(pos)} cut into {spec.bins} equal-width bins.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=420, anchor="reliability",
                   default_caption="The share of positives in each bin against the mean predicted probability in it; "
                                   "dashed: a perfectly calibrated model."),
            scores,
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
