"""The edit-distance kind: the dynamic-programming table of the Levenshtein distance, and three edit
distances side by side.

For each pair the block computes the Levenshtein distance (:mod:`._edit`), the optimal-string-alignment
distance (a swap of two neighbouring letters is one edit) and the insert/delete-only distance. For the
pair ``table`` names it shows the whole table, the cheapest path through it and the edits it spells.
"""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Raw, Table, Text
from ...errors import LexiconError
from ...render import esc
from ._edit import DISTANCES, alignment, distance, require_short, table

TRIPLE = {"type": "array", "minItems": 1, "maxItems": 6, "items": {
    "type": "array", "minItems": 3, "maxItems": 3, "items": {"type": ["string", "integer"]}}}
NAMES = {"levenshtein": "Levenshtein distance", "osa": "optimal-string-alignment distance",
         "indel": "insert/delete-only distance"}
EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "minProperties": 1,
                 "properties": {k: TRIPLE for k in DISTANCES}}


def edits_text(ops: list[list]) -> str:
    """The edits of a path, keeps left out: ``substitute k → s, insert g``."""
    out = []
    for op, _, _, x, y in ops:
        if op == "substitute":
            out.append(f"substitute {x} \u2192 {y}")
        elif op == "delete":
            out.append(f"delete {x}")
        elif op == "insert":
            out.append(f"insert {y}")
    return ", ".join(out) or "none"


