"""The ``weat`` kind: the Word Embedding Association Test (Caliskan, Bryson & Narayanan 2017)."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import plotly.graph_objects as go
from sklearn.metrics.pairwise import cosine_similarity

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table, Text
from ...errors import LexiconError
from ...render import esc, fmt
from ._projection import signed

MAX_WORDS = 50
CHUNK = 10_000                  # sampled re-partitions drawn per batch (bounded memory)
TIE = 1e-12                     # a re-partition whose statistic equals the observed one counts as "at least"
KEYWORDS = ("effect", "p", "statistic")
STATEMENT = re.compile(r"^\s*(\S+)\s*([<>])\s*(\S+)\s*$")
NUMBER = re.compile(r"^[-−]?(\d+(\.\d*)?|\.\d+)$")
CLAIM_FIX = ("write 'effect > 1', 'p < 0.05', 'statistic > 0', 'rose > 0' (the word leans towards the first "
             "attribute set) or 'rose > spider' (it leans further than spider), naming target words")
SETS_SCHEMA = {"type": "object", "minProperties": 2, "maxProperties": 2,
               "additionalProperties": {**opt.word_list(2, MAX_WORDS), "uniqueItems": True}}


def _named(value) -> dict:
    return {str(k): list(ws) for k, ws in value.items()}


def _number(text: str) -> float | None:
    return float(text.replace("−", "-")) if NUMBER.match(text) else None


def parse_claim(text: str, targets: list[str]) -> tuple[str, str, object]:
    """``effect > 1``, ``p < 0.05``, ``statistic > 0``, ``rose > 0``, ``rose > spider``."""
    m = STATEMENT.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    left, op, right = m.groups()
    number = _number(right)
    if left in KEYWORDS:
        if number is None:
            raise LexiconError(f"the claim '{text}' compares {left} with '{right}', which is not a number",
                               fix=f"compare {left} with a number, e.g. '{left} {op} {1 if left == 'effect' else 0.05}'")
        return left, op, number
    if left not in targets:
        raise LexiconError(f"the claim '{text}' names '{left}', which is neither a target word nor effect, p "
                           "or statistic", fix="name a word of the two target sets; " + CLAIM_FIX)
    if number is None and right not in targets:
        raise LexiconError(f"the claim '{text}' compares with '{right}', which is not a target word",
                           fix="compare with a number (0) or another word of the target sets")
    return left, op, (number if number is not None else right)


def associations(kv, targets: list[str], a: list[str], b: list[str]):
    """Each target word's mean cosine with A, with B, and s(w, A, B), their difference."""
    with_a = cosine_similarity(kv[targets], kv[a]).mean(axis=1)
    with_b = cosine_similarity(kv[targets], kv[b]).mean(axis=1)
    return with_a, with_b, with_a - with_b


def repartitions(n: int, nx: int, limit: int, seed: int):
    """The first sets X_i of the re-partitions of n target words into nx and n − nx: every one
    (in batches) when there are at most ``limit``, else ``limit`` sampled with ``default_rng(seed)``."""
    if math.comb(n, nx) <= limit:
        yield np.array(list(itertools.combinations(range(n), nx)), dtype=np.intp).reshape(-1, nx)
        return
    rng, left = np.random.default_rng(seed), limit
    while left:
        rows = min(CHUNK, left)
        yield rng.permuted(np.tile(np.arange(n), (rows, 1)), axis=1)[:, :nx]
        left -= rows


def weat(s: np.ndarray, nx: int, limit: int, seed: int) -> dict:
    """Test statistic, effect size d and one-sided permutation p from the targets' s (X first)."""
    n = len(s)
    stat = float(s[:nx].sum() - s[nx:].sum())
    effect = float((s[:nx].mean() - s[nx:].mean()) / s.std(ddof=1))
    total, seen, at_least = math.comb(n, nx), 0, 0
    for firsts in repartitions(n, nx, limit, seed):
        stats = 2 * s[firsts].sum(axis=1) - s.sum()        # sum over X_i minus sum over the rest
        at_least += int(np.count_nonzero(stats >= stat - TIE))
        seen += len(firsts)
    exhaustive = total <= limit
    p = at_least / total if exhaustive else (at_least + 1) / (seen + 1)
    return {"statistic": round(stat, 6), "effect": round(effect, 6), "p": p, "at_least": at_least,
            "used": seen, "partitions": str(total), "exhaustive": exhaustive}


