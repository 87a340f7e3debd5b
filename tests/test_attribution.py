"""The learned tagger, the speaker references of a story and its statements (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

from newsfuse.fuse.speakers import Descriptor, descriptor_words, match_role
from newsfuse.fuse.statements import story_statements
from newsfuse.nlp.attribution import extract_quotes
from newsfuse.nlp.attribution.tagger import (
    RoleSpan,
    link,
    load_model,
    load_tagger,
    model_path,
    model_quotes,
    paragraph_features,
    spans_from_tags,
    tag_labels,
    tagger_input,
    tokens,
)
from newsfuse.serialize import story_from_dict, story_to_dict
from newsfuse.types import ArticleRef, Mention, Sentence, SpeakerRef, Statement, Story, StoryQuote

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " "):
            out.append(Sentence(start, i + 1))
            start = i + 2
    return out


def test_the_model_ships_inside_the_package():
    path = model_path()
    assert path.is_file() and 100_000 < path.stat().st_size < 20_000_000


def _capitalised_mentions(text: str) -> list[Mention]:
    """Runs of capitalised words as mentions, typed in turn, so that entity features occur everywhere
    (at paragraph starts and ends too)."""
    types = ("PERSON", "ORG", "GPE")
    return [
        Mention(m.start(), m.end(), m.group(), types[k % 3], types[k % 3])
        for k, m in enumerate(re.finditer(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", text))
    ]


def test_run_time_decoding_gives_crfsuites_own_labels():
    """`crf.CompiledCRF` (weights summed per word, Viterbi over all paragraphs at once) against
    python-crfsuite's tagger on the feature strings of every paragraph, on the seed articles and on a
    text with quotations, cues and names at paragraph edges."""
    texts = [
        '"We will not sign," Smith said.\nHe said the deal was off.\n"Never."\nAccording to Reuters, '
        "officials believe the talks will fail. Jones told Fars News on Saturday that Iran wants peace\n"
        "Said Jones\n\n\u201cNo,\u201d she said",
        "Maria Lopez",
    ]
    seeds = sorted(SEEDS.glob("*.txt"))  # where the shared data is present: two whole articles
    texts += [p.read_text(encoding="utf-8") for p in seeds]
    model, tagger = load_model(), load_tagger()
    decoded = []
    for text in texts:
        inp = tagger_input(text, _sentences(text), _capitalised_mentions(text))
        expected = [tagger.tag(f) for f in paragraph_features(inp)]
        assert tag_labels(inp, model) == expected
        decoded += [lab for labs in expected for lab in labs]
    assert len(decoded) > (1000 if seeds else 50)
    assert {"B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT"} <= set(decoded)


def test_bio_labels_become_spans():
    text = "Officials said the deal was off."
    toks = tokens(text)
    labels = ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT", "O"]
    spans = spans_from_tags(toks, 0, labels)
    assert [(s.role, text[s.start : s.end]) for s in spans] == [
        ("SOURCE", "Officials"),
        ("CUE", "said"),
        ("CONTENT", "the deal was off"),
    ]


def test_link_gives_each_cue_its_nearest_source_and_content():
    spans = [
        RoleSpan("SOURCE", 0, 5),
        RoleSpan("CUE", 6, 10),
        RoleSpan("CONTENT", 11, 30),
        RoleSpan("CONTENT", 100, 120),
        RoleSpan("CUE", 122, 130),
        RoleSpan("SOURCE", 131, 140),
    ]
    first, second = link([spans])
    assert (first.source, first.cue, first.content) == (spans[0], spans[1], (spans[2],))
    assert (second.source, second.cue, second.content) == (spans[5], spans[4], (spans[3],))


def test_the_model_reaches_intentions_and_fears_the_rules_miss():
    mentions: list[Mention] = []
    for text, speaker, cue, said in (
        (
            "The senator wants the bill to pass before the election in November.",
            "The senator",
            "wants",
            "the bill",
        ),
        (
            "Republicans fear the nominee could cost them the Senate in November.",
            "Republicans",
            "fear",
            "nominee",
        ),
    ):
        assert not extract_quotes(text, _sentences(text), mentions, method="rules")
        (q,) = extract_quotes(text, _sentences(text), mentions, method="model")
        assert (q.speaker, q.cue) == (speaker, cue)
        assert said in text[q.content_start : q.content_end]


def test_a_role_joins_the_person_whose_descriptor_matches():
    desc = "secretary of Iran's National Security Council"
    found = match_role(
        "the secretary general of Iran’s national security council",
        [
            Descriptor("Ali Shamkhani", desc, descriptor_words(desc), "Newsweek"),
            Descriptor(
                "Sergei Shoigu", "Russian Defence Minister", descriptor_words("Russian Defence Minister"), "X"
            ),
        ],
    )
    assert found is not None and found.person == "Ali Shamkhani"
    assert (
        match_role(
            "the minister", [Descriptor("A B", "foreign minister", descriptor_words("foreign minister"), "X")]
        )
        is None
    )


def _quote(article: str, name: str | None, text: str, via: tuple[str, ...], start: int = 0) -> StoryQuote:
    ref = SpeakerRef(name or "he", "name" if name else "pronoun", start, start + 2, name, "as written")
    return StoryQuote(ref, "said", text, article, 10 + start, 20 + start, True, via)


FARS = "Fars News"


def test_statements_group_relays_of_one_speaker_across_articles():
    quotes = [
        _quote(
            "a",
            "Ali Shamkhani",
            "Iran's cooperation with Russia is completely strategic",
            ("Fars News", "Rudaw", "B"),
        ),
        _quote(
            "b", "Ali Shamkhani", "we have a fully strategic cooperation with Russia and Iran", ("Fars", "N")
        ),
        _quote("b", "Ali Shamkhani", "Russian planes have not refuelled", ("N",), start=40),
        _quote(
            "b", "Sergei Lavrov", "strategic cooperation with Russia and Iran is complete", ("N",), start=80
        ),
        _quote("a", None, "anything", ("B",)),
    ]
    statements = story_statements(quotes, {"a": "B", "b": "N"})
    assert statements[0] == Statement("Ali Shamkhani", quotes[0].text, (0, 1), "Fars News")
    assert [st.quotes for st in statements[1:]] == [(2,), (3,)]
    assert statements[1].origin is None


def test_story_speakers_and_statements_survive_serialisation():
    ref = SpeakerRef("the secretary general", "role", 3, 24, "Ali Shamkhani", "descriptor match")
    story = Story(
        id="s",
        title="t",
        articles=(ArticleRef("a", "B", "t", None, None),),
        quotes=(StoryQuote(ref, "told", "x", "a", 30, 31, True, ("Fars", "B")),),
        statements=(Statement("Ali Shamkhani", "x", (0,), "Fars"),),
    )
    data = story_to_dict(story)
    assert data["quotes"][0]["speaker"] == {
        "text": "the secretary general",
        "kind": "role",
        "start": 3,
        "end": 24,
        "name": "Ali Shamkhani",
        "how": "descriptor match",
    }
    assert data["statements"] == [{"speaker": "Ali Shamkhani", "text": "x", "quotes": [0], "origin": "Fars"}]
    assert story_from_dict(data) == story
    # a story stored before speakers were references still reads
    data["quotes"][0]["speaker"] = "Ali Shamkhani"
    data["contract_version"] = "1.0"
    del data["statements"]
    old = story_from_dict(data)
    assert old.quotes[0].speaker is not None and old.quotes[0].speaker.name == "Ali Shamkhani"


def test_a_tagger_relation_whose_source_is_an_unresolved_pronoun_is_dropped():
    text = (
        "Before the scandal, the little country had been riding high. It boasted one of the fastest "
        "growth rates in Latin America last year, above 6 percent."
    )
    (learned,) = model_quotes(text, _sentences(text), [])
    assert (learned.speaker, learned.cue) == ("It", "boasted")
    assert extract_quotes(text, _sentences(text), [], method="model") == []


def test_a_tagger_relation_whose_pronoun_names_the_person_before_it_is_kept():
    text = "Ann Lee spoke at the zoo. She believes the boy crawled through a railing barrier."
    (q,) = extract_quotes(
        text, _sentences(text), [Mention(0, 7, "Ann Lee", "PERSON", "PERSON")], method="model"
    )
    assert (q.speaker, q.speaker_kind, q.speaker_name, q.speaker_how) == (
        "She",
        "pronoun",
        "Ann Lee",
        "nearest person",
    )
