"""The DuckDB store, on real database files in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsfuse.errors import NotFoundError, StoreError
from newsfuse.store import SCHEMA_VERSION, Store
from newsfuse.types import (
    Annotated,
    Article,
    ArticleRef,
    Citation,
    Mention,
    Provenance,
    Quote,
    Rejected,
    Sentence,
    Story,
    SummarySentence,
)


def _article(article_id: str, published: datetime | None = None, **fields) -> Article:
    return Article(
        id=article_id,
        title=f"Title {article_id}",
        text=f"Body of {article_id}. Iran said so.",
        provenance=Provenance("input.jsonl", "jsonl", 0),
        published=published,
        **fields,
    )


def _ref(article: Article) -> ArticleRef:
    return ArticleRef(article.id, article.outlet, article.title, article.url, article.published)


def _story(story_id: str, *articles: Article, title: str = "A story") -> Story:
    first = articles[0]
    return Story(
        id=story_id,
        title=title,
        articles=tuple(_ref(a) for a in articles),
        summary=(SummarySentence("Iran said so.", (Citation(first.id, 0, 4),)),),
    )


def _created_at(path, story_id: str) -> tuple[datetime, datetime]:
    import duckdb  # only to look under the Store's interface at its timestamps

    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT created_at, updated_at FROM stories WHERE id = ?", [story_id]).fetchone()


def test_adding_the_same_articles_twice_stores_them_once(tmp_path) -> None:
    articles = [_article("a1", datetime(2017, 2, 14)), _article("a2")]
    with Store.open(tmp_path / "db.duckdb") as store:
        assert store.add_articles(articles) == ["a1", "a2"]
        assert store.add_articles(articles) == []
        changed = replace(articles[0], title="Changed")
        assert store.add_articles([changed, _article("a3"), _article("a3")]) == ["a3"]
        assert [a.id for a in store.articles()] == ["a1", "a2", "a3"]
        assert store.get_article("a1") == articles[0]  # the stored article is left alone


def test_articles_round_trip_and_order(tmp_path) -> None:
    plus3 = timezone(timedelta(hours=3))
    full = _article(
        "late",
        datetime(2017, 2, 14, 12, 0, tzinfo=plus3),  # 09:00 UTC
        url="https://example.com/x",
        outlet="Rudaw",
        outlet_inferred=True,
        outlet_evidence="dateline",
        credits=("AP", "Reuters"),
        removed=("Photo: AP",),
    )
    early = _article("early", datetime(2017, 2, 14, 8, 0))
    undated = _article("undated")
    with Store.open(tmp_path / "db.duckdb") as store:
        store.add_articles([undated, full, early])
        assert store.articles() == [early, full, undated]
        assert store.articles(["undated", "late", "missing"]) == [full, undated]
        assert store.get_article("late") == full
        assert store.get_article("late").published.utcoffset() == timedelta(hours=3)
        with pytest.raises(NotFoundError, match="missing"):
            store.get_article("missing")


def test_annotations_round_trip_with_the_stored_article(tmp_path) -> None:
    article = _article("a1", datetime(2017, 2, 14))
    annotated = Annotated(
        article=article,
        sentences=(Sentence(0, 15), Sentence(16, 30)),
        mentions=(Mention(16, 20, "Iran", "PLACE", "GPE"),),
        quotes=(Quote(0, 10, "said", 21, 25, False, "Iran", 16, 20, ("Fars News",)),),
    )
    with Store.open(tmp_path / "db.duckdb") as store:
        assert not store.has_annotation("a1")
        store.put_annotations([annotated])  # stores the article too
        assert store.has_annotation("a1")
        assert store.get_article("a1") == article
        assert store.annotations(["a1", "unknown"]) == [annotated]
        assert store.annotations() == [annotated]
        fewer = replace(annotated, quotes=())
        store.put_annotations([fewer])  # replaces
        assert store.annotations(["a1"]) == [fewer]


def test_rejections_are_kept_once_per_source_and_reason(tmp_path) -> None:
    with Store.open(tmp_path / "db.duckdb") as store:
        store.add_rejections([Rejected("a.html", "no body"), Rejected("b.json", "not JSON")])
        store.add_rejections([Rejected("a.html", "no body")])
        assert sorted(store.rejections(), key=lambda r: r.source) == [
            Rejected("a.html", "no body"),
            Rejected("b.json", "not JSON"),
        ]


def test_story_upsert_keeps_created_at_and_replaces_membership(tmp_path) -> None:
    path = tmp_path / "db.duckdb"
    a1, a2, a3 = (_article(i, datetime(2017, 2, d)) for i, d in (("a1", 1), ("a2", 2), ("a3", 3)))
    with Store.open(path) as store:
        store.add_articles([a1, a2, a3])
        store.put_stories([_story("s1", a1, a2)])
    created, updated = _created_at(path, "s1")
    time.sleep(0.01)
    rewritten = _story("s1", a2, a3, title="Rewritten")
    with Store.open(path) as store:
        store.put_stories([rewritten])
        assert store.get_story("s1") == rewritten
        assert store.story_ids_by_article() == {"a2": "s1", "a3": "s1"}
    created_again, updated_again = _created_at(path, "s1")
    assert created_again == created
    assert updated_again > updated


def test_stories_are_ordered_by_latest_article(tmp_path) -> None:
    old = _article("old", datetime(2016, 1, 1))
    new = _article("new", datetime(2017, 1, 1, tzinfo=UTC))
    undated = _article("undated")
    with Store.open(tmp_path / "db.duckdb") as store:
        stories = [_story("c", undated), _story("b", old), _story("a", old, new), _story("d", old)]
        store.put_stories(stories)
        assert [s.id for s in store.stories()] == ["a", "b", "d", "c"]
        assert store.delete_stories(["d", "zzz"]) == 1
        assert [s.id for s in store.stories()] == ["a", "b", "c"]
        # "old" is listed by a and b, written together: the tie goes to the later id.
        assert store.story_ids_by_article() == {"undated": "c", "old": "b", "new": "a"}


def test_get_story_unknown_id_raises_not_found(tmp_path) -> None:
    with Store.open(tmp_path / "db.duckdb") as store, pytest.raises(NotFoundError, match="'nope'"):
        store.get_story("nope")


def test_data_survives_close_and_reopen(tmp_path) -> None:
    path = tmp_path / "nested" / "db.duckdb"  # the folder is created
    article = _article("a1", datetime(2017, 2, 14))
    story = _story("s1", article)
    with Store.open(path) as store:
        store.add_articles([article])
        store.put_annotations([Annotated(article, (Sentence(0, 5),), (), ())])
        store.add_rejections([Rejected("x", "empty")])
        store.put_stories([story])
    with Store.open(path) as store:
        assert store.articles() == [article]
        assert store.annotations(["a1"])[0].sentences == (Sentence(0, 5),)
        assert store.rejections() == [Rejected("x", "empty")]
        assert store.stories() == [story]
    with Store.open(path, read_only=True) as store:
        assert store.get_story("s1") == story


def test_a_file_that_is_not_a_database_raises_store_error(tmp_path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("just some notes\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="not a DuckDB database") as caught:
        Store.open(path)
    assert str(path) in str(caught.value)


def test_another_duckdb_database_is_not_taken_over(tmp_path) -> None:
    import duckdb

    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE articles (x INTEGER)")
    with pytest.raises(StoreError, match="not a newsfuse store"):
        Store.open(path)


def test_a_store_from_a_newer_newsfuse_is_refused(tmp_path) -> None:
    import duckdb

    path = tmp_path / "db.duckdb"
    Store.open(path).close()
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    with pytest.raises(StoreError, match="upgrade newsfuse"):
        Store.open(path)


def test_read_only_open_of_a_missing_file_raises_store_error(tmp_path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_store_locked_by_another_process_raises_store_error(tmp_path) -> None:
    path = tmp_path / "db.duckdb"
    Store.open(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
            "time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="another process") as caught:
            Store.open(path)
        assert str(path) in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_failed_batch_stores_nothing_and_keeps_earlier_batches(tmp_path) -> None:
    with Store.open(tmp_path / "db.duckdb") as store:
        store.add_articles([_article("a1")])
        broken = replace(_article("a2"), credits=(object(),))  # DuckDB cannot store this value
        with pytest.raises(StoreError, match="none of them was stored"):
            store.add_articles([_article("a3"), broken])
        assert [a.id for a in store.articles()] == ["a1"]
        assert store.add_articles([_article("a3")]) == ["a3"]


def test_a_closed_store_raises_store_error(tmp_path) -> None:
    store = Store.open(tmp_path / "db.duckdb")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.articles()


def test_story_accounts_are_stored_as_contract_json(tmp_path) -> None:
    import duckdb

    path = tmp_path / "db.duckdb"
    article = _article("a1")
    with Store.open(path) as store:
        store.put_stories([_story("s1", article)])
    with duckdb.connect(str(path), read_only=True) as con:
        (account,) = con.execute("SELECT account FROM stories").fetchone()
    assert json.loads(account)["id"] == "s1"


def test_extreme_values_round_trip(tmp_path) -> None:
    article = _article(
        "edge\x00\u2603",
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5, microseconds=3))),  # before year 1 in UTC
        outlet="",
        credits=("",),
    )
    article = replace(article, provenance=Provenance("x", "jsonl", 2**40), text="nul\x00 and \U0001f600")
    with Store.open(tmp_path / "db.duckdb") as store:
        store.add_articles([article])
        assert store.get_article(article.id) == article


def test_unannotated_ids_lists_what_annotation_still_needs(tmp_path):
    with Store.open(str(tmp_path / "u.duckdb")) as store:
        store.add_articles([_article("a1"), _article("a2")])
        assert sorted(store.unannotated_ids()) == ["a1", "a2"]
        store.put_annotations([Annotated(store.get_article("a1"), (), (), ())])
        assert store.unannotated_ids() == ["a2"]


def test_a_merged_story_redirects_and_chains_collapse(tmp_path) -> None:
    a, b, c = _article("a"), _article("b"), _article("c")
    with Store.open(tmp_path / "s.duckdb") as store:
        store.add_articles([a, b, c])
        store.put_stories([_story("s-a", a), _story("s-b", b), _story("s-c", c)])
        store.put_stories([_story("s-b", a, b)])
        store.merge_stories({"s-a": "s-b"})
        assert store.get_story("s-a").id == "s-b"
        assert store.story_ids_by_article() == {"a": "s-b", "b": "s-b", "c": "s-c"}
        # s-b then goes into s-c: the old redirect moves on, so s-a leads to s-c in one step.
        store.put_stories([_story("s-c", a, b, c)])
        store.merge_stories({"s-b": "s-c"})
        assert store.redirects() == {"s-a": "s-c", "s-b": "s-c"}
        assert [s.id for s in store.stories()] == ["s-c"]
        assert store.get_story("s-a").id == "s-c"
        with pytest.raises(NotFoundError):
            store.get_story("s-unknown")


def test_ungrouped_ids_are_the_articles_no_story_holds(tmp_path) -> None:
    early, late, undated = (
        _article("e", datetime(2017, 2, 1)),
        _article("l", datetime(2017, 2, 3)),
        _article("u"),
    )
    with Store.open(tmp_path / "s.duckdb") as store:
        store.add_articles([undated, late, early])
        assert store.ungrouped_ids() == ["e", "l", "u"]
        store.put_stories([_story("s-l", late)])
        assert store.ungrouped_ids() == ["e", "u"]


def test_the_stream_state_round_trips(tmp_path) -> None:
    import numpy as np

    from newsfuse.cluster import ArticleFeatures, StoryStream
    from newsfuse.cluster.features import EMBEDDING_DIM

    stream = StoryStream()
    vector = np.full(EMBEDDING_DIM, 1 / np.sqrt(EMBEDDING_DIM / 2), dtype=np.float32)
    stream.place(ArticleFeatures("a", datetime(2017, 2, 11), {"iran": 2, "airspac": 1}, vector))
    with Store.open(tmp_path / "s.duckdb") as store:
        assert store.stream_state() is None
        store.save_stream_state(stream.state())
    with Store.open(tmp_path / "s.duckdb", read_only=True) as store:
        saved = store.stream_state()
    assert saved is not None
    expected = stream.state()
    assert (saved.articles_seen, saved.clock, saved.document_frequency) == (
        expected.articles_seen,
        expected.clock,
        expected.document_frequency,
    )
    (story,) = saved.stories
    assert story.id == expected.stories[0].id and story.terms == pytest.approx(expected.stories[0].terms)
    assert np.allclose(story.indexed_vector, expected.stories[0].indexed_vector)


def test_a_store_from_before_codes_and_versions_opens_and_reads(tmp_path) -> None:
    import duckdb

    from newsfuse.store.duckdb_store import MIGRATIONS
    from newsfuse.types import RejectCode

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    for step in (s for steps in MIGRATIONS[:2] for s in steps):
        con.execute(step)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute(
        "INSERT INTO articles (id, title, text, outlet_inferred, source, format, credits, removed, "
        "ingested_at) VALUES ('a1', 'Old', 'An article stored before versions.', false, 'old.txt', 'txt', "
        "[], [], now())"
    )
    con.execute("INSERT INTO rejections VALUES ('gone.txt', 'no such file or folder', now())")
    con.close()

    with Store.open(path) as store:
        (article,) = store.articles()
        assert (article.id, article.source_id, article.canonical_url, article.warnings) == (
            "a1",
            None,
            None,
            (),
        )
        assert article.superseded_by is None and store.ungrouped_ids() == ["a1"]
        (rejected,) = store.rejections()
        assert rejected.code == RejectCode.OTHER and rejected.reason == "no such file or folder"
