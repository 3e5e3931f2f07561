"""What the transformer kinds share: the note under each block, finding a word's token, naming a head."""

from __future__ import annotations

import re

from ... import minilm
from ...errors import LexiconError

NOTE = (f"Computed at build time by running the transformer {minilm.MODEL_ID} in numpy "
        f"(weights SHA-256 {minilm.SHA256[:8]}…, verified at load); no GloVe vectors.")
SPECIAL = ("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]")
HEAD = r"([1-6])\.(\d{1,2})"   # layer.head, as blocks and prose write a head: 1.3


def word_position(tokens: list[str], word: str, what: str) -> int:
    """Where ``word`` stands among a text's WordPiece tokens: it must be one whole token, once."""
    pieces = minilm.tokenize([word]).tokens[0][1:-1]
    if len(pieces) != 1:
        raise LexiconError(f"'{word}' is not one WordPiece token: the tokenizer cuts it into "
                           f"{' '.join(pieces)}", fix="choose a word the model keeps whole (most common words)")
    if tokens.count(pieces[0]) != 1:
        n = tokens.count(pieces[0])
        raise LexiconError(f"{what} has '{word}' {n} times among its tokens ({' '.join(tokens)})" if n else
                           f"{what} does not contain the token '{pieces[0]}' (its tokens: {' '.join(tokens)})",
                           fix=f"write each sentence with '{word}' exactly once, as a whole word")
    return tokens.index(pieces[0])


def parse_head(text: str, heads: int = 12) -> tuple[int, int]:
    """A head written `layer.head` (`1.3`), as (layer, head) counted from 1."""
    m = re.fullmatch(HEAD, str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= heads:
        raise LexiconError(f"'{text}' names no head", fix=f"write layer.head, layer 1–6 and head 1–{heads}, e.g. 1.3")
    return int(m.group(1)), int(m.group(2))
