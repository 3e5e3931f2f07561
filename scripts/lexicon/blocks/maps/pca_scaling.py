"""``pca-scaling``: PCA of features in different units, before and after standardising them (wine data)."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Details, Figure, Table
from ...errors import LexiconError
from ...figures import BASE_LAYOUT, PALETTE, SYMBOLS
from ...render import fmt, percent

VIEWS = ("raw", "scaled")
VIEW_NAMES = {"raw": "raw features", "scaled": "standardised features"}
MEASURES = {"silhouette": "silhouette score", "centroid": "nearest-centroid accuracy"}
_VIEW = r"\s*(raw|scaled)\s*"
TERM = re.compile(rf"^\s*(?:variance\({_VIEW},\s*(\d+)\s*\)|separation\({_VIEW}\)|(\d+(?:\.\d+)?)\s*(%?))\s*$")
COMPARE = re.compile(r"^(.+?)([<>])(.+)$")
TOP = re.compile(rf"^\s*top_feature\({_VIEW}\)\s*=\s*(.+?)\s*$")
CLAIM_HELP = ("write e.g. 'top_feature(raw) = proline', 'separation(scaled) > separation(raw)', "
              "'variance(raw, 1) > 99%' (the first component of the raw features keeps more than 99% of "
              "the variance) or 'separation(raw) < 0.3'")


def wine():
    """scikit-learn's bundled copy of the UCI wine data: 178 wines, 13 measurements, 3 cultivars."""
    from sklearn.datasets import load_wine

    return load_wine()


def project(x: np.ndarray, y: np.ndarray) -> dict:
    """Exact PCA of ``x``: every component's share, component 1's weights, the points on the first two,
    and how well the classes ``y`` separate on those two coordinates."""
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score
    from sklearn.neighbors import NearestCentroid

    pca = PCA(svd_solver="full").fit(x)
    coords = pca.transform(x)[:, :2]
    return {"shares": np.round(pca.explained_variance_ratio_, 6).tolist(),
            "loadings": np.round(pca.components_[0], 4).tolist(),
            "coords": np.round(coords, 3).tolist(),
            "silhouette": round(float(silhouette_score(coords, y)), 4),
            # fitted and scored on the same 178 points: how well the map separates them, not a test score
            "centroid": round(float(NearestCentroid().fit(coords, y).score(coords, y)), 4)}


def analyse() -> dict:
    from sklearn.preprocessing import StandardScaler

    data = wine()
    x, y = data.data.astype(np.float64), data.target
    var = x.var(axis=0)
    return {"features": [str(f) for f in data.feature_names],
            "labels": y.tolist(),
            "mean": np.round(x.mean(axis=0), 4).tolist(),
            "std": np.round(x.std(axis=0), 4).tolist(),            # ddof=0, as StandardScaler divides by
            "raw_share": np.round(var / var.sum(), 6).tolist(),
            "views": {"raw": project(x, y), "scaled": project(StandardScaler().fit_transform(x), y)}}


# --- names and claims ---------------------------------------------------------------------------------

def _norm(name: str) -> str:
    return " ".join(str(name).lower().replace("_", " ").split())


def shown(feature: str) -> str:
    """A feature's name as the block writes it: ``malic_acid`` → ``malic acid``."""
    return feature.replace("_", " ")


def feature_index(features: list[str], name) -> int:
    wanted = _norm(name)
    for i, f in enumerate(features):
        if _norm(f) == wanted:
            return i
    raise LexiconError(f"the wine data has no feature '{name}'",
                       fix="name one of: " + ", ".join(shown(f) for f in features))


def top_index(loadings: list[float]) -> int:
    """The feature with the largest weight (in absolute value) in component 1."""
    return int(np.argmax(np.abs(loadings)))


def parse_term(text: str, features: int) -> tuple:
    m = TERM.match(text)
    if not m:
        raise LexiconError(f"cannot read '{text.strip()}' in a claim", fix=CLAIM_HELP)
    if m.group(1):
        k = int(m.group(2))
        if not 1 <= k <= features:
            raise LexiconError(f"'{text.strip()}' asks about the first {k} components, but there are {features}",
                               fix=f"name 1 to {features} components")
        return ("variance", m.group(1), k)
    if m.group(3):
        return ("separation", m.group(3))
    number = float(m.group(4))
    return ("number", number / 100 if m.group(5) else number, m.group(4) + m.group(5))


