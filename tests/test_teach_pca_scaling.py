"""The pca-scaling kind: PCA of scikit-learn's wine data, raw and standardised.

Every number is checked against numpy / scikit-learn computed here directly (the standardised view also
against the eigenvalues of the correlation matrix); claims can fail; bad input names its fix.
"""

from __future__ import annotations

import html
import json
import re
import time
from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from blocktest import EVIL, quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError

KIND = "pca-scaling"


def value(spec, result, name, *args):
    return quote(KIND, spec, result, name, *args)


@pytest.fixture(scope="module")
def wine():
    d = load_wine()
    x = d.data.astype(np.float64)
    scaled = (x - x.mean(axis=0)) / x.std(axis=0)          # StandardScaler by hand (ddof=0)
    return SimpleNamespace(x=x, y=d.target, scaled=scaled, names=list(d.feature_names))


@pytest.fixture(scope="module")
def block():
    return run(None, KIND, "components: 4")


def figures_in(out):
    return [json.loads(html.unescape(m)) for m in re.findall(r"data-figure='([^']*)'", out)]


def centroid_accuracy(z, y):
    """The nearest-centroid rule written out: each point goes to the class whose mean is closest."""
    centres = np.stack([z[y == c].mean(axis=0) for c in np.unique(y)])
    nearest = np.argmin(((z[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
    return float((nearest == y).mean())


# --- the kind --------------------------------------------------------------------------------------------

def test_the_kind_is_in_the_maps_family_and_needs_no_model():
    k = registry()[KIND]
    assert k.family == "maps" and not k.needs_model and k.note.startswith("Computed at build time with")
    assert k.summary() and "silhouette" in k.description()


def test_the_example_computes_quickly_and_its_claims_hold():
    run(None, KIND, "components: 2")                         # imports warmed
    t = time.perf_counter()
    _, _, claims, out = run(None, KIND, registry()[KIND].example)
    assert time.perf_counter() - t < 1.0
    assert claims and all(c.ok for c in claims)
    assert 'class="ll-block ll-block--pca-scaling"' in out


# --- the numbers equal an independent computation ----------------------------------------------------------

@pytest.mark.parametrize("view", ["raw", "scaled"])
def test_shares_loadings_and_separation_equal_sklearn_and_numpy(block, wine, view):
    _, result, _, _ = block
    x = wine.x if view == "raw" else wine.scaled
    pca = PCA(svd_solver="full").fit(x)
    got = result["views"][view]
    assert np.allclose(got["shares"], pca.explained_variance_ratio_, atol=1e-6)
    # A component's sign is arbitrary: compare the weights up to sign.
    assert np.allclose(np.abs(got["loadings"]), np.abs(pca.components_[0]), atol=1e-4)
    z = pca.transform(x)[:, :2]
    assert np.allclose(np.abs(got["coords"]), np.abs(z), atol=1e-3)
    assert got["silhouette"] == pytest.approx(silhouette_score(z, wine.y), abs=1e-4)
    assert got["centroid"] == pytest.approx(centroid_accuracy(z, wine.y), abs=1e-4)


def test_the_standardised_shares_are_the_correlation_matrix_eigenvalues(block, wine):
    eig = np.sort(np.linalg.eigvalsh(np.corrcoef(wine.x, rowvar=False)))[::-1]
    assert np.allclose(block[1]["views"]["scaled"]["shares"], eig / eig.sum(), atol=1e-6)


def test_the_features_table_numbers(block, wine):
    result = block[1]
    var = wine.x.var(axis=0)
    assert result["features"] == wine.names and len(result["labels"]) == 178
    assert np.allclose(result["std"], wine.x.std(axis=0), atol=1e-4)
    assert np.allclose(result["raw_share"], var / var.sum(), atol=1e-6)


def test_values_read_as_the_tables_write_them(block, wine):
    spec, result, _, out = block
    raw = PCA(svd_solver="full").fit(wine.x)
    scaled = PCA(svd_solver="full").fit(wine.scaled)
    assert value(spec, result, "variance", "raw", "1").text == f"{raw.explained_variance_ratio_[0] * 100:.1f}%"
    two = scaled.explained_variance_ratio_[:2].sum()
    assert value(spec, result, "variance", "scaled", "2").text == f"{two * 100:.1f}%"
    assert value(spec, result, "variance", "scaled", "2").number == pytest.approx(two, abs=1e-5)
    top_raw = wine.names[int(np.argmax(np.abs(raw.components_[0])))]
    top_scaled = wine.names[int(np.argmax(np.abs(scaled.components_[0])))]
    assert top_raw == "proline"
    assert value(spec, result, "top_feature", "raw").text == top_raw
    assert value(spec, result, "top_feature", "scaled").text == top_scaled.replace("_", " ")
    sil = silhouette_score(scaled.transform(wine.scaled)[:, :2], wine.y)
    assert value(spec, result, "separation", "scaled").text == f"{sil:.3f}"
    proline_share = wine.x[:, -1].var() / wine.x.var(axis=0).sum()
    assert value(spec, result, "raw_share", "proline").text == f"{proline_share * 100:.1f}%"
    assert value(spec, result, "spread", "proline").text == f"{wine.x[:, -1].std():,.0f}"
    assert value(spec, result, "spread", "hue").text == f"{wine.x[:, 10].std():.3g}"
    assert value(spec, result, "loading", "raw", "proline").number == pytest.approx(raw.components_[0][-1], abs=1e-4)
    assert [value(spec, result, "count", w).number for w in ("wines", "features", "cultivars")] == [178, 13, 3]
    # Quoted values appear in the block's own tables exactly as written.
    text = html.unescape(out)
    for v in (value(spec, result, "variance", "raw", "1"), value(spec, result, "separation", "raw"),
              value(spec, result, "raw_share", "proline"), value(spec, result, "loading", "scaled", "flavanoids")):
        assert v.text in text
    # Feature names are matched with spaces or underscores, in any case.
    assert value(spec, result, "spread", "Malic Acid").text == value(spec, result, "spread", "malic_acid").text


def test_the_centroid_measure_changes_what_separation_reports(wine):
    spec, result, claims, out = run(None, KIND, "separation: centroid\nexpect: ['separation(scaled) > 95%']")
    z = PCA(svd_solver="full").fit_transform(wine.scaled)[:, :2]
    acc = centroid_accuracy(z, wine.y)
    assert value(spec, result, "separation", "scaled").text == f"{acc * 100:.1f}%"
    assert claims[0].ok == (acc > 0.95)
    assert "nearest-centroid accuracy" in html.unescape(out)


# --- claims are real checks ----------------------------------------------------------------------------

@pytest.mark.parametrize("claim, ok", [
    ("top_feature(raw) = proline", True),
    ("top_feature(raw) = hue", False),
    ("top_feature(scaled) = proline", False),
    ("separation(scaled) > separation(raw)", True),
    ("separation(raw) > separation(scaled)", False),
    ("variance(raw, 1) > 99%", True),
    ("variance(scaled, 1) > 99%", False),
    ("variance(scaled, 2) > variance(raw, 2)", False),
    ("separation(raw) < 0.1", False),
])
def test_claims_follow_the_computation(claim, ok):
    _, _, claims, out = run(None, KIND, f"expect: ['{claim}']")
    assert len(claims) == 1 and claims[0].ok is ok
    if not ok:
        assert "ll-claim" in out and claims[0].actual


# --- bad input names the problem and the fix -----------------------------------------------------------------

@pytest.mark.parametrize("source, message", [
    ("expect: ['top_feature(raw) = sugar']", "no feature 'sugar'"),
    ("expect: ['proline is the biggest']", "cannot read the claim"),
    ("expect: ['variance(raw, 14) > 50%']", "there are 13"),
    ("expect: ['variance(cooked, 1) > 50%']", "cannot read"),
    ("expect: ['0.5 < 0.7']", "compares two numbers"),
    ("components: 14", "components"),
    ("separation: accuracy", "separation"),
])
def test_bad_input_is_refused_with_a_fix(source, message):
    with pytest.raises(LexiconError) as err:
        spec_of(KIND, source)
    assert message in str(err.value) and err.value.fix


@pytest.mark.parametrize("name, args, message", [
    ("variance", ("cooked", "1"), "not a view"),
    ("variance", ("raw", "0"), "no first '0'"),
    ("spread", ("sugar",), "no feature 'sugar'"),
    ("count", ("bottles",), "cannot count"),
])
def test_bad_value_arguments_are_refused_with_a_fix(block, name, args, message):
    spec, result, _, _ = block
    with pytest.raises(LexiconError) as err:
        value(spec, result, name, *args)
    assert message in str(err.value) and err.value.fix


# --- rendering -----------------------------------------------------------------------------------------------

def test_the_figure_has_two_panels_a_text_alternative_and_its_numbers(block):
    spec, result, _, out = block
    (fig,) = figures_in(out)
    assert len(fig["data"]) == 6 and {t.get("xaxis", "x") for t in fig["data"]} == {"x", "x2"}
    assert "99.8%" in fig["layout"]["xaxis"]["title"]["text"]
    assert re.search(r'aria-label="Two scatter plots of the 178 wines', out)
    text = html.unescape(out)
    assert text.count("cultivar 1") >= 59 and "Components 1–4 together" in text
    code = re.sub(r"<[^>]+>", "", text)               # the code is highlighted: one span per token
    assert "Largest weight in component 1" in text and "silhouette_score(z, y)" in code


def test_author_text_is_escaped_and_switches_apply():
    _, _, _, out = run(None, KIND, f"caption: \"{EVIL}\"\nfigure: false\ncode: false")
    assert EVIL not in out and "&lt;script&gt;" in out
    assert not figures_in(out) and "Largest weight in component 1" in out and "silhouette_score" not in out


# --- review 21: the raw panel's aspect, and no share rounded up to 100.0% -----------------------------------

def test_both_maps_draw_their_axes_to_one_scale_and_say_how_flat_the_raw_one_is(block, wine):
    spec, result, _, out = block
    fig = figures_in(out)[0]
    assert fig["layout"]["yaxis"]["scaleanchor"] == "x" and fig["layout"]["yaxis2"]["scaleanchor"] == "x2"
    z = PCA(svd_solver="full").fit_transform(wine.x)
    ratio = z[:, 0].std() / z[:, 1].std()                   # how much less the points spread along component 2
    assert f"spread {ratio:.0f} times less along component 2" in html.unescape(out)


def test_a_share_just_under_one_is_not_written_as_100_percent(block, wine):
    spec, result, _, out = block
    two = PCA(svd_solver="full").fit(wine.x).explained_variance_ratio_[:2].sum()
    assert 0.9995 <= two < 1
    v = value(spec, result, "variance", "raw", "2")
    assert v.text == f"{two * 100:.2f}%" and v.text != "100.0%"
    assert value(spec, result, "variance", "raw", "1").text == "99.8%"        # one decimal when it says the truth
    assert "100.0%" not in html.unescape(out)
