"""The spelling-suggestions kind: the closest words of the model's vocabulary to a misspelling, by edit
distance, as the site's explorer suggests them."""

from __future__ import annotations

from ...code import loading_code
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ._edit import require_short, suggestions

EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
    "first": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string", "minLength": 1}},
    "includes": {"type": "object", "minProperties": 1,
                 "additionalProperties": {"type": "string", "minLength": 1}},
    "known": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
}}


class SpellingSuggestions(Kind):
    """Close spellings of a string among the model's most frequent words, by optimal-string-alignment
    distance: the closest first, then the most frequent.

    For each of `words` (strings the model need not know) the block compares every one of the `search`
    most frequent words of the model's vocabulary by optimal-string-alignment distance (insert, delete,
    substitute, or swap two neighbouring letters, each one edit) and lists up to `limit` within
    `max_distance` edits: the closest first, and among equally close ones the more frequent first; it also
    counts all the words within `max_distance` edits (`within`). This
    is the rule the site's explorer uses in the browser to suggest a word you may have meant. Only the
    model's word list is used, not its vectors.
    """

    example = "words: [recieve, embeding]\nlimit: 3\nexpect:\n  first: {recieve: receive}"
    options = opt.Options(
        Kind.options,
        words=opt.words("The strings to find close spellings for (1 to 20 characters; need not be words).",
                        min=1, max=6, unique=True, vocab=False, type_doc="list of 1–6 strings", required=True),
        search=opt.integer("How many of the model's most frequent words are searched.", default=50_000,
                           min=1_000, max=400_000),
        max_distance=opt.integer("The most edits a suggestion may be away.", default=2, min=1, max=2),
        limit=opt.integer("How many suggestions are listed per string.", default=5, min=1, max=10),
        expect=opt.raw("[Claims](#claims): `first`, the first suggestion for a string (`{recieve: receive}`); "
                       "`includes`, a word among its suggestions; `known`, strings that are themselves in the model's "
                       "vocabulary.", EXPECT_SCHEMA, "`first`, `includes`, `known`",
                       default={}, display=True),
        caption=opt.caption(doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        require_short(spec.words)
        for key in ("first", "includes", "known"):
            for w in spec.expect.get(key, {}):
                if w not in spec.words:
                    raise LexiconError(f"the claim names '{w}', which is not one of the block's words",
                                       fix=f"add {w} to 'words', or claim about {', '.join(spec.words)}")

    def anchor_hint(self, spec):
        return "suggestions " + spec.words[0]

    def compute(self, kv, spec):
        vocab = kv.index_to_key[:spec.search]
        near = {w: suggestions(vocab, w, spec.max_distance, None) for w in spec.words}
        return {"searched": len(vocab),
                "words": {w: [w in kv.key_to_index, kv.key_to_index[w] + 1 if w in kv.key_to_index else 0,
                              near[w][:spec.limit]] for w in spec.words},
                "within": {w: len(near[w]) for w in spec.words}}

    def claims(self, spec, result, check):
        for w, want in spec.expect.get("first", {}).items():
            got = result["words"][w][2]
            check(f"the first suggestion for \u201c{w}\u201d is \u201c{want}\u201d", bool(got) and got[0][0] == want,
                  "the suggestions are " + (", ".join(f"{s} ({d})" for s, d, _ in got) or "none"),
                  against="the vocabulary")
        for w, want in spec.expect.get("includes", {}).items():
            got = result["words"][w][2]
            check(f"\u201c{want}\u201d is among the suggestions for \u201c{w}\u201d", want in [s for s, _, _ in got],
                  "the suggestions are " + (", ".join(f"{s} ({d})" for s, d, _ in got) or "none"),
                  against="the vocabulary")

        for w in spec.expect.get("known", []):
            known, rank, _ = result["words"][w]
            check(f"\u201c{w}\u201d is in the model's vocabulary", known, "it is not", against="the vocabulary")

    def _got(self, result, w) -> list:
        if w not in result["words"]:
            raise LexiconError(f"'{w}' is not one of the block's words", fix="quote a word listed under 'words'")
        return result["words"][w][2]

    @value("The k-th suggestion for a string: `suggestion(recieve, 1)`.")
    def suggestion(self, spec, result, w, k):
        got = self._got(result, w)
        if not (str(k).isdigit() and 1 <= int(k) <= len(got)):
            raise LexiconError(f"'{w}' has {len(got)} suggestion(s), not {k}", fix=f"quote k from 1 to {len(got)}")
        return Value(got[int(k) - 1][0])

    @value("How many edits the k-th suggestion for a string is away.")
    def edits(self, spec, result, w, k):
        got = self._got(result, w)
        word = self.suggestion(spec, result, w, k).text
        n = next(d for s, d, _ in got if s == word)
        return Value(str(n), n)

    @value("The frequency rank (1 = most frequent) of the k-th suggestion for a string.")
    def rank(self, spec, result, w, k):
        got = self._got(result, w)
        word = self.suggestion(spec, result, w, k).text
        n = next(r for s, _, r in got if s == word)
        return Value(f"{n:,}", n)

    @value("How many of the searched words are within `max_distance` edits of a string (the table lists at most "
           "`limit` of them): `within(recieve)`.")
    def within(self, spec, result, w):
        self._got(result, w)
        n = result["within"][w]
        return Value(f"{n:,}", n)

    @value("How many of the model's words were searched.")
    def searched(self, spec, result):
        return Value(f"{result['searched']:,}", result["searched"])

    def render(self, spec, result, ctx):
        lead = [Caption(spec.caption)] if spec.caption else []
        parts = lead + [Html(f"<p>Among the <strong>{result['searched']:,}</strong> most frequent words of the model, "
                      f"up to {spec.limit} of those within {spec.max_distance} edits (insert, delete, substitute, or "
                      "swap two neighbouring letters): the closest first, then the most frequent.</p>")]
        rows = []
        for w, (known, rank, got) in result["words"].items():
            status = f"in the vocabulary (rank {rank:,})" if known else "not in the vocabulary"
            rows.append([w, status, f"{result['within'][w]:,}",
                         ", ".join(f"{s} ({d}, #{r:,})" for s, d, r in got) or "none"])
        parts.append(Table(["String", "The model", f"Words within {spec.max_distance} edits",
                            "First suggestions (edits, frequency rank)"], rows, numeric=(2,)))
        code = loading_code(ctx.model_spec) + "\n" + CODE.format(words=spec.words, search=spec.search,
                                                                max=spec.max_distance, limit=spec.limit)
        parts.append(Code(code, "The Python behind these suggestions"))
        return parts


CODE = """\
def osa(a, b):   # optimal string alignment: insert, delete, substitute, swap two neighbours
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]

vocab = kv.index_to_key[:{search}]          # most frequent first
for word in {words!r}:
    near = [(osa(word, w), rank, w) for rank, w in enumerate(vocab, 1)
            if w != word and abs(len(w) - len(word)) <= {max}]
    print(word, [(w, d, rank) for d, rank, w in sorted(t for t in near if t[0] <= {max})[:{limit}]])
"""
