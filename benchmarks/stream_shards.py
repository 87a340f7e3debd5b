"""The sharded story stream: K time windows grouped apart, then the deterministic merge, timed and scored.

    python benchmarks/stream_shards.py [--articles N] [--ks 1 2 4] [--repeats R] [--only synthetic|real]
                                       [--idf prefix|window] [--json FILE]

Two streams: the synthetic one of benchmarks/cluster_stream.py (its generator and cached real features,
--articles long, default 100,000, stories retired after --retire-days, default 30 as there), and the real
giveme5w1h_news_cluster set (features as `newsfuse` computes them, read as `newsfuse eval` reads it;
shipped settings). For each, the single stream and, for each K, `group_sharded` (see
src/newsfuse/cluster/shards.py): the windows are run one after another here and each is timed on its own,
so the figures say what K workers would take. Times are CPU seconds of this process (the machine is
shared: wall time would count the other jobs), the least over --repeats runs, single stream and each K
alternating. Printed per K: the document-frequency count (slowest window) and prefix sum, each window's
placement, the merge, the critical path (slowest df count + prefix + slowest window + merge) and its
speed-up over the single stream; stories, window stories merged across a boundary, and B-cubed F1 of the
merged stories against the single stream's and against the gold (synthetic or giveme5w1h) stories.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_stream  # noqa: E402  (the synthetic generator, reused)

from newsfuse.cluster import ArticleFeatures, StreamParams, article_features, publication_order  # noqa: E402
from newsfuse.cluster.shards import IdfMode, group_sharded, place_window  # noqa: E402
from newsfuse.evaluate.cluster_data import giveme5w1h_records, write_jsonl  # noqa: E402
from newsfuse.evaluate.clustering import bcubed, labelled_articles  # noqa: E402

GIVEME = cluster_stream.DATA / "giveme5w1h_news_cluster"


def synthetic(articles: int, seed: int) -> tuple[list[ArticleFeatures], dict[str, int]]:
    terms, embeddings, _ = cluster_stream.load_base(cluster_stream.DEFAULT_INPUTS)
    synth = cluster_stream.SyntheticStream(terms, embeddings, cluster_stream.SynthConfig(seed=seed))
    features, gold = [], {}
    for article, story in synth.articles(articles):
        features.append(article)
        gold[article.id] = story
    return features, gold


def giveme5w1h() -> tuple[list[ArticleFeatures], dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="newsfuse-shards-") as tmp:
        path = Path(tmp) / "giveme5w1h.jsonl"
        write_jsonl(giveme5w1h_records(GIVEME), path)
        read, gold, _ = labelled_articles(path)
    return article_features(publication_order(read.articles)), gold


def measure(
    name: str,
    features: list[ArticleFeatures],
    gold: dict[str, Any],
    params: StreamParams,
    ks: list[int],
    repeats: int,
    idf: IdfMode = "prefix",
) -> dict[str, Any]:
    single_s: list[float] = []
    runs: dict[int, list[Any]] = {k: [] for k in ks}
    single: dict[str, str] = {}
    for _ in range(repeats):
        result = place_window(0, features, params, None)
        single_s.append(result.seconds)
        single = result.stories
        for k in ks:
            runs[k].append(group_sharded(features, k, params, idf=idf))
    reference = min(single_s)
    single_gold = bcubed(single, gold)["f1"]
    print(
        f"\n{name}, IDF {idf}: {len(features):,d} articles, single stream {reference:.2f} s CPU "
        f"({len(features) / reference:,.0f} articles/s), {len(set(single.values())):,d} stories, "
        f"B-cubed F1 against gold {single_gold:.4f}"
    )
    print(
        f"{'K':>2s} {'df s':>6s} {'prefix s':>8s} {'windows s':>24s} {'merge s':>8s} {'critical s':>10s} "
        f"{'speed-up':>8s} {'stories':>8s} {'merged':>7s} {'F1 vs 1':>8s} {'F1 gold':>8s}"
    )
    rows = []
    for k in ks:
        results = runs[k]
        if any(r.stories != results[0].stories for r in results):
            raise AssertionError(f"K={k}: the merge gave different stories in different runs")
        best = min(results, key=lambda r: r.critical_seconds)
        first = results[0]
        df_s = max(best.df_seconds, default=0.0)
        windows_s = [w.seconds for w in best.windows]
        f1_single = bcubed(first.stories, single)["f1"]
        f1_gold = bcubed(first.stories, gold)["f1"]
        row = {
            "k": k,
            "df_seconds": df_s,
            "prefix_seconds": best.prefix_seconds,
            "window_seconds": windows_s,
            "merge_seconds": min(r.merge_seconds for r in results),
            "critical_seconds": best.critical_seconds,
            "speedup": reference / best.critical_seconds,
            "stories": len(set(first.stories.values())),
            "merged": first.merged,
            "retired_unmerged": first.retired_unmerged,
            "f1_vs_single": f1_single,
            "f1_vs_gold": f1_gold,
        }
        rows.append(row)
        print(
            f"{k:2d} {df_s:6.3f} {best.prefix_seconds:8.3f} "
            f"{' '.join(f'{s:.2f}' for s in windows_s):>24s} {row['merge_seconds']:8.3f} "
            f"{best.critical_seconds:10.2f} {row['speedup']:8.2f} {row['stories']:8,d} {first.merged:7,d} "
            f"{f1_single:8.4f} {f1_gold:8.4f}"
            + (f"  ({first.retired_unmerged} retired inside a window)" if first.retired_unmerged else ""),
            flush=True,
        )
    return {
        "name": name,
        "articles": len(features),
        "retire_days": params.retire_days,
        "single_seconds": reference,
        "single_stories": len(set(single.values())),
        "single_f1_vs_gold": single_gold,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="synthetic stream length")
    parser.add_argument("--retire-days", type=float, default=30.0, help="synthetic stream's retire_days")
    parser.add_argument("--seed", type=int, default=cluster_stream.SynthConfig().seed)
    parser.add_argument("--ks", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--only", choices=["synthetic", "real"])
    parser.add_argument(
        "--idf",
        choices=["prefix", "window"],
        default="prefix",
        help="windows start from the earlier windows' document frequencies (default) or from none",
    )
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    started = time.perf_counter()
    sets: list[tuple[str, Callable[[], tuple[list[ArticleFeatures], dict[str, Any]]], StreamParams]] = []
    if args.only != "real":
        sets.append(
            (
                f"synthetic (retire_days {args.retire_days:g})",
                lambda: synthetic(args.articles, args.seed),
                StreamParams(retire_days=args.retire_days),
            )
        )
    if args.only != "synthetic":
        sets.append(("giveme5w1h_news_cluster (shipped settings)", giveme5w1h, StreamParams()))
    figures = []
    for name, load, params in sets:
        features, gold = load()
        figures.append(measure(name, features, gold, params, args.ks, args.repeats, args.idf))
        del features, gold
    print(f"\ntotal wall time {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
