"""``direction`` and ``direction-exercise``: project words onto a direction defined by word pairs.

The direction is the average of the pairs' differences of unit vectors, e.g.
(he − she + man − woman + …) / n, scaled to length 1. A word's *projection* is the
cosine similarity of its vector with that direction: positive leans towards the
first word of each pair, negative towards the second. This is the measurement
behind studies of bias in word embeddings (Bolukbasi et al. 2016 used a
direction found by PCA of such pair differences; the average is the simpler
version used here) and behind "semantic directions" such as good − bad.

The two kinds share this module because the cache key hashes the kind's module.
"""

from __future__ import annotations

import re

import numpy as np

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure, figure_or_table, fmt, model_note, table
from .base import CAPTION, Block, obj, register, str_list
from .exercise import choice_exercise

SCORE_DIGITS = 4
PAIRS_SCHEMA = {"type": "array", "minItems": 1, "maxItems": 12, "items": str_list(2, 2)}
STATEMENT = re.compile(r"^\s*(\S+)\s*([<>])\s*(\S+)\s*$")


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    n = np.linalg.norm(v)
    return v / n if n else v


def direction_vector(kv, pairs: list[list[str]]) -> np.ndarray:
    """Unit vector of the mean of unit(a) − unit(b) over the pairs."""
    return _unit(np.mean([_unit(kv[a]) - _unit(kv[b]) for a, b in pairs], axis=0))


def projections(kv, pairs: list[list[str]], words: list[str]) -> dict:
    """Each word's cosine with the direction, and how well each pair agrees with the average."""
    d = direction_vector(kv, pairs)
    scores = [round(float(_unit(kv[w]) @ d), SCORE_DIGITS) for w in words]
    agreement = [round(float(_unit(_unit(kv[a]) - _unit(kv[b])) @ d), SCORE_DIGITS) for a, b in pairs]
    return {"scores": scores, "pair_agreement": agreement}


def parse_statement(text: str, words: list[str]) -> tuple[str, str, str]:
    """``nurse < 0``, ``captain > 0`` or ``captain > nurse`` (words of the block only)."""
    m = STATEMENT.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the statement '{text}'",
                           fix="write 'nurse < 0' (leans to the second word of the pairs), "
                               "'captain > 0', or 'captain > nurse'")
    left, op, right = m.groups()
    for w in (left, right):
        if w != "0" and w not in words:
            raise LexiconError(f"the statement '{text}' uses '{w}', which is not one of the words",
                               fix=f"compare words listed under 'words' (or 0): {', '.join(words)}")
    if left == "0":
        raise LexiconError(f"the statement '{text}' starts with 0",
                           fix="put the word first: 'nurse < 0'")
    return left, op, right


def ends_of(spec) -> tuple[str, str]:
    return tuple(spec["ends"]) if spec.get("ends") else (spec["pairs"][0][0], spec["pairs"][0][1])


def signed(score: float) -> str:
    """``+0.25``, ``−0.07``, or ``0.00`` when the score rounds to zero (never ``-0.00``)."""
    text = f"{score:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text.replace("-", "−")


def describe(score: float, ends) -> str:
    if signed(score) == "0.00":
        return f"{score:.4f} (almost exactly in the middle)".replace("-", "−")
    side = ends[0] if score > 0 else ends[1]
    return f"{signed(score)} (towards {side})"


def sorted_words(words, scores):
    """Highest projection first; ties broken by word so the order is stable."""
    return sorted(zip(words, scores), key=lambda t: (-t[1], t[0]))


def projection_figure(words, scores, ends, title, highlight=None):
    import plotly.graph_objects as go

    order = sorted_words(words, scores)
    colours = [figures.PALETTE[1] if w == highlight else
               (figures.PALETTE[0] if s > 0 else figures.PALETTE[5]) for w, s in order]
    lim = max(0.05, max(abs(s) for _, s in order)) * 1.15
    fig = go.Figure(go.Bar(
        x=[s for _, s in order], y=[w for w, _ in order], orientation="h", marker_color=colours,
        text=[signed(s) for _, s in order], textposition="auto",
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=title, font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True, fixedrange=True),
                      xaxis=dict(title=dict(text=f"← towards “{ends[1]}”     towards “{ends[0]}” →", standoff=6),
                                 automargin=True, range=[-lim, lim], zeroline=True, zerolinewidth=2,
                                 fixedrange=True))
    return fig


