"""The rows a stored story adds to the read-side tables: its listing, outlets, entities, search terms,
claims, quotes and entity mentions (the tables of the last migration in `duckdb_store.MIGRATIONS`).

Written beside the story's JSON in the same transaction, so listing, filtering and searching stories
reads these small rows and never parses a story document.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from newsfuse.types import Story

# table -> (column, SQL type) in row order.
INDEX_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "story_listing": (
        ("story_id", "VARCHAR"),
        ("first_published", "TIMESTAMP"),
        ("latest_published", "TIMESTAMP"),
        ("article_count", "INTEGER"),
        ("outlet_count", "INTEGER"),
        ("origin_count", "INTEGER"),
        ("claim_count", "INTEGER"),
        ("corroborated_count", "INTEGER"),
        ("contested_count", "INTEGER"),
        ("quote_count", "INTEGER"),
        ("lead", "VARCHAR"),
        ("outlets", "VARCHAR[]"),
    ),
    "story_outlets": (("story_id", "VARCHAR"), ("outlet", "VARCHAR"), ("articles", "INTEGER")),
    "story_entities": (
        ("story_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("mentions", "INTEGER"),
    ),
    "story_terms": (("story_id", "VARCHAR"), ("term", "VARCHAR")),
    "story_claims": (
        ("story_id", "VARCHAR"),
        ("position", "INTEGER"),
        ("text", "VARCHAR"),
        ("status", "VARCHAR"),
        ("outlets", "VARCHAR[]"),
        ("origins", "VARCHAR[]"),
        ("date", "VARCHAR"),
    ),
    "story_quotes": (
        ("story_id", "VARCHAR"),
        ("position", "INTEGER"),
        ("speaker", "VARCHAR"),
        ("speaker_kind", "VARCHAR"),
        ("cue", "VARCHAR"),
        ("text", "VARCHAR"),
        ("article_id", "VARCHAR"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("direct", "BOOLEAN"),
        ("via", "VARCHAR[]"),
        ("date", "VARCHAR"),
    ),
    "story_mentions": (
        ("story_id", "VARCHAR"),
        ("entity", "VARCHAR"),
        ("type", "VARCHAR"),
        ("article_id", "VARCHAR"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
    ),
}


def utc_naive(value: datetime | None) -> datetime | None:
    """The sortable form of a datetime: aware ones in UTC without the zone, naive ones as they are."""
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        # Only at the ends of year 1 and year 9999, where UTC is out of range: the wall time is as good.
        return value.replace(tzinfo=None)


def search_terms(text: str) -> list[str]:
    """The distinct stemmed content terms of a text, as stories are indexed and queries are read."""
    from newsfuse.nlp.terms import terms  # scikit-learn and spaCy's stop words: loaded when first needed

    return list(dict.fromkeys(terms(text)))


def index_rows(story: Story) -> dict[str, list[tuple[Any, ...]]]:
    """The read-side rows of one story, by table (see INDEX_COLUMNS)."""
    sid = story.id
    dates = [d for d in (utc_naive(a.published) for a in story.articles) if d is not None]
    outlets = Counter(a.outlet for a in story.articles if a.outlet)
    statuses = Counter(c.status for c in story.claims)
    lead = story.summary[0].text if story.summary else (story.claims[0].text if story.claims else None)
    searchable = [story.title, *(s.text for s in story.summary), *(c.text for c in story.claims)]
    searchable += [name for e in story.entities for name in (e.name, *e.aliases)]
    return {
        "story_listing": [
            (
                sid,
                min(dates, default=None),
                max(dates, default=None),
                len(story.articles),
                len(outlets),
                len(story.origins),
                len(story.claims),
                statuses["corroborated"],
                statuses["contested"],
                len(story.quotes),
                lead,
                sorted(outlets),
            )
        ],
        "story_outlets": [(sid, outlet, count) for outlet, count in sorted(outlets.items())],
        "story_entities": [(sid, e.name, e.type, len(e.mentions)) for e in story.entities],
        "story_terms": [(sid, term) for term in search_terms(" \n".join(searchable))],
        "story_claims": [
            (sid, i, c.text, c.status, list(c.outlets), list(c.origins), c.date)
            for i, c in enumerate(story.claims)
        ],
        "story_quotes": [
            (
                sid,
                i,
                q.speaker and (q.speaker.name or q.speaker.text),
                q.speaker and q.speaker.kind,
                q.cue,
                q.text,
                q.article_id,
                q.start,
                q.end,
                q.direct,
                list(q.via),
                q.date,
            )
            for i, q in enumerate(story.quotes)
        ],
        "story_mentions": [
            (sid, e.name, e.type, m.article_id, m.start, m.end) for e in story.entities for m in e.mentions
        ],
    }
