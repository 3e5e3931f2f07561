"""The ``human-similarity`` kind: the model's cosine similarity next to people's ratings."""

from __future__ import annotations

import re
from dataclasses import replace

import plotly.graph_objects as go
from scipy.stats import spearmanr

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.checks import parse_comparison
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._ratings import DATASETS, SCALE_TOP, display_name, file_name, human_score, load_dataset

CLAIM = re.compile(r"^\s*(human|model)\s*:\s*(.+?)\s*$")
SPEARMAN = re.compile(r"^\s*(dataset\s+)?spearman\s*([<>])\s*(-?[\d.]+)\s*$")
CLAIM_FIX = ("write a claim as 'human: tiger~cat > tiger~zoo', 'model: tiger~zoo > tiger~cat', "
             "'spearman > 0.5' (the pairs of the block) or 'dataset spearman > 0.4' (every pair of the data set)")


def parse_claim(text: str) -> dict:
    m = SPEARMAN.match(text)
    if m:
        return {"type": "spearman", "scope": "dataset" if m.group(1) else "pairs", "op": m.group(2),
                "value": float(m.group(3))}
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    try:
        left, op, right = parse_comparison(m.group(2))
    except LexiconError:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX) from None
    return {"type": m.group(1), "left": left, "op": op, "right": right}


def rho(x, y) -> float:
    return round(float(spearmanr(x, y).statistic), 4)