def p_text(p: float) -> str:
    return fmt(p, 4) if p >= 0.0001 else f"{p:.1e}".replace("-", "−")


class Weat(Kind):
    """The Word Embedding Association Test (WEAT) of Caliskan, Bryson & Narayanan (2017): two named target sets against two named attribute sets, each target word's association as a sorted bar chart, with the effect size and a one-sided permutation p-value.

    Each target word *w* gets **s(w, A, B)**: its mean cosine similarity with the words of the
    first attribute set A minus its mean cosine similarity with those of the second, B. The
    test statistic is the sum of s over the first target set X minus the sum over the second,
    Y; the **effect size d** is the mean s of X minus the mean s of Y, over the standard
    deviation of s across all the target words (the sample standard deviation, `ddof=1`).

    The **p-value** is one-sided: the share of re-partitions of X ∪ Y into two sets of the
    sizes of X and Y whose statistic is at least the observed one. When there are no more
    re-partitions than `permutations`, every one is used (an exact test); otherwise
    `permutations` are sampled with numpy's `default_rng(seed)` and p is (b + 1)/(m + 1), b of
    m sampled ones being at least as large, so it is never 0. (The paper counts only strictly
    larger ones, leaving out the observed partition itself: in an exact test, 1 in all of them.)

    Words the model does not know are left out and listed under the chart; a set left with
    fewer than 2 words is an error. When X and Y end up with different sizes, the
    re-partitions keep those sizes (the p-value is then the same as for the difference of
    means). WEAT measures association in the vectors, not anyone's behaviour, and its result
    depends on the word lists chosen.
    """

    example = ("targets:\n  flowers: [rose, tulip, daisy, lily, orchid, violet]\n"
               "  insects: [ant, flea, spider, mosquito, cockroach, maggot]\n"
               "attributes:\n  pleasant: [love, peace, health, happy, gift, freedom]\n"
               "  unpleasant: [abuse, murder, sickness, death, poison, disaster]\n"
               "expect:\n  - effect > 1\n  - p < 0.05\n  - rose > spider")
    options = opt.Options(
        Kind.options,
        targets=opt.raw("The target sets X and Y, each named, X first: `{flowers: [rose, …], insects: "
                        "[ant, …]}`.", SETS_SCHEMA, f"two named lists of 2–{MAX_WORDS} different words",
                        required=True, convert=_named),
        attributes=opt.raw("The attribute sets A and B, each named, A first: `{pleasant: [love, …], "
                           "unpleasant: [abuse, …]}`.", SETS_SCHEMA,
                           f"two named lists of 2–{MAX_WORDS} different words", required=True, convert=_named),
        permutations=opt.integer("How many re-partitions of the target words the p-value uses: all of them "
                                 "when there are no more than this, else this many sampled.",
                                 default=10_000, min=100, max=100_000),
        seed=opt.integer("Seed of the sampled re-partitions (numpy's `default_rng`).", default=0, min=0,
                         max=2**32 - 1),
        expect=opt.claims("Claims: `effect > 1`, `p < 0.05`, `statistic > 0`, `rose > 0` (the word leans "
                          "towards the first attribute set), `rose > spider` (further than spider)."),
        caption=opt.caption("“Each target word's association s(w, A, B): its mean cosine similarity with …”"),
        figure=opt.show_figure("Show the bar chart. With `false`, only the table is shown."),
        code=opt.show_code("Show the collapsible Python."),
    )

    def prepare(self, spec):
        (x, xs), (y, ys) = spec.targets.items()
        (a, as_), (b, bs) = spec.attributes.items()
        spec.names = [x, y, a, b]
        spec.lists = [xs, ys, as_, bs]
        if len(set(spec.names)) < 4:
            raise LexiconError(f"the sets are named {', '.join(spec.names)}: two share a name",
                               fix="give the four sets four different names")
        for i, j in itertools.combinations(range(4), 2):
            both = [w for w in spec.lists[i] if w in spec.lists[j]]
            if both:
                raise LexiconError(f"'{both[0]}' is in both '{spec.names[i]}' and '{spec.names[j]}'",
                                   fix="put each word in one set only")
        spec.parsed = [parse_claim(text, xs + ys) for text in spec.expect]

    def words(self, spec):
        return []       # words the model lacks are left out (and listed), not an error

    def anchor_hint(self, spec):
        return " ".join(spec.names)

    def compute(self, kv, spec):
        kept = [[w for w in ws if w in kv.key_to_index] for ws in spec.lists]
        for name, ws, given in zip(spec.names, kept, spec.lists):
            if len(ws) < 2:
                lower = any(w.lower() != w and w.lower() in kv.key_to_index for w in given)
                raise LexiconError(
                    f"the set '{name}' keeps {len(ws)} word{'' if len(ws) == 1 else 's'} the model knows "
                    f"({len(given) - len(ws)} of {len(given)} are not in its vocabulary)",
                    fix="use words the model knows, at least 2 in each set"
                        + (" (this model's vocabulary is lower-case)" if lower else ""))
        x, y, a, b = kept
        with_a, with_b, s = associations(kv, x + y, a, b)
        out = weat(s, len(x), spec.permutations, spec.seed)
        out.update(kept=kept, missing=[[w for w in ws if w not in k] for ws, k in zip(spec.lists, kept)],
                   s=[round(float(v), 6) for v in s], with_a=[round(float(v), 6) for v in with_a],
                   with_b=[round(float(v), 6) for v in with_b])
        return out

    def claims(self, spec, result, check):
        score = dict(zip(result["kept"][0] + result["kept"][1], result["s"]))
        x, y, a, b = spec.names
        for text, (left, op, right) in zip(spec.expect, spec.parsed):
            more = op == ">"
            if left in KEYWORDS:
                actual = {"effect": result["effect"], "p": result["p"], "statistic": result["statistic"]}[left]
                what = {"effect": "the effect size d", "p": "the one-sided permutation p-value",
                        "statistic": "the test statistic"}[left]
                shown = p_text(actual) if left == "p" else fmt(actual)
                check(f"{what} is {'above' if more else 'below'} {right:g}",
                      actual > right if more else actual < right, f"{left} = {shown}" + _how(result))
                continue
            gone = [w for w in (left, right) if isinstance(w, str) and w not in score]
            if gone:
                check(f"'{text}'", False, f"'{gone[0]}' was left out: the model does not know it")
                continue
            lv, rv = score[left], (right if not isinstance(right, str) else score[right])
            towards = a if more else b
            statement = (f"'{left}' leans towards '{towards}' (s {op} {right:g})" if not isinstance(right, str)
                         else f"'{left}' leans further towards '{towards}' than '{right}'")
            actual = f"s({left}) = {fmt(lv)}" + (f", s({right}) = {fmt(rv)}" if isinstance(right, str) else "")
            check(statement, lv > rv if more else lv < rv, actual)

    # --- values for prose ---------------------------------------------------------------------
    @value("The effect size d, as the block writes it (2 decimals).")
    def effect(self, spec, result):
        return Value(fmt(result["effect"], 2), result["effect"])

    @value("The one-sided permutation p-value, as the block writes it.")
    def p(self, spec, result):
        return Value(p_text(result["p"]), result["p"])

    @value("The test statistic: the sum of s over X minus the sum over Y.")
    def statistic(self, spec, result):
        return Value(fmt(result["statistic"]), result["statistic"])

    @value("A target word's association s(w, A, B), as the table shows it: `association(rose)`.")
    def association(self, spec, result, word):
        words = result["kept"][0] + result["kept"][1]
        if word not in words:
            raise LexiconError(f"'{word}' is not a target word the model knows",
                               fix="name a word of the target sets that was not left out")
        s = result["s"][words.index(word)]
        return Value(fmt(s), s)

    @value("How many words of a named set the model knows (the words the test used): `size(flowers)`.")
    def size(self, spec, result, name):
        if name not in spec.names:
            raise LexiconError(f"the block has no set named '{name}'", fix="name one of " + ", ".join(spec.names))
        n = len(result["kept"][spec.names.index(name)])
        return Value(str(n), n)

    @value("The words left out because the model does not know them (“none” if none).")
    def left_out(self, spec, result):
        gone = [w for ws in result["missing"] for w in ws]
        return Value(", ".join(gone) or "none", len(gone))

    @value("How many re-partitions the p-value used.")
    def permutations(self, spec, result):
        return Value(f"{result['used']:,}", result["used"])

    def render(self, spec, result, ctx):
        x, y, a, b = spec.names
        words = result["kept"][0] + result["kept"][1]
        sets = [x] * len(result["kept"][0]) + [y] * len(result["kept"][1])
        order = sorted(range(len(words)), key=lambda i: (-result["s"][i], words[i]))
        rows = [[r + 1, words[i], sets[i], fmt(result["with_a"][i]), fmt(result["with_b"][i]), fmt(result["s"][i])]
                for r, i in enumerate(order)]
        table = Table(["Rank", "Word", "Set", f"Mean cosine with {a}", f"Mean cosine with {b}", "s(w, A, B)"],
                      rows, numeric=(0, 3, 4, 5))
        caption = (f"Each target word\u2019s association s(w, A, B): its mean cosine similarity with the {a} "
                   f"words minus its mean cosine similarity with the {b} words. Bars to the right lean "
                   f"towards \u201c{a}\u201d, to the left towards \u201c{b}\u201d. The dashed lines are each set\u2019s "
                   "mean s: the effect size d is the gap between them over the standard deviation of all the bars.")
        alt = (f"Bar chart of s(w, {a}, {b}) for the {x} and {y} words, highest first: "
               + ", ".join(f"{words[i]} ({sets[i]}) {signed(result['s'][i])}" for i in order) + ".")
        parts = [Figure(lambda: bars(words, sets, result["s"], order, (x, y), (a, b)), alt=alt,
                        caption=spec.caption, default_caption=caption, height=110 + 16 * len(words), table=table),
                 Html(summary(spec.names, result, spec.seed))]
        gone = [f"{w} ({name})" for name, ws in zip(spec.names, result["missing"]) for w in ws]
        if gone:
            parts.append(Text("Not in the model\u2019s vocabulary, so left out: " + ", ".join(gone) + "."))
        parts.append(Code(weat_code(result["kept"], spec.permutations, spec.seed), "The Python behind these numbers"))
        return parts


