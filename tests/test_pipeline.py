"""The whole job on the seeds, through the Python API: one story, stable ids, nothing stored twice."""

from __future__ import annotations

import json

from conftest import SEED_FILES

import newsfuse


def test_seeds_make_one_story_with_sourced_account(seed_run):
    base, result = seed_run
    assert len(result.articles) == 2 and not result.rejected
    assert len(result.stories) == 1
    story = result.stories[0]
    assert len(story.articles) == 2
    # Both seeds relay Shamkhani's words to Fars: the shared fact is relayed, not corroborated.
    assert story.summary and any(c.status == "relayed" and len(c.outlets) == 2 for c in story.claims)
    speakers = {q.speaker.name for q in story.quotes if q.speaker}
    assert "Ali Shamkhani" in speakers


def test_seed_statements_resolve_the_role_and_group_the_relays(seed_run):
    """Breitbart's "secretary general of Iran's national security council" and Newsweek's "Ali Shamkhani,
    secretary of Iran's National Security Council" are one speaker; both strategic-cooperation quotes
    came through Fars and are one statement."""
    _, result = seed_run
    (story,) = result.stories
    strategic = [i for i, q in enumerate(story.quotes) if "strategic" in q.text]
    assert len({story.quotes[i].article_id for i in strategic}) == 2
    for i in strategic:
        q = story.quotes[i]
        assert q.speaker is not None and q.speaker.name == "Ali Shamkhani", q.speaker
        assert any(o.startswith("Fars") for o in q.via), q.via
    breitbart = next(story.quotes[i] for i in strategic if story.quotes[i].speaker.kind == "role")
    assert "secretary general" in breitbart.speaker.text and "descriptor" in breitbart.speaker.how
    grouping = [st for st in story.statements if set(strategic) <= set(st.quotes)]
    assert len(grouping) == 1 and grouping[0].speaker == "Ali Shamkhani"
    assert grouping[0].origin is not None and grouping[0].origin.startswith("Fars")


def test_outputs_follow_the_contract(seed_run):
    base, result = seed_run
    stories = json.loads((base / "out" / "stories.json").read_text(encoding="utf-8"))
    articles = json.loads((base / "out" / "articles.json").read_text(encoding="utf-8"))
    assert isinstance(stories, list) and len(stories) == 1
    story = stories[0]
    keys = ("id", "title", "articles", "summary", "claims", "quotes", "entities", "origins", "details")
    for key in (*keys, "timeline", "statements"):
        assert key in story
    assert story["contract_version"] == "2.2"
    origin_ids = {o["id"] for o in story["origins"]}
    texts = {a["id"]: a["text"] for a in articles}
    for a in articles:
        assert {"id", "outlet", "title", "url", "published", "text"} <= set(a)
    for sentence in story["summary"]:
        c = sentence["citations"][0]
        assert texts[c["article_id"]][c["start"] : c["end"]] == sentence["text"]
    for claim in story["claims"]:
        assert claim["status"] in {"corroborated", "relayed", "single_source", "contested", "updated"}
        assert set(claim["origins"]) <= origin_ids
        for s in claim["support"]:
            c = s["citation"]
            assert texts[c["article_id"]][c["start"] : c["end"]] and s["origin"] in origin_ids
    for q in story["quotes"]:
        assert texts[q["article_id"]][q["start"] : q["end"]] == q["text"]
        spk = q["speaker"]
        if spk is not None:
            assert set(spk) == {"text", "kind", "start", "end", "name", "how"}
            assert texts[q["article_id"]][spk["start"] : spk["end"]] == spk["text"]
            assert spk["kind"] in {"name", "role", "pronoun", "organisation", "unnamed"}
    for st in story["statements"]:
        assert set(st) == {"speaker", "text", "quotes", "origin"}
        assert all(0 <= i < len(story["quotes"]) for i in st["quotes"])
    for e in story["entities"]:
        assert {"name", "type", "aliases", "mentions"} <= set(e)
    # The cleaned canonical text carries no page furniture.
    all_text = "\n".join(texts.values())
    for furniture in ("Newsweek magazine delivered to your door", "Unlimited access", "Ad free experience"):
        assert furniture not in all_text
    story_id = story["id"]
    assert (base / "out" / "stories" / f"{story_id}.md").exists()
    assert (base / "out" / "stories" / f"{story_id}.html").exists()


def test_running_the_same_input_again_stores_nothing_new_and_keeps_ids(seed_run, tmp_path):
    base, first = seed_run
    again = newsfuse.run(SEED_FILES, db=base / "news.duckdb", progress=False)
    assert [s.id for s in again.stories] == [s.id for s in first.stories]
    with newsfuse.open_store(str(base / "news.duckdb")) as store:
        assert len(store.articles()) == 2
        assert [s.id for s in store.stories()] == [s.id for s in first.stories]
    # A fresh database, the inputs in the other order: the same ids.
    other = newsfuse.run(list(reversed(SEED_FILES)), db=tmp_path / "other.duckdb", progress=False)
    assert [s.id for s in other.stories] == [s.id for s in first.stories]


