"""``tokenize`` and ``tokenize-exercise``: text cut into tokens by gensim, each looked up in the model.

A token outside the model's vocabulary is not an error here: showing which tokens the
model has no vector for is the point of the block, so ``words()`` asks for nothing and
the result marks each token in or out. The model's rows are in order of frequency in its
training text (GloVe keeps its 400,000 most frequent words, most frequent first), so a
token's row index plus one is its frequency rank.
"""

from __future__ import annotations

import gensim
from gensim.utils import simple_preprocess, tokenize

from ..claims import Claim
from ..errors import LexiconError
from ..render import Raw, author_markdown, claims_html, code_details, esc, model_note, table
from .base import CAPTION, Block, obj, register, str_list
from .exercise import choice_exercise

TOKENIZERS = {
    # name: (function, the call shown to readers, a short description)
    "simple_preprocess": (lambda text: simple_preprocess(text),
                          "simple_preprocess({text!r})",
                          "gensim's simple_preprocess"),
    "tokenize": (lambda text: list(tokenize(text, lowercase=True)),
                 "list(tokenize({text!r}, lowercase=True))",
                 "gensim's tokenize (lower-cased)"),
    "split": (lambda text: text.lower().split(),
              "{text!r}.lower().split()",
              "Python's lower().split()"),
}
IMPORTS = {"simple_preprocess": "from gensim.utils import simple_preprocess\n",
           "tokenize": "from gensim.utils import tokenize\n", "split": ""}

TOKENIZER_SCHEMA = {"enum": list(TOKENIZERS)}
EXPECT_SCHEMA = obj({
    "tokens": {"oneOf": [{"type": "integer", "minimum": 0},
                         {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1}]},
    "out-of-vocabulary": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "includes": str_list(),
    "excludes": str_list(),
})
RANK_NOTE = ("Rank 1 is the most frequent word in the model's training text: the model stores its "
             "words from most to least frequent, so a token's rank is its row number plus one.")


def run_tokenizer(name: str, text: str) -> list[str]:
    """The tokens ``name`` makes of ``text`` (a gensim tokenizer or Python's split)."""
    return TOKENIZERS[name][0](text)


def look_up(kv, tokens: list[str]) -> list[list]:
    """``[token, rank or None]`` per token; the rank is the model's row index plus one."""
    index = kv.key_to_index
    return [[t, index[t] + 1 if t in index else None] for t in tokens]


def describe(name: str) -> str:
    return TOKENIZERS[name][2]


def oov_of(looked_up) -> list[str]:
    """Distinct out-of-vocabulary tokens, in order of first appearance."""
    return list(dict.fromkeys(t for t, r in looked_up if r is None))


def chips_html(looked_up) -> str:
    """The tokens in a row; those the model does not know are highlighted (and say so in words)."""
    if not looked_up:
        return '<p class="ll-tokens"><em>(no tokens)</em></p>'
    parts = []
    for t, r in looked_up:
        if r is None:
            # <mark> inside <code>: the code chip's own background would hide an outer <mark>.
            chip = (f'<code title="not in the model\u2019s vocabulary"><mark>{esc(t)}</mark></code>'
                    f'<span aria-hidden="true">\u2009\u2717</span>'
                    f'<span class="ll-sr-only"> (not in the vocabulary)</span>')
        else:
            chip = f"<code>{esc(t)}</code>"
        parts.append(chip)
    return f'<p class="ll-tokens">{" ".join(parts)}</p>'


def summary_line(looked_up) -> str:
    n, oov = len(looked_up), oov_of(looked_up)
    text = f"{n} token{'s' if n != 1 else ''}"
    if oov:
        missing = sum(1 for _, r in looked_up if r is None)
        text += (f"; {missing} not in the vocabulary: "
                 + ", ".join(f"<code>{esc(t)}</code>" for t in oov))
    else:
        text += ", all in the vocabulary"
    return text + "."


def tokens_table(rows_by_text: list[list], numbered_texts: bool) -> str:
    """One row per token; with several texts, a first column says which text it came from."""
    headers = (["Text"] if numbered_texts else []) + ["#", "Token", "In the vocabulary?", "Frequency rank"]
    rows = []
    for i, looked_up in enumerate(rows_by_text):
        for j, (t, r) in enumerate(looked_up):
            rows.append(([i + 1] if numbered_texts else []) + [
                j + 1, Raw(f"<code>{esc(t)}</code>"), "yes" if r is not None else "no",
                f"{r:,}" if r is not None else "—"])
    shift = 1 if numbered_texts else 0
    return table(headers, rows, numeric_cols=tuple(range(shift + 1)) + (shift + 3,))


