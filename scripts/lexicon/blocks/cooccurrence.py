"""``cooccurrence`` and ``cooccurrence-exercise``: the distributional hypothesis, counted.

Both kinds count which words occur near a target word in a real corpus that gensim
ships: the Lee background corpus (``lee_background.cor``), 300 short news stories
from the Australian Broadcasting Corporation collected by Lee, Pincombe and Welsh
(2005). Each story is one line, tokenised with gensim's ``simple_preprocess``; a
context is every word within ``window`` positions on either side, inside the same
story. Two words' *context overlap* is the cosine similarity of their context-count
vectors, which the blocks set beside the model's cosine for the same words.

The two kinds live in one module because the cache key hashes the kind's module:
the exercise's results must be recomputed whenever the counting code changes.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import re
from collections import Counter

import numpy as np

from .. import figures
from ..claims import Claim, check_comparison, parse_comparison
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure, fmt, model_note, table
from .base import CAPTION, Block, obj, register, str_list
from .exercise import choice_exercise

CORPUS = "lee_background.cor"
MIN_OCCURRENCES = 5  # below this a word's contexts are too few to say anything
SCORE_DIGITS = 4
WINDOW = {"type": "integer", "minimum": 1, "maximum": 10}
COUNT_CODE = """\
from collections import Counter
from gensim.parsing.preprocessing import STOPWORDS
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding="utf-8")]

def contexts(target, window={window}, drop_stopwords={stopwords}):
    counts = Counter()
    for words in stories:
        for i, w in enumerate(words):
            if w == target:
                for c in words[max(0, i - window):i] + words[i + 1:i + 1 + window]:
                    if not (drop_stopwords and c in STOPWORDS):
                        counts[c] += 1
    return counts
"""


@functools.lru_cache(maxsize=1)
def corpus_stories() -> tuple[tuple[str, ...], ...]:
    """The corpus as token lists, one per story (line), exactly as ``simple_preprocess`` gives them."""
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath(CORPUS), encoding="utf-8") as f:
        return tuple(tuple(simple_preprocess(line)) for line in f)


@functools.lru_cache(maxsize=1)
def corpus_sha256() -> str:
    from gensim.test.utils import datapath

    with open(datapath(CORPUS), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@functools.lru_cache(maxsize=1)
def corpus_frequencies() -> Counter:
    return Counter(w for story in corpus_stories() for w in story)


def context_counts(target: str, window: int, drop_stopwords: bool) -> Counter:
    """How often each word occurs within ``window`` words of ``target`` (both sides, same story)."""
    from gensim.parsing.preprocessing import STOPWORDS

    counts: Counter = Counter()
    for words in corpus_stories():
        for i, w in enumerate(words):
            if w == target:
                for c in words[max(0, i - window):i] + words[i + 1:i + 1 + window]:
                    if not (drop_stopwords and c in STOPWORDS):
                        counts[c] += 1
    return counts


def context_overlap(a: Counter, b: Counter) -> float:
    """Cosine similarity of two context-count vectors (0 when they share no context)."""
    keys = sorted(set(a) | set(b))
    va = np.array([a.get(k, 0) for k in keys], dtype=float)
    vb = np.array([b.get(k, 0) for k in keys], dtype=float)
    denom = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return round(float(va @ vb) / denom, SCORE_DIGITS) if denom else 0.0


def most_shared(a: Counter, b: Counter, k: int = 5) -> list[str]:
    """The contexts both words have most often (highest smaller count; ties by word)."""
    both = [(min(a[c], b[c]), c) for c in set(a) & set(b)]
    return [c for _, c in sorted(both, key=lambda t: (-t[0], t[1]))[:k]]


def require_in_corpus(words) -> None:
    freq = corpus_frequencies()
    for w in words:
        if freq.get(w, 0) < MIN_OCCURRENCES:
            common = [c for c, n in freq.items() if n >= MIN_OCCURRENCES]
            close = difflib.get_close_matches(w, common, n=3, cutoff=0.75)
            hint = f"; close words that it has: {', '.join(close)}" if close else ""
            err = LexiconError(
                f"'{w}' occurs {freq.get(w, 0)} times in the corpus ({CORPUS}); a target needs at "
                f"least {MIN_OCCURRENCES}{hint}",
                fix="choose a word this news corpus uses often, e.g. police, troops, government, "
                    "cricket, israeli, qantas")
            err.word = w
            raise err


def overlap_result(kv, words: list[str], window: int, drop_stopwords: bool, topn: int) -> dict:
    """Counts, top contexts, the context-count heatmap rows and every pair's two scores."""
    counts = {w: context_counts(w, window, drop_stopwords) for w in words}
    top = {w: sorted(counts[w].items(), key=lambda t: (-t[1], t[0]))[:topn] for w in words}
    rows = sorted({c for w in words for c, _ in top[w]},
                  key=lambda c: (-sum(1 for w in words if counts[w].get(c)),
                                 -sum(counts[w].get(c, 0) for w in words), c))
    pairs = []
    for a, b in itertools.combinations(words, 2):
        pairs.append({"pair": [a, b], "overlap": context_overlap(counts[a], counts[b]),
                      "model": round(float(kv.similarity(a, b)), SCORE_DIGITS),
                      "shared": most_shared(counts[a], counts[b])})
    freq = corpus_frequencies()
    return {
        "occurrences": {w: freq[w] for w in words},
        "top": {w: [[c, n] for c, n in top[w]] for w in words},
        # every context count, so that claims about any context word need no recount
        "all_counts": {w: dict(sorted(counts[w].items())) for w in words},
        "rows": rows,
        "matrix": [[counts[w].get(c, 0) for w in words] for c in rows],
        "pairs": pairs,
        "stories": len(corpus_stories()),
        "tokens": sum(freq.values()),
    }


