"""An exercise on a network's arithmetic: the top class after softmax, the largest cross-entropy, the steepest
activation, the separable pair of classes; graded from the computation."""

from __future__ import annotations

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._data import (ACTIVATIONS, INITS, NAMES, NOTE, SAMPLES, activation, check_dataset, class_label, cross_entropy,
                    TASKS, deep_gradients, hidden_sweep, logistic_fit, perceptron, sci, softmax)

LOWEST = ("separable", "smallest-gradient", "flattest")   # asks whose answer is the lowest score
ROWS_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 5,
               "uniqueItems": True}
ACTS_SCHEMA = {"type": "array", "items": {"enum": list(ACTIVATIONS)}, "minItems": 2, "maxItems": 4, "uniqueItems": True}
PAIRS_SCHEMA = {"type": "array", "minItems": 2, "maxItems": 3,
                "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}}
# ask -> (the options it uses, the default prompt)
ASKS = {"softmax-top": ("Test example {row} of the {dataset} data has these logits. Which class gets the highest "
                        "probability after softmax at temperature {temperature:g}?"),
        "largest-loss": "Which of these test examples has the largest cross-entropy loss?",
        "steepest": "Which activation function has the largest derivative at x = {x:g}?",
        "separable": "Which pair of classes can a perceptron separate with no mistakes?",
        "smallest-gradient": ("In a {depth}-layer {activation} network, before training, which layer's weights get the "
                              "smallest gradient?"),
        "hidden": "Which model scores best on the test images it never saw?",
        "init": ("In a {depth}-layer {activation} network, which initialisation keeps the outputs of the last hidden "
                 "layer most spread out (the largest standard deviation)?"),
        "flattest": ("In a {depth}-layer {activation} network, which initialisation leaves the units of the last hidden "
                     "layer flattest (the smallest mean derivative of the activation, before training)?")}
LAYERS_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 5,
                 "uniqueItems": True}
SIZES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 64}, "minItems": 2, "maxItems": 4,
                "uniqueItems": True}
INITS_SCHEMA = {"type": "array", "items": {"enum": list(INITS)}, "minItems": 2, "maxItems": 3, "uniqueItems": True}


