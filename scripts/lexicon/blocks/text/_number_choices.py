"""The text family's exercises whose answer is a computed whole number, chosen among stated numbers:
``tokenize-exercise`` and ``ngram-exercise`` (a count), ``edit-distance-exercise`` (a distance).

They take their choices and the claimed answer alike, refuse a block whose computed number is not among
the choices alike, and explain a wrong choice that no known mistake accounts for alike (how far off it
is): that is written once here, so that the three say it in the same words. What the number is, and
the mistakes that explain a choice, stay with each kind.
"""

from __future__ import annotations

from ...engine import opt
from ...errors import LexiconError


def choices_option(what: str) -> opt.Option:
    """The ``choices`` option: 2–6 different whole numbers, the computed ``what`` (count, distance) among them."""
    return opt.raw(f"The options; the computed {what} must be one of them.",
                   {"type": "array", "items": {"type": "integer", "minimum": 0},
                    "minItems": 2, "maxItems": 6, "uniqueItems": True},
                   "2–6 different whole numbers", required=True, display=True, convert=list)


def answer_option(what: str) -> opt.Option:
    """The ``answer`` option: the ``what`` (count, distance) the author claims."""
    return opt.integer(f"The {what} you claim (a [claim](#claims)).", min=0, display=True)


def check_answer(spec) -> None:
    """The claimed answer, when there is one, must be one of the choices (``prepare``)."""
    if spec.answer is not None and spec.answer not in spec.choices:
        raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                           fix="name one of the numbers listed under 'choices'")


def require_among_choices(n: int, choices: list[int], said: str) -> None:
    """The computed number ``n`` must be among the choices (``claims``); ``said`` states it
    (“the text has 9 bigrams”) for the error."""
    if n not in choices:
        raise LexiconError(f"{said}, which is not one of the choices ({', '.join(map(str, choices))})",
                           fix=f"add {n} to 'choices' (the exercise needs the right answer among them)")


def off_by(c: int, right: int) -> str:
    """A wrong choice explained by how far it is from the right number."""
    return f"{c} is {abs(c - right)} too {'many' if c > right else 'few'}."
