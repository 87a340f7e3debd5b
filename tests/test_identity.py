"""Article identity: canonical URLs, and a changed text under one canonical URL as a new version."""

from __future__ import annotations

import json

import pytest

import newsfuse
from newsfuse.clean import clean_article
from newsfuse.clean.urls import canonical_url
from newsfuse.ingest.html import parse_html
from newsfuse.store import Store
from newsfuse.types import Article, Provenance, RawArticle

BRIDGE = (
    "The city council voted on Tuesday to rebuild the old harbour bridge, closed since a storm damaged it "
    "in March. Work on the new bridge is to begin in the spring and take two years, the mayor said.\n\n"
    "The rebuilding will cost 40 million euros, most of it paid by the regional government, the council "
    "said in a statement after the vote."
)
BRIDGE_EDITED = BRIDGE.replace("40 million euros", "45 million euros") + (
    "\n\nCorrection: an earlier version of this article gave the cost as 40 million euros."
)
FERRY = (
    "Ferry services to the northern islands will be cut from next month, the operator said on Friday, "
    "blaming a shortage of crew. Two of the five daily sailings will stop until the summer.\n\n"
    "Islanders said the cuts would hurt schools and shops, and called on the government to step in."
)


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        (
            "https://example.com/news/story-1?utm_source=tw&utm_medium=social",
            "https://example.com/news/story-1",
        ),
        (
            "https://example.com/news/story-1/?id=3&fbclid=xyz#comments",
            "https://example.com/news/story-1?id=3",
        ),
        ("https://amp.example.com/news/story-1", "https://example.com/news/story-1"),
        ("https://www.example.com/news/amp/story-1", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1/amp", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1.amp.html", "https://example.com/news/story-1.html"),
        ("https://example.com/news/story-1?amp=1", "https://example.com/news/story-1"),
        (
            "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story-1",
            "https://example.com/news/story-1",
        ),
        ("HTTPS://WWW.Example.com:443/news/story-1", "https://example.com/news/story-1"),
        ("www.example.com/news/story-1", "https://example.com/news/story-1"),
        ("mailto:desk@example.com", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_url_drops_tracking_and_amp(given, canonical):
    assert canonical_url(given) == canonical


def test_an_amp_page_takes_its_rel_canonical_address():
    page = (
        '<html><head><title>Bridge</title><link rel="canonical" href="https://www.gazette.example/news/bridge">'
        f"</head><body><article><h1>Bridge</h1><p>{BRIDGE.replace(chr(10), ' ')}</p></article></body></html>"
    )
    raw = parse_html(page.encode(), "a.html", url="https://amp.gazette.example/news/bridge/amp?utm_source=tw")
    article = clean_article(raw)
    assert isinstance(article, Article)
    assert article.canonical_url == "https://gazette.example/news/bridge"


def _article(text: str, url: str, record: int) -> Article:
    raw = RawArticle(
        "Bridge to be rebuilt", text, Provenance("in.jsonl", "jsonl", record), url=url, outlet="Gazette"
    )
    article = clean_article(raw)
    assert isinstance(article, Article)
    return article


def test_a_changed_text_under_one_canonical_url_supersedes_the_stored_version():
    first = _article(BRIDGE, "https://gazette.example/news/bridge?utm_source=tw", 0)
    edited = _article(BRIDGE_EDITED, "https://amp.gazette.example/news/bridge", 1)
    same_text_other_url = _article(BRIDGE, "https://gazette.example/news/bridge?utm_campaign=x", 2)
    home_page = _article(FERRY, "https://gazette.example/", 3)
    home_page_again = _article(FERRY + " More.", "https://gazette.example/?ref=home", 4)
    assert first.canonical_url == edited.canonical_url and first.id != edited.id
    assert same_text_other_url.id == first.id  # the URL is not part of the id: one article
    with Store.open(":memory:") as store:
        store.add_articles([first])
        assert store.add_articles([edited, same_text_other_url]) == [edited.id]
        store.add_articles([home_page, home_page_again])
        assert store.superseded() == {first.id: edited.id}  # a home page names no one article
        stored = {a.id: a for a in store.articles()}
        assert stored[first.id].superseded_by == edited.id and stored[edited.id].superseded_by is None
        assert first.id not in store.ungrouped_ids() and edited.id in store.ungrouped_ids()


def test_a_story_uses_the_latest_version_and_the_earlier_one_is_kept(tmp_path):
    db, out = tmp_path / "n.duckdb", tmp_path / "out"
    (tmp_path / "a.jsonl").write_text(
        json.dumps(
            {
                "id": "b-1",
                "title": "Bridge to be rebuilt",
                "text": BRIDGE,
                "outlet": "Gazette",
                "url": "https://gazette.example/news/bridge",
                "published": "2017-03-01T09:00:00",
            }
        )
        + "\n"
        + json.dumps(
            {
                "title": "Ferry sailings cut",
                "text": FERRY,
                "outlet": "Islander",
                "url": "https://islander.example/ferry",
                "published": "2017-03-01T10:00:00",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "b.jsonl").write_text(
        json.dumps(
            {
                "id": "b-1",
                "title": "Bridge to be rebuilt",
                "text": BRIDGE_EDITED,
                "outlet": "Gazette",
                "url": "https://gazette.example/news/bridge?utm_source=newsletter",
                "published": "2017-03-01T09:00:00",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    first = newsfuse.run([tmp_path / "a.jsonl"], db=db, out=out, progress=False)
    (bridge_story,) = [s for s in first.stories if s.title == "Bridge to be rebuilt"]
    old_id = bridge_story.articles[0].id

    second = newsfuse.run([tmp_path / "b.jsonl"], db=db, out=out, progress=False)
    (story,) = second.stories
    new_id = second.articles[0].id
    assert story.id == bridge_story.id and [r.id for r in story.articles] == [new_id]
    assert story.summary and all(c.article_id == new_id for s in story.summary for c in s.citations)

    articles = {a["id"]: a for a in json.loads((out / "articles.json").read_text(encoding="utf-8"))}
    assert articles[old_id]["superseded_by"] == new_id and articles[new_id]["superseded_by"] is None
    assert articles[new_id]["source_id"] == "b-1"
    assert articles[new_id]["canonical_url"] == "https://gazette.example/news/bridge"
    stories = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    assert len(stories) == 2  # the whole store: the ferry story too, though this run did not touch it