class NeuralExercise(ExerciseKind):
    """An exercise on a network's arithmetic, graded from the computation.

    `ask: softmax-top` shows the logits of test example `row` (the model of `softmax`) and asks which
    class softmax at `temperature` makes most probable: the class with the largest logit, whatever
    the temperature. `ask: largest-loss` shows the probabilities the model gave the test examples in
    `rows` with their true classes and asks which has the largest cross-entropy: the one whose TRUE
    class got the lowest probability, not the least confident prediction. `ask: steepest` asks which
    of `activations` has the largest derivative at `x`. `ask: separable` runs the perceptron of
    `perceptron` for `epochs` epochs on each of `pairs` of classes and asks which pair it separates
    (the fewest mistakes in the last epoch). `ask: smallest-gradient` builds the untrained deep network of
    `layer-gradients` (`activation`, `init`, `depth`) and asks which of `layers` gets the smallest weight
    gradient; `ask: init` builds it once per init of `inits` and asks which keeps the last hidden layer's
    outputs most spread out (largest standard deviation); `ask: flattest` asks which leaves the last hidden
    layer's activation derivative smallest on average (saturated units). `ask: hidden` fits the networks of `hidden-units`
    (`sizes`, 0 = a logistic regression with no hidden layer; `task`) and asks which scores the highest test
    accuracy. A tie at the shown precision fails the build. `answer`
    is the choice you claim wins (a class name, a row, an activation, or a pair written `a/b`).
    """

    example = "ask: steepest\nx: 0\nactivations: [sigmoid, tanh, relu]\nanswer: tanh"
    default_prompt = ""
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        ask=opt.choice("What the reader is asked.", list(ASKS), required=True),
        dataset=opt.text("The dataset (`softmax-top`, `largest-loss`: default wine; `separable`: default iris).",
                         default_doc="wine, or iris for `separable`"),
        row=opt.integer("The test example of `softmax-top` (position in the test split).", default=0, min=0),
        temperature=opt.number("The temperature of `softmax-top`.", default=1, above=0, max=100),
        rows=opt.raw("The test examples of `largest-loss`.", ROWS_SCHEMA, "list of 2–5 whole numbers", convert=list),
        x=opt.number("The input of `steepest`.", default=0, min=-10, max=10),
        activations=opt.raw("The activations of `steepest`.", ACTS_SCHEMA, "list of 2–4 activation names",
                            default=list(ACTIVATIONS), convert=list),
        pairs=opt.raw("The pairs of classes of `separable`, e.g. `[[setosa, versicolor], [versicolor, virginica]]`.",
                      PAIRS_SCHEMA, "list of 2–3 pairs of class names", convert=list),
        epochs=opt.integer("The perceptron's epochs (`separable`).", default=20, min=1, max=200),
        activation=opt.choice("The deep network's activation (`smallest-gradient`, `init`).", list(ACTIVATIONS),
                              default="sigmoid"),
        init=opt.choice("The deep network's initialisation (`smallest-gradient`).", list(INITS), default="xavier"),
        inits=opt.raw("The initialisations to choose from (`init`).", INITS_SCHEMA, "list of 2–3 of small / xavier / he / xavier4",
                      default=["small", "xavier", "he"], convert=list),
        layers=opt.raw("The layers to choose from (`smallest-gradient`), 1 = nearest the input.", LAYERS_SCHEMA,
                       "list of 2–5 layer numbers", default=[1, 5, 10], convert=list),
        depth=opt.integer("The deep network's hidden layers.", default=10, min=2, max=30),
        sizes=opt.raw("The hidden sizes to choose from (`hidden`); 0 is a logistic regression.", SIZES_SCHEMA,
                      "list of 2–4 whole numbers", default=[0, 2, 16], convert=list),
        task=opt.choice("What the models of `hidden` learn: `classes`, or `parity` (digits: even or odd).", list(TASKS),
                        default="classes"),
        test_size=opt.number("The share held out as the test split.", default=0.25, min=0.1, max=0.5),
        seed=opt.seed("The seed of the split.", default=0),
        answer=opt.raw("The choice you claim wins (a [claim](#claims)).", {"type": ["string", "number"]},
                       "class, row, activation or `a/b` pair", display=True, convert=str),
    )

    def prepare(self, spec):
        spec.dataset = spec.dataset or {"separable": "iris", "smallest-gradient": "digits", "init": "digits",
                                        "flattest": "digits", "hidden": "digits"}.get(spec.ask, "wine")
        if spec.ask == "hidden" and spec.task == "parity" and spec.dataset != "digits":
            raise LexiconError(f"task: parity needs the digits data, not {spec.dataset}", fix="set 'dataset: digits'")
        if spec.ask == "smallest-gradient" and max(spec.layers) > spec.depth:
            raise LexiconError(f"layer {max(spec.layers)} is deeper than the network ({spec.depth} layers)",
                               fix=f"name layers from 1 to {spec.depth}, or raise 'depth'")
        needs = {"largest-loss": "rows", "separable": "pairs"}.get(spec.ask)
        if needs and getattr(spec, needs) is None:
            raise LexiconError(f"ask: {spec.ask} needs '{needs}'",
                               fix="add e.g. 'rows: [0, 5, 9]'" if needs == "rows" else
                               "add e.g. 'pairs: [[setosa, versicolor], [versicolor, virginica]]'")
        if spec.ask != "steepest":
            names = check_dataset(spec.dataset)
            for pair in spec.pairs or []:
                for c in pair:
                    if c not in names:
                        raise LexiconError(f"the {spec.dataset} data has no class '{c}'", fix="name two of: " + ", ".join(names))
        spec.labels = self._labels(spec)
        if spec.answer is not None and spec.answer not in spec.labels:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="name one of: " + ", ".join(spec.labels))

    def _labels(self, spec) -> list[str]:
        if spec.ask == "softmax-top":
            return list(check_dataset(spec.dataset))
        if spec.ask == "largest-loss":
            return [str(r) for r in spec.rows]
        if spec.ask == "steepest":
            return list(spec.activations)
        if spec.ask == "smallest-gradient":
            return [str(k) for k in spec.layers]
        if spec.ask in ("init", "flattest"):
            return list(spec.inits)
        if spec.ask == "hidden":
            return [str(h) for h in spec.sizes]
        return [f"{a}/{b}" for a, b in spec.pairs]

    def prompt(self, spec):
        return spec.prompt or ASKS[spec.ask].format(row=spec.row, dataset=spec.dataset, temperature=spec.temperature,
                                                    x=spec.x, depth=spec.depth, activation=NAMES[spec.activation])

    def anchor_hint(self, spec):
        return f"exercise {spec.ask}"

    def compute(self, kv, spec):
        if spec.ask == "steepest":
            return {"scores": [float(activation(a, spec.x, True)) for a in spec.activations],
                    "values": [float(activation(a, spec.x)) for a in spec.activations]}
        if spec.ask == "smallest-gradient":
            r = deep_gradients(spec.dataset, spec.activation, spec.init, spec.depth, 64, 256, spec.seed)
            return {"scores": [r["grad"][k - 1] for k in spec.layers], "std": [r["std"][k - 1] for k in spec.layers]}
        if spec.ask == "init":
            runs = [deep_gradients(spec.dataset, spec.activation, i, spec.depth, 64, 256, spec.seed) for i in spec.inits]
            return {"scores": [r["std"][-1] for r in runs], "first": [r["std"][0] for r in runs]}
        if spec.ask == "flattest":
            runs = [deep_gradients(spec.dataset, spec.activation, i, spec.depth, 64, 256, spec.seed) for i in spec.inits]
            return {"scores": [r["slope"][-1] for r in runs], "first": [r["slope"][0] for r in runs],
                    "std": [r["std"][-1] for r in runs]}
        if spec.ask == "hidden":
            sweep = hidden_sweep(spec.dataset, [h for h in spec.sizes if h], 200, spec.test_size, spec.seed, spec.task)
            by = {r["hidden"]: r for r in sweep["rows"]}
            rows = [sweep["linear"] if h == 0 else by[h] for h in spec.sizes]
            return {"scores": [r["test"] for r in rows], "train": [r["train"] for r in rows]}
        if spec.ask == "separable":
            runs = [perceptron(spec.dataset, tuple(p), spec.epochs) for p in spec.pairs]
            return {"scores": [r["mistakes"][-1] for r in runs], "first": [r["mistakes"][0] for r in runs],
                    "samples": [r["samples"] for r in runs]}
        fit = logistic_fit(spec.dataset, spec.test_size, spec.seed)
        rows = [spec.row] if spec.ask == "softmax-top" else spec.rows
        if max(rows) >= fit["test"]:
            raise LexiconError(f"row {max(rows)} is past the end of the test split ({fit['test']} examples)",
                               fix=f"name rows from 0 to {fit['test'] - 1}")
        if spec.ask == "softmax-top":
            z = fit["logits"][spec.row]
            return {"logits": z.tolist(), "scores": softmax(z, spec.temperature).tolist(),
                    "true": int(fit["y"][spec.row])}
        probs, y = fit["sklearn"][spec.rows], fit["y"][spec.rows]
        return {"probs": probs.tolist(), "true": y.tolist(), "scores": cross_entropy(probs, y).tolist()}

    def graded_end(self, spec):
        return "lowest" if spec.ask in LOWEST else "highest"

    def graded(self, spec, result):
        return dict(zip(spec.labels, result["scores"]))

    def _best(self, spec, result) -> int:
        s = np.asarray(result["scores"])
        return int(s.argmin() if spec.ask in LOWEST else s.argmax())

    def _label(self, spec, label) -> str:
        if spec.ask == "steepest":
            return NAMES[label]
        if spec.ask == "largest-loss":
            return f"test example {label}"
        if spec.ask == "smallest-gradient":
            return f"layer {label}"
        if spec.ask in ("init", "flattest"):
            return INITS[label]
        if spec.ask == "hidden":
            return "no hidden layer (logistic regression)" if label == "0" else f"MLP, {label} hidden unit{'' if label == '1' else 's'}"
        if spec.ask == "separable":
            return " vs ".join(class_label(spec.dataset, c) for c in label.split("/"))
        return class_label(spec.dataset, label)

    def _shown(self, spec, v) -> str:
        return str(v) if spec.ask == "separable" else sci(v) if spec.ask in ("smallest-gradient", "init") else fmt(v)

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = spec.labels[self._best(spec, result)]
        said = {"softmax-top": "gets the highest probability", "largest-loss": "has the largest cross-entropy",
                "steepest": f"has the largest derivative at x = {spec.x:g}",
                "separable": f"leaves the fewest mistakes after {spec.epochs} epochs",
                "smallest-gradient": "gets the smallest weight gradient",
                "init": "keeps the last hidden layer's outputs most spread out",
                "flattest": "leaves the last hidden layer's units flattest",
                "hidden": "scores the highest test accuracy"}[spec.ask]
        sign = -1 if spec.ask in LOWEST else 1
        check(f"{self._label(spec, spec.answer)} {said}", best == spec.answer,
              "; ".join(f"{self._label(spec, lab)}: {self._shown(spec, v)}" for lab, v in zip(spec.labels, result["scores"])),
              decided_by=[sign * v for v in result["scores"]])

    @value("The choice that wins (the answer).")
    def best(self, spec, result):
        return Value(self._label(spec, spec.labels[self._best(spec, result)]))

    @value("The score of one choice (probability, loss, derivative or mistakes): `score(tanh)`.")
    def score(self, spec, result, label):
        if str(label).strip() not in spec.labels:
            raise LexiconError(f"'{label}' is not one of the choices", fix="name one of: " + ", ".join(spec.labels))
        v = result["scores"][spec.labels.index(str(label).strip())]
        return Value(self._shown(spec, v), v)

    def render(self, spec, result, ctx):
        labels, scores = spec.labels, result["scores"]
        best = labels[self._best(spec, result)]
        names = [self._label(spec, lab) for lab in labels]
        what = SAMPLES.get(spec.dataset, "examples")
        data = spec.dataset.replace("_", " ")
        before, why = [], {}
        if spec.ask == "softmax-top":
            before = [Html(f"<p>A logistic regression learned on the {esc(data)} data gives test example "
                           f"{spec.row} one logit per class:</p>"),
                      Table(["Class", "Logit"], [[esc(n), fmt(z)] for n, z in zip(names, result["logits"])], numeric=(1,))]
            reveal = Table(["Class", "Logit", f"Probability at T = {spec.temperature:g}"],
                           [[esc(n), fmt(z), fmt(p)] for n, z, p in zip(names, result["logits"], scores)], numeric=(1, 2))
            for n, z, p in zip(names, result["logits"], scores):
                why[n] = f"{n}: logit {fmt(z)}, probability {fmt(p)} at temperature {spec.temperature:g}."
        elif spec.ask == "largest-loss":
            classes = [class_label(spec.dataset, c) for c in check_dataset(spec.dataset)]
            head = ["Test example", "True class"] + [f"p({esc(c)})" for c in classes]
            before = [Html(f"<p>A logistic regression's probabilities for some test {what} of the "
                           f"{esc(data)} data, with their true classes:</p>"),
                      Table(head, [[lab, esc(classes[t])] + [fmt(v) for v in p]
                                   for lab, t, p in zip(labels, result["true"], result["probs"])],
                            numeric=tuple(range(2, 2 + len(classes))))]
            reveal = Table(["Test example", "p(true class)", "Cross-entropy −log p"],
                           [[lab, fmt(p[t]), fmt(s)] for lab, t, p, s in zip(labels, result["true"], result["probs"], scores)],
                           numeric=(1, 2))
            for n, t, p, s in zip(names, result["true"], result["probs"], scores):
                why[n] = f"{n.capitalize()}: its true class got {fmt(p[t])}, a loss of {fmt(s)}."
        elif spec.ask == "steepest":
            reveal = Table(["Activation", f"f({spec.x:g})", f"f′({spec.x:g})"],
                           [[esc(n), fmt(v), fmt(d)] for n, v, d in zip(names, result["values"], scores)], numeric=(1, 2))
            for n, d in zip(names, scores):
                why[n] = f"{n}: derivative {fmt(d)} at x = {spec.x:g}."
        elif spec.ask == "smallest-gradient":
            reveal = Table(["Layer", "Gradient norm of its weights", "Standard deviation of its outputs"],
                           [[lab, sci(g), fmt(sd)] for lab, g, sd in zip(labels, scores, result["std"])], numeric=(0, 1, 2))
            for n, g in zip(names, scores):
                why[n] = f"{n.capitalize()}: gradient norm {sci(g)}."
        elif spec.ask == "hidden":
            reveal = Table(["Model", "Training accuracy", "Test accuracy"],
                           [[esc(n), fmt(t), fmt(v)] for n, t, v in zip(names, result["train"], scores)], numeric=(1, 2))
            for n, t, v in zip(names, result["train"], scores):
                why[n] = f"{n}: training accuracy {fmt(t)}, test accuracy {fmt(v)}."
        elif spec.ask == "init":
            reveal = Table(["Initialisation", "Output std, layer 1", f"Output std, layer {spec.depth}"],
                           [[esc(n), sci(f), sci(v)] for n, f, v in zip(names, result["first"], scores)], numeric=(1, 2))
            for n, v in zip(names, scores):
                why[n] = f"{n}: the last hidden layer's outputs have standard deviation {sci(v)}."
        elif spec.ask == "flattest":
            reveal = Table(["Initialisation", "Mean f′, layer 1", f"Mean f′, layer {spec.depth}",
                            f"Output std, layer {spec.depth}"],
                           [[esc(n), fmt(f), fmt(v), sci(sd)] for n, f, v, sd in
                            zip(names, result["first"], scores, result["std"])], numeric=(1, 2, 3))
            for n, v, sd in zip(names, scores, result["std"]):
                why[n] = f"{n}: mean derivative {fmt(v)} in the last hidden layer (output std {sci(sd)})."
        else:
            reveal = Table(["Classes", "Samples", "Mistakes in epoch 1", f"Mistakes in epoch {spec.epochs}"],
                           [[esc(n), str(s), str(f), str(m)] for n, s, f, m in
                            zip(names, result["samples"], result["first"], scores)], numeric=(1, 2, 3))
            for n, m in zip(names, scores):
                why[n] = f"{n}: {m} mistakes in epoch {spec.epochs}."
        head = Html(f"<p><strong>{esc(self._label(spec, best))}</strong>.</p>")
        return Choices(names, self._label(spec, best), why, [head, reveal], before)
