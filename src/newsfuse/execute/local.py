"""The local executor: the per-article analysis on a pool of worker processes on this machine.

Each worker loads the models once and analyses whole articles (sentences, entities, time expressions,
attributions, terms and the grouping embedding: newsfuse/analysis.py), so everything per article runs in
parallel and only the compact results travel back.
Workers are started with `spawn`, not `fork`: the main process may hold threads (tokenizers, torch) that a
forked child would inherit mid-state.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence

from newsfuse.analysis import Analyser
from newsfuse.execute.lifetime import die_with_parent, workers_ignore_interrupts
from newsfuse.types import Analysed, Article

# Articles per task sent to a worker: large enough that the message cost is small, small enough that the
# two workers finish together and that an interruption loses little.
CHUNK = 16
# Starting a worker costs a few seconds (it imports newsfuse and loads spaCy): below this many articles
# per worker, analysing in this process is faster.
ARTICLES_PER_WORKER = 48

_worker_analyser: Analyser | None = None


def _start_worker(analyser: Analyser, parent_pid: int) -> None:
    die_with_parent(parent_pid)
    global _worker_analyser
    _worker_analyser = analyser
    analyser.load()  # the models load now, not inside the first task


def _analyse_chunk(articles: list[Article]) -> list[Analysed]:
    assert _worker_analyser is not None, "worker not started"
    return list(_worker_analyser.analyse(articles))


class LocalExecutor:
    """Runs the per-article analysis on `workers` processes (0: one per core), results in input order."""

    def __init__(
        self, analyser: Analyser, workers: int = 0, articles_per_worker: int = ARTICLES_PER_WORKER
    ) -> None:
        self.analyser = analyser
        self.workers = workers or os.cpu_count() or 1
        self.articles_per_worker = articles_per_worker

    def pool_size(self, n_articles: int) -> int:
        """How many worker processes `n_articles` are worth; 1 means this process does the work."""
        return max(1, min(self.workers, n_articles // self.articles_per_worker))

    def analyse(self, articles: Sequence[Article]) -> Iterator[Analysed]:
        size = self.pool_size(len(articles))
        if size == 1:
            yield from self.analyser.analyse(articles)
            return
        chunk = max(1, min(CHUNK, -(-len(articles) // size)))  # every worker gets work, even for a few
        chunks = [list(articles[i : i + chunk]) for i in range(0, len(articles), chunk)]
        context = multiprocessing.get_context("spawn")
        with workers_ignore_interrupts():
            pool = context.Pool(
                size, initializer=_start_worker, initargs=(self.analyser.for_worker(), os.getpid())
            )
        try:
            for analysed in pool.imap(_analyse_chunk, chunks):
                yield from analysed
            pool.close()
            pool.join()
        finally:
            pool.terminate()  # after an error or an interruption: no worker is left behind