def _pair_key(a: str, b: str) -> tuple[str, str]:
    return tuple(sorted((a, b)))


SHARE = re.compile(r"^\s*(\S+)\s*~\s*(\S+)\s+share\s+(\S+)\s*$")
NEAR = re.compile(r"^\s*(\S+)\s+near\s+(\S+)\s*$")


def parse_statement(text: str, words: list[str]):
    """``troops~soldiers > troops~airline`` (overlaps), ``troops~soldiers share israeli`` (a context
    word of both) or ``airline near workers`` (a context word of one)."""
    m, near = SHARE.match(str(text)), NEAR.match(str(text))
    if m:
        a, b, c = m.groups()
        used, parsed = [a, b], ("share", a, b, c)
    elif near:
        a, c = near.groups()
        used, parsed = [a], ("near", a, c)
    else:
        try:
            left, op, right = parse_comparison(text)
        except LexiconError as err:
            err.fix = ("write 'troops~soldiers > troops~airline' (context overlap of the first pair is "
                       "larger), 'troops~soldiers share israeli' (a context word of both) or "
                       "'airline near workers' (a context word of one)")
            raise
        used, parsed = left + right, ("compare", left, op, right)
    for w in used:
        if w not in words:
            raise LexiconError(f"the statement '{text}' uses '{w}', which is not one of the words",
                               fix=f"use the block's words: {', '.join(words)}")
    return parsed


