"""``vocabulary`` and ``vocabulary-exercise``: which words the model knows, and how frequent they are.

GloVe keeps the most frequent words of its training text and stores them from most to
least frequent, so a word's row index plus one is its frequency rank ("the" is rank 1).
Words outside the vocabulary are shown, not refused: that is what the block is for.
"""

from __future__ import annotations

import math
import re

import plotly.graph_objects as go

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import author_markdown, claims_html, code_details, esc, figure, model_note, table
from .base import CAPTION, Block, obj, register, str_list
from .exercise import choice_exercise

# Claims, one string each:  rank(the) = 1 | rank(aardvark) > 50000 | rank(dog) < rank(cat)
#                           colour in vocabulary | tokenisation not in vocabulary | size = 400000
RANK_CLAIM = re.compile(r"^\s*rank\((\S+?)\)\s*([<>=])\s*(?:rank\((\S+?)\)|([\d,_]+))\s*$")
IN_CLAIM = re.compile(r"^\s*(\S+)\s+(not\s+)?in\s+(?:the\s+)?vocabulary\s*$")
SIZE_CLAIM = re.compile(r"^\s*size\s*([<>=])\s*([\d,_]+)\s*$")
CLAIM_FIX = ("write a claim as 'rank(the) = 1', 'rank(aardvark) > 50000', 'rank(dog) < rank(cat)', "
             "'colour in vocabulary', 'tokenisation not in vocabulary' or 'size = 400000'")


def parse_claim(text: str) -> dict:
    m = RANK_CLAIM.match(text)
    if m:
        word, op, other, number = m.groups()
        return {"type": "rank", "word": word, "op": op, "other": other,
                "number": int(re.sub(r"[,_]", "", number)) if number else None}
    m = IN_CLAIM.match(text)
    if m:
        return {"type": "in", "word": m.group(1), "in": not m.group(2)}
    m = SIZE_CLAIM.match(text)
    if m:
        return {"type": "size", "op": m.group(1), "number": int(re.sub(r"[,_]", "", m.group(2)))}
    raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)


def claim_words(text: str) -> list[str]:
    c = parse_claim(text)
    return [w for w in (c.get("word"), c.get("other")) if w]


def _holds(left: int, op: str, right: int) -> bool:
    return {"<": left < right, ">": left > right, "=": left == right}[op]


def check_claim(text: str, ranks: dict, size: int) -> Claim:
    """``ranks`` maps every word the claim names to its rank, or None if the model lacks it."""
    c = parse_claim(text)
    if c["type"] == "size":
        return Claim(statement=f"the vocabulary has {'exactly ' if c['op'] == '=' else ''}"
                               f"{'more than ' if c['op'] == '>' else 'fewer than ' if c['op'] == '<' else ''}"
                               f"{c['number']:,} words",
                     ok=_holds(size, c["op"], c["number"]), actual=f"it has {size:,}")
    word = c["word"]
    shown = (lambda w: f"\u201c{w}\u201d is rank {ranks[w]:,}" if ranks.get(w)
             else f"\u201c{w}\u201d is not in the vocabulary")
    if c["type"] == "in":
        ok = (ranks.get(word) is not None) == c["in"]
        return Claim(statement=f"\u201c{word}\u201d is {'' if c['in'] else 'not '}in the model's vocabulary",
                     ok=ok, actual=shown(word))
    words_ = [word] + ([c["other"]] if c["other"] else [])
    right_text = f"the rank of \u201c{c['other']}\u201d" if c["other"] else f"{c['number']:,}"
    op_text = {"<": "lower than", ">": "higher than", "=": ""}[c["op"]]
    statement = f"the frequency rank of \u201c{word}\u201d is {op_text + ' ' if op_text else ''}{right_text}"
    if any(ranks.get(w) is None for w in words_):
        return Claim(statement=statement, ok=False, actual="; ".join(shown(w) for w in words_))
    right = ranks[c["other"]] if c["other"] else c["number"]
    return Claim(statement=statement, ok=_holds(ranks[word], c["op"], right),
                 actual="; ".join(shown(w) for w in words_))


def rank_of(kv, word: str):
    i = kv.key_to_index.get(word)
    return None if i is None else i + 1


def share(rank: int, size: int) -> str:
    """'top 1.4%' — where the rank falls in the vocabulary, as readers think of it."""
    pct = 100 * rank / size
    digits = 0 if pct >= 10 else 1 if pct >= 1 else 2 if pct >= 0.01 else 4
    return f"top {pct:.{digits}f}%"


