"""The plugin's events: find, execute (or take from the cache) and publish every notebook.

For each ``notebooks/*.ipynb``, ``on_files`` computes the cache key of its outputs and
executes it only when no executed copy with that key is in the cache. The executed copy
becomes the page ``notebooks/<name>.ipynb``, which mkdocs-jupyter (listed after this plugin)
renders; with ``include_source`` it is also the page's download. The statements the
notebook checked with ``check(...)`` are read from its outputs, as data, into the claims audit.

Both caches go through the verified cache layer (``lexicon.cache``): an executed copy is read
back only if its checksum holds (an edited output is executed again, never shown or audited
as checked), and mkdocs-jupyter's HTML entries are checked before it reads them and signed
after it wrote them. A cache folder that cannot be written never fails the build: the executed
copies then live in a temporary folder for this build, and mkdocs-jupyter's cache is off.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from .. import cache
from ..engine.checks import Claim, Where
from ..errors import LexiconError
from ..sources import read_bytes
from . import runner
from .html import clean_html

log = logging.getLogger("mkdocs.plugins.lexicon")

JUPYTER_PLUGIN = "mkdocs-jupyter"
JUPYTER_SETTINGS = {"execute": False, "include_requirejs": False, "include_source": True}
HELD = "it held when the notebook ran in this build (a false check stops the build)"


class NotebooksConfig(base.Config):
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
    store: Path        # the folder the page's path is relative to


class NotebooksPlugin(BasePlugin[NotebooksConfig]):
    # Set before on_config: an earlier plugin's failing on_config still reaches on_build_error.
    _scratch: Path | None = None

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        self.src_dir = self.root / self.config.dir
        self.pages: dict[str, Executed] = {}
        self._scratch: Path | None = None   # executed copies, when the cache cannot hold them
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
        self.build = config.plugins["lexicon"].build
        # mkdocs-jupyter caches its HTML relative to the working folder by default: keep it with
        # the lexicon cache (one folder to clear, to keep in CI), apart from our executed copies.
        if jupyter.config["cache_dir"] == ".cache/mkdocs-jupyter":
            jupyter.config["cache_dir"] = str(self.build.cache_dir / "notebook-html")
        # It reads its entries unchecked (a damaged one is a traceback in every build) and writes
        # them unguarded: check them now, and turn its cache off if the folder cannot be used.
        self.jupyter = jupyter
        if jupyter.config["cache"] and not cache.verify_foreign(Path(jupyter.config["cache_dir"]),
                                                                valid=_jupyter_entry):
            jupyter.config["cache"] = False
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
                done = self._executed(source, uri)
            except LexiconError as err:
                raise PluginError(str(err)) from None
            self.pages[uri] = done
            # A File whose src_dir is the cache folder, not File.generated: mkdocs-jupyter wraps
            # the file and only finds its path through src_dir.
            page = File(uri, src_dir=str(done.store), dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
            page.generated_by = "lexicon-notebooks"
            files.append(page)
        return files

    def on_page_content(self, html_text, page, config, files):
        done = self.pages.get(page.file.src_uri)
        if done is None:
            return html_text
        return clean_html(html_text, download=done.name)

    @event_priority(-100)   # after mkdocs-jupyter has written and evicted its entries
    def on_post_build(self, config):
        if self.jupyter.config["cache"]:
            cache.sign_foreign(Path(self.jupyter.config["cache_dir"]), valid=_jupyter_entry)
        self._drop_scratch()

    def on_build_error(self, error):
        self._drop_scratch()

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def on_serve(self, server, config, builder):
        if self.src_dir.is_dir():
            server.watch(str(self.src_dir))
        return server

    # --- executing, with the cache ------------------------------------------------------------
    def _executed(self, source: Path, uri: str) -> Executed:
        import nbformat

        rel = _rel(source, self.root)
        raw = read_bytes(source, rel)
        try:
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        except Exception as exc:  # nbformat raises several types on a bad file
            raise LexiconError(f"{rel} is not a readable notebook: {exc}",
                               fix="open it in Jupyter and save it again") from None
        runner.check_source(nb, rel)
        key = runner.cache_key(raw, nb, self.build.model.id, self.build.code_source)
        dest = self.config.dest.strip("/")
        cached = self._store() / dest / source.name
        old = _read_executed(cached)
        if old is not None and old.metadata.get("lexicon", {}).get("cache_key") == key:
            runner.check_outputs(old, rel)
            self._record_checks(old, rel, uri)
            return Executed(source.name, cached, self._store())
        started = time.perf_counter()
        self.build.progress.say("running %s", rel)
        with self.build.progress.step(f"running {rel}"):
            out = runner.execute(nb, rel=rel, cwd=self.root, timeout=self.config.timeout,
                                 env=self._kernel_env(), progress=self.build.progress)
        runner.check_outputs(out, rel)
        out.metadata["lexicon"] = {"cache_key": key, "model": self.build.model.id["name"],
                                   "model_sha256": self.build.model.id["sha256"], "executed_from": rel}
        text = nbformat.writes(out)
        text += "" if text.endswith("\n") else "\n"    # as nbformat.write ends a file
        store = self._store()
        if not cache.write_checked(cached, text):
            # The page and its download need a file: this build keeps it in a temporary folder.
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="lexicon-notebooks-"))
            store, cached = self._scratch, self._scratch / dest / source.name
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(text, encoding="utf-8")
        self.build.progress.say("ran %s in %.1f s", rel, time.perf_counter() - started)
        self._record_checks(out, rel, uri)
        return Executed(source.name, cached, store)

    def _record_checks(self, nb, rel: str, uri: str) -> None:
        for cell, data in runner.checks(nb):
            self.build.claims.append(Claim(data["statement"], True, data.get("actual") or HELD,
                                           Where(rel, cell, "notebook check", uri)))

    def _store(self) -> Path:
        """The executed notebooks, laid out as the docs paths of their pages."""
        return self.build.cache_dir / "notebooks"

    def _kernel_env(self) -> dict:
        spec = self.build.model.spec
        return {
            **os.environ,
            # The model mkdocs.yml configures, for lexicon.notebook_display.load_model().
            "LEXICON_MODEL": json.dumps({"name": spec.name, "format": spec.format, "path": spec.path,
                                         "config_file": str(Path(spec.config_file).resolve())}),
            "LEXICON_CACHE_DIR": str(self.build.cache_dir.resolve()),
            # Repeatable output: no hash randomisation, one BLAS thread (sums in the same order).
            "PYTHONHASHSEED": "0",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            # The build downloads nothing: a notebook's install cell finds its pins installed (a
            # test checks they are requirements.txt's); were one missing, pip fails, not fetches.
            "PIP_NO_INDEX": "1",
        }


def _jupyter_entry(data: bytes) -> bool:
    """Whether bytes are a whole mkdocs-jupyter cache entry (as its render reads it)."""
    try:
        entry = json.loads(data.decode("utf-8"))
    except ValueError:
        return False
    return (isinstance(entry, dict) and isinstance(entry.get("content"), str)
            and isinstance(entry.get("toc_tokens"), list))


def _read_executed(path: Path):
    """The executed copy in the cache, if its checksum holds (else None: it is executed again)."""
    import nbformat

    text = cache.read_checked(path)
    if text is None:
        return None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception:  # noqa: BLE001 - nbformat raises several types; checked but unreadable: run it
        return None


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
