"""The ``lexicon-notebooks`` MkDocs plugin: run the site's Jupyter notebooks at build time,
cached, and hand them to mkdocs-jupyter as pages.

Source notebooks live without outputs in ``notebooks/`` (beside ``mkdocs.yml``). For each one,
``on_files`` computes a cache key (the notebook's bytes, the model's identity, the ``lexicon``
modules it imports and the versions of the packages it imports) and executes it with nbclient
in a kernel of this Python only when no executed copy with that key is in the cache. The
executed copy becomes the page ``notebooks/<name>.ipynb``, which mkdocs-jupyter (listed after
this plugin) renders; with ``include_source`` it is also the page's download.

On the rendered page, ``on_page_content`` keeps the site to its rules: no ``<script>`` (the
mkdocs-jupyter template carries MathJax, mermaid and clipboard scripts, some from CDNs), no
JupyterLab stylesheet (half a megabyte per page; a small one that follows Material's light and
dark palettes replaces it), code cells in Material's own code blocks, and a download link.
Figures come out of the notebook as the site's figure markup (``lexicon.notebook_display``),
so ``figures.js`` draws them with the site's single plotly.js.
"""

from __future__ import annotations

import ast
import atexit
import hashlib
import html
import importlib.metadata
import json
import logging
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from . import session as session_mod
from .errors import LexiconError

log = logging.getLogger("mkdocs.plugins.lexicon")

# Bump when the way notebooks are executed changes what they output.
RUNNER_VERSION = "1"
JUPYTER_PLUGIN = "mkdocs-jupyter"
JUPYTER_SETTINGS = {"execute": False, "include_requirejs": False, "include_source": True}
LEXICON_DIR = Path(__file__).resolve().parent
PLOTLY_MIME = "application/vnd.plotly.v1+json"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class _NotebooksConfig(base.Config):
    # Source notebooks, relative to mkdocs.yml (outside docs/: docs only sees executed copies).
    dir = c.Type(str, default="notebooks")
    # Where the pages go in the site: <dest>/<name>.ipynb becomes <dest>/<name>/.
    dest = c.Type(str, default="notebooks")
    # Seconds one cell may run before the build gives up on it.
    timeout = c.Type(int, default=600)


@dataclass
class Executed:
    name: str          # train-word2vec.ipynb
    path: Path         # the executed copy in the cache


