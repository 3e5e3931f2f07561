"""Approximate nearest neighbours (faiss HNSW) against exact cosine search, counted as recall."""

from __future__ import annotations

import re

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Details, Figure, Html, Table
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import esc, fmt
from ._ann import (EF, EF_DOC, M, M_DOC, SAMPLE_DOC, TOP_DOC, approximate_neighbours, as_list, build_index, check_ef,
                   check_in_index, exact_neighbours, hits, one_or_list, sample_rows, true_rank, unit_rows)

CLAIM = re.compile(r"^\s*recall(?:\((?P<word>[^)\s]+)\))?\s*(?P<op>[<>])\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<pct>%?)\s*$")


class Ann(Kind):
    """Approximate nearest neighbours (an HNSW graph, faiss) against exact cosine search: recall@k as
    counts, and the true neighbours the approximate search missed.

    The index is faiss's `IndexHNSWFlat` (inner product over unit vectors, i.e. cosine; built in one
    thread, so it is the same every time) over the model's `top` most frequent words; the exact search
    compares each query with every one of them. Recall@k is reported as counts ("9,035 of 10,000 true neighbours found"), never
    as timings. Each query word gets a row: how many true neighbours were found, which ones were
    missed (with their true rank), and what came back instead. With several settings, a line
    chart shows recall for every `m` × `ef` pair.
    """

    example = ("queries: [coffee, chapter]\ntop: 10000\nsample: 200\nm: 6\nef: 16\n"
               "expect:\n  - recall > 0.85\n  - recall(chapter) < 0.8")
    options = opt.Options(
        Kind.options,
        queries=opt.words("Words to show in detail (true and approximate neighbours); each must be in the index.",
                          max=8, unique=True, default=[], default_doc="none"),
        top=opt.integer(TOP_DOC, default=50_000, min=1000, max=400_000),
        k=opt.integer("How many nearest neighbours each query asks for (the k of recall@k).", default=10, min=1,
                      max=50),
        m=opt.raw(M_DOC + ", or a list of them to compare. The first value is used for the per-query table and "
                  "the claims.", one_or_list(M), "whole number, 2–64, or a list of up to 5", default=16,
                  default_doc="`16`"),
        ef=opt.raw(EF_DOC + ", or a list of them to compare; at least k + 1.", one_or_list(EF),
                   "whole number, 2–1024, or a list of up to 5", default=32, default_doc="`32`"),
        sample=opt.integer(SAMPLE_DOC + " `0`: only the `queries`.", default=1000, min=0, max=5000),
        seed=opt.seed("Random seed of the sample.", default=42),
        expect=opt.claims("`recall > 0.9` (over the sample), `recall(coffee) < 1` (one query word), `recall rises` "
                          "(strictly, with every larger `m` and every larger `ef`).",
                          "list of [recall claims](#claims)", default_doc="none"),
        caption=opt.caption("generated"),
    )

    def prepare(self, spec):
        if not spec.queries and spec.sample == 0:
            raise LexiconError("with no 'queries' and 'sample: 0' there is nothing to search for",
                               fix="list query words under 'queries', or set 'sample' (e.g. 1000)")
        spec.m_list = as_list(spec.m)
        spec.ef_list = as_list(spec.ef)
        check_ef(spec.ef_list, spec.k)
        if spec.sample > spec.top:
            raise LexiconError(f"'sample' ({spec.sample}) is larger than the index ('top': {spec.top})",
                               fix="lower 'sample' or raise 'top'")
        spec.parsed_claims = [_parse_claim(text, spec) for text in spec.expect]

    def anchor_hint(self, spec):
        return " ".join(spec.queries[:3]) or f"recall top {spec.top}"

    def compute(self, kv, spec):
        top, k = spec.top, spec.k
        check_in_index(kv, spec.queries, top)
        x = unit_rows(kv, top)
        q_named = np.array([kv.key_to_index[w] for w in spec.queries], dtype=np.int64)
        q_sample = sample_rows(top, spec.sample, spec.seed) if spec.sample else np.array([], dtype=int)
        queries = np.concatenate([q_named, q_sample]).astype(np.int64)
        exact, exact_scores = exact_neighbours(x, queries, k)
        names = kv.index_to_key
        grid, per_query = [], []
        for gi, m in enumerate(spec.m_list):
            index = build_index(x, m)
            for ei, ef in enumerate(spec.ef_list):
                approx = approximate_neighbours(index, x, queries, k, ef)
                found = hits(approx, exact)
                n_named = len(q_named)
                grid.append({"m": m, "ef": ef,
                             "found": int(sum(found[n_named:])), "total": int(k * len(q_sample)),
                             "named_found": int(sum(found[:n_named])), "named_total": int(k * n_named)})
                if gi == 0 and ei == 0:
                    for i, q in enumerate(q_named):
                        true_set = set(exact[i].tolist())
                        sims = x @ x[q]
                        per_query.append({
                            "word": names[q],
                            "exact": [[names[j], round(float(s), SCORE_DIGITS)]
                                      for j, s in zip(exact[i], exact_scores[i])],
                            "approx": [[names[j], round(float(sims[j]), SCORE_DIGITS),
                                        true_rank(x, q, j) if j not in true_set else exact[i].tolist().index(j) + 1]
                                       for j in approx[i]],
                            "found": found[i],
                        })
        return {"grid": grid, "queries": per_query, "index_size": top, "dims": int(x.shape[1])}

    # --- claims -----------------------------------------------------------------------------------
    def claims(self, spec, result, check):
        first = result["grid"][0]
        setting = _setting(first)
        for parsed in spec.parsed_claims:
            if parsed is None:
                _rises(spec, result, check)
                continue
            word, op, limit = parsed
            if word:
                q = next(q for q in result["queries"] if q["word"] == word)
                recall = q["found"] / spec.k
                subject = f"the approximate recall@{spec.k} of '{word}'"
                actual = f"it found {q['found']} of the {spec.k} true nearest neighbours ({setting})"
            else:
                recall = first["found"] / first["total"]
                subject = f"recall@{spec.k} over {spec.sample:,} random query words"
                actual = (f"it is {recall:.4f}: {first['found']:,} of {first['total']:,} true neighbours found "
                          f"({setting})")
            ok = recall > limit if op == ">" else recall < limit
            check(f"{subject} is {'above' if op == '>' else 'below'} {limit:g}", ok, actual)

    # --- values for prose ---------------------------------------------------------------------------
    @value("Recall@k over the sample, as the block shows it (3 decimals): of the first setting, or of the "
           "one whose m and ef are given.")
    def recall(self, spec, result, m=None, ef=None):
        g = _grid_entry(spec, result, m, ef)
        return Value(fmt(g["found"] / g["total"], 3), g["found"] / g["total"])

    @value("True neighbours found over the sample, as the block shows it (“9,035 of 10,000”): of the first "
           "setting, or of the one whose m and ef are given.")
    def found(self, spec, result, m=None, ef=None):
        g = _grid_entry(spec, result, m, ef)
        return Value(f"{g['found']:,} of {g['total']:,}", g["found"])

    @value("How many of its true k nearest neighbours one query word got back (“7 of 10”).")
    def query_found(self, spec, result, word):
        q = next((q for q in result["queries"] if q["word"] == word), None)
        if q is None:
            raise LexiconError(f"'{word}' is not one of the block's queries",
                               fix=f"name one of: {', '.join(spec.queries) or '(none: add queries)'}")
        return Value(f"{q['found']} of {spec.k}", q["found"])

    @value("The first setting, the one the query table and the claims use (“m 6, ef 16”).")
    def setting(self, spec, result):
        return Value(_setting(result["grid"][0]))

    @value("The m value at this position of the list (1 = the first).")
    def links(self, spec, result, position="1"):
        m = spec.m_list[_position(position, spec.m_list)]
        return Value(str(m), m)

    @value("The ef value at this position of the list (1 = the first).")
    def breadth(self, spec, result, position="1"):
        ef = spec.ef_list[_position(position, spec.ef_list)]
        return Value(str(ef), ef)

    # --- rendering ----------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        k, grid, first = spec.k, result["grid"], result["grid"][0]
        setting = _setting(first)
        parts = []
        if first["total"]:
            parts.append(Html(
                f'<p class="ll-ann__summary">The index holds the model\'s '
                f'<strong>{result["index_size"]:,}</strong> most frequent words. '
                f"Over <strong>{spec.sample:,}</strong> random query words, the approximate search "
                f"({esc(setting)}) found <strong>{first['found']:,} of {first['total']:,}</strong> true nearest "
                f"neighbours: recall@{k} = <strong>{first['found'] / first['total']:.3f}</strong>.</p>"))
        # Figure: the recall grid when there is one; otherwise the caption stands above the tables.
        if len(grid) > 1 and first["total"]:
            rows = [[g["m"], g["ef"], f"{g['found']:,} of {g['total']:,}",
                     fmt(g["found"] / g["total"], 3)] for g in grid]
            parts.append(Figure(
                lambda: recall_grid_figure(grid, k),
                alt=(f"Line chart of recall@{k} over {spec.sample:,} random query words: " + "; ".join(
                    f"m {g['m']}, ef {g['ef']}: {g['found'] / g['total']:.3f}"
                    for g in grid) + "."),
                caption=spec.caption,
                default_caption=(f"Recall@{k} of the approximate search for each index setting: a denser graph "
                                 "(m) and a wider search (ef) find more of the true neighbours, "
                                 "at the cost of more work."),
                table=Table(["m", "ef", "True neighbours found", f"Recall@{k}"], rows,
                            numeric=(0, 1, 2, 3)),
                height=340, anchor="grid"))
        elif spec.caption:
            parts.append(Caption(spec.caption))
        if result["queries"]:
            parts += _query_tables(spec, result, setting)
        qs = spec.queries or ["coffee"]
        source = (
            "import faiss, numpy as np\n"
            f"x = kv.vectors[:{spec.top}].astype(np.float32)          # the most frequent words\n"
            "x /= np.linalg.norm(x, axis=1, keepdims=True)\n"
            f"q = [kv.key_to_index[w] for w in {qs!r}]\n\n"
            "# exact: compare each query with every word (the query itself left out)\n"
            f"kv.most_similar({qs[0]!r}, topn={k}, restrict_vocab={spec.top})\n\n"
            "# approximate: an HNSW graph (inner product of unit vectors = cosine), searched greedily\n"
            "faiss.omp_set_num_threads(1)                          # one thread: the same graph every time\n"
            f"index = faiss.IndexHNSWFlat(x.shape[1], {first['m']}, faiss.METRIC_INNER_PRODUCT)\n"
            "index.add(x)\n"
            f"index.hnsw.efSearch = {first['ef']}\n"
            f"score, found = index.search(x[q], {k + 1})  # k + 1: the query finds itself\n")
        parts.append(Code(source, "The calls behind these numbers"))
        return parts


