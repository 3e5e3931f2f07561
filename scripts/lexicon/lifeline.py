"""Every process the build starts dies with the process that started it.

A process killed with SIGKILL cannot clean up, and its children are not told: they go on (a
``mkdocs build`` writing a whole site, a helper computing blocks) as orphans. On Linux the kernel
can send a child a signal when its parent dies (``prctl(PR_SET_PDEATHSIG)``); :func:`die_with_parent`
asks for it, from the child itself (in a ``preexec_fn``, or first thing in a helper's code). On
other systems it does nothing: the parent's own handlers (``safe_build``) still stop the child
on SIGTERM and SIGINT.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, sig: int = signal.SIGTERM) -> None:
    """Have the kernel send ``sig`` to this process when ``parent`` dies; if it already has, go now."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:      # the parent died before the request: nobody will send it
        os.kill(os.getpid(), sig)
