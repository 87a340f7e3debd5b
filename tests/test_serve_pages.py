"""Story pages rendered when a story is stored (store/pages.py) and served as stored: each equals a fresh
render of the story and its articles, changes when the story or an article it lists does, is dropped
with its story, and is not served when another renderer made it; the server answers the same page
whether it was stored or not, gzip or not."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_queries import _article, _story

from newsfuse.config import Settings
from newsfuse.report.html import render_html
from newsfuse.serialize import story_to_dict
from newsfuse.serve.app import _takes_gzip, create_app
from newsfuse.serve.newsroom import Newsroom
from newsfuse.store import Store
from newsfuse.store.pages import decompress
from newsfuse.types import Article, Story

DAY = datetime(2017, 2, 1, tzinfo=UTC)


def _articles() -> list[Article]:
    return [
        _article("a", "Reuters", DAY, "Russian warplanes used the airspace of Iran."),
        _article("b", "Newsweek", DAY.replace(day=3), "Iran allowed Russian planes to use its airspace."),
    ]


def _fresh(store: Store, story: Story) -> str:
    articles = {a.id: a for a in store.articles([r.id for r in story.articles])}
    return render_html(story, articles, served=True)


def _stored(store: Store, story_id: str) -> str | None:
    _, blob = store.queries().story_page(story_id)
    return None if blob is None else decompress(blob)


def test_a_stored_page_is_a_fresh_render_and_follows_its_story(tmp_path: Path) -> None:
    a, b = _articles()
    story = _story("s-air", "Iran lets Russia use its airspace", [a, b], "Ali Shamkhani", "relayed")
    with Store.open(tmp_path / "p.duckdb") as store:
        store.add_articles([a, b])
        store.put_stories([story])
        page = _stored(store, "s-air")
        assert page is not None and page == _fresh(store, story)
        assert "Newsweek" in page and "Iran lets Russia use its airspace" in page
        # The story changes: so does its page.
        store.put_stories([replace(story, title="Russian jets over Iran")])
        page = _stored(store, "s-air")
        assert page is not None and "Russian jets over Iran" in page
        assert "Iran lets Russia use its airspace" not in page
        # Merged away or deleted: no page left behind.
        other = _story("s-other", "Bridge to be rebuilt", [a], "Jane Doe")
        store.put_stories([other])
        store.merge_stories({"s-other": "s-air"})
        assert store.queries().story_page("s-other") == ("s-air", None)  # the page route redirects
        assert store.delete_stories(["s-air"]) == 1
        assert _stored(store, "s-air") is None
        with store.transaction("a look") as con:
            assert con.execute("SELECT count(*) FROM story_pages").fetchall() == [(0,)]


def test_an_article_stored_after_its_story_drops_the_page_until_the_story_is_stored_again(
    tmp_path: Path,
) -> None:
    a, b = _articles()
    story = _story("s-air", "Iran lets Russia use its airspace", [a, b], "Ali Shamkhani")
    with Store.open(tmp_path / "p.duckdb") as store:
        store.add_articles([a])
        store.put_stories([story])  # b is not stored yet: the page says it is unavailable
        before = _stored(store, "s-air")
        assert before is not None and before == _fresh(store, story)
        store.add_articles([b])
        assert _stored(store, "s-air") is None  # rendered without b: not served any more
        store.put_stories([story])
        after = _stored(store, "s-air")
        assert after is not None and after == _fresh(store, story) and after != before


def test_a_page_another_renderer_made_is_not_served(tmp_path: Path) -> None:
    a, b = _articles()
    with Store.open(tmp_path / "p.duckdb") as store:
        store.add_articles([a, b])
        store.put_stories([_story("s-air", "Iran lets Russia use its airspace", [a, b], "Ali Shamkhani")])
        with store.transaction("an old renderer's page") as con:
            con.execute("UPDATE story_pages SET renderer = '0.0.1+0000'")
        assert store.queries().story_page("s-air") == ("s-air", None)


def test_the_server_answers_the_stored_page_gzip_or_not_and_renders_one_not_stored(tmp_path: Path) -> None:
    a, b = _articles()
    story = _story("s-air", "Iran lets Russia use its airspace", [a, b], "Ali Shamkhani")
    bridge = _story("s-bridge", "Bridge to be rebuilt", [a], "Jane Doe")
    db = tmp_path / "p.duckdb"
    with Store.open(db) as store:
        store.add_articles([a, b])
        store.put_stories([story, bridge])
        with store.transaction("a store from before pages") as con:
            con.execute("DELETE FROM story_pages WHERE story_id = 's-bridge'")
        expected = {s.id: _fresh(store, s) for s in (story, bridge)}
    newsroom = Newsroom.open(str(db), Settings(), 10)
    try:
        with TestClient(create_app(newsroom)) as client:
            for story_id, page in expected.items():
                zipped = client.get(f"/stories/{story_id}", headers={"accept-encoding": "gzip"})
                plain = client.get(f"/stories/{story_id}", headers={"accept-encoding": "identity"})
                assert zipped.status_code == plain.status_code == 200
                assert zipped.text == plain.text == page
                assert plain.headers.get("content-encoding") is None
                assert "script-src 'self'" in plain.headers["content-security-policy"]
            stored = client.get("/stories/s-air", headers={"accept-encoding": "gzip"})
            assert stored.headers["content-encoding"] == "gzip"
            api = client.get("/api/stories/s-air")
            assert api.headers["content-type"] == "application/json"
            assert api.json() == json.loads(json.dumps(story_to_dict(story)))
    finally:
        newsroom.close()


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("gzip;q=x", False),
    ],
)
def test_accept_encoding_is_read_as_written(header: str, takes: bool) -> None:
    assert _takes_gzip(header) is takes


def test_stored_pages_are_gzip_that_any_client_unpacks(tmp_path: Path) -> None:
    a, b = _articles()
    with Store.open(tmp_path / "p.duckdb") as store:
        store.add_articles([a, b])
        store.put_stories([_story("s-air", "Iran lets Russia use its airspace", [a, b], "Ali Shamkhani")])
        _, blob = store.queries().story_page("s-air")
        assert blob is not None
        assert gzip.decompress(blob).decode().startswith("<!DOCTYPE html>")


def test_the_pages_kept_in_memory_are_the_newest_stories_within_the_byte_limit(tmp_path: Path) -> None:
    a, b = _articles()  # b is published two days after a
    older = _story("s-old", "Iran lets Russia use its airspace", [a], "Ali Shamkhani")
    newer = _story("s-new", "Russian jets over Iran", [b], "Ali Shamkhani")
    with Store.open(tmp_path / "p.duckdb") as store:
        store.add_articles([a, b])
        store.put_stories([older, newer])
        reads = store.queries()
        everything = reads.newest_pages(1 << 30)
        assert list(everything) == ["s-new", "s-old"]
        assert decompress(everything["s-new"]) == _fresh(store, newer)
        size = len(everything["s-new"])
        assert list(reads.newest_pages(size)) == ["s-new"]  # the limit holds the newest page exactly
        assert reads.newest_pages(size - 1) == {}
