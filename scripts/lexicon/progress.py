"""Progress of a long build: what is being computed, how far along, what took longest.

A cold build computes every block, loads the model and runs the notebooks: minutes of
work. This prints one line when a phase starts, a line every few seconds while blocks are
being computed ("38 of 152 blocks, 12 computed; slowest so far: …"), and, from a
background thread, "still …" when a single step runs long, so the build is never silent
for more than about :data:`QUIET` seconds. A warm build computes nothing and prints
nothing here.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

log = logging.getLogger("mkdocs.plugins.lexicon")

QUIET = 8.0      # seconds of silence after which a running step is reported
EVERY = 5.0      # at most one "blocks done" line per this many seconds


class Progress:
    def __init__(self, quiet: float = QUIET, every: float = EVERY, clock=time.monotonic):
        self.quiet, self.every, self.clock = quiet, every, clock
        self.total = 0            # blocks on every page (known once the files are read)
        self.done = 0             # blocks prepared so far (cached or computed)
        self.computed = 0
        self.slowest: tuple[float, str] | None = None
        self._step: tuple[str, float] | None = None
        self._detail = ""
        self._said = clock()
        self._summary_at = clock()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- reporting ---------------------------------------------------------------------------
    def say(self, text: str, *args) -> None:
        with self._lock:
            self._said = self.clock()
        log.info("lexicon: " + text, *args)

    @contextmanager
    def step(self, what: str):
        """A piece of work that may take long: reported if it does, silently timed if not."""
        self._ensure_thread()
        started = self.clock()
        with self._lock:
            outer = self._step
            self._step, self._detail = (what, started), ""
        try:
            yield
        finally:
            with self._lock:
                self._step = outer

    def detail(self, text: str) -> None:
        """What the current step is doing now ("cell 4 of 12"), shown in its "still …" line."""
        with self._lock:
            self._detail = text

    def block_done(self, what: str, seconds: float | None) -> None:
        """A block was prepared; ``seconds`` is its compute time, None if it came from the cache."""
        self.done += 1
        if seconds is None:
            return
        self.computed += 1
        if self.slowest is None or seconds > self.slowest[0]:
            self.slowest = (seconds, what)
        now = self.clock()
        if now - self._summary_at >= self.every:
            self._summary_at = now
            self.say("%s", self.summary())

    def summary(self) -> str:
        total = f" of {self.total}" if self.total else ""
        slow = f"; slowest so far: {self.slowest[1]} ({self.slowest[0]:.1f} s)" if self.slowest else ""
        return f"blocks: {self.done}{total} done, {self.computed} computed{slow}"

    # --- the watcher ----------------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="lexicon-progress", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                step, detail, said = self._step, self._detail, self._said
            now = self.clock()
            if step and now - said >= self.quiet:
                what, started = step
                self.say("still %s (%.0f s%s)", what, now - started, f", {detail}" if detail else "")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
