"""The leakage kind: a preprocessing step fitted on all the data before cross-validation, against the same step
fitted inside each fold."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._claims import Names
from ._data import NOTE, STEPS, leakage

NAMES = Names("write e.g. 'leaky > honest', 'honest < 0.7' or 'leak > 0.1'",
              leaky=("the mean accuracy with the step fitted on all the data", 0, False),
              honest=("the mean accuracy with the step fitted inside each fold", 0, False),
              leak=("the mean gap between the leaky and the honest accuracy", 0, False),
              majority=("the mean share of the commoner diagnosis", 0, False))


def summary(result) -> dict:
    leaky, honest = np.array(result["leaky"]), np.array(result["honest"])
    return {"leaky": float(leaky.mean()), "honest": float(honest.mean()), "leak": float((leaky - honest).mean()),
            "majority": float(np.mean(result["majority"])), "above": int(np.sum(leaky > honest))}


class Leakage(Kind):
    """Data leakage in a preprocessing step: the `step` (`selection`: keep the `keep` columns with the highest
    F-statistic, `SelectKBest(f_classif)`; `scaling`: `StandardScaler`) is fitted once on ALL the examples and a
    logistic regression is then cross-validated on the result (leaky), against the same step inside a `Pipeline`,
    fitted on each training part only (honest).

    The data: `patients` tumours drawn at random from scikit-learn's breast cancer data, with their real
    diagnoses, and `noise` columns of standard normal random numbers (`numpy.random.RandomState(seed + r)` for
    repeat r, which also draws the tumours and shuffles the `folds` stratified folds); with `real: true` the 30 real
    measurements come first. The noise columns know nothing of the diagnosis, so on them alone any accuracy above
    the share of the commoner diagnosis is luck or leakage. Repeated `repeats` times.
    """

    example = "step: selection\npatients: 60\nnoise: 500\nrepeats: 3\nexpect:\n  - leaky > honest"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        step=opt.choice("The preprocessing step: `selection` or `scaling`.", list(STEPS), default="selection"),
        patients=opt.integer("The tumours drawn at random for each repeat.", default=60, min=30, max=569),
        noise=opt.integer("The columns of random noise.", default=1000, min=0, max=5000),
        real=opt.flag("Put the 30 real measurements before the noise columns.", default=False),
        keep=opt.integer("The columns feature selection keeps (`step: selection`).", default=10, min=1, max=100),
        folds=opt.integer("The cross-validation folds.", default=5, min=2, max=10),
        repeats=opt.integer("The repeats, each with other tumours, noise and folds.", default=10, min=1, max=30),
        seed=opt.seed("The first seed (repeat r uses seed + r).", default=0),
        expect=opt.claims("[Claims](#claims): `leaky > honest`, `honest < 0.7`, `leak > 0.1`. "
                          "Names: leaky, honest, leak, majority."),
        caption=opt.caption(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        columns = spec.noise + (30 if spec.real else 0)
        if columns == 0:
            raise LexiconError("there are no features: noise is 0 and real is false", fix="set noise above 0 or real: true")
        if spec.step == "selection" and spec.keep > columns:
            raise LexiconError(f"keep is {spec.keep}, more than the {columns} columns", fix=f"keep at most {columns}")
        if spec.patients < 6 * spec.folds:
            raise LexiconError(f"{spec.patients} tumours are too few for {spec.folds} folds",
                               fix=f"draw at least {6 * spec.folds} patients or use fewer folds")
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: None)

    def anchor_hint(self, spec):
        return f"leakage {spec.step}"

    def compute(self, kv, spec):
        return leakage(spec.step, spec.patients, spec.noise, spec.keep, spec.real, spec.repeats, spec.folds, spec.seed)

    def claims(self, spec, result, check):
        s = summary(result)
        NAMES.check_all(spec.parsed, lambda n, args: s[n], check, fmt)

    @value("The mean cross-validated accuracy with the step fitted on all the data.")
    def leaky(self, spec, result):
        x = summary(result)["leaky"]
        return Value(fmt(x), x)

    @value("The mean cross-validated accuracy with the step fitted inside each fold.")
    def honest(self, spec, result):
        x = summary(result)["honest"]
        return Value(fmt(x), x)

    @value("The mean gap, leaky minus honest.")
    def leak(self, spec, result):
        x = summary(result)["leak"]
        return Value(fmt(x), x)

    @value("The mean share of the commoner diagnosis among the drawn tumours (always guessing it scores this).")
    def majority(self, spec, result):
        x = summary(result)["majority"]
        return Value(fmt(x), x)

    @value("The repeats on which the leaky accuracy is the higher.")
    def above(self, spec, result):
        x = summary(result)["above"]
        return Value(str(x), x)

    @value("The lowest and highest leaky accuracy over the repeats: `leaky_range`.")
    def leaky_range(self, spec, result):
        lo, hi = min(result["leaky"]), max(result["leaky"])
        return Value(f"{fmt(lo)}–{fmt(hi)}", hi - lo)

    @value("The lowest and highest honest accuracy over the repeats: `honest_range`.")
    def honest_range(self, spec, result):
        lo, hi = min(result["honest"]), max(result["honest"])
        return Value(f"{fmt(lo)}–{fmt(hi)}", hi - lo)

    @value("The columns the model could use (real measurements and noise).")
    def features(self, spec, result):
        return Value(f"{result['features']:,}", result["features"])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        s = summary(result)
        rows = [[str(r + 1), fmt(result["majority"][r]), fmt(result["leaky"][r]), fmt(result["honest"][r])]
                for r in range(spec.repeats)]
        rows.append(["mean", fmt(s["majority"]), fmt(s["leaky"]), fmt(s["honest"])])
        table = Table(["Repeat", "Commoner diagnosis", f"{STEPS[spec.step].split(' (')[0].capitalize()} on all data (leaky)",
                       "Inside each fold (honest)"], rows, numeric=(1, 2, 3))
        what = ("the 30 real measurements and " if spec.real else "") + f"{spec.noise:,} columns of random noise"
        if spec.step == "selection":
            leaky_fit = (f"fitted = SelectKBest(f_classif, k={spec.keep}).fit_transform(x, y)   # sees every patient\n"
                         "leaky = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)), "
                         "fitted, y, cv=cv)\n")
            honest_fit = (f"honest = cross_val_score(make_pipeline(StandardScaler(), SelectKBest(f_classif, k={spec.keep}),\n"
                          "                                       LogisticRegression(max_iter=5000)), x, y, cv=cv)\n")
        else:
            leaky_fit = ("fitted = StandardScaler().fit_transform(x)   # sees every patient\n"
                         "leaky = cross_val_score(LogisticRegression(max_iter=5000), fitted, y, cv=cv)\n")
            honest_fit = ("honest = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)), "
                          "x, y, cv=cv)\n")
        real = "data.data[idx], " if spec.real else ""
        stack = f"x = np.column_stack([{real}rng.standard_normal((len(idx), {spec.noise}))])\n"
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_breast_cancer\n"
                "from sklearn.feature_selection import SelectKBest, f_classif\n"
                "from sklearn.linear_model import LogisticRegression\n"
                "from sklearn.model_selection import StratifiedKFold, cross_val_score\n"
                "from sklearn.pipeline import make_pipeline\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "data = load_breast_cancer()\n"
                f"r = 0   # the repeat: seeds {spec.seed} to {spec.seed + spec.repeats - 1}\n"
                f"rng = np.random.RandomState({spec.seed} + r)\n"
                + (f"idx = rng.choice(len(data.target), {spec.patients}, replace=False)\n" if spec.patients < 569
                   else "idx = np.arange(len(data.target))\n")
                + stack +
                "y = data.target[idx]\n"
                f"cv = StratifiedKFold(n_splits={spec.folds}, shuffle=True, random_state={spec.seed} + r)\n"
                + leaky_fit + honest_fit +
                "print(leaky.mean(), honest.mean())\n")
        return [
            Html(f"<p>{spec.patients} tumours of scikit-learn's breast cancer data, their real diagnoses, and as features "
                 f"{what}. Step: {STEPS[spec.step]}. A logistic regression is cross-validated over {spec.folds} folds, "
                 f"{spec.repeats} times with other tumours, noise and folds.</p>"),
            *([Caption(spec.caption)] if spec.caption else []),
            table,
            Code(code, "The scikit-learn calls behind these numbers (they run as shown)"),
        ]
