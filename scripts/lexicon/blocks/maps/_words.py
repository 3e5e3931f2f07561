"""The points of a map: a list of words, named groups of words, or the model's most frequent words."""

from __future__ import annotations

import numpy as np

from ...engine import opt
from ...errors import LexiconError
from ...numeric import unit, word_vectors

WORDS = opt.words("The words, as one list (or use `groups`).", min=2, max=opt.MAP_WORDS, unique=True)
GROUPS = opt.groups("Named lists of words, `animals: [cat, dog, horse]`, each group in its own colour. "
                    "A word may be in only one group.", min=1, max=8)
TOP = opt.integer("The model's N most frequent words instead of a list, e.g. `top: 10000`.", min=10, max=400_000)
SEED = opt.seed("The random seed, so that every build draws the same map.", default=42)


def read_words(spec, kind: str) -> None:
    """``words: [...]`` (one group) or ``groups: {name: [...]}`` → ``spec.word_list`` and
    ``spec.group_of`` (the group of each word)."""
    words = getattr(spec, "words", None)      # map-exercise takes only groups
    if (words is None) == (spec.groups is None):
        raise LexiconError("give either 'words' (a list) or 'groups' (named lists), not "
                           + ("neither" if words is None else "both"),
                           fix=f"e.g. a {kind} block with  groups: {{animals: [cat, dog, horse], "
                               f"vehicles: [car, bus, train]}}")
    if words is not None:
        spec.word_list, spec.group_of = list(words), ["words"] * len(words)
        return
    words, labels = [], []
    for group, ws in spec.groups.items():
        for w in ws:
            if w in words:
                raise LexiconError(f"the word '{w}' is listed twice ('{labels[words.index(w)]}' and '{group}')",
                                   fix="keep each word in one group, once")
            words.append(w)
            labels.append(str(group))
    spec.word_list, spec.group_of = words, labels


def read_points(spec, kind: str) -> None:
    """``words``, ``groups`` or ``top: N`` (the model's N most frequent words), exactly one of them."""
    given = [k for k in ("words", "groups", "top") if getattr(spec, k) is not None]
    if len(given) != 1:
        raise LexiconError("give exactly one of 'words', 'groups' or 'top' "
                           f"({'not ' + ' and '.join(given) if given else 'none was given'})",
                           fix=f"e.g. a {kind} block with  top: 10000  (the most frequent words) or "
                               "words: [cat, dog, car, bus]")
    if spec.top is not None:
        spec.word_list, spec.group_of = [], []
    else:
        read_words(spec, kind)


def has_groups(labels: list[str]) -> bool:
    return len(set(labels)) > 1


def unit_vectors(kv, words: list[str]) -> np.ndarray:
    """The words' vectors scaled to length 1 (float64), so maps follow cosine similarity."""
    return word_vectors(kv, words)


def point_vectors(kv, words: list[str], top: int | None) -> np.ndarray:
    """The unit vectors of the words, or of the model's ``top`` most frequent words."""
    if top is not None:
        if top > len(kv):
            raise LexiconError(f"'top' ({top:,}) is larger than the model's vocabulary ({len(kv):,} words)",
                               fix=f"use at most {len(kv)}")
        return unit(kv.vectors[:top])
    return unit_vectors(kv, words)


def points_phrase(words: list[str], labels: list[str], top: int | None) -> str:
    if top is not None:
        return f"the model's {top:,} most frequent words"
    groups = list(dict.fromkeys(labels))
    if len(groups) > 1:
        return f"{len(words)} words in {len(groups)} groups"
    return f"{len(words)} words"


def group_hint(words: list[str], labels: list[str]) -> str:
    """Anchor words: the first two group names, or the first three words of a single list."""
    return " ".join(list(dict.fromkeys(labels))[:2]) if has_groups(labels) else " ".join(words[:3])