def code_for(name: str, texts: list[str]) -> str:
    calls = "\n".join(f"tokens = {TOKENIZERS[name][1].format(text=t)}\n"
                      "[(t, kv.key_to_index[t] + 1 if t in kv.key_to_index else None) for t in tokens]"
                      for t in texts)
    return IMPORTS[name] + ("\n" if IMPORTS[name] else "") + calls


@register
class Tokenize(Block):
    kind = "tokenize"
    summary = ("Text cut into tokens by a gensim tokenizer, each token marked in or out of the model's "
               "vocabulary with its frequency rank.")
    schema = obj({
        "texts": {**str_list(1, 6)},
        "tokenizer": TOKENIZER_SCHEMA,
        "expect": EXPECT_SCHEMA,
        "caption": CAPTION,
        "table": {"type": "boolean"},
        "code": {"type": "boolean"},
    }, required=["texts"])
    display_options = ("caption", "table", "code", "expect")
    example = "texts: [\"The cat's owner didn't e-mail me.\"]\ntokenizer: simple_preprocess\nexpect: {tokens: 6}"

    def parse(self, data):
        spec = {"texts": data["texts"], "tokenizer": data.get("tokenizer", "simple_preprocess"),
                "caption": data.get("caption"), "table": data.get("table", True),
                "code": data.get("code", True), "expect": data.get("expect", {})}
        counts = spec["expect"].get("tokens")
        if isinstance(counts, list) and len(counts) != len(spec["texts"]):
            raise LexiconError(f"'expect.tokens' lists {len(counts)} counts for {len(spec['texts'])} texts",
                               fix="give one count per text, or a single number for all texts together")
        return spec

    def result_inputs(self, spec):
        # The tokens depend on gensim's code as much as on the text.
        return {"texts": spec["texts"], "tokenizer": spec["tokenizer"], "gensim": gensim.__version__}

    def anchor_hint(self, spec):
        return " ".join(spec["texts"][0].split()[:4])

    def compute(self, kv, spec):
        return {"tokens": [look_up(kv, run_tokenizer(spec["tokenizer"], t)) for t in spec["texts"]],
                "vocabulary_size": len(kv)}

    def claims(self, spec, result):
        return token_claims(spec["expect"], result["tokens"], spec["tokenizer"])

    def render(self, spec, result, ctx):
        per_text = result["tokens"]
        several = len(spec["texts"]) > 1
        parts = [f'<div class="ll-block ll-tokenize" id="{esc(ctx.anchor)}">',
                 f'<p class="ll-caption">Tokenizer: {esc(describe(spec["tokenizer"]))}. '
                 f'Highlighted tokens (\u2717) are not in the model\u2019s vocabulary.</p>']
        for i, (text, looked_up) in enumerate(zip(spec["texts"], per_text)):
            label = f"Text {i + 1}: " if several else "Text: "
            parts.append(f'<p class="ll-tokens__text"><strong>{label}</strong>\u201c{esc(text)}\u201d</p>'
                         + chips_html(looked_up)
                         + f'<p class="ll-caption">{summary_line(looked_up)}</p>')
        if spec["table"]:
            parts.append(tokens_table(per_text, several))
            parts.append(f'<p class="ll-caption">{author_markdown(spec["caption"] or RANK_NOTE, inline=True)}</p>')
        elif spec["caption"]:
            parts.append(f'<p class="ll-caption">{author_markdown(spec["caption"], inline=True)}</p>')
        parts.append(claims_html(ctx.claims))
        if spec["code"]:
            parts.append(code_details(code_for(spec["tokenizer"], spec["texts"]),
                                      "The gensim calls behind these tokens"))
        parts.append(model_note(ctx.model_id) + "</div>")
        return "".join(parts)


def _q(tokens, last: str = "and") -> str:
    """“a”, “b” and “c”: tokens quoted so that punctuation tokens stay readable."""
    quoted = [f"\u201c{t}\u201d" for t in tokens]
    if len(quoted) < 2:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {last} " + quoted[-1]


