"""Articles per second of the per-article analysis on each executor, and memory per worker.

    python benchmarks/executors.py [DATA_DIR] [--limit N] [--configs local:1 local:2 ray:1 ray:2]

DATA_DIR defaults to ../shared/data/giveme5w1h_news_cluster. For each engine:workers it analyses the
articles (sentences, entities, time expressions, attributions) and prints wall seconds, articles/s with
the workers' start included and excluded, and the peak resident memory of the largest worker process.
`local:1` analyses in this process, with its models loaded before the clock starts. For the others the
start excluded is what a fresh process takes to import newsfuse and load the models, timed once first
(a pool's workers do it side by side); what an engine spends beyond that (Ray's actors) stays in its
rate. Memory is sampled from /proc every 0.2 s (Linux).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from newsfuse.analysis import Analyser
from newsfuse.execute import executor_for
from newsfuse.nlp.pipeline import Annotator
from newsfuse.pipeline import read_articles

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


_TIME_A_START = """
import time
began = time.perf_counter()
from newsfuse.analysis import Analyser
from newsfuse.nlp.pipeline import Annotator
Analyser(Annotator()).load()
print(time.perf_counter() - began)
"""


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found += children
        frontier += children
    return found


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _is_worker(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"spawn_main" in command or b"MapWorker" in command or b"ray::" in command


class PeakWorkerMemory:
    """Samples the resident memory of this process's analysis workers until stopped."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for pid in _descendants(os.getpid()):
                if _is_worker(pid):
                    self.peak = max(self.peak, _rss_mib(pid))

    def __enter__(self) -> PeakWorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument("--configs", nargs="+", default=["local:1", "local:2", "ray:1", "ray:2"])
    args = parser.parse_args()

    articles = list(read_articles([args.data], progress=False).articles)
    articles = articles[: args.limit] if args.limit else articles
    # Results come in batches (spaCy's, a worker's chunk), so the first one is no mark of the start.
    load_seconds = float(
        subprocess.run(
            [sys.executable, "-c", _TIME_A_START], capture_output=True, text=True, check=True
        ).stdout
    )
    print(
        f"{len(articles)} articles; load average {os.getloadavg()[0]:.1f}; "
        f"a worker starts in {load_seconds:.1f} s"
    )
    print(f"{'engine:workers':<15} {'seconds':>8} {'art/s':>7} {'art/s after start':>18} {'worker MiB':>11}")
    for config in args.configs:
        engine, workers = config.split(":")
        analyser = Analyser(Annotator())
        executor = executor_for(engine, analyser, int(workers))
        in_process = engine == "local" and int(workers) == 1
        if in_process:
            analyser.load()
        with PeakWorkerMemory() as memory:
            start = time.perf_counter()
            for _ in executor.analyse(articles):
                pass
            end = time.perf_counter()
        working = end - start - (0.0 if in_process else load_seconds)
        after_start = len(articles) / working if working > 0 else float("nan")
        worker_mib = memory.peak if memory.peak else float("nan")
        print(
            f"{config:<15} {end - start:8.1f} {len(articles) / (end - start):7.1f} {after_start:18.1f} "
            f"{worker_mib:11.0f}"
        )


if __name__ == "__main__":
    main()
