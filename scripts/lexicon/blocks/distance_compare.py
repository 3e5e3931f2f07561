"""``distance-compare`` and ``distance-exercise``: cosine, dot product and Euclidean distance side by side.

The three measures agree on direction but not on length: a dot product grows with the
lengths (norms) of both vectors, and a Euclidean distance grows with any difference in
length. Raw GloVe vectors differ in length, so the three can rank the same pairs
differently; the block shows the norms next to the scores so readers can see why.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from .. import figures
from ..claims import Claim, parse_comparison
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure, figure_or_table, fmt, model_note, table
from .base import CAPTION, Block, obj, register, str_list
from .exercise import choice_exercise

METRICS = {
    # key: (name, higher score means closer?, the gensim/numpy expression)
    "cosine": ("cosine similarity", True, "kv.similarity({a!r}, {b!r})"),
    "dot": ("dot product", True, "float(np.dot(kv[{a!r}], kv[{b!r}]))"),
    "euclidean": ("Euclidean distance", False, "float(np.linalg.norm(kv[{a!r}] - kv[{b!r}]))"),
}
TITLES = {"cosine": "Cosine similarity", "dot": "Dot product", "euclidean": "Euclidean distance"}
DIGITS = 4
CLAIM = re.compile(r"^\s*(cosine|dot|euclidean|norm)\s*:\s*(.+?)\s*$")
NORM_CLAIM = re.compile(r"^\s*(\S+)\s*([<>])\s*(\S+)\s*$")
CLAIM_FIX = ("write a claim as 'cosine: ordered', 'dot: cat~dog < king~queen', "
             "'euclidean: cat~dog < king~queen' or 'norm: king > cat'")


def pair_label(pair) -> str:
    return f"{pair[0]} – {pair[1]}"


def measure(kv, a: str, b: str, unit: bool = False) -> dict:
    """Cosine, dot product and Euclidean distance of two words, and the length of each vector.

    With ``unit``, both vectors are first scaled to length 1 (as ``kv.get_vector(w, norm=True)``).
    """
    va, vb = kv[a].astype(np.float64), kv[b].astype(np.float64)
    if unit:
        va, vb = va / np.linalg.norm(va), vb / np.linalg.norm(vb)
    na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
    return {"cosine": round(float(kv.similarity(a, b)), DIGITS), "dot": round(float(va @ vb), DIGITS),
            "euclidean": round(float(np.linalg.norm(va - vb)), DIGITS),
            "norms": [round(na, DIGITS), round(nb, DIGITS)]}


def norm(kv, w: str, unit: bool = False) -> float:
    return 1.0 if unit else round(float(np.linalg.norm(kv[w].astype(np.float64))), DIGITS)


def closeness_order(labels: list[str], values: list[float], metric: str) -> list[int]:
    """Indices from closest to farthest under ``metric``; ties keep the listed order."""
    higher = METRICS[metric][1]
    return sorted(range(len(labels)), key=lambda i: (-values[i] if higher else values[i], i))


def parse_claim(text: str) -> dict:
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    metric, rest = m.groups()
    if metric == "norm":
        n = NORM_CLAIM.match(rest)
        if not n or "~" in rest:
            raise LexiconError(f"cannot read the claim '{text}'", fix="write a norm claim as 'norm: king > cat'")
        return {"metric": "norm", "left": n.group(1), "op": n.group(2), "right": n.group(3)}
    if rest == "ordered":
        return {"metric": metric, "ordered": True}
    try:
        left, op, right = parse_comparison(rest)
    except LexiconError:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX) from None
    return {"metric": metric, "left": left, "op": op, "right": right}


def claim_words(text: str) -> list[str]:
    c = parse_claim(text)
    if c.get("ordered"):
        return []
    if c["metric"] == "norm":
        return [c["left"], c["right"]]
    return c["left"] + c["right"]


def claim_values(kv, text: str, unit: bool = False):
    """What a comparison claim needs from the model (computed with the block's result)."""
    c = parse_claim(text)
    if c.get("ordered"):
        return None
    if c["metric"] == "norm":
        return [norm(kv, c["left"], unit), norm(kv, c["right"], unit)]
    return [measure(kv, *c["left"], unit)[c["metric"]], measure(kv, *c["right"], unit)[c["metric"]]]


def check_claim(text: str, spec: dict, result: dict, values) -> Claim:
    c = parse_claim(text)
    metric = c["metric"]
    if c.get("ordered"):
        labels = [pair_label(p) for p in spec["pairs"]]
        vals = [m[metric] for m in result["measures"]]
        order = closeness_order(labels, vals, metric)
        shown = ", ".join(f"{labels[i]} ({fmt(vals[i])})" for i in order)
        return Claim(statement=f"by {METRICS[metric][0]}, the pairs as listed go from closest to farthest",
                     ok=order == list(range(len(labels))), actual=f"from closest to farthest: {shown}")
    left, right = values
    ok = left > right if c["op"] == ">" else left < right
    if metric == "norm":
        return Claim(statement=f"the vector of '{c['left']}' is {'longer' if c['op'] == '>' else 'shorter'} "
                               f"than the vector of '{c['right']}'", ok=ok,
                     actual=f"length of '{c['left']}' = {left:.4f}, length of '{c['right']}' = {right:.4f}")
    name = METRICS[metric][0]
    (a, b), (x, y) = c["left"], c["right"]
    return Claim(statement=f"{name}({a}, {b}) {c['op']} {name}({x}, {y})", ok=ok,
                 actual=f"{name}({a}, {b}) = {left:.4f}, {name}({x}, {y}) = {right:.4f}")


def measures_table(pairs, measures, metrics, lengths: bool = True) -> str:
    headers = (["Pair"] + [TITLES[m] for m in metrics]
               + (["Length of 1st word", "Length of 2nd word"] if lengths else []))
    rows = [[pair_label(p)] + [fmt(ms[m]) for m in metrics]
            + ([fmt(ms["norms"][0]), fmt(ms["norms"][1])] if lengths else [])
            for p, ms in zip(pairs, measures)]
    return table(headers, rows, numeric_cols=tuple(range(1, len(headers))))


def rank_figure(labels: list[str], measures: list[dict], metrics: list[str]) -> go.Figure:
    """Each pair's rank under each measure (1 = closest): crossing lines are disagreements."""
    n = len(labels)
    ranks = {m: [0] * n for m in metrics}
    for m in metrics:
        for r, i in enumerate(closeness_order(labels, [ms[m] for ms in measures], m)):
            ranks[m][i] = r + 1
    x = [TITLES[m] for m in metrics]
    fig = go.Figure()
    for i, lab in enumerate(labels):
        fig.add_trace(go.Scatter(
            x=x, y=[ranks[m][i] for m in metrics], mode="lines+markers+text", name=lab,
            # Each point is labelled with its score; the legend names the pairs.
            text=[f"{measures[i][m]:.3g}" for m in metrics], textposition="top center",
            customdata=[fmt(measures[i][m]) for m in metrics], cliponaxis=False,
            line=dict(width=3, color=figures.PALETTE[i % len(figures.PALETTE)]),
            marker=dict(size=11, symbol=figures.SYMBOLS[i % len(figures.SYMBOLS)],
                        color=figures.PALETTE[i % len(figures.PALETTE)]),
            hovertemplate=lab + "<br>%{x}: %{customdata} (rank %{y})<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.12),
                      yaxis=dict(autorange="reversed", tickvals=list(range(1, n + 1)), zeroline=False,
                                 title=dict(text="rank (1 = closest)", standoff=6), automargin=True,
                                 range=[n + 0.5, 0.5]),
                      xaxis=dict(automargin=True, range=[-0.35, len(metrics) - 0.65]))
    return fig


def norms_figure(words: list[str], lengths: list[float]) -> go.Figure:
    fig = go.Figure(go.Bar(
        x=lengths, y=words, orientation="h", marker_color=figures.PALETTE[2],
        text=[f"{v:.2f}" for v in lengths], textposition="auto",
        hovertemplate="%{y}: length %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text="Length (norm) of each vector", font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text="length", standoff=6), automargin=True, rangemode="tozero"))
    return fig


def code_for(pairs, metrics, unit: bool = False) -> str:
    lines = ["import numpy as np", ""]
    for a, b in pairs:
        lines += [METRICS[m][2].format(a=a, b=b) for m in metrics]
    words = list(dict.fromkeys(w for p in pairs for w in p))
    lines.append("{w: float(np.linalg.norm(kv[w])) for w in " + repr(words) + "}")
    code = "\n".join(lines)
    if unit:
        # Unit vectors: gensim's get_vector(w, norm=True) instead of kv[w].
        code = re.sub(r"kv\[([^\]]+)\]", r"kv.get_vector(\1, norm=True)", code)
    return code


METRICS_SCHEMA = {"type": "array", "items": {"enum": list(METRICS)}, "minItems": 1, "uniqueItems": True}


@register
class DistanceCompare(Block):
    kind = "distance-compare"
    summary = ("Cosine similarity, dot product and Euclidean distance of word pairs side by side, "
               "with each vector's length, and each pair's rank under each measure.")
    schema = obj({
        "pairs": {"type": "array", "minItems": 1, "maxItems": 8, "items": str_list(2, 2)},
        "metrics": METRICS_SCHEMA,
        "expect": str_list(),
        "caption": CAPTION,
        "figure": {"type": "boolean"},
        "norms": {"type": "boolean"},
        "unit": {"type": "boolean"},
        "code": {"type": "boolean"},
    }, required=["pairs"])
    display_options = ("caption", "figure", "norms", "code")  # 'expect' comparisons are computed
    example = "pairs:\n  - [cat, dog]\n  - [minister, ministry]\nexpect:\n  - 'dot: cat~dog < minister~ministry'"

    def parse(self, data):
        spec = {"pairs": data["pairs"], "metrics": data.get("metrics", list(METRICS)),
                "expect": data.get("expect", []), "caption": data.get("caption"),
                "figure": data.get("figure", True), "norms": data.get("norms", False),
                "unit": data.get("unit", False), "code": data.get("code", True)}
        for text in spec["expect"]:
            c = parse_claim(text)
            if c.get("ordered") and c["metric"] not in spec["metrics"]:
                raise LexiconError(f"the claim '{text}' is about {c['metric']}, which the block does not show",
                                   fix=f"add {c['metric']} to 'metrics', or drop the claim")
        return spec

    def words(self, spec):
        return [w for p in spec["pairs"] for w in p] + [w for t in spec["expect"] for w in claim_words(t)]

    def anchor_hint(self, spec):
        return " ".join(w for p in spec["pairs"][:2] for w in p)

    def compute(self, kv, spec):
        unit = spec["unit"]
        return {"measures": [measure(kv, a, b, unit) for a, b in spec["pairs"]],
                "compared": [claim_values(kv, t, unit) for t in spec["expect"]]}

    def claims(self, spec, result):
        return [check_claim(t, spec, result, v) for t, v in zip(spec["expect"], result["compared"])]

    def render(self, spec, result, ctx):
        pairs, measures, metrics = spec["pairs"], result["measures"], spec["metrics"]
        labels = [pair_label(p) for p in pairs]
        tbl = measures_table(pairs, measures, metrics, lengths=not spec["unit"])  # unit vectors: all 1
        alt_parts = []
        for m in metrics:
            order = closeness_order(labels, [ms[m] for ms in measures], m)
            alt_parts.append(f"by {METRICS[m][0]}: " + ", ".join(
                f"{labels[i]} ({measures[i][m]:.2f})" for i in order))
        alt = "Rank of each pair under each measure, closest first, " + "; ".join(alt_parts) + "."
        parts = [f'<div class="ll-block ll-distance-compare" id="{esc(ctx.anchor)}">']
        if spec["unit"]:
            parts.append('<p class="ll-caption">Every vector was first scaled to length 1 (normalised).</p>')
        if spec["figure"] and len(pairs) > 1 and len(metrics) > 1:
            parts.append(figure(rank_figure(labels, measures, metrics), alt=alt,
                                caption=spec["caption"] or "Each pair\u2019s rank under each measure (1 = closest). "
                                "Lines that cross mark pairs the measures put in a different order.",
                                data_table=None, height=max(240, 120 + 46 * len(pairs)),
                                anchor=ctx.anchor + "-figure"))
            parts.append(tbl)
        else:
            parts.append((f'<p class="ll-caption">{esc(spec["caption"])}</p>' if spec["caption"] else "") + tbl)
        if spec["norms"]:
            words = list(dict.fromkeys(w for p in pairs for w in p))
            lengths = {w: ms["norms"][k] for p, ms in zip(pairs, measures) for k, w in enumerate(p)}
            ntbl = table(["Word", "Length"], [[w, fmt(lengths[w])] for w in words], numeric_cols=(1,))
            parts.append(figure(norms_figure(words, [lengths[w] for w in words]),
                                alt="Bar chart of vector lengths: " +
                                    ", ".join(f"{w} {lengths[w]:.2f}" for w in words) + ".",
                                caption="The length (norm) of each word\u2019s vector.", data_table=ntbl,
                                height=80 + 30 * len(words), anchor=ctx.anchor + "-norms"))
        parts.append(claims_html(ctx.claims))
        if spec["code"]:
            parts.append(code_details(code_for(pairs, metrics, spec["unit"]),
                                      "The gensim and NumPy calls behind these numbers"))
        parts.append(model_note(ctx.model_id) + "</div>")
        return "".join(parts)


def bar_figure(labels: list[str], values: list[float], metric: str, highlight: str) -> go.Figure:
    colours = [figures.PALETTE[1] if lab == highlight else figures.PALETTE[0] for lab in labels]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", marker_color=colours,
        text=[f"{v:.3f}" for v in values], textposition="auto",
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=TITLES[metric], font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text=METRICS[metric][0], standoff=6), automargin=True))
    return fig


@register
class DistanceExercise(Block):
    kind = "distance-exercise"
    summary = ("An exercise: which pair is closest (or farthest) by cosine similarity, dot product or "
               "Euclidean distance? The answer is computed from the model.")
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "pairs": {"type": "array", "minItems": 2, "maxItems": 6, "items": str_list(2, 2)},
        "metric": {"enum": list(METRICS)},
        "question": {"enum": ["closest", "farthest"]},
        "answer": str_list(2, 2),
        "explanation": {"type": "string", "minLength": 1},
    }, required=["pairs", "metric"])
    example = "pairs:\n  - [cat, dog]\n  - [minister, ministry]\nmetric: dot\nanswer: [minister, ministry]"

    def parse(self, data):
        pairs = data["pairs"]
        labels = [pair_label(p) for p in pairs]
        if len(set(labels)) != len(labels):
            raise LexiconError("a pair is listed twice", fix="list each pair once")
        if "answer" in data and pair_label(data["answer"]) not in labels:
            raise LexiconError(f"'answer' ({pair_label(data['answer'])}) is not one of the pairs",
                               fix="write one of the pairs exactly as listed under 'pairs'")
        question = data.get("question", "closest")
        name = METRICS[data["metric"]][0]
        default = f"Which pair is {question} by {name}?"
        return {"prompt": data.get("prompt", default), "pairs": pairs, "metric": data["metric"],
                "question": question, "answer": data.get("answer"), "explanation": data.get("explanation")}

    def result_inputs(self, spec):
        return {"pairs": spec["pairs"]}  # every measure is computed; the question only picks one

    def words(self, spec):
        return [w for p in spec["pairs"] for w in p]

    def anchor_hint(self, spec):
        return "exercise " + " ".join(w for p in spec["pairs"][:2] for w in p)

    def compute(self, kv, spec):
        return {"measures": [measure(kv, a, b) for a, b in spec["pairs"]]}

    def model_answer(self, spec, result) -> int:
        labels = [pair_label(p) for p in spec["pairs"]]
        order = closeness_order(labels, [ms[spec["metric"]] for ms in result["measures"]], spec["metric"])
        return order[0] if spec["question"] == "closest" else order[-1]

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        i = self.model_answer(spec, result)
        labels = [pair_label(p) for p in spec["pairs"]]
        m = spec["metric"]
        shown = ", ".join(f"{lab} ({fmt(ms[m])})" for lab, ms in zip(labels, result["measures"]))
        return [Claim(statement=f"the {spec['question']} pair by {METRICS[m][0]} is {pair_label(spec['answer'])}",
                      ok=labels[i] == pair_label(spec["answer"]),
                      actual=f"the model's answer is {labels[i]}; {METRICS[m][0]}: {shown}")]

    def render(self, spec, result, ctx):
        pairs, measures, m = spec["pairs"], result["measures"], spec["metric"]
        labels = [pair_label(p) for p in pairs]
        answer = labels[self.model_answer(spec, result)]
        name = METRICS[m][0]
        why = {}
        for lab, ms in zip(labels, measures):
            extra = (f" (cosine similarity {ms['cosine']:.3f}; vector lengths {ms['norms'][0]:.2f} and "
                     f"{ms['norms'][1]:.2f})" if m != "cosine" else "")
            why[lab] = f"{lab}: {name} {ms[m]:.3f}{extra}."
        order = closeness_order(labels, [ms[m] for ms in measures], m)
        shown = [labels[i] for i in order]
        reveal = (f'<p>By {esc(name)}, the {esc(spec["question"])} pair is <strong>{esc(answer)}</strong>.</p>'
                  + figure_or_table(True, lambda: bar_figure(shown, [measures[i][m] for i in order], m, answer),
                                    alt=f"Bar chart of {name}, closest pair first: " +
                                        ", ".join(f"{labels[i]} {measures[i][m]:.2f}" for i in order) + ".",
                                    caption=f"{TITLES[m]} of each pair, closest first"
                                            f"{' (for a distance, smaller is closer)' if m == 'euclidean' else ''}.",
                                    default_caption="", data_table=measures_table(pairs, measures, list(METRICS)),
                                    height=80 + 36 * len(pairs), anchor=ctx.anchor + "-answer")
                  + claims_html(ctx.claims))
        return choice_exercise("distance", ctx.anchor, spec["prompt"], labels, answer, why, reveal,
                               spec["explanation"], ctx.model_id)