def _parse_claim(text, spec):
    """``(word or None, '<' or '>', value)``, or None for ``recall rises``."""
    m = CLAIM.match(str(text))
    if m is None and str(text).strip() != "recall rises":
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix="write e.g. 'recall > 0.9' (over the sample), 'recall(coffee) < 1' "
                               "(one query word) or 'recall rises' (with m and ef)")
    if m is None:
        if len(spec.m_list) * len(spec.ef_list) < 2:
            raise LexiconError("'recall rises' needs several m or ef values",
                               fix="give lists, e.g.  m: [4, 8, 16]")
        return None
    if m["word"] and m["word"] not in spec.queries:
        raise LexiconError(f"the claim '{text}' names '{m['word']}', which is not one of the queries",
                           fix=f"name one of: {', '.join(spec.queries)}")
    if not m["word"] and spec.sample == 0:
        raise LexiconError(f"the claim '{text}' is about the sample, but 'sample' is 0",
                           fix="set 'sample' (e.g. 1000) or claim about one query: recall(coffee) < 1")
    return m["word"], m["op"], float(m["value"]) / (100 if m["pct"] else 1)


def _rises(spec, result, check):
    def recall(m, ef):
        return _recall(next(g for g in result["grid"] if g["m"] == m and g["ef"] == ef))
    ms, efs = sorted(spec.m_list), sorted(spec.ef_list)
    bad = []
    for ef in efs:
        bad += [f"m {a}→{b} at ef {ef}" for a, b in zip(ms, ms[1:]) if not recall(b, ef) > recall(a, ef)]
    for m in ms:
        bad += [f"ef {a}→{b} at m {m}" for a, b in zip(efs, efs[1:]) if not recall(m, b) > recall(m, a)]
    table_text = "; ".join(f"m {g['m']}, ef {g['ef']}: {_recall(g):.4f}" for g in result["grid"])
    check("recall rises with every larger m and every larger ef", not bad,
          ("it does not rise for " + ", ".join(bad) + ". " if bad else "") + table_text)