@register
class Cooccurrence(Block):
    kind = "cooccurrence"
    summary = ("Which words occur near each target word in a real news corpus (gensim's Lee corpus), "
               "how much two words' contexts overlap, and the model's cosine for the same words.")
    schema = obj({
        "words": {**str_list(2, 4), "uniqueItems": True},
        "window": WINDOW,
        "stopwords": {"type": "boolean"},
        "topn": {"type": "integer", "minimum": 3, "maximum": 15},
        "expect": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "agree": {"type": "boolean"},
        "caption": CAPTION,
        "code": {"type": "boolean"},
    }, required=["words"])
    display_options = ("caption", "code", "expect", "agree")
    example = "words: [troops, soldiers, airline]\nwindow: 5\nexpect:\n  - troops~soldiers > troops~airline"

    def parse(self, data):
        words = data["words"]
        spec = {"words": words, "window": data.get("window", 5), "stopwords": data.get("stopwords", True),
                "topn": data.get("topn", 8), "caption": data.get("caption"), "code": data.get("code", True)}
        if "expect" in data:
            for text in data["expect"]:
                parse_statement(text, words)
            spec["expect"] = data["expect"]
        if "agree" in data:
            if len(words) < 3:
                raise LexiconError("'agree' needs at least 3 words (two words make only one pair)",
                                   fix="add a third word, or remove 'agree'")
            spec["agree"] = data["agree"]
        require_in_corpus(words)
        return spec

    def result_inputs(self, spec):
        # The counts depend on the corpus file too: a new gensim release may ship another one.
        return {**super().result_inputs(spec), "corpus": corpus_sha256()}

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return " ".join(spec["words"][:3])

    def compute(self, kv, spec):
        return overlap_result(kv, spec["words"], spec["window"], spec["stopwords"], spec["topn"])

    def claims(self, spec, result):
        by_pair = {_pair_key(*p["pair"]): p for p in result["pairs"]}
        out = []
        for text in spec.get("expect", []):
            parsed = parse_statement(text, spec["words"])
            if parsed[0] == "near":
                _, a, c = parsed
                n = result["all_counts"][a].get(c, 0)
                out.append(Claim(statement=f"'{c}' occurs near '{a}' in the corpus", ok=n > 0,
                                 actual=f"'{c}' occurs {n} times within the window of '{a}'"))
                continue
            if parsed[0] == "share":
                _, a, b, c = parsed
                n_a, n_b = result["all_counts"][a].get(c, 0), result["all_counts"][b].get(c, 0)
                out.append(Claim(statement=f"'{c}' occurs near both '{a}' and '{b}' in the corpus",
                                 ok=n_a > 0 and n_b > 0,
                                 actual=f"'{c}' occurs {n_a} times near '{a}' and {n_b} times near '{b}'"))
                continue
            _, (a, b), op, (c, d) = parsed
            left, right = by_pair[_pair_key(a, b)]["overlap"], by_pair[_pair_key(c, d)]["overlap"]
            claim = check_comparison(text, left, right)
            claim.statement = f"in the corpus, context overlap({a}, {b}) {op} context overlap({c}, {d})"
            claim.actual = f"context overlap({a}, {b}) = {left:.4f}, context overlap({c}, {d}) = {right:.4f}"
            out.append(claim)
        if "agree" in spec:
            out.append(agreement_claim(result["pairs"], spec["agree"]))
        return out

    def render(self, spec, result, ctx):
        words, rows, matrix = spec["words"], result["rows"], result["matrix"]
        fig = cooccurrence_heatmap(words, rows, matrix)
        counts_tbl = table(["Context word"] + words, [[c] + row for c, row in zip(rows, matrix)],
                           numeric_cols=tuple(range(1, len(words) + 1)))
        alt = ("Heatmap of how often each context word occurs near " + ", ".join(words) + ": " +
               "; ".join(f"{w}: " + ", ".join(f"{c} {n}" for c, n in result["top"][w][:4]) for w in words) + ".")
        window = spec["window"]
        caption = spec["caption"] or (
            f"How often each word occurs within {window} words of the targets in {result['stories']} news "
            f"stories{' (common function words left out)' if spec['stopwords'] else ''}. "
            "A row lit up in several columns is a context the words share.")
        pair_rows = [[f"{p['pair'][0]} – {p['pair'][1]}", ", ".join(p["shared"]) or "none",
                      fmt(p["overlap"]), fmt(p["model"])] for p in result["pairs"]]
        pairs_tbl = table(["Pair", "Most shared contexts", "Context overlap", "Model cosine"], pair_rows,
                          numeric_cols=(2, 3), cls="ll-table--pairs")
        occ = ", ".join(f"{esc(w)} {result['occurrences'][w]}" for w in words)
        parts = [
            f'<div class="ll-block ll-cooccurrence" id="{esc(ctx.anchor)}">',
            f'<p class="ll-caption">Times each word occurs in the corpus ({result["tokens"]:,} words in '
            f'{result["stories"]} stories): {occ}.</p>',
            figure(fig, alt=alt, caption=caption, data_table=counts_tbl, height=110 + 24 * len(rows),
                   anchor=ctx.anchor + "-figure"),
            '<p class="ll-caption"><em>Context overlap</em>: the cosine similarity of two words\u2019 '
            'context counts, over every context word, in the corpus above. <em>Model cosine</em>: the '
            'cosine similarity of the same two words in the embedding model.</p>',
            pairs_tbl,
            claims_html(ctx.claims),
        ]
        if spec["code"]:
            parts.append(code_details(
                COUNT_CODE.format(corpus=CORPUS, window=window, stopwords=spec["stopwords"]) +
                "\n" + "\n".join(f"kv.similarity({a!r}, {b!r})" for a, b in
                                 (p["pair"] for p in result["pairs"])),
                "The Python behind these numbers"))
        parts += [model_note(ctx.model_id), "</div>"]
        return "".join(parts)


