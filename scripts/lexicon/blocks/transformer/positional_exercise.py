"""The ``positional-exercise`` kind: which position's encoding is most similar?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._sinusoidal import DIMS_SCHEMA, DIMS_TYPE, cosine_matrix, similarity_line, sinusoidal

POSITION = {"type": "integer", "minimum": 0, "maximum": 199}


class PositionalExercise(ExerciseKind):
    """An exercise: which of several positions has the sinusoidal encoding most similar to a given
    position's? Computed with numpy; no model.

    A multiple-choice exercise: which position's encoding is most similar to `reference`'s? The
    encodings are those of the [positional-encoding](#positional-encoding) block; the reveal
    shows the cosine of every position with the reference as a line.
    """

    example = "reference: 10\nchoices: [15, 16, 17, 40]\nanswer: 16"
    default_prompt = "Which position’s encoding is most similar to that of position {reference}?"
    needs_model = False
    note = "Computed at build time with numpy: a fixed formula, no model."
    options = opt.Options(
        ExerciseKind.options,
        reference=opt.integer("The position the choices are compared with.", min=0, max=199, required=True),
        choices=opt.raw("The positions to choose from.",
                        {"type": "array", "minItems": 2, "maxItems": 6, "uniqueItems": True, "items": POSITION},
                        "list of 2–6 positions (0–199)", required=True, convert=list),
        dims=opt.raw("The dimensions of the encoding.", DIMS_SCHEMA, DIMS_TYPE, default=64),
        base=opt.number("The base of the wavelengths (10000 in the original transformer).", default=10000,
                        above=1, convert=float),
        answer=opt.integer("The choice you claim is the most similar (a [claim](#claims)).", min=0, display=True),
    )

    def prepare(self, spec):
        if spec.reference in spec.choices:
            raise LexiconError(f"the reference position {spec.reference} is also a choice",
                               fix="remove it from 'choices'")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(map(str, spec.choices)))

    def anchor_hint(self, spec):
        return f"exercise position {spec.reference}"

    def compute(self, kv, spec):
        n = max(spec.choices + [spec.reference]) + 1
        c = cosine_matrix(sinusoidal(n, spec.dims, spec.base))[spec.reference]
        scores = [float(c[p]) for p in spec.choices]
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        return {"scores": [round(s, 6) for s in scores], "answer": spec.choices[best],
                "line": [round(float(v), 4) for v in c]}

    def graded(self, spec, result):
        return {str(p): s for p, s in zip(spec.choices, result["scores"])}

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        shown = ", ".join(f"{p} ({s:.4f})" for p, s in sorted(zip(spec.choices, result["scores"]),
                                                               key=lambda t: -t[1]))
        check(f"of positions {', '.join(map(str, spec.choices))}, the encoding most similar "
              f"to position {spec.reference}'s is position {spec.answer}'s",
              result["answer"] == spec.answer, f"cosine with position {spec.reference}: {shown}")

    @value("The choice whose encoding is most similar to the reference's.")
    def answer(self, spec, result):
        return Value(str(result["answer"]), result["answer"])

    @value("The cosine of a choice's encoding with the reference's, as the reveal's table shows it.")
    def cosine(self, spec, result, position):
        if not str(position).isdigit() or int(position) not in spec.choices:
            raise LexiconError(f"'{position}' is not one of the choices",
                               fix="name one of: " + ", ".join(map(str, spec.choices)))
        s = result["scores"][spec.choices.index(int(position))]
        return Value(fmt(s), s)

    def render(self, spec, result, ctx):
        ref, choices, scores = spec.reference, spec.choices, result["scores"]
        order = sorted(range(len(choices)), key=lambda k: (-scores[k], k))
        why = {str(p): f"Position {p} is {abs(p - ref)} step{'s' if abs(p - ref) != 1 else ''} from {ref}; "
                       f"cosine {scores[k]:.4f}"
                       f"{' (the highest)' if p == result['answer'] else f', #{order.index(k) + 1} of {len(choices)}'}."
               for k, p in enumerate(choices)}
        line = result["line"]
        alt = (f"Line chart of the cosine similarity between position {ref} and positions 0 to {len(line) - 1}, "
               f"with {spec.dims} dimensions. The choices: " +
               ", ".join(f"position {choices[k]} {scores[k]:.4f}" for k in order) + ".")
        return Choices([str(p) for p in choices], str(result["answer"]), why, [
            Html(f"<p>Position <strong>{esc(result['answer'])}</strong> has the encoding most similar to "
                 f"position {esc(ref)}’s (cosine {esc(fmt(max(scores)))}).</p>"),
            Figure(lambda: similarity_line(line, ref), alt=alt,
                   caption=f"Cosine similarity with position {ref} ({spec.dims} dimensions, base {spec.base:g}).",
                   table=Table(["Position", "Distance", f"Cosine with {ref}"],
                               [[str(choices[k]), str(abs(choices[k] - ref)), fmt(scores[k])] for k in order],
                               numeric=(1, 2)),
                   height=300, anchor="answer"),
        ])
