"""WordPiece tokenisation as sentence-transformers does it for all-MiniLM-L6-v2.

(Named wordpiece, not tokenize, so the package's public ``tokenize`` does not shadow it.)

The trap (issue 14): tokenizer.json has truncation AND padding at 128 baked in, while
sentence-transformers truncates at 256 (max_seq_length) and pads to the longest text of the
batch. Both settings are reset here, so a text of 200 tokens keeps all of them and a short text
is not padded to 128. The normaliser lowercases and strips accents; [CLS] and [SEP] are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_TOKENS = 256   # sentence_bert_config.json: max_seq_length
PAD_ID = 0


@dataclass(frozen=True)
class Batch:
    """Token ids and mask padded to the batch's longest text, and each text's own tokens."""

    ids: np.ndarray            # [n, T] int64
    mask: np.ndarray           # [n, T] int64, 1 for a real token, 0 for padding
    tokens: list[list[str]]    # per text, without padding, [CLS] ... [SEP]


def load_tokenizer(path: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.enable_padding(pad_id=PAD_ID, pad_token="[PAD]")   # no length: pad to the longest in the batch
    return tok


def tokenize_batch(tokenizer, texts: list[str]) -> Batch:
    encodings = tokenizer.encode_batch(list(texts))
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    tokens = [[t for t, m in zip(e.tokens, e.attention_mask) if m] for e in encodings]
    return Batch(ids=ids, mask=mask, tokens=tokens)
