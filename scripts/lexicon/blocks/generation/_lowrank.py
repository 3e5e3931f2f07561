"""What the low-rank kinds share: the MiniLM weight matrices they can read, and the note under them."""

from __future__ import annotations

from ... import minilm

MATRICES = {"query": "attention.self.query.weight", "key": "attention.self.key.weight",
            "value": "attention.self.value.weight", "output": "attention.output.dense.weight",
            "ffn-in": "intermediate.dense.weight", "ffn-out": "output.dense.weight"}
NOTE = (f"Computed at build time from the weights of {minilm.MODEL_ID} (SHA-256 {minilm.SHA256[:8]}…, verified at "
        "load) with numpy; nothing is trained or fine-tuned.")
