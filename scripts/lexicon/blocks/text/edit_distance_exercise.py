"""The edit-distance-exercise kind: what is the edit distance between two strings?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...render import esc
from ._edit import DISTANCES, alignment, distance, require_short, table
from ._number_choices import answer_option, check_answer, choices_option, off_by, require_among_choices

ASKED = {"levenshtein": "Levenshtein distance", "osa": "optimal-string-alignment distance",
         "indel": "insert/delete-only distance"}
MISTAKE = {"levenshtein": "is the Levenshtein distance, where a swap of two neighbours costs two edits",
           "osa": "is the optimal-string-alignment distance, where swapping two neighbouring letters is one edit",
           "indel": "allows only insertions and deletions, so a substitution costs two"}


class EditDistanceExercise(ExerciseKind):
    """An exercise: what is the edit distance between two strings? The distance is computed by dynamic
    programming; the other choices are explained by the distance they are.

    A multiple-choice exercise: the Levenshtein (or, with `distance`, the optimal-string-alignment or
    insert/delete-only) distance between `a` and `b`. The computed distance must be among `choices`; a
    wrong choice that equals another of the three distances is explained as that distance. The reveal
    spells one cheapest set of Levenshtein edits. Needs no model.
    """

    example = "a: recieve\nb: receive\nchoices: [1, 2, 3]\nanswer: 2"
    needs_model = False
    note = "Computed at build time by dynamic programming in Python; no embedding model."
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "“What is the Levenshtein distance between … "
                                                                  "and …?” (naming the distance)"}),
        a=opt.text("The first string (1 to 20 characters).", required=True),
        b=opt.text("The second string (1 to 20 characters).", required=True),
        distance=opt.choice("Which distance is asked.", list(DISTANCES), default="levenshtein"),
        choices=choices_option("distance"),
        answer=answer_option("distance"),
    )

    def prepare(self, spec):
        require_short([spec.a, spec.b])
        check_answer(spec)

    def prompt(self, spec):
        return spec.prompt or (f"What is the {ASKED[spec.distance]} between \u201c{spec.a}\u201d and "
                               f"\u201c{spec.b}\u201d?")

    def anchor_hint(self, spec):
        return f"exercise {spec.a} {spec.b}"

    def compute(self, kv, spec):
        d = table(spec.a, spec.b)
        return {"distances": {k: distance(k, spec.a, spec.b) for k in DISTANCES},
                "path": alignment(spec.a, spec.b, d)}

    def claims(self, spec, result, check):
        n = result["distances"][spec.distance]
        require_among_choices(n, spec.choices, f"the {ASKED[spec.distance]} is {n}")
        if spec.answer is not None:
            check(f"the {ASKED[spec.distance]} between \u201c{spec.a}\u201d and \u201c{spec.b}\u201d is {spec.answer}",
                  spec.answer == n, f"it is {n}", against="the dynamic-programming table")

    @value("The distance asked (the right answer).")
    def distance(self, spec, result):
        n = result["distances"][spec.distance]
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        ds, right = result["distances"], result["distances"][spec.distance]
        edits = [op for op in result["path"] if op[0] != "keep"]
        spelled = ", ".join(f"substitute {x} \u2192 {y}" if op == "substitute" else
                            f"delete {x}" if op == "delete" else f"insert {y}" for op, _, _, x, y in edits)
        why = {}
        for c in spec.choices:
            if c == right:
                why[str(c)] = f"{c} is the {ASKED[spec.distance]}."
            else:
                other = next((k for k in DISTANCES if k != spec.distance and ds[k] == c), None)
                why[str(c)] = (f"{c} {MISTAKE[other]}; the question asks for the {ASKED[spec.distance]}: {right}."
                               if other else off_by(c, right))
        reveal = [Html(f"<p>The {esc(ASKED[spec.distance])} is <strong>{right}</strong>. One cheapest set of "
                       f"Levenshtein edits from <code>{esc(spec.a)}</code> to <code>{esc(spec.b)}</code>: "
                       f"{esc(spelled) or 'none'}.</p>"),
                  Table(["Distance", "Edits allowed", "Value"],
                        [[ASKED[k], DISTANCES[k].split("(", 1)[-1].rstrip(")") if "(" in DISTANCES[k] else DISTANCES[k],
                          ds[k]] for k in DISTANCES], numeric=(2,))]
        return Choices([str(c) for c in spec.choices], str(right), why, reveal)
