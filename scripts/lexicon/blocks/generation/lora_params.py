"""The lora-params kind: how many numbers LoRA trains on the real MiniLM, for each rank, against the whole model."""

from __future__ import annotations

from ... import minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import percent
from ._lowrank import MATRICES, NOTE

RANKS = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 384}, "minItems": 1, "maxItems": 6,
         "uniqueItems": True}
WHICH = {"type": "array", "items": {"type": "string", "enum": list(MATRICES)}, "minItems": 1, "maxItems": 6,
         "uniqueItems": True}


class LoraParams(Kind):
    """How many numbers a LoRA update trains on all-MiniLM-L6-v2: for each rank r, the sum over every layer and
    every adapted matrix W (m × n) of r·(m + n), against the m·n numbers of those matrices and the whole
    model's parameters (`lexicon.minilm.parameter_counts`, counted from the weights file's tensors).

    The shapes are read from the weights file. LoRA's own experiments adapt the query and value matrices (the
    default). Nothing is trained here.
    """

    example = "matrices: [query, value]\nranks: [1, 8, 64]"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        matrices=opt.raw("The matrices adapted in every layer (as in `low-rank`).", WHICH, "list of matrix names",
                         default=["query", "value"], default_doc="`[query, value]`", convert=list),
        ranks=opt.raw("The ranks r to tabulate.", RANKS, "list of 1–6 ranks", default=[1, 4, 8, 64],
                      default_doc="`[1, 4, 8, 64]`", convert=list),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "lora parameters"

    def compute(self, kv, spec):
        w = minilm.load().weights
        layers = int(minilm.load().config["num_hidden_layers"])
        shapes = [[int(s) for s in w[f"encoder.layer.{i}.{MATRICES[m]}"].shape] for i in range(layers)
                  for m in spec.matrices]
        for r in spec.ranks:
            if any(r > min(s) for s in shapes):
                raise LexiconError(f"rank {r} is more than an adapted matrix's smaller side",
                                   fix=f"use ranks up to {min(min(s) for s in shapes)}")
        counts = minilm.parameter_counts()
        return {"shapes": shapes, "layers": layers, "total": int(counts["total"]), "pooler": int(counts["pooler"]),
                "lora": {str(r): sum(r * (m + n) for m, n in shapes) for r in spec.ranks},
                "adapted": sum(m * n for m, n in shapes)}

    def _r(self, spec, r):
        t = str(r).strip()
        if not t.isdigit() or int(t) not in spec.ranks:
            raise LexiconError(f"'{r}' is not one of the ranks", fix="name one of: " + ", ".join(map(str, spec.ranks)))
        return t

    @value("The numbers a rank-r LoRA trains over all adapted matrices: `params(8)`.")
    def params(self, spec, result, r):
        v = result["lora"][self._r(spec, r)]
        return Value(f"{v:,}", v)

    @value("Those numbers as a share of the whole model's parameters: `share(8)`.")
    def share(self, spec, result, r):
        v = result["lora"][self._r(spec, r)] / result["total"]
        return Value(f"{v * 100:.2f}%", v)

    @value("The numbers in the adapted matrices themselves (what full fine-tuning of them would train).")
    def adapted(self, spec, result):
        return Value(f"{result['adapted']:,}", result["adapted"])

    @value("The whole model's parameters.")
    def total(self, spec, result):
        return Value(f"{result['total']:,}", result["total"])

    @value("The parameters of the pooler (a dense layer on [CLS]), counted in `total` although the sentence "
           "embeddings, a mean over the tokens, do not use it.")
    def pooler(self, spec, result):
        v = result.get("pooler", 0)
        return Value(f"{v:,}", v)

    @value("How many matrices are adapted (layers × matrices per layer).")
    def matrices_count(self, spec, result):
        return Value(str(len(result["shapes"])), len(result["shapes"]))

    def render(self, spec, result, ctx):
        total, adapted = result["total"], result["adapted"]
        rows = [[f"rank {r}", f"{result['lora'][str(r)]:,}", f"{result['lora'][str(r)] / adapted * 100:.2f}%",
                 f"{result['lora'][str(r)] / total * 100:.2f}%"] for r in spec.ranks]
        rows.append(["full fine-tuning of these matrices", f"{adapted:,}", percent(1.0), f"{adapted / total * 100:.2f}%"])
        shapes = sorted({f"{m:,} × {n:,}" for m, n in result["shapes"]})
        code = ("from lexicon import minilm\n\n"
                "w = minilm.load().weights\n"
                f"names = [f'encoder.layer.{{i}}.{{m}}' for i in range({result['layers']}) for m in "
                f"{[MATRICES[m] for m in spec.matrices]}]\n"
                f"for r in {spec.ranks}:\n"
                "    print(r, sum(r * (w[k].shape[0] + w[k].shape[1]) for k in names))\n"
                "print(minilm.parameter_counts()['total'])\n")
        return [Html(f"<p>LoRA on the {', '.join(spec.matrices)} matrices of all {result['layers']} layers of "
                     f"{minilm.MODEL_ID}: {len(result['shapes'])} matrices of {', '.join(shapes)}, "
                     f"{adapted:,} numbers; the whole model has {total:,} parameters.</p>"),
                Table(["Update", "Numbers trained", "Share of the adapted matrices", "Share of the whole model"],
                      rows, numeric=(1, 2, 3)),
                Code(code, "The counts, from the weights file")]
