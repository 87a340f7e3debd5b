"""The story timeline (fuse/timeline.py) and the dates claims and quotes carry."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from conftest import REPO

from newsfuse.fuse import StoryFuser
from newsfuse.fuse.timeline import story_timeline
from newsfuse.nlp.timex import find_timexes
from newsfuse.types import Annotated, Article, Provenance, Sentence

EXAMPLE = REPO / "examples" / "articles.jsonl"  # the two seeds, with their publication dates


@pytest.fixture(scope="module")
def example_story():
    from newsfuse.nlp.pipeline import Annotator
    from newsfuse.pipeline import read_articles

    articles = read_articles([EXAMPLE], progress=False).articles
    annotated = list(Annotator().annotate(list(articles)))
    return annotated, StoryFuser().fuse("s", annotated)


def _entry(story, words: str):
    return [e for e in story.timeline if words in e.text]


def test_seed_timeline_places_the_strike_and_the_summit(example_story) -> None:
    annotated, story = example_story
    newsweek = next(a.article for a in annotated if a.article.outlet == "Newsweek")
    (strike,) = _entry(story, "killed three Turkish soldiers")
    # Newsweek, published Saturday 2017-02-11: "Russian air strikes on Thursday".
    assert (strike.date, strike.granularity) == ("2017-02-09", "day")
    assert strike.citations[0].article_id == newsweek.id
    assert [newsweek.text[c.start : c.end] for c in strike.expressions] == ["Thursday"]
    (summit,) = _entry(story, "summit in Moscow")
    assert (summit.date, summit.granularity) == ("2016-12", "month")


def test_timeline_is_ordered_and_cites_exact_sentences(example_story) -> None:
    annotated, story = example_story
    texts = {a.article.id: a.article.text for a in annotated}
    assert story.timeline
    assert [e.date for e in story.timeline] == sorted(e.date for e in story.timeline)
    for entry in story.timeline:
        first = entry.citations[0]
        assert texts[first.article_id][first.start : first.end] == entry.text
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", entry.date)
        for expression in entry.expressions:
            assert any(c.start <= expression.start and expression.end <= c.end for c in entry.citations)


def test_claims_and_quotes_carry_the_date_of_their_time_expression(example_story) -> None:
    annotated, story = example_story
    (claim,) = [c for c in story.claims if "killed three Turkish soldiers" in c.text]
    assert claim.date == "2017-02-09"
    newsweek = next(a.article.id for a in annotated if a.article.outlet == "Newsweek")
    dates = {
        q.cue: q.date
        for q in story.quotes
        if q.article_id == newsweek and q.speaker and q.speaker.name == "Ali Shamkhani" and q.direct
    }
    # "Ali Shamkhani ... on Saturday told ... Fars: ..."; then '"...," Shamkhani added.', with no date.
    assert dates == {"told": "2017-02-11", "added": None}
    assert any(c.date is None for c in story.claims)


def test_dates_are_no_entities(example_story) -> None:
    annotated, story = example_story
    assert {e.type for e in story.entities} <= {"PERSON", "ORG", "PLACE"}
    assert all(m.type != "DATE" for a in annotated for m in a.mentions)
    assert all(a.timexes for a in annotated)


def _annotated(article_id: str, text: str, published: datetime) -> Annotated:
    article = Article(
        article_id, "T", text, Provenance(article_id, "txt"), outlet=article_id, published=published
    )
    sentences = tuple(Sentence(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text))
    return Annotated(article, sentences, (), (), find_timexes(text, published))


def test_articles_dating_an_event_alike_share_one_entry() -> None:
    saturday = _annotated(
        "a", "Russian strikes on Thursday killed three Turkish soldiers.", datetime(2017, 2, 11)
    )
    tuesday = _annotated("b", "Three Turkish soldiers were killed by Russian strikes on Thursday.",
                         datetime(2017, 2, 14))  # fmt: skip
    (entry,) = story_timeline([saturday, tuesday], align_threshold=0.2)
    assert entry.date == "2017-02-09" and [c.article_id for c in entry.citations] == ["a", "b"]
    # A report a week later means another Thursday: two events, two entries, in date order.
    later = _annotated(
        "c", "Russian strikes on Thursday killed three Turkish soldiers.", datetime(2017, 2, 18)
    )
    dates = [e.date for e in story_timeline([saturday, later], align_threshold=0.2)]
    assert dates == ["2017-02-09", "2017-02-16"]


def test_undated_and_vague_sentences_stay_off_the_timeline() -> None:
    item = _annotated("a", "Talks lasted two days. Prices are now higher. He left on Thursday.", None)  # type: ignore[arg-type]
    assert story_timeline([item], align_threshold=0.2) == ()
    # The dateline dates the report, not an event.
    text = "WASHINGTON, February 11, 2017 - He left on Thursday. It rained."
    dated = _annotated("d", text, datetime(2017, 2, 11))
    assert [(e.date, e.text) for e in story_timeline([dated], 0.2)] == [("2017-02-09", text[:-11])]


def test_reports_show_the_timeline(example_story) -> None:
    from newsfuse.report import render_html, render_markdown

    annotated, story = example_story
    articles = {a.article.id: a.article for a in annotated}
    markdown = render_markdown(story, articles)
    assert "## Timeline" in markdown and "- **2017-02-09** It was not immediately clear" in markdown
    assert "### Dates" not in markdown
    html = render_html(story, articles)
    assert '<section id="timeline">' in html and '<time datetime="2016-12">2016-12</time>' in html
