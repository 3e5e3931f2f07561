"""Which words a crowded map writes beside their points: a subset whose labels do not collide.

Chosen at build time from the projected coordinates, for the narrowest plot a reader sees (a
phone, about 340 px across the map's square): a label's box is estimated from the word's length
and the font size, and a word is written only if its box stays inside the map, overlaps no label
already written and covers no other point. The groups take turns (round robin), so every group
gets a label before any gets a second (a group whose points are all crowded by others' gets one
that may cover a point); each group offers its words in the order given (on the
maps: the model's frequency rank, most frequent first), and a group stops at ``cap`` labels.
At wider widths the map is drawn at least as large, so labels that fit on a phone fit there too.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a label may sit, tried in this order: plotly's textposition, and the box's offset from
# the point as (x of the box's left edge, y of its bottom edge) in units of the box (w, h) and of
# the marker's radius r, in pixels with y up.
POSITIONS = {
    "top center": lambda w, h, r: (-w / 2, r),
    "bottom center": lambda w, h, r: (-w / 2, -r - h),
    "middle right": lambda w, h, r: (r, -h / 2),
    "middle left": lambda w, h, r: (-r - w, -h / 2),
}


@dataclass(frozen=True)
class Geometry:
    """The map as the narrowest reader sees it: ``half`` is the axis range's half-width (both axes
    show at least [-half, half]), drawn over ``plot_px`` pixels; labels in ``font_px`` text."""

    half: float = 1.12
    plot_px: float = 340.0
    font_px: float = 11.0
    char_em: float = 0.62      # a generous average width of a character (sans-serif, lower case)
    line_em: float = 1.3       # a line's height, ascenders and descenders included
    marker_px: float = 5.0     # the marker's radius and the gap to its label
    pad_px: float = 1.5        # space kept around every label

    @property
    def scale(self) -> float:
        """Pixels per unit of the coordinates."""
        return self.plot_px / (2 * self.half)


def label_box(x: float, y: float, word: str, position: str, g: Geometry) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top) in pixels, y up, of ``word`` written at ``position``."""
    w = len(word) * g.char_em * g.font_px + 2 * g.pad_px
    h = g.line_em * g.font_px + 2 * g.pad_px
    dx, dy = POSITIONS[position](w, h, g.marker_px)
    left, bottom = x * g.scale + dx, y * g.scale + dy
    return left, bottom, left + w, bottom + h


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def choose_labels(words: list[str], groups: list[str], coords, order: list[int], cap: int,
                  g: Geometry = Geometry()) -> dict[int, str]:
    """The words to write on the map: ``{index: plotly textposition}``.

    ``order`` ranks the points (lower first); ``cap`` is the most labels one group gets."""
    if cap <= 0:
        return {}
    edge = g.half * g.scale
    points = [(float(c[0]) * g.scale, float(c[1]) * g.scale) for c in coords]
    r = g.marker_px - 1  # a point counts as covered when a label reaches within a pixel of its centre
    queues = {name: sorted((k for k, lab in enumerate(groups) if lab == name), key=lambda k: (order[k], k))
              for name in dict.fromkeys(groups)}
    chosen: dict[int, str] = {}
    boxes: list[tuple] = []
    count = dict.fromkeys(queues, 0)

    def fits(k: int, spare_points: bool = True):
        for position in POSITIONS:
            box = label_box(coords[k][0], coords[k][1], words[k], position, g)
            if not (-edge <= box[0] and box[2] <= edge and -edge <= box[1] and box[3] <= edge):
                continue
            if any(overlaps(box, b) for b in boxes):
                continue
            if spare_points and any(j != k and overlaps(box, (px - r, py - r, px + r, py + r)) for j, (px, py) in enumerate(points)):
                continue
            return position, box
        return None

    while any(queues.values()):
        for name, queue in queues.items():
            while queue and count[name] < cap:
                k = queue.pop(0)
                found = fits(k)
                if found:
                    chosen[k] = found[0]
                    boxes.append(found[1])
                    count[name] += 1
                    break
            if count[name] >= cap:
                queue.clear()
    # A group whose points are all crowded by others' still gets its first word that fits among
    # the labels, even over another point.
    for name in (n for n, c in count.items() if c == 0):
        for k in sorted((k for k, lab in enumerate(groups) if lab == name), key=lambda k: (order[k], k)):
            found = fits(k, spare_points=False)
            if found:
                chosen[k] = found[0]
                boxes.append(found[1])
                break
    return dict(sorted(chosen.items()))
