"""Cost of fusing one story of 3, 30 and 300 articles, built from the giveme5w1h articles.

    python benchmarks/fuse_story.py [DATA_DIR] [--sizes 3 30 300] [--repeat 3]

The articles of the set are read, cleaned and annotated once (not timed); a story of N articles is the
first N of them in publication order (repeated, with fresh ids, when N exceeds the set), so the larger
stories mix events as a badly grouped story would, which is the hard case for alignment. Prints the
median wall time of `StoryFuser.fuse` per story and per article, the claims, origins and details it
made, and the peak resident memory. A story of more than 60 articles is fused from its 60 most central
ones (`StoryFuser.max_articles`).
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import time
from pathlib import Path

from newsfuse.fuse import StoryFuser
from newsfuse.fuse.align import embed_sentences
from newsfuse.nlp.pipeline import Annotator
from newsfuse.pipeline import read_articles
from newsfuse.types import Annotated

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


def story_of(annotated: list[Annotated], size: int) -> list[Annotated]:
    out = []
    for i in range(size):
        item = annotated[i % len(annotated)]
        copy = i // len(annotated)
        if copy:
            item = dataclasses.replace(
                item, article=dataclasses.replace(item.article, id=f"{item.article.id}-{copy}")
            )
        out.append(item)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 30, 300])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    read = read_articles([args.data], progress=False)
    annotated = list(Annotator(processes=1).annotate(list(read.articles)))
    embed_sentences(["load the sentence model before timing"])
    fuser = StoryFuser()
    print(f"{len(annotated)} annotated articles from {args.data}")
    print("articles | ms per story (median) | ms per article | claims | origins | details")
    for size in args.sizes:
        story = story_of(annotated, size)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fused = fuser.fuse("bench", story)
            times.append(time.perf_counter() - start)
        median = statistics.median(times) * 1000
        print(
            f"{size:8d} | {median:21.1f} | {median / size:14.2f} | {len(fused.claims):6d} | "
            f"{len(fused.origins):7d} | {len(fused.details):7d}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
