"""Executing a notebook: its checks before and after, the cache key of its outputs, the kernel."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from ..engine import deps
from ..errors import LexiconError

# Bump when the way notebooks are executed changes what they output.
RUNNER_VERSION = "3"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
CHECK_MIME = "application/vnd.lexicon.check+json"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def check_source(nb, rel: str) -> None:
    """Source notebooks are stored without outputs: the build makes them. Markdown cells follow
    the site's one rule for content (:mod:`lexicon.sanitise`), rendered as nbconvert renders them."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from ..sanitise import check

    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "markdown":
            try:
                check(markdown2html_mistune(cell.source), f"{rel}: cell {i} (Markdown)")
            except LexiconError as err:
                first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
                err.message = err.args[0] + f"\n    cell starts: {first[:100]}"
                raise LexiconError(err.message, fix=err.fix) from None
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            raise LexiconError(
                f"{rel}: cell {i} has stored outputs; notebooks are kept without them (the build "
                "executes them)",
                fix=f"clear them: .venv/bin/jupyter nbconvert --clear-output --inplace {rel}")


def check_outputs(nb, rel: str) -> None:
    """What a notebook shows must follow the site's rules: no scripts, no other host, no stderr."""
    if "widgets" in nb.metadata:   # nbconvert then loads the widget manager from a CDN
        raise LexiconError(f"{rel} holds Jupyter widget state: its page would load the widgets' JavaScript "
                           "from another host", fix="show results without ipywidgets (plain output, or "
                                                    "lexicon.notebook_display.show/table)")
    for i, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            where = f"{rel}: cell {i}"
            if "application/javascript" in data or "<script" in str(data.get("text/html", "")).lower():
                raise LexiconError(
                    f"{where} outputs a script (plotly.js or require.js, from fig.show()?); the site "
                    "loads plotly.js once, itself",
                    fix="show a figure with lexicon.notebook_display.show(fig, alt=..., caption=...)")
            if PLOTLY_MIME in data and "text/html" not in data:
                raise LexiconError(f"{where} outputs a Plotly figure that the site cannot draw",
                                   fix="show it with lexicon.notebook_display.show(fig, alt=..., caption=...)")
            if re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", str(data.get("text/html", ""))):
                raise LexiconError(f"{where} outputs HTML that loads from or links to another host",
                                   fix="the site makes no request to another host: output local content only")
            found = output_findings(data, out.get("metadata", {}))
            if found:
                mime, what = found
                raise LexiconError(
                    f"{where} (code cell output, {mime}) would put on the page what the site does not allow: "
                    + "; ".join(what[:5]),
                    fix="output plain text, a PNG image, or the site's own figures and tables "
                        "(lexicon.notebook_display.show(fig, alt=..., caption=...) and .table(...)); "
                        "never HTML, SVG or Markdown that runs or loads anything (no on* attributes, "
                        "<script>, <iframe>, <svg>, javascript: links)")
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))[:300]
                raise LexiconError(f"{where} wrote to stderr (a warning?), which the page would show:\n"
                                   f"    {text.strip()}",
                                   fix="fix what it warns about, or silence that warning in the cell")


# What the site's own output (lexicon.notebook_display: figures, tables, checks, the model line)
# holds beyond the sanitiser's allow-list: the figure's data for figures.js, on the figure's div,
# and Material's search exclusion. Nothing else is tolerated, in any output.
_SITE_OWN = re.compile(r'^<(?:div) data-figure="|^<\w+ data-search-exclude=""> ')


def output_findings(data: dict, metadata: dict | None = None) -> tuple[str, list[str]] | None:
    """The first rich output (of those nbconvert puts on the page) that breaks the sanitiser's
    rule for content (:mod:`lexicon.sanitise`), and what breaks it; None if all are safe.

    text/html and image/svg+xml are inlined in the page as they are; text/markdown is rendered
    as a Markdown cell is; application/javascript and a widget's view run script. An image's
    ``width``/``height`` metadata is written unquoted into its <img> (so must be a number), and its
    ``filenames`` metadata becomes its src (so must be a path on this site)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from ..sanitise import allowed_url, findings

    if "application/javascript" in data:
        return "application/javascript", ["a script (application/javascript runs in the page)"]
    widget = next((m for m in data if m.startswith("application/vnd.jupyter.widget")), None)
    if widget:
        return widget, ["a Jupyter widget (its view is a script, and its JavaScript comes from another host)"]
    meta = metadata or {}
    for mime in [m for m in data if m.startswith("image/")]:
        for where in (meta, meta.get(mime) if isinstance(meta.get(mime), dict) else {}):
            for key in ("width", "height"):
                v = where.get(key)
                if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                    return mime, [f"{key} {str(v)[:60]!r} in the output's metadata (written unquoted into <img>: "
                                  "it must be a number)"]
        name = (meta.get("filenames") or {}).get(mime) if isinstance(meta.get("filenames"), dict) else None
        if name is not None and not allowed_url(str(name), image=True):
            return mime, [f'<img src="{str(name)[:60]}"> (an image may only come from this site)']
    for mime in ("text/html", "image/svg+xml", "text/markdown"):
        value = data.get(mime)
        if value is None:
            continue
        text = "".join(value) if isinstance(value, list) else str(value)
        html = markdown2html_mistune(text) if mime == "text/markdown" else text
        bad = [f for f in findings(html) if not (mime == "text/html" and _SITE_OWN.match(f))]
        if bad:
            return mime, bad
    return None


# --- cache key --------------------------------------------------------------------------------

def cache_key(raw: bytes, nb, model_id: dict, code_of=deps.source_code) -> str:
    """Hash of everything an executed notebook depends on: its text, the model, the lexicon code
    its cells reach (function by function, as for block kinds) and the packages they use.

    ``code_of`` derives the code key of the cells' source (a build passes its remembered keys)."""
    code = code_of("\n".join(python_only(cell.source) for cell in nb.cells if cell.cell_type == "code"))
    payload = {
        "runner": RUNNER_VERSION,
        "notebook": hashlib.sha256(raw).hexdigest(),
        "model": [model_id["name"], model_id["sha256"]],
        "code": code.sha256,
        "packages": code.packages,
        "python": sys.version.split()[0],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def python_only(source: str) -> str:
    # IPython magics and shell escapes are not Python: each becomes a `pass` at its indentation
    # (an `if` whose block is a `%pip install` still parses).
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                     else line for line in source.splitlines())


