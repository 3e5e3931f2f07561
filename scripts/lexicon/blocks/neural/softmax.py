"""The softmax kind: a trained model's logits for real test examples, turned into probabilities."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt
from ._data import (DATASET_DOC, NOTE, SAMPLES, SPLIT_OPTIONS, SplitValues, check_dataset, class_label, entropy,
                    logistic_code, logistic_fit, row_of, sci, softmax)
from ._data import prob as prob_text

ROWS_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1, "maxItems": 5,
               "uniqueItems": True}
TEMPS_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 100}, "minItems": 1,
                "maxItems": 6, "uniqueItems": True}


class Softmax(SplitValues, Kind):
    """A trained classifier's logits (one score per class) for real test examples, turned into
    probabilities by softmax, `p_k = exp(z_k / T) / Σ_j exp(z_j / T)`, in numpy, and checked against
    scikit-learn's own probabilities.

    The dataset is split (`test_size`, `seed`, stratified) and standardised on its training part; a
    multinomial `LogisticRegression` learns on the training part. For each test example in `rows`
    (positions in the test split, from 0) the table gives its true class, the logits
    (`decision_function`) and numpy's softmax of them; the block reports the largest difference from
    `predict_proba` over the whole test split, and the largest change when every logit is shifted by
    the same constant (softmax ignores such a shift). The figure spreads the first row's probabilities
    at each of `temperatures`: below 1 they sharpen towards the top class, above 1 they flatten towards
    uniform; the order of the classes never changes.
    """

    example = "dataset: wine\nrows: [0, 1]\ntemperatures: [0.5, 1, 5]"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text(DATASET_DOC, default="wine"),
        rows=opt.raw("Test examples to show, by position in the test split (from 0).", ROWS_SCHEMA,
                     "list of 1–5 whole numbers", default=[0], convert=list),
        temperatures=opt.raw("Temperatures for the first row (more than 0, at most 100).", TEMPS_SCHEMA,
                             "list of 1–6 different numbers", default=[0.5, 1, 2, 5], convert=list),
        shift=opt.number("The constant added to every logit to show that softmax ignores it.", default=100,
                         min=-1000, max=1000),
        **SPLIT_OPTIONS,
        caption=opt.caption("“The first row's probabilities at each temperature …”"),
        figure=opt.show_figure("Show the temperature figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.classes = check_dataset(spec.dataset)

    def anchor_hint(self, spec):
        return f"softmax {spec.dataset}"

    def compute(self, kv, spec):
        fit = logistic_fit(spec.dataset, spec.test_size, spec.seed)
        if max(spec.rows) >= fit["test"]:
            raise LexiconError(f"row {max(spec.rows)} is past the end of the test split ({fit['test']} examples)",
                               fix=f"name rows from 0 to {fit['test'] - 1}")
        logits = fit["logits"]
        first = logits[spec.rows[0]]
        return {"classes": fit["classes"], "test": fit["test"], "train": fit["train"], "features": fit["features"],
                "rows": [{"row": r, "true": int(fit["y"][r]), "logits": logits[r].tolist(),
                          "probs": fit["numpy"][r].tolist()} for r in spec.rows],
                "sklearn_diff": float(np.abs(fit["numpy"] - fit["sklearn"]).max()),
                "shift_diff": float(np.abs(softmax(logits + spec.shift) - fit["numpy"]).max()),
                "temperatures": [{"t": t, "probs": softmax(first, t).tolist(), "entropy": entropy(softmax(first, t))}
                                 for t in spec.temperatures]}

    # --- reading the result ---------------------------------------------------------------------------
    def _row(self, spec, result, text) -> dict:
        return result["rows"][spec.rows.index(row_of(spec.rows, text))]

    def _class(self, spec, text) -> int:
        t = str(text).strip()
        if t not in spec.classes:
            raise LexiconError(f"the {spec.dataset} data has no class '{t}'", fix="name one of: " + ", ".join(spec.classes))
        return spec.classes.index(t)

    def _temp(self, spec, result, text) -> dict:
        match = [r for r in result["temperatures"] if f"{r['t']:g}" == str(text).strip()]
        if not match:
            raise LexiconError(f"'{text}' is not one of the block's temperatures",
                               fix="name one of: " + ", ".join(f"{t:g}" for t in spec.temperatures))
        return match[0]

    # --- values for prose -----------------------------------------------------------------------------
    @value("A test example's logit for a class: `logit(0, class_1)`.")
    def logit(self, spec, result, row, cls):
        v = self._row(spec, result, row)["logits"][self._class(spec, cls)]
        return Value(fmt(v), v)

    @value("A test example's probability of a class (softmax at temperature 1): `prob(0, class_1)`.")
    def prob(self, spec, result, row, cls):
        v = self._row(spec, result, row)["probs"][self._class(spec, cls)]
        return Value(prob_text(v), v)

    @value("One logit minus another for a test example: `gap(3, class_0, class_1)`.")
    def gap(self, spec, result, row, a, b):
        r = self._row(spec, result, row)
        v = r["logits"][self._class(spec, a)] - r["logits"][self._class(spec, b)]
        return Value(fmt(v), v)

    @value("The natural log of one probability over another (equal to `gap`): `log_ratio(3, class_0, class_1)`.")
    def log_ratio(self, spec, result, row, a, b):
        r = self._row(spec, result, row)
        v = float(np.log(r["probs"][self._class(spec, a)] / r["probs"][self._class(spec, b)]))
        return Value(fmt(v), v)

    @value("The class with the highest probability for a test example: `top(0)`.")
    def top(self, spec, result, row):
        r = self._row(spec, result, row)
        name = class_label(spec.dataset, result["classes"][int(np.argmax(r["probs"]))])
        return Value(name)

    @value("A test example's true class: `truth(0)`.")
    def truth(self, spec, result, row):
        return Value(class_label(spec.dataset, result["classes"][self._row(spec, result, row)["true"]]))

    @value("The first row's probability of a class at a temperature: `prob_at(5, class_1)`.")
    def prob_at(self, spec, result, t, cls):
        v = self._temp(spec, result, t)["probs"][self._class(spec, cls)]
        return Value(prob_text(v), v)

    @value("The entropy (in nats) of the first row's probabilities at a temperature: `entropy_at(5)`.")
    def entropy_at(self, spec, result, t):
        v = self._temp(spec, result, t)["entropy"]
        return Value(fmt(v), v)

    @value("The largest difference between numpy's softmax and `predict_proba` over the test split.")
    def sklearn_diff(self, spec, result):
        return Value(sci(result["sklearn_diff"]), result["sklearn_diff"])

    @value("The largest change in any probability when every logit is shifted by `shift`.")
    def shift_diff(self, spec, result):
        return Value(sci(result["shift_diff"]), result["shift_diff"])

    @value("The shift added to every logit (`shift`).")
    def shift(self, spec, result):
        return Value(f"{spec.shift:g}".replace("-", "−"), spec.shift)

    @value("The number of classes, the natural log of which is the largest possible entropy.")
    def classes(self, spec, result):
        return Value(str(len(result["classes"])), len(result["classes"]))

    @value("The largest possible entropy, log(number of classes), in nats: all classes equally likely.")
    def max_entropy(self, spec, result):
        v = float(np.log(len(result["classes"])))
        return Value(fmt(v), v)

    @value("The k-th row of the block (1 = the first listed, whose temperatures the figure shows): `row(1)`.")
    def row(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.rows):
            raise LexiconError(f"there is no row '{k}'", fix=f"name 1 to {len(spec.rows)} ('rows' lists them)")
        r = spec.rows[int(k) - 1]
        return Value(str(r), r)

    @value("The k-th temperature (1 = the first listed): `temperature(2)`.")
    def temperature(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.temperatures):
            raise LexiconError(f"there is no temperature '{k}'", fix=f"name 1 to {len(spec.temperatures)}")
        t = spec.temperatures[int(k) - 1]
        return Value(f"{t:g}", t)

    @value("The number of features (each standardised).")
    def features(self, spec, result):
        return Value(str(result["features"]), result["features"])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        names = [class_label(spec.dataset, c) for c in result["classes"]]
        what = SAMPLES.get(spec.dataset, "examples")
        rows = []
        for r in result["rows"]:
            top = int(np.argmax(r["probs"]))
            rows.append([str(r["row"]), esc(names[r["true"]])] + [fmt(v) for v in r["logits"]]
                        + [prob_text(v) for v in r["probs"]] + [esc(names[top])])
        k = len(names)
        main = Table(["Test example", "True class"] + [f"Logit: {esc(n)}" for n in names]
                     + [f"Probability: {esc(n)}" for n in names] + ["Predicted"], rows,
                     numeric=tuple(range(2, 2 + 2 * k)))
        temps = result["temperatures"]
        ttable = Table(["Temperature"] + [f"Probability: {esc(n)}" for n in names] + ["Entropy (nats)"],
                       [[f"{t['t']:g}"] + [prob_text(v) for v in t["probs"]] + [fmt(t["entropy"])] for t in temps],
                       numeric=tuple(range(0, k + 2)))

        def figure():
            fig = go.Figure()
            for i, n in enumerate(names):
                fig.add_trace(go.Bar(x=[f"T = {t['t']:g}" for t in temps], y=[t["probs"][i] for t in temps], name=n,
                                     marker_color=PALETTE[i % len(PALETTE)],
                                     hovertemplate=f"{n}, %{{x}}: %{{y:.4f}}<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP, barmode="group",
                              yaxis=dict(range=[0, 1], title=dict(text="probability", standoff=6)),
                              xaxis=dict(title=dict(text="temperature", standoff=6)))
            return fig

        first = result["rows"][0]["row"]
        same = ("is identical to scikit-learn's <code>predict_proba</code>, which computes it the same way"
                if result["sklearn_diff"] == 0 else
                f"differs from scikit-learn's <code>predict_proba</code> by at most {sci(result['sklearn_diff'])}")
        alt = (f"Grouped bar chart of test example {first}'s probability of each class at each temperature. "
               + " ".join(f"T = {t['t']:g}: " + ", ".join(f"{n} {prob_text(v)}" for n, v in zip(names, t["probs"])) + "."
                          for t in temps))
        code = (logistic_code(spec.dataset, spec.test_size, spec.seed)
                + "z = model.decision_function(scaler.transform(x_test))   # the logits, one column per class\n\n"
                "def softmax(z, t=1.0):\n"
                "    z = z / t\n"
                "    e = np.exp(z - z.max(axis=-1, keepdims=True))         # the shift changes nothing, avoids overflow\n"
                "    return e / e.sum(axis=-1, keepdims=True)\n\n"
                "np.abs(softmax(z) - model.predict_proba(scaler.transform(x_test))).max()\n"
                + (f"softmax(z[{first}], t=5)                                     # flatter\n" if spec.figure else
                   f"p = softmax(z)\nnp.log(p[{first}, 1] / p[{first}, 0]), z[{first}, 1] - z[{first}, 0]   # the same number\n"))
        return [
            Html(f"<p>A logistic regression learned on {result['train']:,} {what} ({result['features']} standardised "
                 f"features) scores each of the {result['test']:,} test {what} with one logit per class. numpy's softmax "
                 f"of the logits {same}; adding {spec.shift:g} to every logit changes no probability by more "
                 f"than {sci(result['shift_diff'])}.</p>"),
            main,
            Figure(figure, alt=alt, caption=spec.caption, table=ttable, height=340, anchor="temperature",
                   default_caption=f"Test example {first}'s probabilities at each temperature: a low temperature "
                                   "sharpens them, a high one flattens them; the ranking of the classes stays."),
            Code(code, "The numpy and scikit-learn code behind these numbers"),
        ]
