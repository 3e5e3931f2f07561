"""The learning path: the declared prerequisites (transitively reduced), the reading order, and
the graph figure of the learning-path page, laid out so that no two labels overlap."""

from __future__ import annotations

import math
import textwrap

from ..prerequisites import reduce
from ..terms import Term, TermIndex
from . import INDEX_PAGES, browse_links, by_level, by_title, level_badge, level_group, link, md_text, term_src


class LearningPath:
    """Prerequisites are declared in each term's front matter (``prerequisites:``).

    "Before this" is a term's direct prerequisites after transitive reduction (a prerequisite that
    another one already needs is left out); "After this" is the terms that need this one directly.
    Validation (:mod:`lexicon.prerequisites`) keeps the graph acyclic and never pointing up a level.
    """

    def __init__(self, index: TermIndex):
        self.index = index
        terms = index.terms
        self.direct = reduce({s: [p for p in t.prerequisites if p in terms] for s, t in terms.items()})
        self.needed_by: dict[str, list[str]] = {s: [] for s in terms}
        for s, pre in self.direct.items():
            for p in pre:
                self.needed_by[p].append(s)

    def before(self, slug: str) -> list[Term]:
        return by_level(self.index.terms[s] for s in self.direct[slug])

    def after(self, slug: str) -> list[Term]:
        return by_level(self.index.terms[s] for s in self.needed_by[slug])

    def edges(self) -> list[tuple[str, str]]:
        return sorted((p, s) for s, pre in self.direct.items() for p in pre)

    def order(self, max_level: int = 5) -> list[Term]:
        """A reading order: every term after all its prerequisites (Kahn's algorithm; ties by level,
        then category in the order of ``categories.yml``, then title). A prerequisite is never at a
        higher level, so the order goes level by level, and within a level by prerequisites, topic
        by topic where the prerequisites allow."""
        terms = {s: t for s, t in self.index.terms.items() if t.level <= max_level}
        rank = {path: i for i, path in enumerate(self.index.category_order)}
        waiting = {s: {p for p in self.direct[s] if p in terms} for s in terms}
        done: list[Term] = []
        while waiting:
            ready = [terms[s] for s, pre in waiting.items() if not pre]
            pick = min(ready, key=lambda t: (t.level, rank.get(" / ".join(t.category), len(rank)),
                                             [c.lower() for c in t.category], t.title.lower(), t.slug))
            done.append(pick)
            del waiting[pick.slug]
            for pre in waiting.values():
                pre.discard(pick.slug)
        return done

    def depth(self, slug: str) -> int:
        """Longest chain of prerequisites below a term."""
        return 1 + max((self.depth(p) for p in self.direct[slug]), default=-1)


# The graph's layout rule, in pixels. One column per level; in a column, terms in reading order,
# each label (wrapped to WRAP characters, at most MAX_LINES lines) given its own height plus GAP.
# The graph is shown from MIN_PLOT_WIDTH up (narrower screens get the list): there a column is
# wide enough for a label of WRAP characters at CHAR_PX each.
FONT_PX = 10
CHAR_PX = 0.62 * FONT_PX     # a generous average glyph width of a sans-serif font
LINE_PX = 13
GAP_PX = 8
MARKER_PX = 12
TEXT_PAD_PX = 9              # marker radius plus the space Plotly leaves before the text
WRAP = 14
MAX_LINES = 3
X_RANGE = (0.8, 5.85)
MIN_PLOT_WIDTH = 540          # a 600 px screen, less Material's padding and the figure's margins
MARGIN = {"l": 10, "r": 10, "t": 36}


def short_label(title: str) -> list[str]:
    lines = textwrap.wrap(title, WRAP, break_on_hyphens=True) or [title[:WRAP]]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][:WRAP - 1] + "…"
    return lines


def label_height(lines: list[str]) -> float:
    return max(len(lines) * LINE_PX, MARKER_PX)


def path_layout(lp: LearningPath) -> tuple[dict[str, tuple[int, float, list[str]]], float]:
    """Each term's (level, y in pixels from the top, label lines), and the plot area's height."""
    cols: dict[int, list[Term]] = {lv: [] for lv in range(1, 6)}
    for t in lp.order():
        cols[t.level].append(t)
    heights = {lv: sum(label_height(short_label(t.title)) for t in col) + GAP_PX * max(len(col) - 1, 0)
               for lv, col in cols.items()}
    total = max(heights.values()) + 2 * GAP_PX
    pos: dict[str, tuple[int, float, list[str]]] = {}
    for lv, col in cols.items():
        y = (total - heights[lv]) / 2
        for t in col:
            lines = short_label(t.title)
            h = label_height(lines)
            pos[t.slug] = (lv, y + h / 2, lines)
            y += h + GAP_PX
    return pos, total


