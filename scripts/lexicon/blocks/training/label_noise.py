"""The label-noise kind: a share of the training labels flipped at random, and the test accuracy that costs."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt, percent
from ._claims import Names
from ._data import NOTE, check_dataset
from ._labels import MODELS, label_noise

SHARES_SCHEMA = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 0.5}, "minItems": 2,
                 "maxItems": 6, "uniqueItems": True}
NAMES = Names("write e.g. 'mean(0.3) < mean(0)' or 'min(0.1) > 0.9'; the argument is one of the block's shares",
              mean=("the mean test accuracy with {0} of the training labels flipped", 1, False),
              min=("the lowest test accuracy with {0} of the training labels flipped", 1, False),
              max=("the highest test accuracy with {0} of the training labels flipped", 1, False),
              worse=("on how many seeds the accuracy with {0} flipped is below the same seed's with the first share", 1, True),
              better=("on how many seeds the accuracy with {0} flipped is above the same seed's with the first share", 1, True))


def paired(first: list[float], other: list[float]) -> dict:
    """Seed by seed: on how many seeds ``other`` is below, equal to or above ``first``."""
    return {"worse": sum(b < a for a, b in zip(first, other)), "equal": sum(b == a for a, b in zip(first, other)),
            "better": sum(b > a for a, b in zip(first, other))}


class LabelNoise(Kind):
    """Label noise: a share of the training labels is replaced at random by a wrong class, a classifier learns
    from them, and its accuracy is measured on test labels left untouched; over several seeds.

    For each seed 0 … `seeds` − 1, `dataset` is split (`train_test_split`, stratified, `test_size`,
    `random_state=seed`), `round(share × training examples)` training labels picked without replacement
    (`RandomState(seed)`) are each replaced by another class drawn uniformly, and the model (`StandardScaler`
    then `LogisticRegression`, or `KNeighborsClassifier(neighbours)`) learns from them. The table gives, per
    share, the mean, lowest and highest test accuracy over the seeds. Each seed's split is the same at every share,
    so each share is also compared seed by seed with the first (smallest) share: on how many seeds it is lower,
    equal or higher (`worse(0.1)`, `equal(0.1)`, `better(0.1)`), and the mean accuracy lost (`drop(0.1)`).
    """

    example = "dataset: breast_cancer\nshares: [0, 0.2]\nseeds: 3\nexpect:\n  - mean(0.2) < mean(0)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("A bundled classification dataset: `breast_cancer`, `iris`, `wine` or `digits`.",
                         default="breast_cancer"),
        model=opt.choice("The classifier.", list(MODELS), default="logistic-regression"),
        neighbours=opt.integer("The neighbours of `model: nearest-neighbours`.", default=5, min=1, max=50),
        shares=opt.raw("The shares of the training labels flipped (0 to 0.5).", SHARES_SCHEMA,
                       "list of 2–6 different shares", default=[0, 0.1, 0.2, 0.3, 0.4], convert=lambda v: sorted(v)),
        seeds=opt.integer("How many seeds (a split and its flips each).", default=10, min=1, max=20),
        test_size=opt.number("The share of the examples held out as the test set.", default=0.25, min=0.1, max=0.5),
        expect=opt.claims("[Claims](#claims): `mean(0.3) < mean(0)`, `min(0.1) > 0.9`, `better(0.1) = 0`. Names: mean, "
                          "min, max, worse, better (each with a share)."),
        caption=opt.caption("“Test accuracy as more training labels are wrong …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        if spec.model != "nearest-neighbours" and spec.given("neighbours"):
            raise LexiconError("'neighbours' is set, but the model is a logistic regression",
                               fix="add 'model: nearest-neighbours', or remove neighbours")
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._row_index(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return f"label noise {spec.dataset}"

    def compute(self, kv, spec):
        return label_noise(spec.dataset, spec.model, spec.neighbours, spec.shares, spec.seeds, spec.test_size)

    def _row_index(self, spec, share) -> int:
        i = next((i for i, s in enumerate(spec.shares) if f"{s:g}" == str(share).strip()), None)
        if i is None:
            raise LexiconError(f"'{share}' is not one of the block's shares",
                               fix="name one of: " + ", ".join(f"{s:g}" for s in spec.shares))
        return i

    def _lookup(self, spec, result, name, args):
        row = result["rows"][self._row_index(spec, args[0])]
        if name in ("worse", "equal", "better"):
            return paired(result["rows"][0]["accuracy"], row["accuracy"])[name]
        if name == "drop":
            return result["rows"][0]["mean"] - row["mean"]
        return row[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    @value("The mean test accuracy over the seeds at a share: `mean(0.2)`.")
    def mean(self, spec, result, share):
        v = self._lookup(spec, result, "mean", (share,))
        return Value(fmt(v), v)

    @value("The lowest test accuracy over the seeds at a share: `min(0.2)`.")
    def min(self, spec, result, share):
        v = self._lookup(spec, result, "min", (share,))
        return Value(fmt(v), v)

    @value("The highest test accuracy over the seeds at a share: `max(0.2)`.")
    def max(self, spec, result, share):
        v = self._lookup(spec, result, "max", (share,))
        return Value(fmt(v), v)

    @value("On how many seeds the accuracy at a share is below that seed's accuracy at the first (smallest) share "
           "(same split, same model): `worse(0.1)`.")
    def worse(self, spec, result, share):
        n = self._lookup(spec, result, "worse", (share,))
        return Value(f"{n:,}", n)

    @value("On how many seeds the accuracy at a share equals that seed's at the first share: `equal(0.1)`.")
    def equal(self, spec, result, share):
        n = self._lookup(spec, result, "equal", (share,))
        return Value(f"{n:,}", n)

    @value("On how many seeds the accuracy at a share is above that seed's at the first share: `better(0.1)`.")
    def better(self, spec, result, share):
        n = self._lookup(spec, result, "better", (share,))
        return Value(f"{n:,}", n)

    @value("The mean accuracy lost against the first share, averaged over the seeds: `drop(0.1)`.")
    def drop(self, spec, result, share):
        v = self._lookup(spec, result, "drop", (share,))
        return Value(fmt(v), v)

    @value("How many training labels are flipped at a share: `flipped(0.2)`.")
    def flipped(self, spec, result, share):
        n = self._lookup(spec, result, "flipped", (share,))
        return Value(f"{n:,}", n)

    @value("A share as a percentage: `share(0.2)` is 20.0%.")
    def share(self, spec, result, share):
        v = spec.shares[self._row_index(spec, share)]
        return Value(percent(v), v)

    @value("A count: `count(train)`, `count(test)` or `count(seeds)`.")
    def count(self, spec, result, what):
        counts = {"train": result["train"], "test": result["test"], "seeds": spec.seeds}
        if str(what).strip() not in counts:
            raise LexiconError(f"cannot count '{what}'", fix="name one of: " + ", ".join(counts))
        return Value(f"{counts[str(what).strip()]:,}", counts[str(what).strip()])

    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        rows = result["rows"]
        xs = [r["share"] for r in rows]

        def figure():
            fig = go.Figure([
                go.Scatter(x=xs + xs[::-1], y=[r["max"] for r in rows] + [r["min"] for r in rows][::-1], fill="toself",
                           name=f"lowest to highest over {spec.seeds} seeds", mode="lines", line=dict(width=0),
                           fillcolor="rgba(31,119,180,0.18)", hoverinfo="skip"),
                go.Scatter(x=xs, y=[r["mean"] for r in rows], mode="lines+markers", name="mean test accuracy",
                           line=dict(color=PALETTE[0], width=2),
                           hovertemplate="%{x:.0%} flipped: %{y:.4f}<extra></extra>")])
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="share of training labels flipped", standoff=6),
                                                          tickformat=".0%"),
                              yaxis=dict(title=dict(text="test accuracy (clean labels)", standoff=6)))
            return fig

        table = Table(["Training labels flipped", "Flipped examples", "Mean test accuracy", "Lowest", "Highest"],
                      [[percent(r["share"]), f"{r['flipped']:,}", fmt(r["mean"]), fmt(r["min"]), fmt(r["max"])]
                       for r in rows], numeric=(0, 1, 2, 3, 4))
        model = (f"KNeighborsClassifier(n_neighbors={spec.neighbours})" if spec.model == "nearest-neighbours"
                 else "LogisticRegression(max_iter=5000)")
        what = MODELS[spec.model] + (f"({spec.neighbours})" if spec.model == "nearest-neighbours" else "")
        alt = (f"Line chart of the mean test accuracy of {what} on the {spec.dataset.replace('_', ' ')} data against the share "
               "of training labels flipped: " + ", ".join(f"{percent(r['share'])}: {fmt(r['mean'])}" for r in rows) + ".")
        code = ("import numpy as np\n"
                f"from sklearn.datasets import load_{spec.dataset}\n"
                + ("" if spec.model == "nearest-neighbours" else "from sklearn.linear_model import LogisticRegression\n")
                + "from sklearn.model_selection import train_test_split\n"
                + ("from sklearn.neighbors import KNeighborsClassifier\n" if spec.model == "nearest-neighbours" else "") +
                "from sklearn.pipeline import make_pipeline\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                f"data = load_{spec.dataset}()\n"
                "classes = data.target.max() + 1\n"
                f"for share in {[float(s) for s in spec.shares]}:\n"
                "    scores = []\n"
                f"    for seed in range({spec.seeds}):\n"
                "        x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size="
                f"{spec.test_size:g},\n"
                "                                                  random_state=seed, stratify=data.target)\n"
                "        rng, y_noisy = np.random.RandomState(seed), y_tr.copy()\n"
                "        for i in rng.choice(len(y_tr), int(round(share * len(y_tr))), replace=False):\n"
                "            others = [c for c in range(classes) if c != y_tr[i]]\n"
                "            y_noisy[i] = others[rng.randint(len(others))]   # a wrong class\n"
                f"        model = make_pipeline(StandardScaler(), {model})\n"
                "        scores.append(model.fit(x_tr, y_noisy).score(x_te, y_te))   # clean test labels\n"
                "    print(share, np.mean(scores), min(scores), max(scores))\n")
        return [
            Html(f"<p>{result['train']:,} training and {result['test']:,} test examples of the "
                 f"{spec.dataset.replace('_', ' ')} data, {result['classes']} classes; model: {what}; "
                 f"{spec.seeds} seeds, each with its own split and flips. The test labels are never flipped.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=340, anchor="noise",
                   default_caption="Test accuracy on clean labels as more training labels are wrong: the mean over the "
                                   "seeds, and the band from the lowest to the highest."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
