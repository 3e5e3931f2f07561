"""``ann``: approximate nearest neighbours (pynndescent) against exact cosine search (numpy).

The index holds the model's ``top`` most frequent words. For each query word the block lists
the exact k nearest words, what the approximate index returned, and which true neighbours it
missed; over a random sample of query words it reports recall@k as a count ("9,470 of 10,000
true neighbours found"). It reports counts, never timings: timings change from build to build.

Determinism: NNDescent gets a fixed ``random_state`` and ``n_jobs=1``; exact ties are broken by
frequency rank. Cold cost: numba compiles pynndescent's graph builder on first use in a process
(about 15 to 20 s on two cores; it is not cached on disk); the result is cached afterwards.
"""

from __future__ import annotations

import re

import numpy as np

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import author_markdown, claims_html, code_details, esc, figure, fmt, model_note, table
from .base import Block, register

SCORE_DIGITS = 4
CLAIM = re.compile(r"^\s*recall(?:\((?P<word>[^)\s]+)\))?\s*(?P<op>[<>])\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<pct>%?)\s*$")


def one_or_list(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "array", "minItems": 1, "maxItems": 5, "uniqueItems": True, "items": schema}]}


def unit_rows(kv, top: int) -> np.ndarray:
    x = np.asarray(kv.vectors[:top], dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def exact_neighbours(x: np.ndarray, queries: np.ndarray, k: int, chunk: int = 256):
    """Exact top-k by cosine (rows of ``x`` are unit length), leaving out the query itself.

    Returns the neighbours' row numbers and their scores; ties go to the more frequent word.
    """
    idx_out, score_out = [], []
    for start in range(0, len(queries), chunk):
        q = queries[start:start + chunk]
        s = x[q] @ x.T
        s[np.arange(len(q)), q] = -np.inf
        part = np.argpartition(-s, k, axis=1)[:, :k + 1]
        for row, cand in zip(s, part):
            order = sorted(cand.tolist(), key=lambda j: (-row[j], j))[:k]
            idx_out.append(order)
            score_out.append([float(row[j]) for j in order])
    return np.array(idx_out), score_out


def true_rank(x: np.ndarray, q: int, j: int) -> int:
    """Rank of word j among all indexed words by cosine to word q (1 = nearest; q itself left out)."""
    s = x @ x[q]
    s[q] = -np.inf
    return int((s > s[j]).sum() + np.sum((s == s[j]) & (np.arange(len(s)) < j)) + 1)


def approximate_neighbours(index, x: np.ndarray, queries: np.ndarray, k: int, epsilon: float) -> list[list[int]]:
    found, _ = index.query(x[queries], k=k + 1, epsilon=epsilon)
    return [[int(j) for j in row if j != q and j >= 0][:k] for row, q in zip(found, queries)]


def build_index(x: np.ndarray, n_neighbors: int, seed: int):
    import warnings

    import pynndescent

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pynndescent.NNDescent(x, metric="cosine", n_neighbors=n_neighbors, random_state=seed, n_jobs=1)


@register
class ANN(Block):
    kind = "ann"
    summary = ("Approximate nearest neighbours (pynndescent) against exact cosine search: recall@k as "
               "counts, and the true neighbours the approximate search missed.")
    schema = {"type": "object", "additionalProperties": False, "required": [], "properties": {
        "queries": {"type": "array", "minItems": 1, "maxItems": 8, "uniqueItems": True,
                    "items": {"type": "string", "minLength": 1}},
        "top": {"type": "integer", "minimum": 1000, "maximum": 400_000},
        "k": {"type": "integer", "minimum": 1, "maximum": 50},
        "n_neighbors": one_or_list({"type": "integer", "minimum": 2, "maximum": 100}),
        "epsilon": one_or_list({"type": "number", "minimum": 0, "maximum": 1}),
        "sample": {"type": "integer", "minimum": 0, "maximum": 5000},
        "seed": {"type": "integer", "minimum": 0},
        "expect": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "caption": {"type": "string", "minLength": 1},
    }}
    example = "queries: [coffee, frog]\ntop: 50000\nk: 10\nn_neighbors: 10\nexpect:\n  - recall > 0.8"

    def parse(self, data):
        as_list = lambda v: v if isinstance(v, list) else [v]  # noqa: E731
        if not data.get("queries") and data.get("sample", 1000) == 0:
            raise LexiconError("with no 'queries' and 'sample: 0' there is nothing to search for",
                               fix="list query words under 'queries', or set 'sample' (e.g. 1000)")
        spec = {"queries": data.get("queries", []), "top": data.get("top", 50_000), "k": data.get("k", 10),
                "n_neighbors": as_list(data.get("n_neighbors", 15)),
                "epsilon": [float(e) for e in as_list(data.get("epsilon", 0.1))],
                "sample": data.get("sample", 1000), "seed": data.get("seed", 42),
                "expect": data.get("expect", []), "caption": data.get("caption")}
        if spec["sample"] > spec["top"]:
            raise LexiconError(f"'sample' ({spec['sample']}) is larger than the index ('top': {spec['top']})",
                               fix="lower 'sample' or raise 'top'")
        for text in spec["expect"]:
            self._parse_claim(text, spec)
        return spec

    def _parse_claim(self, text, spec):
        m = CLAIM.match(str(text))
        if m is None and str(text).strip() != "recall rises":
            raise LexiconError(f"cannot read the claim '{text}'",
                               fix="write e.g. 'recall > 0.9' (over the sample), 'recall(coffee) < 1' "
                                   "(one query word) or 'recall rises' (with n_neighbors and epsilon)")
        if m is None:
            if len(spec["n_neighbors"]) * len(spec["epsilon"]) < 2:
                raise LexiconError("'recall rises' needs several n_neighbors or epsilon values",
                                   fix="give lists, e.g.  n_neighbors: [5, 15, 30]")
            return None
        if m["word"] and m["word"] not in spec["queries"]:
            raise LexiconError(f"the claim '{text}' names '{m['word']}', which is not one of the queries",
                               fix=f"name one of: {', '.join(spec['queries'])}")
        if not m["word"] and spec["sample"] == 0:
            raise LexiconError(f"the claim '{text}' is about the sample, but 'sample' is 0",
                               fix="set 'sample' (e.g. 1000) or claim about one query: recall(coffee) < 1")
        value = float(m["value"]) / (100 if m["pct"] else 1)
        return m["word"], m["op"], value

    def words(self, spec):
        return spec["queries"]

    def anchor_hint(self, spec):
        return " ".join(spec["queries"][:3]) or f"recall top {spec['top']}"

    def compute(self, kv, spec):
        top, k = spec["top"], spec["k"]
        for w in spec["queries"]:
            if kv.key_to_index[w] >= top:
                raise LexiconError(f"'{w}' is word #{kv.key_to_index[w] + 1:,} by frequency, outside the index "
                                   f"of the {top:,} most frequent words",
                                   fix=f"raise 'top' above {kv.key_to_index[w] + 1} or choose a more frequent word")
        x = unit_rows(kv, top)
        q_named = np.array([kv.key_to_index[w] for w in spec["queries"]], dtype=np.int64)
        rng = np.random.default_rng(spec["seed"])
        q_sample = np.sort(rng.choice(top, size=spec["sample"], replace=False)) if spec["sample"] else \
            np.array([], dtype=int)
        queries = np.concatenate([q_named, q_sample]).astype(np.int64)
        exact, exact_scores = exact_neighbours(x, queries, k)
        names = kv.index_to_key
        grid, per_query = [], []
        for gi, nn in enumerate(spec["n_neighbors"]):
            index = build_index(x, nn, spec["seed"])
            for ei, eps in enumerate(spec["epsilon"]):
                approx = approximate_neighbours(index, x, queries, k, eps)
                hits = [len(set(a) & set(e.tolist())) for a, e in zip(approx, exact)]
                n_named = len(q_named)
                grid.append({"n_neighbors": nn, "epsilon": eps,
                             "found": int(sum(hits[n_named:])), "total": int(k * len(q_sample)),
                             "named_found": int(sum(hits[:n_named])), "named_total": int(k * n_named)})
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
                            "found": hits[i],
                        })
        return {"grid": grid, "queries": per_query, "index_size": top, "dims": int(x.shape[1])}

    def claims(self, spec, result):
        out = []
        first = result["grid"][0]
        setting = f"n_neighbors {first['n_neighbors']}, epsilon {first['epsilon']:g}"
        for text in spec["expect"]:
            parsed = self._parse_claim(text, spec)
            if parsed is None:
                out.append(self._rises(spec, result))
                continue
            word, op, value = parsed
            if word:
                q = next(q for q in result["queries"] if q["word"] == word)
                recall = q["found"] / spec["k"]
                subject = f"the approximate recall@{spec['k']} of '{word}'"
                actual = f"it found {q['found']} of the {spec['k']} true nearest neighbours ({setting})"
            else:
                recall = first["found"] / first["total"]
                subject = f"recall@{spec['k']} over {spec['sample']:,} random query words"
                actual = f"it is {recall:.4f}: {first['found']:,} of {first['total']:,} true neighbours found ({setting})"
            ok = recall > value if op == ">" else recall < value
            out.append(Claim(statement=f"{subject} is {'above' if op == '>' else 'below'} {value:g}", ok=ok,
                             actual=actual))
        return out

    def _rises(self, spec, result):
        def recall(nn, eps):
            g = next(g for g in result["grid"] if g["n_neighbors"] == nn and g["epsilon"] == eps)
            return g["found"] / g["total"] if g["total"] else g["named_found"] / g["named_total"]
        nns, epss = sorted(spec["n_neighbors"]), sorted(spec["epsilon"])
        bad = []
        for eps in epss:
            bad += [f"n_neighbors {a}→{b} at epsilon {eps:g}" for a, b in zip(nns, nns[1:])
                    if not recall(b, eps) > recall(a, eps)]
        for nn in nns:
            bad += [f"epsilon {a:g}→{b:g} at n_neighbors {nn}" for a, b in zip(epss, epss[1:])
                    if not recall(nn, b) > recall(nn, a)]
        table_text = "; ".join(f"n_neighbors {g['n_neighbors']}, epsilon {g['epsilon']:g}: "
                               f"{(g['found'] / g['total'] if g['total'] else g['named_found'] / g['named_total']):.4f}"
                               for g in result["grid"])
        return Claim(statement="recall rises with every larger n_neighbors and every larger epsilon",
                     ok=not bad, actual=("it does not rise for " + ", ".join(bad) + ". " if bad else "") + table_text)

    def render(self, spec, result, ctx):
        k, grid, first = spec["k"], result["grid"], result["grid"][0]
        setting = f"n_neighbors {first['n_neighbors']}, epsilon {first['epsilon']:g}"
        parts = [f'<div class="ll-block ll-ann" id="{esc(ctx.anchor)}">']
        if first["total"]:
            parts.append(
                f'<p class="ll-ann__summary">The index holds the model\'s <strong>{result["index_size"]:,}</strong> most '
                f"frequent words. Over <strong>{spec['sample']:,}</strong> random query words, the approximate search "
                f"({esc(setting)}) found <strong>{first['found']:,} of {first['total']:,}</strong> true nearest "
                f"neighbours: recall@{k} = <strong>{first['found'] / first['total']:.3f}</strong>.</p>")
        # Figure: the recall grid when there is one, else each query's recall.
        if len(grid) > 1 and first["total"]:
            fig = recall_grid_figure(grid, k)
            rows = [[g["n_neighbors"], f"{g['epsilon']:g}", f"{g['found']:,} of {g['total']:,}",
                     fmt(g["found"] / g["total"], 3)] for g in grid]
            parts.append(figure(
                fig, alt=(f"Line chart of recall@{k} over {spec['sample']:,} random query words: " + "; ".join(
                    f"n_neighbors {g['n_neighbors']}, epsilon {g['epsilon']:g}: {g['found'] / g['total']:.3f}"
                    for g in grid) + "."),
                caption=spec["caption"] or (f"Recall@{k} of the approximate search for each index setting: "
                                            "a denser graph (n_neighbors) and a wider search (epsilon) find more "
                                            "of the true neighbours, at the cost of more work."),
                data_table=table(["n_neighbors", "epsilon", "True neighbours found", f"Recall@{k}"], rows,
                                 numeric_cols=(0, 1, 2, 3)),
                height=340, anchor=ctx.anchor + "-grid"))
        elif spec["caption"]:  # no grid figure to carry it: show the caption above the tables
            parts.append(f'<p class="ll-caption">{author_markdown(spec["caption"], inline=True)}</p>')
        if result["queries"]:
            parts.append(self._query_tables(spec, result, setting))
        parts.append(claims_html(ctx.claims))
        qs = spec["queries"] or ["coffee"]
        source = (
            "import numpy as np, pynndescent\n"
            f"x = kv.vectors[:{spec['top']}].astype(np.float32)          # the most frequent words\n"
            "x /= np.linalg.norm(x, axis=1, keepdims=True)\n"
            f"q = [kv.key_to_index[w] for w in {qs!r}]\n\n"
            "# exact: compare each query with every word (the query itself left out)\n"
            f"kv.most_similar({qs[0]!r}, topn={k}, restrict_vocab={spec['top']})\n\n"
            "# approximate: a k-nearest-neighbour graph, searched greedily\n"
            f"index = pynndescent.NNDescent(x, metric='cosine', n_neighbors={first['n_neighbors']},\n"
            f"                              random_state={spec['seed']}, n_jobs=1)\n"
            f"found, dist = index.query(x[q], k={k + 1}, epsilon={first['epsilon']:g})  # k + 1: the query finds itself\n")
        parts += [code_details(source, "The calls behind these numbers"), model_note(ctx.model_id), "</div>"]
        return "".join(parts)

    def _query_tables(self, spec, result, setting):
        k, parts = spec["k"], []
        qrows = []
        for q in result["queries"]:
            true_words = [w for w, _ in q["exact"]]
            got = {w for w, _, _ in q["approx"]}
            missed = [f"{w} (#{i + 1})" for i, w in enumerate(true_words) if w not in got]
            extra = [f"{w} (#{r})" for w, _, r in q["approx"] if w not in true_words]
            qrows.append([q["word"], f"{q['found']} of {k}", ", ".join(missed) or "none",
                          ", ".join(extra) or "none"])
        parts.append(f'<p class="ll-caption">Each query word with {esc(setting)}: the true neighbours the '
                     f"approximate search missed, and what it returned instead (with each word's true rank).</p>")
        parts.append(table(["Query", f"Found (of the true {k})", "Missed", "Returned instead"], qrows,
                           numeric_cols=(1,)))
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
            details.append(f"<p><strong>{esc(q['word'])}</strong></p>" +
                           table(["Rank", "Exact", "Cosine", "Approximate", "Cosine"], rows, numeric_cols=(0, 2, 4)))
        parts.append(f'<details class="ll-data"><summary>Exact and approximate lists of every query word</summary>'
                     f'{"".join(details)}</details>')
        return "".join(parts)


def recall_grid_figure(grid: list[dict], k: int):
    import plotly.graph_objects as go

    fig = go.Figure()
    nns = list(dict.fromkeys(g["n_neighbors"] for g in grid))
    for i, nn in enumerate(nns):
        gs = [g for g in grid if g["n_neighbors"] == nn]
        fig.add_trace(go.Scatter(
            x=[g["epsilon"] for g in gs], y=[g["found"] / g["total"] for g in gs], mode="lines+markers",
            name=f"n_neighbors {nn}", line=dict(color=figures.PALETTE[i % len(figures.PALETTE)], width=2),
            marker=dict(size=8, symbol=figures.SYMBOLS[i % len(figures.SYMBOLS)]),
            hovertemplate=f"n_neighbors {nn}, epsilon %{{x}}: recall %{{y:.3f}}<extra></extra>"))
    fig.update_layout(**figures.BASE_LAYOUT, legend=dict(orientation="h", y=-0.2),
                      xaxis=dict(title=dict(text="epsilon (search breadth)", standoff=4), automargin=True),
                      yaxis=dict(title=dict(text=f"recall@{k}", standoff=4), automargin=True, range=[None, 1.0]))
    return fig
