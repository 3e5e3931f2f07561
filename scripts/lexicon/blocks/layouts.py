"""What the t-SNE, UMAP and PCA blocks share: their word lists, 2-D layouts, and how to judge a map.

The blocks ``tsne``, ``umap``, ``map-exercise``, ``pca`` and ``variance-exercise`` import
this module; :class:`SharedCode` adds its hash to their cache keys, so editing the code here
recomputes their results (the cache otherwise hashes only each kind's own module).

A map is judged by two numbers a reader can compare across settings:

- **kept neighbours**: the share of each word's *k* nearest words in the full space (by cosine)
  that are also among its *k* nearest on the map;
- **group agreement**: the share of words whose nearest word on the map is in the same group.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..cache import code_version
from ..claims import Claim
from ..errors import LexiconError
from ..figures import BASE_LAYOUT, PALETTE, SYMBOLS
from .base import Block, str_list

COORD_DIGITS = 3
SHARE_DIGITS = 3
FRAME = "rgba(128, 128, 128, 0.35)"

WORDS_SCHEMA = {**str_list(2), "uniqueItems": True}
GROUPS_SCHEMA = {"type": "object", "minProperties": 1, "maxProperties": 8,
                 "additionalProperties": str_list(2)}
SEED_SCHEMA = {"type": "integer", "minimum": 0}


class SharedCode(Block):
    """A block whose result also depends on this module: its code joins the cache key."""

    def result_inputs(self, spec: dict) -> dict:
        return {**super().result_inputs(spec), "shared_code": code_version(__name__)}


# --- words and groups ---------------------------------------------------------

def parse_words(data: dict, kind: str) -> tuple[list[str], list[str]]:
    """``words: [...]`` (one group) or ``groups: {name: [...]}`` → (words, group of each word)."""
    if ("words" in data) == ("groups" in data):
        raise LexiconError("give either 'words' (a list) or 'groups' (named lists), not "
                           + ("both" if "words" in data else "neither"),
                           fix=f"e.g. a {kind} block with  groups: {{animals: [cat, dog, horse], "
                               f"vehicles: [car, bus, train]}}")
    if "words" in data:
        return list(data["words"]), ["words"] * len(data["words"])
    words, labels = [], []
    for group, ws in data["groups"].items():
        for w in ws:
            if w in words:
                raise LexiconError(f"the word '{w}' is listed twice ('{labels[words.index(w)]}' and '{group}')",
                                   fix="keep each word in one group, once")
            words.append(w)
            labels.append(str(group))
    return words, labels


def unit_vectors(kv, words: list[str]) -> np.ndarray:
    """The words' vectors scaled to length 1 (float64), so maps follow cosine similarity."""
    x = np.stack([kv[w] for w in words]).astype(np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


# --- layouts ------------------------------------------------------------------

SETTING = {"tsne": "perplexity", "umap": "n_neighbors"}
METHOD_NAME = {"tsne": "t-SNE", "umap": "UMAP", "pca": "PCA"}


def check_setting(method: str, setting, n_words: int) -> None:
    """A clear error for settings the libraries reject (or quietly change) for this many words."""
    if method == "tsne" and not setting < n_words:
        raise LexiconError(f"perplexity {setting} must be less than the number of words ({n_words})",
                           fix=f"lower the perplexity below {n_words} (roughly: how many neighbours each "
                               f"word should keep), or add words")
    if method == "umap" and not setting < n_words:
        raise LexiconError(f"n_neighbors {setting} must be less than the number of words ({n_words})",
                           fix=f"lower n_neighbors below {n_words}, or add words")


def layout(x: np.ndarray, method: str, setting, seed: int, min_dist: float = 0.1) -> np.ndarray:
    """2-D coordinates of the rows of ``x``, centred and scaled so the largest |coordinate| is 1."""
    if method == "pca":
        from sklearn.decomposition import PCA

        coords = PCA(n_components=2, svd_solver="full").fit_transform(x)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        coords = TSNE(n_components=2, perplexity=float(setting), init="pca", metric="cosine",
                      random_state=seed, max_iter=1000).fit_transform(x)
    elif method == "umap":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # umap warns that a seed turns off parallelism: we want that
            import umap

            coords = umap.UMAP(n_components=2, n_neighbors=int(setting), min_dist=min_dist, metric="cosine",
                               random_state=seed, n_jobs=1).fit_transform(x)
    else:  # guarded by the block schemas
        raise ValueError(method)
    coords = coords - coords.mean(axis=0)
    return coords / (np.abs(coords).max() or 1)


def layout_call(method: str, setting, seed: int, min_dist: float = 0.1) -> str:
    """The exact library call of :func:`layout` (``setting`` may be a variable's name)."""
    if method == "tsne":
        value = setting if isinstance(setting, str) else float(setting)
        return (f"from sklearn.manifold import TSNE\n"
                f"coords = TSNE(n_components=2, perplexity={value}, init='pca', metric='cosine',\n"
                f"              random_state={seed}, max_iter=1000).fit_transform(x)")
    if method == "umap":
        value = setting if isinstance(setting, str) else int(setting)
        return (f"import umap\n"
                f"coords = umap.UMAP(n_components=2, n_neighbors={value}, min_dist={min_dist}, metric='cosine',\n"
                f"                   random_state={seed}, n_jobs=1).fit_transform(x)")
    return ("from sklearn.decomposition import PCA\n"
            "coords = PCA(n_components=2, svd_solver='full').fit_transform(x)")


def vectors_call(words: list[str]) -> str:
    shown = words if len(words) <= 6 else words[:5] + ["..."]
    return ("import numpy as np\n"
            f"words = {shown!r}\n".replace("'...'", "...") +
            "x = np.stack([kv[w] for w in words]).astype(np.float64)\n"
            "x /= np.linalg.norm(x, axis=1, keepdims=True)  # length 1: maps follow cosine similarity\n")


# --- judging a map ----------------------------------------------------------------

def _nearest(points: np.ndarray, k: int, metric: str) -> np.ndarray:
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k + 1, metric=metric, algorithm="brute").fit(points)
    idx = nn.kneighbors(points, return_distance=False)
    # Drop each point itself (it is its own nearest, unless an exact duplicate sorts first).
    return np.array([[j for j in row if j != i][:k] for i, row in enumerate(idx)])


