"""The label-summary kind: what the label column of one of scikit-learn's bundled datasets holds."""

from __future__ import annotations

from ...datasets import LOADERS
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt, percent
from ._data import NOTE
from ._labels import label_summary


class LabelSummary(Kind):
    """The labels (the answer column `y`) of one of scikit-learn's bundled datasets: for a classification
    dataset (`iris`, `wine`, `breast_cancer`, `digits`) each class's name, how many examples carry it and their
    share; for the regression dataset `diabetes`, the range of the number each patient is labelled with.

    The labels are read with scikit-learn's loader (`load_iris().target`, …) and counted with `numpy.bincount`;
    the class names are the loader's `target_names`.
    """

    example = "dataset: wine"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text("One of scikit-learn's bundled datasets: `iris`, `wine`, `breast_cancer`, `digits` or "
                         "`diabetes`.", default="iris"),
        caption=opt.caption("“The labels of the wine data …”"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if spec.dataset not in LOADERS:
            label_summary(spec.dataset)     # raises the located error that names the closest dataset

    def anchor_hint(self, spec):
        return f"labels {spec.dataset}"

    def compute(self, kv, spec):
        return label_summary(spec.dataset)

    def _class(self, result, name) -> int:
        if result["kind"] != "class":
            raise LexiconError("the diabetes labels are numbers, not classes", fix="quote min, max, mean or median")
        name = str(name).strip()
        if name not in result["classes"]:
            raise LexiconError(f"'{name}' is not a class of the data", fix="name one of: " + ", ".join(result["classes"]))
        return result["classes"].index(name)

    @value("How many examples carry a class: `count(malignant)`; `count(all)` counts every example.")
    def count(self, spec, result, name):
        if str(name).strip() == "all":
            n = result["samples"]
        else:
            i = self._class(result, name)
            n = result["counts"][i]
        return Value(f"{n:,}", n)

    @value("A class's share of the examples: `share(benign)`.")
    def share(self, spec, result, name):
        i = self._class(result, name)
        v = result["counts"][i] / result["samples"]
        return Value(percent(v), v)

    @value("How many classes (or, for diabetes, distinct label values) there are.")
    def classes(self, spec, result):
        n = len(result["classes"]) if result["kind"] == "class" else result["distinct"]
        return Value(f"{n:,}", n)

    @value("A statistic of a number label (diabetes): `stat(min)`, `stat(max)`, `stat(mean)`, `stat(median)`.")
    def stat(self, spec, result, which):
        which = str(which).strip()
        if result["kind"] != "number" or which not in ("min", "max", "mean", "median"):
            raise LexiconError(f"cannot read stat({which}) of the {spec.dataset} labels",
                               fix="use stat(min|max|mean|median) on the diabetes data; count a class otherwise")
        v = result[which]
        return Value(f"{v:g}" if float(v).is_integer() else fmt(v), v)

    def render(self, spec, result, ctx):
        name = spec.dataset.replace("_", " ")
        code = (f"import numpy as np\nfrom sklearn.datasets import load_{spec.dataset}\n\n"
                f"data = load_{spec.dataset}()\n")
        if result["kind"] == "class":
            rows = [[str(i), esc(c), f"{n:,}", percent(n / result["samples"])]
                    for i, (c, n) in enumerate(zip(result["classes"], result["counts"]))]
            table = Table(["Label in y", "Class name", "Examples", "Share"], rows, numeric=(0, 2, 3))
            intro = (f"The {esc(name)} data: {result['samples']:,} examples, each labelled with one of "
                     f"{len(result['classes'])} classes.")
            code += "for name, n in zip(data.target_names, np.bincount(data.target)):\n    print(name, n)\n"
        else:
            table = Table(["Statistic", "Label value"],
                          [["smallest", f"{result['min']:g}"], ["largest", f"{result['max']:g}"],
                           ["mean", fmt(result["mean"])], ["median", f"{result['median']:g}"],
                           ["distinct values", f"{result['distinct']:,}"]], numeric=(1,))
            intro = (f"The diabetes data: {result['samples']:,} patients, each labelled with a number (disease "
                     "progression one year later), not a class.")
            code += "y = data.target\nprint(y.min(), y.max(), y.mean(), np.median(y), len(np.unique(y)))\n"
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [Html(f"<p>{intro}</p>"), table, Code(code, "The scikit-learn call behind these numbers")]
