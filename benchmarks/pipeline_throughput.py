"""Throughput of the whole pipeline, stage by stage, on a real corpus.

    python benchmarks/pipeline_throughput.py [DATA_DIR] [--processes N] [--engine local|ray]

DATA_DIR defaults to ../shared/data/giveme5w1h_news_cluster (383 news-please articles). Prints articles per
second and CPU milliseconds per article (this process and its workers) for each stage and end to end, and
peak resident memory of this process and of the analysis workers. The end-to-end figure includes loading
the models and starting the worker processes (the analysis stage pays them).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsfuse.cluster import StreamParams
from newsfuse.config import load_settings
from newsfuse.pipeline import Stages, analyse_missing, fuse_stories, group_new, ingest
from newsfuse.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the pool's workers, once joined)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--processes", type=int, default=0, help="NLP worker processes (0 = one per core)")
    parser.add_argument("--sentences", choices=["model", "rules"], default="model", help="sentence splitter")
    parser.add_argument("--engine", choices=["local", "ray"], default="local", help="where annotation runs")
    args = parser.parse_args()

    settings = load_settings(nlp_processes=args.processes, nlp_sentences=args.sentences, engine=args.engine)
    stages = Stages.from_settings(settings)
    timings: list[tuple[str, float, float]] = []  # stage, wall seconds, CPU seconds (this process + workers)

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _cpu_seconds()
        yield
        timings.append((name, time.perf_counter() - wall, _cpu_seconds() - cpu))

    with tempfile.TemporaryDirectory() as tmp:
        start, start_cpu = time.perf_counter(), _cpu_seconds()
        with Store.open(str(Path(tmp) / "bench.duckdb")) as store:
            with stage("read + clean + store"):
                read, _ = ingest([args.data], store, progress=False)
            n = len(read.articles)
            with stage(f"analyse on {args.engine} (workers load models) + store"):
                analyse_missing(store, stages.executor, progress=False)
            with stage("group (stored features)"):
                grouping = group_new(store, StreamParams.from_settings(settings), progress=False)
            with stage("fuse (load analyses + fuse)"):
                stories = fuse_stories(
                    grouping.members, grouping.members, store, stages.fuser, progress=False
                )
            with stage("store stories"):
                store.put_stories(stories)
        total, total_cpu = time.perf_counter() - start, _cpu_seconds() - start_cpu

    print(f"corpus: {args.data}")
    print(
        f"articles: {n}, stories: {len(stories)}, rejected: {len(read.rejected)}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'stage':44s} {'seconds':>8s} {'articles/s':>11s} {'share':>6s} {'CPU ms/article':>15s}")
    for name, seconds, cpu in timings:
        rate = n / seconds if seconds else float("inf")
        print(f"{name:44s} {seconds:8.2f} {rate:11.1f} {seconds / total:6.1%} {1000 * cpu / n:15.1f}")
    print(f"{'end to end':44s} {total:8.2f} {n / total:11.1f} {'':6s} {1000 * total_cpu / n:15.1f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: main process {own:.0f} MiB, largest NLP worker {workers:.0f} MiB")


if __name__ == "__main__":
    main()
