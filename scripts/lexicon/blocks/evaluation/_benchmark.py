"""What the benchmark kinds share: gensim's test files, the published figures, percentages.

The test files are declared as ``DataFile`` objects (:mod:`lexicon.engine.deps`), so their content
joins the cache key of the kinds that read them. Published figures are written by the
author, with their source, and shown beside the measured ones: they are literature, not
computed, so they only change what is shown.
"""

from __future__ import annotations

from ...engine import opt
from ...engine.deps import DataFile
from ...engine.pieces import Raw, Subhead, Table
from ...evaluate import PAIRS, datapath
from ...render import author_markdown, esc

WORDSIM353 = DataFile(lambda: datapath(PAIRS["wordsim353"]))
SIMLEX999 = DataFile(lambda: datapath(PAIRS["simlex999"]))
PAIR_FILES = {"wordsim353": WORDSIM353, "simlex999": SIMLEX999}

PUBLISHED = {
    "type": "array", "minItems": 1,
    "items": {"type": "object", "additionalProperties": False, "required": ["model", "source"], "properties": {
        "model": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "total": {"type": ["number", "null"]}, "semantic": {"type": ["number", "null"]},
        "syntactic": {"type": ["number", "null"]},
        "spearman": {"type": ["number", "null"]}, "pearson": {"type": ["number", "null"]},
        "note": {"type": "string"},
    }},
}


def restrict_vocab() -> opt.Option:
    return opt.integer("How many of the most frequent words are searched (gensim's `restrict_vocab`).",
                       default=300_000, min=1000, max=1_000_000)


def published(doc: str, fields: str) -> opt.Option:
    return opt.raw(doc, PUBLISHED, f"list of `{{model, source, {fields}, note}}`", default=[],
                   default_doc="none", display=True)


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _published(x) -> str:
    return "not reported" if x is None else f"{x:.1f} %"


def published_table(spec, ctx, measured: list, fields: tuple, headers: list, numeric: tuple) -> list:
    """"Measured and published": this build's figures first, then the author's list (or nothing)."""
    if not spec.published:
        return []
    rows = [[Raw(f"<strong>{esc(ctx.model_id['name'])}</strong> (measured on this site, "
                 f"{spec.restrict_vocab:,} most frequent words)"), *measured, "this build"]]
    for p in spec.published:
        cells = [Raw(author_markdown(p["model"], inline=True))]
        cells += [_published(p.get(f)) if f in ("total", "semantic", "syntactic")
                  else ("not reported" if p.get(f) is None else f"{p[f]:.3f}") for f in fields]
        cells.append(Raw(author_markdown(p["source"] + (f" — {p['note']}" if p.get("note") else ""), inline=True)))
        rows.append(cells)
    return [Subhead("Measured and published"), Table(["Model", *headers, "Source"], rows, numeric=numeric)]
