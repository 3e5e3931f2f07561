"""How the generation kinds write tokens, continuations and the code behind them."""

from __future__ import annotations

from ._ngram import EOS, UNK


def shown(token: str) -> str:
    """A token as a table cell: the two special tokens keep their angle brackets (escaped by the table)."""
    return token


def continuation(tokens: list[str]) -> str:
    return " ".join(tokens) if tokens else "(nothing)"


def code_header(spec) -> str:
    """The first lines of every snippet: the corpus and the model the block used."""
    smoothing = spec.smoothing + (f", k={spec.k:g}" if spec.smoothing == "add-k" else "")
    return ("# lexicon/blocks/generation/_ngram.py: counts of gensim's lee_background.cor, tokenised with\n"
            "# gensim.utils.simple_preprocess, each story as <s> <s> w1 ... wn </s>\n"
            "from gensim.utils import simple_preprocess\n"
            "from lexicon.blocks.generation._ngram import model\n\n"
            f"model = model(order={spec.order}, smoothing={smoothing.split(',')[0]!r}"
            + (f", k={spec.k:g}" if spec.smoothing == "add-k" else "") + ")\n")


SPECIAL_NOTE = (f"{UNK} stands for every word seen fewer than twice in training; {EOS} ends a story.")
