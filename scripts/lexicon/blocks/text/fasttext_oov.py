"""The fasttext-oov kind: a tiny fastText model gives vectors to words it never saw.

At build time the block trains a small gensim ``FastText`` model on the Lee news corpus that
gensim ships (300 stories, about 58,000 words), with one worker thread and a fixed seed so
every build trains the same model (the result is cached like every other block). It then asks
that model for the neighbours of words that do not occur in the corpus at all: their vectors
are built only from character n-grams. This tiny model is *not* the site's GloVe model: the
block only uses GloVe to say whether GloVe knows each word.
"""

from __future__ import annotations

import functools

from ...engine import Kind, Value, opt, value
from ...engine.checks import LISTED_SCHEMA, parse_listed
from ...engine.pieces import Caption, Code, Html, Raw, Table
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt
from ._corpus import CORPUS, corpus_frequencies, corpus_stories

# Small and deterministic: one worker, fixed seed; 100,000 buckets instead of fastText's 2,000,000
# keep the n-gram matrix at 12.8 MB instead of 256 MB.
PARAMS = dict(vector_size=32, window=5, min_count=3, sg=1, epochs=20, bucket=100_000, min_n=3, max_n=6,
              workers=1, seed=42)
TRAIN_CODE = """\
from gensim.models import FastText
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

stories = [simple_preprocess(line) for line in open(datapath({corpus!r}), encoding="utf-8")]
ft = FastText(sentences=stories, {params})
"""

EXPECT_ITEM = {
    "type": "object", "additionalProperties": False, "required": ["word"],
    "properties": {"word": {"type": "string", "minLength": 1},
                   "neighbour": {"type": "string", "minLength": 1},
                   "in_glove": {"type": "boolean"},
                   **LISTED_SCHEMA},
}


@functools.lru_cache(maxsize=1)
def tiny_fasttext():
    """The block's fastText model, trained once per process."""
    from gensim.models import FastText

    return FastText(sentences=[list(s) for s in corpus_stories()], **PARAMS)


def params_text() -> str:
    return ", ".join(f"{k}={v!r}" for k, v in PARAMS.items())


