"""The tokenize kind: text cut into tokens by gensim, each token looked up in the model."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Text
from ...errors import LexiconError
from ...render import esc
from ._tokens import (RANK_NOTE, TOKENIZER, chips_html, code_for, describe, look_up, quoted, run_tokenizer,
                      summary_line, tokens_table)

COUNTS = {"oneOf": [{"type": "integer", "minimum": 0},
                    {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1}]}
EXPECT_SCHEMA = {"type": "object", "additionalProperties": False, "properties": {
    "tokens": COUNTS,
    "out-of-vocabulary": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "includes": opt.word_list(),
    "excludes": opt.word_list(),
}}


class Tokenize(Kind):
    """Text cut into tokens by a gensim tokenizer, each token marked in or out of the model's vocabulary
    with its frequency rank.

    Text cut into tokens, as a row of tokens and a table. Tokens the model has no vector for are
    highlighted and marked ✗; they are never an error, because showing them is the point. The table
    gives each token's **frequency rank**: GloVe stores its words from most to least frequent, so
    the rank is the row index plus one (`the` is 1). The gensim calls are shown below the table.
    """

    example = ('texts: ["Bob posted a selfie on TikTok."]\nexpect:\n  tokens: 5\n'
               "  out-of-vocabulary: [selfie, tiktok]")
    options = opt.Options(
        Kind.options,
        texts=opt.texts("The texts to tokenize (quote a text if it holds `: `).", max=6,
                        type_doc="list of 1–6 texts", required=True),
        tokenizer=TOKENIZER,
        expect=opt.raw("[Claims](#claims): `tokens` (the token count: a number, or one per text), "
                       "`out-of-vocabulary` (exactly the tokens the model lacks), `includes` and `excludes` "
                       "(tokens that are / are not produced).", EXPECT_SCHEMA,
                       "`tokens`, `out-of-vocabulary`, `includes`, `excludes`", default={}, display=True),
        table=opt.flag("Show the token table.", default=True, display=True),
        caption=opt.text("Shown under the token table (Markdown); without the table, on its own.",
                         default_doc="a note on frequency ranks", display=True),
        code=opt.show_code("Show the gensim calls."),
    )

    def prepare(self, spec):
        counts = spec.expect.get("tokens")
        if isinstance(counts, list) and len(counts) != len(spec.texts):
            raise LexiconError(f"'expect.tokens' lists {len(counts)} counts for {len(spec.texts)} texts",
                               fix="give one count per text, or a single number for all texts together")

    def anchor_hint(self, spec):
        return " ".join(spec.texts[0].split()[:4])

    def compute(self, kv, spec):
        return {"tokens": [look_up(kv, run_tokenizer(spec.tokenizer, t)) for t in spec.texts],
                "vocabulary_size": len(kv)}

    def claims(self, spec, result, check):
        """Counts, the exact out-of-vocabulary set, tokens made or not made."""
        expect, per_text = spec.expect, result["tokens"]
        who = describe(spec.tokenizer)
        all_tokens = [t for looked_up in per_text for t, _ in looked_up]
        counts = [len(looked_up) for looked_up in per_text]
        if "tokens" in expect:
            want = expect["tokens"]
            if isinstance(want, list):
                check(f"{who} makes {', '.join(map(str, want))} tokens of the texts", counts == want,
                      f"it makes {', '.join(map(str, counts))}")
            else:
                check(f"{who} makes {want} token{'s' if want != 1 else ''} in all", sum(counts) == want,
                      f"it makes {sum(counts)}: {' · '.join(all_tokens)}")
        if "out-of-vocabulary" in expect:
            want = list(expect["out-of-vocabulary"])
            got = list(dict.fromkeys(t for looked_up in per_text for t, r in looked_up if r is None))
            stated = (f"the tokens not in the model's vocabulary are {quoted(want)}" if want
                      else "every token is in the model's vocabulary")
            check(stated, sorted(want) == sorted(got), f"the tokens not in the vocabulary are: {quoted(got) or 'none'}")
        if "includes" in expect:
            missing = [t for t in expect["includes"] if t not in all_tokens]
            check(f"{who} makes the token{'s' if len(expect['includes']) > 1 else ''} {quoted(expect['includes'])}",
                  not missing, f"not among its tokens: {quoted(missing)}; its tokens: {' · '.join(all_tokens)}")
        if "excludes" in expect:
            present = [t for t in expect["excludes"] if t in all_tokens]
            check(f"{who} makes no token {quoted(expect['excludes'], 'or')}", not present,
                  f"it does make: {quoted(present)}; its tokens: {' · '.join(all_tokens)}")

    @value("How many tokens the tokenizer makes: of all the texts, or of text n (1 = the first).")
    def tokens(self, spec, result, n=None):
        if n is not None and not (str(n).isdigit() and 1 <= int(n) <= len(result["tokens"])):
            raise LexiconError(f"the block has {len(result['tokens'])} texts, not a text {n}",
                               fix="number the texts from 1")
        per_text = result["tokens"] if n is None else [result["tokens"][int(n) - 1]]
        count = sum(len(t) for t in per_text)
        return Value(str(count), count)

    @value("How many different tokens (types) the texts hold.")
    def types(self, spec, result):
        count = len({t for looked_up in result["tokens"] for t, _ in looked_up})
        return Value(str(count), count)

    @value("How many tokens are not in the model's vocabulary (every occurrence counts).")
    def missing(self, spec, result):
        count = sum(1 for looked_up in result["tokens"] for _, r in looked_up if r is None)
        return Value(str(count), count)

    @value("A token's frequency rank, as the table shows it.")
    def rank(self, spec, result, token):
        ranks = {t: r for looked_up in result["tokens"] for t, r in looked_up}
        if ranks.get(token) is None:
            raise LexiconError(f"'{token}' is not one of the block's tokens that the model knows",
                               fix="name a token of the texts that the table gives a rank")
        return Value(f"{ranks[token]:,}", ranks[token])

    def render(self, spec, result, ctx):
        per_text = result["tokens"]
        several = len(spec.texts) > 1
        parts = [Text(f"Tokenizer: {describe(spec.tokenizer)}. "
                      f"Highlighted tokens (\u2717) are not in the model\u2019s vocabulary.")]
        for i, (text, looked_up) in enumerate(zip(spec.texts, per_text)):
            label = f"Text {i + 1}: " if several else "Text: "
            parts.append(Html(f'<p class="ll-tokens__text"><strong>{label}</strong>\u201c{esc(text)}\u201d</p>'
                              + chips_html(looked_up) + f'<p class="ll-caption">{summary_line(looked_up)}</p>'))
        if spec.table:
            parts += [tokens_table(per_text, several), Caption(spec.caption or RANK_NOTE)]
        elif spec.caption:
            parts.append(Caption(spec.caption))
        parts.append(Code(code_for(spec.tokenizer, spec.texts), "The gensim calls behind these tokens"))
        return parts

