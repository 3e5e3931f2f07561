"""A second process that computes blocks alongside the build, so a cold build uses two cores.

MkDocs renders pages one after another and a block is computed when its page is rendered,
which leaves a second core idle for most of a cold build. At ``on_files`` the plugin knows every
block of every page: :func:`start` hands the ones missing from the cache to one helper process
(spawned, so it shares nothing with the build but the cache folder and a scratch folder). The
build works through the kinds in the order their blocks first appear; the helper takes them
from the other end.

**Kinds are claimed whole**, by whichever side computes one first: ``claims/<group>`` is created
exclusively and holds its owner. The group is the kind, or the start-up it shares with other kinds
(``Kind.startup``, e.g. numba compiling a library's functions on first use). So one process pays each
start-up, and the two never compute the same block. The build computes
the blocks of its own kinds as before. For a block of the helper's kinds it waits for
``done/<key>.json``, which holds the result and its compute time; the helper also writes the
result to the cache.

**Nothing here can change a page.** The helper computes what the build would (the same spec,
code key, model and cache). Whatever it cannot deliver (an error in a block, a crash, a kill),
the build computes itself, so an error is located and reported as always. ``LEXICON_HELPER=0``
turns the helper off.

While the helper runs, each process keeps BLAS to one thread (threadpoolctl): two processes with
a thread per core each would fight over two cores, and the build would be slower, not faster.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

MIN_JOBS = 8          # fewer blocks to compute than this (an edit, a small test site): no helper
POLL = 0.05           # seconds between looks at the scratch folder while waiting


@dataclass
class Job:
    kind: str
    group: str        # what is claimed: the kind's shared start-up, or the kind itself
    source: str       # the block's body, as the page has it
    key: str          # its cache key, as Build.key makes it


def wanted(jobs: list[Job]) -> bool:
    """Whether a helper is worth starting: enough blocks to compute, a second core, not turned off."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return len(jobs) >= MIN_JOBS and cores >= 2 and os.environ.get("LEXICON_HELPER", "1") != "0"


def _claim(scratch: Path, kind: str, owner: str) -> str:
    """Claim a kind for ``owner`` if nobody has; return whoever owns it now."""
    path = scratch / "claims" / kind
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        for _ in range(100):      # the other side created it a moment ago and is writing its name
            owner_now = path.read_text()
            if owner_now:
                return owner_now
            time.sleep(0.001)
        return owner_now
    with os.fdopen(fd, "w") as f:
        f.write(owner)
    return owner


def _write(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class Helper:
    """The build's side: start the process, and ask it for a block's result."""

    scratch: Path
    jobs: dict[str, Job]
    process: multiprocessing.process.BaseProcess
    mine: set = field(default_factory=set)     # groups the build has claimed
    limits: object = None                      # the build's BLAS thread limit while the helper runs

    def result(self, key: str, waiting) -> tuple[dict, float] | None:
        """The helper's result and compute seconds for a block, or None: the build computes it.

        ``waiting`` is a context manager factory for the progress report while we wait."""
        job = self.jobs.get(key)
        if job is None or job.group in self.mine:
            return None
        if _claim(self.scratch, job.group, "build") == "build":
            self.mine.add(job.group)
            return None
        done = self.scratch / "done" / f"{key}.json"
        with waiting():
            while not done.exists():
                if not self.process.is_alive() and not done.exists():
                    return None            # it crashed or was killed: compute it here
                time.sleep(POLL)
        entry = json.loads(done.read_text(encoding="utf-8"))
        del self.jobs[key]        # the same block on another page is a cache hit, as before
        return (entry["result"], entry["seconds"]) if "result" in entry else None

    def model_loaded(self) -> bool:
        return (self.scratch / "model-loaded").exists()

    def took(self) -> list[str]:
        """The groups the helper computed (for ``last-build.json``)."""
        return sorted(p.name for p in (self.scratch / "claims").iterdir() if p.read_text() == "helper")

    def close(self) -> None:
        if self.limits is not None:
            self.limits.restore_original_limits()
            self.limits = None
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=10)
        shutil.rmtree(self.scratch, ignore_errors=True)


def start(jobs: list[Job], cache_root: Path, model_spec) -> Helper | None:
    """Start a helper for ``jobs`` (in page order), or return None if one is not worth it."""
    unique = list({j.key: j for j in jobs}.values())
    if not wanted(unique):
        return None
    scratch = Path(tempfile.mkdtemp(prefix="lexicon-helper-"))
    (scratch / "claims").mkdir()
    (scratch / "done").mkdir()
    ctx = multiprocessing.get_context("spawn")
    process = ctx.Process(target=work, args=(unique, str(cache_root), model_spec, str(scratch)),
                          name="lexicon-helper", daemon=True)
    process.start()
    return Helper(scratch, {j.key: j for j in unique}, process, limits=threadpool_limits(1))


# --- the helper process ----------------------------------------------------------------------------
def work(jobs: list[Job], cache_root: str, model_spec, scratch_dir: str) -> None:
    """Compute ``jobs`` group by group, from the group that first appears last."""
    from .. import model as model_mod
    from ..build import compute_checked
    from ..cache import ResultCache
    from .registry import registry

    from ..lifeline import die_with_parent

    die_with_parent(multiprocessing.parent_process().pid)   # a killed build takes its helper with it
    warnings.simplefilter("ignore")        # the build shows its own; these would be repeats
    threadpool_limits(1)
    scratch, cache, kinds = Path(scratch_dir), ResultCache(Path(cache_root)), registry()
    kv = None
    for group in reversed(list(dict.fromkeys(j.group for j in jobs))):
        if _claim(scratch, group, "helper") != "helper":
            continue
        for job in (j for j in jobs if j.group == group):
            try:
                kind = kinds[job.kind]
                spec = kind.read(job.source)
                if kind.needs_model and kv is None:
                    kv = model_mod.load(model_spec)
                    (scratch / "model-loaded").touch()
                started = time.perf_counter()
                result = compute_checked(kind, kv if kind.needs_model else None, spec)
                seconds = round(time.perf_counter() - started, 2)
                cache.put(job.key, result)
                _write(scratch / "done" / f"{job.key}.json", {"result": result, "seconds": seconds})
            except Exception as exc:  # noqa: BLE001 - the build computes it again and reports it
                _write(scratch / "done" / f"{job.key}.json", {"error": f"{type(exc).__name__}: {exc}"})
