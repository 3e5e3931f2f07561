"""The transformer's cost: its share of the cold build, and the model's own time and memory.

The share is taken from the cold build run in one process (LEXICON_HELPER=0), where every block
is computed one after another: the seconds of the kinds whose computation runs the transformer
(their compute code reaches ``lexicon.minilm``) against that build's wall time. Issue 14's budget:
the transformer's blocks add no more than 30 s to a cold build. The model's import, load, speed
and peak memory come from ``bench/minilm.py``, run in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.common import ROOT

BUDGET_SECONDS = 30


def transformer_kinds() -> list[str]:
    """Every block kind whose computation runs the transformer."""
    from lexicon.engine.deps import compute_code
    from lexicon.engine.registry import registry

    return sorted(name for name, k in registry().items()
                  if any(s.startswith("lexicon.minilm") for s in compute_code(type(k)).symbols))


def model_costs(repeats: int = 3) -> dict:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "minilm.py"), "--repeats", str(repeats)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def transformer(cold: dict, log) -> dict:
    one = cold["one_process"]
    kinds = transformer_kinds()
    by_kind = one.get("seconds_by_kind", {})
    seconds = sum(by_kind.get(k, 0.0) for k in kinds)
    log("the transformer on its own (bench/minilm.py) ...")
    return {"kinds": kinds, "seconds_by_kind": {k: by_kind[k] for k in kinds if k in by_kind},
            "compute_seconds_one_process": round(seconds, 2), "one_process_cold_seconds": one["seconds"],
            "share_of_one_process_cold": round(seconds / one["seconds"], 3) if one["seconds"] else None,
            "budget_seconds": BUDGET_SECONDS, "model": model_costs()}
