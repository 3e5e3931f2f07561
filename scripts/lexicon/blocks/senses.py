"""``senses``: one word's neighbours alone, and pulled towards each of its senses by a context word.

A static embedding gives a word one vector for all its senses. Its nearest
neighbours show the senses the training text used most; adding a context word
(gensim's ``most_similar(positive=[word, context])``) ranks words by their
similarity to the sum of both unit vectors, which brings out the neighbours of
one sense. Each neighbour's cosine with the word itself is kept, so readers can
see whether a neighbour is still close to the word or only to the context.
"""

from __future__ import annotations

from ..claims import Claim, check_rank
from ..errors import LexiconError
from ..render import Raw, claims_html, code_details, esc, fmt, model_note, table, author_markdown
from .base import CAPTION, Block, obj, register, str_list

SCORE_DIGITS = 4
ALONE = "alone"

EXPECT_ITEM = {
    "type": "object", "additionalProperties": False, "required": ["word"],
    "properties": {"word": {"type": "string", "minLength": 1},
                   "context": {"type": "string", "minLength": 1},
                   "rank": {"type": "integer", "minimum": 1},
                   "within": {"type": "integer", "minimum": 1},
                   "absent": {"const": True}},
}


def query_label(word: str, context: str | None) -> str:
    return f"{word} + {context}" if context else word


@register
class Senses(Block):
    kind = "senses"
    summary = ("A word's nearest neighbours alone and with a context word added for each sense "
               "(most_similar(positive=[word, context])), side by side.")
    schema = obj({
        "word": {"type": "string", "minLength": 1},
        "contexts": {**str_list(1, 4), "uniqueItems": True},
        "topn": {"type": "integer", "minimum": 1, "maximum": 20},
        "expect": {"type": "array", "minItems": 1, "items": EXPECT_ITEM},
        "caption": CAPTION,
        "code": {"type": "boolean"},
    }, required=["word", "contexts"])
    example = ("word: bank\ncontexts: [river, money]\ntopn: 8\n"
               "expect:\n  - {word: shore, context: river, within: 8}\n  - {word: river, absent: true}")

    def parse(self, data):
        word, contexts, topn = data["word"], data["contexts"], data.get("topn", 8)
        if word in contexts:
            raise LexiconError(f"'{word}' is both the word and one of its contexts",
                               fix="choose context words other than the word itself")
        expect = []
        for item in data.get("expect", []):
            ctx = item.get("context")
            if ctx is not None and ctx not in contexts:
                raise LexiconError(f"the claim about '{item['word']}' names the context '{ctx}', "
                                   "which is not one of the contexts",
                                   fix=f"use one of: {', '.join(contexts)}, or leave 'context' out for "
                                       f"the word alone")
            kinds = [k for k in ("rank", "within", "absent") if k in item]
            if len(kinds) > 1:
                raise LexiconError(f"the claim about '{item['word']}' has {' and '.join(kinds)}; use one",
                                   fix="rank: 2 (exactly second), within: 5 (in the top 5) or absent: true "
                                       "(not in the list)")
            limit = item.get("rank", item.get("within", 1))
            if limit > topn:
                raise LexiconError(f"the claim about '{item['word']}' looks further down the list than "
                                   f"'topn' ({topn}) computes", fix="raise 'topn' or lower 'rank'/'within'")
            claim = {"word": item["word"], "context": ctx}
            if "absent" in item:
                claim["absent"] = True
            elif "within" in item:
                claim["within"] = item["within"]
            else:
                claim["rank"] = item.get("rank", 1)
            expect.append(claim)
        return {"word": word, "contexts": contexts, "topn": topn, "expect": expect,
                "caption": data.get("caption"), "code": data.get("code", True)}

    def words(self, spec):
        return [spec["word"]] + spec["contexts"] + [c["word"] for c in spec["expect"]]

    def anchor_hint(self, spec):
        return " ".join([spec["word"]] + spec["contexts"])

    def compute(self, kv, spec):
        word, topn = spec["word"], spec["topn"]

        def listed(answers, context):
            return [[w, round(float(s), SCORE_DIGITS), round(float(kv.similarity(word, w)), SCORE_DIGITS)]
                    + ([round(float(kv.similarity(context, w)), SCORE_DIGITS)] if context else [])
                    for w, s in answers]

        out = {ALONE: listed(kv.most_similar(word, topn=topn), None)}
        for c in spec["contexts"]:
            out[c] = listed(kv.most_similar(positive=[word, c], topn=topn), c)
        return {"lists": out}

    def claims(self, spec, result):
        out = []
        for item in spec["expect"]:
            ctx = item["context"]
            answers = [[row[0], row[1]] for row in result["lists"][ctx or ALONE]]
            subject = f"'{query_label(spec['word'], ctx)}'"
            if item.get("absent"):
                words = [w for w, _ in answers]
                shown = ", ".join(f"{w} ({s:.4f})" for w, s in answers)
                out.append(Claim(
                    statement=f"'{item['word']}' is not among the {len(words)} nearest words to {subject}",
                    ok=item["word"] not in words,
                    actual=(f"'{item['word']}' is #{words.index(item['word']) + 1}" if item["word"] in words
                            else f"'{item['word']}' is not in the list") + f"; the list: {shown}"))
            else:
                phrases = ("the nearest word to {s} is '{w}'", "'{w}' is the #{r} nearest word to {s}",
                           "'{w}' is within the {k} nearest words to {s}")
                out.append(check_rank(item, answers, subject, phrases))
        return out

    def render(self, spec, result, ctx):
        word, contexts, topn = spec["word"], spec["contexts"], spec["topn"]
        keys = [ALONE] + contexts
        headers = ["Rank"] + [query_label(word, None if k == ALONE else k) for k in keys]
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
        caption = spec["caption"] or (
            f"Nearest words to “{word}” alone, and to “{word}” plus each context word. Under each word: its "
            f"cosine with the query; in the context columns, then its cosine with “{word}” alone.")
        calls = [f"kv.most_similar({word!r}, topn={topn})"] + [
            f"kv.most_similar(positive=[{word!r}, {c!r}], topn={topn})" for c in contexts]
        return "".join([
            f'<div class="ll-block ll-senses" id="{esc(ctx.anchor)}">',
            f'<p class="ll-caption">{author_markdown(caption, inline=True)}</p>',
            table(headers, rows, numeric_cols=(0,), cls="ll-table--senses"),
            claims_html(ctx.claims),
            code_details("\n".join(calls), "The gensim calls behind these lists") if spec["code"] else "",
            model_note(ctx.model_id), "</div>",
        ])
