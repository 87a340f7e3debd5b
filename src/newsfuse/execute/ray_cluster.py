"""The Ray executor: the per-article analysis as Ray Data batches on a Ray cluster. The only module that
imports Ray.

`address=None` starts a local cluster for the run (and stops it after); an address joins a running one
(`ray start --head` on one machine, `ray start --address HEAD:6379` on the others, or a KubeRay cluster).
Each worker is an actor of an actor pool that loads the models once. Articles and results travel as
pickled records in a binary column, so Arrow never has to guess a schema for them. Order is preserved,
so grouping and fusion, which stay in the driver, see exactly what the local executor gives them.
"""

from __future__ import annotations

import logging
import os
import pickle
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import ray
import ray.data

from newsfuse.analysis import Analyser
from newsfuse.execute.lifetime import die_with_parent
from newsfuse.types import Analysed, Article

BATCH = 16


class _AnalyseBatch:
    """One actor of the pool: loads the models once, then analyses batch after batch."""

    def __init__(self, analyser: Analyser, local_cluster: bool) -> None:
        if local_cluster:  # the actor is a child of the raylet this run started: it ends with it
            die_with_parent(os.getppid())
        self.analyser = analyser
        self.analyser.load()  # now, not inside the first batch

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        articles = [pickle.loads(blob) for blob in batch["article"]]
        return {"analysed": [pickle.dumps(item) for item in self.analyser.analyse(articles)]}


class RayExecutor:
    """Runs the per-article analysis on a Ray cluster with `workers` actors (0: one per CPU it has)."""

    def __init__(self, analyser: Analyser, workers: int = 0, address: str | None = None) -> None:
        self.analyser = analyser
        self.address = address or None
        self.workers = workers

    def _connect(self) -> bool:
        """Join the cluster, or start a local one; True when this call started it."""
        if ray.is_initialized():
            return False
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
        # Ray Data logs each dataset's start, plan and end at INFO, and that progress bars are off at
        # WARNING: noise on a command's stderr. Its logger is set up when ray.data is imported (above).
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        local = self.address is None
        ray.init(
            address=self.address,
            num_cpus=(self.workers or os.cpu_count() or 1) if local else None,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.ERROR,
        )
        return True

    def analyse(self, articles: Sequence[Article]) -> Iterator[Analysed]:
        if not articles:
            return
        started = self._connect()
        try:
            context = ray.data.DataContext.get_current()
            context.execution_options.preserve_order = True
            context.enable_progress_bars = False
            workers = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            items = ray.data.from_items([{"article": pickle.dumps(a)} for a in articles])
            with warnings.catch_warnings():
                # max_restarts has no named parameter yet; passed the old way, Ray warns that the way
                # is deprecated.
                warnings.simplefilter("ignore", DeprecationWarning)
                analysed = items.map_batches(
                    _AnalyseBatch,
                    fn_constructor_args=(self.analyser.for_worker(), started and self.address is None),
                    batch_size=BATCH,
                    compute=ray.data.ActorPoolStrategy(size=min(workers, max(1, len(articles) // BATCH))),
                    num_cpus=1,
                    batch_format="numpy",
                    max_restarts=0,  # a worker that dies fails the run, as a local one does
                )
            for row in analysed.iter_rows():
                yield pickle.loads(row["analysed"])
        finally:
            if started:
                ray.shutdown()