def rank_figure(words: list[str], ranks: list[int], size: int) -> go.Figure:
    """Each known word as a dot on a log-scaled axis from rank 1 to the vocabulary size."""
    fig = go.Figure(go.Scatter(
        x=ranks, y=words, mode="markers+text", text=[f"{r:,}" for r in ranks],
        # A label near the right end goes to the left of its dot, so a phone does not cut it off.
        textposition=["top left" if math.log10(r) > math.log10(size) - 0.7 else "top center" for r in ranks],
        marker=dict(size=12, color=figures.PALETTE[0]), cliponaxis=False,
        hovertemplate="%{y}: rank %{x:,}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=False,
                      xaxis=dict(type="log", range=[-0.1, round(math.log10(size) + 0.1, 3)],
                                 title=dict(text="frequency rank (log scale)", standoff=6),
                                 automargin=True),
                      yaxis=dict(autorange="reversed", automargin=True))
    return fig


@register
class Vocabulary(Block):
    kind = "vocabulary"
    summary = ("Which words are in the model's vocabulary, with each word's frequency rank, "
               "and optionally the model's most frequent words.")
    schema = obj({
        "words": {**str_list(0, 20), "uniqueItems": True},
        "top": {"type": "integer", "minimum": 0, "maximum": 100},
        "size": {"type": "boolean"},
        "expect": str_list(),
        "caption": CAPTION,
        "figure": {"type": "boolean"},
        "code": {"type": "boolean"},
    })
    display_options = ("caption", "figure", "code", "expect", "size")
    example = "words: [the, cat, aardvark, tokenisation]\ntop: 10\nexpect:\n  - rank(the) = 1"

    def parse(self, data):
        if not data.get("words") and not data.get("top") and not data.get("size"):
            raise LexiconError("the block shows nothing: no words, no top words and no size",
                               fix="add 'words: [the, cat]', 'top: 10' or 'size: true'")
        spec = {"words": data.get("words", []), "top": data.get("top", 0),
                "expect": data.get("expect", []), "caption": data.get("caption"),
                "figure": data.get("figure", True), "code": data.get("code", True)}
        spec["size"] = data.get("size", spec["top"] > 0)
        for text in spec["expect"]:
            parse_claim(text)
        return spec

    def result_inputs(self, spec):
        # Words named only in claims are looked up too, so the claims can be checked.
        extra = [w for t in spec["expect"] for w in claim_words(t)]
        return {"words": spec["words"], "top": spec["top"], "claim_words": extra}

    def anchor_hint(self, spec):
        return " ".join(spec["words"][:4]) or f"top {spec['top']}"

    def compute(self, kv, spec):
        named = list(dict.fromkeys(spec["words"] + [w for t in spec["expect"] for w in claim_words(t)]))
        return {"ranks": {w: rank_of(kv, w) for w in named}, "size": len(kv),
                "top": kv.index_to_key[:spec["top"]]}

    def claims(self, spec, result):
        return [check_claim(t, result["ranks"], result["size"]) for t in spec["expect"]]

    def render(self, spec, result, ctx):
        size, ranks = result["size"], result["ranks"]
        parts = [f'<div class="ll-block ll-vocabulary" id="{esc(ctx.anchor)}">']
        if spec["size"]:
            parts.append(f'<p>The model\u2019s vocabulary has <strong>{size:,}</strong> words.</p>')
        if result["top"]:
            # A wrapping line of rank + token, not a tall two-column table.
            items = "\u2003".join(f'<span class="ll-top-word">{i + 1}.\u00a0<code>{esc(w)}</code></span>'
                                   for i, w in enumerate(result["top"]))
            parts.append(f'<p class="ll-subhead">Its {len(result["top"])} most frequent tokens</p>'
                         f'<p class="ll-tokens">{items}</p>')
        words = spec["words"]
        if words:
            rows = [[w, "yes" if ranks[w] else "no", f"{ranks[w]:,}" if ranks[w] else "—",
                     share(ranks[w], size) if ranks[w] else "—"] for w in words]
            tbl = table(["Word", "In the vocabulary?", "Frequency rank", "Where in the vocabulary"], rows,
                        numeric_cols=(2, 3))
            known = [w for w in words if ranks[w]]
            missing = [w for w in words if not ranks[w]]
            note = (f'<p class="ll-caption">Not in the vocabulary, so not on the chart: '
                    f'{", ".join(f"<code>{esc(w)}</code>" for w in missing)}.</p>' if missing and known
                    and spec["figure"] else "")
            caption = spec["caption"] or ("Where each word falls among the model\u2019s words, from the most "
                                          "frequent (rank 1) to the rarest.")
            if spec["figure"] and known:
                alt = ("Dot chart of frequency ranks on a log scale: " +
                       ", ".join(f"{w} {ranks[w]:,}" for w in known) + "." +
                       (f" Not in the vocabulary: {', '.join(missing)}." if missing else ""))
                parts.append(figure(rank_figure(known, [ranks[w] for w in known], size), alt=alt,
                                    caption=caption, data_table=tbl, height=110 + 44 * len(known),
                                    anchor=ctx.anchor + "-figure") + note)
            else:
                shown = author_markdown(spec["caption"], inline=True) if spec["caption"] else ""
                parts.append(tbl + (f'<p class="ll-caption">{shown}</p>' if shown else ""))
        parts.append(claims_html(ctx.claims))
        if spec["code"]:
            code = "len(kv)\n" if spec["size"] else ""
            if result["top"]:
                code += f"kv.index_to_key[:{spec['top']}]\n"
            if words:
                code += ("{w: kv.key_to_index[w] + 1 if w in kv.key_to_index else None\n"
                         f" for w in {words!r}}}\n")
            parts.append(code_details(code, "The gensim calls behind these numbers"))
        parts.append(model_note(ctx.model_id) + "</div>")
        return "".join(parts)


QUESTIONS = {
    "oov": "Which of these words is not in the model\u2019s vocabulary?",
    "most-frequent": "Which of these words is the most frequent in the model\u2019s training text?",
    "least-frequent": "Which of these words is the rarest in the model\u2019s training text?",
}


@register
class VocabularyExercise(Block):
    kind = "vocabulary-exercise"
    summary = ("An exercise: which word is not in the vocabulary, or which is the most (or least) "
               "frequent? The answer is computed from the model.")
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "words": {**str_list(3, 8), "uniqueItems": True},
        "question": {"enum": list(QUESTIONS)},
        "answer": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["words"])
    example = "words: [colour, selfie, aardvark]\nquestion: oov\nanswer: selfie"

    def parse(self, data):
        if "answer" in data and data["answer"] not in data["words"]:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the words",
                               fix="name one of the words listed under 'words'")
        question = data.get("question", "oov")
        return {"prompt": data.get("prompt", QUESTIONS[question]), "words": data["words"],
                "question": question, "answer": data.get("answer"), "explanation": data.get("explanation")}

    def words(self, spec):
        # Ranking by frequency needs every word; the 'not in the vocabulary' question needs none.
        return [] if spec["question"] == "oov" else spec["words"]

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec["words"][:3])

    def compute(self, kv, spec):
        return {"ranks": {w: rank_of(kv, w) for w in spec["words"]}, "size": len(kv)}

    def model_answer(self, spec, result) -> str:
        ranks, words = result["ranks"], spec["words"]
        if spec["question"] == "oov":
            missing = [w for w in words if ranks[w] is None]
            if len(missing) != 1:
                raise LexiconError(
                    f"{len(missing)} of the words are not in the vocabulary"
                    + (f" ({', '.join(missing)})" if missing else "")
                    + "; the question needs exactly one",
                    fix="change the words so that exactly one is missing from the model's vocabulary")
            return missing[0]
        pick = min if spec["question"] == "most-frequent" else max
        return pick(words, key=lambda w: ranks[w])

    def claims(self, spec, result):
        answer = self.model_answer(spec, result)  # raises when the question has no single answer
        if not spec["answer"]:
            return []
        what = {"oov": "the word not in the model's vocabulary",
                "most-frequent": "the most frequent word", "least-frequent": "the rarest word"}[spec["question"]]
        return [Claim(statement=f"{what} of {', '.join(spec['words'])} is '{spec['answer']}'",
                      ok=answer == spec["answer"],
                      actual=f"the model's answer is '{answer}'; " + _ranks_text(spec, result))]

    def render(self, spec, result, ctx):
        ranks, size, words = result["ranks"], result["size"], spec["words"]
        answer = self.model_answer(spec, result)
        why = {w: (f"{w}: frequency rank {ranks[w]:,} of {size:,}." if ranks[w]
                   else f"{w} is not in the model\u2019s vocabulary.") for w in words}
        order = sorted(words, key=lambda w: (ranks[w] is None, ranks[w] or 0, w))
        rows = [[w, "yes" if ranks[w] else "no", f"{ranks[w]:,}" if ranks[w] else "—"] for w in order]
        tbl = table(["Word", "In the vocabulary?", "Frequency rank"], rows, numeric_cols=(2,))
        reveal = (f'<p>The answer is <strong>{esc(answer)}</strong>. The words, from most to least frequent '
                  f'(the model has {size:,} words):</p>' + tbl + claims_html(ctx.claims))
        return choice_exercise("vocabulary", ctx.anchor, spec["prompt"], words, answer, why, reveal,
                               spec["explanation"], ctx.model_id)


def _ranks_text(spec, result) -> str:
    r = result["ranks"]
    return ", ".join(f"{w} ({'rank ' + format(r[w], ',') if r[w] else 'not in the vocabulary'})"
                     for w in spec["words"])
