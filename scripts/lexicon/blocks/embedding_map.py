"""``embedding-map``: groups of words projected to 2-D by PCA, t-SNE and UMAP, as tabs."""

from __future__ import annotations

from .. import compute, figures
from ..errors import LexiconError
from ..render import author_markdown, esc, fmt, model_note, table, figure
from .base import CAPTION, Block, obj, register, str_list

METHODS = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
ABOUT = {
    "pca": "PCA keeps the two directions of greatest variance: distances are faithful on a large scale, "
           "and clusters may overlap.",
    "tsne": "t-SNE keeps each word's close neighbours close: tight clusters, but distances between "
            "clusters mean little.",
    "umap": "UMAP also keeps neighbourhoods, and tends to keep more of the global layout than t-SNE.",
}


@register
class EmbeddingMap(Block):
    kind = "embedding-map"
    summary = "Groups of words projected to 2-D with PCA, t-SNE and UMAP (fixed seed), one tab per method."
    schema = obj({
        "groups": {"type": "object", "minProperties": 2, "maxProperties": 8,
                   "additionalProperties": str_list(2)},
        "methods": {"type": "array", "minItems": 1, "uniqueItems": True,
                    "items": {"enum": list(METHODS)}},
        "seed": {"type": "integer", "minimum": 0},
        "caption": CAPTION,
    }, required=["groups"])
    example = "groups:\n  animals: [cat, dog, horse, cow]\n  vehicles: [car, bus, truck, train]\nmethods: [pca]"

    def parse(self, data):
        words, labels = [], []
        for group, ws in data["groups"].items():
            for w in ws:
                if w in words:
                    raise LexiconError(f"the word '{w}' is in two groups ('{labels[words.index(w)]}' and '{group}')",
                                       fix="keep each word in one group")
                words.append(w)
                labels.append(str(group))
        return {"words": words, "labels": labels, "methods": data.get("methods", list(METHODS)),
                "seed": data.get("seed", 42), "caption": data.get("caption")}

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return " ".join(list(dict.fromkeys(spec["labels"]))[:2])

    def compute(self, kv, spec):
        return compute.projections(kv, spec["words"], spec["labels"], spec["methods"], spec["seed"])

    def render(self, spec, result, ctx):
        words, labels = spec["words"], spec["labels"]
        groups = list(dict.fromkeys(labels))
        methods = spec["methods"]
        inputs, tab_labels, blocks = [], [], []
        for i, m in enumerate(methods):
            tab_id = f"{ctx.anchor}-{m}-tab"  # readable in a URL when a reader links a tab
            inputs.append(f'<input{" checked" if i == 0 else ""} id="{tab_id}" name="{ctx.anchor}-tabs" type="radio">')
            tab_labels.append(f'<label for="{tab_id}">{METHODS[m]}</label>')
            mp = result["maps"][m]
            alt = (f"Scatter plot of {len(words)} words in {len(groups)} groups ({', '.join(groups)}), "
                   f"projected to 2-D with {METHODS[m]}. {mp['agreement'] * 100:.0f}% of the words have "
                   f"their nearest neighbour on the map in their own group.")
            caption = (f"{METHODS[m]}: {mp['agreement'] * 100:.0f}% of words have their nearest map "
                       f"neighbour in their own group (in the full space: {result['full_agreement'] * 100:.0f}%). "
                       + ABOUT[m])
            blocks.append('<div class="tabbed-block">' + figure(
                figures.embedding_map(words, labels, mp["coords"]), alt=alt, caption=caption,
                height=520, anchor=f"{ctx.anchor}-{m}", data_table=None) + "</div>")
        headers = ["Word", "Group"] + [f"{METHODS[m]} {ax}" for m in methods for ax in ("x", "y")]
        rows = [[w, g] + [fmt(result["maps"][m]["coords"][k][ax], 3) for m in methods for ax in (0, 1)]
                for k, (w, g) in enumerate(zip(words, labels))]
        return "".join([
            f'<div class="ll-block ll-map" id="{esc(ctx.anchor)}">',
            f'<p class="ll-map__caption">{author_markdown(spec["caption"], inline=True)}</p>' if spec["caption"] else "",
            f'<div class="tabbed-set tabbed-alternate" data-tabs="{len(methods)}">',
            "".join(inputs), '<div class="tabbed-labels">', "".join(tab_labels), "</div>",
            '<div class="tabbed-content">', "".join(blocks), "</div></div>",
            f'<details class="ll-data"><summary>Coordinates of all {len(words)} words</summary>',
            table(headers, rows, numeric_cols=tuple(range(2, len(headers)))), "</details>",
            model_note(ctx.model_id), "</div>",
        ])
