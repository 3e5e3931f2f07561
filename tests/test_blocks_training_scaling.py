"""The feature-scaling kind and fit-exercise's `choose: scaling`, against scikit-learn.

KNeighborsClassifier after StandardScaler / MinMaxScaler (fitted on the training split, in a pipeline) or
no scaler, on a seeded stratified split; the largest feature's share of the summed variances computed
here with numpy; false claims are false; bad options are located errors with a fix.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from blocktest import quote, run, spec_of
from lexicon.engine.registry import registry
from lexicon.errors import LexiconError


def accuracies(load, k=5):
    data = load()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=0,
                                              stratify=data.target)
    steps = {"none": [], "standard": [StandardScaler()], "minmax": [MinMaxScaler()]}
    scores = {s: make_pipeline(*p, KNeighborsClassifier(k)).fit(x_tr, y_tr).score(x_te, y_te) for s, p in steps.items()}
    var = x_tr.var(axis=0)
    return scores, var.max() / var.sum()


def test_feature_scaling_equals_sklearn():
    spec, result, claims, out = run(None, "feature-scaling", "scalers: [none, standard, minmax]\nexpect:\n"
                                                             "  - accuracy(standard) > accuracy(none)\n"
                                                             "  - accuracy(none) > accuracy(minmax)")
    scores, share = accuracies(load_wine)
    assert result["accuracy"] == scores
    assert result["largest"] == "proline" and result["largest_share"] == pytest.approx(share, abs=1e-12)
    assert [c.ok for c in claims] == [True, False]
    assert quote("feature-scaling", spec, result, "std", "hue").number == pytest.approx(
        np.std(train_test_split(load_wine().data, load_wine().target, test_size=0.25, random_state=0,
                                stratify=load_wine().target)[0][:, 10]), abs=1e-12)
    assert out.count("data-figure=") == 1 and "MinMaxScaler" in out


@pytest.mark.parametrize("src, message", [
    ("scalers: [none]", "scalers"), ("dataset: diabetes", "regression"),
    ("expect:\n  - accuracy(minmax) > 0.5", "not one of the block's scalers"),
    ("expect:\n  - recall(none) > 0.5", "does not compute")])
def test_bad_feature_scaling_blocks_name_the_fix(src, message):
    with pytest.raises(LexiconError, match=message) as err:
        spec_of("feature-scaling", src)
    assert err.value.fix


def test_the_scaling_exercise_grades_the_accuracy_sklearn_gives():
    spec, result, claims, _ = run(None, "fit-exercise", "choose: scaling\nask: worst\nanswer: none")
    scores, _ = accuracies(load_breast_cancer)
    graded = registry()["fit-exercise"].graded(spec, result)
    assert sorted(graded.values()) == sorted(scores.values()) and claims[0].ok
    assert registry()["fit-exercise"].graded_end(spec) == "lowest"
    _, _, claims, _ = run(None, "fit-exercise", "choose: scaling\nask: worst\nanswer: standard")
    assert not claims[0].ok
    with pytest.raises(LexiconError, match="values"):
        spec_of("fit-exercise", "choose: scaling\nvalues: [1, 2]")
