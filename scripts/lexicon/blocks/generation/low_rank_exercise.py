"""An exercise: how many numbers does a rank-r update of a real MiniLM weight matrix need?"""

from __future__ import annotations

from ... import minilm
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html
from ...errors import LexiconError
from ._lowrank import MATRICES, NOTE

CHOICES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 10_000_000},
                  "minItems": 2, "maxItems": 5, "uniqueItems": True}


class LowRankExercise(ExerciseKind):
    """An exercise: a rank-r update B·A of one weight matrix of all-MiniLM-L6-v2 (as LoRA trains it) is stored
    as two factors; how many numbers do they hold?

    The matrix's shape m × n is read from the weights file; the answer is r·(m + n). One of `choices` must
    be it; good wrong choices are m·n (the full matrix), r·m·n and r·r. `answer` is the choice you claim.
    """

    example = "layer: 1\nmatrix: query\nrank: 8\nchoices: [64, 6144, 147456]\nanswer: 6144"
    default_prompt = ("A rank-{rank} update of the {matrix} weight matrix of layer {layer} is stored as two thin "
                      "factors. How many numbers do they hold?")
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options,
        layer=opt.integer("The transformer layer, 1–6.", default=1, min=1, max=6),
        matrix=opt.choice("Which weight matrix (as in `low-rank`).", list(MATRICES), default="query"),
        rank=opt.integer("The rank r of the update.", default=8, min=1, max=384),
        choices=opt.raw("The numbers to choose from (2–5); one must be r·(m + n).", CHOICES_SCHEMA,
                        "list of 2–5 whole numbers", required=True, convert=list),
        answer=opt.integer("The choice you claim is right (a [claim](#claims)).", min=1, display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="name one of: " + ", ".join(map(str, spec.choices)))

    def anchor_hint(self, spec):
        return f"exercise rank {spec.rank} {spec.matrix}"

    def compute(self, kv, spec):
        w = minilm.load().weights[f"encoder.layer.{spec.layer - 1}.{MATRICES[spec.matrix]}"]
        m, n = (int(x) for x in w.shape)
        right = spec.rank * (m + n)
        if right not in spec.choices:
            raise LexiconError(f"none of the choices is r·(m + n) = {spec.rank} × ({m} + {n}) = {right:,}",
                               fix=f"add {right} to the choices")
        return {"shape": [m, n], "right": right}

    def claims(self, spec, result, check):
        if spec.answer is not None:
            check(f"a rank-{spec.rank} update of the {spec.matrix} matrix holds {spec.answer:,} numbers",
                  spec.answer == result["right"], f"it holds {result['right']:,}")

    @value("The right answer, r·(m + n).")
    def numbers(self, spec, result):
        return Value(f"{result['right']:,}", result["right"])

    def render(self, spec, result, ctx):
        m, n = result["shape"]
        r = spec.rank

        def why(c):
            if c == result["right"]:
                return f"Right: B is {m} × {r} and A is {r} × {n}, {r} × ({m} + {n}) numbers."
            if c == m * n:
                return "That is the full matrix, which a low-rank update leaves frozen."
            return f"Not {c:,}: count the entries of an {m} × {r} and an {r} × {n} matrix."

        labels = [f"{c:,}" for c in spec.choices]
        return Choices(labels, f"{result['right']:,}", {f"{c:,}": why(c) for c in spec.choices},
                       [Html(f"<p>The matrix is {m:,} × {n:,} ({m * n:,} numbers). A rank-{r} update B·A has B of "
                             f"{m:,} × {r} and A of {r} × {n:,}: {r} × ({m:,} + {n:,}) = "
                             f"<strong>{result['right']:,}</strong> numbers, {result['right'] / (m * n):.1%} of the "
                             "full matrix.</p>")],
                       [Html(f"<p>The {spec.matrix} matrix of layer {spec.layer} is {m:,} × {n:,} (m × n), read from the "
                             "weights file.</p>")])
