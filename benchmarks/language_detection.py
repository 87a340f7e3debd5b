"""Cost of language detection per article, and of loading its model, on a real corpus.

    python benchmarks/language_detection.py [DATA_DIR]

DATA_DIR defaults to ../shared/data/giveme5w1h_news_cluster. The articles are read and cleaned first (not
timed); then each cleaned text goes through `detect_language` three times and the best pass is reported.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from newsfuse.clean import language
from newsfuse.pipeline import read_articles

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    args = parser.parse_args()
    texts = [a.text for a in read_articles([args.data], progress=False).articles]
    language._identifier.cache_clear()
    start = time.perf_counter()
    language._identifier()
    load = time.perf_counter() - start
    best = float("inf")
    found: Counter[str | None] = Counter()
    for _ in range(3):
        start = time.perf_counter()
        found = Counter(language.detect_language(t) for t in texts)
        best = min(best, time.perf_counter() - start)
    print(
        f"{len(texts)} articles, sample {language.SAMPLE_CHARS} characters: model load {load:.2f} s, "
        f"{1000 * best / len(texts):.2f} ms per article; languages {dict(found.most_common())}"
    )


if __name__ == "__main__":
    main()
