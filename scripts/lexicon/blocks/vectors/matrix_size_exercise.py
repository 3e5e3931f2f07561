from __future__ import annotations

from ...engine import ExerciseKind
from ...engine.pieces import Choices, Html


class MatrixSizeExercise(ExerciseKind):
    """An exercise: how many numbers does the model's embedding matrix hold? The choices are rows × columns and the usual mistakes, computed from the model's real shape.

    The answer is rows × columns of `kv.vectors`; the wrong choices are rows, columns and rows +
    columns, each with a sentence that says why it is wrong.
    """

    example = "prompt: How many numbers does this model's embedding matrix hold?"
    default_prompt = ("The model has one row per word in its vocabulary, and each row is one word's vector. "
                      "How many numbers does its embedding matrix hold?")

    def anchor_hint(self, spec):
        return "exercise matrix size"

    def compute(self, kv, spec):
        return {"shape": [int(kv.vectors.shape[0]), int(kv.vectors.shape[1])]}

    def render(self, spec, result, ctx):
        v, d = result["shape"]
        cands = [
            (v * d, f"{v * d:,} = {v:,} rows × {d} numbers per row: every word has its own row of {d} numbers."),
            (v, f"{v:,} is the number of rows (words); each row holds {d} numbers."),
            (d, f"{d} is the length of one row (one word's vector), not the size of the matrix."),
            (v + d, f"{v + d:,} adds rows and columns; a matrix holds rows × columns numbers."),
        ]
        why = {}
        for n, text in cands:
            why.setdefault(n, text)
        answer = f"{v * d:,}"
        return Choices([f"{n:,}" for n in sorted(why)], answer, {f"{n:,}": t for n, t in why.items()}, [
            Html(f'<p>The matrix holds <strong>{answer}</strong> numbers: {v:,} rows, one per word, each '
                 f'{d} numbers long. An embedding layer of this size has that many trainable parameters.</p>')])
