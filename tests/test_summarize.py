"""The summary step: furniture, contested claims, a neutral voice, coverage of origins, exact citations."""

from __future__ import annotations

import json

import pytest

from newsfuse.fuse import StoryFuser
from newsfuse.fuse.summarize import loaded_headline_words, loaded_words
from newsfuse.nlp.pipeline import Annotator
from newsfuse.pipeline import read_articles

CAPTION = "Photos: Crowds gather on the Promenade des Anglais in Nice for a vigil after the attack."


def _story(tmp_path, records, **fuser):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    read = read_articles([path], progress=False)
    assert not read.rejected
    annotated = list(Annotator().annotate(list(read.articles)))
    return StoryFuser(**fuser).fuse("s", annotated), {a.id: a for a in read.articles}


def _record(n, outlet, title, *sentences, published="2016-07-15T10:00:00"):
    text = " ".join(sentences)
    return {"id": f"a{n}", "outlet": outlet, "title": title, "text": text, "published": published}


def test_loaded_words_are_the_outlets_own_evaluative_words():
    found = loaded_words("The senator gave a pathetic, disastrous speech on Tuesday.")
    assert found == ["pathetic", "disastrous"]
    # Quoted words are the speaker's, not the outlet's.
    assert loaded_words('The senator called the plan "disastrous" on Tuesday.') == []
    assert loaded_words("The city council voted on Tuesday to rebuild the bridge.") == []
    # Words news uses to describe rather than judge are not loaded.
    assert loaded_words("The deadly attack was the latest in France.") == []
    # A name is not a word ("Nice"), but a title-case headline is read in lower case.
    assert loaded_words("Police in Nice named the driver.") == []
    assert loaded_headline_words("Harvard Rescinds Admission. This Is Disgusting.") == ["disgusting"]
    assert loaded_headline_words("Council votes to rebuild bridge") == []


@pytest.fixture(scope="module")
def nice_story(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nice")
    records = [
        _record(
            1, "CNN", "Truck attack in Nice kills 84",
            "A truck drove into a crowd celebrating Bastille Day in Nice on Thursday night, killing 84.",
            "French President Francois Hollande called the attack an act of terror.",
            CAPTION,
        ),
        _record(
            2, "CNN", "Nice attacker identified by police",
            "Police in Nice named the driver of the truck as a 31-year-old man who lived in the city.",
            "Investigators searched his apartment on Friday morning.",
            CAPTION,
        ),
        _record(
            3, "BBC", "Nice lorry attack: 84 killed on Bastille Day",
            "A lorry was driven into crowds celebrating Bastille Day in the French city of Nice, killing 84.",
            "The driver, a 31-year-old man living in Nice, was shot dead by police.",
            "The horrific, disgusting attack shocked France.",
        ),
    ]  # fmt: skip
    return _story(tmp, records)


def test_text_two_pages_of_one_outlet_share_is_never_summarised(nice_story):
    story, _ = nice_story
    assert story.summary
    assert all(CAPTION not in s.text for s in story.summary)


def test_every_summary_sentence_is_its_first_citations_words(nice_story):
    story, articles = nice_story
    for sentence in story.summary:
        first = sentence.citations[0]
        assert articles[first.article_id].text[first.start : first.end] == sentence.text


def test_each_origin_has_a_sentence_before_any_origin_has_two(nice_story):
    story, _ = nice_story
    claims = {c.citations[0]: c for c in story.claims}
    covered: set[str] = set()
    every = {o for s in story.summary for o in _origins(s, story)}
    for sentence in story.summary:
        origins = set(_origins(sentence, story))
        if covered != every:
            assert origins - covered, "a second sentence of one origin came before an origin's first"
        covered |= origins
    assert claims


def _origins(sentence, story):
    for claim in story.claims:
        if set(claim.citations) == set(sentence.citations):
            return claim.origins
    raise AssertionError(f"no claim cites {sentence.text!r}")


def test_loaded_wording_is_attributed_or_passed_over(nice_story):
    story, _ = nice_story
    for sentence in story.summary:
        if loaded_words(sentence.text):
            assert sentence.voice == "BBC", sentence
        else:
            assert sentence.voice is None


def test_a_contested_claim_is_never_stated_as_settled(tmp_path):
    story, _ = _story(
        tmp_path,
        [
            _record(1, "CNN", "Fire", "The fire at the chemical plant in Lyon killed 12 workers on Monday."),
            _record(2, "BBC", "Fire", "The fire at the chemical plant in Lyon killed 15 workers on Monday."),
        ],
    )  # fmt: skip
    contested = [c for c in story.claims if c.status == "contested"]
    assert contested, [c.status for c in story.claims]
    cited = {c for claim in contested for c in claim.citations}
    assert not any(set(s.citations) & cited for s in story.summary)


def test_a_loaded_sentence_gives_way_to_a_neutral_one_of_its_claim_or_names_its_outlet(tmp_path):
    story, _ = _story(
        tmp_path,
        [
            _record(
                1, "Breitbart", "Council passes bridge cuts",
                "The council's disastrous plan to cut the bridge repair budget by half passed on Tuesday.",
                "The pathetic mayor of Springfield announced a stunning tax rise for every household.",
            ),
            _record(
                2, "Reuters", "Springfield council halves bridge budget",
                "The council's plan to cut the bridge repair budget by half passed on Tuesday.",
                "Engineers said the Main Street bridge needs new supports within two years.",
            ),
        ],
    )  # fmt: skip
    texts = {s.text: s for s in story.summary}
    # The bridge claim is stated in Reuters' neutral words, not Breitbart's.
    assert "The council's plan to cut the bridge repair budget by half passed on Tuesday." in texts
    assert not any(t.startswith("The council's disastrous") for t in texts)
    # A loaded sentence with no neutral counterpart is said in its outlet's name.
    for sentence in story.summary:
        assert (sentence.voice == "Breitbart") == bool(loaded_words(sentence.text)), sentence
    assert any(s.voice == "Breitbart" for s in story.summary)
