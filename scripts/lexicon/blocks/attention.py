"""``attention``: scaled dot-product self-attention over a sentence's static word vectors.

There are no learned weights: the queries, keys and values are the model's own
word vectors (Q = K = V = X), so the block shows the *arithmetic* of attention,
softmax(QKᵀ/√d)·V, not what a trained transformer computes. The same functions
serve the attention exercise and the toy contextual embedding, which add this
module's code version to their cache key (see :class:`UsesAttention`).
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from .. import figures
from ..cache import code_version
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure, figure_or_table, fmt, model_note, table
from .base import CAPTION, Block, obj, register, str_list

WEIGHT_DIGITS = 4
MAX_TOKENS = 20

NO_WEIGHTS_NOTE = ("No learned weights: the queries, keys and values are the words' own GloVe vectors "
                   "(Q = K = V). This shows the arithmetic of attention, not what a trained transformer "
                   "such as BERT or GPT computes.")


# --- tokens ---------------------------------------------------------------------------------

def tokens_of(text: str) -> list[str]:
    """gensim's ``simple_preprocess``: lower-case runs of 2-15 letters (no digits, no punctuation)."""
    from gensim.utils import simple_preprocess

    return simple_preprocess(text)


def sentence_tokens(text: str, *, minimum: int = 1, what: str = "the sentence") -> list[str]:
    """The tokens of an author's sentence, or an error that says what the tokenizer keeps."""
    toks = tokens_of(text)
    if len(toks) < minimum:
        raise LexiconError(
            f"{what} '{text}' has {len(toks)} token(s) after gensim's simple_preprocess; at least {minimum} needed",
            fix="write words of 2 or more letters (simple_preprocess drops one-letter words, digits and punctuation)")
    if len(toks) > MAX_TOKENS:
        raise LexiconError(f"{what} has {len(toks)} tokens; at most {MAX_TOKENS} fit in a readable figure",
                           fix="shorten the sentence")
    return toks


def token_labels(tokens: list[str]) -> list[str]:
    """Axis labels: a word that occurs more than once gets its position, ``the (1)``, ``the (5)``."""
    counts = {t: tokens.count(t) for t in tokens}
    return [f"{t} ({i + 1})" if counts[t] > 1 else t for i, t in enumerate(tokens)]


# --- the arithmetic -------------------------------------------------------------------------

