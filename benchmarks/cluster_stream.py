"""Story-stream scaling: assignment throughput, per-article latency and memory up to 1,000,000 articles.

    python benchmarks/cluster_stream.py [--quick] [--articles N] [--retire-days D] [--json FILE]
                                        [--memory-detail] [--adopt]

What it measures: `StoryStream.place` alone, one article at a time, on a synthetic stream built from real
articles. The features (terms and MiniLM embeddings) of the real articles in ../shared/data
(giveme5w1h_news_cluster, giveme5w1h_gold_standard, polnear_attribution; about 540 articles) are computed
once and cached under ~/.cache/newsfuse-bench/ (or $XDG_CACHE_HOME), in a child process so that the model
never counts in this process's memory. From them a seeded generator makes synthetic stories:

- a story takes one real article as its seed and varies it: part of the seed's terms, a few terms of
  another real article, a few story-specific name tokens, and the seed's embedding moved by gaussian
  noise (each half renormalised), so that stories drawn from one seed are still different events;
- each article of a story varies the story in turn: ~70% of the story's terms with their counts, a few
  terms from a random real article, the story's embedding plus noise;
- story sizes follow a Zipf law (exponent 2, capped at 1,000; mean about 4.5, most stories 1-3 articles),
  lifetimes are hours to days (longer for bigger stories), stories start as a Poisson process at about
  3,000 articles a day, so 1M articles span about a year, and articles are interleaved in time order.

Articles are generated lazily and the generation is not timed: only `stream.place(...)` is, with
`time.perf_counter_ns` (wall) and `time.thread_time_ns` (this thread's CPU time, which other processes on
a loaded machine do not inflate). At 10k, 100k and 1M articles (those up to --articles; --quick stops at
100k) it prints, for the window since the previous checkpoint and overall: articles per second, p50/p90/
p99/max latency (wall), articles per second and p50/p99 in CPU time, active / opened / retired stories and
resident memory (now and peak). With --memory-detail, every 100k articles, the stream's own estimate of
what each of its structures holds (`StoryStream.memory_usage`) beside the resident memory, so that growth
can be put down to a structure. At the end: a verdict per target (p99 < 10 ms at the largest checkpoint,
>= 1,000 articles/s, peak RSS < 2 GiB, p99 growing no faster than the log of the stream length, first
checkpoint to last; the time verdicts in wall and in CPU time), two informational lines (p99
growth between the last two checkpoints, and p99 per 100k-article block, which shows whether latency
levels off once retirement bounds the active stories), and the B-cubed precision/recall/F1 of the
placements of the first 100k articles against their synthetic stories, so that speed is not bought by
lumping everything together (or by splitting stories apart).

Stories retire after --retire-days, by default the shipped `cluster_retire_days` (730): a year-long stream
then retires nothing and the active set only grows, which is what memory must hold. `--retire-days 30`
shows the stream with retirement bounding the active set (the synthetic stories live days at most).
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import itertools
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse.cluster import ArticleFeatures, Placement, StoryStream, StreamParams, final_story_ids
from newsfuse.cluster.features import EMBEDDING_DIM, MODEL_DIM
from newsfuse.evaluate.clustering import bcubed

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_INPUTS = [
    DATA / "giveme5w1h_news_cluster",
    DATA / "giveme5w1h_gold_standard",
    DATA / "polnear_attribution",
]
CHECKPOINTS = (10_000, 100_000, 1_000_000)
QUALITY_ARTICLES = 100_000  # B-cubed is scored on this many first articles only, to bound memory
MIB = 1024 * 1024

# Targets from the issue.
TARGET_P99_MS = 10.0
TARGET_RATE = 1000.0
TARGET_RSS_MIB = 2048.0
DETAIL_EVERY = 100_000


# ---------------------------------------------------------------- real base features, cached


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsfuse-bench"


def _cache_key(inputs: Sequence[Path]) -> str:
    """Changes whenever an input file or the feature code changes."""
    digest = hashlib.sha256()
    for root in inputs:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            stat = path.stat()
            digest.update(f"{path.relative_to(root.parent)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    import newsfuse.cluster.features as features_module
    import newsfuse.nlp.terms as terms_module

    for module in (features_module, terms_module):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def build_cache(inputs: Sequence[Path], path: Path) -> None:
    """Read and clean the real articles, compute their features, write them to `path` (.npz)."""
    from newsfuse.cluster import article_features
    from newsfuse.pipeline import read_articles

    articles = read_articles([str(p) for p in inputs], progress=False).articles
    start = time.perf_counter()
    features = article_features(articles)
    seconds = time.perf_counter() - start
    print(f"computed features of {len(features)} real articles in {seconds:.1f} s", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp,
        ids=np.array([f.id for f in features]),
        embeddings=np.stack([f.embedding for f in features]).astype(np.float32),
        terms=np.array(json.dumps([f.term_counts for f in features])),
    )
    tmp.replace(path)


def load_base(inputs: Sequence[Path]) -> tuple[list[dict[str, int]], np.ndarray, Path]:
    """Term counts and embeddings of the real articles, from the cache (built first if missing)."""
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise SystemExit(f"input not found: {', '.join(missing)}")
    path = _cache_dir() / f"features-{_cache_key(inputs)}.npz"
    if not path.exists():
        print(f"no cached features at {path}; computing them (MiniLM, about a minute)", flush=True)
        # A child process, so that the model's memory never shows in this process's peak RSS.
        command = [sys.executable, str(Path(__file__).resolve()), "--build-cache", str(path), "--inputs"]
        subprocess.run([*command, *(str(p) for p in inputs)], check=True)
    with np.load(path, allow_pickle=False) as data:
        embeddings = data["embeddings"]
        terms = json.loads(str(data["terms"]))
    return terms, embeddings, path


# ---------------------------------------------------------------- synthetic stream


@dataclass(frozen=True, slots=True)
class SynthConfig:
    seed: int = 20240601
    articles_per_day: float = 3000.0
    zipf_exponent: float = 2.0
    max_story_size: int = 1000
    story_seed_keep: float = 0.6  # share of the seed article's terms a story keeps
    story_donor_terms: int = 8  # terms a story borrows from another real article
    story_names: int = 3  # story-specific name tokens
    name_pool: int = 250_000  # distinct name tokens over the whole stream
    article_keep: float = 0.7  # share of the story's terms an article uses
    article_noise_terms: int = 3  # terms an article borrows from a random real article
    story_noise: float = 1.5  # norm of the gaussian that moves a story away from its seed, per half
    article_noise: float = 1.3  # norm of the gaussian that moves an article away from its story, per half
    lifetime_median_hours: float = 8.0
    start: datetime = datetime(2020, 1, 1)


@dataclass(slots=True)
class _SynthStory:
    terms: list[str]
    counts: list[int]
    embedding: np.ndarray  # float32, each half unit length
    left: int  # articles still to emit


def _unit_halves(vector: np.ndarray) -> np.ndarray:
    head, body = vector[:MODEL_DIM], vector[MODEL_DIM:]
    return np.concatenate([head / np.linalg.norm(head), body / np.linalg.norm(body)]).astype(np.float32)


def _subset(terms: list[str], counts: list[int], keep: np.ndarray) -> dict[str, int]:
    return dict(zip(itertools.compress(terms, keep), itertools.compress(counts, keep), strict=True))


class SyntheticStream:
    """Deterministic, lazily generated articles in time order, each tagged with its synthetic story."""

    def __init__(self, terms: list[dict[str, int]], embeddings: np.ndarray, config: SynthConfig) -> None:
        self.config = config
        self.rng = np.random.default_rng(config.seed)
        self.base_terms = [list(t) for t in terms]
        self.base_counts = [list(t.values()) for t in terms]
        self.base_embeddings = embeddings.astype(np.float32)
        sizes = np.arange(1, config.max_story_size + 1, dtype=np.float64)
        weights = sizes**-config.zipf_exponent
        self.size_cdf = np.cumsum(weights) / weights.sum()
        self.mean_size = float((sizes * weights).sum() / weights.sum())
        # Stories start as a Poisson process whose rate gives `articles_per_day` on average.
        self.mean_gap_s = 86400.0 * self.mean_size / config.articles_per_day
        self.stories_made = 0

    def _story_size(self) -> int:
        return int(np.searchsorted(self.size_cdf, self.rng.random(), side="right")) + 1

    def _make_story(self) -> _SynthStory:
        c, rng, n = self.config, self.rng, len(self.base_terms)
        seed = int(rng.integers(n))
        donor = int(rng.integers(n - 1))
        donor += donor >= seed
        seed_terms, seed_counts = self.base_terms[seed], self.base_counts[seed]
        keep = rng.random(len(seed_terms)) < c.story_seed_keep
        story = _subset(seed_terms, seed_counts, keep)
        donor_terms = self.base_terms[donor]
        if donor_terms:
            for i in rng.choice(len(donor_terms), min(c.story_donor_terms, len(donor_terms)), replace=False):
                story.setdefault(donor_terms[i], int(self.base_counts[donor][i]))
        for name in rng.integers(c.name_pool, size=c.story_names):
            story[f"name{int(name):06d}"] = int(rng.integers(2, 6))
        noise = rng.standard_normal(EMBEDDING_DIM, dtype=np.float32) * (c.story_noise / math.sqrt(MODEL_DIM))
        embedding = _unit_halves(self.base_embeddings[seed] + noise)
        return _SynthStory(list(story), list(story.values()), embedding, 0)

    def _article(self, story: _SynthStory) -> tuple[dict[str, int], np.ndarray]:
        c, rng = self.config, self.rng
        keep = rng.random(len(story.terms)) < c.article_keep
        counts = _subset(story.terms, story.counts, keep)
        other = int(rng.integers(len(self.base_terms)))
        other_terms = self.base_terms[other]
        for i in rng.integers(len(other_terms), size=c.article_noise_terms) if other_terms else ():
            counts.setdefault(other_terms[i], 1)
        noise = rng.standard_normal(EMBEDDING_DIM, dtype=np.float32) * (
            c.article_noise / math.sqrt(MODEL_DIM)
        )
        return counts, _unit_halves(story.embedding + noise)

    def articles(self, limit: int) -> Iterator[tuple[ArticleFeatures, int]]:
        """(features, synthetic story number) for `limit` articles, in publication order."""
        c, rng = self.config, self.rng
        pending: list[tuple[float, int, int]] = []  # (seconds since start, tie-break, story number)
        live: dict[int, _SynthStory] = {}
        next_start = 0.0
        order = itertools.count()
        for emitted in range(limit):
            while not pending or next_start <= pending[0][0]:
                number = self.stories_made
                self.stories_made += 1
                story = live[number] = self._make_story()
                size = story.left = self._story_size()
                hours = c.lifetime_median_hours * math.exp(0.8 * rng.standard_normal()) * (1 + math.log(size))
                lifetime_s = min(max(hours, 1.0), 7 * 24.0) * 3600.0
                heapq.heappush(pending, (next_start, next(order), number))
                for offset in rng.random(size - 1) * lifetime_s:
                    heapq.heappush(pending, (next_start + float(offset), next(order), number))
                next_start += float(rng.exponential(self.mean_gap_s))
            at, _, number = heapq.heappop(pending)
            story = live[number]
            story.left -= 1
            if not story.left:
                del live[number]
            counts, embedding = self._article(story)
            published = c.start + timedelta(seconds=at)
            yield ArticleFeatures(f"a{emitted:07d}", published, counts, embedding), number


# ---------------------------------------------------------------- measuring


def _rss_mib() -> tuple[float, float]:
    """Resident memory now and at peak (MiB) of this process."""
    now = peak = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    now = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    max_rss_mib = max_rss / MIB if sys.platform == "darwin" else max_rss / 1024
    return now or max_rss_mib, max(peak, max_rss_mib)


def _latency_stats(ns: np.ndarray) -> dict[str, float]:
    p50, p90, p99 = np.percentile(ns, [50, 90, 99]) / 1e6
    total_s = float(ns.sum()) / 1e9
    return {
        "count": int(len(ns)),
        "seconds": total_s,
        "rate": len(ns) / total_s if total_s else float("inf"),
        "p50_ms": float(p50),
        "p90_ms": float(p90),
        "p99_ms": float(p99),
        "max_ms": float(ns.max()) / 1e6,
        "mean_ms": float(ns.mean()) / 1e6,
    }


def _quality(placed: dict[str, str], merges: list[Placement], gold: dict[str, int]) -> dict[str, float]:
    """B-cubed of the placements (after every merge so far) against the synthetic stories."""
    placements = [Placement(a, s, opened=False) for a, s in placed.items()]
    predicted = final_story_ids(placements + merges)
    scores = bcubed(predicted, gold)
    scores["articles"] = len(gold)
    scores["predicted_stories"] = len(set(predicted[a] for a in gold))
    scores["gold_stories"] = len(set(gold.values()))
    return scores


HEADER = (
    f"{'articles':>9s} {'scope':>7s} {'art/s':>8s} {'p50 ms':>7s} {'p90 ms':>7s} {'p99 ms':>7s} "
    f"{'max ms':>8s} {'cpu a/s':>8s} {'cpu p50':>7s} {'cpu p99':>7s} "
    f"{'active':>7s} {'opened':>8s} {'retired':>8s} {'RSS MiB':>8s} {'peak MiB':>8s} {'wall s':>7s}"
)


def _row(
    n: int,
    scope: str,
    s: dict[str, float],
    c: dict[str, float],
    counts: tuple[int, int, int],
    rss: tuple[float, float],
    wall: float,
) -> str:
    active, opened, retired = counts
    return (
        f"{n:9,d} {scope:>7s} {s['rate']:8.0f} {s['p50_ms']:7.3f} {s['p90_ms']:7.3f} {s['p99_ms']:7.3f} "
        f"{s['max_ms']:8.1f} {c['rate']:8.0f} {c['p50_ms']:7.3f} {c['p99_ms']:7.3f} "
        f"{active:7,d} {opened:8,d} {retired:8,d} {rss[0]:8.0f} {rss[1]:8.0f} {wall:7.0f}"
    )


def _memory_line(n: int, stream: StoryStream, base_rss: float, block: np.ndarray) -> dict[str, Any]:
    """The stream's estimate of each structure's bytes beside the growth of resident memory, and the CPU
    time of the block of articles since the last such line."""
    parts = stream.memory_usage()
    rss = _rss_mib()[0]
    accounted = sum(parts.values()) / MIB
    per_story = sum(parts.values()) / max(stream.active_stories, 1)
    cpu = _latency_stats(block)
    print(
        f"block to {n:,d}: {cpu['rate']:.0f} articles per CPU second, CPU p50 {cpu['p50_ms']:.3f} ms, "
        f"p99 {cpu['p99_ms']:.3f} ms; {stream.active_stories:,d} active stories",
        flush=True,
    )
    print(
        f"memory at {n:,d}: RSS {rss:.0f} MiB, {rss - base_rss:.0f} over the start; the stream's estimate "
        f"{accounted:.0f} MiB ({per_story:,.0f} B a story): "
        + ", ".join(f"{name} {b / MIB:.0f}" for name, b in parts.items())
        + f"; unaccounted {rss - base_rss - accounted:.0f} MiB",
        flush=True,
    )
    return {
        "articles": n,
        "rss_mib": rss,
        "parts_bytes": parts,
        "unaccounted_mib": rss - base_rss - accounted,
        "block_cpu": cpu,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    inputs = [Path(p) for p in args.inputs] if args.inputs else DEFAULT_INPUTS
    terms, embeddings, cache = load_base(inputs)
    total = args.articles
    limits = CHECKPOINTS[:2] if args.quick else CHECKPOINTS
    checkpoints = [c for c in limits if c <= total]
    if args.quick:
        total = min(total, CHECKPOINTS[1])
        checkpoints = [c for c in checkpoints if c <= total]
    if not checkpoints or checkpoints[-1] != total:
        checkpoints.append(total)
    quality_n = min(QUALITY_ARTICLES, total)

    params = StreamParams() if args.retire_days is None else StreamParams(retire_days=args.retire_days)
    synth = SyntheticStream(terms, embeddings, SynthConfig(seed=args.seed))
    base_rss = _rss_mib()
    print(f"real base articles: {len(terms)} (features cached at {cache})")
    print(
        f"synthetic stream: {total:,d} articles, ~{synth.config.articles_per_day:,.0f}/day "
        f"(~{total / synth.config.articles_per_day:,.0f} days), mean story size {synth.mean_size:.2f}, "
        f"seed {args.seed}"
    )
    print(
        f"stream params: retire_days={params.retire_days:g} "
        f"(shipped default {StreamParams().retire_days:g}), "
        f"threshold={params.threshold}, candidates={params.candidates}, story_terms={params.story_terms}"
    )
    print(f"RSS before streaming: {base_rss[0]:.0f} MiB (imports, base features)")
    print(HEADER, flush=True)

    stream = StoryStream(params)
    latencies = np.empty(total, dtype=np.int64)
    cpu = np.empty(total, dtype=np.int64)
    memory: list[dict[str, Any]] = []
    # Kept compact (strings only) so that the garbage collector, which runs inside the timed calls,
    # does not have 100k extra objects to walk.
    predicted: dict[str, str] = {}
    merges: list[Placement] = []
    gold: dict[str, int] = {}
    quality: dict[str, float] | None = None
    retired = opened = 0
    previous = 0
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    place = stream.place
    clock = time.perf_counter_ns
    cpu_clock = time.thread_time_ns
    for i, (article, story_number) in enumerate(synth.articles(total)):
        c0 = cpu_clock()
        t0 = clock()
        placement = place(article)
        latencies[i] = clock() - t0
        cpu[i] = cpu_clock() - c0
        opened += placement.opened
        if i < quality_n:
            predicted[article.id] = placement.story_id
            gold[article.id] = story_number
            if placement.merged:
                merges.append(placement)
        n = i + 1
        if n % 1000 == 0 or n == total:
            retired += len(stream.take_retired())
        if n == quality_n:
            quality = _quality(predicted, merges, gold)
            predicted.clear()  # not held through the rest of the stream, where they would count in RSS
            merges.clear()
            gold.clear()
        if args.memory_detail and (n % DETAIL_EVERY == 0 or n == total):
            since = cpu[(n - 1) // DETAIL_EVERY * DETAIL_EVERY : n]
            memory.append(_memory_line(n, stream, base_rss[0], since))
        if n in checkpoints:
            wall = time.perf_counter() - started
            rss = _rss_mib()
            active = stream.active_stories
            for scope, start in (("window", previous), ("all", 0)):
                stats = _latency_stats(latencies[start:n])
                cpu_stats = _latency_stats(cpu[start:n])
                if scope == "all" and previous == 0:
                    continue
                print(_row(n, scope, stats, cpu_stats, (active, opened, retired), rss, wall), flush=True)
                rows.append(
                    {
                        "articles": n,
                        "scope": scope,
                        "from": start,
                        **stats,
                        "cpu": cpu_stats,
                        "active_stories": active,
                        "stories_opened": opened,
                        "stories_retired": retired,
                        "rss_mib": rss[0],
                        "peak_rss_mib": rss[1],
                        "wall_s": wall,
                    }
                )
            previous = n
    if quality is None:
        raise AssertionError("quality is scored once the stream reaches its first articles")

    # Verdicts.
    windows = {r["articles"]: r for r in rows if r["scope"] == "window"}
    largest = windows[max(windows)]
    overall = next((r for r in rows if r["scope"] == "all" and r["articles"] == total), largest)
    peak = max(r["peak_rss_mib"] for r in rows)
    verdicts: list[dict[str, Any]] = [
        {
            "target": f"p99 latency < {TARGET_P99_MS:g} ms at {largest['articles']:,d} articles",
            "value": largest["p99_ms"],
            "ok": largest["p99_ms"] < TARGET_P99_MS,
        },
        {
            "target": f"p99 CPU time < {TARGET_P99_MS:g} ms at {largest['articles']:,d} articles",
            "value": largest["cpu"]["p99_ms"],
            "ok": largest["cpu"]["p99_ms"] < TARGET_P99_MS,
        },
        {
            "target": f">= {TARGET_RATE:,.0f} articles/s (clustering alone, all {total:,d} articles)",
            "value": overall["rate"],
            "ok": overall["rate"] >= TARGET_RATE,
        },
        {
            "target": f">= {TARGET_RATE:,.0f} articles per CPU second (all {total:,d} articles)",
            "value": overall["cpu"]["rate"],
            "ok": overall["cpu"]["rate"] >= TARGET_RATE,
        },
        {"target": f"peak RSS < {TARGET_RSS_MIB:,.0f} MiB", "value": peak, "ok": peak < TARGET_RSS_MIB},
    ]
    first = windows[min(windows)]
    if largest is not first:
        ratio = largest["p99_ms"] / first["p99_ms"]
        log_ratio = math.log(largest["articles"]) / math.log(first["articles"])
        verdicts.append(
            {
                "target": (
                    f"p99 growth {first['articles']:,d} -> {largest['articles']:,d} no worse than "
                    f"logarithmic (ratio <= {log_ratio:.2f})"
                ),
                "value": ratio,
                "ok": ratio <= log_ratio,
            }
        )
    # How latency moves along the stream: once retirement bounds the active set it should level off.
    block = 100_000 if total >= 200_000 else max(total // 10, 1)
    blocks = [
        (start, float(np.percentile(latencies[start : start + block], 99)) / 1e6)
        for start in range(0, total, block)
    ]
    print()
    for v in verdicts:
        print(f"{'PASS' if v['ok'] else 'FAIL'}  {v['target']}: {v['value']:.3f}")
    if len(windows) >= 3:
        middle = windows[sorted(windows)[-2]]
        print(
            f"info  p99 growth {middle['articles']:,d} -> {largest['articles']:,d}: "
            f"{largest['p99_ms'] / middle['p99_ms']:.3f} "
            f"(log ratio {math.log(largest['articles']) / math.log(middle['articles']):.2f})"
        )
    print(f"info  p99 ms per {block:,d}-article block: " + " ".join(f"{p99:.2f}" for _, p99 in blocks))
    print(
        f"grouping sanity on the first {quality['articles']:,.0f} articles: B-cubed "
        f"P {quality['precision']:.3f} R {quality['recall']:.3f} F1 {quality['f1']:.3f} "
        f"({quality['predicted_stories']:,.0f} stories found, {quality['gold_stories']:,.0f} synthetic)"
    )
    print(f"total wall time {time.perf_counter() - started:.0f} s (generation included)", flush=True)
    return {
        "articles": total,
        "retire_days": params.retire_days,
        "seed": args.seed,
        "base_articles": len(terms),
        "rss_before_mib": base_rss[0],
        "rows": rows,
        "p99_ms_by_block": {"block": block, "p99_ms": [p99 for _, p99 in blocks]},
        "verdicts": verdicts,
        "memory_detail": memory,
        "bcubed_first_articles": quality,
    }


def run_adopted(args: argparse.Namespace) -> dict[str, Any]:
    """Memory only: each synthetic article is added to its own synthetic story with `StoryStream.adopt`,
    which skips the search and the scoring, so a million articles' stories are built in minutes rather
    than the hour placing them takes on a loaded machine. The stories are the synthetic truth, which the
    placements match to B-cubed F1 0.99 (the run without this flag prints it), so the state is the one a
    placed stream of that length holds, give or take the stories it splits. No time figures."""
    inputs = [Path(p) for p in args.inputs] if args.inputs else DEFAULT_INPUTS
    terms, embeddings, _ = load_base(inputs)
    total = args.articles
    params = StreamParams() if args.retire_days is None else StreamParams(retire_days=args.retire_days)
    synth = SyntheticStream(terms, embeddings, SynthConfig(seed=args.seed))
    base_rss = _rss_mib()
    print(f"adopting {total:,d} synthetic articles into their synthetic stories (no scoring)")
    print(f"RSS before streaming: {base_rss[0]:.0f} MiB (imports, base features)", flush=True)
    stream = StoryStream(params)
    memory: list[dict[str, Any]] = []
    started = time.perf_counter()
    for i, (article, story_number) in enumerate(synth.articles(total)):
        stream.adopt(f"synthetic-{story_number}", article)
        n = i + 1
        if n % DETAIL_EVERY == 0 or n == total:
            parts = stream.memory_usage()
            rss = _rss_mib()
            accounted = sum(parts.values()) / MIB
            print(
                f"{n:9,d} articles: {stream.active_stories:,d} stories, RSS {rss[0]:.0f} MiB "
                f"(peak {rss[1]:.0f}), {rss[0] - base_rss[0]:.0f} over the start; the stream's estimate "
                f"{accounted:.0f} MiB ({sum(parts.values()) / max(stream.active_stories, 1):,.0f} B a "
                "story): "
                + ", ".join(f"{name} {b / MIB:.0f}" for name, b in parts.items())
                + f"; {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            memory.append(
                {
                    "articles": n,
                    "stories": stream.active_stories,
                    "rss_mib": rss[0],
                    "peak_rss_mib": rss[1],
                    "parts_bytes": parts,
                }
            )
    peak = max(m["peak_rss_mib"] for m in memory)
    print(f"{'PASS' if peak < TARGET_RSS_MIB else 'FAIL'}  peak RSS < {TARGET_RSS_MIB:,.0f} MiB: {peak:.0f}")
    return {"articles": total, "mode": "adopt", "rss_before_mib": base_rss[0], "memory_detail": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=CHECKPOINTS[-1], help="stream length")
    parser.add_argument("--quick", action="store_true", help="stop at 100,000 articles")
    parser.add_argument(
        "--retire-days",
        type=float,
        default=None,
        help=f"StreamParams.retire_days (default: the shipped {StreamParams().retire_days:g})",
    )
    parser.add_argument(
        "--memory-detail",
        action="store_true",
        help=f"every {DETAIL_EVERY:,d} articles, print what each of the stream's structures holds",
    )
    parser.add_argument("--seed", type=int, default=SynthConfig().seed, help="seed of the synthetic stream")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    parser.add_argument(
        "--inputs", nargs="*", help="real article folders (default: three sets in shared/data)"
    )
    parser.add_argument(
        "--adopt",
        action="store_true",
        help="memory only: build the synthetic stories with StoryStream.adopt (no search, no scoring)",
    )
    parser.add_argument("--build-cache", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_cache:
        build_cache([Path(p) for p in args.inputs or DEFAULT_INPUTS], Path(args.build_cache))
        return
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    figures = run_adopted(args) if args.adopt else run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