class FastTextOOV(Kind):
    """Trains a tiny fastText model on gensim's Lee news corpus at build time and lists the neighbours of
    words that never occur in that corpus, built from their character n-grams.

    Trains a tiny gensim `FastText` model at build time on the same news corpus as
    [cooccurrence](#cooccurrence) (vector_size 32, skip-gram, 20 epochs, 100,000 buckets, one worker,
    seed 42: deterministic; trained when the block is first computed, then cached). It lists the nearest words of words
    that **never occur** in that corpus; their vectors are built only from their character n-grams. A
    column says whether the site's embedding model knows each word. A word that does occur in the
    corpus is an error.
    """

    example = ("words: [cricketer, terorists, rainfall]\nexpect:\n"
               "  - {word: cricketer, neighbour: cricket, rank: 1}\n  - {word: terorists, in_glove: false}\n"
               "  - {word: rainfall, neighbour: rain, absent: true}")
    options = opt.Options(
        Kind.options,
        words=opt.words("Words the corpus never uses (misspellings are fine).", max=6, unique=True, vocab=False,
                        type_doc="1–6 different lower-case words", required=True),
        topn=opt.integer("How many neighbours per word.", default=5, min=1, max=10),
        expect=opt.raw("[Claims](#claims): `{word: cricketer, neighbour: cricket, rank: 1}` (or `within: 3`, or "
                       "`absent: true`), or `{word: terorists, in_glove: false}` (whether the site's model knows "
                       "the word).", {"type": "array", "minItems": 1, "items": EXPECT_ITEM},
                       "list of [claims](#claims)", default=[], display=True, convert=list),
        caption=opt.text("A line above the table (Markdown).",
                         default_doc="“None of these words occurs in the … training stories …”", display=True),
        code=opt.show_code("Show the Python that trains the model."),
    )

    def prepare(self, spec):
        words, topn = spec.words, spec.topn
        for w in words:
            if w != w.lower() or any(ch.isspace() for ch in w):
                raise LexiconError(f"'{w}' is not one lower-case word",
                                   fix="write a single lower-case word (the corpus is lower-cased)")
        spec.claimed = [_claim(item, words, topn) for item in spec.expect]

    @staticmethod
    def _require_unseen(words) -> None:
        """Checked when computing, like the vocabulary: a cached result was computed from the same
        words and corpus, so a warm build need not read the corpus again."""
        freq = corpus_frequencies()
        for w in words:
            if freq.get(w):
                err = LexiconError(f"'{w}' occurs {freq[w]} times in the corpus, so it is not an unseen word",
                                   fix="choose a word the corpus never uses; the block shows how fastText "
                                       "handles words it has never seen")
                err.word = w
                raise err

    def anchor_hint(self, spec):
        return " ".join(spec.words[:3])

    def compute(self, kv, spec):
        from gensim.models.fasttext import compute_ngrams_bytes

        self._require_unseen(spec.words)
        ft = tiny_fasttext()
        rows = []
        for w in spec.words:
            rows.append({
                "word": w,
                "in_model": kv is not None and w in kv.key_to_index,
                "ngrams": len(compute_ngrams_bytes(w, PARAMS["min_n"], PARAMS["max_n"])),
                "neighbours": [[n, round(float(s), SCORE_DIGITS)]
                               for n, s in ft.wv.most_similar(w, topn=spec.topn)],
            })
        return {"rows": rows, "vocab": len(ft.wv), "stories": len(corpus_stories()),
                "tokens": sum(corpus_frequencies().values())}

    def claims(self, spec, result, check):
        by_word = {r["word"]: r for r in result["rows"]}
        for item in spec.claimed:
            if "in_glove" in item:
                known = by_word[item["of"]]["in_model"]
                check(f"'{item['of']}' is {'' if item['in_glove'] else 'not '}in the vocabulary of the "
                      "site's embedding model", known == item["in_glove"],
                      f"'{item['of']}' is {'' if known else 'not '}in it")
                continue
            answers = by_word[item["of"]]["neighbours"]
            check.listed(item, answers, f"the unseen word '{item['of']}' in the tiny fastText model")

    @value("How many stories the tiny model was trained on.")
    def stories(self, spec, result):
        return Value(str(result["stories"]), result["stories"])

    @value("How many words (tokens) the training stories hold.")
    def tokens(self, spec, result):
        return Value(f"{result['tokens']:,}", result["tokens"])

    @value("How many words the tiny model learned (its vocabulary).")
    def vocab(self, spec, result):
        return Value(f"{result['vocab']:,}", result["vocab"])

    @value("How many character n-grams an unseen word's vector is built from.")
    def ngrams(self, spec, result, word):
        n = _row(result, word)["ngrams"]
        return Value(str(n), n)

    @value("An unseen word's neighbour at this rank (1 = the nearest).")
    def neighbour(self, spec, result, word, rank="1"):
        neighbours = _row(result, word)["neighbours"]
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(neighbours):
            raise LexiconError(f"the table lists {len(neighbours)} neighbours of '{word}', not #{rank}",
                               fix="ask for a rank from 1 to 'topn'")
        return Value(neighbours[int(rank) - 1][0])

    @value("The cosine of an unseen word and one of its neighbours, as the table shows it.")
    def score(self, spec, result, word, neighbour):
        scores = dict(map(tuple, _row(result, word)["neighbours"]))
        if neighbour not in scores:
            raise LexiconError(f"'{neighbour}' is not among the neighbours of '{word}'",
                               fix="name a neighbour the block's table lists")
        return Value(fmt(scores[neighbour], 2), scores[neighbour])

    def render(self, spec, result, ctx):
        rows = []
        for r in result["rows"]:
            nb = ", ".join(f"{esc(n)} <small>{esc(fmt(s, 2))}</small>" for n, s in r["neighbours"])
            rows.append([r["word"], r["ngrams"], "yes" if r["in_model"] else "no", Raw(nb)])
        caption = spec.caption or (
            f"None of these words occurs in the {result['stories']} training stories, yet the tiny fastText "
            f"model gives each a vector, built from its character n-grams, and lists its nearest words "
            f"among the {result['vocab']:,} words it learned.")
        code = (TRAIN_CODE.format(corpus=CORPUS, params=params_text()) + "\n" +
                "\n".join(f"ft.wv.most_similar({w!r}, topn={spec.topn})" for w in spec.words))
        return [
            Caption(caption),
            Table(["Unseen word", "n-grams", "In GloVe?", "Nearest words in the tiny fastText model"], rows,
                  numeric=(1,)),
            # The frame's model line names GloVe; this one names the model the neighbours come from.
            Html(f'<p class="ll-model">Computed at build time from a fastText model trained on gensim\u2019s '
                 f'<code>{esc(CORPUS)}</code> ({result["tokens"]:,} words); the \u201cIn GloVe?\u201d column '
                 f'is from the model named at the end of this block.</p>'),
            Code(code, "The Python that trains the tiny model and asks it"),
        ]


def _row(result, word) -> dict:
    for r in result["rows"]:
        if r["word"] == word:
            return r
    raise LexiconError(f"'{word}' is not one of the block's words", fix="name one of the words under 'words'")


def _claim(item: dict, words: list[str], topn: int) -> dict:
    """One ``expect`` item, checked against the block's words and ``topn``, as the claim it makes."""
    if item["word"] not in words:
        raise LexiconError(f"the claim names '{item['word']}', which is not one of the words",
                           fix=f"claim something about one of: {', '.join(words)}")
    if ("neighbour" in item) == ("in_glove" in item):
        raise LexiconError(f"the claim about '{item['word']}' needs either 'neighbour' or 'in_glove'",
                           fix="write {word: cricketer, neighbour: cricket, within: 3} or "
                               "{word: terorists, in_glove: false}")
    if "in_glove" in item:
        if any(k in item for k in ("rank", "within", "absent")):
            raise LexiconError("an 'in_glove' claim takes no 'rank', 'within' or 'absent'",
                               fix="write it as {word: terorists, in_glove: false}")
        return {"of": item["word"], "in_glove": item["in_glove"]}
    return {**parse_listed(item, item["neighbour"], topn), "of": item["word"]}
