"""Build the site without ever destroying the last good one.

``mkdocs build`` cleans ``site/`` first, so a failed build would leave it
half-written. This builds into a fresh folder beside it and swaps the two
only when the build succeeded: a failed build leaves ``site/`` byte for byte
as it was. A run that is stopped (SIGTERM, SIGINT, SIGHUP) stops its build and removes its
staging folder; its build dies with it even on SIGKILL (``lifeline.py``), whose
staging folder the next run removes (or, if the kill came between the two renames
of the swap, puts the previous site back).

    python -m lexicon.safe_build [--site-dir site] [--config-file mkdocs.yml] [extra mkdocs args]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from . import lifeline


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--config-file", default="mkdocs.yml")
    args, extra = parser.parse_known_args(argv)
    site = Path(args.site_dir).resolve()
    _sweep(site)
    staging = site.with_name(f".site-new-{os.getpid()}")
    old = site.with_name(f".site-old-{os.getpid()}")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", args.config_file,
           "--site-dir", str(staging), *extra]
    me = os.getpid()
    stopped: list[int] = []

    def stop(signum, frame):   # SIGTERM, SIGINT, SIGHUP: stop the child, clean up, then die of the signal
        stopped.append(signum)
        raise _Stopped()

    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        # The child dies with this process even on SIGKILL, which no handler sees (lifeline.py).
        child = subprocess.Popen(cmd, preexec_fn=lambda: lifeline.die_with_parent(me))
        try:
            returncode = child.wait()
        except _Stopped:
            _stop(child, stopped[0])
            print(f"safe_build: stopped by {signal.Signals(stopped[0]).name}; {_shown(site)} is unchanged.",
                  file=sys.stderr)
            return 128 + stopped[0]
        if returncode != 0:
            print(f"safe_build: the build failed; {_shown(site)} is unchanged.", file=sys.stderr)
            return returncode
        if site.exists():
            site.rename(old)
        try:
            staging.rename(site)
        except OSError:
            if old.exists() and not site.exists():
                old.rename(site)  # put the previous site back
            raise
        print(f"safe_build: {_shown(site)} updated.", file=sys.stderr)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class _Stopped(BaseException):
    """A stop signal arrived (raised by the handler, so the ``finally`` cleanup runs)."""


def _stop(child: subprocess.Popen, signum: int) -> None:
    """Pass the signal on to the build, and make sure it is gone before its folder is removed."""
    for s in STOP_SIGNALS:
        signal.signal(s, signal.SIG_IGN)     # a second signal must not interrupt the cleanup
    try:
        child.send_signal(signum)
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _sweep(site: Path) -> None:
    """Clear what a killed run left beside ``site``: its staging folder, or the site it moved away."""
    for leftover in sorted(site.parent.glob(".site-old-*")) + sorted(site.parent.glob(".site-new-*")):
        pid = leftover.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or (int(pid) != os.getpid() and _alive(int(pid))):
            continue  # another safe_build is running: leave its folders alone
        if leftover.name.startswith(".site-old-") and not site.exists():
            leftover.rename(site)  # killed mid-swap: the previous site comes back
            print(f"safe_build: restored {_shown(site)} from an interrupted build.", file=sys.stderr)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running safe_build (a pid reused by another program is not)."""
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return b"safe_build" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True     # no /proc (not Linux): trust that it exists


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else rel


if __name__ == "__main__":
    sys.exit(main())
