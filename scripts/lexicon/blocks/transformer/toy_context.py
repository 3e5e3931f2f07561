"""The ``toy-context`` kind: a word's static vector against toy contextual vectors."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Details, Figure, Html, Raw, Subhead, Table, Text
from ...errors import LexiconError
from ...render import esc, fmt
from ._attention import attention_output
from ._tokens import sentence_tokens, token_labels

DIGITS = 4
QUANTITY = r"rank\(\s*[a-z]+@(?:static|\d+)\s*\)|[a-z_]+@(?:static|\d+)"
COMPARE = re.compile(rf"^\s*({QUANTITY})\s*([<>])\s*({QUANTITY}|-?\d+(?:\.\d+)?)\s*$")
CLAIM_HELP = ("write 'river@1 > river@static' (cosine of the word's toy vector in sentence 1 with river, "
              "against the static vector's), 'rank(loan@2) < rank(loan@static)' or 'rank(credit@1) < 11' "
              "(place among the nearest words), 'self_weight@1 > 0.5' (the weight the word keeps on itself "
              "in sentence 1) or 'cos_static@1 > 0.9' (cosine of the toy vector with the static one)")


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(_unit(np.asarray(a, dtype=np.float64)) @ _unit(np.asarray(b, dtype=np.float64)))


def vocabulary_view(kv, word: str, v: np.ndarray, probes: list[str], topn: int) -> dict:
    """Where the probes rank among the vocabulary's nearest words to ``v``, and the top ``topn``.

    As gensim's ``most_similar``: unit vectors, float32 dot products, the word itself left out.
    """
    normed = kv.get_normed_vectors()
    sims = normed @ _unit(np.asarray(v, dtype=np.float64)).astype(normed.dtype)
    sims[kv.key_to_index[word]] = -np.inf
    order = np.argsort(-sims, kind="stable")[:topn]
    ranks = [int(np.sum(sims > sims[kv.key_to_index[p]])) + 1 for p in probes]
    return {"ranks": ranks,
            "neighbours": [[kv.index_to_key[k], round(float(sims[k]), DIGITS)] for k in order]}


def toy_context(kv, word: str, sentences: list[list[str]], probes: list[str], topn: int) -> dict:
    static = np.asarray(kv[word], dtype=np.float64)
    looked_up, toys, rows = [], [], []
    for tokens in sentences:
        i = tokens.index(word)
        w, out = attention_output(kv, tokens)
        looked_up.append(np.asarray(kv[tokens[i]], dtype=np.float64))
        toys.append(out[i])
        rows.append(np.round(w[i], DIGITS).tolist())
    n = len(sentences)
    views = [vocabulary_view(kv, word, v, probes, topn) for v in [static] + toys]
    return {
        "word": word,
        "dims": int(static.shape[0]),
        "static_identical": all(np.array_equal(looked_up[0], v) for v in looked_up[1:]),
        "static_cosine": [[round(_cos(looked_up[a], looked_up[b]), DIGITS) for b in range(n)] for a in range(n)],
        "toy_cosine": [[round(_cos(toys[a], toys[b]), DIGITS) for b in range(n)] for a in range(n)],
        "moved": [round(_cos(t, static), DIGITS) for t in toys],
        "rows": rows,
        "self_weights": [row[s.index(word)] for row, s in zip(rows, sentences)],
        "probe_cosine": [[round(_cos(v, kv[p]), DIGITS) for p in probes] for v in [static] + toys],
        "probe_rank": [v["ranks"] for v in views],
        "neighbours": [v["neighbours"] for v in views],
    }


# --- claims ---------------------------------------------------------------------------------

def parse_quantity(text: str, claim: str, n_sentences: int, probes: list[str]) -> dict:
    """One side of a claim: a rank, a cosine or a weight (see CLAIM_HELP), or a plain number."""
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return {"type": "number", "value": float(text)}
    m = re.fullmatch(r"(?:rank\(\s*)?([a-z_]+)@(static|\d+)\s*\)?", text)
    name, where = m.group(1), m.group(2)
    if where != "static" and not 1 <= int(where) <= n_sentences:
        raise LexiconError(f"the claim '{claim}' names sentence {where}; there are {n_sentences}",
                           fix=f"number the sentences from 1 to {n_sentences}, or write 'static'")
    if name in ("self_weight", "cos_static"):
        if where == "static" or text.startswith("rank("):
            raise LexiconError(f"cannot read the claim '{claim}'", fix=CLAIM_HELP)
        return {"type": "weight" if name == "self_weight" else "cosine", "name": name, "where": where}
    if name not in probes:
        raise LexiconError(f"the claim '{claim}' names '{name}', which is not one of the probes",
                           fix="add it under 'probes', or use one of: " + ", ".join(probes))
    return {"type": "rank" if text.startswith("rank(") else "cosine", "name": "probe", "probe": name,
            "where": where}


def parse_claim(text: str, n_sentences: int, probes: list[str]) -> tuple[dict, str, dict]:
    m = COMPARE.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
    left = parse_quantity(m.group(1), text, n_sentences, probes)
    right = parse_quantity(m.group(3), text, n_sentences, probes)
    if right["type"] not in (left["type"], "number"):
        raise LexiconError(f"the claim '{text}' compares a {left['type']} with a {right['type']}",
                           fix="compare like with like: a cosine with a cosine, a rank with a rank, or either "
                               "with a number")
    return left, m.group(2), right


def _quantity(q: dict, result: dict, probes: list[str]):
    if q["type"] == "number":
        return q["value"]
    v = 0 if q["where"] == "static" else int(q["where"])
    if q["name"] == "self_weight":
        return result["self_weights"][v - 1]
    if q["name"] == "cos_static":
        return result["moved"][v - 1]
    return (result["probe_rank"] if q["type"] == "rank" else result["probe_cosine"])[v][probes.index(q["probe"])]


def _describe(q: dict, word: str) -> str:
    if q["type"] == "number":
        return f"{q['value']:g}"
    vec = f"static '{word}'" if q["where"] == "static" else f"'{word}' in sentence {q['where']}"
    if q["name"] == "self_weight":
        return f"the weight '{word}' keeps on itself in sentence {q['where']}"
    if q["name"] == "cos_static":
        return f"similarity(toy '{word}' in sentence {q['where']}, static '{word}')"
    if q["type"] == "rank":
        return f"the rank of '{q['probe']}' among the words nearest to {vec}"
    return f"similarity({vec}, {q['probe']})"


def _vector(spec, where: str) -> int:
    """0 for ``static``, k for sentence k (a value's argument)."""
    if where == "static":
        return 0
    if not where.isdigit() or not 1 <= int(where) <= len(spec.tokens):
        raise LexiconError(f"'{where}' names no sentence",
                           fix=f"write 'static' or a sentence from 1 to {len(spec.tokens)}")
    return int(where)


def _probe(spec, probe: str) -> int:
    if probe not in spec.probes:
        raise LexiconError(f"'{probe}' is not one of the probes", fix="use one of: " + ", ".join(spec.probes))
    return spec.probes.index(probe)


class ToyContext(Kind):
    """One word in several sentences: the static vector (identical everywhere) against a toy contextual
    vector from one step of parameter-free self-attention.

    A static model gives the word the same vector in each sentence (cosine exactly 1). A toy
    contextual vector is then the word's output of one step of the [attention](#attention) block
    in each sentence: a weighted average of the sentence's vectors. It is labelled a toy on the
    page: no learned weights, one layer. The block shows the cosine to each probe word with its
    rank among the nearest words (the word itself left out), the nearest words to each vector,
    and the weight the word keeps on itself.
    """

    example = ("word: bank\nsentences: [She sat on the river bank and watched the water, "
               "The bank approved the loan and the money arrived]\nprobes: [river, loan]\n"
               "expect: [river@1 > river@static]")
    options = opt.Options(
        Kind.options,
        word=opt.word("The word; it must occur exactly once in each sentence.", required=True),
        sentences=opt.raw("The sentences, numbered 1, 2, … in claims; split with gensim's `simple_preprocess`.",
                          {**opt.word_list(2, 4), "uniqueItems": True}, "list of 2–4 texts", required=True,
                          convert=list),
        probes=opt.words("Words to measure each vector against, e.g. one per sense.", min=2, max=8, unique=True,
                         required=True),
        topn=opt.integer("How many nearest words to list for each vector.", default=8, min=1, max=20),
        expect=opt.claims("`river@1 > river@static` (cosine with *river* of the toy vector in sentence 1, against "
                          "the static vector's), `rank(loan@2) < rank(loan@static)`, `rank(credit@1) < 11`, "
                          "`self_weight@1 > 0.5`, `cos_static@1 > 0.9`."),
        caption=opt.caption("“How close “…” is to each probe word: the static vector and the toy vector in "
                            "each sentence.”"),
    )

    def prepare(self, spec):
        word = spec.word
        spec.tokens = [sentence_tokens(s, minimum=2, what=f"sentence {k + 1}") for k, s in enumerate(spec.sentences)]
        for k, toks in enumerate(spec.tokens):
            if toks.count(word) != 1:
                raise LexiconError(f"sentence {k + 1} holds '{word}' {toks.count(word)} times; it must hold it once",
                                   fix=f"write each sentence with '{word}' exactly once (tokens: {', '.join(toks)})")
        if word in spec.probes:
            raise LexiconError(f"'{word}' is itself among the probes",
                               fix="probe with other words, e.g. one for each sense")
        for text in spec.expect:
            parse_claim(text, len(spec.tokens), spec.probes)

    def words(self, spec):
        return [spec.word] + [t for toks in spec.tokens for t in toks] + spec.probes

    def anchor_hint(self, spec):
        return spec.word + " in context"

    def compute(self, kv, spec):
        return toy_context(kv, spec.word, spec.tokens, spec.probes, spec.topn)

    def claims(self, spec, result, check):
        for text in spec.expect:
            left, op, right = parse_claim(text, len(spec.tokens), spec.probes)
            a, b = (_quantity(q, result, spec.probes) for q in (left, right))
            shown = [f"#{v:,}" if q["type"] == "rank" else f"{v:.4f}" for q, v in ((left, a), (right, b))]
            names = [_describe(q, spec.word) for q in (left, right)]
            actual = f"{names[0]} = {shown[0]}" + ("" if right["type"] == "number" else f", {names[1]} = {shown[1]}")
            check(f"{names[0]} {op} {names[1]}", a > b if op == ">" else a < b, actual)

    @value("The cosine of `probe` with the static vector (`where`: `static`) or with the toy vector in sentence "
           "`where` (1, 2, …), as the table shows it.")
    def cosine(self, spec, result, probe, where):
        c = result["probe_cosine"][_vector(spec, where)][_probe(spec, probe)]
        return Value(fmt(c), c)

    @value("The place of `probe` among the words nearest to the static vector (`where`: `static`) or to the toy "
           "vector in sentence `where`, as the table shows it after the #.")
    def rank(self, spec, result, probe, where):
        r = result["probe_rank"][_vector(spec, where)][_probe(spec, probe)]
        return Value(f"{r:,}", r)

    @value("The weight the word keeps on itself in `sentence` (1, 2, …), as the table shows it.")
    def self_weight(self, spec, result, sentence):
        w = result["self_weights"][_vector(spec, sentence) - 1]
        return Value(fmt(w), w)

    @value("The cosine of the toy vector in `sentence` with the static vector, as the table shows it.")
    def cos_static(self, spec, result, sentence):
        c = result["moved"][_vector(spec, sentence) - 1]
        return Value(fmt(c), c)

    @value("The cosine between the toy vectors of sentences `a` and `b`, as the block writes it.")
    def toy_cosine(self, spec, result, a, b):
        c = result["toy_cosine"][_vector(spec, a) - 1][_vector(spec, b) - 1]
        return Value(fmt(c), c)

    def render(self, spec, result, ctx):
        word, probes = spec.word, spec.probes
        n = len(spec.sentences)
        names = ["static"] + [f"S{k + 1}" for k in range(n)]
        sent_rows = []
        for k, toks in enumerate(spec.tokens):
            shown = " ".join(f"<strong>{esc(t)}</strong>" if t == word else esc(t) for t in toks)
            sent_rows.append([f"S{k + 1}", spec.sentences[k], Raw(shown)])
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
        static_cos = ", ".join(f"S{a + 1}–S{b + 1} {fmt(result['static_cosine'][a][b])}" for a, b in pairs)
        toy_cos = ", ".join(f"S{a + 1}–S{b + 1} {fmt(result['toy_cosine'][a][b])}" for a, b in pairs)
        same = ("identical: the same " f"{result['dims']} numbers" if result["static_identical"]
                else "not identical")
        row_rows = []
        for k, toks in enumerate(spec.tokens):
            i, row = toks.index(word), result["rows"][k]
            labels = token_labels(toks)
            others = sorted((j for j in range(len(toks)) if j != i), key=lambda j: (-row[j], j))[:3]
            row_rows.append([f"S{k + 1}", fmt(row[i]), ", ".join(f"{labels[j]} {row[j]:.3f}" for j in others),
                             fmt(result["moved"][k])])
        cos, rank = result["probe_cosine"], result["probe_rank"]
        probe_rows = [[p] + [Raw(f"{fmt(cos[v][q])} <small>(#{rank[v][q]:,})</small>") for v in range(n + 1)]
                      for q, p in enumerate(probes)]
        nb = result["neighbours"]
        nb_rows = [[str(r + 1)] + [f"{nb[v][r][0]} {nb[v][r][1]:.3f}" for v in range(n + 1)]
                   for r in range(spec.topn)]
        alt = (f"Grouped bar chart: cosine similarity of “{word}” to each probe word, for the static vector and "
               "for the toy contextual vector in each sentence. " +
               " ".join(f"{p}: " + ", ".join(f"{names[v]} {cos[v][q]:.2f}" for v in range(n + 1)) + "."
                        for q, p in enumerate(probes)))
        return [
            Table(["", "Sentence", "Tokens (simple_preprocess)"], sent_rows),
            Subhead(f"Static vectors: one vector for “{word}”, whatever the sentence"),
            Html(f"<p>The vectors of “{esc(word)}” looked up in the {n} sentences are {esc(same)}. "
                 f"Cosine similarity: {esc(static_cos)}.</p>"),
            Subhead("A toy contextual vector: one step of attention, no learned weights"),
            Text("Each sentence goes through one step of self-attention as on the Attention page "
                 f"(Q = K = V = the GloVe vectors); the toy vector of “{word}” is its output, a weighted average "
                 "of the sentence’s vectors. A toy: trained contextual models learn their weights and stack many "
                 "layers."),
            Table(["", f"Weight “{word}” keeps on itself", "Other words with most weight",
                   "Cosine with the static vector"], row_rows, numeric=(1, 3)),
            Html(f"<p>The toy vectors of “{esc(word)}” now differ from sentence to sentence. "
                 f"Cosine similarity: {esc(toy_cos)}.</p>"),
            Figure(lambda: probe_figure(probes, names, cos), alt=alt, caption=spec.caption,
                   default_caption=f"How close “{word}” is to each probe word: the static vector and "
                                   "the toy vector in each sentence.",
                   table=Table(["Probe"] + names, probe_rows, numeric=tuple(range(1, n + 2))),
                   height=110 + 26 * len(probes) * (n + 1) // 2 + 20 * len(probes), anchor="probes"),
            Text("In the table, (#k) is the probe’s place in the list of the vocabulary’s words "
                 f"nearest to that vector (“{word}” itself left out)."),
            Details("Nearest words to each vector", [Table(["#"] + names, nb_rows, cls="ll-table--wide")]),
            Code(numpy_code(spec), "The numpy code behind these numbers"),
        ]


def probe_figure(probes, names, cosines) -> go.Figure:
    colours = [figures.PALETTE[7]] + figures.PALETTE[:len(names) - 1]
    fig = go.Figure([go.Bar(x=cosines[v], y=probes, orientation="h", name=names[v], marker_color=colours[v],
                            hovertemplate="%{y}: %{x:.4f}<extra>" + names[v] + "</extra>")
                     for v in range(len(names))])
    fig.update_layout(**figures.BASE_LAYOUT, barmode="group", legend=dict(orientation="h", y=-0.12),
                      yaxis=dict(autorange="reversed", automargin=True),
                      xaxis=dict(title=dict(text="cosine similarity", standoff=6), automargin=True))
    return fig


def numpy_code(spec) -> str:
    word = spec.word
    return ("import numpy as np\nfrom gensim.utils import simple_preprocess\n\n"
            f"word = {word!r}\n"
            f"for sentence in {spec.sentences!r}:\n"
            "    tokens = simple_preprocess(sentence)\n"
            "    X = np.stack([kv[t] for t in tokens]).astype(np.float64)  # Q = K = V = X\n"
            "    scores = X @ X.T / np.sqrt(X.shape[1])\n"
            "    weights = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
            "    weights /= weights.sum(axis=1, keepdims=True)\n"
            "    toy = (weights @ X)[tokens.index(word)]  # the word's toy contextual vector\n"
            f"    print(sentence, [(p, kv.cosine_similarities(toy, [kv[p]])[0]) for p in {spec.probes!r}])\n"
            "    print(kv.similar_by_vector(toy, topn=10))\n")
