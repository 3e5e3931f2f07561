"""The plugin's events: find, execute (or take from the cache) and publish every notebook.

For each ``notebooks/*.ipynb``, ``on_files`` computes the cache key of its outputs and
executes it only when no executed copy with that key is in the cache. The executed copy
becomes the page ``notebooks/<name>.ipynb``, which mkdocs-jupyter (listed after this plugin)
renders; with ``include_source`` it is also the page's download. The statements the
notebook checked with ``check(...)`` are read from its outputs, as data, into the claims audit.

Notebooks run in the background: their kernel is another process, so on a machine with two
cores it runs while the build computes the term pages' blocks. A notebook page waits for its
notebook (``on_pre_page``, before mkdocs-jupyter reads the file), and a failed run stops the
build there with the notebook's own error.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from ..engine.checks import Claim, Where
from ..errors import LexiconError
from ..progress import Progress
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


@dataclass
class Job:
    """A notebook to run: its executed copy is not in the cache (or not for this key)."""
    nb: object         # the nbformat notebook
    key: str           # its cache key
    rel: str           # notebooks/train-word2vec.ipynb
    uri: str           # the page: notebooks/train-word2vec.ipynb
    cached: Path       # where the executed copy goes


class NotebooksPlugin(BasePlugin[NotebooksConfig]):
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
        self.build = config.plugins["lexicon"].build
        # mkdocs-jupyter caches its HTML relative to the working folder by default: keep it with
        # the lexicon cache (one folder to clear, to keep in CI), apart from our executed copies.
        if jupyter.config["cache_dir"] == ".cache/mkdocs-jupyter":
            jupyter.config["cache_dir"] = str(self.build.cache_dir / "notebook-html")
        return config

    def on_files(self, files, config):
        self._wait(quiet=True)    # a previous build's run (mkdocs serve) is finished first
        if not self.src_dir.is_dir():
            return files
        jobs: list[Job] = []
        for source in sorted(self.src_dir.glob("*.ipynb")):
            uri = f"{self.config.dest.strip('/')}/{source.name}"
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} and {_rel(source, self.root)} would both be the page {uri}.\n"
                                  f"  Fix: keep notebooks in {self.config.dir}/ only (they are executed "
                                  "there), and remove the copy under docs/")
            try:
                done = self._cached_or_job(source, uri)
            except LexiconError as err:
                raise PluginError(str(err)) from None
            if isinstance(done, Job):
                jobs.append(done)
                done = Executed(source.name, done.cached)
            self.pages[uri] = done
            # A File whose src_dir is the cache folder, not File.generated: mkdocs-jupyter wraps
            # the file and only finds its path through src_dir.
            page = File(uri, src_dir=str(self._store()), dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
            page.generated_by = "lexicon-notebooks"
            files.append(page)
        if jobs:
            self._error = None
            self._running = threading.Thread(target=self._run, args=(jobs,), name="lexicon-notebooks",
                                             daemon=True)
            self._running.start()
        return files

    def on_pre_page(self, page, config, files):
        if page.file.src_uri in self.pages:
            self._wait()          # before mkdocs-jupyter reads the executed copy
        return page

    def on_post_build(self, config):
        self._wait()

    def on_build_error(self, error):
        self._wait(quiet=True)    # let the kernel shut down cleanly; the build has failed already

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
    _running: threading.Thread | None = None
    _error: Exception | None = None

    def _run(self, jobs: list["Job"]) -> None:
        """In the background thread: run the notebooks one after the other (one kernel at a time)."""
        progress = Progress()     # its own "still running …" lines, apart from the blocks'
        try:
            for job in jobs:
                self._execute(job, progress)
        except Exception as exc:  # handed to the build thread, which raises it
            self._error = exc
        finally:
            progress.close()

    def _wait(self, quiet: bool = False) -> None:
        running, self._running = self._running, None
        if running is not None:
            running.join()
        error, self._error = self._error, None
        if error is not None and not quiet:
            if isinstance(error, LexiconError):
                raise PluginError(str(error)) from None
            raise error

    def _cached_or_job(self, source: Path, uri: str) -> "Executed | Job":
        import nbformat

        rel = _rel(source, self.root)
        raw = source.read_bytes()
        try:
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        except Exception as exc:  # nbformat raises several types on a bad file
            raise LexiconError(f"{rel} is not a readable notebook: {exc}",
                               fix="open it in Jupyter and save it again") from None
        runner.check_source(nb, rel)
        key = runner.cache_key(raw, nb, self.build.model.id, self.build.code_source)
        cached = self._store() / self.config.dest.strip("/") / source.name
        try:
            old = nbformat.read(cached, as_version=4)
        except (OSError, ValueError):
            old = None
        if old is not None and old.metadata.get("lexicon", {}).get("cache_key") == key:
            runner.check_outputs(old, rel)
            self._record_checks(old, rel, uri)
            return Executed(source.name, cached)
        return Job(nb, key, rel, uri, cached)

    def _execute(self, job: "Job", progress: Progress) -> None:
        import nbformat

        started = time.perf_counter()
        progress.say("running %s (in the background)", job.rel)
        with progress.step(f"running {job.rel}"):
            out = runner.execute(job.nb, rel=job.rel, cwd=self.root, timeout=self.config.timeout,
                                 env=self._kernel_env(), progress=progress)
        runner.check_outputs(out, job.rel)
        out.metadata["lexicon"] = {"cache_key": job.key, "model": self.build.model.id["name"],
                                   "model_sha256": self.build.model.id["sha256"], "executed_from": job.rel}
        job.cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = job.cached.with_name(f".{job.cached.name}.{os.getpid()}.tmp")
        nbformat.write(out, str(tmp))
        os.replace(tmp, job.cached)
        progress.say("ran %s in %.1f s", job.rel, time.perf_counter() - started)
        self._record_checks(out, job.rel, job.uri)

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
        }


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