def _setting(g: dict) -> str:
    return f"m {g['m']}, ef {g['ef']}"


def _recall(g: dict) -> float:
    return g["found"] / g["total"] if g["total"] else g["named_found"] / g["named_total"]


def _grid_entry(spec, result, m, ef) -> dict:
    if not result["grid"][0]["total"]:
        raise LexiconError("the block has no random sample ('sample: 0'), so no recall over it",
                           fix="set 'sample' (e.g. 1000), or quote one query word with query_found(word)")
    if m is None:
        return result["grid"][0]
    try:
        m, ef = int(m), int(ef if ef is not None else spec.ef_list[0])
    except ValueError:
        raise LexiconError(f"'{m}, {ef}' is not a setting",
                           fix="write the m and ef values as whole numbers, e.g. recall(8, 32)") from None
    for g in result["grid"]:
        if g["m"] == m and g["ef"] == ef:
            return g
    raise LexiconError(f"the block did not compute the setting m {m}, ef {ef}",
                       fix="use one of: " + "; ".join(f"({g['m']}, {g['ef']})" for g in result["grid"]))


def _position(text, values: list) -> int:
    try:
        i = int(text)
    except ValueError:
        i = 0
    if not 1 <= i <= len(values):
        raise LexiconError(f"'{text}' is not a position in the list of {len(values)}",
                           fix=f"write a position from 1 to {len(values)}")
    return i - 1


