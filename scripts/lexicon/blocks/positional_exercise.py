"""``positional-exercise``: which position's sinusoidal encoding is most similar to a given one?"""

from __future__ import annotations

from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc, figure, fmt, table
from .base import Block, obj, register
from .exercise import choice_exercise
from .positional_encoding import PositionalEncoding, cosine_matrix, sinusoidal


@register
class PositionalExercise(Block):
    kind = "positional-exercise"
    summary = ("An exercise: which of several positions has the sinusoidal encoding most similar to a given "
               "position's? Computed with numpy; no model.")
    needs_model = False
    schema = obj({
        "reference": {"type": "integer", "minimum": 0, "maximum": 199},
        "choices": {"type": "array", "minItems": 2, "maxItems": 6, "uniqueItems": True,
                    "items": {"type": "integer", "minimum": 0, "maximum": 199}},
        "dims": {"type": "integer", "minimum": 4, "maximum": 256, "multipleOf": 2},
        "base": {"type": "number", "exclusiveMinimum": 1},
        "answer": {"type": "integer", "minimum": 0},
        "prompt": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["reference", "choices"])
    example = "reference: 10\nchoices: [15, 16, 17]\ndims: 64\nanswer: 16"

    def parse(self, data):
        ref, choices = data["reference"], data["choices"]
        if ref in choices:
            raise LexiconError(f"the reference position {ref} is also a choice", fix="remove it from 'choices'")
        if "answer" in data and data["answer"] not in choices:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the choices",
                               fix="name one of: " + ", ".join(map(str, choices)))
        return {"reference": ref, "choices": choices, "dims": data.get("dims", 64),
                "base": float(data.get("base", 10000)), "answer": data.get("answer"),
                "prompt": data.get("prompt", f"Which position’s encoding is most similar to that of position {ref}?"),
                "explanation": data.get("explanation")}

    def anchor_hint(self, spec):
        return f"exercise position {spec['reference']}"

    def compute(self, kv, spec):
        n = max(spec["choices"] + [spec["reference"]]) + 1
        c = cosine_matrix(sinusoidal(n, spec["dims"], spec["base"]))[spec["reference"]]
        scores = [float(c[p]) for p in spec["choices"]]
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        return {"scores": [round(s, 6) for s in scores], "answer": spec["choices"][best],
                "line": [round(float(v), 4) for v in c]}

    def claims(self, spec, result):
        if spec["answer"] is None:
            return []
        shown = ", ".join(f"{p} ({s:.4f})" for p, s in sorted(zip(spec["choices"], result["scores"]),
                                                               key=lambda t: -t[1]))
        return [Claim(statement=f"of positions {', '.join(map(str, spec['choices']))}, the encoding most similar "
                                f"to position {spec['reference']}'s is position {spec['answer']}'s",
                      ok=result["answer"] == spec["answer"],
                      actual=f"cosine with position {spec['reference']}: {shown}")]

    def render(self, spec, result, ctx):
        ref, choices, scores = spec["reference"], spec["choices"], result["scores"]
        options = [str(p) for p in choices]
        order = sorted(range(len(choices)), key=lambda k: (-scores[k], k))
        why = {str(p): f"Position {p} is {abs(p - ref)} step{'s' if abs(p - ref) != 1 else ''} from {ref}; "
                       f"cosine {scores[k]:.4f}"
                       f"{' (the highest)' if p == result['answer'] else f', #{order.index(k) + 1} of {len(choices)}'}."
               for k, p in enumerate(choices)}
        line = result["line"]
        tbl = table(["Position", "Distance", f"Cosine with {ref}"],
                    [[str(choices[k]), str(abs(choices[k] - ref)), fmt(scores[k])] for k in order],
                    numeric_cols=(1, 2))
        alt = (f"Line chart of the cosine similarity between position {ref} and positions 0 to {len(line) - 1}, "
               f"with {spec['dims']} dimensions. The choices: " +
               ", ".join(f"position {choices[k]} {scores[k]:.4f}" for k in order) + ".")
        reveal = (f"<p>Position <strong>{esc(result['answer'])}</strong> has the encoding most similar to "
                  f"position {esc(ref)}’s (cosine {esc(fmt(max(scores)))}).</p>"
                  + figure(PositionalEncoding.similarity_line(line, ref), alt=alt,
                           caption=f"Cosine similarity with position {ref} ({spec['dims']} dimensions, base "
                                   f"{spec['base']:g}).", data_table=tbl, height=300,
                           anchor=ctx.anchor + "-answer")
                  + claims_html(ctx.claims))
        html = choice_exercise("positional", ctx.anchor, spec["prompt"], options, str(result["answer"]), why,
                               reveal, spec["explanation"], ctx.model_id)
        # No model computed this: say so instead of naming one.
        start = html.rfind('<p class="ll-model"')
        end = html.find("</p>", start) + len("</p>")
        return (html[:start] + '<p class="ll-model">Computed at build time with numpy: a fixed formula, no model.</p>'
                + html[end:])