def _how(result) -> str:
    if result["exhaustive"]:
        return f" (every one of the {result['used']:,} re-partitions)"
    return f" ({result['used']:,} sampled re-partitions; {result['at_least']:,} at least as large)"


def summary(names, result, seed: int) -> str:
    x, y, a, b = (f"\u201c{esc(n)}\u201d" for n in names)
    nx, ny = len(result["kept"][0]), len(result["kept"][1])
    m, k = result["used"], result["at_least"]
    gives = f"{k:,} give{'s' if k == 1 else ''} a statistic at least as large"
    if result["exhaustive"]:
        how = (f"of all {m:,} re-partitions of the {nx + ny} target words into sets of {nx} and {ny}, {gives} "
               "(the observed one included)")
    else:
        how = (f"of {m:,} random re-partitions of the {nx + ny} target words into sets of {nx} and {ny} (seed "
               f"{seed}; {int(result['partitions']):,} are possible), {gives}; p = ({k:,} + 1)/({m:,} + 1)")
    return (f"<p>Effect size <strong>d = {fmt(result['effect'], 2)}</strong>: the mean s of the {nx} {x} words "
            f"minus that of the {ny} {y} words, in standard deviations of s over all {nx + ny}. A positive d: "
            f"the {x} words lean further towards {a} than the {y} words do. Test statistic (the sum of s over {x} "
            f"minus the sum over {y}): {fmt(result['statistic'])}. One-sided <strong>p = "
            f"{esc(p_text(result['p']))}</strong>: {how}.</p>")


