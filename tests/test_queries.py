"""The read side of the store (store/queries.py): listings, filters, search and rows of claims and quotes,
read from the index written beside each story; and stores from before that index."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from newsfuse.cli import main
from newsfuse.errors import NotFoundError, StoreOutdatedError
from newsfuse.serialize import story_to_dict
from newsfuse.store import Store
from newsfuse.types import (
    Article,
    ArticleRef,
    Citation,
    Claim,
    Entity,
    Provenance,
    SpeakerRef,
    Story,
    StoryFilter,
    StoryQuote,
    SummarySentence,
    Support,
)


def _article(article_id: str, outlet: str, published: datetime, text: str) -> Article:
    return Article(
        id=article_id,
        title=f"Title {article_id}",
        text=text,
        provenance=Provenance("in.jsonl", "jsonl", 0),
        outlet=outlet,
        published=published,
    )


def _story(
    story_id: str, title: str, articles: list[Article], entity: str, status: str = "single_source"
) -> Story:
    first = articles[0]
    cite = Citation(first.id, 0, len(first.text))
    return Story(
        id=story_id,
        title=title,
        articles=tuple(ArticleRef(a.id, a.outlet, a.title, a.url, a.published) for a in articles),
        summary=(SummarySentence(first.text, (cite,)),),
        claims=(Claim(first.text, status, (Support(cite, "agrees", "o1"),), (first.outlet or "",), ("o1",)),),  # type: ignore[arg-type]
        quotes=(
            StoryQuote(
                SpeakerRef(entity, "name", 0, 3, entity, "as written"),
                "said",
                first.text,
                first.id,
                0,
                5,
                False,
            ),
        ),
        entities=(Entity(entity, "PERSON", (), (Citation(first.id, 0, 3),)),),
    )


@pytest.fixture
def store(tmp_path):
    day = datetime(2017, 2, 1, tzinfo=UTC)
    a = _article("a", "Reuters", day, "Russian warplanes used the airspace of Iran.")
    b = _article("b", "Newsweek", day.replace(day=3), "Iran allowed Russian planes to use its airspace.")
    c = _article("c", "Reuters", day.replace(day=9), "The council voted to rebuild the harbour bridge.")
    with Store.open(tmp_path / "q.duckdb") as opened:
        opened.add_articles([a, b, c])
        opened.put_stories(
            [
                _story("s-air", "Iran lets Russia use its airspace", [a, b], "Ali Shamkhani", "relayed"),
                _story("s-bridge", "Bridge to be rebuilt", [c], "Jane Doe"),
            ]
        )
        yield opened


def test_listings_filter_by_outlet_entity_words_and_dates(store: Store) -> None:
    reads = store.queries()
    assert [s.id for s in reads.stories().items] == ["s-bridge", "s-air"]  # newest first
    assert [s.id for s in reads.stories(order="coverage").items] == ["s-air", "s-bridge"]
    air = reads.stories(StoryFilter(outlet="newsweek")).items
    assert [s.id for s in air] == ["s-air"]
    assert air[0].outlets == ("Newsweek", "Reuters") and air[0].articles == 2
    assert air[0].lead == "Russian warplanes used the airspace of Iran."
    assert [s.id for s in reads.stories(StoryFilter(entity="jane doe")).items] == ["s-bridge"]
    # Stemmed: "warplane" finds "warplanes", and every word must occur.
    assert [s.id for s in reads.stories(StoryFilter(query="warplane Iran")).items] == ["s-air"]
    assert reads.stories(StoryFilter(query="warplane bridge")).total == 0
    assert reads.stories(StoryFilter(query="the of")).total == 0  # stop words only: nothing to find
    since = datetime(2017, 2, 5)
    assert [s.id for s in reads.stories(StoryFilter(since=since)).items] == ["s-bridge"]
    assert [s.id for s in reads.stories(StoryFilter(until=since)).items] == ["s-air"]
    page = reads.stories(offset=1, limit=1)
    assert (page.total, [s.id for s in page.items]) == (2, ["s-air"])
    assert reads.stories(offset=5).total == 2
    with pytest.raises(ValueError, match="limit >= 1"):
        reads.stories(limit=0)
    assert [(f.value, f.stories) for f in reads.outlets()] == [("Reuters", 2), ("Newsweek", 1)]


def test_claims_quotes_and_mentions_are_rows(store: Store) -> None:
    reads = store.queries()
    assert [c.story_id for c in reads.claims(status="relayed").items] == ["s-air"]
    (quote,) = reads.quotes(speaker="ali shamkhani").items
    assert (quote.story_id, quote.article_id, quote.start, quote.end, quote.cue) == (
        "s-air",
        "a",
        0,
        5,
        "said",
    )
    assert reads.mention_count("Ali Shamkhani") == 1
    view = reads.article("a")
    assert view.annotation is None and view.stories == ("s-air",)
    with pytest.raises(NotFoundError):
        reads.article("zzz")


def test_a_rewritten_or_merged_story_leaves_no_stale_rows(store: Store) -> None:
    air = store.get_story("s-air")
    store.put_stories([replace(air, title="Russian jets over Iran"), air])  # the last given wins
    store.put_stories([replace(air, title="Russian jets over Iran")])
    reads = store.queries()
    assert reads.stories().total == 2
    assert reads.quotes(story_id="s-air").total == 1
    assert [s.title for s in reads.stories(StoryFilter(query="jets")).items] == ["Russian jets over Iran"]
    store.merge_stories({"s-bridge": "s-air"})
    assert [s.id for s in reads.stories().items] == ["s-air"]
    assert reads.quotes(speaker="Jane Doe").total == 0
    assert reads.story("s-bridge").id == "s-air"


def test_a_store_from_before_the_index_is_indexed_when_opened_for_writing(tmp_path, capsys) -> None:
    import duckdb

    from newsfuse.store.duckdb_store import MIGRATIONS

    day = datetime(2017, 2, 1)
    a = _article("a", "Reuters", day, "Russian warplanes used the airspace of Iran.")
    story = _story("s-old", "Iran lets Russia use its airspace", [a], "Ali Shamkhani")
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    before_the_index = 5  # migration 6 adds the read-side tables
    for step in (s for steps in MIGRATIONS[:before_the_index] for s in steps):
        con.execute(step)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(before_the_index)])
    con.execute(
        "INSERT INTO stories VALUES ('s-old', 'Iran lets Russia use its airspace', now(), now(), ?, ?)",
        [day, json.dumps(story_to_dict(story))],
    )
    con.close()

    with pytest.raises(StoreOutdatedError, match="older than"):
        Store.open(path, read_only=True)
    # The CLI's read command upgrades it once, then reads it read-only.
    assert main(["stories", "--db", str(path), "--json"]) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)] == ["s-old"]
    with Store.open(path, read_only=True) as store:
        reads = store.queries()
        assert [s.id for s in reads.stories(StoryFilter(query="warplanes")).items] == ["s-old"]
        assert reads.quotes().total == 1
