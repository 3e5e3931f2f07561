"""The learning path: prerequisites from the related-term graph and the levels, the reading order,
and the graph figure of the learning-path page."""

from __future__ import annotations

from ..terms import TermIndex
from ..terms import Term
from . import INDEX_PAGES, browse_links, by_level, by_title, level_badge, level_group, link, md_text, term_src


class LearningPath:
    """Prerequisites follow from the related-term graph and the levels.

    Two terms are neighbours when either names the other under ``related``. Of two
    neighbours, the one at the lower level comes *before* the other; neighbours at the
    same level are simply related. Every edge goes up a level, so the graph has no cycle.
    """

    def __init__(self, index: TermIndex):
        self.index = index
        terms = index.terms
        self.neighbours: dict[str, set[str]] = {s: set() for s in terms}
        for t in terms.values():
            for r in t.related:
                if r in terms:
                    self.neighbours[t.slug].add(r)
                    self.neighbours[r].add(t.slug)

    def before(self, slug: str) -> list[Term]:
        me = self.index.terms[slug]
        return by_level(self.index.terms[s] for s in self.neighbours[slug] if self.index.terms[s].level < me.level)

    def after(self, slug: str) -> list[Term]:
        me = self.index.terms[slug]
        return by_level(self.index.terms[s] for s in self.neighbours[slug] if self.index.terms[s].level > me.level)

    def edges(self) -> list[tuple[str, str]]:
        return sorted((b.slug, s) for s in self.index.terms for b in self.before(s))

    def order(self, max_level: int = 5) -> list[Term]:
        """A reading order: every term after all its prerequisites (Kahn's algorithm; ties by
        level, then by how many terms a term opens up, then title)."""
        terms = {s: t for s, t in self.index.terms.items() if t.level <= max_level}
        waiting = {s: {b.slug for b in self.before(s) if b.slug in terms} for s in terms}
        done: list[Term] = []
        while waiting:
            ready = [terms[s] for s, pre in waiting.items() if not pre]
            pick = min(ready, key=lambda t: (t.level, -len(self.after(t.slug)), t.title.lower()))
            done.append(pick)
            del waiting[pick.slug]
            for pre in waiting.values():
                pre.discard(pick.slug)
        return done

    def depth(self, slug: str) -> int:
        """Longest chain of prerequisites below a term."""
        pre = self.before(slug)
        return 1 + max((self.depth(b.slug) for b in pre), default=-1)



def path_page(index: TermIndex, figure_html: str) -> str:
    here = INDEX_PAGES["path"]
    lp = LearningPath(index)
    out = ["# Learning path", "",
           "Which terms should you read first? Each term names its related terms; of two related terms, "
           "the one at the lower level comes first. The figure draws every term by level (left to right) "
           "with a line from each prerequisite; select a term to open it. The same graph follows as a "
           "list in reading order.", "", browse_links(here), "", figure_html, "",
           "## Reading order", "",
           "Every term comes after all the terms it builds on.", ""]
    for i, t in enumerate(lp.order(), start=1):
        pre = lp.before(t.slug)
        needs = ("after " + ", ".join(f"[{md_text(b.title)}]({link(here, term_src(b))})" for b in pre)
                 if pre else "no prerequisites")
        out.append(f"{i}. [{md_text(t.title)}]({link(here, term_src(t))}) {level_badge(t)} — {needs}")
    return "\n".join(out) + "\n"


def path_figure(index: TermIndex, urls: dict[str, str]):
    """The whole graph as a Plotly figure: x = level, y = order within the level; lines up a level.

    ``urls`` maps a slug to the term's URL relative to the learning-path page (customdata,
    followed by figures.js when a node is selected).
    """
    import plotly.graph_objects as go

    lp = LearningPath(index)
    cats = {" / ".join(t.category) for t in index.terms.values()}
    cat_rank = {c: i for i, c in enumerate(sorted(cats))}
    pos: dict[str, tuple[float, float]] = {}
    for lv in range(1, 6):
        col = sorted((t for t in index.terms.values() if t.level == lv),
                     key=lambda t: (cat_rank[" / ".join(t.category)], t.title.lower()))
        for i, t in enumerate(col):
            pos[t.slug] = (lv, -(i - (len(col) - 1) / 2))
    fig = go.Figure()
    ex, ey = [], []
    for a, b in lp.edges():
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ex += [x0, x1, None]
        ey += [y0, y1, None]
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                             line={"width": 1, "color": "rgba(120,120,140,0.45)"}))
    for cat in sorted(cats):
        ts = by_title(t for t in index.terms.values() if " / ".join(t.category) == cat)
        fig.add_trace(go.Scatter(
            x=[pos[t.slug][0] for t in ts], y=[pos[t.slug][1] for t in ts], mode="markers+text",
            name=cat.replace(" / ", " › "), text=[t.title for t in ts], textposition="middle right",
            customdata=[urls[t.slug] for t in ts], marker={"size": 12, "line": {"width": 1}},
            hovertext=[f"{t.title} ({level_group(t.level)} {t.level}/5)<br>{t.summary}" for t in ts],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(
        xaxis={"title": "Level", "tickvals": [1, 2, 3, 4, 5], "range": [0.7, 6.3], "zeroline": False,
               "ticktext": ["1 Beginner", "2 Beginner", "3 Intermediate", "4 Advanced", "5 Advanced"]},
        yaxis={"visible": False}, legend={"orientation": "h", "y": -0.12},
        margin={"l": 10, "r": 10, "t": 10, "b": 10}, hovermode="closest")
    return fig


def path_figure_alt(index: TermIndex) -> str:
    lp = LearningPath(index)
    return (f"A graph of all {len(index.terms)} terms arranged by level from 1 (left) to 5 (right), with "
            f"{len(lp.edges())} lines from each term to the related terms at higher levels. "
            "The reading order below lists the same graph in words.")


