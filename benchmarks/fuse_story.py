"""Cost of fusing one story of 3, 30 and 300 articles, built from the giveme5w1h articles.

    python benchmarks/fuse_story.py [DATA_DIR] [--sizes 3 30 300] [--repeat 3]

The articles of the set are read, cleaned and annotated once (not timed); a story of N articles is the
first N of them in publication order (repeated, with fresh ids, when N exceeds the set), so the larger
stories mix events as a badly grouped story would, which is the hard case for alignment. Prints the
median wall time of `StoryFuser.fuse` per story and per article, the claims, origins and details it
made, and the peak resident memory. A story of more than 60 articles is fused from its 60 most central
ones (`StoryFuser.max_articles`).

Conflict detection (`fuse.conflicts.claim_conflicts` on each claim, then `story_tolls` across the claims,
as they run inside `fuse`) is timed again on its own over the fused story's claims, as fusion calls it,
and printed with its share of the fusion time and the milliseconds of `story_tolls` among them.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import time
from pathlib import Path

from newsfuse.fuse import StoryFuser, relate
from newsfuse.fuse.align import embed_sentences
from newsfuse.fuse.conflicts import Member, claim_conflicts, day_dates, story_tolls
from newsfuse.fuse.quantities import quantities
from newsfuse.nlp.pipeline import Annotator
from newsfuse.pipeline import read_articles
from newsfuse.types import Annotated, Story

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


def conflict_seconds(story: Story, items: list[Annotated]) -> tuple[float, float]:
    """Time of conflict detection over the story's claims, given their sentences as fusion gives them,
    and the part of it that compares tolls across claims (`story_tolls`)."""
    by_id = {x.article.id: x for x in items}
    claims = []
    for claim in story.claims:
        members = []
        for s in claim.support:
            item = by_id[s.citation.article_id]
            c = s.citation
            days = day_dates(item.timexes, c.start, c.end, item.article.text)
            members.append(
                Member(c, item.article.text[c.start : c.end], item.article.published, s.origin, days)
            )
        claims.append(members)
    # Cold, as inside `fuse`: the figure and negation readers memoise per sentence.
    quantities.cache_clear()
    relate._polarity.cache_clear()
    relate.dated_elsewhere.cache_clear()
    start = time.perf_counter()
    taken = set()
    for c, members in enumerate(claims):
        _, found = claim_conflicts(members)
        on_sides = {
            x
            for conflict in found
            if conflict.kind == "number"
            for side in conflict.sides
            for x in side.citations
        }
        taken.update((c, m) for m, member in enumerate(members) if member.citation in on_sides)
    across = time.perf_counter()
    story_tolls(claims, taken)
    end = time.perf_counter()
    return end - start, end - across


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 30, 300])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    read = read_articles([args.data], progress=False)
    annotated = list(Annotator().annotate(list(read.articles)))
    embed_sentences(["load the sentence model before timing"])
    fuser = StoryFuser()
    print(f"{len(annotated)} annotated articles from {args.data}")
    print("articles | ms per story (median) | ms per article | claims | origins | details | conflicts ms")
    for size in args.sizes:
        story = story_of(annotated, size)
        times, conflict_times, across_times = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fused = fuser.fuse("bench", story)
            times.append(time.perf_counter() - start)
            total, across = conflict_seconds(fused, story)
            conflict_times.append(total)
            across_times.append(across)
        median = statistics.median(times) * 1000
        conflicts_ms = statistics.median(conflict_times) * 1000
        print(
            f"{size:8d} | {median:21.1f} | {median / size:14.2f} | {len(fused.claims):6d} | "
            f"{len(fused.origins):7d} | {len(fused.details):7d} | {conflicts_ms:8.1f} "
            f"({conflicts_ms / median:.1%}; across claims {statistics.median(across_times) * 1000:.1f}; "
            f"{len(fused.conflicts)} conflicts)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
