"""An edit to one page under ``make serve``: seconds until the served page shows it.

``make serve`` runs ``mkdocs serve --dirty``: after an edit, MkDocs renders the pages whose
source changed, and the lexicon plugin (``scripts/lexicon/incremental.py``) adds the pages that
show what changed elsewhere and hands back what the others gave the last build. This module
drives that command as an author would meet it:

- a copy of the project's sources (docs/, overrides/, notebooks/, mkdocs.yml) in a temporary
  folder, so the project's own pages are never edited;
- ``python -m mkdocs`` with the serve recipe's own arguments, read from the Makefile, on a free
  port, with the given cache folder and its temporary site folder kept where it can be read;
- :meth:`Serve.edit` changes a page, :meth:`Serve.wait_for` polls the served page over HTTP
  until it shows the change: the seconds an author waits, from saving to a page that is ready.

``tests/test_serve.py`` uses it to hold the rebuilt site to a clean build's, byte for byte;
``bench/run.py`` to time an edit (:func:`serve_edit`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .common import ROOT, BenchError, check

SOURCES = ("docs", "overrides", "notebooks", "mkdocs.yml")
PAGE = "docs/terms/lasso.md"        # the page the bench edits: a term with computed blocks and claims
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
DIRTY = re.compile(r"dirty build: (\d+) of (\d+) pages rendered")


def serve_arguments(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The arguments ``make serve`` gives mkdocs (after ``mkdocs``), without its --dev-addr."""
    m = re.search(r"(?m)^serve:.*\n\t\$\(BIN\)/mkdocs (.+)$", makefile.read_text(encoding="utf-8"))
    check(m is not None, f"{makefile}: no 'serve:' recipe running $(BIN)/mkdocs")
    args = shlex.split(m.group(1))
    if "--dev-addr" in args:
        i = args.index("--dev-addr")
        del args[i:i + 2]
    return args


class Serve:
    """``make serve``'s command on a copy of the sources (a context manager)."""

    def __init__(self, where: Path, cache_dir: Path, timeout: float = 600.0):
        self.where, self.cache_dir = Path(where), Path(cache_dir)
        self.project, self.tmp = self.where / "project", self.where / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        for name in SOURCES:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, self.project / name)
            elif src.is_file():
                self.project.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, self.project / name)
        (self.project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
               "LEXICON_CACHE_DIR": str(self.cache_dir), "TMPDIR": str(self.tmp)}
        self.log: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", *serve_arguments(), "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=self.project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self._wait(lambda: any("Serving on" in line for line in self.log), timeout, "the first build")

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line.rstrip("\n"))

    def _wait(self, done, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while not done():
            if self.proc.poll() is not None:
                raise BenchError(f"mkdocs serve stopped during {what}:\n" + "\n".join(self.log[-40:]))
            if time.monotonic() > end:
                raise BenchError(f"mkdocs serve: {what} took over {timeout:.0f} s:\n" + "\n".join(self.log[-40:]))
            time.sleep(0.05)

    @property
    def site_dir(self) -> Path:
        """The folder mkdocs serve builds into (a temporary folder it removes when it stops)."""
        found = sorted(self.tmp.glob("mkdocs_*"))
        check(len(found) == 1, f"mkdocs serve's site folder: found {found} in {self.tmp}")
        return found[0]

    def edit(self, rel: str, old: str, new: str) -> float:
        """Replace ``old`` (once) in a source file of the copy; returns when it was saved."""
        path = self.project / rel
        text = path.read_text(encoding="utf-8")
        check(old in text, f"{rel}: {old!r} is not in the page")
        self._builds_before = self.finished()
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return time.perf_counter()

    def wait_for(self, page: str, text: str, since: float, timeout: float = 300.0) -> float:
        """Poll the served ``page`` (a URL path) until it shows ``text`` and the rebuild has
        finished; returns the seconds since ``since`` (when :meth:`edit` saved)."""
        end = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + page, timeout=10) as r:
                    if text in r.read().decode("utf-8") and self.finished() > self._builds_before:
                        return time.perf_counter() - since
            except (urllib.error.URLError, OSError):
                pass
            if self.proc.poll() is not None or time.monotonic() > end:
                raise BenchError(f"{page} never showed {text!r} under mkdocs serve ({self.finished()} "
                                 f"builds finished, {self._builds_before} before the edit); the log is in "
                                 f"{self.save_log()}, its end:\n" + "\n".join(self.log[-60:]))
            time.sleep(0.05)

    def save_log(self) -> Path:
        path = self.where / "serve.log"
        path.write_text("\n".join(self.log) + "\n", encoding="utf-8")
        return path

    def finished(self) -> int:
        """Builds finished so far: the first (before "Serving on"), then one per "Reloading browsers"
        (MkDocs' live reload logs it once the rebuild has returned). Not "Documentation built in
        N seconds": MkDocs drops a build message that repeats the one before it (DuplicateFilter),
        so two rebuilds of the same length log one line."""
        log = list(self.log)
        return any("Serving on" in line for line in log) + sum("Reloading browsers" in line for line in log)

    def builds(self) -> list[float]:
        """The seconds of the builds so far, as MkDocs logged them (a repeat of the line before is
        not logged: see :meth:`finished`)."""
        return [float(m.group(1)) for line in list(self.log) for m in [BUILT.search(line)] if m]

    def rendered(self) -> list[tuple[int, int]]:
        """Each dirty build's (pages rendered, pages in the site), as the plugin logged them."""
        return [(int(m.group(1)), int(m.group(2))) for line in list(self.log) for m in [DIRTY.search(line)] if m]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def serve_edit(tmp: Path, cache_dir: Path, log, runs: int = 3) -> dict:
    """Edit one page's text ``runs`` times under ``make serve``'s command (a warm cache); the
    median of the seconds from saving to the served page showing the edit."""
    import statistics

    log(f"serve: an edit to {PAGE} under `make serve` ({runs} edits) ...")
    with Serve(tmp / "serve", cache_dir) as s:
        waits = []
        for i in range(runs):
            marker = f"An edit the bench made ({i + 1})."
            since = s.edit(PAGE, "\n## Key Concepts", f"\n{marker}\n\n## Key Concepts")
            waits.append(round(s.wait_for("terms/lasso/", marker, since), 2))
        rendered = s.rendered()
        builds = s.builds()
    check(len(rendered) == runs, f"serve: expected {runs} dirty builds, the log shows {rendered}")
    return {"page": PAGE, "seconds": statistics.median(waits), "runs": waits,
            "build_seconds": builds[1:], "first_build_seconds": builds[0],
            "pages_rendered": rendered[-1][0], "pages": rendered[-1][1]}
