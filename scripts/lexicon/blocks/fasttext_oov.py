"""``fasttext-oov``: a tiny fastText model gives vectors to words it never saw.

At build time the block trains a small gensim ``FastText`` model on the Lee news
corpus that gensim ships (300 stories, about 58,000 words), with one worker
thread and a fixed seed so every build trains the same model (a few seconds;
the result is cached like every other block). It then asks that model for the
neighbours of words that do not occur in the corpus at all: their vectors are
built only from character n-grams. This tiny model is *not* the site's GloVe
model: the block only uses GloVe to say whether GloVe knows each word.
"""

from __future__ import annotations

import functools

from ..claims import Claim, check_rank
from ..errors import LexiconError
from ..render import Raw, author_markdown, claims_html, code_details, esc, fmt, model_note, table
from .base import CAPTION, Block, obj, register, str_list
from .cooccurrence import CORPUS, corpus_frequencies, corpus_sha256, corpus_stories

SCORE_DIGITS = 4
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
                   "rank": {"type": "integer", "minimum": 1},
                   "within": {"type": "integer", "minimum": 1},
                   "absent": {"const": True}},
}


@functools.lru_cache(maxsize=1)
def tiny_fasttext():
    """The block's fastText model, trained once per process."""
    from gensim.models import FastText

    return FastText(sentences=[list(s) for s in corpus_stories()], **PARAMS)


def params_text() -> str:
    return ", ".join(f"{k}={v!r}" for k, v in PARAMS.items())


