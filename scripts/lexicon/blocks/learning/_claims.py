"""Claims about a classifier's metrics: ``precision > recall``, ``accuracy > baseline``, ``balanced < accuracy``, ``recall > 0.9``,
``fn = 3``, and in a sweep ``recall(0.3) > recall(0.7)`` or ``auc > 0.95``. The terms are the family's own;
reading ``left op right`` and checking it are the reader every family shares (:mod:`lexicon.claimterms`)."""

from __future__ import annotations

import re

from ...claimterms import check_each, match_term, read
from ...errors import LexiconError
from ...render import fmt

RATES = ("accuracy", "balanced", "precision", "recall", "f1", "specificity")
COUNTS = ("tp", "fp", "fn", "tn")
NAMES = {"accuracy": "the accuracy", "balanced": "the balanced accuracy", "precision": "the precision", "recall": "the recall", "f1": "the F1 score",
         "specificity": "the specificity", "tp": "the number of true positives",
         "fp": "the number of false positives", "fn": "the number of false negatives",
         "tn": "the number of true negatives", "baseline": "the accuracy of always predicting the majority class",
         "auc": "the area under the ROC curve"}
TERM = re.compile(r"^\s*(?:([a-z][a-z0-9]*)\s*(?:\(\s*([0-9.]+)\s*\))?|([0-9]*\.?[0-9]+)\s*(%?))\s*$")
HELP = {False: "write e.g. 'precision > recall', 'accuracy > baseline', 'recall > 0.9' (or '> 90%') or 'fn = 3'; "
               "names: " + ", ".join(RATES + COUNTS + ("baseline",)),
        True: "write e.g. 'recall(0.3) > recall(0.7)', 'precision(0.7) > 0.9', 'auc > 0.95' or 'fn(0.5) = 3'; "
              "every name but auc and baseline takes a threshold in brackets"}


def _term(text: str, sweep: bool, claim: str) -> tuple:
    m = match_term(TERM, text, claim, HELP[sweep])
    if m.group(3) is not None:
        x = float(m.group(3)) / (100 if m.group(4) else 1)
        return ("number", x, m.group(3) + m.group(4))
    name, t = m.group(1), m.group(2)
    if name not in NAMES or (name == "auc" and not sweep):
        raise LexiconError(f"the claim '{claim}' names '{name}', which the block does not compute", fix=HELP[sweep])
    if sweep and name not in ("auc", "baseline") and t is None:
        raise LexiconError(f"the claim '{claim}' needs the threshold at which {name} is read",
                           fix=f"write e.g. '{name}(0.5)'")
    if t is not None and (not sweep or name in ("auc", "baseline")):
        raise LexiconError(f"the claim '{claim}' gives {name} a threshold, but " +
                           ("this block has one threshold" if not sweep else f"{name} does not depend on one"),
                           fix=HELP[sweep])
    return ("quantity", name, None if t is None else float(t))


def parse(text: str, sweep: bool = False) -> tuple:
    """``(left, op, right)``; a term is ``("quantity", name, threshold or None)`` or ``("number", x, text)``."""
    left, op, right = read(text, lambda part, claim: _term(part, sweep, claim), HELP[sweep])
    counts = [t for t in (left, right) if t[0] == "quantity" and t[1] in COUNTS]
    if op == "=" and not (counts and all(t[0] == "number" and float(t[1]).is_integer() or t in counts
                                         for t in (left, right))):
        raise LexiconError(f"the claim '{text}' asks for equality of a measured rate",
                           fix="compare rates with '<' or '>'; keep '=' for counts such as 'fn = 3'")
    return left, op, right


def thresholds(parsed: list[tuple]) -> list[float]:
    """The thresholds a sweep's claims read values at."""
    return [t[2] for c in parsed for t in (c[0], c[2]) if t[0] == "quantity" and t[2] is not None]


def said(term: tuple) -> str:
    if term[0] == "number":
        return term[2]
    name, t = term[1], term[2]
    return NAMES[name] + ("" if t is None else f" at threshold {t:g}")


def shown(name: str, x) -> str:
    if x is None:
        return "undefined"
    return f"{x:,}" if name in COUNTS else fmt(x)


def check_all(parsed: list[tuple], lookup, check) -> None:
    """Check each parsed claim; ``lookup(name, threshold)`` gives the number (None: undefined)."""
    check_each(parsed, lambda t: lookup(t[1], t[2]), said, lambda t, v: shown(t[1], v), check)