def bars(words, sets, s, order, targets, attributes) -> go.Figure:
    fig = go.Figure()
    for k, name in enumerate(targets):
        idx = [i for i in order if sets[i] == name]
        fig.add_trace(go.Bar(x=[s[i] for i in idx], y=[words[i] for i in idx], orientation="h", name=name,
                             marker_color=figures.PALETTE[0 if k == 0 else 5],
                             hovertemplate="%{y} (" + name + "): %{x:.4f}<extra></extra>"))
    for k, name in enumerate(targets):       # each set's mean s: the effect size's numerator is their gap
        mean = float(np.mean([s[i] for i in order if sets[i] == name]))
        fig.add_trace(go.Scatter(x=[mean, mean], y=[words[order[0]], words[order[-1]]], mode="lines",
                                 name=f"mean of {name}", hovertemplate=f"mean s of {name}: {mean:.4f}<extra></extra>",
                                 line=dict(color=figures.PALETTE[0 if k == 0 else 5], dash="dash", width=2)))
    lim = max(0.05, max(abs(v) for v in s)) * 1.15
    a, b = attributes
    fig.update_layout(**figures.BASE_LAYOUT, barmode="overlay", legend=dict(orientation="h", y=1, yanchor="bottom", x=0),
                      yaxis=dict(categoryorder="array", categoryarray=[words[i] for i in order],
                                 range=[len(words) - 0.5, -0.5], automargin=True, fixedrange=True, tickfont=dict(size=11)),
                      xaxis=dict(title=dict(text=f"← towards “{b}”     s(w, A, B)     towards “{a}” →", standoff=6),
                                 range=[-lim, lim], zeroline=True, zerolinewidth=2, automargin=True,
                                 fixedrange=True))
    return fig


