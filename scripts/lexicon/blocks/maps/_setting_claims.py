"""Claims about the settings of a t-SNE or UMAP sweep: ``kept(5) > kept(30)``, ``groups(15) > 0.9``."""

from __future__ import annotations

import re

from ...errors import LexiconError

_TERM = r"(kept|groups)\((\d+(?:\.\d+)?)\)"
_COMPARE = re.compile(rf"^\s*{_TERM}\s*([<>])\s*(?:{_TERM}|(\d+(?:\.\d+)?%?))\s*$")
MEASURE_NAME = {"kept": "the share of kept neighbours", "groups": "the group agreement"}

CLAIMS_DOC = ("Claims such as `kept(5) > kept(30)`, `groups(15) > groups(2)` or `groups(30) > 0.99` (a number, "
              "or a percentage such as `90%`); only the block's own settings may be named.")


def parse_setting_claim(text: str, settings: list, setting_name: str) -> tuple:
    m = _COMPARE.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix="write e.g. 'kept(5) > kept(30)' (the share of kept neighbours is higher at "
                               f"{setting_name} 5 than at 30) or 'groups(15) > 0.9'")
    left = (m.group(1), _number(m.group(2)))
    right = (m.group(4), _number(m.group(5))) if m.group(4) else None
    value = None
    if m.group(6):
        value = float(m.group(6).rstrip("%")) / (100 if m.group(6).endswith("%") else 1)
    for measure, s in [left] + ([right] if right else []):
        if s not in settings:
            raise LexiconError(f"the claim '{text}' names {setting_name} {s}, which the block does not compute",
                               fix=f"use one of the block's settings: {', '.join(str(v) for v in settings)}")
    return left, m.group(3), right, value


def _number(text: str):
    return float(text) if "." in text else int(text)


def check_setting_claim(check, text: str, settings: list, setting_name: str, maps: list[dict],
                        has_groups: bool) -> None:
    left, op, right, value = parse_setting_claim(text, settings, setting_name)
    for measure, _ in [left] + ([right] if right else []):
        if measure == "groups" and not has_groups:
            raise LexiconError(f"the claim '{text}' is about groups, but the block has one list of words",
                               fix="write the words as 'groups' or claim about kept(...) instead")

    def get(term):
        measure, s = term
        return maps[settings.index(s)][measure]

    def name(term):
        return f"{MEASURE_NAME[term[0]]} at {setting_name} {term[1]}"

    a = get(left)
    b = get(right) if right else value
    ok = a > b if op == ">" else a < b
    rhs = name(right) if right else f"{value:.3g}"
    actual = ", ".join(f"{setting_name} {s}: kept {m['kept']:.3f}"
                       + (f", groups {m['groups']:.3f}" if has_groups else "")
                       for s, m in zip(settings, maps))
    check(f"{name(left)} {op} {rhs}", ok, actual)
