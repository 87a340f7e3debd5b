"""Story ids and the order articles are grouped in."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from newsfuse.types import Article


def story_id_for(founder_article_id: str) -> str:
    """The id of the story that `founder_article_id` opened."""
    return "s" + hashlib.sha256(f"story:{founder_article_id}".encode()).hexdigest()[:15]


def utc(moment: datetime | None) -> datetime | None:
    """A time as naive UTC, so that times with and without a zone compare (zoneless counts as UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def publication_order(articles: Sequence[Article]) -> list[Article]:
    """Articles by publication time, undated ones last; ties by id, so no input order shows through.

    A batch is grouped in this order, so a batch gives what its articles fed one by one in this order give.
    """
    return sorted(articles, key=lambda a: (a.published is None, utc(a.published) or datetime.min, a.id))
