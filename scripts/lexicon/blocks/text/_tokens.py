"""Tokenizers, frequency ranks, and how a list of tokens is shown: shared by the token kinds.

A token outside the model's vocabulary is not an error here: showing which tokens the model
has no vector for is the point, so these kinds ask the model for no words and mark each token
in or out. The model's rows are in order of frequency in its training text (GloVe keeps its
400,000 most frequent words, most frequent first), so a token's row index plus one is its
frequency rank.
"""

from __future__ import annotations

from gensim.utils import simple_preprocess, tokenize

from ...engine import opt
from ...engine.pieces import Raw, Table
from ...render import esc

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

TOKENIZER = opt.choice("gensim's `simple_preprocess(text)`; gensim's `tokenize(text, lowercase=True)`; or "
                       "Python's `text.lower().split()`, for contrast.", list(TOKENIZERS),
                       default="simple_preprocess")
RANK_NOTE = ("Rank 1 is the most frequent word in the model's training text: the model stores its "
             "words from most to least frequent, so a token's rank is its row number plus one.")


def run_tokenizer(name: str, text: str) -> list[str]:
    """The tokens ``name`` makes of ``text`` (a gensim tokenizer or Python's split)."""
    return TOKENIZERS[name][0](text)


def look_up(kv, tokens: list[str]) -> list[list]:
    """``[token, rank or None]`` per token; the rank is the model's row index plus one."""
    index = kv.key_to_index
    return [[t, index[t] + 1 if t in index else None] for t in tokens]


def rank_of(kv, word: str):
    """A word's frequency rank (row index plus one), or None if the model lacks it."""
    i = kv.key_to_index.get(word)
    return None if i is None else i + 1


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
    """“6 tokens, all in the vocabulary.” as HTML (the missing tokens in code)."""
    n, oov = len(looked_up), oov_of(looked_up)
    text = f"{n} token{'s' if n != 1 else ''}"
    if oov:
        missing = sum(1 for _, r in looked_up if r is None)
        text += (f"; {missing} not in the vocabulary: "
                 + ", ".join(f"<code>{esc(t)}</code>" for t in oov))
    else:
        text += ", all in the vocabulary"
    return text + "."


def tokens_table(rows_by_text: list[list], numbered_texts: bool) -> Table:
    """One row per token; with several texts, a first column says which text it came from."""
    headers = (["Text"] if numbered_texts else []) + ["#", "Token", "In the vocabulary?", "Frequency rank"]
    rows = []
    for i, looked_up in enumerate(rows_by_text):
        for j, (t, r) in enumerate(looked_up):
            rows.append(([i + 1] if numbered_texts else []) + [
                j + 1, Raw(f"<code>{esc(t)}</code>"), "yes" if r is not None else "no",
                f"{r:,}" if r is not None else "—"])
    shift = 1 if numbered_texts else 0
    return Table(headers, rows, numeric=tuple(range(shift + 1)) + (shift + 3,))


def code_for(name: str, texts: list[str]) -> str:
    calls = "\n".join(f"tokens = {TOKENIZERS[name][1].format(text=t)}\n"
                      "[(t, kv.key_to_index[t] + 1 if t in kv.key_to_index else None) for t in tokens]"
                      for t in texts)
    return IMPORTS[name] + ("\n" if IMPORTS[name] else "") + calls


def quoted(tokens, last: str = "and") -> str:
    """“a”, “b” and “c”: tokens quoted so that punctuation tokens stay readable."""
    marks = [f"\u201c{t}\u201d" for t in tokens]
    if len(marks) < 2:
        return "".join(marks)
    return ", ".join(marks[:-1]) + f" {last} " + marks[-1]