class HumanSimilarity(Kind):
    """The model's cosine similarity next to people's similarity ratings (WordSim-353 or SimLex-999, from gensim's test data), as a table and a scatter plot, with Spearman's rho.

    The ratings are people's mean scores from one of the two test sets that gensim ships
    (`gensim.test.utils.datapath`): **WordSim-353** (Finkelstein et al., 2002; 0–10, and
    raters also scored related words such as *cup* and *coffee* high, so it mixes similarity
    with relatedness) or **SimLex-999** (Hill, Reichart & Korhonen, 2015; 0–10, raters were
    told to score similarity only, so opposites score low). A table gives both ranks. A
    scatter plot shows the chosen pairs over every pair of the data set in grey, and
    Spearman's rank correlation is given for the chosen pairs and for the whole data set (the
    number gensim's `evaluate_word_pairs` reports). A pair that is not in the data set is an
    error that lists pairs with the same words.
    """

    example = ("pairs:\n  - [tiger, cat]\n  - [dollar, buck]\n  - [wednesday, news]\nbackground: false\n"
               "expect:\n  - \"human: dollar~buck > wednesday~news\"\n  - \"model: wednesday~news > dollar~buck\"")
    options = opt.Options(
        Kind.options,
        dataset=opt.choice("The ratings: WordSim-353 or SimLex-999.", list(DATASETS), default="wordsim353"),
        pairs=replace(opt.pairs("Pairs from the data set (either order; lower-cased).", min=2, max=20,
                                required=True), type_doc="2–20 pairs `[word, word]`"),
        background=opt.flag("Draw the whole data set behind the pairs and give its Spearman's rho.", default=True),
        expect=opt.claims("Claims: `'human: a~b > c~d'`, `'model: a~b > c~d'` (pairs of the block), "
                          "`'spearman > 0.3'` (the block's pairs), `'dataset spearman > 0.45'` (every pair of "
                          "the data set)."),
        caption=opt.caption("“Each labelled point is one pair: people's mean rating … across, the model's "
                            "cosine similarity up …”"),
        figure=opt.show_figure("Show the scatter plot. With `false`, only the table is shown."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        key = spec.dataset
        given = spec.pairs
        spec.pairs = [[a.lower(), b.lower()] for a, b in given]
        for k, (a, b) in enumerate(spec.pairs):
            if human_score(key, a, b) is None:
                close = sorted({f"{x}~{y}" for x, y, _ in load_dataset(key) if a in (x, y) or b in (x, y)})[:6]
                err = LexiconError(
                    f"the pair {a}–{b} is not in {display_name(key)}",
                    fix=("pick a pair from the data set" + (f"; pairs with these words: {', '.join(close)}"
                                                           if close else "") + f" (the file is gensim's "
                         f"test data {file_name(key)})"))
                err.word = given[k][0]
                raise err
        spec.parsed = [parse_claim(text) for text in spec.expect]
        for text, c in zip(spec.expect, spec.parsed):
            for pair in ([c["left"], c["right"]] if c["type"] != "spearman" else []):
                if [*pair] not in spec.pairs and [pair[1], pair[0]] not in spec.pairs:
                    raise LexiconError(f"the claim '{text}' names the pair {pair[0]}~{pair[1]}, which the "
                                       "block does not list", fix="add the pair to 'pairs', or change the claim")
            if c["type"] == "spearman" and c["scope"] == "dataset" and not spec.background:
                raise LexiconError("a 'dataset spearman' claim needs the whole data set",
                                   fix="remove 'background: false', or drop the claim")

    def anchor_hint(self, spec):
        return "human " + " ".join(w for p in spec.pairs[:2] for w in p)

    def compute(self, kv, spec):
        key = spec.dataset
        human = [human_score(key, a, b) for a, b in spec.pairs]
        model = [round(float(kv.similarity(a, b)), 4) for a, b in spec.pairs]
        out = {"human": human, "model": model, "spearman": rho(human, model)}
        if spec.background:
            rows = [r for r in load_dataset(key) if r[0] in kv.key_to_index and r[1] in kv.key_to_index]
            all_model = [round(float(kv.similarity(a, b)), 4) for a, b, _ in rows]
            out["dataset"] = {"pairs": [[a, b] for a, b, _ in rows], "human": [s for _, _, s in rows],
                              "model": all_model, "size": len(load_dataset(key)),
                              "spearman": rho([s for _, _, s in rows], all_model)}
        return out

    def claims(self, spec, result, check):
        index = {tuple(p): i for i, p in enumerate(spec.pairs)}
        index.update({(b, a): i for (a, b), i in list(index.items())})
        name = display_name(spec.dataset)
        for c in spec.parsed:
            if c["type"] == "spearman":
                value = result["dataset"]["spearman"] if c["scope"] == "dataset" else result["spearman"]
                where = f"every pair of {name}" if c["scope"] == "dataset" else "these pairs"
                ok = value > c["value"] if c["op"] == ">" else value < c["value"]
                check(f"Spearman's rho over {where} is {'above' if c['op'] == '>' else 'below'} {c['value']}",
                      ok, f"it is {value:.4f}")
                continue
            scores = result["human"] if c["type"] == "human" else result["model"]
            left, right = scores[index[tuple(c["left"])]], scores[index[tuple(c["right"])]]
            ok = left > right if c["op"] == ">" else left < right
            who = "people rate" if c["type"] == "human" else "the model scores"
            (a, b), (x, y) = c["left"], c["right"]
            check(f"{who} {a}–{b} {'higher' if c['op'] == '>' else 'lower'} than {x}–{y}", ok,
                  f"{a}–{b}: {left:g}, {x}–{y}: {right:g}")

    # --- values for prose ---------------------------------------------------------------------
    @value("Spearman's rho over the block's pairs, as the block writes it.")
    def spearman(self, spec, result):
        return Value(fmt(result["spearman"], 2), result["spearman"])

    @value("Spearman's rho over every pair of the data set the model knows (gensim's "
           "`evaluate_word_pairs`), as the block writes it.")
    def dataset_spearman(self, spec, result):
        d = _dataset(result)
        return Value(fmt(d["spearman"], 2), d["spearman"])

    @value("How many pairs the data set holds.")
    def dataset_size(self, spec, result):
        n = _dataset(result)["size"]
        return Value(f"{n:,}", n)

    @value("How many of the data set's pairs the model knows both words of (the pairs `dataset_spearman` "
           "is computed over).")
    def dataset_known(self, spec, result):
        n = len(_dataset(result)["pairs"])
        return Value(f"{n:,}", n)

    @value("People's mean rating of a listed pair, as the table shows it: `human(tiger, cat)`.")
    def human(self, spec, result, a, b):
        h = result["human"][_pair_index(spec, a, b)]
        return Value(f"{h:.2f}", h)

    @value("The model's cosine similarity of a listed pair, as the table shows it: `model(tiger, cat)`.")
    def model(self, spec, result, a, b):
        m = result["model"][_pair_index(spec, a, b)]
        return Value(fmt(m), m)

    def render(self, spec, result, ctx):
        pairs, human, model = spec.pairs, result["human"], result["model"]
        name = display_name(spec.dataset)
        labels = [f"{a} – {b}" for a, b in pairs]
        h_rank = _ranks(human)
        m_rank = _ranks(model)
        rows = [[lab, f"{h:.2f}", fmt(m), hr, mr] for lab, h, m, hr, mr in zip(labels, human, model, h_rank, m_rank)]
        tbl = Table(["Pair", f"People ({name}, 0–{SCALE_TOP})", "Model (cosine)", "People's rank",
                     "Model's rank"], rows, numeric=(1, 2, 3, 4))
        alt = ("Scatter plot of people's rating (x) against the model's cosine similarity (y): "
               + ", ".join(f"{lab} ({h:.1f}, {m:.2f})" for lab, h, m in zip(labels, human, model)) + ".")
        summary = (f'<p>Over these {len(pairs)} pairs, the model\u2019s order and people\u2019s order have '
                   f'a Spearman rank correlation of <strong>{fmt(result["spearman"], 2)}</strong>')
        if "dataset" in result:
            d = result["dataset"]
            summary += (f'; over all {len(d["pairs"])} pairs of {esc(name)}'
                        + (f' that the model knows (of {d["size"]})' if len(d["pairs"]) != d["size"] else "")
                        + f', it is <strong>{fmt(d["spearman"], 2)}</strong>')
        summary += " (1 = the same order, 0 = no relation, −1 = the reverse order).</p>"
        caption = spec.caption or (f"Each labelled point is one pair: people\u2019s mean rating in {name} "
                                   "across, the model\u2019s cosine similarity up"
                                   + (f"; grey dots are the other pairs of {name}." if "dataset" in result else "."))
        code = ("from gensim.test.utils import datapath\nfrom scipy.stats import spearmanr\n\n"
                + "\n".join(f"kv.similarity({a!r}, {b!r})" for a, b in pairs)
                + f"\n# every pair of the data set (Spearman's rho is the second number):\n"
                  f"kv.evaluate_word_pairs(datapath({file_name(spec.dataset)!r}), "
                  f"restrict_vocab=len(kv))")
        return [
            # The caption (the author's or the default) stays with the table when the figure is off.
            Figure(lambda: scatter(labels, human, model, result.get("dataset"), name), alt=alt, caption=caption,
                   height=420, table=tbl),
            Html(summary),
            Code(code, "The gensim calls behind these numbers"),
        ]


def _dataset(result) -> dict:
    if "dataset" not in result:
        raise LexiconError("the block does not compute the whole data set",
                           fix="remove 'background: false' from the block to quote the data set's values")
    return result["dataset"]


def _pair_index(spec, a: str, b: str) -> int:
    a, b = a.lower(), b.lower()
    for i, p in enumerate(spec.pairs):
        if p in ([a, b], [b, a]):
            return i
    raise LexiconError(f"the pair {a}–{b} is not listed in the block",
                       fix="name a pair listed under 'pairs': " + ", ".join(f"{x}, {y}" for x, y in spec.pairs))


def _ranks(values: list[float]) -> list[int]:
    """1 = highest; ties share the better rank."""
    return [1 + sum(1 for w in values if w > v) for v in values]


POSITIONS = ("top center", "bottom center", "middle right", "middle left", "top right", "top left",
             "bottom right", "bottom left")


def label_positions(labels, xs, ys) -> list[str]:
    """Greedy, deterministic label placement: each label takes the first position whose box
    overlaps no label placed before and stays inside the x axis. Boxes are estimated in data
    units for a plot about 380 px wide, so that labels also fit on a phone."""
    char_w, height = 0.2, 0.07 * max(1.0, (max(ys) - min(ys) + 0.3) / 1.2)
    placed, out = [], []
    for lab, x, y in zip(labels, xs, ys):
        w = char_w * len(lab)
        boxes = {
            "top center": (x - w / 2, x + w / 2, y + 0.02, y + 0.02 + height),
            "bottom center": (x - w / 2, x + w / 2, y - 0.02 - height, y - 0.02),
            "middle right": (x + 0.15, x + 0.15 + w, y - height / 2, y + height / 2),
            "middle left": (x - 0.15 - w, x - 0.15, y - height / 2, y + height / 2),
            "top right": (x + 0.1, x + 0.1 + w, y + 0.01, y + 0.01 + height),
            "top left": (x - 0.1 - w, x - 0.1, y + 0.01, y + 0.01 + height),
            "bottom right": (x + 0.1, x + 0.1 + w, y - 0.01 - height, y - 0.01),
            "bottom left": (x - 0.1 - w, x - 0.1, y - 0.01 - height, y - 0.01),
        }

        def free(b):
            inside = b[0] >= -0.3 and b[1] <= SCALE_TOP + 0.3  # the x axis runs from -0.3 to 10.3
            return inside and all(b[1] <= o[0] or o[1] <= b[0] or b[3] <= o[2] or o[3] <= b[2] for o in placed)
        pos = next((p for p in POSITIONS if free(boxes[p])), "top center")
        placed.append(boxes[pos])
        out.append(pos)
    return out


def scatter(labels, human, model, dataset, name) -> go.Figure:
    fig = go.Figure()
    if dataset:
        fig.add_trace(go.Scatter(
            x=dataset["human"], y=dataset["model"], mode="markers", name=f"all of {name}",
            text=[f"{a} – {b}" for a, b in dataset["pairs"]],
            marker=dict(size=6, color=figures.PALETTE[7], opacity=0.45),
            hovertemplate="%{text}: people %{x:.2f}, model %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=human, y=model, mode="markers+text", name="the pairs above", text=labels,
        textposition=label_positions(labels, human, model), cliponaxis=False,
        marker=dict(size=11, color=figures.PALETTE[5], symbol="diamond", line=dict(width=1, color="#ffffff")),
        hovertemplate="%{text}: people %{x:.2f}, model %{y:.3f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=bool(dataset), legend=dict(orientation="h", y=-0.18),
                      xaxis=dict(title=dict(text=f"people's rating ({name}, 0–{SCALE_TOP})", standoff=6),
                                 range=[-0.3, SCALE_TOP + 0.3], automargin=True, zeroline=False),
                      yaxis=dict(title=dict(text="model's cosine similarity", standoff=6), automargin=True,
                                 zeroline=False))
    return fig