def kept_neighbours(x: np.ndarray, coords: np.ndarray, k: int) -> float:
    """Share of each word's k nearest words (cosine, full space) also among its k nearest on the map."""
    full = _nearest(x, k, "cosine")
    flat = _nearest(coords, k, "euclidean")
    return round(float(np.mean([len(set(a) & set(b)) / k for a, b in zip(full, flat)])), SHARE_DIGITS)


def group_agreement(coords: np.ndarray, labels: list[str]) -> float:
    """Share of words whose nearest word on the map has the same group."""
    nearest = _nearest(coords, 1, "euclidean")[:, 0]
    return round(float(np.mean([labels[i] == labels[j] for i, j in enumerate(nearest)])), SHARE_DIGITS)


def rounded(coords: np.ndarray) -> list:
    return np.round(np.asarray(coords, dtype=np.float64), COORD_DIGITS).tolist()


# --- claims about settings: "kept(5) > kept(30)", "groups(15) > 0.9" --------------------

_TERM = r"(kept|groups)\((\d+(?:\.\d+)?)\)"
_COMPARE = re.compile(rf"^\s*{_TERM}\s*([<>])\s*(?:{_TERM}|(\d+(?:\.\d+)?%?))\s*$")
MEASURE_NAME = {"kept": "the share of kept neighbours", "groups": "the group agreement"}


def parse_setting_claim(text: str, settings: list, setting_name: str) -> tuple:
    m = _COMPARE.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'",
                           fix="write e.g. 'kept(5) > kept(30)' (the share of kept neighbours is higher at "
                               f"{setting_name} 5 than at 30) or 'groups(15) > 0.9'")
    left = (m.group(1), _number(m.group(2)))
    right = (m.group(4), _number(m.group(5))) if m.group(4) else None
    value = None
    if m.group(6):
        value = float(m.group(6).rstrip("%")) / (100 if m.group(6).endswith("%") else 1)
    for measure, s in [left] + ([right] if right else []):
        if s not in settings:
            raise LexiconError(f"the claim '{text}' names {setting_name} {s}, which the block does not compute",
                               fix=f"use one of the block's settings: {', '.join(str(v) for v in settings)}")
    return left, m.group(3), right, value


def _number(text: str):
    return float(text) if "." in text else int(text)


