"""Any vectors gensim can load work through configuration, proved on a file the test writes."""

import re

import numpy as np
import pytest
from gensim.models import KeyedVectors

from lexicon.model import ModelSpec, identity, load
from project import build, make_project

WORDS = ["king", "queen", "man", "woman", "prince", "princess", "apple", "pear"]


@pytest.fixture(scope="module")
def small_kv():
    rng = np.random.default_rng(7)
    kv = KeyedVectors(vector_size=6)
    kv.add_vectors(WORDS, rng.normal(size=(len(WORDS), 6)).astype(np.float32))
    return kv


def write(kv, folder, fmt):
    if fmt == "keyedvectors":
        path = folder / "small.kv"
        kv.save(str(path))
    elif fmt == "word2vec-binary":
        path = folder / "small.bin"
        kv.save_word2vec_format(str(path), binary=True)
    elif fmt == "word2vec":
        path = folder / "small.txt"
        kv.save_word2vec_format(str(path), binary=False)
    else:  # GloVe's own text format: no header line
        path = folder / "small.glove.txt"
        kv.save_word2vec_format(str(path), binary=False, write_header=False)
    return path


@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary", "glove", "keyedvectors"])
def test_each_format_loads_the_same_vectors(tmp_path, small_kv, fmt):
    path = write(small_kv, tmp_path, fmt)
    kv = load(ModelSpec(name="small", format=fmt, path=str(path)))
    assert kv.index_to_key == WORDS
    np.testing.assert_allclose(kv.vectors, small_kv.vectors, atol=1e-5)
    assert identity(ModelSpec("small", fmt, str(path)), tmp_path / "cache")["sha256"]


def test_a_site_builds_from_a_configured_vectors_file(tmp_path, small_kv):
    path = write(small_kv, tmp_path, "glove")
    page = "```neighbours\nword: king\ntopn: 3\n```\n\n```analogy\nquery: king - man + woman\ntopn: 2\n```\n"
    project = make_project(tmp_path / "p", {"page.md": page},
                           model={"name": "Small test vectors", "format": "glove", "path": str(path)},
                           cache_dir=tmp_path / "cache")
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    html = (project / "site" / "page" / "index.html").read_text()
    assert "Small test vectors" in html
    want = small_kv.most_similar("king", topn=3)
    shown = re.findall(r"<tr><th scope=\"row\" class=\"ll-num\">(\d)</th>\s*<td>(\w+)</td>\s*<td class=\"ll-num\">([\d.−]+)</td>", html)
    assert [(w, s) for _, w, s in shown[:3]] == [(w, f"{s:.4f}") for w, s in want]
    # The model's identity is in the cache key: the default model's results are not reused.
    sha = identity(ModelSpec("Small test vectors", "glove", str(path)), tmp_path / "cache")["sha256"]
    assert sha[:12] in html


def test_missing_and_truncated_model_files_are_clear_errors(tmp_path, small_kv):
    page = "```neighbours\nword: king\n```\n"
    missing = make_project(tmp_path / "a", {"page.md": page},
                           model={"name": "x", "format": "glove", "path": str(tmp_path / "nope.txt")},
                           cache_dir=tmp_path / "cache")
    proc = build(missing)
    assert proc.returncode != 0 and "nope.txt does not exist" in proc.stderr
    path = write(small_kv, tmp_path, "word2vec-binary")
    path.write_bytes(path.read_bytes()[:60])
    truncated = make_project(tmp_path / "b", {"page.md": page},
                             model={"name": "x", "format": "word2vec-binary", "path": str(path)},
                             cache_dir=tmp_path / "cache")
    proc = build(truncated)
    assert proc.returncode != 0
    assert "could not load the model file" in proc.stderr and "Fix:" in proc.stderr