@register
class FastTextOOV(Block):
    kind = "fasttext-oov"
    summary = ("Trains a tiny fastText model on gensim's Lee news corpus at build time and lists the "
               "neighbours of words that never occur in that corpus, built from their character n-grams.")
    schema = obj({
        "words": {**str_list(1, 6), "uniqueItems": True},
        "topn": {"type": "integer", "minimum": 1, "maximum": 10},
        "expect": {"type": "array", "minItems": 1, "items": EXPECT_ITEM},
        "caption": CAPTION,
        "code": {"type": "boolean"},
    }, required=["words"])
    example = "words: [governmental, cricketer]\ntopn: 5\nexpect:\n  - {word: cricketer, neighbour: cricket, within: 3}"

    def parse(self, data):
        words, topn = data["words"], data.get("topn", 5)
        freq = corpus_frequencies()
        for w in words:
            if w != w.lower() or any(ch.isspace() for ch in w):
                raise LexiconError(f"'{w}' is not one lower-case word",
                                   fix="write a single lower-case word (the corpus is lower-cased)")
            if freq.get(w):
                err = LexiconError(f"'{w}' occurs {freq[w]} times in the corpus, so it is not an unseen word",
                                   fix="choose a word the corpus never uses; the block shows how fastText "
                                       "handles words it has never seen")
                err.word = w
                raise err
        expect = []
        for item in data.get("expect", []):
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
                expect.append({"of": item["word"], "in_glove": item["in_glove"]})
                continue
            if sum(k in item for k in ("rank", "within", "absent")) > 1:
                raise LexiconError("a claim takes one of 'rank', 'within' or 'absent'",
                                   fix="keep one: rank: 2 (exactly second), within: 3 (in the top 3) or "
                                       "absent: true (not in the list)")
            if item.get("rank", item.get("within", 1)) > topn:
                raise LexiconError("a claim looks further down the list than 'topn' computes",
                                   fix="raise 'topn' or lower 'rank'/'within'")
            claim = {"word": item["neighbour"], "of": item["word"]}
            if "absent" in item:
                claim["absent"] = True
            elif "within" in item:
                claim["within"] = item["within"]
            else:
                claim["rank"] = item.get("rank", 1)
            expect.append(claim)
        return {"words": words, "topn": topn, "expect": expect, "caption": data.get("caption"),
                "code": data.get("code", True)}

    def result_inputs(self, spec):
        # The tiny model depends on the corpus, on how cooccurrence.py reads it, and on gensim itself.
        import gensim

        from ..cache import code_version

        return {**super().result_inputs(spec), "corpus": corpus_sha256(), "gensim": gensim.__version__,
                "reader": code_version("lexicon.blocks.cooccurrence")}

    def anchor_hint(self, spec):
        return " ".join(spec["words"][:3])

    def compute(self, kv, spec):
        from gensim.models.fasttext import compute_ngrams_bytes

        ft = tiny_fasttext()
        rows = []
        for w in spec["words"]:
            rows.append({
                "word": w,
                "in_model": kv is not None and w in kv.key_to_index,
                "ngrams": len(compute_ngrams_bytes(w, PARAMS["min_n"], PARAMS["max_n"])),
                "neighbours": [[n, round(float(s), SCORE_DIGITS)]
                               for n, s in ft.wv.most_similar(w, topn=spec["topn"])],
            })
        return {"rows": rows, "vocab": len(ft.wv), "stories": len(corpus_stories()),
                "tokens": sum(corpus_frequencies().values())}

    def claims(self, spec, result):
        by_word = {r["word"]: r for r in result["rows"]}
        phrases = ("the nearest word to {s} is '{w}'", "'{w}' is the #{r} nearest word to {s}",
                   "'{w}' is within the {k} nearest words to {s}")
        out = []
        for item in spec["expect"]:
            if "in_glove" in item:
                known = by_word[item["of"]]["in_model"]
                out.append(Claim(
                    statement=f"'{item['of']}' is {'' if item['in_glove'] else 'not '}in the vocabulary of the "
                              "site's embedding model",
                    ok=known == item["in_glove"],
                    actual=f"'{item['of']}' is {'' if known else 'not '}in it"))
                continue
            answers = by_word[item["of"]]["neighbours"]
            subject = f"the unseen word '{item['of']}' in the tiny fastText model"
            if item.get("absent"):
                words = [w for w, _ in answers]
                out.append(Claim(
                    statement=f"'{item['word']}' is not among the {len(words)} nearest words to {subject}",
                    ok=item["word"] not in words,
                    actual=", ".join(f"{w} ({s:.4f})" for w, s in answers)))
            else:
                out.append(check_rank(item, answers, subject, phrases))
        return out

    def render(self, spec, result, ctx):
        rows = []
        for r in result["rows"]:
            nb = ", ".join(f"{esc(n)} <small>{esc(fmt(s, 2))}</small>"
                           for n, s in r["neighbours"])
            rows.append([r["word"], r["ngrams"], "yes" if r["in_model"] else "no", Raw(nb)])
        tbl = table(["Unseen word", "n-grams", "In GloVe?", "Nearest words in the tiny fastText model"], rows,
                    numeric_cols=(1,))
        caption = spec["caption"] or (
            f"None of these words occurs in the {result['stories']} training stories, yet the tiny fastText "
            f"model gives each a vector, built from its character n-grams, and lists its nearest words "
            f"among the {result['vocab']:,} words it learned.")
        code = (TRAIN_CODE.format(corpus=CORPUS, params=params_text()) + "\n" +
                "\n".join(f"ft.wv.most_similar({w!r}, topn={spec['topn']})" for w in spec["words"]))
        return "".join([
            f'<div class="ll-block ll-fasttext-oov" id="{esc(ctx.anchor)}">',
            f'<p class="ll-caption">{author_markdown(caption, inline=True)}</p>',
            tbl, claims_html(ctx.claims),
            code_details(code, "The Python that trains the tiny model and asks it") if spec["code"] else "",
            f'<p class="ll-model">Computed at build time from a fastText model trained on gensim\u2019s '
            f'<code>{esc(CORPUS)}</code> ({result["tokens"]:,} words); the “In GloVe?” column is from:</p>',
            model_note(ctx.model_id), "</div>",
        ])
