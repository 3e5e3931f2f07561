"""``filtered-search``: nearest neighbours restricted by a metadata filter, filtered first or last.

The "store" holds the model's ``top`` most frequent words; the words listed under ``allow`` are
the ones whose metadata passes the filter (say, tagged *drink*). Two ways to answer
"the k nearest words to the query that pass the filter" are compared, both exact (cosine):

- **filter first** (pre-filtering): search only among the allowed words: always k results;
- **search first** (post-filtering): fetch the ``fetch`` nearest words of the whole store, then
  drop those that fail the filter: often fewer than k results.
"""

from __future__ import annotations

import numpy as np

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure, fmt, model_note, table
from .base import Block, obj, register, str_list

DIGITS = 4


@register
class FilteredSearch(Block):
    kind = "filtered-search"
    summary = ("Nearest neighbours under a metadata filter: filtering first (always k results) against "
               "searching first and filtering the results (often fewer).")
    schema = obj({
        "query": {"type": "string", "minLength": 1},
        "allow": {**str_list(2, 200), "uniqueItems": True},
        "tag": {"type": "string", "minLength": 1},
        "k": {"type": "integer", "minimum": 1, "maximum": 20},
        "fetch": {"type": "integer", "minimum": 1, "maximum": 1000},
        "top": {"type": "integer", "minimum": 1000, "maximum": 400_000},
        "expect": obj({"nearest": {"type": "string", "minLength": 1},
                       "post_filter": {"type": "integer", "minimum": 0}}),
        "caption": {"type": "string", "minLength": 1},
    }, required=["query", "allow"])
    display_options = ("caption", "expect", "tag")
    example = "query: coffee\nallow: [tea, milk, juice, water, beer]\ntag: drink\nk: 3\nfetch: 10"

    def parse(self, data):
        k = data.get("k", 5)
        allow = [w for w in data["allow"] if w != data["query"]]
        if k > len(allow):
            raise LexiconError(f"k ({k}) is more than the {len(allow)} allowed words (the query left out)",
                               fix="lower k or allow more words")
        fetch = data.get("fetch", 2 * k)
        if fetch < k:
            raise LexiconError(f"'fetch' ({fetch}) is less than k ({k})",
                               fix="fetch at least k candidates before filtering (often 2 to 10 times k)")
        spec = {"query": data["query"], "allow": data["allow"], "tag": data.get("tag", "allowed"), "k": k,
                "fetch": fetch, "top": data.get("top", 50_000), "expect": data.get("expect", {}),
                "caption": data.get("caption")}
        if "post_filter" in spec["expect"] and spec["expect"]["post_filter"] > k:
            raise LexiconError(f"post-filtering returns at most k ({k}) results",
                               fix=f"claim a number from 0 to {k}")
        if "nearest" in spec["expect"] and spec["expect"]["nearest"] not in allow:
            raise LexiconError(f"'nearest' ({spec['expect']['nearest']}) is not one of the allowed words",
                               fix="name a word listed under 'allow'")
        return spec

    def words(self, spec):
        return [spec["query"]] + spec["allow"]

    def anchor_hint(self, spec):
        return f"filtered {spec['query']} {spec['tag']}"

    def compute(self, kv, spec):
        top = spec["top"]
        for w in [spec["query"]] + spec["allow"]:
            if kv.key_to_index[w] >= top:
                raise LexiconError(f"'{w}' is word #{kv.key_to_index[w] + 1:,} by frequency, outside the store "
                                   f"of the {top:,} most frequent words",
                                   fix=f"raise 'top' above {kv.key_to_index[w] + 1} or choose a more frequent word")
        x = np.asarray(kv.vectors[:top], dtype=np.float32)
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        q = kv.key_to_index[spec["query"]]
        sims = x @ x[q]
        sims[q] = -np.inf
        ranked = sorted(range(top), key=lambda j: (-sims[j], j))  # ties: the more frequent word first
        rank_of = {j: r + 1 for r, j in enumerate(ranked)}
        names = kv.index_to_key
        allowed = {kv.key_to_index[w] for w in spec["allow"]} - {q}
        fetched = ranked[:spec["fetch"]]
        post = [j for j in fetched if j in allowed][:spec["k"]]
        pre = sorted(allowed, key=lambda j: (-sims[j], j))[:spec["k"]]

        def row(j):
            return [names[j], round(float(sims[j]), DIGITS), rank_of[j]]
        return {"unfiltered": [row(j) for j in fetched], "pre": [row(j) for j in pre],
                "post": [row(j) for j in post], "store": top}

    def claims(self, spec, result):
        out, exp = [], spec["expect"]
        if "nearest" in exp:
            top = result["pre"][0][0]
            out.append(Claim(statement=f"the nearest {spec['tag']} word to '{spec['query']}' is '{exp['nearest']}'",
                             ok=top == exp["nearest"],
                             actual="the filtered results: " + ", ".join(f"{w} ({s:.4f})" for w, s, _ in result["pre"])))
        if "post_filter" in exp:
            n = len(result["post"])
            out.append(Claim(statement=f"searching the {spec['fetch']} nearest words first and then filtering returns "
                                       f"{exp['post_filter']} of the {spec['k']} results asked for",
                             ok=n == exp["post_filter"],
                             actual=f"it returns {n}: " + (", ".join(w for w, _, _ in result["post"]) or "nothing")))
        return out

    def render(self, spec, result, ctx):
        q, k, tag, fetch = spec["query"], spec["k"], spec["tag"], spec["fetch"]
        pre, post = result["pre"], result["post"]
        labels = [f"{w} (#{r:,} overall)" for w, _, r in pre]
        fig = figures.bar_scores(labels, [s for _, s, _ in pre], title=f"Nearest “{tag}” words to “{q}”")
        tbl = table(["Rank", "Filter first", "Cosine", "Rank in the whole store"],
                    [[i + 1, w, fmt(s), f"#{r:,}"] for i, (w, s, r) in enumerate(pre)], numeric_cols=(0, 2, 3))
        post_rows = [[i + 1, w, fmt(s), f"#{r:,}"] for i, (w, s, r) in enumerate(post)] or \
            [["–", "(nothing passed the filter)", "", ""]]
        unf = [[i + 1, w + (f" ✓ {tag}" if w in {p[0] for p in post} else ""), fmt(s)]
               for i, (w, s, _) in enumerate(result["unfiltered"])]
        summary = (f"<p>Filtering first returns <strong>{len(pre)} of {k}</strong> results. Searching first "
                   f"(the {fetch} nearest of all {result['store']:,} words) and then keeping only the "
                   f"<em>{esc(tag)}</em> words returns <strong>{len(post)} of {k}</strong>.</p>")
        source = (
            "import numpy as np\n"
            f"x = kv.vectors[:{spec['top']}]; x = x / np.linalg.norm(x, axis=1, keepdims=True)\n"
            f"sims = x @ x[kv.key_to_index[{q!r}]]\n"
            f"allowed = {spec['allow'][:4] + ['...'] if len(spec['allow']) > 4 else spec['allow']!r}\n".replace("'...'", "...")
            + "\n# filter first: rank only the allowed words\n"
            f"sorted(allowed, key=lambda w: -sims[kv.key_to_index[w]])[:{k}]\n\n"
            "# search first, filter last: the nearest words of the whole store, then the filter\n"
            f"fetched = [kv.index_to_key[j] for j in np.argsort(-sims)[1:{fetch + 1}]]  # [0] is the query\n"
            f"[w for w in fetched if w in allowed][:{k}]\n")
        return "".join([
            f'<div class="ll-block ll-filtered" id="{esc(ctx.anchor)}">', summary,
            figure(fig, alt=(f"Bar chart of the {len(pre)} nearest {tag} words to {q} by cosine similarity: "
                             + ", ".join(f"{w} {s:.2f} (rank {r} in the whole store)" for w, s, r in pre) + "."),
                   caption=spec["caption"] or (f"Filter first: the {k} nearest words to “{q}” among those tagged "
                                               f"*{tag}*, with each one's rank among all {result['store']:,} words."),
                   data_table=tbl, height=80 + 30 * len(pre), anchor=ctx.anchor + "-figure"),
            f'<p class="ll-caption">Search first, filter last: of the {fetch} nearest words, these pass the filter.</p>',
            table(["Rank", "Search first, then filter", "Cosine", "Rank in the whole store"], post_rows,
                  numeric_cols=(0, 2, 3)),
            f'<details class="ll-data"><summary>The {fetch} nearest words before filtering</summary>'
            + table(["Rank", "Word", "Cosine"], unf, numeric_cols=(0, 2)) + "</details>",
            claims_html(ctx.claims), code_details(source, "The numpy calls behind these results"),
            model_note(ctx.model_id), "</div>",
        ])
