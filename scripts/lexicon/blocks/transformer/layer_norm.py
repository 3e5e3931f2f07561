"""The ``layer-norm`` kind: what a real transformer's LayerNorms do to each token's vector, layer by layer."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._minilm import NOTE
from ._sublayers import MAX_TOKENS, check_claims, layer_arg, parse_claim, run

SITES = {"attention": ("attention_sum", "attention_norm", "attention.output.LayerNorm"),
         "feed-forward": ("ffn_sum", "ffn_norm", "output.LayerNorm")}
STAGES = ("before", "normalised", "after")
MEASURES = {"spread before": "largest token's standard deviation over the smallest's, before the LayerNorm",
            "spread after": "largest token's standard deviation over the smallest's, after it (gamma and beta "
                            "applied)"}
FIX = ("write 'normalised at layer 3' (every token has mean 0 and standard deviation 1 before gamma and beta), "
       "or 'spread before at layer 1 > spread after at layer 1', 'spread after at layer 6 < 2' (layers 1–6)")
NORMALISED = re.compile(r"\s*normalised at layer ([1-6])\s*")


class LayerNorm(Kind):
    """What LayerNorm does to a real transformer's token vectors (all-MiniLM-L6-v2), layer by layer.

    LayerNorm works on one token's vector at a time: it subtracts the mean of its 384 numbers and divides by
    their standard deviation (with a small eps), so that **every token's normalised vector has mean 0 and
    standard deviation 1**; then it multiplies each feature j by a learned gain gamma_j and adds a bias
    beta_j, the same for every token. After gamma and beta a token's mean is no longer 0 nor its standard
    deviation 1: what stays exactly true is that feature j of every token is gamma_j × (its normalised
    value) + beta_j. The model is post-LN: each layer ends its two sub-layers with a LayerNorm of the
    residual sum; `after` picks which one the block shows (`feed-forward`: the one that makes the layer's
    output). For each layer the table gives the range over the sentence's tokens ([CLS] and [SEP]
    included) of each token's mean and standard deviation before the LayerNorm, normalised, and after
    gamma and beta, and the range of gamma. The figure shows each token's standard deviation before and
    after at one `layer`. Needs no GloVe vectors.
    """

    example = ("sentence: The bank raised its interest rates because inflation stayed high.\n"
               "expect: [normalised at layer 1, spread before at layer 1 > spread after at layer 1]")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        sentence=opt.text(f"The sentence (up to {MAX_TOKENS} WordPiece tokens).", required=True),
        after=opt.choice("Which LayerNorm of each layer: the one after the attention sub-layer or after the "
                         "feed-forward sub-layer (the layer's output).", ["attention", "feed-forward"],
                         default="feed-forward"),
        layer=opt.integer("The layer whose tokens the figure shows.", default=1, min=1, max=6, display=True),
        expect=opt.claims("`normalised at layer 3`, `spread before at layer 1 > spread after at layer 1`, "
                          "`spread after at layer 6 < 2` (layers 1–6)."),
        caption=opt.caption("“Each token's standard deviation before and after the LayerNorm …”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            if not NORMALISED.fullmatch(text):
                parse_claim(text, MEASURES, FIX)

    def anchor_hint(self, spec):
        return "layernorm " + spec.sentence[:30]

    def compute(self, kv, spec):
        tokens, _, layers = run(spec.sentence)
        before_key, after_key, name = SITES[spec.after]
        w, eps = minilm.load().weights, float(minilm.load().config["layer_norm_eps"])
        out = []
        for k, t in enumerate(layers):
            s, y = t[before_key], t[after_key]
            z = (s - s.mean(-1, keepdims=True)) / np.sqrt(s.var(-1, keepdims=True) + eps)
            gamma = w[f"encoder.layer.{k}.{name}.weight"].astype(np.float64)
            beta = w[f"encoder.layer.{k}.{name}.bias"].astype(np.float64)
            row = {"gamma": [float(gamma.min()), float(gamma.max())], "beta": [float(beta.min()), float(beta.max())],
                   # y is the model's own output; gamma*z + beta recomputes it (float32 against float64)
                   "affine": float(np.abs(gamma * z + beta - y).max())}
            for stage, a in zip(STAGES, (s, z, y)):
                row[stage] = {"mean": [float(a.mean(-1).min()), float(a.mean(-1).max())],
                              "std": a.std(-1).tolist()}
            out.append(row)
        return {"tokens": tokens, "layers": out}

    # --- claims and values ----------------------------------------------------------------------------
    @staticmethod
    def _measures(result) -> list[dict]:
        return [{f"spread {s}": max(r[s]["std"]) / min(r[s]["std"]) for s in ("before", "after")}
                for r in result["layers"]]

    def claims(self, spec, result, check):
        for text in spec.expect:
            m = NORMALISED.fullmatch(text)
            if m:
                r = result["layers"][int(m.group(1)) - 1]["normalised"]
                worst_mean = max(abs(x) for x in r["mean"])
                worst_std = max(abs(x - 1) for x in r["std"])
                affine = result["layers"][int(m.group(1)) - 1]["affine"]
                check(f"at layer {m.group(1)}, every token's vector, normalised (before gamma and beta), has mean 0 "
                      "and standard deviation 1, and the model's output is gamma × it + beta (all within 1e-4)",
                      worst_mean < 1e-4 and worst_std < 1e-4 and affine < 1e-4,
                      f"the largest |mean| is {worst_mean:.1e}, the largest |std − 1| {worst_std:.1e}, the largest "
                      f"|gamma × z + beta − output| {affine:.1e}")
        check_claims(spec, self._measures(result), check, MEASURES, FIX,
                     claims=[t for t in spec.expect if not NORMALISED.fullmatch(t)])

    @value("At layer k (1–6), a token statistic as the table shows it: `stat` is `mean` or `std`, `stage` is "
           "`before`, `normalised` or `after`, `end` is `min` or `max` (over the sentence's tokens).")
    def stat(self, spec, result, stat, stage, k, end):
        if stat not in ("mean", "std") or stage not in STAGES or end not in ("min", "max"):
            raise LexiconError(f"'{stat}, {stage}, …, {end}' is no statistic of the block",
                               fix="write e.g. stat(std, before, 1, max): mean or std; before, normalised or after; "
                                   "a layer 1–6; min or max")
        r = result["layers"][layer_arg(k) - 1][stage][stat]
        v = (min if end == "min" else max)(r)
        return Value(fmt(v, 3), v)

    @value("The spread at layer k (1–6), before or after: the largest token's standard deviation over the "
           "smallest's, as `16.2×`.")
    def spread(self, spec, result, stage, k):
        if stage not in ("before", "after"):
            raise LexiconError(f"'{stage}' has no spread", fix="name before or after")
        v = self._measures(result)[layer_arg(k) - 1][f"spread {stage}"]
        return Value(f"{v:.1f}×", v)

    @value("The smallest or largest learned gain gamma (`min`, `max`) of the LayerNorm at layer k (1–6).")
    def gamma(self, spec, result, end, k):
        if end not in ("min", "max"):
            raise LexiconError(f"'{end}' is neither min nor max", fix="write gamma(min, 1) or gamma(max, 1)")
        v = result["layers"][layer_arg(k) - 1]["gamma"][0 if end == "min" else 1]
        return Value(fmt(v, 2), v)

    @value("The token whose standard deviation is the largest before the LayerNorm at layer k (1–6).")
    def widest(self, spec, result, k):
        std = result["layers"][layer_arg(k) - 1]["before"]["std"]
        return Value(result["tokens"][max(range(len(std)), key=std.__getitem__)])

    @value("How many tokens the model sees, [CLS] and [SEP] included.")
    def tokens(self, spec, result):
        return Value(str(len(result["tokens"])), len(result["tokens"]))

    # --- rendering -----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        layers = result["layers"]

        def rng(pair, digits=3):
            return f"{fmt(min(pair), digits)} to {fmt(max(pair), digits)}"

        table = Table(["Layer", "Mean before", "Std before", "Mean normalised", "Std normalised", "Mean after",
                       "Std after", "Gamma"],
                      [[k, rng(r["before"]["mean"]), rng(r["before"]["std"]), rng(r["normalised"]["mean"], 4),
                        rng(r["normalised"]["std"], 4), rng(r["after"]["mean"]), rng(r["after"]["std"]),
                        rng(r["gamma"], 2)] for k, r in enumerate(layers, start=1)])
        k, tokens = spec.layer, result["tokens"]
        r = layers[k - 1]
        alt = (f"Each token's standard deviation at layer {k}, before the LayerNorm and after it: "
               + ", ".join(f"{t} {b:.2f} then {a:.2f}" for t, b, a in zip(tokens, r["before"]["std"],
                                                                           r["after"]["std"])) + ".")
        return [
            Html(f"<p>The LayerNorm after the {esc(spec.after)} sub-layer of each layer, over "
                 f"{len(tokens)} tokens: the range over the tokens of each token's mean and standard deviation "
                 "(over its 384 numbers).</p>"),
            table,
            Figure(lambda: ln_figure(tokens, r), alt=alt, caption=spec.caption, height=340,
                   default_caption=(f"Each token's standard deviation before and after the LayerNorm of layer {k}: "
                                    "before, the tokens differ widely; after, they are close.")),
            *([Code(CODE.format(sentence=spec.sentence, before=SITES[spec.after][0], after=SITES[spec.after][1]),
                    "The numpy code behind these numbers")] if spec.code else []),
        ]


def ln_figure(tokens, r) -> go.Figure:
    fig = go.Figure()
    for i, stage in enumerate(("before", "after")):
        fig.add_trace(go.Scatter(x=list(range(len(tokens))), y=r[stage]["std"], name=f"{stage} the LayerNorm",
                                 mode="lines+markers", line=dict(color=figures.PALETTE[i]),
                                 marker=dict(symbol=["circle", "square"][i], size=9),
                                 customdata=tokens, hovertemplate="%{customdata}: %{y:.3f}<extra></extra>"))
    fig.update_layout(**figures.LEGEND_ON_TOP,
                      xaxis=dict(tickmode="array", tickvals=list(range(len(tokens))), ticktext=tokens),
                      yaxis=dict(title=dict(text="standard deviation"), type="log", automargin=True))
    return fig


CODE = """\
import numpy as np
from lexicon import minilm      # this site's numpy forward pass of all-MiniLM-L6-v2

enc = minilm.encode([{sentence!r}], trace=True)
for k, t in enumerate(enc.trace[0], start=1):
    s, y = t[{before!r}], t[{after!r}]        # the residual sum, and the model's LayerNorm of it
    z = (s - s.mean(-1, keepdims=True)) / np.sqrt(s.var(-1, keepdims=True) + 1e-12)
    print(k, s.std(-1).min(), s.std(-1).max(), z.mean(-1), z.std(-1), y.mean(-1), y.std(-1))
"""