def check_setting_claim(text: str, settings: list, setting_name: str, maps: list[dict],
                        has_groups: bool) -> Claim:
    left, op, right, value = parse_setting_claim(text, settings, setting_name)
    for measure, _ in [left] + ([right] if right else []):
        if measure == "groups" and not has_groups:
            raise LexiconError(f"the claim '{text}' is about groups, but the block has one list of words",
                               fix="write the words as 'groups' or claim about kept(...) instead")

    def get(term):
        measure, s = term
        return maps[settings.index(s)][measure]

    a = get(left)
    b = get(right) if right else value
    ok = a > b if op == ">" else a < b
    def name(term):
        return f"{MEASURE_NAME[term[0]]} at {setting_name} {term[1]}"
    rhs = name(right) if right else f"{value:.3g}"
    actual = ", ".join(f"{setting_name} {s}: kept {m['kept']:.3f}" + (f", groups {m['groups']:.3f}" if has_groups else "")
                       for s, m in zip(settings, maps))
    return Claim(statement=f"{name(left)} {op} {rhs}", ok=ok, actual=actual)


# --- figures ---------------------------------------------------------------------

def small_multiples(words: list[str], labels: list[str], panels: list[list], titles: list[str],
                    cols: int = 2) -> go.Figure:
    """One scatter panel per setting, groups coloured alike in every panel, one shared legend."""
    n = len(panels)
    cols = min(cols, n)
    rows = -(-n // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.04,
                        vertical_spacing=0.1 if rows > 1 else 0.0)
    groups = list(dict.fromkeys(labels))
    for p, coords in enumerate(panels):
        r, c = p // cols + 1, p % cols + 1
        for g_i, g in enumerate(groups):
            idx = [k for k, lab in enumerate(labels) if lab == g]
            fig.add_trace(go.Scatter(
                x=[coords[k][0] for k in idx], y=[coords[k][1] for k in idx], mode="markers",
                name=g, legendgroup=g, showlegend=p == 0 and len(groups) > 1,
                text=[words[k] for k in idx],
                marker=dict(size=7, color=PALETTE[g_i % len(PALETTE)], symbol=SYMBOLS[g_i % len(SYMBOLS)],
                            line=dict(width=0.5, color="#ffffff")),
                hovertemplate="%{text}<extra>" + g + "</extra>"), row=r, col=c)
    # A light frame around every panel (readable on both palettes; the page script themes only
    # the first two axes of a figure, so the colour is set here).
    frame = dict(showticklabels=False, showgrid=False, zeroline=False, range=[-1.12, 1.12],
                 showline=True, mirror=True, linecolor=FRAME, linewidth=1)
    fig.update_xaxes(**frame)
    fig.update_yaxes(**frame)
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.02, yanchor="top"))
    fig.update_layout(margin=dict(t=48))
    for a in fig.layout.annotations:
        a.font = dict(size=11)
    return fig


def labelled_map(words: list[str], labels: list[str], coords: list, show_text: bool) -> go.Figure:
    """One 2-D map; words written beside their points when ``show_text``."""
    fig = go.Figure()
    groups = list(dict.fromkeys(labels))
    for g_i, g in enumerate(groups):
        idx = [k for k, lab in enumerate(labels) if lab == g]
        fig.add_trace(go.Scatter(
            x=[coords[k][0] for k in idx], y=[coords[k][1] for k in idx],
            mode="markers+text" if show_text else "markers", textposition="top center",
            textfont=dict(size=11), name=g, showlegend=len(groups) > 1, text=[words[k] for k in idx],
            marker=dict(size=8, color=PALETTE[g_i % len(PALETTE)], symbol=SYMBOLS[g_i % len(SYMBOLS)],
                        line=dict(width=0.5, color="#ffffff")),
            hovertemplate="%{text}<extra>" + g + "</extra>"))
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.05),
                      xaxis=dict(showticklabels=False, zeroline=False, showgrid=False, showline=True,
                                 mirror=True, linecolor=FRAME),
                      yaxis=dict(showticklabels=False, zeroline=False, showgrid=False, showline=True,
                                 mirror=True, linecolor=FRAME, scaleanchor="x", scaleratio=1))
    return fig


def pct(share: float) -> str:
    return f"{share * 100:.0f}%"


# --- the tsne and umap blocks: one method at several settings, as small multiples ---------------