def token_claims(expect: dict, per_text: list, tokenizer: str) -> list:
    """Claims about the tokens: counts, the exact out-of-vocabulary set, tokens made or not made."""
    out = []
    who = describe(tokenizer)
    all_tokens = [t for looked_up in per_text for t, _ in looked_up]
    counts = [len(looked_up) for looked_up in per_text]
    if "tokens" in expect:
        want = expect["tokens"]
        if isinstance(want, list):
            out.append(Claim(statement=f"{who} makes {', '.join(map(str, want))} tokens of the texts",
                             ok=counts == want, actual=f"it makes {', '.join(map(str, counts))}"))
        else:
            out.append(Claim(statement=f"{who} makes {want} token{'s' if want != 1 else ''} in all",
                             ok=sum(counts) == want,
                             actual=f"it makes {sum(counts)}: {' · '.join(all_tokens)}"))
    if "out-of-vocabulary" in expect:
        want = list(expect["out-of-vocabulary"])
        got = list(dict.fromkeys(t for looked_up in per_text for t, r in looked_up if r is None))
        stated = f"the tokens not in the model's vocabulary are {_q(want)}" if want else \
            "every token is in the model's vocabulary"
        out.append(Claim(statement=stated,
                         ok=sorted(want) == sorted(got),
                         actual=f"the tokens not in the vocabulary are: {_q(got) or 'none'}"))
    if "includes" in expect:
        missing = [t for t in expect["includes"] if t not in all_tokens]
        out.append(Claim(statement=f"{who} makes the token{'s' if len(expect['includes']) > 1 else ''} "
                                   f"{_q(expect['includes'])}",
                         ok=not missing, actual=f"not among its tokens: {_q(missing)}; "
                                                f"its tokens: {' · '.join(all_tokens)}"))
    if "excludes" in expect:
        present = [t for t in expect["excludes"] if t in all_tokens]
        out.append(Claim(statement=f"{who} makes no token {_q(expect['excludes'], 'or')}",
                         ok=not present, actual=f"it does make: {_q(present)}; "
                                                f"its tokens: {' · '.join(all_tokens)}"))
    return out


@register
class TokenizeExercise(Block):
    kind = "tokenize-exercise"
    summary = "An exercise: how many tokens does the tokenizer make of a text? The count is computed."
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "text": {"type": "string", "minLength": 1},
        "tokenizer": TOKENIZER_SCHEMA,
        "choices": {"type": "array", "items": {"type": "integer", "minimum": 0},
                    "minItems": 2, "maxItems": 6, "uniqueItems": True},
        "answer": {"type": "integer", "minimum": 0},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["text", "choices"])
    example = "text: \"Don't panic!\"\ntokenizer: simple_preprocess\nchoices: [1, 2, 3]\nanswer: 2"

    def parse(self, data):
        tokenizer = data.get("tokenizer", "simple_preprocess")
        if "answer" in data and data["answer"] not in data["choices"]:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the choices",
                               fix="name one of the numbers listed under 'choices'")
        return {"prompt": data.get("prompt", f"How many tokens does {describe(tokenizer)} make of this text?"),
                "text": data["text"], "tokenizer": tokenizer, "choices": data["choices"],
                "answer": data.get("answer"), "explanation": data.get("explanation")}

    def result_inputs(self, spec):
        return {"text": spec["text"], "tokenizer": spec["tokenizer"], "gensim": gensim.__version__}

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec["text"].split()[:3])

    def compute(self, kv, spec):
        return {"tokens": look_up(kv, run_tokenizer(spec["tokenizer"], spec["text"]))}

    def claims(self, spec, result):
        n = len(result["tokens"])
        if n not in spec["choices"]:
            raise LexiconError(f"{describe(spec['tokenizer'])} makes {n} tokens of the text, which is not "
                               f"one of the choices ({', '.join(map(str, spec['choices']))})",
                               fix=f"add {n} to 'choices' (the exercise needs the right answer among them)")
        if spec["answer"] is None:
            return []
        return [Claim(statement=f"{describe(spec['tokenizer'])} makes {spec['answer']} tokens of the text",
                      ok=n == spec["answer"],
                      actual=f"it makes {n}: {' · '.join(t for t, _ in result['tokens'])}")]

    def render(self, spec, result, ctx):
        looked_up = result["tokens"]
        n = len(looked_up)
        listed = " · ".join(t for t, _ in looked_up)
        why = {}
        for c in spec["choices"]:
            if c == n:
                why[str(c)] = f"{describe(spec['tokenizer'])} makes {n} tokens: {listed}."
            else:
                diff = abs(c - n)
                why[str(c)] = f"{c} is {diff} too {'many' if c > n else 'few'}."
        reveal = (f'<p>{esc(describe(spec["tokenizer"]))} makes <strong>{n}</strong> '
                  f'token{"s" if n != 1 else ""}:</p>' + chips_html(looked_up)
                  + f'<p class="ll-caption">{summary_line(looked_up)}</p>'
                  + tokens_table([looked_up], False) + claims_html(ctx.claims)
                  + code_details(code_for(spec["tokenizer"], [spec["text"]]), "The gensim call behind this answer"))
        html = choice_exercise("tokenize", ctx.anchor, spec["prompt"], [str(c) for c in spec["choices"]],
                               str(n), why, reveal, spec["explanation"], ctx.model_id)
        # Show the text to tokenize between the question and the choices.
        quote = f'<p class="ll-tokens__text">\u201c{esc(spec["text"])}\u201d</p>'
        fieldset = '<fieldset class="ll-exercise__choices">'
        return html.replace(fieldset, quote + fieldset, 1)