def attention_weights(x: np.ndarray, *, scale: bool = True, causal: bool = False) -> np.ndarray:
    """softmax(X Xᵀ / √d) row by row, in float64; ``causal`` hides later positions (GPT-style)."""
    x = np.asarray(x, dtype=np.float64)
    scores = x @ x.T / (np.sqrt(x.shape[1]) if scale else 1.0)
    if causal:
        scores = np.where(np.triu(np.ones_like(scores, dtype=bool), k=1), -np.inf, scores)
    w = np.exp(scores - scores.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


def top_other(weights: np.ndarray, i: int, causal: bool) -> int | None:
    """The position (not ``i`` itself) with the largest weight in row ``i``; ties go to the earlier one."""
    allowed = [j for j in range(weights.shape[0]) if j != i and (not causal or j < i)]
    if not allowed:
        return None
    return max(allowed, key=lambda j: (weights[i, j], -j))


def self_attention(kv, tokens: list[str], *, scale: bool = True, causal: bool = False) -> dict:
    """Weights of one self-attention step over the tokens, and what each row gives most weight to."""
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    w = attention_weights(x, scale=scale, causal=causal)
    n = len(tokens)
    return {
        "tokens": tokens,
        "dims": int(x.shape[1]),
        "weights": np.round(w, WEIGHT_DIGITS).tolist(),
        # Ties matter: a repeated word has the same vector, so it scores exactly like the word itself.
        "self_is_top": [bool(w[i, i] >= w[i].max() - 1e-12) for i in range(n)],
        "top_other": [top_other(w, i, causal) for i in range(n)],
    }


def attention_output(kv, tokens: list[str], *, scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(weights, outputs): the outputs are the weighted averages of the vectors, weights · V."""
    x = np.stack([kv[t] for t in tokens]).astype(np.float64)
    w = attention_weights(x, scale=scale)
    return w, w @ x


def numpy_code(sentence: str, *, scale: bool = True, causal: bool = False) -> str:
    """The exact numpy calls behind the weights (``kv`` is the model, loaded as on the model card)."""
    lines = ["import numpy as np", "from gensim.utils import simple_preprocess", "",
             f"tokens = simple_preprocess({sentence!r})",
             "X = np.stack([kv[t] for t in tokens]).astype(np.float64)  # Q = K = V = X",
             "scores = X @ X.T" + (" / np.sqrt(X.shape[1])  # scaled by √d" if scale else "  # not scaled")]
    if causal:
        lines.append("scores[np.triu_indices(len(tokens), k=1)] = -np.inf  # hide later words")
    lines += ["weights = np.exp(scores - scores.max(axis=1, keepdims=True))",
              "weights /= weights.sum(axis=1, keepdims=True)  # softmax: each row sums to 1",
              "output = weights @ X  # each word's new vector: a weighted average"]
    return "\n".join(lines) + "\n"


class UsesAttention(Block):
    """A block whose result comes from this module: its code is part of the cache key too."""

    def result_inputs(self, spec: dict) -> dict:
        return {**super().result_inputs(spec), "attention_code": code_version(__name__)}


# --- figures --------------------------------------------------------------------------------

def weights_heatmap(labels: list[str], weights: list[list[float]], title: str) -> go.Figure:
    fig = go.Figure(go.Heatmap(
        z=weights, x=labels, y=labels, zmin=0, colorscale="Blues",
        texttemplate="%{z:.2f}", colorbar=dict(title=dict(text="weight"), thickness=12),
        hovertemplate="%{y} → %{x}: %{z:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=title, font=dict(size=14)),
                      xaxis=dict(title=dict(text="attends to (key)", standoff=6), automargin=True,
                                 side="bottom", tickangle=-45),
                      yaxis=dict(title=dict(text="word (query)", standoff=6), autorange="reversed",
                                 automargin=True))
    return fig


def row_bars(labels: list[str], row: list[float], own: int, top: int | None, title: str) -> go.Figure:
    """One word's attention row, in sentence order: its own place grey, the top other word orange."""
    colours = [figures.PALETTE[7] if j == own else figures.PALETTE[1] if j == top else figures.PALETTE[0]
               for j in range(len(labels))]
    fig = go.Figure(go.Bar(
        x=row, y=labels, orientation="h", marker_color=colours,
        text=[f"{v:.3f}" for v in row], textposition="auto",
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, title=dict(text=title, font=dict(size=14)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text="attention weight", standoff=6), automargin=True,
                                 range=[0, round(max(row) * 1.1, 3) if max(row) > 0 else 1]))
    return fig


def row_html(spec_sentence: str, result: dict, i: int, causal: bool, anchor: str,
             caption: str | None = None) -> str:
    """A figure of row ``i`` with its table: what one word attends to."""
    tokens, w = result["tokens"], result["weights"]
    labels = token_labels(tokens)
    top = result["top_other"][i]
    shown = [j for j in range(len(tokens)) if not causal or j <= i]
    row = [w[i][j] for j in shown]
    rows = [[labels[j], fmt(w[i][j]),
             "itself" if j == i else ("most weight of the other words" if j == top else "")] for j in shown]
    tbl = table(["Word", "Weight", ""], rows, numeric_cols=(1,))
    alt = (f"Bar chart of the attention weights of “{labels[i]}” over the sentence: "
           + ", ".join(f"{labels[j]} {w[i][j]:.2f}" for j in shown) + ".")
    default = (f"What “{labels[i]}” attends to: its weights sum to 1. Grey is the word itself; orange, "
               "the other word with the most weight.")
    fig = row_bars([labels[j] for j in shown], row, shown.index(i), shown.index(top) if top is not None else None,
                   title=f"Attention weights of “{labels[i]}”")
    return figure(fig, alt=alt, caption=caption or default, data_table=tbl,
                  height=80 + 30 * len(shown), anchor=anchor)


# --- claims ---------------------------------------------------------------------------------

CLAIM = re.compile(r"^\s*(every word|[a-z]+)\s*->\s*(itself|themselves|[a-z]+)(\s*>\s*itself)?\s*$")
CLAIM_HELP = ("write it as 'river -> water' (of the other words, river attends most to water), "
              "'landed -> plane > itself' (and gives plane more weight than itself), 'river -> itself' "
              "or 'every word -> itself'")


def parse_claim(text: str, tokens: list[str], causal: bool) -> tuple[str, str, bool]:
    """``river -> water`` (of the other words, river gives water the most weight), ``landed -> plane >
    itself`` (and more than to itself), ``river -> itself``, ``every word -> itself``. Words must be
    tokens of the sentence; the left one must occur once. Returns (left, right, beats_itself)."""
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
    left, right, beats = m.group(1), m.group(2), bool(m.group(3))
    if beats and right in ("itself", "themselves"):
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
    if left == "every word":
        if right not in ("itself", "themselves"):
            raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
        return left, "itself", False
    for w in (left, right):
        if w not in ("itself", "themselves") and w not in tokens:
            raise LexiconError(f"the claim '{text}' names '{w}', which is not a token of the sentence",
                               fix="use one of the sentence's tokens: " + ", ".join(dict.fromkeys(tokens)))
    if tokens.count(left) > 1:
        raise LexiconError(f"the claim '{text}' names '{left}', which occurs {tokens.count(left)} times",
                           fix="make claims about words that occur once in the sentence")
    if causal and right not in ("itself", "themselves") and tokens.index(left) == 0:
        raise LexiconError(f"the claim '{text}' is about the first word, which sees no other word (causal: true)",
                           fix="make the claim about a later word")
    return left, "itself" if right == "themselves" else right, beats


def check_claim(text: str, result: dict, causal: bool) -> Claim:
    tokens, w = result["tokens"], result["weights"]
    left, right, beats = parse_claim(text, tokens, causal)
    labels = token_labels(tokens)

    def biggest(i):
        j = result["top_other"][i]
        return f"{labels[j]} ({w[i][j]:.4f})" if j is not None else "no other word"

    if left == "every word":
        bad = [labels[i] for i, ok in enumerate(result["self_is_top"]) if not ok]
        return Claim(statement="every word gives its largest weight to itself", ok=not bad,
                     actual=("words whose largest weight is on another word: " + ", ".join(bad)) if bad
                     else "every word's largest weight is on itself")
    i = tokens.index(left)
    if right == "itself":
        return Claim(statement=f"'{left}' gives its largest weight to itself", ok=result["self_is_top"][i],
                     actual=f"'{left}' gives {w[i][i]:.4f} to itself; of the other words, the most to {biggest(i)}")
    j = result["top_other"][i]
    ok = j is not None and tokens[j] == right
    if not beats:
        return Claim(statement=f"of the other words, '{left}' attends most to '{right}'", ok=ok,
                     actual=f"of the other words, '{left}' attends most to {biggest(i)}")
    return Claim(statement=f"'{left}' attends most to '{right}', more than to itself",
                 ok=ok and not result["self_is_top"][i],
                 actual=f"of the other words, '{left}' attends most to {biggest(i)}; it gives {w[i][i]:.4f} to itself")


# --- the block ------------------------------------------------------------------------------

@register
class Attention(UsesAttention):
    kind = "attention"
    summary = ("Scaled dot-product self-attention over a sentence's word vectors (no learned weights): "
               "a heatmap of the weights, and one word's row as bars.")
    schema = obj({
        "sentence": {"type": "string", "minLength": 1},
        "focus": {"type": "string", "minLength": 1},
        "scale": {"type": "boolean"},
        "causal": {"type": "boolean"},
        "expect": str_list(),
        "caption": CAPTION,
        "figure": {"type": "boolean"},
    }, required=["sentence"])
    display_options = ("caption", "figure", "expect", "focus")
    example = "sentence: The king and queen ruled the kingdom\nfocus: king\nexpect: ['king -> queen']"

    def parse(self, data):
        tokens = sentence_tokens(data["sentence"], minimum=2)
        causal = data.get("causal", False)
        for text in data.get("expect", []):
            parse_claim(text, tokens, causal)
        focus = data.get("focus")
        if focus is not None and focus not in tokens:
            raise LexiconError(f"'focus' ({focus}) is not a token of the sentence",
                               fix="name one of: " + ", ".join(dict.fromkeys(tokens)))
        return {"sentence": data["sentence"], "tokens": tokens, "scale": data.get("scale", True),
                "causal": causal, "focus": focus, "expect": data.get("expect", []),
                "caption": data.get("caption"), "figure": data.get("figure", True)}

    def words(self, spec):
        return spec["tokens"]

    def anchor_hint(self, spec):
        return " ".join(spec["tokens"][:4])

    def compute(self, kv, spec):
        return self_attention(kv, spec["tokens"], scale=spec["scale"], causal=spec["causal"])

    def claims(self, spec, result):
        return [check_claim(t, result, spec["causal"]) for t in spec["expect"]]

    def render(self, spec, result, ctx):
        tokens, w = result["tokens"], result["weights"]
        labels = token_labels(tokens)
        n = len(tokens)
        how = (f"softmax(QKᵀ/√{result['dims']})" if spec["scale"] else "softmax(QKᵀ), not scaled") + \
              (", each word seeing only itself and the words before it (causal)" if spec["causal"] else "")
        tops = []
        for i in range(n):
            j = result["top_other"][i]
            tops.append(f"{labels[i]} → {labels[j]} ({w[i][j]:.2f})" if j is not None else f"{labels[i]} → none")
        alt = (f"Heatmap of attention weights, {how}, for the {n} tokens of “{spec['sentence']}”. Row = the word "
               "asking (query), column = the word it attends to (key); each row sums to 1. The diagonal holds "
               f"each word's weight on itself. Of the other words, each word attends most to: {'; '.join(tops)}.")
        tbl = table(["Query ↓ · key →"] + labels, [[labels[i]] + [fmt(v, 3) for v in w[i]] for i in range(n)],
                    cls="ll-table--wide" if n > 6 else "", numeric_cols=tuple(range(1, n + 1)))
        default = (f"Attention weights, {how}. Each row is one word's weights over the sentence and sums to 1; "
                   "darker means more weight.")
        parts = [
            f'<div class="ll-block ll-attention" id="{esc(ctx.anchor)}">',
            f'<p class="ll-query">{" · ".join(esc(t) for t in tokens)}</p>',
            f'<p class="ll-caption">Tokens from gensim’s <code>simple_preprocess</code> '
            f'(lower-cased; one-letter words, digits and punctuation dropped). {esc(NO_WEIGHTS_NOTE)}</p>',
            figure_or_table(spec["figure"],
                            lambda: weights_heatmap(labels, w, "Attention weights"),
                            alt=alt, caption=spec["caption"], default_caption=default, data_table=tbl,
                            height=max(300, 130 + 30 * n), anchor=ctx.anchor + "-figure"),
        ]
        if spec["focus"]:
            parts.append(row_html(spec["sentence"], result, tokens.index(spec["focus"]), spec["causal"],
                                  ctx.anchor + "-row"))
        parts += [claims_html(ctx.claims),
                  code_details(numpy_code(spec["sentence"], scale=spec["scale"], causal=spec["causal"]),
                               "The numpy code behind these numbers"),
                  model_note(ctx.model_id), "</div>"]
        return "".join(parts)
