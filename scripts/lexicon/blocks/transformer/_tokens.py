"""A sentence's tokens, as gensim's ``simple_preprocess`` makes them, for every kind that takes sentences."""

from __future__ import annotations

from ...errors import LexiconError

MAX_TOKENS = 20   # more do not fit in a readable attention figure


def tokens_of(text: str) -> list[str]:
    """gensim's ``simple_preprocess``: lower-case runs of 2-15 letters (no digits, no punctuation)."""
    from gensim.utils import simple_preprocess

    return simple_preprocess(text)


def token_letters() -> tuple[int, int]:
    """The fewest and the most letters of a token ``simple_preprocess`` keeps (its ``min_len`` and
    ``max_len``, which :func:`tokens_of` leaves at gensim's defaults)."""
    import inspect

    from gensim.utils import simple_preprocess

    params = inspect.signature(simple_preprocess).parameters
    return params["min_len"].default, params["max_len"].default


def sentence_tokens(text: str, *, minimum: int = 1, what: str = "the sentence") -> list[str]:
    """The tokens of an author's sentence, or an error that says what the tokenizer keeps."""
    toks = tokens_of(text)
    if len(toks) < minimum:
        raise LexiconError(
            f"{what} '{text}' has {len(toks)} token(s) after gensim's simple_preprocess; at least {minimum} needed",
            fix="write words of 2 or more letters (simple_preprocess drops one-letter words, digits and punctuation)")
    if len(toks) > MAX_TOKENS:
        raise LexiconError(f"{what} has {len(toks)} tokens; at most {MAX_TOKENS} fit in a readable figure",
                           fix="shorten the sentence")
    return toks


def token_labels(tokens: list[str]) -> list[str]:
    """Axis labels: a word that occurs more than once gets its position, ``the (1)``, ``the (5)``."""
    counts = {t: tokens.count(t) for t in tokens}
    return [f"{t} ({i + 1})" if counts[t] > 1 else t for i, t in enumerate(tokens)]


SENTENCE_DOC = ("Split with gensim's `simple_preprocess`, which lower-cases it and drops one-letter words, "
                "digits and punctuation; 2–20 tokens, each in the model's vocabulary.")
