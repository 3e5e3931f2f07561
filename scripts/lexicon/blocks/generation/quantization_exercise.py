"""An exercise: how many times less memory do the model's vectors need as int8 with one scale per vector?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError

CHOICES_SCHEMA = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                  "minItems": 2, "maxItems": 5, "uniqueItems": True}
EXACT = 0.005   # the right choice must equal the computed ratio to this (the table's two decimals)


def label(x: float) -> str:
    return f"{x:g} times less"


class QuantizationExercise(ExerciseKind):
    """An exercise: the model's vectors are stored as int8 (one byte per number) with one float32 scale per
    vector instead of float32 (four bytes per number); how many times less memory do they need?

    The ratio is 4·d / (d + 4) for vectors of d numbers, computed from the configured model's dimensions
    (for GloVe 6B 50d, d = 50), or from `dims` when set: asking about another size (e.g. 300) keeps the
    exercise from being a lookup of the page's own example and shows that the scale costs less as d grows. One of `choices` must be the ratio rounded to two decimals, and the others
    should be the usual mistakes (4, forgetting the scales; 8 or 2, counting bits or halves). `answer` is the
    choice you claim is right.
    """

    example = "choices: [2, 3.7, 4, 8]\nanswer: 3.7"
    default_prompt = ("Each vector of the model is stored as int8 numbers plus one float32 scale, instead of float32 "
                      "numbers. How many times less memory does that need?")
    dims_prompt = ("Vectors of {d} numbers each are stored as int8 numbers plus one float32 scale per vector, instead "
                   "of float32 numbers. How many times less memory does that need?")
    options = opt.Options(
        ExerciseKind.options,
        choices=opt.raw("The ratios to choose from (2–5 numbers); one must be the computed ratio to two decimals.",
                        CHOICES_SCHEMA, "list of 2–5 numbers", required=True, convert=list),
        dims=opt.integer("The vectors' size d; by default the configured model's.", default=None, min=1, max=100000),
        answer=opt.number("The ratio you claim is right (a [claim](#claims)).", above=0, max=100, display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' is {spec.answer:g}, which is not one of the choices",
                               fix="name one of: " + ", ".join(f"{c:g}" for c in spec.choices))

    def prompt(self, spec):
        if spec.prompt:
            return spec.prompt
        return self.dims_prompt.format(d=f"{spec.dims:,}") if spec.dims else self.default_prompt

    def words(self, spec):
        return []

    def anchor_hint(self, spec):
        return "exercise int8 memory"

    def compute(self, kv, spec):
        d = int(spec.dims or kv.vector_size)
        ratio = 4 * d / (d + 4)
        right = [c for c in spec.choices if abs(c - round(ratio, 2)) < EXACT]
        if len(right) != 1:
            raise LexiconError(f"the ratio is {ratio:.2f} for {d}-number vectors, and {len(right)} of the choices "
                               "equal it to two decimals", fix=f"make exactly one choice {ratio:.2f}")
        return {"dims": d, "ratio": ratio, "right": right[0]}

    def claims(self, spec, result, check):
        if spec.answer is not None:
            check(f"int8 with a scale per vector needs {spec.answer:g} times less memory than float32",
                  spec.answer == result["right"], f"the ratio is {result['ratio']:.2f}")

    @value("The computed ratio, to two decimals.")
    def ratio(self, spec, result):
        return Value(f"{result['ratio']:.2f}", result["ratio"])

    def render(self, spec, result, ctx):
        d = result["dims"]
        why = {label(c): (f"Right: {4 * d:,} bytes against {d:,} + 4." if c == result["right"] else
                          "That forgets the scale stored with each vector." if c == 4 else
                          f"Not {c:g}: a float32 is 4 bytes, an int8 1 byte.") for c in spec.choices}
        reveal = [Html(f"<p>A vector of {d} numbers takes {4 * d:,} bytes as float32, and {d} + 4 = {d + 4} bytes as "
                       f"int8 with its float32 scale: {4 * d:,} / {d + 4} = <strong>{result['ratio']:.2f}</strong> times "
                       "less.</p>"),
                  Table(["Storage", "Bytes per vector"], [["float32", f"{4 * d:,}"], ["int8 + scale", f"{d + 4:,}"]],
                        numeric=(1,))]
        before = [] if spec.dims else [Html(f"<p>The model's vectors have {d} numbers each.</p>")]
        return Choices([label(c) for c in spec.choices], label(result["right"]), why, reveal, before)
