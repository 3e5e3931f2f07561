"""The model-complexity kind: training and validation accuracy of a decision tree as its depth grows."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import fmt
from ._claims import Names
from ._data import NOTE, best_depths, check_dataset, tree_scores

NAMES = Names("write e.g. 'best = 3', 'validation(3) > validation(10)', 'gap(10) > gap(2)' or 'train(10) > 0.99'",
              best=("the depth with the highest validation accuracy", 0, True),
              train=("the training accuracy at depth {0}", 1, False),
              validation=("the validation accuracy at depth {0}", 1, False),
              gap=("the train–validation gap at depth {0}", 1, False),
              leaves=("the number of leaves at depth {0}", 1, True),
              seed_mean_validation=("the validation accuracy at depth {0}, averaged over the seeds' splits", 1, False),
              seed_mean_gap=("the train–validation gap at depth {0}, averaged over the seeds' splits", 1, False))
DATASET_DOC = "One of scikit-learn's bundled classification datasets: `breast_cancer`, `iris`, `wine` or `digits`."


class ModelComplexity(Kind):
    """Training and validation accuracy of a decision tree as its maximum depth grows: where the
    model under-fits, where it over-fits, and the depth that scores best on data it did not see.

    The dataset (scikit-learn's bundled copy) is split once with `train_test_split` (`test_size`,
    `seed`, stratified by class) into a training and a validation part. For each depth from 1 to
    `max_depth` a `DecisionTreeClassifier(max_depth=d, random_state=seed)` learns on the training part
    and is scored (accuracy) on both parts. The best depth is the one with the highest validation
    accuracy (the shallowest of equals); the gap is training minus validation accuracy. This is one
    split: another seed can move the best depth, and the page should say so. With `seeds` above 1 the
    sweep is repeated on the splits of seeds `seed` … `seed + seeds − 1`, and the values `seed_best_min`,
    `seed_best_max` and `seed_perfect` say how far the best depth moves and how often the deepest tree fits
    its training split perfectly; `seed_mean_validation`, `seed_mean_train`, `seed_mean_gap`, `seed_mean_best` and
    `seed_best_count` average over those splits, where a lesson of one split can be checked.
    """

    example = "dataset: breast_cancer\nmax_depth: 8\nexpect:\n  - best = 3\n  - gap(8) > gap(1)"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text(DATASET_DOC, default="breast_cancer"),
        max_depth=opt.integer("The deepest tree grown; depths 1 to this are compared.", default=10, min=2, max=20),
        test_size=opt.number("The share of the samples held out as the validation split.", default=0.25, min=0.1,
                             max=0.5),
        seed=opt.seed("The seed of the split and of the trees (`random_state`).", default=0),
        seeds=opt.integer("How many split seeds to repeat the sweep on (from `seed`), for `seed_best_min`, "
                          "`seed_best_max` and `seed_perfect`.", default=1, min=1, max=100),
        expect=opt.claims("[Claims](#claims): `best = 3`, `validation(3) > validation(10)`, `gap(10) > gap(2)`, "
                          "`train(10) > 0.99`. Names: best, train(depth), validation(depth), gap(depth), "
                          "leaves(depth), and with `seeds` above 1 seed_mean_validation(depth), seed_mean_gap(depth)."),
        caption=opt.caption("“Accuracy on the training and validation splits at each depth …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda name, args: self._depth(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return f"complexity {spec.dataset} depth"

    def compute(self, kv, spec):
        out = {"rows": tree_scores(spec.dataset, list(range(1, spec.max_depth + 1)), spec.test_size, spec.seed)}
        if spec.seeds > 1:
            out["seeds"] = best_depths(spec.dataset, spec.max_depth, spec.test_size, spec.seed, spec.seeds)
        return out

    # --- reading the result ---------------------------------------------------------------------------
    def _depth(self, spec, text) -> int:
        t = str(text).strip()
        if not t.isdigit() or not 1 <= int(t) <= spec.max_depth:
            raise LexiconError(f"'{text}' is not one of the depths compared", fix=f"name a depth from 1 to {spec.max_depth}")
        return int(t)

    def _row(self, spec, result, text) -> dict:
        return result["rows"][self._depth(spec, text) - 1]

    @staticmethod
    def _best(result) -> dict:
        return max(result["rows"], key=lambda r: (r["validation"], -r["depth"]))

    def _lookup(self, spec, result, name, args):
        if name == "best":
            return self._best(result)["depth"]
        if name.startswith("seed_mean_"):
            return self._seed_mean(spec, result, name[len("seed_mean_"):], args[0])
        r = self._row(spec, result, args[0])
        return r["train"] - r["validation"] if name == "gap" else r[name]

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda name, args: self._lookup(spec, result, name, args), check, fmt)

    # --- values for prose -----------------------------------------------------------------------------
    @value("The depth with the highest validation accuracy (the shallowest of equals).")
    def best(self, spec, result):
        d = self._best(result)["depth"]
        return Value(str(d), d)

    @value("The training accuracy at a depth: `train(8)`.")
    def train(self, spec, result, depth):
        v = self._row(spec, result, depth)["train"]
        return Value(fmt(v), v)

    @value("The validation accuracy at a depth: `validation(3)`.")
    def validation(self, spec, result, depth):
        v = self._row(spec, result, depth)["validation"]
        return Value(fmt(v), v)

    @value("Training minus validation accuracy at a depth: `gap(8)`.")
    def gap(self, spec, result, depth):
        r = self._row(spec, result, depth)
        return Value(fmt(r["train"] - r["validation"]), r["train"] - r["validation"])

    @value("The depth a tree allowed `max_depth` actually reached (it stops once its leaves are pure): `reached(8)`.")
    def reached(self, spec, result, depth):
        d = self._row(spec, result, depth)["reached"]
        return Value(str(d), d)

    @value("How many validation samples the tree at a depth gets right: `right(3)`.")
    def right(self, spec, result, depth):
        n = self._row(spec, result, depth)["right"]
        return Value(f"{n:,}", n)

    @value("How many samples the validation split holds: `held_out`.")
    def held_out(self, spec, result):
        n = result["rows"][0]["held_out"]
        return Value(f"{n:,}", n)

    @value("The number of leaves of the tree at a depth: `leaves(8)`.")
    def leaves(self, spec, result, depth):
        n = self._row(spec, result, depth)["leaves"]
        return Value(f"{n:,}", n)

    @value("The shallowest depth whose training accuracy is 1 (every training sample right): `perfect`.")
    def perfect(self, spec, result):
        r = next((r for r in result["rows"] if r["train"] == 1.0), None)
        if r is None:
            raise LexiconError(f"no tree up to depth {spec.max_depth} fits its training split perfectly",
                               fix="raise max_depth, or quote another value")
        return Value(str(r["depth"]), r["depth"])

    def _seeds(self, spec, result) -> list[dict]:
        if "seeds" not in result:
            raise LexiconError("this value needs the sweep repeated on several splits", fix="add e.g. 'seeds: 50'")
        return result["seeds"]

    @value("The lowest best depth over the `seeds` splits: `seed_best_min`.")
    def seed_best_min(self, spec, result):
        d = min(r["best"] for r in self._seeds(spec, result))
        return Value(str(d), d)

    @value("The highest best depth over the `seeds` splits: `seed_best_max`.")
    def seed_best_max(self, spec, result):
        d = max(r["best"] for r in self._seeds(spec, result))
        return Value(str(d), d)

    @value("On how many of the `seeds` splits the deepest tree fits its training split perfectly: `seed_perfect`.")
    def seed_perfect(self, spec, result):
        n = sum(r["perfect"] for r in self._seeds(spec, result))
        return Value(str(n), n)

    def _seed_mean(self, spec, result, key, depth) -> float:
        i = self._depth(spec, depth) - 1
        runs = self._seeds(spec, result)
        if key == "gap":
            return sum(r["train"][i] - r["validation"][i] for r in runs) / len(runs)
        return sum(r[key][i] for r in runs) / len(runs)

    @value("The validation accuracy at a depth averaged over the `seeds` splits: `seed_mean_validation(5)`.")
    def seed_mean_validation(self, spec, result, depth):
        v = self._seed_mean(spec, result, "validation", depth)
        return Value(fmt(v), v)

    @value("The training accuracy at a depth averaged over the `seeds` splits: `seed_mean_train(8)`.")
    def seed_mean_train(self, spec, result, depth):
        v = self._seed_mean(spec, result, "train", depth)
        return Value(fmt(v), v)

    @value("Training minus validation accuracy at a depth, averaged over the `seeds` splits: `seed_mean_gap(8)`.")
    def seed_mean_gap(self, spec, result, depth):
        v = self._seed_mean(spec, result, "gap", depth)
        return Value(fmt(v), v)

    @value("The depth with the highest validation accuracy averaged over the `seeds` splits (the shallowest of "
           "equals): `seed_mean_best`.")
    def seed_mean_best(self, spec, result):
        d = max(range(1, spec.max_depth + 1), key=lambda d: (self._seed_mean(spec, result, "validation", d), -d))
        return Value(str(d), d)

    @value("On how many of the `seeds` splits a depth has the best validation accuracy: `seed_best_count(3)`.")
    def seed_best_count(self, spec, result, depth):
        d = self._depth(spec, depth)
        n = sum(r["best"] == d for r in self._seeds(spec, result))
        return Value(str(n), n)

    @value("How many splits the sweep was repeated on (`seeds`).")
    def seed_count(self, spec, result):
        return Value(str(len(self._seeds(spec, result))), len(self._seeds(spec, result)))

    @value("The deepest depth compared (`max_depth`).")
    def deepest(self, spec, result):
        return Value(str(spec.max_depth), spec.max_depth)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        rows, best = result["rows"], self._best(result)
        depths = [r["depth"] for r in rows]
        table = Table(["Maximum depth", "Depth reached", "Leaves", "Training accuracy", "Validation accuracy",
                       "Validation samples right", "Gap"],
                      [[str(r["depth"]) + (" (best)" if r is best else ""), str(r["reached"]), f"{r['leaves']:,}",
                        fmt(r["train"]), fmt(r["validation"]), f"{r['right']:,} of {r['held_out']:,}",
                        fmt(r["train"] - r["validation"])] for r in rows], numeric=(1, 2, 3, 4, 6))
        low = min(min(r["train"], r["validation"]) for r in rows)

        def figure():
            fig = go.Figure()
            for i, (key, name) in enumerate((("train", "training split"), ("validation", "validation split"))):
                fig.add_trace(go.Scatter(x=depths, y=[r[key] for r in rows], mode="lines+markers", name=name,
                                         line=dict(color=PALETTE[i], width=2, dash=("solid", "dash")[i]),
                                         hovertemplate=f"depth %{{x}}: {name} accuracy %{{y:.4f}}<extra></extra>"))
            fig.add_vline(x=best["depth"], line=dict(color=PALETTE[7], width=1, dash="dot"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="maximum depth of the tree", standoff=6),
                                                          dtick=1),
                              yaxis=dict(title=dict(text="accuracy", standoff=6),
                                         range=[max(0.0, int(low * 10 - 1) / 10), 1.01]))
            return fig

        alt = (f"Line chart of training and validation accuracy against the tree's maximum depth, 1 to "
               f"{spec.max_depth}. " + " ".join(f"Depth {r['depth']}: training {fmt(r['train'])}, validation "
                                                f"{fmt(r['validation'])}." for r in rows)
               + f" The best validation accuracy is at depth {best['depth']}.")
        code = (f"from sklearn.datasets import load_{spec.dataset}\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.tree import DecisionTreeClassifier\n\n"
                f"data = load_{spec.dataset}()\n"
                "x_train, x_val, y_train, y_val = train_test_split(\n"
                f"    data.data, data.target, test_size={spec.test_size:g}, random_state={spec.seed}, "
                "stratify=data.target)\n"
                f"for depth in range(1, {spec.max_depth + 1}):\n"
                f"    tree = DecisionTreeClassifier(max_depth=depth, random_state={spec.seed})\n"
                "    tree.fit(x_train, y_train)\n"
                "    tree.score(x_train, y_train), tree.score(x_val, y_val)  # accuracy\n")
        return [
            Html(f"<p>The deeper the tree, the more questions it asks of each sample. Depth {best['depth']} scores best "
                 f"on the validation split ({fmt(best['validation'])}); its gap to the training accuracy is "
                 f"{fmt(best['train'] - best['validation'])}.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=360, anchor="depth",
                   default_caption="Accuracy on the training and validation splits at each maximum depth; dotted: "
                                   "the depth with the best validation accuracy, on this one split."),
            Code(code, "The scikit-learn calls behind these numbers"),
        ]
