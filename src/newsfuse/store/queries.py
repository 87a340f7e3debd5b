"""The read side of a store: typed, paged reads for the CLI, the HTTP API and the pages alike.

Listings, filters and search read the index rows written beside each story (store/index.py), never the
story documents; only `story` parses one. Each StoreQueries works on a DuckDB cursor of its own (see
`Store.queries`), which reads the last committed state without waiting for a write.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb

from newsfuse.errors import NotFoundError, StoreError
from newsfuse.serialize import CONTRACT_VERSION, annotated_from_dict, story_from_dict, story_to_dict
from newsfuse.store.duckdb_store import _ARTICLE_COLUMNS, _article_from_row, _reject_code
from newsfuse.store.index import search_terms, utc_naive
from newsfuse.store.pages import PAGES_TABLE, renderer
from newsfuse.types import (
    Article,
    ArticleView,
    ClaimRow,
    Facet,
    Page,
    QuoteRow,
    Rejected,
    Story,
    StoryFilter,
    StoryListing,
    StoryOrder,
)

MAX_PAGE = 200  # the most items one call returns

_ORDERS: dict[str, str] = {
    "newest": "l.latest_published DESC NULLS LAST, s.id",
    "coverage": "l.outlet_count DESC, l.article_count DESC, l.latest_published DESC NULLS LAST, s.id",
}


def _page_bounds(offset: int, limit: int) -> tuple[int, int]:
    if offset < 0 or limit < 1:
        raise ValueError(f"a page needs offset >= 0 and limit >= 1 (got offset {offset}, limit {limit})")
    return offset, min(limit, MAX_PAGE)


class StoreQueries:
    """Typed reads over one cursor. Not safe to share between threads: give each thread its own."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, path: str) -> None:
        self._cur = cursor
        self.path = path

    def close(self) -> None:
        self._cur.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._cur.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: reading the store failed: {exc}") from exc

    # ------------------------------------------------------------ stories

    def stories(
        self,
        where: StoryFilter | None = None,
        order: StoryOrder = "newest",
        offset: int = 0,
        limit: int = 50,
    ) -> Page[StoryListing]:
        """One page of the stories that pass `where`, newest first or by coverage (outlets, articles)."""
        offset, limit = _page_bounds(offset, limit)
        where = where or StoryFilter()
        if order not in _ORDERS:
            raise ValueError(f"unknown order {order!r}: use one of {', '.join(_ORDERS)}")
        conditions: list[str] = []
        params: list[Any] = []
        if where.query is not None:
            terms = search_terms(where.query)
            if not terms:  # only stop words: nothing to look for, so nothing matches
                return Page((), 0, offset, limit)
            conditions.append(
                "s.id IN (SELECT story_id FROM story_terms WHERE term IN (SELECT unnest(?::VARCHAR[])) "
                "GROUP BY story_id HAVING count(DISTINCT term) = ?)"
            )
            params += [terms, len(terms)]
        if where.outlet is not None:
            conditions.append("s.id IN (SELECT story_id FROM story_outlets WHERE lower(outlet) = lower(?))")
            params.append(where.outlet)
        if where.entity is not None:
            conditions.append("s.id IN (SELECT story_id FROM story_entities WHERE lower(name) = lower(?))")
            params.append(where.entity)
        if where.since is not None:
            conditions.append("l.latest_published >= ?")
            params.append(utc_naive(where.since))
        if where.until is not None:
            conditions.append("l.first_published <= ?")
            params.append(utc_naive(where.until))
        sql_where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._rows(
            "SELECT s.id, s.title, l.first_published, l.latest_published, l.article_count, l.outlets, "
            "l.origin_count, l.claim_count, l.corroborated_count, l.contested_count, l.quote_count, l.lead, "
            "count(*) OVER () "
            f"FROM stories s JOIN story_listing l ON l.story_id = s.id {sql_where} "
            f"ORDER BY {_ORDERS[order]} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        if rows:
            total = int(rows[0][-1])
        else:
            (total,) = self._rows(
                f"SELECT count(*) FROM stories s JOIN story_listing l ON l.story_id = s.id {sql_where}",
                params,
            )[0]
        items = tuple(
            StoryListing(
                id=r[0],
                title=r[1],
                first_published=r[2],
                latest_published=r[3],
                articles=r[4],
                outlets=tuple(r[5]),
                origins=r[6],
                claims=r[7],
                corroborated=r[8],
                contested=r[9],
                quotes=r[10],
                lead=r[11],
            )
            for r in rows
        )
        return Page(items, int(total), offset, limit)

    def resolve_story_id(self, story_id: str) -> str:
        """The id a story goes by now: its own, or that of the story it was merged into."""
        rows = self._rows("SELECT new_id FROM story_redirects WHERE old_id = ?", [story_id])
        return str(rows[0][0]) if rows else story_id

    def story(self, story_id: str) -> Story:
        """The story with this id, or the one it was merged into. Raises NotFoundError if none."""
        rows = self._rows("SELECT account FROM stories WHERE id = ?", [self.resolve_story_id(story_id)])
        if not rows:
            raise NotFoundError(f"no story with id {story_id!r} in {self.path}")
        return story_from_dict(json.loads(rows[0][0]))

    def story_json(self, story_id: str) -> str:
        """The story's account as `stories.json` has it (one element), as JSON text: the stored text
        itself when it was written under this contract version, so nothing is parsed. Raises
        NotFoundError if none."""
        rows = self._rows(
            "SELECT account, json_extract_string(account, '$.contract_version') FROM stories WHERE id = ?",
            [self.resolve_story_id(story_id)],
        )
        if not rows:
            raise NotFoundError(f"no story with id {story_id!r} in {self.path}")
        account, version = rows[0]
        if version == CONTRACT_VERSION:
            return str(account)
        return json.dumps(story_to_dict(story_from_dict(json.loads(account))))

    def story_page(self, story_id: str) -> tuple[str, bytes | None]:
        """The id the story goes by now (its own, or that of the story it was merged into), and its served
        page as stored with it (gzip; store/pages.py) when the id is its own: None when no page was
        stored or another renderer than this newsfuse's made it."""
        # The page first: a story merged away has none (its page goes with it), so the common case is one
        # query. By the id alone: a second condition keeps DuckDB from using the index (11 ms of CPU
        # instead of 4 at 10,000 pages).
        rows = self._rows(f"SELECT renderer, html FROM {PAGES_TABLE} WHERE story_id = ?", [story_id])
        page = next((bytes(html) for made_by, html in rows if made_by == renderer()), None)
        if page is not None:
            return story_id, page
        return self.resolve_story_id(story_id), None

    def newest_pages(self, max_bytes: int) -> dict[str, bytes]:
        """The stored pages of the most recently updated stories (this newsfuse's renderer), newest
        first, until `max_bytes` of them: what a server keeps in memory. The running total is summed in
        the query, so pages past the limit are never read out of the store."""
        rows = self._rows(
            "SELECT story_id, html FROM ("
            "  SELECT p.story_id, p.html, sum(octet_length(p.html)) OVER ("
            "    ORDER BY l.latest_published DESC NULLS LAST, p.story_id"
            "    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS total"
            f"  FROM {PAGES_TABLE} p JOIN story_listing l ON l.story_id = p.story_id WHERE p.renderer = ?"
            ") WHERE total <= ? ORDER BY total",
            [renderer(), max_bytes],
        )
        return {story_id: bytes(html) for story_id, html in rows}

    def story_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM stories")[0][0])

    # ------------------------------------------------------------ facets

    def outlets(self, limit: int = 50) -> list[Facet]:
        """The outlets with the most stories, with their story counts."""
        rows = self._rows(
            "SELECT outlet, count(DISTINCT story_id) AS n FROM story_outlets GROUP BY outlet "
            "ORDER BY n DESC, outlet LIMIT ?",
            [min(limit, MAX_PAGE)],
        )
        return [Facet(value, int(n)) for value, n in rows]

    def entities(self, limit: int = 50, kind: str | None = None) -> list[Facet]:
        """The entities in the most stories (of one type, if given), with their story counts."""
        rows = self._rows(
            "SELECT name, any_value(type), count(DISTINCT story_id) AS n FROM story_entities "
            "WHERE ? IS NULL OR type = ? GROUP BY name ORDER BY n DESC, name LIMIT ?",
            [kind, kind, min(limit, MAX_PAGE)],
        )
        return [Facet(value, int(n), kind_) for value, kind_, n in rows]

    # ------------------------------------------------------------ claims, quotes, mentions

    def claims(
        self, status: str | None = None, story_id: str | None = None, offset: int = 0, limit: int = 50
    ) -> Page[ClaimRow]:
        """Claims across stories (or of one), by story then position; optionally of one status."""
        offset, limit = _page_bounds(offset, limit)
        rows = self._rows(
            "SELECT story_id, position, text, status, outlets, origins, date, count(*) OVER () "
            "FROM story_claims WHERE (? IS NULL OR status = ?) AND (? IS NULL OR story_id = ?) "
            "ORDER BY story_id, position LIMIT ? OFFSET ?",
            [status, status, story_id, story_id, limit, offset],
        )
        items = tuple(ClaimRow(r[0], r[1], r[2], r[3], tuple(r[4]), tuple(r[5]), r[6]) for r in rows)
        return Page(items, int(rows[0][-1]) if rows else 0, offset, limit)

    def quotes(
        self, speaker: str | None = None, story_id: str | None = None, offset: int = 0, limit: int = 50
    ) -> Page[QuoteRow]:
        """Quotes across stories (or of one), by story then position; optionally of one speaker
        (canonical name or words as written, case ignored)."""
        offset, limit = _page_bounds(offset, limit)
        rows = self._rows(
            "SELECT story_id, position, speaker, speaker_kind, cue, text, article_id, start_char, end_char, "
            "direct, via, date, count(*) OVER () FROM story_quotes "
            "WHERE (? IS NULL OR lower(speaker) = lower(?)) AND (? IS NULL OR story_id = ?) "
            "ORDER BY story_id, position LIMIT ? OFFSET ?",
            [speaker, speaker, story_id, story_id, limit, offset],
        )
        items = tuple(
            QuoteRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], tuple(r[10]), r[11])
            for r in rows
        )
        return Page(items, int(rows[0][-1]) if rows else 0, offset, limit)

    def mention_count(self, entity: str) -> int:
        """How many times an entity (canonical name, case ignored) is mentioned across all stories."""
        return int(
            self._rows("SELECT count(*) FROM story_mentions WHERE lower(entity) = lower(?)", [entity])[0][0]
        )

    # ------------------------------------------------------------ articles and rejections

    def article(self, article_id: str) -> ArticleView:
        """One article with its annotation (sentences, mentions, quotes, time expressions), if stored,
        and the stories that list it. Raises NotFoundError when there is no such article."""
        rows = self._rows(
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLUMNS.split(','))}, n.json "
            "FROM articles a LEFT JOIN annotations n ON n.article_id = a.id WHERE a.id = ?",
            [article_id],
        )
        if not rows:
            raise NotFoundError(f"no article with id {article_id!r} in {self.path}")
        article = _article_from_row(rows[0][:-1])
        annotation = None if rows[0][-1] is None else annotated_from_dict(json.loads(rows[0][-1]), article)
        stories = tuple(
            r[0] for r in self._rows("SELECT story_id FROM story_articles WHERE article_id = ?", [article_id])
        )
        return ArticleView(article, annotation, stories)

    def articles(self, ids: Sequence[str]) -> list[Article]:
        """The stored articles among `ids`, in the order given."""
        rows = self._rows(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]
        )
        found = {row[0]: _article_from_row(row) for row in rows}
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    def rejected(self, offset: int = 0, limit: int = 50) -> Page[Rejected]:
        """The recorded rejections, oldest first."""
        offset, limit = _page_bounds(offset, limit)
        rows = self._rows(
            "SELECT source, reason, code, count(*) OVER () FROM rejections "
            "ORDER BY seen_at, source, reason LIMIT ? OFFSET ?",
            [limit, offset],
        )
        items = tuple(Rejected(source, reason, _reject_code(code)) for source, reason, code, _ in rows)
        return Page(items, int(rows[0][-1]) if rows else 0, offset, limit)

    def latest_update(self) -> datetime | None:
        """When a story was last written."""
        return self._rows("SELECT max(updated_at) FROM stories")[0][0]
