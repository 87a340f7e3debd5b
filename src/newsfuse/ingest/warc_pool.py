"""Several web archives read at once: one worker process per archive, results in the sequential order.

Reading an archive is bound by HTML extraction (trafilatura), one page after another, so a run given many
WARC files reads them on a pool of processes, one file a task. The results are yielded file by file in the
order of the inputs, exactly what a sequential read gives (same articles, same rejections, same order);
other inputs among them are read in this process at their place. At most `processes + 1` archives are
read ahead, so memory holds the pages of that many files, not of the whole crawl (a page is capped at
`warc.MAX_PAGE_BYTES`, and only its extracted text travels back).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from newsfuse.ingest.warc import read_warc
from newsfuse.types import RawArticle, RejectCode, Rejected

# Starting a worker costs about a second (it imports the HTML reader); archives smaller than this in all
# are read faster in this process. Only the default (processes=None) applies it.
PARALLEL_MIN_BYTES = 16 << 20

Result = RawArticle | Rejected


def pool_size(warcs: Sequence[str], processes: int | None) -> int:
    """How many processes reading `warcs` is worth; 1 means reading them in this process.

    `processes`: None picks one per core when the archives hold at least PARALLEL_MIN_BYTES; a number
    is used as given (capped by the number of archives).
    """
    if processes is None:
        if sum(_size(w) for w in warcs) < PARALLEL_MIN_BYTES:
            return 1
        processes = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(processes, len(warcs)))


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # read_warc reports it


def _read_whole(path: str) -> list[Result]:
    return list(read_warc(path))


def read_in_order(
    sources: Sequence[str | Rejected],
    is_warc: Callable[[str], bool],
    read_other: Callable[[str], Iterator[Result]],
    processes: int,
) -> Iterator[Result]:
    """The results of every source in order: archives from the pool, other files from `read_other`,
    Rejected sources as they are. An archive whose worker dies (killed, out of memory) is one Rejected
    with that reason, and the others are read on a fresh pool: the batch goes on, it never hangs."""
    archives = [i for i, s in enumerate(sources) if isinstance(s, str) and is_warc(s)]
    pool = _start_pool(processes)
    pending: dict[int, Future[list[Result]]] = {}
    ahead = iter(archives)

    def top_up() -> None:
        while len(pending) <= processes:
            index = next(ahead, None)
            if index is None:
                return
            pending[index] = _submit(pool, str(sources[index]))

    try:
        top_up()
        for index, source in enumerate(sources):
            if isinstance(source, Rejected):
                yield source
            elif index in pending:
                try:
                    results = pending.pop(index).result()
                except BrokenProcessPool:
                    results = [Rejected(str(source), WORKER_DIED, RejectCode.UNREADABLE_FILE)]
                    # Every unfinished task of a broken pool fails: read those on a new pool.
                    _abandon(pool)
                    pool = _start_pool(processes)
                    for other, future in sorted(pending.items()):
                        if not _read_whole_done(future):
                            pending[other] = _submit(pool, str(sources[other]))
                top_up()
                yield from results
            else:
                yield from read_other(source)
    finally:
        # After an error or an interruption: no worker reads on, and none outlives this call.
        pool.shutdown(wait=True, cancel_futures=True)


WORKER_DIED = "the process reading this archive died before it finished (out of memory, or killed)"


def _start_pool(processes: int) -> ProcessPoolExecutor:
    # Imported here: execute/ imports the analysis, which reading must not wait for (or depend on).
    from newsfuse.execute.lifetime import die_with_parent

    context = multiprocessing.get_context("spawn")  # the main process may hold threads a fork would copy
    return ProcessPoolExecutor(
        processes, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )


def _read_whole_done(future: Future[list[Result]]) -> bool:
    """True for a task that finished with its results before its pool broke (not failed, not cancelled)."""
    return future.done() and not future.cancelled() and future.exception() is None


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop a broken pool for good. Its manager thread terminates the workers it knows of, but a worker
    that a submission started while the pool was breaking escapes that (CPython 3.11 marks the pool broken
    without its lock), and the thread then waits on it forever, which hangs the interpreter's exit: so
    every worker still alive is killed here (`_processes` is the pool's own table; there is no public one).
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets the table
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.kill()


def _submit(pool: ProcessPoolExecutor, path: str) -> Future[list[Result]]:
    # The pool starts its workers as tasks arrive, so every submission is where one may start: inside
    # the block, a worker leaves Ctrl-C to the main process from its first instruction.
    from newsfuse.execute.lifetime import workers_ignore_interrupts

    try:
        with workers_ignore_interrupts():
            return pool.submit(_read_whole, path)
    except (BrokenProcessPool, OSError, ValueError) as error:
        # A worker died before this submission: the pool refuses it (BrokenProcessPool), or fails while
        # starting a replacement worker with the pipes it is closing (OSError "handle is closed",
        # ValueError "bad value(s) in fds_to_keep"), depending on which thread noticed first.
        # Either way the task failed as if it had been running, and `read_in_order` handles it so.
        failed: Future[list[Result]] = Future()
        failed.set_exception(BrokenProcessPool(str(error)))
        return failed