class _DirectionBase(Block):
    def words(self, spec):
        return [w for p in spec["pairs"] for w in p] + spec["words"]


@register
class Direction(_DirectionBase):
    kind = "direction"
    summary = ("Words projected onto a direction defined by word pairs (e.g. he − she, man − woman), "
               "as a sorted bar chart, with claims about signs and order.")
    schema = obj({
        "pairs": PAIRS_SCHEMA,
        "words": {**str_list(2, 40), "uniqueItems": True},
        "ends": str_list(2, 2),
        "expect": {"oneOf": [{"const": "ordered"},
                             {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}]},
        "caption": CAPTION,
        "figure": {"type": "boolean"},
        "code": {"type": "boolean"},
    }, required=["pairs", "words"])
    example = ("pairs:\n  - [he, she]\n  - [man, woman]\nwords: [nurse, engineer, captain]\n"
               "expect:\n  - nurse < 0\n  - captain > nurse")

    def parse(self, data):
        spec = {"pairs": data["pairs"], "words": data["words"], "ends": data.get("ends"),
                "caption": data.get("caption"), "figure": data.get("figure", True),
                "code": data.get("code", True)}
        if "expect" in data:
            if data["expect"] != "ordered":
                for text in data["expect"]:
                    parse_statement(text, data["words"])
            spec["expect"] = data["expect"]
        return spec

    def anchor_hint(self, spec):
        return " ".join(spec["pairs"][0])

    def compute(self, kv, spec):
        return projections(kv, spec["pairs"], spec["words"])

    def claims(self, spec, result):
        expect = spec.get("expect")
        if not expect:
            return []
        words, scores = spec["words"], result["scores"]
        score = dict(zip(words, scores))
        ends = ends_of(spec)
        shown = ", ".join(f"{w} ({s:.4f})" for w, s in sorted_words(words, scores))
        if expect == "ordered":
            order = [w for w, _ in sorted_words(words, scores)]
            return [Claim(statement=f"the words, as listed, go from most towards '{ends[0]}' to most towards "
                                    f"'{ends[1]}'", ok=order == words,
                          actual=f"the model's order: {shown}")]
        out = []
        for text in expect:
            left, op, right = parse_statement(text, words)
            lv = score[left]
            rv = 0.0 if right == "0" else score[right]
            ok = lv > rv if op == ">" else lv < rv
            if right == "0":
                statement = f"'{left}' leans towards '{ends[0] if op == '>' else ends[1]}' (projection {op} 0)"
                actual = f"projection of '{left}' = {lv:.4f}"
            else:
                statement = f"'{left}' lies further towards '{ends[0] if op == '>' else ends[1]}' than '{right}'"
                actual = f"projection of '{left}' = {lv:.4f}, of '{right}' = {rv:.4f}"
            out.append(Claim(statement=statement, ok=ok, actual=actual + f"; all: {shown}"))
        return out

    def render(self, spec, result, ctx):
        words, scores = spec["words"], result["scores"]
        ends = ends_of(spec)
        order = sorted_words(words, scores)
        rows = [[i + 1, w, fmt(s)] for i, (w, s) in enumerate(order)]
        tbl = table(["Rank", "Word", "Projection"], rows, numeric_cols=(0, 2))
        pair_names = ", ".join(f"{a} − {b}" for a, b in spec["pairs"])
        caption_default = (f"Each word's projection on the direction {pair_names}"
                           f"{' (averaged)' if len(spec['pairs']) > 1 else ''}: its cosine similarity with that "
                           f"direction. Bars to the right lean towards “{ends[0]}”, to the left towards “{ends[1]}”.")
        alt = (f"Bar chart of projections on the {ends[0]}–{ends[1]} direction, highest first: " +
               ", ".join(f"{w} {signed(s)}" for w, s in order) + ".")
        agree_rows = [[f"{a} − {b}", fmt(g)] for (a, b), g in zip(spec["pairs"], result["pair_agreement"])]
        agree_tbl = table(["Pair", "Cosine with the direction"], agree_rows, numeric_cols=(1,))
        parts = [
            f'<div class="ll-block ll-direction" id="{esc(ctx.anchor)}">',
            figure_or_table(spec["figure"],
                            lambda: projection_figure(words, scores, ends, f"{ends[0]} ↔ {ends[1]}"),
                            alt=alt, caption=spec["caption"], default_caption=caption_default, data_table=tbl,
                            height=90 + 26 * len(words), anchor=ctx.anchor + "-figure"),
            claims_html(ctx.claims),
            '<details class="ll-data"><summary>How well the pairs agree on one direction</summary>'
            '<p>The cosine of each pair\u2019s own difference with the averaged direction: near 1, the pair '
            'points the same way as the others; low, it adds mostly something else.</p>'
            f"{agree_tbl}</details>",
        ]
        if spec["code"]:
            parts.append(code_details(direction_code(spec["pairs"], words), "The Python behind these numbers"))
        parts += [model_note(ctx.model_id), "</div>"]
        return "".join(parts)


