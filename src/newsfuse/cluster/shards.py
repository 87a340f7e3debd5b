"""The story stream sharded by publication time: K windows grouped apart, then one deterministic merge.

One `StoryStream` is sequential by design. When one is not enough, the time-ordered stream is cut into K
consecutive publication-time windows of about equal size, each grouped by a stream of its own (on K
cores or machines; nothing is shared while they run), and the windows' stories are then merged in one
sequential pass:

- windows in time order, and each window's stories in the order of their first article;
- each story is scored against the merged stories still open when it starts (quiet ones retire as in
  the stream) with the stream's own story-to-story merge score (`StoryStream.match_story`), and joins the
  best one when the score reaches `merge_threshold`; stories of its own window are never candidates
  (the window's stream already compared those), so a window's unmatched stories are added after it;
- the merged story keeps the earlier story's id, as the stream's own merge does.

The result depends only on the input and K, not on where or in which order the windows ran.

IDF: the stream weighs an article's terms by the document frequencies of the articles before it. A
window's stream would see only its window, so before placing, each window counts its terms' document
frequencies (in parallel), the counts are summed over the windows before each one (cheap, sequential),
and each window's stream starts from those counts (`StreamState.document_frequency`). Every article's
TF-IDF vector is then the single stream's, exactly; `idf="window"` skips this, for comparison.

What differs from the single stream: a story that continues across a boundary is joined at the story
bar (`merge_threshold`) rather than article by article at `threshold`, and a story retired inside its
window (only when a window spans more than `retire_days`) is not offered to the merge (counted as
`retired_unmerged`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from newsfuse.cluster.features import ArticleFeatures
from newsfuse.cluster.stream import StoryRecord, StoryStream, StreamParams, StreamState

IdfMode = Literal["prefix", "window"]
# How the windows' work runs: the builtin `map` (one after another, here) or any map with its
# semantics, such as a process pool's (the arguments and results pickle).
MapFn = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]


@dataclass(frozen=True, slots=True)
class WindowResult:
    """One window's grouping: each article's story (after the window's own merges) and open stories."""

    index: int
    stories: dict[str, str]  # article id -> story id within the window
    open_stories: list[StoryRecord]  # open at the window's end, in order of first article
    retired: int  # stories retired inside the window
    seconds: float  # placement time (CPU seconds of the process that ran it)


@dataclass(frozen=True, slots=True)
class ShardedResult:
    stories: dict[str, str]  # article id -> merged story id
    windows: list[WindowResult]
    df_seconds: list[float]  # counting each window's document frequencies (parallel)
    prefix_seconds: float  # summing them into each window's starting counts (sequential)
    merge_seconds: float  # the merge (sequential)
    merged: int  # window stories merged into an earlier window's story
    retired_unmerged: int

    @property
    def critical_seconds(self) -> float:
        """The run's duration with one worker per window: the slowest of each parallel step, plus the rest."""
        longest_df = max(self.df_seconds, default=0.0)
        return longest_df + self.prefix_seconds + max(w.seconds for w in self.windows) + self.merge_seconds


def split_windows(articles: Sequence[ArticleFeatures], k: int) -> list[list[ArticleFeatures]]:
    """K consecutive windows of a time-ordered stream, of about equal article counts (never empty)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    k = min(k, max(len(articles), 1))
    bounds = [round(i * len(articles) / k) for i in range(k + 1)]
    return [list(articles[bounds[i] : bounds[i + 1]]) for i in range(k)]


def document_frequencies(articles: Sequence[ArticleFeatures]) -> Counter[str]:
    """In how many of the articles each term occurs (the stream counts a term once an article)."""
    df: Counter[str] = Counter()
    for article in articles:
        df.update(article.term_counts.keys())
    return df


def starting_states(window_df: Sequence[Counter[str]], sizes: Sequence[int]) -> list[StreamState | None]:
    """Each window's starting state: the document frequencies and article count of the windows before it."""
    states: list[StreamState | None] = [None]
    running: Counter[str] = Counter()
    seen = 0
    for df, size in zip(window_df[:-1], sizes[:-1], strict=True):
        running.update(df)
        seen += size
        states.append(StreamState(articles_seen=seen, document_frequency=dict(running)))
    return states


def place_window(
    index: int, articles: Sequence[ArticleFeatures], params: StreamParams, start: StreamState | None
) -> WindowResult:
    """Group one window with a stream of its own (it needs nothing from the other windows)."""
    started = time.process_time()
    stream = StoryStream(params, start)
    stories: dict[str, str] = {}
    redirect: dict[str, str] = {}
    retired = 0
    for article in articles:
        placement = stream.place(article)
        stories[article.id] = placement.story_id
        for old in placement.merged:
            redirect[old] = placement.story_id
        retired += len(stream.take_retired())
    for article_id, story_id in stories.items():
        while story_id in redirect:
            story_id = redirect[story_id]
        stories[article_id] = story_id
    open_stories = stream.state().stories  # sorted by opening rank: the order of first articles
    return WindowResult(index, stories, open_stories, retired, time.process_time() - started)


_Job = tuple[int, list[ArticleFeatures], StreamParams, StreamState | None]


def _place_window_args(args: _Job) -> WindowResult:
    return place_window(*args)


def _df_timed(articles: list[ArticleFeatures]) -> tuple[Counter[str], float]:
    started = time.process_time()
    return document_frequencies(articles), time.process_time() - started


def merge_windows(
    windows: Sequence[WindowResult], params: StreamParams
) -> tuple[dict[str, str], int, int, float]:
    """Merge the windows' stories in time order. Out: article -> story, merges, stories not offered, CPU s."""
    started = time.process_time()
    merger = StoryStream(params)
    into: dict[str, str] = {}  # a window story's id -> the merged story that holds it
    merged = 0
    ordered = sorted(windows, key=lambda w: w.index)
    for window in ordered:
        pending: list[StoryRecord] = []
        for record in window.open_stories:
            target = merger.match_story(record)
            if target is None:
                pending.append(record)
            else:
                into[record.id] = merger.add_story(record, into=target)
                merged += 1
        if window is not ordered[-1]:  # no window comes after the last to meet its stories
            for record in pending:
                merger.add_story(record)
        merger.take_retired()  # the merger's retirements only bound its candidates
    # A story the first window retired could not have met an earlier one; a later window's could.
    later = [w for w in windows if w.index > 0]
    open_ids = {r.id for w in later for r in w.open_stories}
    retired_unmerged = len({s for w in later for s in w.stories.values()} - open_ids)
    stories = {a: into.get(s, s) for w in windows for a, s in w.stories.items()}
    return stories, merged, retired_unmerged, time.process_time() - started


def group_sharded(
    articles: Sequence[ArticleFeatures],
    k: int,
    params: StreamParams | None = None,
    idf: IdfMode = "prefix",
    map_fn: MapFn = map,
) -> ShardedResult:
    """Group a time-ordered stream as K windows placed apart (through `map_fn`) and merged."""
    params = params or StreamParams()
    windows = split_windows(articles, k)
    if idf == "prefix":
        counted: list[tuple[Counter[str], float]] = list(map_fn(_df_timed, windows))
        df_seconds = [seconds for _, seconds in counted]
        started = time.process_time()
        starts = starting_states([df for df, _ in counted], [len(w) for w in windows])
        prefix_seconds = time.process_time() - started
    else:
        df_seconds, prefix_seconds = [], 0.0
        starts = [None for _ in windows]
    jobs = [(i, w, params, s) for i, (w, s) in enumerate(zip(windows, starts, strict=True))]
    placed: list[WindowResult] = list(map_fn(_place_window_args, jobs))
    stories, merged, retired_unmerged, merge_seconds = merge_windows(placed, params)
    return ShardedResult(stories, placed, df_seconds, prefix_seconds, merge_seconds, merged, retired_unmerged)
