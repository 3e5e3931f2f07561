"""How fast and how big the numpy all-MiniLM-L6-v2 (lexicon.minilm) is. Prints JSON; not a test.

    PYTHONPATH=scripts .venv/bin/python bench/minilm.py [--repeats 5]

Everything runs in a fresh Python process (so the import is cold and the peak RSS is the
model's alone): the import, the first load (reading and hashing the 91 MB weights, building
the tokenizer), one short sentence, 100 short sentences with one BLAS thread (encode's
default) and with BLAS's own default (all cores). Times are medians of ``--repeats`` runs.
The machine's load average is recorded: on a shared machine the numbers move a lot.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBJECTS = ["The cat", "A river bank", "My neighbour", "The new model", "Every student", "The old bridge",
            "A quiet library", "The committee", "Her brother", "The tokenizer"]
VERBS = ["sat on the mat.", "changed the plan.", "was closed on Monday.", "raised its rates.",
         "learned a lot.", "needs more data.", "looked tired today.", "rejected the offer.",
         "splits words into pieces.", "ran out of time."]


def short_sentences(n: int = 100) -> list[str]:
    return [f"{SUBJECTS[i % 10]} {VERBS[(i // 10 + i) % 10]}" for i in range(n)]


def child(repeats: int) -> dict:
    import resource

    t0 = time.perf_counter()
    from lexicon import minilm   # numpy, tokenizers, safetensors come with it (or on first use)
    imported = time.perf_counter() - t0

    t0 = time.perf_counter()
    minilm.load()
    loaded = time.perf_counter() - t0
    from lexicon.minilm import files

    t0 = time.perf_counter()
    files.sha256_of(files.locate(verify=False).weights)
    hashed = time.perf_counter() - t0

    def median(fn, runs):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    minilm.encode(["warm up"])
    texts = short_sentences()
    result = {
        "import_s": round(imported, 4),
        "first_load_s": round(loaded, 4),
        "of_which_sha256_s": round(hashed, 4),
        "one_sentence_s": round(median(lambda: minilm.encode(["The cat sat on the mat."]), 10 * repeats), 5),
        "one_sentence_no_details_s": round(median(
            lambda: minilm.encode(["The cat sat on the mat."], details=False), 10 * repeats), 5),
        "100_short_1_thread_s": round(median(lambda: minilm.encode(texts, details=False), repeats), 4),
        "100_short_1_thread_details_s": round(median(lambda: minilm.encode(texts), repeats), 4),
        "100_short_blas_default_threads_s": round(median(
            lambda: minilm.encode(texts, details=False, threads=None), repeats), 4),
        "100_short_tokens": int(minilm.tokenize(texts).mask.sum()),
    }
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.repeats)))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    load_before = os.getloadavg()
    done = subprocess.run([sys.executable, __file__, "--child", "--repeats", str(args.repeats)],
                          env=env, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    report["machine"] = {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
                         "load_average_after": [round(x, 2) for x in os.getloadavg()],
                         "note": "shared machine: other processes use the same cores"}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
