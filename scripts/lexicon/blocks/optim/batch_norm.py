"""The batch-norm kind: batch normalisation's statistics on a real batch, training mode against inference mode."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._claims import Names
from ._data import BN_EPS, NOTE, batch_norm, layer_norm, running_stats

FEATURES_SCHEMA = {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 4, "uniqueItems": True}
NAMES = Names("write e.g. 'gap > 0.1' or 'running_error(mean radius) < 0.05'",
              gap=("the largest change in one patient's normalised features between two batches", 0, False),
              running_error=("the running mean's relative error for {0}", 1, False),
              flattest_var=("the smallest variance of a feature over the batch", 0, False))


def sci(x: float) -> str:
    """A tiny number in scientific notation (the means after normalisation are rounding errors, not zeros)."""
    return f"{x:.1e}".replace("-", "−")


class BatchNorm(Kind):
    """Batch normalisation in numpy on a real batch: `batch` patients drawn (`numpy.random.RandomState(seed)`) from
    scikit-learn's breast cancer data, its 30 features as measured.

    In training mode each feature is shifted and
    scaled by the batch's own mean and variance (divided by the batch size, plus ε = 10⁻⁵), as in Ioffe & Szegedy
    2015, Algorithm 1, with the learned gain 1 and shift 0; the block shows, for the `features` named, the batch's
    mean and standard deviation, and the mean and variance of the normalised values (0 and 1 up to rounding and ε).

    Two consequences are computed. One patient is normalised in two different batches that both contain them:
    in training mode their values change with their companions (`gap`: the largest change); at inference the layer
    uses running statistics instead, here an exponential average (momentum 0.1) over `batches` training batches,
    compared with the whole data's mean (`running_error`). And layer normalisation (each patient over their own 30
    features) is shown beside it: it needs no batch, but mixes features measured in different units.
    """

    example = "batch: 16\nfeatures: [mean radius, mean area]\nexpect:\n  - gap > 0.01"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        batch=opt.integer("The patients in a batch.", default=16, min=2, max=128),
        features=opt.raw("The features shown, by scikit-learn's names (e.g. `mean radius`, `mean area`).",
                         FEATURES_SCHEMA, "list of 1–4 feature names", default=["mean radius", "mean texture", "mean area"],
                         convert=list),
        batches=opt.integer("The training batches the running statistics average over.", default=50, min=1, max=1000),
        seed=opt.seed("The seed of the batches.", default=0),
        expect=opt.claims("[Claims](#claims): `gap > 0.01`, `running_error(mean area) < 0.1`. "
                          "Names: gap, running_error(feature), flattest_var."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        from sklearn.datasets import load_breast_cancer

        names = [str(n) for n in load_breast_cancer().feature_names]
        for f in spec.features:
            if f not in names:
                raise LexiconError(f"'{f}' is not a feature of the breast cancer data",
                                   fix="name one of: " + ", ".join(names))
        spec.parsed = [NAMES.parse(t) for t in spec.expect]
        NAMES.validate(spec.parsed, lambda n, args: self._feature(spec, args[0]) if args else None)

    def anchor_hint(self, spec):
        return f"batch-norm {spec.batch}"

    def _feature(self, spec, f) -> int:
        f = str(f).strip()
        if f not in spec.features:
            raise LexiconError(f"'{f}' is not one of the block's features", fix="name one of: " + ", ".join(spec.features))
        return spec.features.index(f)

    def compute(self, kv, spec):
        from sklearn.datasets import load_breast_cancer

        data = load_breast_cancer()
        x = data.data
        cols = [list(data.feature_names).index(f) for f in spec.features]
        rng = np.random.RandomState(spec.seed)
        first = rng.choice(len(x), spec.batch, replace=False)
        # a second batch that shares the first batch's first patient and nothing else
        others = np.setdiff1d(np.arange(len(x)), first)
        second = np.r_[first[0], rng.choice(others, spec.batch - 1, replace=False)]
        out_a, mean, var = batch_norm(x[first])
        out_b, _, _ = batch_norm(x[second])
        r_mean, r_var = running_stats(x, spec.batch, spec.batches, 0.1, spec.seed)
        infer = (x[first[0]] - r_mean) / np.sqrt(r_var + BN_EPS)
        ln = layer_norm(x[first])
        return {"samples": int(len(x)), "features": int(x.shape[1]), "patient": int(first[0]),
                "batch_mean": mean[cols].tolist(), "batch_sd": np.sqrt(var[cols]).tolist(),
                "out_mean": out_a.mean(axis=0)[cols].tolist(), "out_var": out_a.var(axis=0)[cols].tolist(),
                "all_out_mean": float(np.abs(out_a.mean(axis=0)).max()),
                "all_out_var": [float(out_a.var(axis=0).min()), float(out_a.var(axis=0).max())],
                "flattest": str(data.feature_names[int(np.argmin(var))]), "flattest_var": float(var.min()),
                "in_a": out_a[0, cols].tolist(), "in_b": out_b[0, cols].tolist(),
                "gap": float(np.abs(out_a[0] - out_b[0]).max()), "inference": infer[cols].tolist(),
                "data_mean": x.mean(axis=0)[cols].tolist(), "running_mean": r_mean[cols].tolist(),
                "layer": ln[0, cols].tolist(), "layer_row_mean": float(ln[0].mean()), "layer_row_var": float(ln[0].var())}

    def _lookup(self, spec, result, n, args):
        if n in ("gap", "flattest_var"):
            return result[n]
        j = self._feature(spec, args[0])
        return abs(result["running_mean"][j] - result["data_mean"][j]) / abs(result["data_mean"][j])

    def claims(self, spec, result, check):
        NAMES.check_all(spec.parsed, lambda n, args: self._lookup(spec, result, n, args), check, fmt)

    @value("The largest change in the shared patient's normalised features between the two batches.")
    def gap(self, spec, result):
        return Value(fmt(result["gap"]), result["gap"])

    @value("The running mean's error relative to the whole data's mean for a feature: `running_error(mean area)`.")
    def running_error(self, spec, result, feature):
        v = self._lookup(spec, result, "running_error", [feature])
        return Value(fmt(v), v)

    @value("The largest |mean| of any of the 30 normalised features over the batch (a rounding error).")
    def residual_mean(self, spec, result):
        return Value(sci(result["all_out_mean"]), result["all_out_mean"])

    @value("The smallest variance of any normalised feature over the batch (under 1, because of ε).")
    def min_var(self, spec, result):
        v = result["all_out_var"][0]
        return Value(f"{v:.6f}", v)

    @value("The feature with the smallest variance over the batch, before normalisation.")
    def flattest(self, spec, result):
        return Value(result["flattest"], result["flattest"])

    @value("That feature's variance over the batch, in scientific notation.")
    def flattest_var(self, spec, result):
        return Value(sci(result["flattest_var"]), result["flattest_var"])

    @value("The patients in a batch.")
    def batch(self, spec, result):
        return Value(str(spec.batch), spec.batch)

    @value("The training batches the running statistics average over.")
    def batches(self, spec, result):
        return Value(str(spec.batches), spec.batches)

    @value("A feature's mean over the batch, before normalisation: `batch_mean(mean area)`.")
    def batch_mean(self, spec, result, feature):
        v = result["batch_mean"][self._feature(spec, feature)]
        return Value(fmt(v, 2), v)

    @value("A feature's standard deviation over the batch, before normalisation: `batch_sd(mean area)`.")
    def batch_sd(self, spec, result, feature):
        v = result["batch_sd"][self._feature(spec, feature)]
        return Value(fmt(v, 2), v)

    @value("The shared patient's normalised value of a feature in the first batch: `in_a(mean area)`.")
    def in_a(self, spec, result, feature):
        v = result["in_a"][self._feature(spec, feature)]
        return Value(fmt(v), v)

    @value("The shared patient's normalised value of a feature in the second batch: `in_b(mean area)`.")
    def in_b(self, spec, result, feature):
        v = result["in_b"][self._feature(spec, feature)]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        fs = spec.features
        stats = Table(["Feature", "Batch mean", "Batch standard deviation", "Mean after", "Variance after",
                       "Whole-data mean", f"Running mean after {spec.batches} batches"],
                      [[f, fmt(result["batch_mean"][j], 2), fmt(result["batch_sd"][j], 2), sci(result["out_mean"][j]),
                        f"{result['out_var'][j]:.6f}", fmt(result["data_mean"][j], 2), fmt(result["running_mean"][j], 2)]
                       for j, f in enumerate(fs)], numeric=(1, 2, 3, 4, 5, 6))
        patient = Table(["Feature", "Training mode, batch A", "Training mode, batch B", "Inference (running statistics)",
                         "Layer norm (no batch)"],
                        [[f, fmt(result["in_a"][j]), fmt(result["in_b"][j]), fmt(result["inference"][j]),
                          fmt(result["layer"][j])] for j, f in enumerate(fs)], numeric=(1, 2, 3, 4))
        code = ("import numpy as np\n"
                "from sklearn.datasets import load_breast_cancer\n\n"
                "x = load_breast_cancer().data\n"
                f"rng = np.random.RandomState({spec.seed})\n"
                f"batch = x[rng.choice(len(x), {spec.batch}, replace=False)]\n"
                "mean, var = batch.mean(axis=0), batch.var(axis=0)      # over the batch, per feature\n"
                f"out = (batch - mean) / np.sqrt(var + {BN_EPS:g})          # gain 1, shift 0\n"
                "print(np.abs(out.mean(axis=0)).max(), out.var(axis=0).min())\n")
        return [
            Html(f"<p>A batch of {spec.batch} patients is drawn from the {result['samples']:,} of scikit-learn's breast "
                 f"cancer data; its {result['features']} features are left as measured. Batch normalisation shifts "
                 "and scales each feature by the batch's own statistics. Afterwards no feature's mean over the batch "
                 f"is further from 0 than {sci(result['all_out_mean'])}, and the variances lie between "
                 f"{result['all_out_var'][0]:.6f} and {result['all_out_var'][1]:.6f}: under 1, because ε = "
                 f"{sci(BN_EPS)} is added to the variance. That matters for <code>{esc(result['flattest'])}</code>, "
                 f"whose variance over the batch, {sci(result['flattest_var'])}, is "
                 + ("smaller than ε itself" if result["flattest_var"] < BN_EPS else "not much larger than ε") + ".</p>"),
            stats,
            Html(f"<p>Patient {result['patient']} in two batches (batch B shares only this patient with batch A): in "
                 "training mode their normalised values depend on who else is in the batch. At inference the "
                 "layer uses the running statistics, so the output depends on the patient alone. Layer normalisation "
                 "normalises the patient over their own features instead (mean "
                 f"{esc(sci(result['layer_row_mean']))}, variance {result['layer_row_var']:.6f} across the row). On raw "
                 "features in different units it is dominated by the largest (area); it is meant for hidden layers "
                 "whose units share a scale.</p>"),
            patient,
            Code(code, "The numpy behind the first table (it runs as shown)"),
        ]