class NotebooksPlugin(BasePlugin[_NotebooksConfig]):
    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        self.src_dir = self.root / self.config.dir
        self.pages: dict[str, Executed] = {}
        names = list(config.plugins)
        mine = next((n for n, p in config.plugins.items() if p is self), "lexicon-notebooks")
        if "lexicon" not in names or names.index("lexicon") > names.index(mine):
            raise PluginError(f"{config.config_file_path}: the lexicon-notebooks plugin needs the lexicon "
                              "plugin (model, cache).\n  Fix: list '- lexicon' before '- lexicon-notebooks' "
                              "under 'plugins:'")
        jupyter = config.plugins.get(JUPYTER_PLUGIN)
        if jupyter is None or names.index(JUPYTER_PLUGIN) < names.index(mine):
            raise PluginError(f"{config.config_file_path}: notebook pages are rendered by mkdocs-jupyter, "
                              "which must come after lexicon-notebooks.\n  Fix: list '- mkdocs-jupyter' "
                              "after '- lexicon-notebooks' under 'plugins:'")
        wrong = [f"{k}: {str(v).lower()}" for k, v in JUPYTER_SETTINGS.items() if jupyter.config[k] != v]
        if wrong:
            raise PluginError(f"{config.config_file_path}: mkdocs-jupyter must not execute notebooks or load "
                              "require.js (lexicon-notebooks executes and caches them; require.js clashes "
                              "with Material's search), and offers each notebook for download.\n"
                              f"  Fix: set {', '.join(wrong)} under '- mkdocs-jupyter:'")
        self.session = session_mod.SESSION
        # mkdocs-jupyter caches its HTML relative to the working folder by default: keep it with
        # the lexicon cache (one folder to clear, to keep in CI), apart from our executed copies.
        if jupyter.config["cache_dir"] == ".cache/mkdocs-jupyter":
            jupyter.config["cache_dir"] = str(self.session.cache_dir / "notebook-html")
        return config

    def on_files(self, files, config):
        if not self.src_dir.is_dir():
            return files
        for source in sorted(self.src_dir.glob("*.ipynb")):
            uri = f"{self.config.dest.strip('/')}/{source.name}"
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} and {_rel(source, self.root)} would both be the page {uri}.\n"
                                  f"  Fix: keep notebooks in {self.config.dir}/ only (they are executed "
                                  "there), and remove the copy under docs/")
            try:
                done = self._executed(source)
            except LexiconError as err:
                raise PluginError(str(err)) from None
            self.pages[uri] = done
            # A File whose src_dir is the cache folder, not File.generated: mkdocs-jupyter wraps
            # the file and only finds its path through src_dir.
            page = File(uri, src_dir=str(self._store()), dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
            page.generated_by = "lexicon-notebooks"
            files.append(page)
        return files

    def on_page_content(self, html_text, page, config, files):
        done = self.pages.get(page.file.src_uri)
        if done is None:
            return html_text
        return clean_html(html_text, download=done.name)

    def on_serve(self, server, config, builder):
        if self.src_dir.is_dir():
            server.watch(str(self.src_dir))
        return server

    # --- executing, with the cache ------------------------------------------------------------
    def _executed(self, source: Path) -> Executed:
        import nbformat

        rel = _rel(source, self.root)
        raw = source.read_bytes()
        try:
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        except Exception as exc:  # nbformat raises several types on a bad file
            raise LexiconError(f"{rel} is not a readable notebook: {exc}",
                               fix="open it in Jupyter and save it again") from None
        check_source(nb, rel)
        key = cache_key(raw, nb, self.session.model_id)
        cached = self._store() / self.config.dest.strip("/") / source.name
        try:
            old = nbformat.read(cached, as_version=4)
        except (OSError, ValueError):
            old = None
        if old is not None and old.metadata.get("lexicon", {}).get("cache_key") == key:
            check_outputs(old, rel)
            return Executed(source.name, cached)
        log.info("lexicon: executing %s", rel)
        started = time.perf_counter()
        out = execute(nb, rel=rel, cwd=self.root, timeout=self.config.timeout,
                      env=self._kernel_env())
        seconds = time.perf_counter() - started
        check_outputs(out, rel)
        out.metadata["lexicon"] = {"cache_key": key, "model": self.session.model_id["name"],
                                   "model_sha256": self.session.model_id["sha256"],
                                   "executed_from": rel}
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        nbformat.write(out, str(tmp))
        os.replace(tmp, cached)
        log.info("lexicon: executed %s in %.1f s", rel, seconds)
        return Executed(source.name, cached)

    def _store(self) -> Path:
        """The executed notebooks, laid out as the docs paths of their pages."""
        return self.session.cache_dir / "notebooks"

    def _kernel_env(self) -> dict:
        spec = self.session.spec
        return {
            **os.environ,
            # The model mkdocs.yml configures, for lexicon.notebook_display.load_model().
            "LEXICON_MODEL": json.dumps({"name": spec.name, "format": spec.format, "path": spec.path,
                                         "config_file": str(Path(spec.config_file).resolve())}),
            "LEXICON_CACHE_DIR": str(self.session.cache_dir.resolve()),
            # Repeatable output: no hash randomisation, one BLAS thread (sums in the same order).
            "PYTHONHASHSEED": "0",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }


def check_source(nb, rel: str) -> None:
    """Source notebooks are stored without outputs: the build makes them."""
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            raise LexiconError(
                f"{rel}: cell {i} has stored outputs; notebooks are kept without them (the build "
                "executes them)",
                fix=f"clear them: .venv/bin/jupyter nbconvert --clear-output --inplace {rel}")


def check_outputs(nb, rel: str) -> None:
    """What a notebook shows must follow the site's rules: no scripts, no other host, no stderr."""
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
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))[:300]
                raise LexiconError(f"{where} wrote to stderr (a warning?), which the page would show:\n"
                                   f"    {text.strip()}",
                                   fix="fix what it warns about, or silence that warning in the cell")


# --- cache key --------------------------------------------------------------------------------