def parse_claim(text: str, features: list[str]) -> tuple:
    if m := TOP.match(text):
        return ("top", m.group(1), feature_index(features, m.group(2)))
    m = COMPARE.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_HELP)
    left, right = parse_term(m.group(1), len(features)), parse_term(m.group(3), len(features))
    if left[0] == right[0] == "number":
        raise LexiconError(f"the claim '{text}' compares two numbers and checks nothing computed", fix=CLAIM_HELP)
    return ("compare", left, m.group(2), right)


class PCAScaling(Kind):
    """PCA of the wine data's 13 measurements, raw and standardised: how much each first component
    keeps, which feature dominates component 1, and how well the 3 cultivars separate on each 2-D map.

    scikit-learn's bundled wine data (178 wines of 3 cultivars, 13 chemical measurements in different
    units) is projected with exact PCA twice: on the raw values, and after `StandardScaler` has given
    every feature mean 0 and standard deviation 1. A two-panel figure shows both projections
    coloured by cultivar; a table gives each view's share of the variance for the first components,
    the feature with the largest weight (in absolute value) in component 1, and how well the
    cultivars separate on the two coordinates: the silhouette score (`sklearn.metrics`, Euclidean, −1
    to 1), or with `separation: centroid` the share of wines a nearest-centroid rule fitted on the same
    two coordinates puts in their own cultivar. Claims compare these numbers. No model is used.
    """

    example = "expect:\n  - top_feature(raw) = proline\n  - separation(scaled) > separation(raw)"
    needs_model = False
    note = ("Computed at build time with scikit-learn, on its bundled copy of the UCI wine data; no embedding "
            "model.")
    options = opt.Options(
        Kind.options,
        components=opt.integer("How many first components the table lists for each view.", default=3, min=1,
                               max=13, display=True),
        separation=opt.choice("How the separation of the cultivars on each 2-D map is measured.",
                              list(MEASURES), default="silhouette", display=True),
        expect=opt.claims("Claims such as `top_feature(raw) = proline`, `separation(scaled) > separation(raw)`, "
                          "`variance(raw, 1) > 99%` or `separation(raw) < 0.3`."),
        caption=opt.caption("“The 178 wines on the first two principal components … coloured by cultivar.”"),
        figure=opt.show_figure(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        features = [str(f) for f in wine().feature_names]
        spec.parsed = [parse_claim(t, features) for t in spec.expect]

    def anchor_hint(self, spec):
        return "wine"

    def compute(self, kv, spec):
        return analyse()

    # --- claims ---------------------------------------------------------------------------------------
    def _number(self, spec, result, term) -> float:
        if term[0] == "variance":
            return float(sum(result["views"][term[1]]["shares"][:term[2]]))
        if term[0] == "separation":
            return float(result["views"][term[1]][spec.separation])
        return term[1]

    def _words(self, spec, result, term) -> tuple[str, str]:
        """A term in words, and in the claim's notation with its value as the block writes it."""
        if term[0] == "variance":
            which = "component 1" if term[2] == 1 else f"the first {term[2]} components"
            return (f"the share of the variance kept by {which} of the {VIEW_NAMES[term[1]]}",
                    f"variance({term[1]}, {term[2]}) = {self.variance(spec, result, term[1], term[2]).text}")
        if term[0] == "separation":
            return (f"the {MEASURES[spec.separation]} of the cultivars on the map of the {VIEW_NAMES[term[1]]}",
                    f"separation({term[1]}) = {self.separation(spec, result, term[1]).text}")
        return term[2], ""

    def claims(self, spec, result, check):
        features = result["features"]
        for parsed in spec.parsed:
            if parsed[0] == "top":
                _, view, want = parsed
                loadings = result["views"][view]["loadings"]
                order = np.argsort(-np.abs(loadings))
                top = int(order[0])
                check(f"{shown(features[want])} has the largest weight in component 1 of the {VIEW_NAMES[view]}",
                      top == want,
                      "the largest weights: " + ", ".join(f"{shown(features[i])} ({fmt(loadings[i], 3)})"
                                                           for i in order[:3]))
                continue
            _, left, op, right = parsed
            a, b = self._number(spec, result, left), self._number(spec, result, right)
            (lw, lv), (rw, rv) = self._words(spec, result, left), self._words(spec, result, right)
            check(f"{lw} is {'greater' if op == '>' else 'less'} than {rw}", a > b if op == ">" else a < b,
                  ", ".join(v for v in (lv, rv) if v))

    # --- values for prose -----------------------------------------------------------------------------
    @value("The share of the variance the first k components of `raw` or `scaled` keep together, as the "
           "table shows it: `variance(raw, 1)`.")
    def variance(self, spec, result, view, k):
        v = _view(view)
        n = len(result["features"])
        if not str(k).strip().isdigit() or not 1 <= int(k) <= n:
            raise LexiconError(f"there are no first '{k}' components", fix=f"name 1 to {n} components")
        total = float(sum(result["views"][v]["shares"][:int(k)]))
        return Value(share_text(total), total)

    @value("The feature with the largest weight in component 1 of `raw` or `scaled`: `top_feature(raw)`.")
    def top_feature(self, spec, result, view):
        return Value(shown(result["features"][top_index(result["views"][_view(view)]["loadings"])]))

    @value("How well the cultivars separate on the 2-D map of `raw` or `scaled`, measured as `separation` says "
           "(silhouette `0.526`, or nearest-centroid accuracy `97.2%`).")
    def separation(self, spec, result, view):
        s = result["views"][_view(view)][spec.separation]
        return Value(fmt(s, 3) if spec.separation == "silhouette" else percent(s), s)

    @value("A feature's weight in component 1 of `raw` or `scaled`: `loading(raw, proline)`.")
    def loading(self, spec, result, view, feature):
        w = result["views"][_view(view)]["loadings"][feature_index(result["features"], feature)]
        return Value(fmt(w, 3), w)

    @value("A feature's standard deviation in its own units, as the features' table shows it: `spread(hue)`.")
    def spread(self, spec, result, feature):
        s = result["std"][feature_index(result["features"], feature)]
        return Value(_sig(s), s)

    @value("A feature's share of the total variance of the raw features: `raw_share(proline)`.")
    def raw_share(self, spec, result, feature):
        s = result["raw_share"][feature_index(result["features"], feature)]
        return Value(percent(s), s)

    @value("How many wines, features or cultivars the data has: `count(wines)`, `count(features)`, "
           "`count(cultivars)`.")
    def count(self, spec, result, what):
        n = {"wines": len(result["labels"]), "features": len(result["features"]),
             "cultivars": len(set(result["labels"]))}.get(str(what).strip())
        if n is None:
            raise LexiconError(f"cannot count '{what}'", fix="write count(wines), count(features) or count(cultivars)")
        return Value(str(n), n)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        views, feats = result["views"], result["features"]
        measure = MEASURES[spec.separation]
        sep = {v: self.separation(spec, result, v).text for v in VIEWS}
        top = {v: self.top_feature(spec, result, v).text for v in VIEWS}
        two = {v: share_text(sum(views[v]["shares"][:2])) for v in VIEWS}
        one = {v: share_text(views[v]["shares"][0]) for v in VIEWS}
        stretch = {v: spread_ratio(views[v]["shares"]) for v in VIEWS}
        n, k = len(result["labels"]), spec.components
        cultivar = [f"cultivar {c + 1}" for c in result["labels"]]
        w = {v: self.loading(spec, result, v, top[v]).text for v in VIEWS}
        alt = (f"Two scatter plots of the {n} wines on their first two principal components, coloured by "
               f"cultivar, each drawn with both axes to the same scale. Left, the raw features: component 1 alone keeps "
               f"{one['raw']} of the variance (the largest weight in it goes to {top['raw']}, {w['raw']}), the two "
               f"together {two['raw']}; the points spread {stretch['raw']:.0f} times less along component 2 than along "
               f"component 1, so they lie almost on a line, and the {measure} of the cultivars "
               f"is {sep['raw']}. Right, the standardised features: the two components keep {two['scaled']}, "
               f"the largest weight in component 1 goes to {top['scaled']} ({w['scaled']}), and the {measure} is "
               f"{sep['scaled']}.")
        coords = Table(["Wine", "Cultivar", "Raw: component 1", "Raw: component 2", "Standardised: component 1",
                        "Standardised: component 2"],
                       [[str(i + 1), cultivar[i]] + [fmt(c, 2) for v in VIEWS for c in views[v]["coords"][i]]
                        for i in range(n)], numeric=(2, 3, 4, 5))
        parts = [Figure(lambda: two_maps(cultivar, views, sep, measure), alt=alt, caption=spec.caption,
                        default_caption=(f"The {n} wines on the first two principal components of the raw features "
                                         "(left) and of the standardised features (right), coloured by cultivar. "
                                         "Each axis title gives the component's share of the variance. Each panel "
                                         "draws its two axes to the same scale: on the raw features the points "
                                         f"spread {stretch['raw']:.0f} times less along component 2 than along "
                                         "component 1, so they lie almost on a line."),
                        table=coords, height=420, anchor="maps")]
        rows = [["Component 1" if i == 1 else f"Components 1–{i} together"]
                + [self.variance(spec, result, v, i).text for v in VIEWS] for i in range(1, k + 1)]
        rows.append(["Largest weight in component 1"]
                    + [f"{top[v]} ({w[v]})" for v in VIEWS])
        rows.append([f"Separation of the cultivars on the 2-D map ({measure})"] + [sep[v] for v in VIEWS])
        parts.append(Table(["", "Raw features", "Standardised features"], rows, numeric=(1, 2)))
        frows = [[shown(f), _sig(result["mean"][i]), _sig(result["std"][i]), percent(result["raw_share"][i]),
                  fmt(views["raw"]["loadings"][i], 3), fmt(views["scaled"]["loadings"][i], 3)]
                 for i, f in enumerate(feats)]
        parts.append(Details(f"The {len(feats)} features: spread and weight in component 1", [
            Table(["Feature", "Mean", "Standard deviation", "Share of the raw variance", "Weight, raw",
                   "Weight, standardised"], frows, numeric=(1, 2, 3, 4, 5))]))
        score = ("silhouette_score(z, y)  # cultivars' separation on the map, -1 to 1"
                 if spec.separation == "silhouette" else
                 "NearestCentroid().fit(z, y).score(z, y)  # share of wines nearest their own cultivar's centre")
        parts.append(Code(
            "from sklearn.datasets import load_wine\n"
            "from sklearn.decomposition import PCA\n"
            + ("from sklearn.metrics import silhouette_score\n" if spec.separation == "silhouette" else
               "from sklearn.neighbors import NearestCentroid\n") +
            "from sklearn.preprocessing import StandardScaler\n\n"
            "data = load_wine()\n"
            "x, y = data.data, data.target  # 178 wines x 13 features; y: 0, 1, 2 for cultivars 1 to 3\n"
            "for features in (x, StandardScaler().fit_transform(x)):  # raw, then mean 0 and sd 1\n"
            "    pca = PCA(svd_solver='full').fit(features)\n"
            "    pca.explained_variance_ratio_     # each component's share of the variance\n"
            "    pca.components_[0]                # each feature's weight in component 1\n"
            "    z = pca.transform(features)[:, :2]\n"
            f"    {score}\n", "The scikit-learn calls behind these numbers"))
        return parts


def share_text(share: float) -> str:
    """A share as the tables show it, with two decimals where one would round it up to 100.0%."""
    text = percent(share)
    return f"{share * 100:.2f}%" if text == "100.0%" and share < 1 else text


def spread_ratio(shares: list[float]) -> float:
    """How many times the points spread less along component 2 than along component 1: the ratio of the
    two components' standard deviations, the square root of the ratio of their variances."""
    return float(np.sqrt(shares[0] / shares[1]))


def _view(view) -> str:
    v = str(view).strip()
    if v not in VIEWS:
        raise LexiconError(f"'{view}' is not a view of the pca-scaling block", fix="write raw or scaled")
    return v


def _sig(x: float) -> str:
    """A measurement to three significant figures (whole numbers from 100 up)."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def two_maps(cultivar: list[str], views: dict, sep: dict, measure: str) -> go.Figure:
    titles = [f"Raw features ({measure} {sep['raw']})", f"Standardised features ({measure} {sep['scaled']})"]
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.1)
    groups = sorted(set(cultivar))
    for col, v in enumerate(VIEWS, start=1):
        pts, shares = views[v]["coords"], views[v]["shares"]
        for g_i, g in enumerate(groups):
            idx = [i for i, c in enumerate(cultivar) if c == g]
            fig.add_trace(go.Scatter(
                x=[pts[i][0] for i in idx], y=[pts[i][1] for i in idx], mode="markers", name=g,
                legendgroup=g, showlegend=col == 1, text=[f"wine {i + 1}" for i in idx],
                marker=dict(size=7, color=PALETTE[g_i], symbol=SYMBOLS[g_i], line=dict(width=0.5, color="#ffffff")),
                hovertemplate="%{text}: (%{x:.2f}, %{y:.2f})<extra>" + g + "</extra>"), row=1, col=col)
        fig.update_xaxes(title=dict(text=f"component 1 ({percent(shares[0])})", standoff=4), zeroline=False,
                         automargin=True, row=1, col=col)
        fig.update_yaxes(title=dict(text=f"component 2 ({percent(shares[1])})", standoff=4), zeroline=False,
                         automargin=True, row=1, col=col,
                         scaleanchor="x" if col == 1 else "x2", scaleratio=1)   # a unit up is a unit across
    fig.update_layout(**BASE_LAYOUT, legend=dict(orientation="h", y=-0.16, yanchor="top"))
    fig.update_layout(margin=dict(t=48, b=56))
    for a in fig.layout.annotations:
        a.font = dict(size=12)
    return fig