def direction_code(pairs, words) -> str:
    return ("import numpy as np\n\n"
            "def unit(v):\n    return v / np.linalg.norm(v)\n\n"
            f"pairs = {[tuple(p) for p in pairs]!r}\n"
            "direction = unit(np.mean([unit(kv[a]) - unit(kv[b]) for a, b in pairs], axis=0))\n"
            f"for w in {list(words)!r}:\n"
            "    print(w, unit(kv[w]) @ direction)  # the cosine with the direction\n")


@register
class DirectionExercise(_DirectionBase):
    kind = "direction-exercise"
    summary = ("An exercise: which word does the model place furthest towards one end of a direction "
               "defined by word pairs? The answer and every choice's projection are computed.")
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "pairs": PAIRS_SCHEMA,
        "words": {**str_list(2, 6), "uniqueItems": True},
        "towards": {"type": "string", "minLength": 1},
        "answer": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["pairs", "words", "towards"])
    example = "pairs:\n  - [good, bad]\nwords: [holiday, funeral, birthday]\ntowards: good\nanswer: birthday"

    def parse(self, data):
        first = data["pairs"][0]
        if data["towards"] not in first:
            raise LexiconError(f"'towards' ({data['towards']}) is neither end of the first pair {first}",
                               fix=f"write towards: {first[0]} or towards: {first[1]}")
        if "answer" in data and data["answer"] not in data["words"]:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the words",
                               fix="name one of the words listed under 'words'")
        return {"pairs": data["pairs"], "words": data["words"], "towards": data["towards"],
                "answer": data.get("answer"), "explanation": data.get("explanation"),
                "prompt": data.get("prompt", f"Which word does the model place furthest towards "
                                             f"\u201c{data['towards']}\u201d?")}

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec["pairs"][0])

    def compute(self, kv, spec):
        return projections(kv, spec["pairs"], spec["words"])

    def answer_of(self, spec, result):
        sign = 1 if spec["towards"] == spec["pairs"][0][0] else -1
        return sorted(zip(spec["words"], result["scores"]), key=lambda t: (-sign * t[1], t[0]))[0][0]

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        got = self.answer_of(spec, result)
        shown = ", ".join(f"{w} ({s:.4f})" for w, s in sorted_words(spec["words"], result["scores"]))
        return [Claim(statement=f"of {', '.join(spec['words'])}, '{spec['answer']}' lies furthest towards "
                                f"'{spec['towards']}'", ok=got == spec["answer"],
                      actual=f"the furthest is '{got}'; projections: {shown}")]

    def render(self, spec, result, ctx):
        words, scores = spec["words"], result["scores"]
        ends = (spec["pairs"][0][0], spec["pairs"][0][1])
        answer = self.answer_of(spec, result)
        why = {w: f"{w}: {describe(s, ends)}." for w, s in zip(words, scores)}
        order = sorted_words(words, scores)
        tbl = table(["Word", "Projection"], [[w, fmt(s)] for w, s in order], numeric_cols=(1,))
        alt = (f"Bar chart of projections on the {ends[0]}–{ends[1]} direction: " +
               ", ".join(f"{w} {signed(s)}" for w, s in order) + ".")
        pair_names = ", ".join(f"{a} − {b}" for a, b in spec["pairs"])
        reveal = (f'<p>The model places <strong>{esc(answer)}</strong> furthest towards '
                  f'\u201c{esc(spec["towards"])}\u201d on the direction {esc(pair_names)}.</p>'
                  + figure(projection_figure(words, scores, ends, f"{ends[0]} ↔ {ends[1]}", highlight=answer),
                           alt=alt, caption="Each choice's projection: its cosine similarity with the direction.",
                           height=90 + 30 * len(words), anchor=ctx.anchor + "-answer", data_table=tbl)
                  + claims_html(ctx.claims))
        return choice_exercise("direction", ctx.anchor, spec["prompt"], words, answer, why, reveal,
                               spec["explanation"], ctx.model_id)