def cache_key(raw: bytes, nb, model_id: dict) -> str:
    """Hash of everything an executed notebook depends on."""
    modules, packages = notebook_imports(nb)
    code = {m: hashlib.sha256(p.read_bytes()).hexdigest() for m, p in sorted(lexicon_closure(modules).items())}
    payload = {
        "runner": RUNNER_VERSION,
        "notebook": hashlib.sha256(raw).hexdigest(),
        "model": [model_id["name"], model_id["sha256"]],
        "code": code,
        "packages": package_versions(packages | _third_party(code_paths(code))),
        "python": sys.version.split()[0],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def notebook_imports(nb) -> tuple[set[str], set[str]]:
    """(lexicon modules, other top-level packages) imported by the notebook's code cells."""
    source = "\n".join(_python_only(cell.source) for cell in nb.cells if cell.cell_type == "code")
    return _imports(source, "")


def _python_only(source: str) -> str:
    # IPython magics and shell escapes are not Python: leave them out of the parse.
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _imports(source: str, package: str) -> tuple[set[str], set[str]]:
    """Imports anywhere in ``source`` (also inside functions). ``package`` resolves relative ones."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    lexicon, other = set(), set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: only inside the lexicon package
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # `from lexicon import render` imports a module; `from .x import name` a name.
            names = [mod] + [f"{mod}.{a.name}" for a in node.names]
        for name in names:
            top = name.split(".")[0]
            if top == "lexicon":
                lexicon.add(name)
            elif top and top not in sys.stdlib_module_names:
                other.add(top)
    return lexicon, other


def _module_file(name: str) -> Path | None:
    path = LEXICON_DIR.joinpath(*name.split(".")[1:])
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def lexicon_closure(modules: set[str]) -> dict[str, Path]:
    """The lexicon modules named, and every lexicon module they import, transitively."""
    found: dict[str, Path] = {}
    todo = [m for m in modules]
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if path is None or name in found:
            continue
        found[name] = path
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        more, _ = _imports(path.read_text(encoding="utf-8"), package)
        todo.extend(m for m in more if m not in found)
    return found


def code_paths(code: dict) -> list[Path]:
    return [p for m in code if (p := _module_file(m)) is not None]


def _third_party(paths: list[Path]) -> set[str]:
    out: set[str] = set()
    for p in paths:
        out |= _imports(p.read_text(encoding="utf-8"), "lexicon")[1]
    return out


@lru_cache(maxsize=1)
def _distributions() -> dict:
    return importlib.metadata.packages_distributions()  # scans every installed package: once


def package_versions(tops: set[str]) -> dict[str, str]:
    """Installed versions of the distributions that provide these top-level packages."""
    dists = _distributions()
    versions = {}
    for top in sorted(tops):
        for dist in dists.get(top, []):
            try:
                versions[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                pass
    return versions


# --- executing --------------------------------------------------------------------------------

def execute(nb, *, rel: str, cwd: Path, timeout: int, env: dict):
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

    # The kernel talks over Unix sockets in a private folder (absolute paths: the kernel runs in
    # `cwd`, the build may not), so nothing listens on a TCP port during the build.
    sockets = tempfile.TemporaryDirectory(prefix="ll-kernel-")
    ipc = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets.name, "k")}})
    client = NotebookClient(nb, config=ipc, timeout=timeout, startup_timeout=120, kernel_name="python3",
                            kernel_manager_class=VenvKernel, allow_errors=False, record_timing=False,
                            on_cell_start=on_cell_start, resources={"metadata": {"path": str(cwd)}})
    try:
        with sockets:
            return client.execute(env=env)
    except CellExecutionError as exc:
        raise LexiconError(_cell_message(nb, rel, current["index"],
                                         f"{exc.ename}: {exc.evalue}", _tail(exc.traceback)),
                           fix="fix the cell and run the notebook in Jupyter until it runs top to bottom") from None
    except CellTimeoutError:
        raise LexiconError(_cell_message(nb, rel, current["index"], f"it ran longer than {timeout} s", ""),
                           fix="make the cell faster, or raise 'timeout' under '- lexicon-notebooks:'") from None
    except DeadKernelError as exc:
        raise LexiconError(_cell_message(nb, rel, current["index"], f"the kernel died ({exc})", ""),
                           fix="the cell may use too much memory; run the notebook in Jupyter to see") from None
    except RuntimeError as exc:  # the kernel did not start
        raise LexiconError(f"{rel}: could not start a Python kernel: {exc}",
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


# --- the rendered page ------------------------------------------------------------------------

_STYLE_OR_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
# mkdocs-jupyter's copy button and the hidden copy of each cell's source it copies from
# (Material's own copy button replaces it); JupyterLab's empty collapser columns.
_CLIPBOARD = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div [^>]*class="clipboard-copy-txt"[^>]*>.*?</div>'
    r'|<div class="jp-Collapser[^"]*">\s*</div>', re.S)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
_HIGHLIGHT = re.compile(r'<div class="highlight-ipynb hl-(\w+)\s*"><pre>(.*?)</pre></div>', re.S)

# The notebook on the page, in Material's colours (light and dark), instead of JupyterLab's CSS.
NOTEBOOK_CSS = """
.jupyter-wrapper .jp-Cell{margin:0 0 1em}
.jupyter-wrapper .jp-InputArea,.jupyter-wrapper .jp-OutputArea-child{display:block}
.jupyter-wrapper .jp-InputPrompt,.jupyter-wrapper .jp-OutputPrompt{display:none}
.jupyter-wrapper .jp-CodeCell .highlight{margin:0}
.jupyter-wrapper .jp-OutputArea{margin:.4em 0 0}
.jupyter-wrapper .jp-RenderedText pre{margin:0;padding:.6em 1em;overflow-x:auto;font-size:.85em;
  background:transparent;border-left:.2rem solid var(--md-default-fg-color--lightest);
  color:var(--md-default-fg-color--light);white-space:pre-wrap}
.jupyter-wrapper .jp-RenderedHTMLCommon>.ll-figure,.jupyter-wrapper .jp-RenderedHTMLCommon>.ll-table{margin:.6em 0 0}
.jupyter-wrapper .jp-RenderedHTMLCommon>.ll-caption{margin:.6em 0 .2em}
.jupyter-wrapper .jp-RenderedHTMLCommon>.ll-model{margin:.2em 0 0}
.jupyter-wrapper .jp-RenderedHTMLCommon>.ll-claims{margin:.1em 0}
.ll-notebook-source{font-size:.8rem;color:var(--md-default-fg-color--light)}
""".strip()


def clean_html(text: str, *, download: str) -> str:
    """mkdocs-jupyter's page body, made to follow the site's rules (see the module docstring)."""
    text = _COMMENTS.sub("", text)
    text = _STYLE_OR_SCRIPT.sub("", text)
    text = _CLIPBOARD.sub("", text)
    # Heading links as Material makes them: styled alike, and left out of search results.
    text = text.replace('<a class="anchor-link" ', '<a class="headerlink" title="Link to this section" ')
    # Cells are not controls: keyboard focus should go to links and code, not every cell.
    text = text.replace('<div class="jp-Cell-inputWrapper" tabindex="0">', '<div class="jp-Cell-inputWrapper">')
    # Code cells become Material code blocks: its highlighting colours (light and dark) and
    # its copy button (content.code.copy looks for pre > code).
    text = _HIGHLIGHT.sub(lambda m: f'<div class="language-{m.group(1)} highlight"><pre><span></span>'
                                    f'<code>{_strip_empty_span(m.group(2))}</code></pre></div>', text)
    link = (f'<p class="ll-notebook-source">This page is a Jupyter notebook, run when the site was built. '
            f'<a href="{html.escape(download)}" download>Download {html.escape(download)}</a> '
            f'(with its outputs) to run it yourself.</p>')
    # The title first, as on every other page: Material's search then treats it as the page's
    # title rather than as a section of its own.
    title = _H1.search(text)
    head = ""
    if title:
        head, text = title.group(0), text[:title.start()] + text[title.end():]
    return head + link + f"<style>{NOTEBOOK_CSS}</style>" + text.strip() + "\n"


def _strip_empty_span(code: str) -> str:
    return code[len("<span></span>"):] if code.startswith("<span></span>") else code


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
