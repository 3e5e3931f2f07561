"""The parts that show what one model learned (``show:`` of model-compare), from the result alone."""

from __future__ import annotations

from ...engine.pieces import Html, Table
from ...render import esc, fmt


def learned_parts(spec, learned: dict, info: dict) -> list:
    if spec.show == "support-vectors":
        return _support_vectors(spec, learned)
    split = (f"fitted on a stratified training split of {learned['train']:,} samples (seed {spec.seed}); accuracy "
             f"on the {learned['test']:,} held-out samples of this one split: {fmt(learned['accuracy'])}")
    if spec.show == "coefficients":
        pos = info["classes"][1]
        return [
            Html(f"<p>The logistic regression, {split}. A coefficient is the change in the score z for one standard "
                 f"deviation more of its feature; a positive one pushes towards <em>{esc(pos)}</em>. "
                 f"{learned['positives']} of the {learned['features']} coefficients are positive; intercept "
                 f"{fmt(learned['intercept'])}.</p>"),
            Table(["Rank", "Feature", "Coefficient (per SD)"],
                  [[str(i + 1), c["feature"], fmt(c["weight"])] for i, c in enumerate(learned["coef"])], numeric=(0, 2)),
            Html(f"<p>The first test samples: the score z, the sigmoid 1 / (1 + e<sup>−z</sup>), and the probability of "
                 f"<em>{esc(pos)}</em> that <code>predict_proba</code> returns.</p>"),
            Table(["Test sample", "True class", "Score z", "Sigmoid of z", "predict_proba"],
                  [[str(i + 1), e["true"], fmt(e["z"]), _p(e["sigmoid"]), _p(e["proba"])]
                   for i, e in enumerate(learned["examples"])], numeric=(0, 2, 3, 4)),
        ]
    if spec.show == "tree":
        rows = []
        for n in learned["nodes"]:
            counts = ", ".join(f"{c} {esc(name)}" for c, name in zip(n["counts"], info["classes"]))
            rows.append([str(n["node"]), str(n["depth"]), "leaf" if n["leaf"] else f"{n['feature']} ≤ {n['threshold']:.4f}",
                         f"{n['samples']:,}", counts])
        return [
            Html(f"<p>The tree, {split}. It is {learned['depth']} levels deep with {learned['leaves']} leaves; its "
                 f"accuracy on its own training split is {fmt(learned['train_accuracy'])}. Its first "
                 f"{spec.levels} level(s), node by node (samples that satisfy the test go left):</p>"),
            Table(["Node", "Depth", "Split", "Training samples", "Their classes"], rows, numeric=(0, 1, 3)),
            Html("<p>The same levels as scikit-learn's <code>export_text</code> prints them (a leaf shows its training "
                 "samples per class; deeper levels are folded into “truncated branch”):</p><pre class=\"ll-pre\"><code>"
                 + esc(learned["text"]) + "</code></pre>"),
        ]
    if spec.show == "importances":
        return [
            Html(f"<p>{esc(spec.shown)}, {split}. A feature's importance is the impurity its splits remove, summed over "
                 f"the tree(s) and scaled to sum to 1; {learned['used']} of the {learned['features']} features have "
                 "any at all.</p>"),
            Table(["Rank", "Feature", "Importance"],
                  [[str(i + 1), r["feature"], fmt(r["importance"])] for i, r in enumerate(learned["importances"])],
                  numeric=(0, 2)),
        ]
    if spec.show == "correlations":
        return [
            Html(f"<p>Gaussian naive Bayes, {split}. It treats the features as independent within each class. Measured "
                 f"on the training split (each class's mean subtracted), {learned['over_half']} of the "
                 f"{learned['count']} feature pairs correlate more strongly than ±0.5 and {learned['over_09']} more strongly than ±0.9. The "
                 "strongest pairs:</p>"),
            Table(["Rank", "Feature", "Feature", "Correlation within the classes"],
                  [[str(k + 1), p["a"], p["b"], fmt(p["r"])] for k, p in enumerate(learned["pairs"])], numeric=(0, 3)),
        ]
    votes = ", ".join(f"{v} {esc(c)}" for c, v in learned["votes"].items())
    return [
        Html(f"<p>The classifier, {split}. Test sample {spec.sample} (true class <em>{esc(learned['true'])}</em>) and "
             f"its nearest training samples in the standardised features: the vote is {votes}, so it predicts "
             f"<em>{esc(learned['predicted'])}</em>.</p>"),
        Table(["Neighbour", "Row of the training split", "Distance", "Class"],
              [[str(i + 1), str(r["train_index"]), fmt(r["distance"]), r["class"]] for i, r in enumerate(learned["rows"])],
              numeric=(0, 1, 2)),
    ]


def _support_vectors(spec, learned: dict) -> list:
    return [
        Html(f"<p>Each support vector machine fitted once on a stratified training split of {learned['train']:,} "
             f"samples (seed {spec.seed}) and scored on the {learned['test']:,} held-out samples of this one split. "
             "The support vectors are the training samples on or inside the margin: the only ones the decision "
             "function uses.</p>"),
        Table(["Model", "Support vectors", "Training accuracy", "Test accuracy (this split)"],
              [[r["model"], f"{r['support']:,}", fmt(r["train_accuracy"]), fmt(r["accuracy"])] for r in learned["rows"]],
              numeric=(1, 2, 3)),
    ]


def _p(p: float) -> str:
    """A probability: four decimals, or scientific notation when that would print 0.0000 or 1.0000."""
    if 1e-4 <= p <= 1 - 1e-4:
        return fmt(p)
    return f"{p:.2e}" if p < 0.5 else f"1 − {1 - p:.2e}"
