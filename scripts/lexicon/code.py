"""Python snippets shown on pages: the exact gensim calls that produced the numbers."""

from __future__ import annotations

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .model import ModelSpec

_formatter = HtmlFormatter(cssclass="language-python highlight", wrapcode=True)


def loading_code(spec: ModelSpec) -> str:
    """Lines that load the configured model into ``kv`` the way the build does."""
    if spec.format == "kumo":
        package = spec.path.split(":", 1)[1] if spec.path.startswith("package:") else None
        root = f"from {package} import ROOT  # the package's data folder" if package else \
            f"ROOT = {spec.path!r}"
        return (
            "import numpy as np\n"
            "import pyarrow.parquet as pq\n"
            "from gensim.models import KeyedVectors\n"
            f"{root}\n\n"
            "vectors = np.load(next(Path(ROOT).glob('*.npy')))\n"
            "words = pq.read_table(next(Path(ROOT).glob('*.parquet'))).column(0).to_pylist()\n"
            "kv = KeyedVectors(vector_size=vectors.shape[1])\n"
            "kv.add_vectors(words, vectors)\n"
        ).replace("import numpy as np\n", "from pathlib import Path\n\nimport numpy as np\n", 1)
    if spec.format == "keyedvectors":
        return f"from gensim.models import KeyedVectors\n\nkv = KeyedVectors.load({spec.path!r})\n"
    return ("from gensim.models import KeyedVectors\n\n"
            f"kv = KeyedVectors.load_word2vec_format({spec.path!r}, "
            f"binary={spec.format == 'word2vec-binary'}, no_header={spec.format == 'glove'})\n")


def python_html(source: str) -> str:
    return highlight(source, PythonLexer(), _formatter)
