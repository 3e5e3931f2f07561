"""The hidden-units kind: an MLPClassifier's training and test accuracy as its hidden layer grows, against a linear model."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt
from ._data import DATASET_DOC, NOTE, TASKS, TEST_SIZE, check_dataset, hidden_sweep, labels

SIZES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 128}, "minItems": 2, "maxItems": 6,
                "uniqueItems": True}


class HiddenUnits(Kind):
    """A multilayer perceptron's training and test accuracy as its one hidden layer grows, beside a
    linear model (logistic regression, no hidden layer) on the same split.

    The dataset is split (`test_size`, `seed`, stratified by class) and standardised on its training
    part. For each of `sizes` an `MLPClassifier(hidden_layer_sizes=(h,), activation="relu")` learns
    with adam for at most `max_iter` epochs from `random_state=seed`; a `LogisticRegression` learns the
    same split. With `task: parity` (digits only) the label is whether the digit is even or odd: each
    of the two classes is made of five unlike shapes, a task a single straight boundary does poorly
    and a hidden layer can learn. The table says which runs stopped before converging.
    """

    example = "dataset: breast_cancer\nsizes: [1, 4, 16]\nmax_iter: 100"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text(DATASET_DOC, default="digits"),
        task=opt.choice("What is learned: the dataset's `classes`, or `parity` (digits only: even or odd).",
                        list(TASKS), default="classes"),
        sizes=opt.raw("Hidden units to compare, one network each (1 to 128).", SIZES_SCHEMA,
                      "list of 2–6 different whole numbers", default=[1, 2, 4, 16], convert=list),
        max_iter=opt.integer("The most epochs each network's optimiser runs.", default=200, min=1, max=500),
        test_size=TEST_SIZE,
        seed=opt.seed("The seed of the split and of the networks' initial weights.", default=0),
        caption=opt.caption("“Training and test accuracy by hidden units …”"),
        figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        if spec.task == "parity" and spec.dataset != "digits":
            labels(spec.dataset, spec.task)      # raises: parity is for digits

    def anchor_hint(self, spec):
        return f"hidden units {spec.dataset} {spec.task}"

    def compute(self, kv, spec):
        return hidden_sweep(spec.dataset, spec.sizes, spec.max_iter, spec.test_size, spec.seed, spec.task)

    def _row(self, spec, result, h) -> dict:
        t = str(h).strip()
        match = [r for r in result["rows"] if str(r["hidden"]) == t]
        if not match:
            raise LexiconError(f"'{h}' is not one of the block's sizes", fix="name one of: " + ", ".join(map(str, spec.sizes)))
        return match[0]

    # --- values for prose -----------------------------------------------------------------------------
    @value("Test accuracy with h hidden units: `test(16)`.")
    def test(self, spec, result, h):
        v = self._row(spec, result, h)["test"]
        return Value(fmt(v), v)

    @value("Training accuracy with h hidden units: `train(16)`.")
    def train(self, spec, result, h):
        v = self._row(spec, result, h)["train"]
        return Value(fmt(v), v)

    @value("The linear model's test accuracy.")
    def linear_test(self, spec, result):
        return Value(fmt(result["linear"]["test"]), result["linear"]["test"])

    @value("The linear model's training accuracy.")
    def linear_train(self, spec, result):
        return Value(fmt(result["linear"]["train"]), result["linear"]["train"])

    @value("How many of the networks stopped at `max_iter` before converging.")
    def unconverged(self, spec, result):
        n = sum(not r["converged"] for r in result["rows"])
        return Value(str(n), n)

    @value("How many networks there are.")
    def networks(self, spec, result):
        return Value(str(len(result["rows"])), len(result["rows"]))

    @value("The k-th size (1 = the first listed): `size(3)`.")
    def size(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.sizes):
            raise LexiconError(f"there is no size '{k}'", fix=f"name 1 to {len(spec.sizes)}")
        h = spec.sizes[int(k) - 1]
        return Value(str(h), h)

    @value("The epochs limit (`max_iter`).")
    def max_iter(self, spec, result):
        return Value(str(spec.max_iter), spec.max_iter)

    @value("The training and test examples: `examples(train)`, `examples(test)`.")
    def examples(self, spec, result, part):
        if str(part).strip() not in ("train", "test"):
            raise LexiconError(f"'{part}' is not a split", fix="name train or test")
        n = result[str(part).strip()]
        return Value(f"{n:,}", n)

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        rows, lin = result["rows"], result["linear"]
        table = Table(["Model", "Training accuracy", "Test accuracy", "Epochs run", "Converged?"],
                      [["logistic regression (no hidden layer)", fmt(lin["train"]), fmt(lin["test"]), "—", "yes"]]
                      + [[f"MLP, {r['hidden']} hidden unit{'' if r['hidden'] == 1 else 's'}", fmt(r["train"]), fmt(r["test"]), str(r["iterations"]),
                          "yes" if r["converged"] else f"no (stopped at {spec.max_iter})"] for r in rows],
                      numeric=(1, 2, 3))
        sizes = [r["hidden"] for r in rows]

        def figure():
            fig = go.Figure()
            for i, (key, name) in enumerate((("train", "MLP, training"), ("test", "MLP, test"))):
                fig.add_trace(go.Scatter(x=[str(h) for h in sizes], y=[r[key] for r in rows], mode="lines+markers",
                                         name=name, line=dict(color=PALETTE[i], width=2, dash=("solid", "dash")[i]),
                                         hovertemplate=f"%{{x}} hidden units: {name} %{{y:.4f}}<extra></extra>"))
                fig.add_hline(y=lin[key], line=dict(color=PALETTE[i], width=1, dash="dot"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(type="category", title=dict(text="hidden units", standoff=6)),
                              yaxis=dict(title=dict(text="accuracy", standoff=6)))
            return fig

        alt = (f"Line chart of the MLP's training and test accuracy by hidden units; dotted: the logistic regression's "
               f"training accuracy {fmt(lin['train'])} and test accuracy {fmt(lin['test'])}. "
               + " ".join(f"{r['hidden']} units: training {fmt(r['train'])}, test {fmt(r['test'])}." for r in rows))
        target = "data.target % 2          # even or odd" if spec.task == "parity" else "data.target"
        code = (f"from sklearn.datasets import load_{spec.dataset}\nfrom sklearn.linear_model import LogisticRegression\n"
                "from sklearn.model_selection import train_test_split\nfrom sklearn.neural_network import MLPClassifier\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                f"data = load_{spec.dataset}()\ny = {target}\n"
                "x_train, x_test, y_train, y_test = train_test_split(\n"
                f"    data.data, y, test_size={spec.test_size:g}, random_state={spec.seed}, stratify=data.target)\n"
                "scaler = StandardScaler().fit(x_train)\nx_train, x_test = scaler.transform(x_train), scaler.transform(x_test)\n"
                "LogisticRegression(max_iter=5000).fit(x_train, y_train).score(x_test, y_test)\n"
                f"for h in {list(spec.sizes)}:\n"
                f"    mlp = MLPClassifier(hidden_layer_sizes=(h,), max_iter={spec.max_iter}, random_state={spec.seed})\n"
                "    mlp.fit(x_train, y_train).score(x_test, y_test)\n")
        task = f" ({TASKS[spec.task]})" if spec.task != "classes" else ""
        return [
            Html(f"<p>The {esc(spec.dataset)} data{esc(task)}: {result['train']:,} training and {result['test']:,} test "
                 f"examples, standardised; every network with ReLU units and the same seed.</p>"),
            Figure(figure, alt=alt, caption=spec.caption, table=table, height=340, anchor="hidden",
                   default_caption="Training and test accuracy of an MLP with one hidden layer, by its size; dotted: "
                                   "a logistic regression (no hidden layer) on the same split."),
            Code(code, "The scikit-learn code behind these numbers"),
        ]