def checks(nb) -> list[tuple[int, dict]]:
    """The ``check(...)`` calls a notebook made, as data: (cell number, {statement, actual})."""
    out = []
    for i, cell in enumerate(nb.cells, 1):
        for o in cell.get("outputs", []):
            data = o.get("data", {}).get(CHECK_MIME)
            if isinstance(data, dict) and isinstance(data.get("statement"), str):
                out.append((i, data))
    return out


# --- executing --------------------------------------------------------------------------------

def execute(nb, *, rel: str, cwd: Path, timeout: int, env: dict, progress=None):
    """Run every cell in a fresh kernel of this Python; a failing cell raises a LexiconError."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from traitlets.config import Config

    class VenvKernel(AsyncKernelManager):
        """ipykernel in the Python running the build (not whatever 'python3' kernel is installed)."""

        @property
        def kernel_spec(self):
            return KernelSpec(argv=[sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                                    "-f", "{connection_file}"],
                              display_name="Python 3 (ipykernel)", language="python")

    current = {"index": -1}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index
        if progress is not None:
            progress.detail(f"cell {cell_index + 1} of {len(nb.cells)}")

    # The kernel talks over Unix sockets in a private folder (absolute paths: the kernel runs in
    # `cwd`, the build may not), so nothing listens on a TCP port during the build.
    sockets = tempfile.TemporaryDirectory(prefix="ll-kernel-")
    ipc = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets.name, "k")}})
    client = NotebookClient(nb, config=ipc, timeout=timeout, startup_timeout=120, kernel_name="python3",
                            kernel_manager_class=VenvKernel, allow_errors=False, record_timing=False,
                            on_cell_start=on_cell_start, resources={"metadata": {"path": str(cwd)}})
    # The kernel's own stderr goes to a file, not the build log: ipykernel can print a traceback
    # while it shuts down (a ZMQ "Socket operation on non-socket" race), which is noise. A kernel
    # that dies or does not start has the file's tail in its error.
    kernel_log = tempfile.TemporaryFile()
    try:
        with sockets, kernel_log:
            try:
                done = client.execute(env=env, stderr=kernel_log)
            except (DeadKernelError, RuntimeError) as exc:
                kernel_log.seek(0)
                exc.kernel_log = _tail(kernel_log.read().decode("utf-8", "replace"))
                raise
        # On a busy machine a print's text and its newline can arrive as two stream messages:
        # merge consecutive streams (nbconvert's own preprocessor), so a notebook's outputs, and
        # so its page and download, are the same on every run.
        from nbconvert.preprocessors import CoalesceStreamsPreprocessor

        return CoalesceStreamsPreprocessor().preprocess(done, {})[0]
    except CellExecutionError as exc:
        raise LexiconError(_cell_message(nb, rel, current["index"],
                                         f"{exc.ename}: {exc.evalue}", _tail(exc.traceback)),
                           fix="fix the cell and run the notebook in Jupyter until it runs top to bottom") from None
    except CellTimeoutError:
        raise LexiconError(_cell_message(nb, rel, current["index"], f"it ran longer than {timeout} s", ""),
                           fix="make the cell faster, or raise 'timeout' under '- lexicon-notebooks:'") from None
    except DeadKernelError as exc:
        raise LexiconError(_cell_message(nb, rel, current["index"], f"the kernel died ({exc})",
                                         getattr(exc, "kernel_log", "")),
                           fix="the cell may use too much memory; run the notebook in Jupyter to see") from None
    except RuntimeError as exc:  # the kernel did not start
        raise LexiconError(f"{rel}: could not start a Python kernel: {exc}" + (
                               f"\n{exc.kernel_log}" if getattr(exc, "kernel_log", "") else ""),
                           fix="install the pinned requirements (`make setup`; ipykernel runs notebooks)") from None
    finally:
        # nbclient leaves its clean-up registered for exit when the kernel fails to start.
        atexit.unregister(client._cleanup_kernel)


def _cell_message(nb, rel: str, index: int, what: str, trace: str) -> str:
    if index < 0:
        return f"{rel}: the notebook failed before its first cell: {what}"
    cell = nb.cells[index]
    code_no = sum(1 for cl in nb.cells[: index + 1] if cl.cell_type == "code")
    first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
    return (f"{rel}: cell {index + 1} (code cell {code_no}) failed: {what}\n"
            f"    cell starts: {first[:100]}" + (f"\n{trace}" if trace else ""))


def _tail(traceback: str, lines: int = 12) -> str:
    text = _ANSI.sub("", traceback or "").strip().splitlines()
    return "\n".join("    " + ln for ln in text[-lines:])


