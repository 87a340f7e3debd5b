"""The JSON contract: every record survives to_dict -> json -> from_dict unchanged."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.serialize import (
    CONTRACT_VERSION,
    annotated_from_dict,
    annotated_to_dict,
    article_from_dict,
    article_to_dict,
    story_from_dict,
    story_to_dict,
)
from newsfuse.types import (
    Annotated,
    Article,
    ArticleRef,
    Citation,
    Claim,
    Conflict,
    ConflictSide,
    Detail,
    Entity,
    Mention,
    Origin,
    Provenance,
    Quote,
    Sentence,
    SpeakerRef,
    Statement,
    Story,
    StoryQuote,
    SummarySentence,
    Support,
    TimeExpression,
    TimelineEntry,
)


def small_tuples(items: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(items, max_size=4).map(tuple)


texts = st.text(max_size=30)
optional_texts = st.none() | texts
ints = st.integers(min_value=-(2**40), max_value=2**40)
offsets = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
)
datetimes = st.none() | st.datetimes(timezones=st.none() | offsets.map(timezone))

provenances = st.builds(
    Provenance,
    source=texts,
    format=st.sampled_from(["txt", "html", "jsonl", "json"]),
    record=st.none() | ints,
)
articles = st.builds(
    Article,
    id=texts,
    title=texts,
    text=texts,
    provenance=provenances,
    url=optional_texts,
    outlet=optional_texts,
    outlet_inferred=st.booleans(),
    outlet_evidence=optional_texts,
    published=datetimes,
    credits=small_tuples(texts),
    removed=small_tuples(texts),
)
citations = st.builds(Citation, article_id=texts, start=ints, end=ints)
stories = st.builds(
    Story,
    id=texts,
    title=texts,
    articles=small_tuples(
        st.builds(
            ArticleRef, id=texts, outlet=optional_texts, title=texts, url=optional_texts, published=datetimes
        )
    ),
    summary=small_tuples(
        st.builds(SummarySentence, text=texts, citations=small_tuples(citations), voice=st.none() | texts)
    ),
    claims=small_tuples(
        st.builds(
            Claim,
            text=texts,
            status=st.sampled_from(["corroborated", "relayed", "single_source", "contested", "updated"]),
            support=small_tuples(
                st.builds(
                    Support,
                    citation=citations,
                    stance=st.sampled_from(["agrees", "contradicts", "updates"]),
                    origin=texts,
                )
            ),
            outlets=small_tuples(texts),
            origins=small_tuples(texts),
            date=optional_texts,
        )
    ),
    quotes=small_tuples(
        st.builds(
            StoryQuote,
            speaker=st.none()
            | st.builds(
                SpeakerRef,
                text=texts,
                kind=st.sampled_from(["name", "role", "pronoun", "organisation", "unnamed"]),
                start=ints,
                end=ints,
                name=optional_texts,
                how=optional_texts,
            ),
            cue=texts,
            text=texts,
            article_id=texts,
            start=ints,
            end=ints,
            direct=st.booleans(),
            via=small_tuples(texts),
            date=optional_texts,
        )
    ),
    entities=small_tuples(
        st.builds(
            Entity, name=texts, type=texts, aliases=small_tuples(texts), mentions=small_tuples(citations)
        )
    ),
    timeline=small_tuples(
        st.builds(
            TimelineEntry,
            date=texts,
            granularity=st.sampled_from(["day", "month", "year"]),
            text=texts,
            citations=small_tuples(citations),
            expressions=small_tuples(citations),
        )
    ),
    statements=small_tuples(
        st.builds(Statement, speaker=texts, text=texts, quotes=small_tuples(ints), origin=optional_texts)
    ),
    origins=small_tuples(
        st.builds(
            Origin,
            id=texts,
            name=texts,
            kind=st.sampled_from(["statement", "wire", "outlet"]),
            articles=small_tuples(texts),
            evidence=small_tuples(citations),
        )
    ),
    details=small_tuples(st.builds(Detail, text=texts, citations=small_tuples(citations), origin=texts)),
    conflicts=small_tuples(
        st.builds(
            Conflict,
            kind=st.sampled_from(["number", "date", "negation", "actor", "other"]),
            relation=st.sampled_from(["disagree", "update"]),
            sides=small_tuples(
                st.builds(
                    ConflictSide,
                    text=texts,
                    citations=small_tuples(citations),
                    published=datetimes,
                    origin=texts,
                )
            ),
            claim=ints,
        )
    ),
)
annotateds = st.builds(
    Annotated,
    article=articles,
    sentences=small_tuples(st.builds(Sentence, start=ints, end=ints)),
    mentions=small_tuples(st.builds(Mention, start=ints, end=ints, text=texts, type=texts, label=texts)),
    quotes=small_tuples(
        st.builds(
            Quote,
            content_start=ints,
            content_end=ints,
            cue=texts,
            cue_start=ints,
            cue_end=ints,
            direct=st.booleans(),
            speaker=optional_texts,
            speaker_start=st.none() | ints,
            speaker_end=st.none() | ints,
            via=small_tuples(texts),
            speaker_kind=optional_texts,
            speaker_name=optional_texts,
            speaker_how=optional_texts,
        )
    ),
    timexes=small_tuples(
        st.builds(
            TimeExpression,
            start=ints,
            end=ints,
            text=texts,
            type=st.sampled_from(["DATE", "TIME", "DURATION", "SET"]),
            value=texts,
            anchor=st.none() | st.sampled_from(["published", "dateline"]),
            anchor_date=optional_texts,
            mod=optional_texts,
            rule=texts,
        )
    ),
)


def _through_json(data: dict) -> dict:
    return json.loads(json.dumps(data))


@given(stories)
def test_story_round_trip(story: Story) -> None:
    data = story_to_dict(story)
    assert data["contract_version"] == CONTRACT_VERSION
    assert story_from_dict(_through_json(data)) == story


@given(articles)
def test_article_round_trip(article: Article) -> None:
    assert article_from_dict(_through_json(article_to_dict(article))) == article


@given(annotateds)
def test_annotated_round_trip_with_and_without_article(annotated: Annotated) -> None:
    assert annotated_from_dict(_through_json(annotated_to_dict(annotated))) == annotated
    bare = _through_json(annotated_to_dict(annotated, with_article=False))
    assert "article" not in bare
    assert annotated_from_dict(bare, annotated.article) == annotated


@pytest.mark.parametrize(
    "offset",
    [
        timedelta(0),
        timedelta(hours=-5),
        timedelta(hours=5, minutes=30),
        -timedelta(seconds=1, microseconds=7),
    ],
)
def test_published_keeps_its_exact_offset(offset: timedelta) -> None:
    published = datetime(2017, 2, 14, 9, 30, 0, 12, tzinfo=timezone(offset))
    article = Article("a1", "T", "body", Provenance("x", "txt"), published=published)
    back = article_from_dict(_through_json(article_to_dict(article))).published
    assert back == published and back.utcoffset() == offset


def _small_story() -> Story:
    return Story(
        id="s1",
        title="Title",
        articles=(ArticleRef("a1", None, "T", None, None),),
        summary=(SummarySentence("A sentence.", (Citation("a1", 0, 5),)),),
        claims=(
            Claim(
                "A",
                "corroborated",
                (
                    Support(Citation("a1", 0, 1), "agrees", "o1"),
                    Support(Citation("a2", 3, 4), "agrees", "o2"),
                ),
                ("X", "Y"),
                ("o1", "o2"),
            ),
        ),
        origins=(Origin("o1", "X", "outlet", ("a1",)), Origin("o2", "Reuters", "wire", ("a2",))),
        details=(Detail("B", (Citation("a1", 2, 3),), "o1"),),
    )


def test_story_dict_has_the_contract_shape() -> None:
    data = story_to_dict(_small_story())
    assert list(data) == [
        "contract_version",
        "id",
        "title",
        "articles",
        "summary",
        "claims",
        "quotes",
        "entities",
        "timeline",
        "statements",
        "origins",
        "details",
        "conflicts",
    ]
    assert data["articles"] == [{"id": "a1", "outlet": None, "title": "T", "url": None, "published": None}]
    assert data["summary"] == [
        {"text": "A sentence.", "citations": [{"article_id": "a1", "start": 0, "end": 5}], "voice": None}
    ]
    assert data["claims"][0]["status"] == "corroborated"
    assert data["claims"][0]["outlets"] == ["X", "Y"] and data["claims"][0]["origins"] == ["o1", "o2"]
    assert data["claims"][0]["support"][0] == {
        "citation": {"article_id": "a1", "start": 0, "end": 1},
        "stance": "agrees",
        "origin": "o1",
    }
    assert data["origins"][1] == {
        "id": "o2",
        "name": "Reuters",
        "kind": "wire",
        "articles": ["a2"],
        "evidence": [],
    }
    assert data["details"] == [
        {"text": "B", "citations": [{"article_id": "a1", "start": 2, "end": 3}], "origin": "o1"}
    ]


def test_article_dict_has_the_contract_fields() -> None:
    article = Article("a1", "T", "body", Provenance("in.jsonl", "jsonl", 3), outlet="Rudaw", credits=("AP",))
    data = article_to_dict(article)
    for key in (
        "id",
        "outlet",
        "title",
        "url",
        "published",
        "text",
        "outlet_inferred",
        "outlet_evidence",
        "source",
        "credits",
    ):
        assert key in data
    assert data["source"] == "in.jsonl" and data["record"] == 3 and data["credits"] == ["AP"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("title"), "story: missing field 'title'"),
        (lambda d: d.update(title=None), "story.title: expected a string"),
        (
            lambda d: d["claims"][0].update(status="likely"),
            r"story.claims\[0\].status: 'likely' is not one of",
        ),
        (lambda d: d["claims"][0]["support"][1].update(stance="maybe"), "'maybe' is not one of agrees"),
        (lambda d: d["origins"][0].pop("kind"), r"story.origins\[0\]: missing field 'kind'"),
        (lambda d: d.update(contract_version="3.0"), "contract version '3.0'"),
        (lambda d: d["summary"][0]["citations"][0].update(start="0"), "expected an integer"),
        (lambda d: d["summary"][0]["citations"][0].update(start=True), "expected an integer"),
        (lambda d: d["claims"][0].update(outlets="X"), "expected a list"),
        (lambda d: d.update(articles={}), "story.articles: expected a list"),
    ],
)
def test_malformed_story_dicts_raise_value_error(change, message) -> None:
    data = story_to_dict(_small_story())
    change(data)
    with pytest.raises(ValueError, match=message):
        story_from_dict(data)


def test_a_later_minor_contract_version_is_read() -> None:
    data = story_to_dict(_small_story())
    data["contract_version"] = "2.7"
    data["claims"][0]["confidence"] = 0.9  # a field a later minor version adds is ignored
    assert story_from_dict(data) == _small_story()


def test_a_story_stored_under_contract_1_0_still_reads() -> None:
    # The 1.0 shape: a claim's support was a list of bare citations; no origins, no details.
    old = {
        "contract_version": "1.0",
        "id": "s1",
        "title": "Title",
        "articles": [
            {"id": "a1", "outlet": "X", "title": "T", "url": None, "published": "2017-02-14T09:30:00"}
        ],
        "summary": [{"text": "A sentence.", "citations": [{"article_id": "a1", "start": 0, "end": 5}]}],
        "claims": [
            {
                "text": "A",
                "status": "corroborated",
                "support": [
                    {"article_id": "a1", "start": 0, "end": 1},
                    {"article_id": "a2", "start": 3, "end": 4},
                ],
                "outlets": ["X", "Y"],
            }
        ],
        "quotes": [],
        "entities": [],
    }
    story = story_from_dict(old)
    claim = story.claims[0]
    assert claim.citations == (Citation("a1", 0, 1), Citation("a2", 3, 4))
    assert all(s.stance == "agrees" and s.origin == "" for s in claim.support)
    assert claim.status == "corroborated" and claim.outlets == ("X", "Y") and claim.origins == ()
    assert story.origins == () and story.details == ()
    assert story_from_dict(story_to_dict(story)) == story


def test_annotation_needs_its_own_article() -> None:
    article = Article("a1", "T", "body", Provenance("x", "txt"))
    other = Article("a2", "T", "body", Provenance("x", "txt"))
    bare = annotated_to_dict(Annotated(article, (), (), ()), with_article=False)
    with pytest.raises(ValueError, match="no article"):
        annotated_from_dict(bare)
    with pytest.raises(ValueError, match="belongs to article 'a1'"):
        annotated_from_dict(bare, other)


def test_annotation_stored_before_time_expressions_still_reads() -> None:
    article = Article("a1", "T", "on Thursday", Provenance("x", "txt"))
    old = {"article_id": "a1", "sentences": [[0, 11]], "mentions": [], "quotes": []}
    assert annotated_from_dict(old, article).timexes == ()


def test_story_written_without_timeline_or_dates_still_reads() -> None:
    data = story_to_dict(_small_story())
    del data["timeline"]
    del data["claims"][0]["date"]
    story = story_from_dict(data)
    assert story.timeline == () and story.claims[0].date is None