def agreement_claim(pairs: list[dict], expected: bool) -> Claim:
    by_overlap = [p["pair"] for p in sorted(pairs, key=lambda p: (-p["overlap"], p["pair"]))]
    by_model = [p["pair"] for p in sorted(pairs, key=lambda p: (-p["model"], p["pair"]))]
    same = by_overlap == by_model

    def show(order, key):
        return " > ".join(f"{a}–{b} ({next(p[key] for p in pairs if p['pair'] == [a, b]):.4f})"
                          for a, b in order)

    statement = ("the model's cosine ranks the pairs in the same order as their context overlap" if expected
                 else "the model's cosine ranks the pairs in a different order from their context overlap")
    return Claim(statement=statement, ok=same == expected,
                 actual=f"by context overlap: {show(by_overlap, 'overlap')}; by model cosine: "
                        f"{show(by_model, 'model')}")


def cooccurrence_heatmap(words: list[str], rows: list[str], matrix: list[list[int]]):
    """Context words (rows) × target words (columns); a blank cell is a count of 0."""
    import plotly.graph_objects as go

    z = [[n if n else None for n in row] for row in matrix]
    fig = go.Figure(go.Heatmap(
        z=z, x=words, y=rows, colorscale="Blues", zmin=0, texttemplate="%{z}", showscale=False,
        xgap=2, ygap=2, hoverongaps=False,
        hovertemplate="“%{y}” within the window of “%{x}”: %{z} times<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, xaxis=dict(side="top", automargin=True, fixedrange=True),
                      yaxis=dict(autorange="reversed", automargin=True, fixedrange=True))
    fig.update_layout(margin=dict(t=40, l=8, r=8, b=8))
    return fig


@register
class CooccurrenceExercise(Block):
    kind = "cooccurrence-exercise"
    summary = ("An exercise: which word shares the most contexts with a target word in the news corpus? "
               "The answer is the highest context overlap, shown beside the model's cosine.")
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "word": {"type": "string", "minLength": 1},
        "choices": {**str_list(2, 6), "uniqueItems": True},
        "window": WINDOW,
        "stopwords": {"type": "boolean"},
        "answer": {"type": "string", "minLength": 1},
        "model_answer": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["word", "choices"])
    display_options = Block.display_options + ("model_answer",)
    example = "word: troops\nchoices: [soldiers, airline, cricket]\nanswer: soldiers"

    def parse(self, data):
        word, choices = data["word"], data["choices"]
        if word in choices:
            raise LexiconError(f"'{word}' is both the word and one of the choices",
                               fix="list other words under 'choices'")
        for key in ("answer", "model_answer"):
            if key in data and data[key] not in choices:
                raise LexiconError(f"'{key}' ({data[key]}) is not one of the choices",
                                   fix="name one of the words listed under 'choices'")
        require_in_corpus([word] + choices)
        return {"word": word, "choices": choices, "window": data.get("window", 5),
                "stopwords": data.get("stopwords", True), "answer": data.get("answer"),
                "model_answer": data.get("model_answer"),
                "explanation": data.get("explanation"),
                "prompt": data.get("prompt", f"In the news corpus, which word shares the most contexts "
                                             f"with \u201c{word}\u201d?")}

    def result_inputs(self, spec):
        return {**super().result_inputs(spec), "corpus": corpus_sha256()}

    def words(self, spec):
        return [spec["word"]] + spec["choices"]

    def anchor_hint(self, spec):
        return "exercise " + spec["word"]

    def compute(self, kv, spec):
        word = spec["word"]
        target = context_counts(word, spec["window"], spec["stopwords"])
        out = []
        for c in spec["choices"]:
            counts = context_counts(c, spec["window"], spec["stopwords"])
            out.append({"word": c, "overlap": context_overlap(target, counts),
                        "model": round(float(kv.similarity(word, c)), SCORE_DIGITS),
                        "shared": most_shared(target, counts, 3)})
        best = sorted(out, key=lambda r: (-r["overlap"], r["word"]))[0]["word"]
        return {"choices": out, "answer": best}

    def claims(self, spec, result):
        out = []
        if spec["answer"]:
            shown = ", ".join(f"{r['word']} ({r['overlap']:.4f})"
                              for r in sorted(result["choices"], key=lambda r: -r["overlap"]))
            out.append(Claim(statement=f"of {', '.join(spec['choices'])}, '{spec['answer']}' shares the most "
                                       f"contexts with '{spec['word']}' in the corpus",
                             ok=result["answer"] == spec["answer"],
                             actual=f"the highest context overlap is '{result['answer']}'; overlaps: {shown}"))
        if spec.get("model_answer"):
            ranked = sorted(result["choices"], key=lambda r: (-r["model"], r["word"]))
            shown = ", ".join(f"{r['word']} ({r['model']:.4f})" for r in ranked)
            out.append(Claim(statement=f"of {', '.join(spec['choices'])}, the model's cosine is highest for "
                                       f"'{spec['model_answer']}'",
                             ok=ranked[0]["word"] == spec["model_answer"],
                             actual=f"it is highest for '{ranked[0]['word']}'; cosines: {shown}"))
        return out

    def render(self, spec, result, ctx):
        word = spec["word"]
        rows = sorted(result["choices"], key=lambda r: (-r["overlap"], r["word"]))
        why = {r["word"]: (f"{r['word']}: context overlap with {word} {r['overlap']:.2f}"
                           + (f" (shared contexts: {', '.join(r['shared'])})" if r["shared"] else
                              " (no shared contexts)")
                           + f"; model cosine {r['model']:.2f}.") for r in result["choices"]}
        tbl = table(["Word", "Context overlap", "Model cosine", "Shared contexts"],
                    [[r["word"], fmt(r["overlap"]), fmt(r["model"]), ", ".join(r["shared"]) or "none"]
                     for r in rows], numeric_cols=(1, 2))
        fig = figures.bar_scores([r["word"] for r in rows], [r["overlap"] for r in rows],
                                 title=f"Context overlap with “{word}”", highlight=result["answer"])
        fig.update_xaxes(title_text="context overlap (cosine of context counts)")
        alt = (f"Bar chart of each choice's context overlap with {word}: " +
               ", ".join(f"{r['word']} {r['overlap']:.2f}" for r in rows) + ".")
        reveal = (f'<p>In the corpus, <strong>{esc(result["answer"])}</strong> shares the most contexts with '
                  f'<em>{esc(word)}</em> (window of {spec["window"]} words on each side).</p>'
                  + figure(fig, alt=alt, caption="Context overlap of each choice with the word; the table adds "
                                                 "the model's cosine for the same pairs.",
                           height=90 + 34 * len(rows), anchor=ctx.anchor + "-answer", data_table=None)
                  + tbl + claims_html(ctx.claims))
        return choice_exercise("cooccurrence", ctx.anchor, spec["prompt"], spec["choices"], result["answer"],
                               why, reveal, spec["explanation"], ctx.model_id)
