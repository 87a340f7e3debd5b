"""Cost of finding and resolving time expressions, per article, on a real corpus.

    python benchmarks/timex_speed.py [DATA_DIR] [--repeat N]

DATA_DIR defaults to ../shared/data/giveme5w1h_news_cluster (news-please articles, read and cleaned as the
pipeline does). Prints the milliseconds per article of `find_timexes` (every pattern, normalisation and
anchoring, with the dateline read): CPU time of this process over the whole corpus (what a busy shared
machine disturbs least) and wall-clock mean, median and 95th percentile, the part spent in normalisation
and anchoring alone, and expressions and characters per article. Best of N passes; the load average is
printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from newsfuse.nlp.timex import extract, find_timexes
from newsfuse.pipeline import read_articles

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus; the best is kept")
    args = parser.parse_args()

    articles = read_articles([args.data], progress=False).articles
    texts = [(a.text, a.published) for a in articles]
    rules = extract.RULES
    best: list[float] = []
    normalising = 0.0
    cpu = float("inf")
    for _ in range(args.repeat):
        spent = [0.0]
        originals = [(rule, rule.normalise) for rule in rules]

        def timed(fn, spent=spent):  # type: ignore[no-untyped-def]
            def call(m, ctx):  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                try:
                    return fn(m, ctx)
                finally:
                    spent[0] += time.perf_counter() - t

            return call

        # Timing pass for the normalisation share (rules are frozen dataclasses: swap through object).
        for rule, fn in originals:
            object.__setattr__(rule, "normalise", timed(fn))
        for text, published in texts:
            find_timexes(text, published)
        for rule, fn in originals:
            object.__setattr__(rule, "normalise", fn)
        # Clean pass for the per-article figures.
        per_article = []
        cpu_start = time.process_time()
        for text, published in texts:
            t = time.perf_counter()
            find_timexes(text, published)
            per_article.append(1000 * (time.perf_counter() - t))
        cpu = min(cpu, 1000 * (time.process_time() - cpu_start) / len(texts))
        if not best or sum(per_article) < sum(best):
            best, normalising = per_article, 1000 * spent[0]
    found = sum(len(find_timexes(text, published)) for text, published in texts)
    chars = sum(len(text) for text, _ in texts)
    n = len(texts)
    ordered = sorted(best)
    print(f"{n} articles, {chars / n:,.0f} characters and {found / n:.1f} time expressions per article")
    print(f"find_timexes: {cpu:.3f} ms CPU per article (load average {os.getloadavg()[0]:.1f})")
    print(
        f"wall clock: mean {statistics.mean(best):.3f} ms, median {statistics.median(best):.3f} ms, "
        f"p95 {ordered[int(0.95 * (n - 1))]:.3f} ms, max {ordered[-1]:.3f} ms per article"
    )
    print(f"of which normalisation and anchoring: {normalising / n:.3f} ms per article")


if __name__ == "__main__":
    main()
