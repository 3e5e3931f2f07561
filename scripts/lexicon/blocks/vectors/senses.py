from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.checks import LISTED_SCHEMA, parse_listed
from ...engine.pieces import Caption, Code, Raw, Table
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt

ALONE = "alone"
EXPECT_ITEM = {
    "type": "object", "additionalProperties": False, "required": ["word"],
    "properties": {"word": {"type": "string", "minLength": 1},
                   "context": {"type": "string", "minLength": 1},
                   **LISTED_SCHEMA},
}


def query_label(word: str, context: str | None) -> str:
    return f"{word} + {context}" if context else word


class Senses(Kind):
    """A word's nearest neighbours alone and with a context word added for each sense (most_similar(positive=[word, context])), side by side.

    A static embedding gives a word one vector for all its senses. Its nearest neighbours show
    the senses the training text used most; adding a context word ranks words by their
    similarity to the sum of both unit vectors, which brings out the neighbours of one sense.
    Each neighbour's cosine with the word itself is kept, so readers can see whether a
    neighbour is still close to the word or only to the context.
    """

    example = ("word: bank\ncontexts: [river, money]\ntopn: 8\n"
               "expect:\n  - {word: shore, context: river, within: 8}\n  - {word: river, absent: true}")
    options = opt.Options(
        Kind.options,
        word=opt.word("The word with several senses.", required=True),
        contexts=opt.words("One context word per sense; each gets a column.", min=1, max=4, unique=True,
                           required=True),
        topn=opt.integer("How many neighbours each column lists.", default=8, min=1, max=20),
        expect=opt.raw("Claims about the lists: `{word: shore, context: river, within: 8}` (*shore* is in the "
                       "top 8 with *river*), `rank: 2`, or `absent: true` (not listed); without `context`, "
                       "about the word alone.", {"type": "array", "minItems": 1, "items": EXPECT_ITEM},
                       "list of claims", default=[], display=True, convert=list),
        caption=opt.caption("“Nearest words to “…” alone, and to “…” plus each context word. …”",
                            doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if spec.word in spec.contexts:
            raise LexiconError(f"'{spec.word}' is both the word and one of its contexts",
                               fix="choose context words other than the word itself")
        spec.claims = [self._claim(item, spec) for item in spec.expect]

    @staticmethod
    def _claim(item: dict, spec) -> dict:
        ctx = item.get("context")
        if ctx is not None and ctx not in spec.contexts:
            raise LexiconError(f"the claim about '{item['word']}' names the context '{ctx}', which is not one of "
                               "the contexts", fix=f"use one of: {', '.join(spec.contexts)}, or leave 'context' out "
                                                   "for the word alone")
        return {**parse_listed(item, item["word"], spec.topn), "context": ctx}

    def anchor_hint(self, spec):
        return " ".join([spec.word] + spec.contexts)

    def queries(self, spec):
        return [([spec.word, c], []) for c in spec.contexts]

    def compute(self, kv, spec):
        word, topn = spec.word, spec.topn

        def listed(answers, context):
            return [[w, round(float(s), SCORE_DIGITS), round(float(kv.similarity(word, w)), SCORE_DIGITS)]
                    + ([round(float(kv.similarity(context, w)), SCORE_DIGITS)] if context else [])
                    for w, s in answers]

        out = {ALONE: listed(kv.most_similar(word, topn=topn), None)}
        for c in spec.contexts:
            out[c] = listed(kv.most_similar(positive=[word, c], topn=topn), c)
        return {"lists": out}

    def claims(self, spec, result, check):
        for item in spec.claims:
            ctx = item["context"]
            answers = [[row[0], row[1]] for row in result["lists"][ctx or ALONE]]
            check.listed(item, answers, f"'{query_label(spec.word, ctx)}'")

    @value("A listed neighbour's cosine with the block's word alone, as its context column shows it (the "
           "second number): `to_word(cocoa, coffee)`.")
    def to_word(self, spec, result, neighbour, context):
        if context not in spec.contexts:
            raise LexiconError(f"'{context}' is not one of the block's contexts",
                               fix="name one of: " + ", ".join(spec.contexts))
        for row in result["lists"][context]:
            if row[0] == neighbour:
                return Value(fmt(row[2], 2), row[2])
        raise LexiconError(f"'{neighbour}' is not listed with the context '{context}'",
                           fix="quote a word the column lists: " + ", ".join(r[0] for r in result["lists"][context]))

    def render(self, spec, result, ctx):
        word, topn = spec.word, spec.topn
        keys = [ALONE] + spec.contexts
        rows = []
        for i in range(topn):
            row = [i + 1]
            for k in keys:
                items = result["lists"][k]
                if i < len(items):
                    w, s, to_word = items[i][:3]
                    extra = (f'<small>{esc(fmt(s, 2))}</small>' if k == ALONE else
                             f'<small title="cosine with the sum {esc(fmt(s, 2))}; with “{esc(word)}” alone '
                             f'{esc(fmt(to_word, 2))}">{esc(fmt(s, 2))} · {esc(fmt(to_word, 2))}</small>')
                    row.append(Raw(f"{esc(w)}<br>{extra}"))
                else:
                    row.append("")
            rows.append(row)
        caption = spec.caption or (
            f"Nearest words to “{word}” alone, and to “{word}” plus each context word. Under each word: its "
            f"cosine with the query; in the context columns, then its cosine with “{word}” alone.")
        calls = [f"kv.most_similar({word!r}, topn={topn})"] + [
            f"kv.most_similar(positive=[{word!r}, {c!r}], topn={topn})" for c in spec.contexts]
        return [Caption(caption),
                Table(["Rank"] + [query_label(word, None if k == ALONE else k) for k in keys], rows, numeric=(0,),
                      cls="ll-table--senses"),
                Code("\n".join(calls), "The gensim calls behind these lists")]
