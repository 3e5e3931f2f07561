"""The bpe kind: byte-pair-encoding merges learned step by step on gensim's Lee corpus.

Hugging Face ``tokenizers`` learns the merges (``BpeTrainer``) from the corpus's words as gensim's
``simple_preprocess`` gives them (:mod:`._corpus`: lower case, letters only), each word first split
into its characters. Every step merges the pair of adjacent tokens that occurs most often, counted
over every occurrence of every word (a pair never spans two words); the trainer breaks a tie by taking
the pair whose tokens entered the vocabulary first (lowest ids). No end-of-word marker is used, the
trainer's default (Sennrich, Haddow and Birch 2016 append one).

The block replays the first ``show`` merges on the corpus's word counts, to give how often each merged
pair occurred at its step and the most frequent other pair, and checks that the pair merged was the
most frequent. At a few checkpoints it encodes every word of the corpus with the first k merges
(``tokenizers.models.BPE``), and it cuts the block's words with all of them.
"""

from __future__ import annotations

import math
import re

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Raw, Table, Text
from ...errors import LexiconError
from ...render import esc, percent, table
from ._bpe import checkpoints, learn, replay, require_spelled, segment
from ._corpus import CORPUS, corpus_frequencies

NOTE = (f"Computed at build time with Hugging Face tokenizers from gensim\u2019s Lee corpus ({CORPUS}); "
        "no embedding model.")
AGAINST, REPLAY = "the learned merges", "a replay of the merges on the corpus"
PAIR = re.compile(r"^\s*([^\s+]+)(?:\s*\+\s*|\s+)([^\s+]+)\s*$")
PAIR_FIX = "write a merge as its two tokens, e.g. 't + h' or 'th e'"
EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
    "first": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "maxItems": 30},
    "pieces": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "integer", "minimum": 1}},
    "whole": opt.word_list(),
    "unseen": opt.word_list(),
}}


def parse_pair(text: str) -> tuple[str, str]:
    m = PAIR.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the merge '{text}'", fix=PAIR_FIX)
    return m.group(1), m.group(2)


def shown(pair) -> str:
    return f"{pair[0]} + {pair[1]}"


def code_html(pieces) -> Raw:
    return Raw(" + ".join(f"<code>{esc(p)}</code>" for p in pieces))