class EditDistance(Kind):
    """The Levenshtein distance of word pairs by dynamic programming: the full table for one pair, its
    cheapest path and edits, and the optimal-string-alignment and insert/delete-only distances beside it.

    The Levenshtein distance of two strings is the fewest single-character insertions, deletions and
    substitutions that turn one into the other. The block fills the Wagner–Fischer table for the pair
    `table` (cell i, j: the distance between the first i letters of one word and the first j of the
    other), marks one cheapest path back from the last cell, and spells its edits. A second table gives,
    for every pair, the Levenshtein distance, the optimal-string-alignment (OSA) distance, which also
    counts swapping two neighbouring letters as one edit, and the distance with insertions and deletions
    only. Needs no embedding model.
    """

    example = "pairs: [[kitten, sitting], [recieve, receive]]\nexpect:\n  levenshtein: [[kitten, sitting, 3]]"
    needs_model = False
    note = "Computed at build time by dynamic programming in Python; no embedding model."
    options = opt.Options(
        Kind.options,
        pairs=opt.pairs("Pairs of strings to compare (1 to 20 characters each).", min=1, max=6, vocab=False,
                        required=True),
        table=opt.integer("Which pair (from 1) gets the full table and its path.", default=1, min=1, max=6,
                          display=True),
        expect=opt.raw("[Claims](#claims): for `levenshtein`, `osa` or `indel`, a list of `[word, word, distance]` "
                       "(`levenshtein: [[kitten, sitting, 3]]`).", EXPECT_SCHEMA, "`levenshtein`, `osa`, `indel`",
                       default={}, display=True),
        caption=opt.caption(doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        require_short([s for p in spec.pairs for s in p])
        if spec.table > len(spec.pairs):
            raise LexiconError(f"'table' is {spec.table}, but the block has {len(spec.pairs)} pair(s)",
                               fix=f"set 'table' to a number from 1 to {len(spec.pairs)}")
        for kind, triples in spec.expect.items():
            for a, b, n in triples:
                if not (isinstance(a, str) and isinstance(b, str) and isinstance(n, int) and not isinstance(n, bool)
                        and n >= 0):
                    raise LexiconError(f"cannot read the claim {[a, b, n]} under '{kind}'",
                                       fix="write it as [word, word, distance], e.g. [kitten, sitting, 3]")
                if [a, b] not in spec.pairs:
                    raise LexiconError(f"the claim names the pair {a}, {b}, which is not one of the block's pairs",
                                       fix=f"add [{a}, {b}] to 'pairs', or claim about a listed pair")

    def anchor_hint(self, spec):
        return " ".join(spec.pairs[0])

    def compute(self, kv, spec):
        a, b = spec.pairs[spec.table - 1]
        d = table(a, b)
        return {"table": d, "path": alignment(a, b, d),
                "pairs": [[x, y, {k: distance(k, x, y) for k in DISTANCES}] for x, y in spec.pairs]}

    def claims(self, spec, result, check):
        got = {(x, y): ds for x, y, ds in result["pairs"]}
        for kind, triples in spec.expect.items():
            for a, b, n in triples:
                m = got[(a, b)][kind]
                check(f"the {NAMES[kind]} between \u201c{a}\u201d and \u201c{b}\u201d is {n}",
                      m == n, f"it is {m}", against="the dynamic-programming table")

    def _pair(self, spec, result, a, b) -> dict:
        for x, y, ds in result["pairs"]:
            if (x, y) == (a, b):
                return ds
        raise LexiconError(f"'{a}, {b}' is not one of the block's pairs",
                           fix="quote a listed pair in its order, e.g. distance(kitten, sitting)")

    @value("The Levenshtein distance of a listed pair: `distance(kitten, sitting)`.")
    def distance(self, spec, result, a, b):
        n = self._pair(spec, result, a, b)["levenshtein"]
        return Value(str(n), n)

    @value("The optimal-string-alignment distance of a listed pair (a swap of neighbours is one edit).")
    def osa(self, spec, result, a, b):
        n = self._pair(spec, result, a, b)["osa"]
        return Value(str(n), n)

    @value("The insert/delete-only distance of a listed pair.")
    def indel(self, spec, result, a, b):
        n = self._pair(spec, result, a, b)["indel"]
        return Value(str(n), n)

    @value("The edits of the table's path, keeps left out (`substitute k → s, substitute e → i, insert g`).")
    def edits(self, spec, result):
        return Value(edits_text(result["path"]))

    @value("A cell of the table: `cell(3, 4)`, the distance between the first 3 letters of one word and the "
           "first 4 of the other.")
    def cell(self, spec, result, i, j):
        d = result["table"]
        if not (str(i).isdigit() and str(j).isdigit() and int(i) < len(d) and int(j) < len(d[0])):
            raise LexiconError(f"the table has no cell ({i}, {j})",
                               fix=f"quote i from 0 to {len(d) - 1} and j from 0 to {len(d[0]) - 1}")
        n = d[int(i)][int(j)]
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        a, b = spec.pairs[spec.table - 1]
        d, path = result["table"], result["path"]
        on_path = {(0, 0)} | {(i, j) for _, i, j, _, _ in path}
        head = ["", "\u2205"] + [f"{c}" for c in b]
        rows = []
        for i in range(len(a) + 1):
            cells = [Raw(f"<strong>{d[i][j]}</strong>") if (i, j) in on_path else str(d[i][j])
                     for j in range(len(b) + 1)]
            rows.append([("\u2205" if i == 0 else a[i - 1])] + cells)
        parts = [Html(f"<p>The table turns <code>{esc(a)}</code> (down) into <code>{esc(b)}</code> (across). "
                      "Each cell is the fewest edits between the letters above and to the left of it: the cell "
                      "above plus one (delete), the cell to the left plus one (insert), or the cell diagonally "
                      "up-left plus one if the two letters differ (substitute) and plus nothing if they match. "
                      "\u2205 is the empty string. In bold, one cheapest path from the top left to the "
                      "distance in the bottom right.</p>")]
        if spec.caption:
            parts.insert(0, Text(spec.caption))
        parts.append(Table(head, rows, numeric=tuple(range(1, len(b) + 2))))
        parts.append(Html(f"<p>The path\u2019s edits: {esc(edits_text(path))} "
                          f"({d[-1][-1]} edit{'s' if d[-1][-1] != 1 else ''}).</p>"))
        parts.append(Table(["Pair", "Levenshtein", "OSA (a swap is one edit)", "Insert and delete only"],
                           [[f"{x} \u2192 {y}", ds["levenshtein"], ds["osa"], ds["indel"]]
                            for x, y, ds in result["pairs"]], numeric=(1, 2, 3)))
        parts.append(Code(CODE.format(a=a, b=b), "The Python behind the table"))
        return parts


CODE = """\
a, b = {a!r}, {b!r}
d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
for i in range(len(a) + 1):
    d[i][0] = i                      # delete the first i letters of a
for j in range(len(b) + 1):
    d[0][j] = j                      # insert the first j letters of b
for i in range(1, len(a) + 1):
    for j in range(1, len(b) + 1):
        d[i][j] = min(d[i - 1][j] + 1,                            # delete a[i-1]
                      d[i][j - 1] + 1,                            # insert b[j-1]
                      d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))   # substitute, or keep if equal
print(d[-1][-1])
"""
