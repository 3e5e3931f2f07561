"""Byte-pair encoding learned with Hugging Face tokenizers from the Lee corpus's word counts, and replayed.

:func:`learn` trains ``tokenizers``' ``BpeTrainer`` and reads the merges in the order learned;
:func:`replay` applies the first merges to the corpus's words again, to say how often each merged pair
occurred at its step and which pair came next; :func:`checkpoints` encodes every word of the corpus with
the first k merges (``tokenizers.models.BPE``), and :func:`segment` cuts words with all of them.
Used by the bpe kind.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict

from ...errors import LexiconError

CHECKPOINTS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)   # the chart's points, besides 0 and all merges


def learn(freq: Counter, n_merges: int) -> tuple[list[str], dict, list[tuple[str, str]]]:
    """The alphabet, the vocabulary and the first ``n_merges`` merges (in the order learned) that
    tokenizers' BpeTrainer learns from word counts."""
    # One thread, as every kind computes. The merges do not depend on it: counts are sums, ties go by id.
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    alphabet = sorted({c for w in freq for c in w})
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.BpeTrainer(vocab_size=len(alphabet) + n_merges, show_progress=False)
    tok.train_from_iterator((" ".join([w] * n) for w, n in sorted(freq.items())), trainer=trainer)
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ") if isinstance(m, str) else m) for m in model["merges"]][:n_merges]
    if len(merges) < n_merges:
        raise LexiconError(f"the corpus allows only {len(merges):,} merges: after them every word is one token",
                           fix=f"set 'merges' to {len(merges):,} or fewer")
    return alphabet, model["vocab"], merges


def merge(pieces: tuple, a: str, b: str) -> tuple:
    """``a`` and ``b`` joined wherever they stand side by side, left to right."""
    out, i = [], 0
    while i < len(pieces):
        if i + 1 < len(pieces) and pieces[i] == a and pieces[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(pieces[i])
            i += 1
    return tuple(out)


def replay(freq: Counter, alphabet: list[str], merges: list, show: int) -> list[list]:
    """For each of the first ``show`` merges, replayed on the word counts: ``[count, rival, rival count]``,
    how often the merged pair occurs at its step, and the most frequent other pair (in the trainer's
    order: count, then token ids)."""
    ids = {c: i for i, c in enumerate(alphabet)}
    segs = {w: tuple(w) for w in freq}
    pairs: Counter = Counter()
    where: dict = defaultdict(set)   # pair -> the words it may stand in
    for w, s in segs.items():
        for p in zip(s, s[1:]):
            pairs[p] += freq[w]
            where[p].add(w)
    steps = []
    for a, b in merges[:show]:
        rival = min((p for p, n in pairs.items() if n > 0 and p != (a, b)),
                    key=lambda p: (-pairs[p], ids[p[0]], ids[p[1]]))
        steps.append([pairs[(a, b)], list(rival), pairs[rival]])
        ids.setdefault(a + b, len(ids))
        for w in where.pop((a, b), ()):
            s, new = segs[w], merge(segs[w], a, b)
            for p in zip(s, s[1:]):
                pairs[p] -= freq[w]
            for p in zip(new, new[1:]):
                pairs[p] += freq[w]
                where[p].add(w)
            segs[w] = new
    return steps


def checkpoints(freq: Counter, alphabet: list[str], vocab: dict, merges: list) -> list[list[int]]:
    """``[k, vocabulary size, tokens in the corpus, tokens of the distinct words, running words that are
    one token]`` when every word is encoded with the first k merges, k from 0 to all of them."""
    from tokenizers import models

    words = sorted(freq)
    rows = []
    for k in [0] + [k for k in CHECKPOINTS if k < len(merges)] + [len(merges)]:
        bpe = models.BPE(vocab=vocab, merges=merges[:k])
        lengths = [len(bpe.tokenize(w)) for w in words]
        rows.append([k, len(alphabet) + len({a + b for a, b in merges[:k]}),
                     sum(n * freq[w] for n, w in zip(lengths, words)), sum(lengths),
                     sum(freq[w] for n, w in zip(lengths, words) if n == 1)])
    return rows


def segment(vocab: dict, merges: list, words: list[str]) -> dict[str, list[str]]:
    """Each word cut by tokenizers' BPE model with the merges (applied by rank, as it encodes any text)."""
    from tokenizers import models

    bpe = models.BPE(vocab=vocab, merges=merges)
    return {w: [t.value for t in bpe.tokenize(w)] for w in words}


def require_spelled(words: list[str], alphabet: list[str]) -> None:
    """A word to cut must be spelled with the corpus's characters: BPE has no token for another one."""
    for w in words:
        unknown = sorted(set(w) - set(alphabet))
        if unknown:
            raise LexiconError(f"'{w}' has characters the corpus never uses ({' '.join(unknown)}), so the learned "
                               "merges have no token for them",
                               fix=f"write words in the corpus's characters ({''.join(alphabet)}): lower case, "
                                   "as gensim's simple_preprocess writes it")
