"""Story pages rendered when a story is stored, kept beside it (table `story_pages`), so that serving a
page is one read of a compressed blob instead of parsing the account and rendering it (some 40 ms of CPU).

A story's page shows the story and the articles it cites, nothing else, and a stored article never
changes (its id derives from its content). So a page is rendered again exactly when its story is
stored again (`Store.put_stories`), and dropped when an article the story lists is first stored after
it (`drop_pages_listing`: the page said that article was unavailable). Each page records the renderer it
was made by (`renderer()`: newsfuse's version and a digest of the page code and templates); a page made
by another is not served, so an upgrade never shows a page the new templates would not render.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources

import duckdb

from newsfuse import __version__
from newsfuse.types import Story

PAGES_TABLE = "story_pages"
# What a page is made from: the view, its helpers, the Jinja2 environment and the templates.
_RENDERER_SOURCES = ("views.py", "_common.py", "jinja.py", "html.py")
# gzip level 6: a 100 KB page becomes about 12 KB in about a millisecond.
_GZIP_LEVEL = 6


@cache
def renderer() -> str:
    """This newsfuse's page renderer: its version and a digest of the code and templates pages come from."""
    package = resources.files("newsfuse.report")
    digest = hashlib.sha256()
    parts = [package.joinpath(name) for name in _RENDERER_SOURCES]
    parts += sorted(
        (p for p in package.joinpath("templates").iterdir() if p.name.endswith(".html")), key=lambda p: p.name
    )
    for part in parts:
        digest.update(part.name.encode() + b"\0" + part.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:16]}"


def compress(html: str) -> bytes:
    # mtime=0: the same page compresses to the same bytes.
    return gzip.compress(html.encode("utf-8"), compresslevel=_GZIP_LEVEL, mtime=0)


def decompress(blob: bytes) -> str:
    return gzip.decompress(blob).decode("utf-8")


def store_pages(con: duckdb.DuckDBPyConnection, stories: Sequence[Story]) -> None:
    """Render and store the served page of each story, replacing its old one; the caller holds the
    transaction, in which the stories' articles are read (those stored by then are shown)."""
    from newsfuse.report.html import render_html  # report/ builds on the records, not on the store
    from newsfuse.store.duckdb_store import _ARTICLE_COLUMNS, _article_from_row

    ids = [s.id for s in stories]
    drop_pages(con, ids)
    wanted = list({r.id for s in stories for r in s.articles})
    rows = con.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [wanted]
    ).fetchall()
    articles = {row[0]: _article_from_row(row) for row in rows}
    made_by = renderer()
    pages = [
        compress(render_html(s, {r.id: articles[r.id] for r in s.articles if r.id in articles}, served=True))
        for s in stories
    ]
    con.execute(
        f"INSERT INTO {PAGES_TABLE} (story_id, renderer, html) "
        "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BLOB[])",
        [ids, [made_by] * len(ids), pages],
    )


def drop_pages_listing(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Drop the pages of stories listing any of these newly stored articles (rendered without them)."""
    if article_ids:
        con.execute(
            f"DELETE FROM {PAGES_TABLE} WHERE story_id IN (SELECT story_id FROM story_articles "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[])))",
            [list(article_ids)],
        )


def drop_pages(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> None:
    """Drop the pages of stories that are removed (merged into another, deleted)."""
    con.execute(
        f"DELETE FROM {PAGES_TABLE} WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [list(story_ids)]
    )
