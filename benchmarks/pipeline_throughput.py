"""Throughput of the whole pipeline, stage by stage, on a real corpus.

    python benchmarks/pipeline_throughput.py [DATA_DIR] [--processes N] [--engine local|ray]

DATA_DIR defaults to ../shared/data/giveme5w1h_news_cluster (383 news-please articles). Prints articles per
second for each stage and end to end, and peak resident memory of this process and of the NLP workers.
The end-to-end figure includes loading the spaCy model and starting its worker processes.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from newsfuse.cluster import StreamParams
from newsfuse.cluster.features import embed
from newsfuse.config import load_settings
from newsfuse.pipeline import Stages, annotate_missing, fuse_stories, group_new, ingest
from newsfuse.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--processes", type=int, default=0, help="NLP worker processes (0 = one per core)")
    parser.add_argument("--sentences", choices=["model", "rules"], default="model", help="sentence splitter")
    parser.add_argument("--engine", choices=["local", "ray"], default="local", help="where annotation runs")
    args = parser.parse_args()

    settings = load_settings(nlp_processes=args.processes, nlp_sentences=args.sentences, engine=args.engine)
    stages = Stages.from_settings(settings)
    timings: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with Store.open(str(Path(tmp) / "bench.duckdb")) as store:
            t = time.perf_counter()
            read, _ = ingest([args.data], store, progress=False)
            timings.append(("read + clean + store", time.perf_counter() - t))
            n = len(read.articles)

            t = time.perf_counter()
            annotate_missing(store, stages.executor, progress=False)
            timings.append(
                (
                    f"annotate on the {args.engine} executor (workers load models) + store",
                    time.perf_counter() - t,
                )
            )

            t = time.perf_counter()
            embed(["load the sentence-embedding model here, so its cost is reported on its own"])
            timings.append(("load embedding model", time.perf_counter() - t))

            t = time.perf_counter()
            grouping = group_new(store, StreamParams.from_settings(settings), progress=False)
            timings.append(("group (embed + place)", time.perf_counter() - t))

            t = time.perf_counter()
            stories = fuse_stories(grouping.members, grouping.members, store, stages.fuser, progress=False)
            timings.append(("fuse (load annotations + fuse)", time.perf_counter() - t))

            t = time.perf_counter()
            store.put_stories(stories)
            timings.append(("store stories", time.perf_counter() - t))
        total = time.perf_counter() - start

    print(f"corpus: {args.data}")
    print(f"articles: {n}, stories: {len(stories)}, rejected: {len(read.rejected)}")
    print(f"{'stage':38s} {'seconds':>8s} {'articles/s':>11s} {'share':>6s}")
    for name, seconds in timings:
        rate = n / seconds if seconds else float("inf")
        print(f"{name:38s} {seconds:8.2f} {rate:11.1f} {seconds / total:6.1%}")
    print(f"{'end to end':38s} {total:8.2f} {n / total:11.1f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: main process {own:.0f} MiB, largest NLP worker {workers:.0f} MiB")


if __name__ == "__main__":
    main()
