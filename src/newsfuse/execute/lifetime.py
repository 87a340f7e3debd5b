"""How long processes live: workers end with the process that started them, and the main process turns
SIGTERM into the same orderly stop as Ctrl-C.

A worker that outlives its parent holds the store's files open and a few hundred MB of models, so each
worker (a pool process or a Ray actor on a local cluster) arranges its own end: on Linux the kernel sends
it SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), and a watcher thread covers other systems and the
moment between the fork and the prctl call.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when `parent_pid` does; call it first thing in a worker."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the prctl call took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="watch-parent", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


@contextmanager
def workers_ignore_interrupts() -> Iterator[None]:
    """Start workers inside this block: they leave Ctrl-C to the main process.

    The terminal sends SIGINT to the whole process group, and a worker that raised KeyboardInterrupt
    would print its own traceback. An ignored signal stays ignored across fork and exec (and Python then
    installs no handler of its own), so a worker ignores it from its first instruction, before its
    imports; the main process ignores it only while the workers start.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would raise KeyboardInterrupt; `signum` tells them apart."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Inside this block SIGTERM (what `timeout`, systemd and docker send) raises KeyboardInterrupt, so a
    terminated run unwinds like an interrupted one: open transactions roll back, workers are stopped, and
    what was stored stays stored. Only the main thread can install handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _interrupt(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
