"""``embedding-map``: groups of words projected to 2-D by PCA, t-SNE and UMAP, as tabs."""

from __future__ import annotations

import logging
import time

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Details, Figure, Tab, Table, Tabs
from ...errors import LexiconError
from ...numeric import COORD_DIGITS, rounded
from ...render import fmt
from ._judging import agreement, pct
from ._labels import Geometry, choose_labels
from ._layouts import METHOD_NAME, layout
from ._words import unit_vectors

log = logging.getLogger("mkdocs.plugins.lexicon")

METHODS = ["pca", "tsne", "umap"]
ABOUT = {
    "pca": "PCA keeps the two directions of greatest variance: distances along them are exact, but "
           "everything in the other directions is dropped, so points can look closer than they are, "
           "and clusters may overlap.",
    "tsne": "t-SNE keeps each word's close neighbours close: tight clusters, but distances between "
            "clusters mean little.",
    "umap": "UMAP also keeps neighbourhoods; how much of the layout between clusters survives depends "
            "mostly on the starting layout, and here both t-SNE and UMAP start from PCA.",
}


def setting(method: str, n_words: int):
    """The one setting each method runs with here: t-SNE's perplexity, UMAP's n_neighbors."""
    if method == "tsne":
        return float(min(30, max(5, (n_words - 1) // 4)))
    if method == "umap":
        return 15
    return None


class EmbeddingMap(Kind):
    """Groups of words projected to 2-D with PCA, t-SNE and UMAP (fixed seed), one tab per method.

    Groups of words projected from the model's dimensions to two, with one tab per method. Each
    figure's caption gives the share of words whose nearest neighbour on the map is in the same
    group, so readers can compare the methods. A collapsible table lists every coordinate.
    Every point names its word on hover; a few words of each group (`labels`, the most frequent in
    the model first) are also written beside their points, those whose label fits on a phone-sized
    map without covering another label or point.

    t-SNE uses a perplexity of a quarter of the number of words (at least 5, at most 30); UMAP uses
    15 neighbours. The same seed draws the same map on every build.

    **UMAP is slow.** PCA and t-SNE usually take well under a second. UMAP takes several seconds
    each time the block is computed (about 8 seconds for the 200 words on the Embedding page), and
    more the first time in a build. The default is all three methods, so for small examples write
    `methods: [pca, tsne]`.
    """

    distinct_words = True  # a map (geometry.require_spread)

    example = ("groups:\n  fruit: [banana, cherry, grape, lemon, mango, peach, pear, plum]\n"
               "  instruments: [guitar, piano, violin, drums, flute, trumpet, cello, saxophone]\n"
               "methods: [pca, tsne]\ncaption: Click a group in the legend to hide or show it.")
    options = opt.Options(
        Kind.options,
        groups=opt.groups("Named lists of words, `animals: [cat, dog, horse]`, at least 2 words each; a word may "
                          "be in only one group.", min=2, max=8, required=True),
        methods=opt.raw("The tabs, in this order.", {"type": "array", "minItems": 1, "uniqueItems": True,
                                                     "items": {"enum": METHODS}},
                        "list of `pca`, `tsne`, `umap`", default=list(METHODS), convert=list),
        seed=opt.seed("The random seed for t-SNE and UMAP, so every build draws the same map.", default=42),
        caption=opt.text("A line shown above the tabs (Markdown).", display=True),
        labels=opt.integer("At most this many words of each group written beside their points: the group's "
                           "most frequent words in the model whose labels fit on a phone-sized map without "
                           "covering another label or point (every point names its word on hover). `0` for none.",
                           default=5, min=0, max=50, display=True),
    )

    def prepare(self, spec):
        words, labels = [], []
        for group, ws in spec.groups.items():
            for w in ws:
                if w in words:
                    raise LexiconError(f"the word '{w}' is in two groups ('{labels[words.index(w)]}' and '{group}')",
                                       fix="keep each word in one group")
                words.append(w)
                labels.append(str(group))
        spec.word_list, spec.group_of = words, labels

    def words(self, spec):
        return spec.word_list

    def anchor_hint(self, spec):
        return " ".join(list(dict.fromkeys(spec.group_of))[:2])

    def compute(self, kv, spec):
        """2-D maps of the words by each method, with how well each keeps groups together: the share of
        words whose nearest neighbour (on the map, or by cosine in the full space) is in the same group."""
        labels = spec.group_of
        x = unit_vectors(kv, spec.word_list)
        out = {"full_agreement": agreement(x @ x.T, labels, higher_is_closer=True), "maps": {},
               # each word's frequency rank in the model (0 = most frequent): the labels' order
               "ranks": [kv.key_to_index[w] for w in spec.word_list]}
        for method in spec.methods:
            started = time.perf_counter()
            coords = layout(x, method, setting(method, len(x)), spec.seed)
            d = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=-1)
            out["maps"][method] = {
                "coords": rounded(coords, COORD_DIGITS),
                "agreement": agreement(d, labels, higher_is_closer=False),
            }
            log.info("lexicon: %s map of %d words in %.1f s", method, len(x), time.perf_counter() - started)
        return out

    # --- values for prose -----------------------------------------------------------------------------
    @value("How many words the map shows.")
    def points(self, spec, result):
        return Value(f"{len(spec.word_list):,}", len(spec.word_list))

    @value("The share of words whose nearest neighbour on this method's map (`pca`, `tsne` or `umap`) is in "
           "their own group, as the caption shows it.")
    def agreement(self, spec, result, method):
        key = {v.lower(): k for k, v in METHOD_NAME.items()}.get(str(method).strip().lower(), str(method).strip())
        if key not in result["maps"]:
            raise LexiconError(f"the block draws no '{method}' map", fix="name one of: " + ", ".join(result["maps"]))
        share = result["maps"][key]["agreement"]
        return Value(pct(share), share)

    @value("The same share in the model's full space, by cosine similarity, as the captions show it.")
    def full_agreement(self, spec, result):
        return Value(pct(result["full_agreement"]), result["full_agreement"])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        words, labels, methods = spec.word_list, spec.group_of, spec.methods
        groups = list(dict.fromkeys(labels))
        tabs = []
        for m in methods:
            mp = result["maps"][m]
            alt = (f"Scatter plot of {len(words)} words in {len(groups)} groups ({', '.join(groups)}), "
                   f"projected to 2-D with {METHOD_NAME[m]}. {mp['agreement'] * 100:.0f}% of the words have "
                   f"their nearest neighbour on the map in their own group.")
            written = choose_labels(words, labels, mp["coords"], result["ranks"], spec.labels)
            if written:
                alt += " Words written on the map: " + ", ".join(words[k] for k in written) + "."
            caption = (f"{METHOD_NAME[m]}: {mp['agreement'] * 100:.0f}% of words have their nearest map "
                       f"neighbour in their own group (in the full space: {result['full_agreement'] * 100:.0f}%). "
                       + ABOUT[m])
            if written and len(written) < len(words):
                caption += (" A word is written beside its point only where its label fits without covering "
                            "another, the group's most frequent first, so crowded clusters show few; hover over "
                            "or tap any point for its word.")
            fig = Figure(lambda coords=mp["coords"], written=written:
                         figures.embedding_map(words, labels, coords, written, Geometry.half),
                         alt=alt, default_caption=caption, height=520, anchor=m)
            tabs.append(Tab(METHOD_NAME[m], m, [fig]))
        headers = ["Word", "Group"] + [f"{METHOD_NAME[m]} {ax}" for m in methods for ax in ("x", "y")]
        rows = [[w, g] + [fmt(result["maps"][m]["coords"][k][ax], 3) for m in methods for ax in (0, 1)]
                for k, (w, g) in enumerate(zip(words, labels))]
        return ([Caption(spec.caption, cls="ll-map__caption")] if spec.caption else []) + [
            Tabs(tabs),
            Details(f"Coordinates of all {len(words)} words",
                    [Table(headers, rows, numeric=tuple(range(2, len(headers))))]),
        ]
