"""``pca``: how much of the variance each principal component explains, and the words on the first two.

PCA is exact (scikit-learn, ``svd_solver='full'``), and each vector is scaled to length 1 first,
so that the map follows cosine similarity like every other map on the site. Claims such as
"the first 2 components explain less than 30%" are checked (``expect``).
"""

from __future__ import annotations

import re

import numpy as np

from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, code_details, esc, figure, fmt, model_note, table
from .base import register
from .layouts import (GROUPS_SCHEMA, TOP_SCHEMA, WORDS_SCHEMA, SharedCode, cumulative, labelled_map,
                      parse_points, pca_variance, point_vectors, points_phrase, variance_figure,
                      variance_table)

CLAIM = re.compile(r"^\s*first\s+(\d+)\s*([<>])\s*(\d+(?:\.\d+)?)\s*%\s*$")


def parse_claim(text: str, max_components: int) -> tuple[int, str, float]:
    m = CLAIM.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix="write e.g. 'first 2 < 30%' (the first 2 components explain less than 30% "
                               "of the variance) or 'first 10 > 50%'")
    n, op, p = int(m.group(1)), m.group(2), float(m.group(3))
    if not 1 <= n <= max_components:
        raise LexiconError(f"the claim '{text}' is about {n} components, but there are at most {max_components}",
                           fix=f"claim about 1 to {max_components} components")
    return n, op, p


@register
class PCABlock(SharedCode):
    kind = "pca"
    summary = ("PCA (scikit-learn, exact): each component's share of the variance, the running total, "
               "and the words on the first two components.")
    schema = {"type": "object", "additionalProperties": False, "required": [], "properties": {
        "words": WORDS_SCHEMA, "groups": GROUPS_SCHEMA, "top": TOP_SCHEMA,
        "components": {"type": "integer", "minimum": 2, "maximum": 400},
        "map": {"type": "boolean"},
        "labels": {"type": "boolean"},
        "expect": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "caption": {"type": "string", "minLength": 1},
    }}
    display_options = ("caption", "expect", "map", "labels", "components")
    example = "groups:\n  animals: [cat, dog, horse]\n  vehicles: [car, bus, train]\nexpect:\n  - first 2 > 40%"

    def parse(self, data):
        words, labels, top = parse_points(data, self.kind)
        n_points = top or len(words)
        # PCA of n points (centred) has at most min(n, dims) components; the model's dims are
        # checked at compute time, so here only the point count bounds the claims.
        spec = {"words": words, "labels": labels, "top": top,
                "components": data.get("components", 10), "map": data.get("map", top is None),
                "labels_shown": data.get("labels", len(words) <= 60), "caption": data.get("caption"),
                "expect": data.get("expect", [])}
        if top is not None and data.get("map"):
            raise LexiconError("a map of the 'top' words would be thousands of unlabelled points",
                               fix="remove 'map: true', or list the words to draw with 'words' or 'groups'")
        for t in spec["expect"]:
            parse_claim(t, n_points)
        return spec

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return f"top {spec['top']}" if spec["top"] else " ".join(list(dict.fromkeys(spec["labels"]))[:2]) \
            if len(set(spec["labels"])) > 1 else " ".join(spec["words"][:3])

    def compute(self, kv, spec):
        x = point_vectors(kv, spec["words"], spec["top"])
        shares, coords = pca_variance(x)
        out = {"shares": shares, "dims": int(x.shape[1])}
        if spec["words"]:
            out["coords"] = np.round(coords, 4).tolist()
        return out

    def claims(self, spec, result):
        out = []
        for t in spec["expect"]:
            n, op, p = parse_claim(t, len(result["shares"]))
            total = cumulative(result["shares"], n)
            ok = total * 100 < p if op == "<" else total * 100 > p
            word = "less" if op == "<" else "more"
            what = "the first principal component explains" if n == 1 else \
                f"the first {n} principal components explain"
            out.append(Claim(statement=f"{what} {word} than {p:g}% of the variance",
                             ok=ok, actual=f"they explain {total * 100:.2f}%"))
        return out

    def render(self, spec, result, ctx):
        shares = result["shares"]
        show = min(spec["components"], len(shares))
        what = points_phrase(spec["words"], spec["labels"], spec["top"])
        two = cumulative(shares, 2)
        cum_show = cumulative(shares, show)
        alt = (f"Bar chart of the share of the variance of {what} explained by each of the first {show} principal "
               f"components, with a line for the running total: component 1 explains {shares[0] * 100:.1f}%, "
               f"the first 2 together {two * 100:.1f}%, the first {show} together {cum_show * 100:.1f}%.")
        caption = spec["caption"] or (
            f"PCA of {what} ({result['dims']} dimensions, each vector scaled to length 1). Bars: each component's "
            f"share of the variance. Line: the first components together.")
        parts = [f'<div class="ll-block ll-pca" id="{esc(ctx.anchor)}">',
                 figure(variance_figure(shares, show), alt=alt, caption=caption,
                        data_table=variance_table(shares, show), height=340, anchor=ctx.anchor + "-variance")]
        if spec["map"] and spec["words"]:
            words, labels, coords = spec["words"], spec["labels"], result["coords"]
            groups = list(dict.fromkeys(labels))
            fig = labelled_map(words, labels, coords, spec["labels_shown"])
            fig.update_layout(xaxis=dict(title=dict(text=f"component 1 ({shares[0] * 100:.1f}%)", standoff=4),
                                         showgrid=True),
                              yaxis=dict(title=dict(text=f"component 2 ({shares[1] * 100:.1f}%)", standoff=4),
                                         showgrid=True),
                              legend=dict(orientation="h", y=-0.1, yanchor="top"), margin=dict(b=40))
            has_groups = len(groups) > 1
            rows = [[w] + ([g] if has_groups else []) + [fmt(c[0], 3), fmt(c[1], 3)]
                    for w, g, c in zip(words, labels, coords)]
            tbl = table(["Word"] + (["Group"] if has_groups else []) + ["Component 1", "Component 2"], rows,
                        numeric_cols=(2, 3) if has_groups else (1, 2))
            parts.append(figure(
                fig, alt=(f"Scatter plot of {what} on the first two principal components, which together explain "
                          f"{two * 100:.1f}% of the variance" + (f"; groups: {', '.join(groups)}" if has_groups else "")
                          + "."),
                caption=(f"The same words on the first two components: a view that keeps {two * 100:.1f}% "
                         "of the variance."),
                data_table=tbl, height=480, anchor=ctx.anchor + "-map"))
        if spec["top"]:
            source = (f"import numpy as np\nx = kv.vectors[:{spec['top']}].astype(np.float64)  # the most frequent words\n")
        else:
            shown = spec["words"] if len(spec["words"]) <= 6 else spec["words"][:5] + ["..."]
            source = ("import numpy as np\n" + f"words = {shown!r}\n".replace("'...'", "...")
                      + "x = np.stack([kv[w] for w in words]).astype(np.float64)\n")
        source += ("x /= np.linalg.norm(x, axis=1, keepdims=True)  # length 1, as for cosine similarity\n\n"
                   "from sklearn.decomposition import PCA\n"
                   "pca = PCA(svd_solver='full').fit(x)\n"
                   "pca.explained_variance_ratio_      # each component's share of the variance\n"
                   "pca.transform(x)[:, :2]            # the points on the first two components\n")
        parts += [claims_html(ctx.claims), code_details(source, "The scikit-learn calls behind these numbers"),
                  model_note(ctx.model_id), "</div>"]
        return "".join(parts)