def test_a_bad_input_is_reported_and_the_rest_goes_on(tmp_path):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"title": "no text field"}\nnot json at all\n', encoding="utf-8")
    result = newsfuse.run(
        [SEED_FILES[0], bad, tmp_path / "missing.txt"], db=tmp_path / "db.duckdb", progress=False
    )
    assert len(result.articles) == 1
    sources = " ".join(r.source for r in result.rejected)
    assert "broken.jsonl" in sources and "missing.txt" in sources
    assert all(r.reason for r in result.rejected)


def test_example_input_keeps_outlets_dates_and_the_outlet_chain(tmp_path):
    from conftest import REPO

    result = newsfuse.run([REPO / "examples" / "articles.jsonl"], db=tmp_path / "e.duckdb", progress=False)
    (story,) = result.stories
    assert [(a.outlet, a.published.date().isoformat()) for a in story.articles] == [
        ("Newsweek", "2017-02-11"),
        ("Breitbart", "2017-02-14"),
    ]
    chains = {q.via for q in story.quotes}
    assert ("Fars News", "Rudaw", "Breitbart") in chains
    assert ("Fars", "Newsweek") in chains
    shoigu = [q for q in story.quotes if q.speaker and q.speaker.name == "Sergei Shoigu"]
    assert shoigu and all(q.cue == "declared" and q.direct for q in shoigu)


def test_a_story_keeps_its_id_when_later_batches_join_it(tmp_path):
    db = tmp_path / "batches.duckdb"
    ids = []
    for order in (SEED_FILES, list(reversed(SEED_FILES))):
        first = newsfuse.run([order[0]], db=db, progress=False)
        second = newsfuse.run([order[1]], db=db, progress=False)
        assert len(second.stories) == 1 and len(second.stories[0].articles) == 2
        assert second.stories[0].id == first.stories[0].id
        ids.append(first.stories[0].id)
        db = tmp_path / "batches-reversed.duckdb"
    with newsfuse.open_store(str(db)) as store:
        assert [s.id for s in store.stories()] == [ids[1]]


def test_example_story_ids_do_not_depend_on_batching(tmp_path):
    """The example's articles in one run, or one a run in publication order: the same story and id.

    (A batch is placed in publication order, so feeding one by one in that order is the same stream.)
    """
    from conftest import REPO

    lines = (REPO / "examples" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    lines.sort(key=lambda line: json.loads(line)["published"])
    together = newsfuse.run(
        [REPO / "examples" / "articles.jsonl"], db=tmp_path / "one.duckdb", progress=False
    )
    ids = []
    for i, line in enumerate(lines):
        single = tmp_path / f"record-{i}.jsonl"
        single.write_text(line + "\n", encoding="utf-8")
        ids.append(newsfuse.run([single], db=tmp_path / "each.duckdb", progress=False).stories[0].id)
    assert [s.id for s in together.stories] == ids[-1:] and set(ids) == set(ids[-1:])


def test_a_store_grouped_before_streams_keeps_its_stories(seed_run, tmp_path):
    """A store with stories but no saved stream (made by an older newsfuse) carries its stories over."""
    import shutil

    import duckdb

    base, first = seed_run
    db = tmp_path / "old.duckdb"
    shutil.copy(base / "news.duckdb", db)
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM stream_counters")
    con.close()
    again = newsfuse.run(SEED_FILES, db=db, progress=False)
    assert [s.id for s in again.stories] == [s.id for s in first.stories]
    with newsfuse.open_store(str(db)) as store:
        assert store.stream_state() is not None and [s.id for s in store.stories()] == [first.stories[0].id]


def test_a_retired_story_stays_in_the_store(tmp_path):
    """With stories retired after a day, the Breitbart report (three days after Newsweek's) opens a story
    of its own; Newsweek's story has left the stream but is still stored and shown."""
    from conftest import REPO

    from newsfuse.config import load_settings

    settings = load_settings(cluster_retire_days=1.0)
    db = tmp_path / "retire.duckdb"
    result = newsfuse.run([REPO / "examples" / "articles.jsonl"], db=db, settings=settings, progress=False)
    assert len(result.stories) == 2
    with newsfuse.open_store(str(db)) as store:
        state = store.stream_state()
        assert state is not None and len(state.stories) == 1
        newsweek = next(s for s in result.stories if s.articles[0].outlet == "Newsweek")
        assert newsweek.id not in {r.id for r in state.stories}
        assert store.get_story(newsweek.id).articles[0].outlet == "Newsweek"