def label_boxes(pos, plot_width: float = MIN_PLOT_WIDTH) -> dict[str, tuple[float, float, float, float]]:
    """Each label's box (left, top, right, bottom) in pixels, marker included, at ``plot_width``."""
    px = plot_width / (X_RANGE[1] - X_RANGE[0])
    boxes = {}
    for slug, (lv, y, lines) in pos.items():
        x = (lv - X_RANGE[0]) * px
        h = label_height(lines)
        boxes[slug] = (x - MARKER_PX / 2, y - h / 2,
                       x + TEXT_PAD_PX + max(len(line) for line in lines) * CHAR_PX, y + h / 2)
    return boxes


def path_page(index: TermIndex, figure_html: str) -> str:
    here = INDEX_PAGES["path"]
    lp = LearningPath(index)
    out = ["# Learning path", "",
           "Which terms should you read first? Each term names the terms a reader needs before it, its "
           "prerequisites. The figure draws every term by level (left to right) with a line from each "
           "prerequisite to the term that builds directly on it; select a term to open it. The same "
           "graph follows as a list in reading order.", "", browse_links(here), "",
           '<p class="ll-path-narrow">On a narrow screen the graph is left out: the reading order below '
           "lists the same terms and prerequisites.</p>", "", figure_html, "",
           "## Reading order", "",
           "Every term comes after all the terms it builds on.", ""]
    for i, t in enumerate(lp.order(), start=1):
        pre = lp.before(t.slug)
        needs = ("after " + ", ".join(f"[{md_text(b.title)}]({link(here, term_src(b))})" for b in pre)
                 if pre else "no prerequisites")
        out.append(f"{i}. [{md_text(t.title)}]({link(here, term_src(t))}) {level_badge(t)} — {needs}")
    return "\n".join(out) + "\n"


def path_figure(index: TermIndex, urls: dict[str, str]):
    """The whole graph as a Plotly figure: x = level, y = reading order within the level (in
    pixels, see :func:`path_layout`); a line from each prerequisite (transitive reduction).

    ``urls`` maps a slug to the term's URL relative to the learning-path page (customdata,
    followed by figures.js when a node is selected). The figure's height is its layout height.
    """
    import plotly.graph_objects as go

    lp = LearningPath(index)
    pos, plot_h = path_layout(lp)
    cats = sorted({" / ".join(t.category) for t in index.terms.values()})
    fig = go.Figure()
    ex, ey = [], []
    for a, b in lp.edges():
        (xa, ya, _), (xb, yb, _) = pos[a], pos[b]
        if xa == xb:   # a prerequisite at the same level: a bracket left of the column, clear of the labels
            off = min(0.03 + abs(yb - ya) / 3000, 0.07)
            ex += [xa, xa - off, xa - off, xb, None]
            ey += [ya, ya + 6, yb - 6, yb, None]
        else:
            ex += [xa, xb, None]
            ey += [ya, yb, None]
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                             line={"width": 1, "color": "rgba(120,120,140,0.5)"}))
    for cat in cats:
        ts = by_title(t for t in index.terms.values() if " / ".join(t.category) == cat)
        fig.add_trace(go.Scatter(
            x=[pos[t.slug][0] for t in ts], y=[pos[t.slug][1] for t in ts], mode="markers+text",
            name=_plotly_text(cat.replace(" / ", " › ")), text=["<br>".join(map(_plotly_text, pos[t.slug][2])) for t in ts],
            textposition="middle right", textfont={"size": FONT_PX}, cliponaxis=False,
            customdata=[urls[t.slug] for t in ts], marker={"size": MARKER_PX, "line": {"width": 1}},
            hovertext=[f"{_plotly_text(t.title)} ({level_group(t.level)} {t.level}/5)<br>{_plotly_text(t.summary)}"
                       for t in ts],
            hovertemplate="%{hovertext}<extra></extra>"))
    legend_rows = math.ceil(len(cats) / 2)   # two entries a row at the narrowest width shown
    margin = {**MARGIN, "b": 12 + 22 * legend_rows, "autoexpand": False}
    fig.update_layout(
        height=int(plot_h + margin["t"] + margin["b"]),
        xaxis={"tickvals": [1, 2, 3, 4, 5], "range": list(X_RANGE), "zeroline": False, "side": "top", "ticklabelposition": "outside right",
               "showgrid": False, "fixedrange": True,
               "ticktext": ["1 Beginner", "2 Beginner", "3 Intermediate", "4 Advanced", "5 Advanced"]},
        yaxis={"visible": False, "range": [plot_h, 0], "fixedrange": True},
        legend={"orientation": "h", "y": 0, "yanchor": "top", "x": 0},
        margin=margin, hovermode="closest")
    return fig


def _plotly_text(text: str) -> str:
    """Author text in a Plotly label, which reads <a href>, <b> … as markup: shown as text."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def path_figure_alt(index: TermIndex) -> str:
    lp = LearningPath(index)
    return (f"A graph of all {len(index.terms)} terms arranged by level from 1 (left) to 5 (right), with "
            f"{len(lp.edges())} lines, each from a prerequisite to a term that builds directly on it. "
            "The reading order below lists the same graph in words.")
