"""Quote and attribution extraction: the seed articles through real spaCy output, hand-made rule shapes,
and properties that must hold for any input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse.nlp.attribution import extract_quotes
from newsfuse.types import Mention, Quote, Sentence

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
_SENTENCE_END = re.compile(r"[.!?”\"’']\s*$")


# ---------------------------------------------------------------- helpers


def seed_body(name: str) -> str:
    """The seed's paragraphs after the headline, without captions and page furniture: a paragraph is
    kept when it ends like a sentence and has at least twelve words."""
    path = next(SEEDS.glob(f"{name}*.txt"), None)
    if path is None:
        pytest.skip(f"seed {name} is not present under {SEEDS}")
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n")][1:]
    return "\n\n".join(b for b in blocks if _SENTENCE_END.search(b) and len(b.split()) >= 12)


@pytest.fixture(scope="module")
def nlp():
    from newsfuse.evaluate.attribution import load_nlp

    return load_nlp()


def run_spacy(nlp, text: str) -> list[Quote]:
    from newsfuse.nlp.pipeline import spans_from_doc, with_time_mentions
    from newsfuse.nlp.timex import find_timexes

    sentences, mentions = spans_from_doc(nlp(text))
    # As the pipeline does: the dates the quote rules step over are the time expressions.
    return extract_quotes(text, sentences, with_time_mentions(mentions, find_timexes(text)))


def content(text: str, q: Quote) -> str:
    return text[q.content_start : q.content_end]


def quote_starting(text: str, quotes: list[Quote], prefix: str) -> Quote:
    found = [q for q in quotes if content(text, q).startswith(prefix)]
    assert found, f"no quote starting {prefix!r}; got {[content(text, q)[:40] for q in quotes]}"
    return found[0]


def assert_well_formed(text: str, quotes: list[Quote]) -> None:
    previous_end = -1
    for q in quotes:
        assert 0 <= q.content_start < q.content_end <= len(text)
        assert content(text, q).strip()
        assert q.content_start >= previous_end, "quotes overlap or are out of order"
        previous_end = q.content_end
        if q.cue:
            assert text[q.cue_start : q.cue_end] == q.cue
        if q.speaker is not None:
            assert q.speaker_start is not None and q.speaker_end is not None
            assert text[q.speaker_start : q.speaker_end] == q.speaker
        else:
            assert q.speaker_start is None and q.speaker_end is None


def sentences_of(text: str) -> list[Sentence]:
    """A plain splitter for hand-made texts: ends at . ! ? (with closing quotes) before a space."""
    out, start = [], 0
    for m in re.finditer(r"[.!?][”\"']*(?=\s)|\n+", text):
        out.append(Sentence(start, m.end()))
        start = m.end()
    out.append(Sentence(start, len(text)))
    return [s for s in out if text[s.start : s.end].strip()]


def mention(text: str, name: str, label: str, nth: int = 0) -> Mention:
    kinds = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "DATE": "DATE", "NORP": "ORG"}
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(start, start + len(name), name, kinds[label], label)


def extract(text: str, *mentions: Mention) -> list[Quote]:
    quotes = extract_quotes(text, sentences_of(text), list(mentions), method="rules")
    assert_well_formed(text, quotes)
    return quotes


# ---------------------------------------------------------------- the seed articles


def test_seed_breitbart_quotes(nlp):
    text = seed_body("000")
    quotes = run_spacy(nlp, text)
    assert_well_formed(text, quotes)

    fars = quote_starting(text, quotes, "Iran’s cooperation with Russia is completely strategic")
    assert fars.direct
    assert fars.cue == "told"
    assert "secretary general" in fars.speaker
    assert not fars.speaker.endswith("has")
    assert fars.via == ("Fars News", "Rudaw")

    shoigu = quote_starting(text, quotes, "I am convinced")
    assert (shoigu.speaker, shoigu.cue) == ("Sergei Shoigu", "declared")
    # the unframed quote after it in the same paragraph continues his words
    follow = quote_starting(text, quotes, "Our countries face")
    assert follow.speaker == "Sergei Shoigu"

    kurdish = quote_starting(text, quotes, "Iran’s national security chief also says")
    assert (kurdish.speaker, kurdish.cue) == ("the Kurdish news outlet", "adds")

    lavrov = quote_starting(text, quotes, "the three countries have agreed")
    assert not lavrov.direct and lavrov.cue == "noted" and lavrov.speaker == "Sergei Lavrov"

    assert not any(content(text, q).strip("“”\"'.") == "terrorists" for q in quotes)


def test_seed_newsweek_quotes(nlp):
    text = seed_body("002")
    quotes = run_spacy(nlp, text)
    assert_well_formed(text, quotes)

    shamkhani = quote_starting(text, quotes, "Their (Russians') use of Iran's air space")
    assert shamkhani.direct
    assert (shamkhani.speaker, shamkhani.cue) == ("Ali Shamkhani", "told")
    assert any("Fars" in v for v in shamkhani.via)

    added = quote_starting(text, quotes, "In the recent cases")
    assert (added.speaker, added.cue) == ("Shamkhani", "added")

    abadi = quote_starting(text, quotes, "Iraq won't take part in any regional or international conflicts")
    assert not abadi.direct and abadi.cue == "said" and "Abadi" in abadi.speaker
    assert not content(text, abadi).endswith(".")

    state_tv = quote_starting(text, quotes, "Iraq is very keen")
    assert state_tv.via == ("state TV",)

    military = quote_starting(text, quotes, "It was not immediately clear")
    assert (military.speaker, military.cue) == ("the Turkish military", "according to")

    # the partial quote "better be careful" sits inside Trump's reported statement, not on its own
    trump = quote_starting(text, quotes, "Iranian President Hassan Rouhani")
    assert trump.speaker == "Trump" and '"better be careful"' in content(text, trump)
    assert not any(content(text, q) == "better be careful" for q in quotes)


# Speed is measured by benchmarks/attribution_speed.py, not asserted here (a loaded machine fails any bound).


# ---------------------------------------------------------------- direct quotes


def test_frame_after_quote_subject_first():
    text = '"Iran, Russia and Turkey are ready to assist," Mr. Lavrov said.'
    (q,) = extract(text, mention(text, "Lavrov", "PERSON"))
    assert content(text, q) == "Iran, Russia and Turkey are ready to assist"
    assert (q.speaker, q.cue, q.direct) == ("Lavrov", "said", True)


def test_frame_after_quote_inverted():
    text = "“Our meeting will reinforce friendly relations,” declared Russian Defense Minister Sergei Shoigu."
    (q,) = extract(text, mention(text, "Sergei Shoigu", "PERSON"))
    assert (q.speaker, q.cue) == ("Sergei Shoigu", "declared")
    assert (q.speaker_start, q.speaker_end) == (text.index("Sergei"), len(text) - 1)


def test_frame_with_auxiliary_recipient_and_according_to():
    text = (
        "“The passing of Russian jets is based on an earlier agreement,” the secretary general of Iran’s "
        "national security council has told Fars News, according to Rudaw."
    )
    (q,) = extract(text, mention(text, "Fars News", "ORG"), mention(text, "Rudaw", "ORG"))
    assert q.cue == "told"
    assert q.speaker == "the secretary general of Iran’s national security council"
    assert q.via == ("Fars News", "Rudaw")


def test_frame_before_quote_with_appositive_date_and_outlet():
    text = (
        "Ali Shamkhani, secretary of Iran's National Security Council, on Saturday told the semi-official "
        'news agency Fars: "Their use of Iran\'s air space has continued."'
    )
    (q,) = extract(
        text,
        mention(text, "Ali Shamkhani", "PERSON"),
        mention(text, "National Security Council", "ORG"),
        mention(text, "Saturday", "DATE"),
    )
    assert content(text, q) == "Their use of Iran's air space has continued."
    assert (q.speaker, q.cue, q.via) == ("Ali Shamkhani", "told", ("Fars",))


def test_told_reporters_is_no_outlet():
    text = '"We will not retreat," the minister told reporters.'
    (q,) = extract(text)
    assert (q.speaker, q.cue, q.via) == ("the minister", "told", ())


def test_doubled_apostrophe_quotes_and_state_tv():
    text = "''Iraq is keen to preserve its national interests,'' Abadi said, according to state TV."
    (q,) = extract(text, mention(text, "Abadi", "ORG"))
    assert content(text, q) == "Iraq is keen to preserve its national interests"
    assert (q.speaker, q.via) == ("Abadi", ("state TV",))


def test_pronoun_speaker_resolves_to_latest_person_beside_the_words_as_written():
    text = 'Donald Trump spoke in Ohio on Friday. "We will build it and they will pay," he said.'
    (q,) = extract(text, mention(text, "Donald Trump", "PERSON"), mention(text, "Friday", "DATE"))
    assert q.speaker == "he" and text[q.speaker_start : q.speaker_end] == "he"
    assert (q.speaker_kind, q.speaker_name, q.speaker_how) == ("pronoun", "Donald Trump", "nearest person")


def test_unresolvable_pronoun_is_kept_and_says_so():
    text = '"We will build it and they will pay," he said.'
    (q,) = extract(text)
    assert q.speaker == "he"
    assert (q.speaker_kind, q.speaker_name, q.speaker_how) == ("pronoun", None, "unresolved pronoun")


def test_a_sentence_opening_word_labelled_person_is_no_antecedent():
    # "Flags" opens a sentence and is no surname of anyone in the article: not a person to resolve to.
    text = 'Flags will fly at half-staff. "We would like to tell the French people," he said.'
    (q,) = extract(text, mention(text, "Flags", "PERSON"))
    assert q.speaker_name is None and q.speaker_how == "unresolved pronoun"


def test_she_skips_a_man_for_the_nearest_woman():
    # "Anderson" is a man's first name, "Anna" a woman's: "she" is no longer credited to the nearer man.
    text = 'Anna Ruiz called Anderson Cooper on Friday. "He is really shaken," she said.'
    (q,) = extract(text, mention(text, "Anna Ruiz", "PERSON"), mention(text, "Anderson Cooper", "PERSON"))
    assert (q.speaker, q.speaker_name) == ("she", "Anna Ruiz")
    assert q.speaker_how == "nearest person of the pronoun's gender (not Anderson Cooper)"


def test_an_honorific_gives_a_surname_its_gender():
    text = 'Mr. Kim spoke after Ms. Park. "We are ready," he said.'
    (q,) = extract(text, mention(text, "Kim", "PERSON"), mention(text, "Park", "PERSON"))
    assert (q.speaker, q.speaker_name) == ("he", "Kim")


def test_a_person_of_unknown_gender_agrees_with_either_pronoun():
    text = 'Officials met Shamkhani on Friday. "We are ready," she said.'
    (q,) = extract(text, mention(text, "Shamkhani", "PERSON"))
    assert (q.speaker_name, q.speaker_how) == ("Shamkhani", "nearest person")


def test_us_in_capitals_is_no_pronoun():
    from newsfuse.nlp.attribution.speakers import SpeakerContext, speaker_kind

    text = "US said the talks would go on. Us too."
    ctx = SpeakerContext(text, [], [mention(text, "US", "GPE")])
    assert speaker_kind("US", 0, 2, ctx) is None  # the country: a place, no speaker
    start = text.index("Us")
    assert speaker_kind("Us", start, start + 2, ctx) == "pronoun"


def test_a_place_or_date_is_no_speaker():
    from newsfuse.nlp.attribution.speakers import SpeakerContext, speaker_kind

    text = "Tehran said the talks would go on. On Sunday said nothing. The Kremlin said so."
    ctx = SpeakerContext(text, [], [mention(text, "Tehran", "GPE"), mention(text, "Sunday", "DATE")])
    assert speaker_kind("Tehran", 0, 6, ctx) is None
    start = text.index("Sunday")
    assert speaker_kind("Sunday", start, start + 6, ctx) is None
    assert speaker_kind("officials", 0, 9, ctx) == "unnamed"


def test_unframed_quote_continues_speaker_in_paragraph():
    text = '"Our meeting will help," declared Sergei Shoigu. "Our countries face the same threats."'
    first, second = extract(text, mention(text, "Sergei Shoigu", "PERSON"))
    assert second.speaker == first.speaker == "Sergei Shoigu"
    assert (second.cue_start, second.cue_end) == (first.cue_start, first.cue_end)


def test_quote_continuing_into_next_paragraph():
    text = (
        '"We will fight on the beaches," Churchill said. "We shall fight in the fields.\n\n'
        '"We shall never surrender."'
    )
    quotes = extract(text, mention(text, "Churchill", "PERSON"))
    assert [q.speaker for q in quotes] == ["Churchill"] * 3


def test_unattributed_full_sentence_quote_and_skipped_scare_quote():
    text = (
        'Assad considers all opposition forces to be "terrorists."\n\n'
        '"This war will end only when we say so."'
    )
    (q,) = extract(text, mention(text, "Assad", "PERSON"))
    assert content(text, q) == "This war will end only when we say so."
    assert (q.speaker, q.cue, q.cue_start, q.cue_end) == (None, "", q.content_start, q.content_start)


def test_dash_signature():
    text = "“He is obsessed with Mexico and all these perks they have.” ― Esther Tapia"
    (q,) = extract(text, mention(text, "Esther Tapia", "PERSON"))
    assert (q.speaker, q.cue) == ("Esther Tapia", "―")


# ---------------------------------------------------------------- reported speech


def test_reported_speech_bare_clause():
    text = "The reports came on the day that Iraqi Prime Minister Haider al-Abadi said Iraq won't take part."
    (q,) = extract(text, mention(text, "Haider al-Abadi", "PERSON"), mention(text, "Iraq", "GPE", 1))
    assert content(text, q) == "Iraq won't take part"
    assert (q.speaker, q.cue, q.direct) == ("Haider al-Abadi", "said", False)


def test_reported_speech_with_that_and_partial_quote():
    text = 'Trump said on Friday that Iranian President Hassan Rouhani "better be careful" after the threats.'
    (q,) = extract(text, mention(text, "Trump", "ORG"), mention(text, "Friday", "DATE"))
    assert content(text, q) == 'Iranian President Hassan Rouhani "better be careful" after the threats'
    assert (q.speaker, q.cue) == ("Trump", "said")


def test_reported_speech_noted_that():
    text = "Russian foreign minister Sergei Lavrov noted that the three countries have agreed to talk."
    (q,) = extract(text, mention(text, "Sergei Lavrov", "PERSON"))
    assert content(text, q) == "the three countries have agreed to talk"
    assert (q.speaker, q.cue) == ("Sergei Lavrov", "noted")


def test_reported_speech_appositive_person_after_description():
    text = (
        "A political commentator close to Abadi, Ihsan al-Shammari, said Abadi's comment addressed "
        "the tensions."
    )
    (q,) = extract(text, mention(text, "Abadi", "ORG"), mention(text, "Ihsan al-Shammari", "PERSON"))
    assert q.speaker == "Ihsan al-Shammari"
    assert content(text, q) == "Abadi's comment addressed the tensions"


def test_reported_speech_plain_phrase_speaker():
    text = "The agency said Shamkhani was commenting on media reports that bombers had used the base."
    (q,) = extract(text)
    assert (q.speaker, q.cue) == ("The agency", "said")
    assert content(text, q).startswith("Shamkhani was commenting")


def test_according_to_after_and_before():
    text = (
        "Three soldiers were killed during an operation in Syria, according to the Turkish military.\n\n"
        "According to Rudaw, the jets will fly through Iranian airspace."
    )
    first, second = extract(text, mention(text, "Rudaw", "ORG"))
    assert content(text, first) == "Three soldiers were killed during an operation in Syria"
    assert (first.speaker, first.cue) == ("the Turkish military", "according to")
    assert content(text, second) == "the jets will fly through Iranian airspace"
    assert (second.speaker, second.cue) == ("Rudaw", "According to")


def test_statement_before_its_frame():
    text = (
        "Iran has again allowed Russian planes to use its airspace, a senior Iranian official was quoted "
        "as saying."
    )
    (q,) = extract(text)
    assert content(text, q) == "Iran has again allowed Russian planes to use its airspace"
    assert (q.speaker, q.cue) == ("a senior Iranian official", "quoted as saying")


def test_adding_continues_the_speaker():
    text = '"We do not see a link to terrorism," the mayor said, adding that details would take more hours.'
    first, second = extract(text)
    assert first.speaker == second.speaker == "the mayor"
    assert (second.cue, content(text, second)) == ("adding", "details would take more hours")


def test_no_statement_without_speech():
    text = (
        "Trump did not say whether he would run. The reports about the deal surfaced. "
        "She declined to say more. He was told to leave."
    )
    assert extract(text) == []


def test_empty_and_blank_text():
    assert extract_quotes("", [], []) == []
    assert extract_quotes(" \n\n ", [Sentence(0, 4)], []) == []


# ---------------------------------------------------------------- properties

_PIECES = [
    "said", "told", "according to", "added", "he", "She", "Trump", "the agency", "that", ",", ".", ":",
    '"', "“", "”", "''", "‘‘", "’’", "``", "'", " ", " ", " ", "\n", "\n\n", "on Friday", "(", ")",
    "Mr.", "U.S.", "—", "―", "saying", "who", "and", "Fars News", "reporters", "was quoted as saying",
]  # fmt: skip


@st.composite
def documents(draw):
    pieces = draw(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60))
    text = "".join(p if p in (",", ".", ":", "\n", "\n\n", " ") else p + " " for p in pieces)
    n = len(text)
    span = st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted)
    sentences = [Sentence(a, b) for a, b in draw(st.lists(span, max_size=8))]
    mentions = []
    for a, b in draw(st.lists(span, max_size=8)):
        label = draw(st.sampled_from(["PERSON", "ORG", "GPE", "DATE", "NORP"]))
        kind = {"GPE": "PLACE", "NORP": "ORG"}.get(label, label)
        mentions.append(Mention(a, b, text[a:b], kind, label))
    return text, sentences, mentions


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_input_gives_in_range_non_overlapping_quotes(doc):
    text, sentences, mentions = doc
    quotes = extract_quotes(text, sentences, mentions)
    assert_well_formed(text, quotes)
    for q in quotes:
        assert 0 <= q.cue_start <= q.cue_end <= len(text)
