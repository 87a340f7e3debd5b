"""Groups articles that report the same event into stories, as a stream (see `stream`).

`StoryStream` is the online grouper the pipeline keeps between runs; `StoryGrouper.group` runs a fresh
stream over a batch, for evaluation and for callers with all their articles at hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsfuse.cluster.features import ArticleFeatures, article_features
from newsfuse.cluster.order import publication_order, story_id_for, utc
from newsfuse.cluster.stream import Placement, StoryRecord, StoryStream, StreamParams, StreamState
from newsfuse.types import Article

__all__ = [
    "ArticleFeatures",
    "Placement",
    "StoryGrouper",
    "StoryRecord",
    "StoryStream",
    "StreamParams",
    "StreamState",
    "article_features",
    "final_story_ids",
    "merge_redirects",
    "publication_order",
    "story_id_for",
    "utc",
]


def merge_redirects(placements: Iterable[Placement]) -> dict[str, str]:
    """Each story id that placements merged away, and the id it ends up under after later merges."""
    redirect = {old: p.story_id for p in placements for old in p.merged}

    def resolve(story_id: str) -> str:
        while story_id in redirect:
            story_id = redirect[story_id]
        return story_id

    return {old: resolve(new) for old, new in redirect.items()}


def final_story_ids(placements: Iterable[Placement]) -> dict[str, str]:
    """Each placed article's story id after every later merge."""
    placements = list(placements)
    redirects = merge_redirects(placements)
    return {p.article_id: redirects.get(p.story_id, p.story_id) for p in placements}


class StoryGrouper:
    """Groups a batch of articles with a fresh stream, fed in publication order."""

    def __init__(self, params: StreamParams | None = None) -> None:
        self.params = params or StreamParams()

    def group(self, articles: Sequence[Article]) -> dict[str, str]:
        """Map every article id to its story id."""
        stream = StoryStream(self.params)
        return final_story_ids(stream.place_all(article_features(publication_order(articles))))