def _query_tables(spec, result, setting) -> list:
    k = spec.k
    qrows = []
    for q in result["queries"]:
        true_words = [w for w, _ in q["exact"]]
        got = {w for w, _, _ in q["approx"]}
        missed = [f"{w} (#{i + 1})" for i, w in enumerate(true_words) if w not in got]
        extra = [f"{w} (#{r})" for w, _, r in q["approx"] if w not in true_words]
        qrows.append([q["word"], f"{q['found']} of {k}", ", ".join(missed) or "none", ", ".join(extra) or "none"])
    details = []
    for q in result["queries"]:
        got = {w for w, _, _ in q["approx"]}
        true_words = {w for w, _ in q["exact"]}
        rows = []
        for i in range(k):
            ew, es = q["exact"][i] if i < len(q["exact"]) else ("", None)
            aw, as_, ar = q["approx"][i] if i < len(q["approx"]) else ("", None, None)
            rows.append([i + 1, ew + ("" if ew in got else " ✗ missed"), fmt(es) if es is not None else "",
                         aw + ("" if aw in true_words or not aw else f" (true #{ar})"),
                         fmt(as_) if as_ is not None else ""])
        details += [Html(f"<p><strong>{esc(q['word'])}</strong></p>"),
                    Table(["Rank", "Exact", "Cosine", "Approximate", "Cosine"], rows, numeric=(0, 2, 4))]
    return [
        Html(f'<p class="ll-caption">Each query word with {esc(setting)}: the true neighbours the approximate '
             f"search missed, and what it returned instead (with each word's true rank).</p>"),
        Table(["Query", f"Found (of the true {k})", "Missed", "Returned instead"], qrows, numeric=(1,)),
        Details("Exact and approximate lists of every query word", details),
    ]


def recall_grid_figure(grid: list[dict], k: int):
    import plotly.graph_objects as go

    fig = go.Figure()
    ms = list(dict.fromkeys(g["m"] for g in grid))
    for i, m in enumerate(ms):
        gs = [g for g in grid if g["m"] == m]
        fig.add_trace(go.Scatter(
            x=[g["ef"] for g in gs], y=[g["found"] / g["total"] for g in gs], mode="lines+markers",
            name=f"m {m}", line=dict(color=figures.PALETTE[i % len(figures.PALETTE)], width=2),
            marker=dict(size=8, symbol=figures.SYMBOLS[i % len(figures.SYMBOLS)]),
            hovertemplate=f"m {m}, ef %{{x}}: recall %{{y:.3f}}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, legend=dict(orientation="h", y=-0.2),
                      xaxis=dict(title=dict(text="ef (search breadth)", standoff=4), automargin=True, type="log",
                                 tickvals=sorted({g["ef"] for g in grid})),
                      yaxis=dict(title=dict(text=f"recall@{k}", standoff=4), automargin=True, range=[None, 1.0]))
    return fig
