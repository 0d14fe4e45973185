"""Worker processes die with the process that started them.

A worker killed with its parent is harmless (the parent writes every result); a worker that
outlives it holds half a gigabyte of models and a core for nothing. Two ties, both set when
the worker starts:

- on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment the
  thread that forked it ends, SIGKILL of the parent included. It is set only when that
  thread is the main one (a worker forked from a short-lived thread would die with it);
- everywhere, a watchdog thread that ends the worker within ``POLL_SECONDS`` of its parent
  going away (its parent id changes when it is re-parented).

Before forking, the parent gives the memory it freed back to the system (``trim_before_fork``).

Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the parent, which gets it
too, stops them itself. SIGTERM ends a worker at once (the default action, not the parent's
handler, which a forked worker would otherwise inherit).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import threading
import time

POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def tie_to_parent(parent: int, deathsig: bool = True) -> None:
    """Make this process end when ``parent`` does (call first thing in a worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if deathsig and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl here: the watchdog is enough
            pass
    if os.getppid() != parent:  # the parent died before the tie was made
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="sitrep-lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)


def trim_before_fork() -> None:
    """Give the heap's free memory back to the system before workers are forked: pages freed
    by reading large inputs would otherwise stay resident in the parent (glibc keeps them) for
    the whole analysis. A no-op where glibc's ``malloc_trim`` is missing."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).malloc_trim(0)