def weat_code(kept, permutations: int, seed: int) -> str:
    x, y, a, b = kept
    return ("import math, itertools\nimport numpy as np\nfrom sklearn.metrics.pairwise import cosine_similarity\n\n"
            f"X = {x!r}\nY = {y!r}\nA = {a!r}\nB = {b!r}\n"
            "T = X + Y\n"
            "s = cosine_similarity(kv[T], kv[A]).mean(1) - cosine_similarity(kv[T], kv[B]).mean(1)\n"
            "nx = len(X)\n"
            "statistic = s[:nx].sum() - s[nx:].sum()\n"
            "d = (s[:nx].mean() - s[nx:].mean()) / s.std(ddof=1)\n\n"
            "# one-sided p: re-partitions of T into nx and the rest whose statistic is at least as large\n"
            f"if math.comb(len(T), nx) <= {permutations}:   # every one\n"
            "    firsts = np.array(list(itertools.combinations(range(len(T)), nx)))\n"
            "    stats = 2 * s[firsts].sum(1) - s.sum()\n"
            "    p = np.mean(stats >= statistic - 1e-12)\n"
            "else:                                          # sampled, in batches of 10,000\n"
            f"    rng, count = np.random.default_rng({seed}), 0\n"
            f"    for rows in [10_000] * ({permutations} // 10_000) + [{permutations} % 10_000]:\n"
            "        firsts = rng.permuted(np.tile(np.arange(len(T)), (rows, 1)), axis=1)[:, :nx]\n"
            "        count += np.sum(2 * s[firsts].sum(1) - s.sum() >= statistic - 1e-12)\n"
            f"    p = (count + 1) / ({permutations} + 1)\n"
            "print(statistic, d, p)\n")
