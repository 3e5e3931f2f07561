"""The ``layer-norm`` kind: what a real transformer's LayerNorms do to each token's vector, layer by layer."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures, minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._minilm import NOTE
from ._sublayers import MAX_TOKENS, check_claims, layer_arg, parse_claim, run

SITES = {"attention": ("attention_sum", "attention_norm", "attention.output.LayerNorm"),
         "feed-forward": ("ffn_sum", "ffn_norm", "output.LayerNorm")}
STAGES = ("before", "normalised", "after")
MEASURES = {"spread before": "largest token's standard deviation over the smallest's, before the LayerNorm",
            "spread after": "largest token's standard deviation over the smallest's, after it (gamma and beta "
                            "applied)",
            "zero share": "share of the squared normalised values of the token smallest after the LayerNorm that "
                          "lie on features whose gain is 0 (|gamma| < 1e-6)"}
ZERO = 1e-6    # a gain this small deletes its feature
TOL = 1e-4     # 'normalised at layer k': mean 0, standard deviation 1 and output gamma × z + beta, within this
FIX = ("write 'normalised at layer 3' (every token has mean 0 and standard deviation 1 before gamma and beta), "
       "or 'spread before at layer 1 > spread after at layer 1', 'spread after at layer 6 < 2', 'zero share at "
       "layer 6 > 0.5' (layers 1–6)")
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
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
    gamma and beta, the **spread** (the largest token's standard deviation over the smallest's) before and
    after, and the range of gamma. Gains with |gamma| < 1e-6 delete their feature: `zero_gains` counts them,
    and `zero share` is the share of the squared normalised values of the token smallest after the
    LayerNorm that lie on them. The figure shows each token's standard deviation before and after at one
    `layer`. Needs no GloVe vectors.
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
                   "affine": float(np.abs(gamma * z + beta - y).max()),
                   "zero_gains": int((np.abs(gamma) < ZERO).sum()),
                   # the share of each token's z² on the deleted features, and the spread of gamma ⊙ z without beta
                   "zero_share": ((z[:, np.abs(gamma) < ZERO] ** 2).sum(-1) / (z ** 2).sum(-1)).tolist(),
                   "gain_std": (gamma * z).std(-1).tolist()}
            for stage, a in zip(STAGES, (s, z, y)):
                row[stage] = {"mean": [float(a.mean(-1).min()), float(a.mean(-1).max())],
                              "std": a.std(-1).tolist()}
            out.append(row)
        return {"tokens": tokens, "layers": out}

    # --- claims and values ----------------------------------------------------------------------------
    @staticmethod
    def _measures(result) -> list[dict]:
        out = []
        for r in result["layers"]:
            after = r["after"]["std"]
            out.append({"spread before": max(r["before"]["std"]) / min(r["before"]["std"]),
                        "spread after": max(after) / min(after), "spread gain": max(r["gain_std"]) / min(r["gain_std"]),
                        "zero share": r["zero_share"][after.index(min(after))]})
        return out

    def claims(self, spec, result, check):
        for text in spec.expect:
            m = NORMALISED.fullmatch(text)
            if m:
                r = result["layers"][int(m.group(1)) - 1]["normalised"]
                worst_mean = max(abs(x) for x in r["mean"])
                worst_std = max(abs(x - 1) for x in r["std"])
                affine = result["layers"][int(m.group(1)) - 1]["affine"]
                check(f"at layer {m.group(1)}, every token's vector, normalised (before gamma and beta), has mean 0 "
                      f"and standard deviation 1, and the model's output is gamma × it + beta (all within {TOL:g})",
                      worst_mean < TOL and worst_std < TOL and affine < TOL,
                      f"the largest |mean| is {worst_mean:.1e}, the largest |std − 1| {worst_std:.1e}, the largest "
                      f"|gamma × z + beta − output| {affine:.1e}")
        check_claims(spec, self._measures(result), check, MEASURES, FIX,
                     claims=[t for t in spec.expect if not NORMALISED.fullmatch(t)])

    @value("The tolerance of the 'normalised at layer k' claims, 10⁻⁴.")
    def tolerance(self, spec, result):
        return Value(f"10{str(int(np.log10(TOL))).translate(SUPERSCRIPT)}", TOL)

    @value("At layer k (1–6), a token statistic as the table shows it: `stat` is `mean` or `std`, `stage` is "
           "`before`, `normalised` or `after`, `end` is `min` or `max` (over the sentence's tokens).")
    def stat(self, spec, result, stat, stage, k, end):
        if stat not in ("mean", "std") or stage not in STAGES or end not in ("min", "max"):
            raise LexiconError(f"'{stat}, {stage}, …, {end}' is no statistic of the block",
                               fix="write e.g. stat(std, before, 1, max): mean or std; before, normalised or after; "
                                   "a layer 1–6; min or max")
        r = result["layers"][layer_arg(k) - 1][stage][stat]
        v = (min if end == "min" else max)(r)
        return Value(num(v, 3), v)

    @value("The spread at layer k (1–6), `before` or `after`, or `gain` (of gamma ⊙ z, without beta): the largest "
           "token's standard deviation over the smallest's, as `16.2×`.")
    def spread(self, spec, result, stage, k):
        if stage not in ("before", "after", "gain"):
            raise LexiconError(f"'{stage}' has no spread", fix="name before, after or gain")
        v = self._measures(result)[layer_arg(k) - 1][f"spread {stage}"]
        return Value(f"{v:.1f}×", v)

    @value("The smallest or largest learned gain gamma (`min`, `max`) of the LayerNorm at layer k (1–6).")
    def gamma(self, spec, result, end, k):
        if end not in ("min", "max"):
            raise LexiconError(f"'{end}' is neither min nor max", fix="write gamma(min, 1) or gamma(max, 1)")
        v = result["layers"][layer_arg(k) - 1]["gamma"][0 if end == "min" else 1]
        return Value(num(v, 2), v)

    @value("The token whose standard deviation is the largest before the LayerNorm at layer k (1–6).")
    def widest(self, spec, result, k):
        std = result["layers"][layer_arg(k) - 1]["before"]["std"]
        return Value(result["tokens"][max(range(len(std)), key=std.__getitem__)])

    @value("The token whose standard deviation is the smallest after the LayerNorm at layer k (1–6).")
    def narrowest(self, spec, result, k):
        std = result["layers"][layer_arg(k) - 1]["after"]["std"]
        return Value(result["tokens"][std.index(min(std))])

    @value("How many gains of the LayerNorm at layer k (1–6) are 0 (|gamma| < 1e-6): features it deletes.")
    def zero_gains(self, spec, result, k):
        v = result["layers"][layer_arg(k) - 1]["zero_gains"]
        return Value(str(v), v)

    @value("At layer k (1–6), the share of `narrowest`'s squared normalised values (z²) on the features whose gain "
           "is 0, as a percentage.")
    def zero_share(self, spec, result, k):
        v = self._measures(result)[layer_arg(k) - 1]["zero share"]
        return Value(percent(v), v)

    @value("How many tokens the model sees, [CLS] and [SEP] included.")
    def tokens(self, spec, result):
        return Value(str(len(result["tokens"])), len(result["tokens"]))

    # --- rendering -----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        layers = result["layers"]

        def rng(pair, digits=3):
            return f"{num(min(pair), digits)} to {num(max(pair), digits)}"

        spreads = self._measures(result)
        table = Table(["Layer", "Std before", "Spread before", "Std after", "Spread after", "Mean after", "Gamma"],
                      [[k, rng(r["before"]["std"]), f"{m['spread before']:.1f}×", rng(r["after"]["std"]),
                        f"{m['spread after']:.1f}×", rng(r["after"]["mean"]), rng(r["gamma"], 2)]
                       for k, (r, m) in enumerate(zip(layers, spreads), start=1)])
        k, tokens = spec.layer, result["tokens"]
        r = layers[k - 1]
        alt = (f"Each token's standard deviation at layer {k}, before the LayerNorm and after it: "
               + ", ".join(f"{t} {b:.2f} then {a:.2f}" for t, b, a in zip(tokens, r["before"]["std"],
                                                                           r["after"]["std"])) + ".")
        return [
            Html(f"<p>The LayerNorm after the {esc(spec.after)} sub-layer of each layer, over "
                 f"{len(tokens)} tokens: the range over the tokens of each token's standard deviation and mean "
                 "(over its 384 numbers), and the spread, the largest token's standard deviation over the "
                 "smallest's. Normalised, before gamma and beta, every token has mean 0 and standard deviation 1 "
                 "(the claims check it).</p>"),
            table,
            Figure(lambda: ln_figure(tokens, r), alt=alt, caption=spec.caption, height=340,
                   default_caption=caption(tokens, r, k)),
            *([Code(CODE.format(sentence=spec.sentence, before=SITES[spec.after][0], after=SITES[spec.after][1]),
                    "The numpy code behind these numbers")] if spec.code else []),
        ]


def num(v: float, digits: int) -> str:
    """fmt, without a minus sign on a number that rounds to 0 (a gain of −1.5e-9 is 0.00)."""
    return fmt(v + 0.0 if round(v, digits) != 0 else 0.0, digits)


def caption(tokens, r, k) -> str:
    """What the figure shows, from the numbers: the widest token before, where the others lie, the range after."""
    before, after = r["before"]["std"], r["after"]["std"]
    w, n = before.index(max(before)), after.index(min(after))
    rest = [v for i, v in enumerate(before) if i != w]
    return (f"Each token's standard deviation before and after the LayerNorm of layer {k}. Before, {tokens[w]} is "
            f"{max(before) / min(before):.1f}× the smallest token and the others lie between {min(rest):.2f} and "
            f"{max(rest):.2f}; after, all lie between {min(after):.2f} and {max(after):.2f}, "
            + (f"{tokens[w]} now the smallest." if n == w else f"the smallest now {tokens[n]}."))


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
