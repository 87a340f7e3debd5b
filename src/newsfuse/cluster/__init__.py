"""Groups articles that report the same event into stories.

The method is a single pass in publication order over TF-IDF vectors of each article's content terms
(the headline counted twice, since it names the event): an article joins the story whose centroid is most
similar, if that similarity reaches the threshold and the story saw an article within the time window;
otherwise it opens a new story. A story's id derives from its first article's id, so the same input gives
the same ids on every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from newsfuse.config import DEFAULTS
from newsfuse.nlp.terms import terms, tfidf
from newsfuse.types import Article


def story_id_for(founder_article_id: str) -> str:
    """The id of the story that `founder_article_id` opened."""
    return "s" + hashlib.sha256(f"story:{founder_article_id}".encode()).hexdigest()[:15]


def article_terms(article: Article) -> list[str]:
    title = terms(article.title)
    return title + title + terms(article.text)


def publication_order(articles: Sequence[Article]) -> list[Article]:
    """Articles by publication time (unknown times last), ties by id: the order stories are built in."""
    return sorted(articles, key=lambda a: (a.published is None, utc(a.published) or datetime.min, a.id))


def utc(moment: datetime | None) -> datetime | None:
    """A time as naive UTC, so that times with and without a zone compare (zoneless counts as UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def keep_given_ids(assignment: dict[str, str], previous: dict[str, str]) -> dict[str, str]:
    """Rename today's groups to the story ids their articles already had, so a given id survives.

    Without this, an article that sorts before a story's first article (an older report arriving late)
    would found the group again and change its id. Each group takes the previous id most of its
    articles carried; a previous id goes to one group only (the largest), and a group with no previous
    id keeps its fresh one.
    """
    members: dict[str, list[str]] = {}
    for article_id, story_id in assignment.items():
        members.setdefault(story_id, []).append(article_id)
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    for story_id, articles in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        votes: dict[str, int] = {}
        for article_id in articles:
            if article_id in previous:
                votes[previous[article_id]] = votes.get(previous[article_id], 0) + 1
        ranked = sorted((v for v in votes if v not in taken), key=lambda v: (-votes[v], v))
        new_id = ranked[0] if ranked else story_id
        taken.add(new_id)
        renamed[story_id] = new_id
    return {article_id: renamed[story_id] for article_id, story_id in assignment.items()}


@dataclass
class _StoryState:
    id: str
    vector_sum: np.ndarray
    last_seen: datetime | None


class StoryGrouper:
    """Assigns articles to stories.

    threshold: minimum cosine similarity between an article and a story centroid to join it.
    window_days: a story with no article in this many days before the new one is closed to it.
    """

    def __init__(
        self, threshold: float = DEFAULTS.cluster_threshold, window_days: float = DEFAULTS.cluster_window_days
    ):
        self.threshold = threshold
        self.window_days = window_days

    def group(self, articles: Sequence[Article]) -> dict[str, str]:
        """Map every article id to its story id."""
        ordered = publication_order(articles)
        if not ordered:
            return {}
        matrix = tfidf([article_terms(a) for a in ordered]).toarray()
        window = timedelta(days=self.window_days)
        stories: list[_StoryState] = []
        assignment: dict[str, str] = {}
        for article, vector in zip(ordered, matrix, strict=True):
            published = utc(article.published)
            best, best_sim = None, self.threshold
            for story in stories:
                if published and story.last_seen and published - story.last_seen > window:
                    continue
                norm = np.linalg.norm(story.vector_sum)
                sim = float(vector @ story.vector_sum / norm) if norm else 0.0
                if sim >= best_sim:
                    best, best_sim = story, sim
            if best is None:
                best = _StoryState(story_id_for(article.id), np.zeros_like(vector), published)
                stories.append(best)
            best.vector_sum += vector
            if published and (best.last_seen is None or published > best.last_seen):
                best.last_seen = published
            assignment[article.id] = best.id
        return assignment