class Bpe(Kind):
    """Byte-pair-encoding (BPE) merges learned step by step on gensim's Lee corpus with Hugging Face
    tokenizers: the first merges with how often each pair occurred, words cut into the learned pieces,
    and how the merges shorten the corpus.

    Every word of the Lee background corpus (300 ABC news stories, as gensim's `simple_preprocess` writes
    them) starts as a row of letters. `tokenizers`' `BpeTrainer` then learns `merges` merges; each joins
    the pair of adjacent tokens that occurs most often in the corpus into one new token (Sennrich, Haddow
    and Birch 2016; no end-of-word marker). A table replays the first `show` merges on the corpus and
    gives each pair's count at its step next to the most frequent other pair; a claim checks that each
    of them took the most frequent pair. A second table cuts `words` with all the merges, and a chart
    gives the tokens per word at a few numbers of merges: frequent words become single tokens first.
    Needs no embedding model.
    """

    example = "merges: 200\nshow: 5\nwords: [government, unbelievable]\nexpect:\n  first: [t + h, i + n]"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        merges=opt.integer("How many merges to learn.", default=1000, min=10, max=5000),
        show=opt.integer("How many of the first merges the step table replays and shows.", default=10, min=1,
                         max=30),
        words=opt.words("Words to cut into pieces with all the merges (in the corpus's lower-case letters).",
                        min=0, max=8, unique=True, vocab=False, type_doc="list of up to 8 words", default=[]),
        expect=opt.raw("[Claims](#claims): `first`, the first merges in order (`[t + h, i + n]`); `pieces`, how "
                       "many pieces a listed word is cut into (`{tokenization: 6}`); `whole`, listed words that "
                       "are one token; `unseen`, listed words the corpus never uses.", EXPECT_SCHEMA,
                       "`first`, `pieces`, `whole`, `unseen`", default={}, display=True),
        caption=opt.caption("“Tokens per word as the merges are learned …”",
                            doc="Caption of the chart (Markdown)."),
        figure=opt.show_figure("Show the chart (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if spec.show > spec.merges:
            raise LexiconError(f"'show' ({spec.show}) asks for more steps than 'merges' ({spec.merges}) learns",
                               fix=f"set 'show' to {spec.merges} or less, or learn more merges")
        expect = spec.expect
        first = [parse_pair(t) for t in expect.get("first", [])]
        if len(first) > spec.merges:
            raise LexiconError(f"'expect.first' names {len(first)} merges, but the block learns {spec.merges}",
                               fix="name at most as many merges as 'merges' learns")
        for w in list(expect.get("pieces", {})) + expect.get("whole", []) + expect.get("unseen", []):
            if w not in spec.words:
                raise LexiconError(f"the claim names '{w}', which is not one of the block's words",
                                   fix=f"add {w} to 'words', or claim only about "
                                       f"{', '.join(spec.words) or 'listed words'}")

    def anchor_hint(self, spec):
        return f"{spec.merges} merges"

    def compute(self, kv, spec):
        freq = corpus_frequencies()
        alphabet, vocab, merges = learn(freq, spec.merges)
        # Checked when computing, like the vocabulary: a cached result comes from the same words and corpus.
        require_spelled(spec.words, alphabet)
        pieces = segment(vocab, merges, spec.words)
        return {
            "corpus": {"tokens": sum(freq.values()), "types": len(freq)},
            "alphabet": "".join(alphabet),
            "merges": [list(m) for m in merges],
            "steps": replay(freq, alphabet, merges, spec.show),
            "checkpoints": checkpoints(freq, alphabet, vocab, merges),
            "words": {w: [pieces[w], freq.get(w, 0)] for w in spec.words},
        }

    # --- claims and values ----------------------------------------------------------------------------
    def claims(self, spec, result, check):
        merges, steps, m = result["merges"], result["steps"], len(result["merges"])
        worse = [f"at step {k}, {shown(rival)} occurs {n2:,} times and {shown(merges[k - 1])} {n:,}"
                 for k, (n, rival, n2) in enumerate(steps, 1) if n2 > n]
        check(f"at each of the first {len(steps)} steps the pair merged is the most frequent pair of adjacent "
              "tokens in the corpus", not worse, "; ".join(worse), against=REPLAY)
        expect = spec.expect
        if "first" in expect:
            want = [parse_pair(t) for t in expect["first"]]
            got = [tuple(p) for p in merges[:len(want)]]
            check(f"the first merge{'s' if len(want) > 1 else ''} learned: {', '.join(map(shown, want))}",
                  got == want, f"they are {', '.join(map(shown, got))}", against=AGAINST)
        for w, n in expect.get("pieces", {}).items():
            pieces = result["words"][w][0]
            check(f"{m:,} merges cut \u201c{w}\u201d into {n} piece{'s' if n != 1 else ''}", len(pieces) == n,
                  f"they cut it into {len(pieces)}: {' + '.join(pieces)}", against=AGAINST)
        for w in expect.get("whole", []):
            pieces = result["words"][w][0]
            check(f"\u201c{w}\u201d is a single token after {m:,} merges", len(pieces) == 1,
                  f"it is cut into {' + '.join(pieces)}", against=AGAINST)
        for w in expect.get("unseen", []):
            n = result["words"][w][1]
            check(f"\u201c{w}\u201d does not occur in the corpus", n == 0, f"it occurs {n:,} times",
                  against="the corpus")

    def _step(self, result, k, within: int | None = None) -> int:
        limit = within or len(result["merges"])
        if not (str(k).strip().isdigit() and 1 <= int(k) <= limit):
            raise LexiconError(f"the block has no step {k}" + (" in its table" if within else ""),
                               fix=f"number the steps from 1 to {limit}" + (" (raise 'show' to quote later "
                                                                             "steps' counts)" if within else ""))
        return int(k)

    def _checkpoint(self, result, k) -> list[int]:
        row = next((r for r in result["checkpoints"] if str(r[0]) == str(k).strip()), None)
        if row is None:
            raise LexiconError(f"the chart has no point at {k} merges",
                               fix="quote one of " + ", ".join(str(r[0]) for r in result["checkpoints"]))
        return row

    def _word(self, result, word) -> list:
        if word not in result["words"]:
            raise LexiconError(f"'{word}' is not one of the block's words", fix="add it to 'words', then quote it")
        return result["words"][word]

    @value("How many merges the block learns.")
    def merges(self, spec, result):
        return Value(f"{len(result['merges']):,}", len(result["merges"]))

    @value("How many characters the corpus's words are spelled with: the tokens before any merge.")
    def alphabet(self, spec, result):
        return Value(str(len(result["alphabet"])), len(result["alphabet"]))

    @value("How many running words (tokens of simple_preprocess) the corpus has.")
    def corpus_words(self, spec, result):
        return Value(f"{result['corpus']['tokens']:,}", result["corpus"]["tokens"])

    @value("The pair merged at step k, as the table writes it (`t + h`).")
    def pair(self, spec, result, k):
        return Value(shown(result["merges"][self._step(result, k) - 1]))

    @value("The new token made at step k (`th`).")
    def token(self, spec, result, k):
        return Value("".join(result["merges"][self._step(result, k) - 1]))

    @value("How often the pair merged at step k occurs in the corpus at that step (k within `show`).")
    def count(self, spec, result, k):
        n = result["steps"][self._step(result, k, len(result["steps"])) - 1][0]
        return Value(f"{n:,}", n)

    @value("A listed word's pieces after all the merges (`un + believ + able`).")
    def pieces(self, spec, result, word):
        pieces = self._word(result, word)[0]
        return Value(" + ".join(pieces), len(pieces))

    @value("How many pieces a listed word is cut into.")
    def n_pieces(self, spec, result, word):
        n = len(self._word(result, word)[0])
        return Value(str(n), n)

    @value("How many times a listed word occurs in the corpus (0 for a word it lacks).")
    def occurrences(self, spec, result, word):
        n = self._word(result, word)[1]
        return Value(f"{n:,}", n)

    @value("Tokens per running word of the corpus after k merges (k a point of the chart; 0: letters only).")
    def per_word(self, spec, result, k):
        x = self._checkpoint(result, k)[2] / result["corpus"]["tokens"]
        return Value(f"{x:.2f}", x)

    @value("Tokens per distinct word of the corpus after k merges (k a point of the chart).")
    def per_type(self, spec, result, k):
        x = self._checkpoint(result, k)[3] / result["corpus"]["types"]
        return Value(f"{x:.2f}", x)

    @value("The share of the corpus's running words that are a single token after k merges (`62.9%`).")
    def whole(self, spec, result, k):
        x = self._checkpoint(result, k)[4] / result["corpus"]["tokens"]
        return Value(percent(x), x)

    # --- rendering -----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        merges, steps, corpus, alphabet = result["merges"], result["steps"], result["corpus"], result["alphabet"]
        m, tokens = len(merges), corpus["tokens"]
        parts = [Html(f"<p>{m:,} merges learned by Hugging Face <code>tokenizers</code> from the "
                      f"<strong>{tokens:,}</strong> words ({corpus['types']:,} different) of gensim\u2019s Lee "
                      f"corpus as <code>simple_preprocess</code> gives them, each word starting as a row of its "
                      f"letters ({len(alphabet)} different: <code>{esc(alphabet)}</code>). Each step joins the "
                      f"pair of adjacent tokens that occurs most often, counted in every occurrence of every "
                      f"word, into one new token. A pair never spans two words, and no end-of-word marker is "
                      f"added (the tokenizers default; Sennrich et al. add one).</p>")]
        rows = [[k, code_html(p), Raw(f"<code>{esc(''.join(p))}</code>"), f"{n:,}",
                 Raw(f"{code_html(rival).html} ({n2:,})")] for k, (p, (n, rival, n2)) in
                enumerate(zip(merges, steps), 1)]
        parts.append(Table(["Step", "Pair merged", "New token", "Occurrences at that step",
                            "Next most frequent pair"], rows, numeric=(0, 3)))
        ties = [k for k, (n, _, n2) in enumerate(steps, 1) if n == n2]
        tied = (f" Tied at step {', '.join(map(str, ties))}: the trainer takes the pair whose tokens entered the "
                "vocabulary first." if ties else "")
        parts.append(Text("Occurrences are counted after the merges before that step." + tied))
        if result["words"]:
            parts.append(Table(["Word", "Occurrences in the corpus", f"Pieces after {m:,} merges", "Pieces"],
                               [[w, f"{n:,}", code_html(p), len(p)] for w, (p, n) in result["words"].items()],
                               numeric=(1, 3)))
        points = result["checkpoints"]
        per_word = [r[2] / tokens for r in points]
        per_type = [r[3] / corpus["types"] for r in points]
        alt = ("Line chart of tokens per word against the number of merges learned, on a log scale: per running "
               "word " + ", ".join(f"{y:.2f} after {r[0]:,}" for r, y in zip(points, per_word))
               + "; per distinct word " + ", ".join(f"{y:.2f} after {r[0]:,}" for r, y in zip(points, per_type))
               + ".")
        faster = per_word[-1] / per_word[0] < per_type[-1] / per_type[0]   # true of this corpus; said only if so
        data = Html(table(["Merges", "Vocabulary", "Tokens in the corpus", "Tokens per running word",
                           "Tokens per distinct word", "Running words that are one token"],
                          [[f"{r[0]:,}", f"{r[1]:,}", f"{r[2]:,}", f"{a:.2f}", f"{b:.2f}", percent(r[4] / tokens)]
                           for r, a, b in zip(points, per_word, per_type)], numeric_cols=(0, 1, 2, 3, 4, 5)))
        parts.append(Figure(lambda: bpe_figure(points, per_word, per_type), alt=alt, caption=spec.caption,
                            table=data, height=380,
                            default_caption="Tokens per word as the merges are learned (log scale)."
                                            + (" Frequent words become single tokens first, so the running text, "
                                               "where they recur, shrinks faster than the list of distinct words."
                                               if faster else "") + " Dotted: letters only, before any merge."))
        parts.append(Code(CODE.format(corpus=CORPUS, merges=m, show=len(steps), words=list(result["words"])),
                          "The Python behind these numbers"))
        return parts


CODE = """\
import json
from collections import Counter
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess
from tokenizers import Tokenizer, models, pre_tokenizers, trainers

counts = Counter(w for line in open(datapath({corpus!r}), encoding="utf-8") for w in simple_preprocess(line))
alphabet = sorted({{c for w in counts for c in w}})
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
trainer = trainers.BpeTrainer(vocab_size=len(alphabet) + {merges}, show_progress=False)
tok.train_from_iterator((" ".join([w] * n) for w, n in sorted(counts.items())), trainer=trainer)
model = json.loads(tok.to_str())["model"]
merges = [tuple(m) for m in model["merges"][:{merges}]]       # in the order they were learned
bpe = models.BPE(vocab=model["vocab"], merges=merges)
pieces = {{w: [t.value for t in bpe.tokenize(w)] for w in {words!r}}}

# Replay the first merges: each pair's count over every word of the corpus, weighted by its count
def merge(s, a, b):   # a and b joined wherever they stand side by side, left to right
    out, i = [], 0
    while i < len(s):
        if s[i:i + 2] == (a, b):
            out.append(a + b)
            i += 2
        else:
            out.append(s[i])
            i += 1
    return tuple(out)

segs = {{w: tuple(w) for w in counts}}
for a, b in merges[:{show}]:
    pairs = Counter()
    for w, s in segs.items():
        for pair in zip(s, s[1:]):
            pairs[pair] += counts[w]
    print(a, "+", b, pairs[a, b], pairs.most_common(2))
    segs = {{w: merge(s, a, b) for w, s in segs.items()}}
"""


def bpe_figure(points: list, per_word: list[float], per_type: list[float]):
    """Tokens per running word and per distinct word against merges (log x); dotted: before any merge."""
    import plotly.graph_objects as go

    xs = [r[0] for r in points[1:]]
    fig = go.Figure()
    for i, (name, ys) in enumerate([("per running word", per_word), ("per distinct word", per_type)]):
        fig.add_trace(go.Scatter(
            x=xs, y=[round(y, 3) for y in ys[1:]], mode="lines+markers", name=f"tokens {name}",
            line=dict(color=figures.PALETTE[i], width=2), marker=dict(size=8, symbol=figures.SYMBOLS[i]),
            hovertemplate=f"%{{x:,}} merges: %{{y:.2f}} tokens {name}<extra></extra>"))
        fig.add_trace(go.Scatter(
            x=[xs[0], xs[-1]], y=[round(ys[0], 3)] * 2, mode="lines", name=f"letters only, {name}",
            line=dict(color=figures.PALETTE[i], width=1.5, dash="dot"), showlegend=False,
            hovertemplate=f"before any merge: {ys[0]:.2f} tokens {name}<extra></extra>"))
        fig.add_annotation(x=math.log10(xs[-1]), y=ys[0], text=f"before any merge: {ys[0]:.2f}", showarrow=False,
                           xanchor="right", yanchor="bottom", font=dict(size=12, color=figures.PALETTE[i]))
    fig.update_layout(**figures.BASE_LAYOUT, showlegend=True, legend=dict(orientation="h", y=-0.2),
                      xaxis=dict(type="log", title=dict(text="merges learned (log scale)", standoff=6),
                                 automargin=True),
                      yaxis=dict(title=dict(text="tokens per word", standoff=6), rangemode="tozero",
                                 automargin=True))
    return fig