class SweepBlock(SharedCode):
    """The same words laid out by one method at several settings (``tsne``, ``umap``)."""

    method = ""
    default_settings: list = []
    setting_doc = ""       # what the setting means, for the caption
    extra_options: dict = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.method:  # the schema: the same options for every method, its setting's name apart
            item = ({"type": "number", "exclusiveMinimum": 0} if cls.method == "tsne"
                    else {"type": "integer", "minimum": 2})
            cls.schema = {"type": "object", "additionalProperties": False, "required": [], "properties": {
                "words": WORDS_SCHEMA, "groups": GROUPS_SCHEMA,
                _settings_key(cls.method): {"type": "array", "minItems": 1, "maxItems": 6,
                                            "uniqueItems": True, "items": item},
                "k": {"type": "integer", "minimum": 1, "maximum": 20}, "seed": SEED_SCHEMA,
                "caption": {"type": "string", "minLength": 1},
                "expect": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                **cls.extra_options}}

    def parse(self, data):
        words, labels = parse_words(data, self.kind)
        key = _settings_key(self.method)
        settings = list(data.get(key, self.default_settings))
        for s in settings:
            check_setting(self.method, s, len(words))
        k = data.get("k", 5)
        if k >= len(words):
            raise LexiconError(f"k ({k}) must be less than the number of words ({len(words)})",
                               fix="lower k (how many nearest neighbours of each word to compare) or add words")
        spec = {"words": words, "labels": labels, "settings": settings, "k": k,
                "seed": data.get("seed", 42), "caption": data.get("caption"),
                "expect": data.get("expect", [])}
        if self.method == "umap":
            spec["min_dist"] = data.get("min_dist", 0.1)
        for text in spec["expect"]:
            parse_setting_claim(text, settings, SETTING[self.method])
        return spec

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return " ".join(list(dict.fromkeys(spec["labels"]))[:2]) if len(set(spec["labels"])) > 1 \
            else " ".join(spec["words"][:3])

    def compute(self, kv, spec):
        x = unit_vectors(kv, spec["words"])
        maps = []
        for s in spec["settings"]:
            coords = layout(x, self.method, s, spec["seed"], spec.get("min_dist", 0.1))
            m = {"coords": rounded(coords), "kept": kept_neighbours(x, coords, spec["k"])}
            if len(set(spec["labels"])) > 1:
                m["groups"] = group_agreement(coords, spec["labels"])
            maps.append(m)
        return {"maps": maps, "dims": int(x.shape[1])}

    def claims(self, spec, result):
        has_groups = len(set(spec["labels"])) > 1
        return [check_setting_claim(t, spec["settings"], SETTING[self.method], result["maps"], has_groups)
                for t in spec["expect"]]

    def render(self, spec, result, ctx):
        from ..render import claims_html, code_details, esc, figure, fmt, model_note, table

        words, labels, settings, maps = spec["words"], spec["labels"], spec["settings"], result["maps"]
        name, setting = METHOD_NAME[self.method], SETTING[self.method]
        has_groups = len(set(labels)) > 1
        groups = list(dict.fromkeys(labels))

        def measures(m):
            return f"kept {pct(m['kept'])}" + (f" · groups {pct(m['groups'])}" if has_groups else "")

        # Two short lines per panel title: one line would be clipped on a phone.
        titles = [f"{setting} {s}<br>{measures(m)}" for s, m in zip(settings, maps)]
        fig = small_multiples(words, labels, [m["coords"] for m in maps], titles)
        rows = -(-len(settings) // 2)
        alt = (f"{len(settings)} scatter plots of the same {len(words)} words"
               + (f" in {len(groups)} groups ({', '.join(groups)})" if has_groups else "")
               + f", laid out by {name} with {setting} " + ", ".join(str(s) for s in settings) + ". "
               + "; ".join(f"{setting} {s}: {pct(m['kept'])} of nearest neighbours kept"
                           + (f", {pct(m['groups'])} of words next to their own group" if has_groups else "")
                           for s, m in zip(settings, maps)) + ".")
        caption = spec["caption"] or (
            f"The same {len(words)} words laid out by {name} at {len(settings)} values of {setting}. "
            f"*Kept*: the share of each word's {spec['k']} nearest words in {result.get('dims', 50)} dimensions "
            f"that are also among "
            f"its {spec['k']} nearest on the map."
            + (" *Groups*: the share of words whose nearest word on the map is in their own group." if has_groups else ""))
        mrows = [[f"{setting} {s}", fmt(m["kept"], 3)] + ([fmt(m["groups"], 3)] if has_groups else [])
                 for s, m in zip(settings, maps)]
        mtable = table([setting.capitalize() if setting == "perplexity" else setting,
                        f"Kept neighbours (k = {spec['k']})"] + (["Group agreement"] if has_groups else []),
                       mrows, numeric_cols=(1, 2))
        headers = ["Word"] + (["Group"] if has_groups else []) + \
            [f"{s} {ax}" for s in settings for ax in ("x", "y")]
        crows = [[w] + ([g] if has_groups else []) +
                 [fmt(m["coords"][i][ax], 3) for m in maps for ax in (0, 1)]
                 for i, (w, g) in enumerate(zip(words, labels))]
        first = 2 if has_groups else 1
        ctable = table(headers, crows, numeric_cols=tuple(range(first, len(headers))))
        call = layout_call(self.method, setting, spec["seed"], spec.get("min_dist", 0.1))
        calls = (vectors_call(words) + f"\nfor {setting} in {settings!r}:\n    "
                 + call.split("\n", 1)[1].replace("\n", "\n    "))
        calls = call.split("\n", 1)[0] + "\n" + calls
        return "".join([
            f'<div class="ll-block ll-sweep" id="{esc(ctx.anchor)}">',
            figure(fig, alt=alt, caption=caption, data_table=mtable, height=60 + 300 * rows,
                   anchor=ctx.anchor + "-figure"),
            f'<details class="ll-data"><summary>Coordinates of all {len(words)} words</summary>{ctable}</details>',
            claims_html(ctx.claims),
            code_details(calls, f"The {name} calls behind these maps"),
            model_note(ctx.model_id), "</div>",
        ])


def _settings_key(method: str) -> str:
    return {"tsne": "perplexities", "umap": "n_neighbors"}[method]


# --- PCA: how much of the variance each component explains (pca, variance-exercise) ------------

TOP_SCHEMA = {"type": "integer", "minimum": 10, "maximum": 400_000}


def parse_points(data: dict, kind: str) -> tuple[list[str], list[str], int | None]:
    """``words``, ``groups`` or ``top: N`` (the model's N most frequent words)."""
    given = [k for k in ("words", "groups", "top") if k in data]
    if len(given) != 1:
        raise LexiconError("give exactly one of 'words', 'groups' or 'top' "
                           f"({'not ' + ' and '.join(given) if given else 'none was given'})",
                           fix=f"e.g. a {kind} block with  top: 10000  (the most frequent words) or "
                               "words: [cat, dog, car, bus]")
    if "top" in data:
        return [], [], data["top"]
    words, labels = parse_words(data, kind)
    return words, labels, None


def point_vectors(kv, words: list[str], top: int | None) -> np.ndarray:
    if top is not None:
        if top > len(kv):
            raise LexiconError(f"'top' ({top:,}) is larger than the model's vocabulary ({len(kv):,} words)",
                               fix=f"use at most {len(kv)}")
        x = np.asarray(kv.vectors[:top], dtype=np.float64)
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        return x / np.where(norms == 0, 1, norms)
    return unit_vectors(kv, words)


def pca_variance(x: np.ndarray) -> tuple[list[float], np.ndarray]:
    """Each component's share of the variance (all of them), and the points on the first two."""
    from sklearn.decomposition import PCA

    pca = PCA(svd_solver="full").fit(x)
    shares = np.round(pca.explained_variance_ratio_.astype(np.float64), 5).tolist()
    return shares, pca.transform(x)[:, :2]


def cumulative(shares: list[float], n: int) -> float:
    return round(float(sum(shares[:n])), 5)


def variance_figure(shares: list[float], show: int, highlight: int | None = None) -> go.Figure:
    """Bars: each component's share of the variance; line: the running total."""
    xs = list(range(1, show + 1))
    per = [s * 100 for s in shares[:show]]
    cum = np.cumsum(shares)[:show] * 100
    colours = [PALETTE[1] if highlight and i <= highlight else PALETTE[0] for i in xs]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=xs, y=per, name="this component", marker_color=colours,
                         hovertemplate="component %{x}: %{y:.1f}% of the variance<extra></extra>"))
    fig.add_trace(go.Scatter(x=xs, y=cum.tolist(), name="first components together", mode="lines+markers",
                             line=dict(color=PALETTE[5], width=2), marker=dict(size=6),
                             hovertemplate="components 1–%{x}: %{y:.1f}%<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.18),
                      xaxis=dict(title=dict(text="principal component", standoff=4), dtick=1 if show <= 20 else 5,
                                 automargin=True),
                      yaxis=dict(title=dict(text="% of the variance", standoff=4), range=[0, 100],
                                 automargin=True, ticksuffix="%"))
    return fig


def variance_table(shares: list[float], show: int):
    from ..render import table

    cum = np.cumsum(shares)
    rows = [[i + 1, f"{shares[i] * 100:.1f}%", f"{cum[i] * 100:.1f}%"] for i in range(show)]
    return table(["Component", "Share of the variance", "Components 1 to this one"], rows, numeric_cols=(0, 1, 2))


def points_phrase(words: list[str], labels: list[str], top: int | None) -> str:
    if top is not None:
        return f"the model's {top:,} most frequent words"
    groups = list(dict.fromkeys(labels))
    if len(groups) > 1:
        return f"{len(words)} words in {len(groups)} groups"
    return f"{len(words)} words"
