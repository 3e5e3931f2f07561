"""The subword kind: a word's character n-grams exactly as fastText forms them, with their buckets."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Details, Html, Raw, Table
from ...errors import LexiconError
from ...render import esc
from ._subword import BUCKETS, MAXN, MINN, NOTE, WORD, bucket_ids, by_length, check, ngrams

EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "properties": {
    "count": {"type": "integer", "minimum": 0},
    "contains": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}}}


class Subword(Kind):
    """A word's character n-grams exactly as fastText forms them (gensim's compute_ngrams_bytes), grouped
    by length, with the hash bucket of each.

    A word's character n-grams exactly as fastText forms them, from gensim's own functions
    (`compute_ngrams_bytes`, and `ft_ngram_hashes` for the bucket of each n-gram): the word is wrapped
    in `<` and `>` and cut into every piece of `minn` to `maxn` characters. Needs no model; any word
    works, also one outside the vocabulary.
    """

    example = "word: where\nexpect: {count: 14, contains: ['<wh', 'her', 're>']}"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        word=WORD,
        minn=MINN,
        maxn=MAXN,
        buckets=opt.integer("The number of hash buckets for the bucket table.", default=BUCKETS, min=1,
                            max=100_000_000),
        expect=opt.raw("[Claims](#claims): `count`, the number of n-grams, and `contains`, n-grams that must be "
                       "among them (either key alone is fine).", EXPECT_SCHEMA,
                       "`{count: 14, contains: ['<wh', 'her']}`", default={}, display=True),
        caption=opt.text("A line above the table (Markdown).",
                         default_doc="“fastText wraps … and cuts it into …”", display=True),
        code=opt.show_code("Show the collapsible gensim calls."),
    )

    def prepare(self, spec):
        check(spec)

    def anchor_hint(self, spec):
        return spec.word

    def compute(self, kv, spec):
        word, minn, maxn = spec.word, spec.minn, spec.maxn
        grams = ngrams(word, minn, maxn)
        return {"ngrams": grams, "buckets": bucket_ids(word, minn, maxn, spec.buckets), "wrapped": f"<{word}>"}

    def claims(self, spec, result, check):
        grams = result["ngrams"]
        what = f"the {spec.minn}–{spec.maxn}-grams of '{spec.word}'"
        if "count" in spec.expect:
            n = spec.expect["count"]
            check(f"fastText forms {n} character n-grams (n = {spec.minn}–{spec.maxn}) for '{spec.word}'",
                  len(grams) == n, f"it forms {len(grams)}: {', '.join(grams)}")
        for g in spec.expect.get("contains", []):
            check(f"'{g}' is one of {what}", g in grams, f"{what}: {', '.join(grams)}")

    @value("How many n-grams fastText forms: all of them, or those of length n.")
    def count(self, spec, result, n=None):
        if n is not None and not str(n).isdigit():
            raise LexiconError(f"'{n}' is not a length", fix="write a whole number, e.g. count(3)")
        k = len(result["ngrams"]) if n is None else sum(1 for g in result["ngrams"] if len(g) == int(n))
        return Value(str(k), k)

    @value("The bucket (row of the n-gram matrix) of one n-gram, as the table shows it.")
    def bucket(self, spec, result, ngram):
        if ngram not in result["ngrams"]:
            raise LexiconError(f"'{ngram}' is not one of the n-grams of '{spec.word}'",
                               fix="name an n-gram listed in the block's table")
        b = result["buckets"][result["ngrams"].index(ngram)]
        return Value(f"{b:,}", b)

    def render(self, spec, result, ctx):
        word, grams, ids = spec.word, result["ngrams"], result["buckets"]
        caption = Caption(spec.caption) if spec.caption else Html(
            f'<p class="ll-caption">fastText wraps “{esc(word)}” as <code>{esc(result["wrapped"])}</code> '
            f'and cuts it into every piece of {spec.minn} to {spec.maxn} characters: {len(grams)} n-grams.</p>')
        hash_rows = [[i + 1, Raw(f"<code>{esc(g)}</code>"), f"{b:,}"] for i, (g, b) in enumerate(zip(grams, ids))]
        code = ("from gensim.models.fasttext import compute_ngrams_bytes, ft_ngram_hashes\n\n"
                f"[g.decode() for g in compute_ngrams_bytes({word!r}, {spec.minn}, {spec.maxn})]\n"
                f"ft_ngram_hashes({word!r}, {spec.minn}, {spec.maxn}, {spec.buckets})"
                "  # the row of each n-gram's vector")
        return [
            caption,
            by_length(grams),
            Details("Where each n-gram\u2019s vector is stored", [
                Html(f'<p>fastText hashes each n-gram into one of {spec.buckets:,} rows (buckets) of a second '
                     f'matrix; different n-grams can share a row.</p>'),
                Table(["#", "n-gram", "Bucket"], hash_rows, numeric=(0, 2))]),
            Code(code, "The gensim calls behind this list"),
        ]
