"""Each fusion step on its own: align, relate, origins, rank."""

from __future__ import annotations

import importlib
from datetime import datetime

import numpy as np

from newsfuse.fuse.align import (
    CORROBORATION_COVERAGE,
    Unit,
    WordCoverage,
    align,
    embed_sentences,
    is_caption,
    score_sentences,
)
from newsfuse.fuse.conflicts import Member, claim_conflicts
from newsfuse.fuse.origins import (
    Origins,
    SpeakerKeys,
    assign_origins,
    cited_report,
    containment,
    fingerprint,
    outlet_key,
    relayed_statements,
    same_words,
    settle_claim_origins,
    speaker_key,
    wire_credit,
    wire_sources,
)
from newsfuse.fuse.quantities import quantities
from newsfuse.fuse.rank import claim_status
from newsfuse.fuse.relate import compare, figures
from newsfuse.types import (
    Annotated,
    Article,
    Citation,
    Origin,
    Provenance,
    Quote,
    Sentence,
    SpeakerRef,
    StoryQuote,
    Support,
)


def _article(aid: str, text: str, outlet: str | None = None, url: str | None = None, **kw) -> Article:
    return Article(aid, "T", text, Provenance("x", "txt"), url=url, outlet=outlet, **kw)


# ---------------------------------------------------------------- align


def test_embeddings_see_a_paraphrase_that_shares_few_stems():
    a = "Iran is allowing Russian warplanes to use its airspace."
    b = "Tehran has again allowed Russian planes to fly through Iranian air space."
    c = "The football club sacked its manager after a string of defeats."
    v = embed_sentences([a, b, c])
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    scores = score_sentences([a, b, c], lexical_weight=0.4)
    assert scores.sims[0, 1] > scores.lexical[0, 1]  # meaning lifts the pair above its shared stems


def test_a_kept_sentence_vector_is_the_one_a_fresh_encoding_gives(monkeypatch):
    align_module = importlib.import_module("newsfuse.fuse.align")  # the package re-exports the function
    a = "Iran is allowing Russian warplanes to use its airspace."
    b = "The football club sacked its manager after a string of defeats."
    first = embed_sentences([a, b, a])
    assert np.array_equal(first[0], first[2])
    monkeypatch.setattr(align_module, "_MAX_VECTORS", 1)  # keeps only the newest text
    monkeypatch.setattr(align_module, "_VECTORS", {})
    fresh = embed_sentences([b, a])
    assert list(align_module._VECTORS) == [a]
    assert np.array_equal(fresh, first[[1, 0]])
    assert np.array_equal(embed_sentences([a, b]), first[:2])  # one kept, one encoded again


def test_a_link_across_origins_needs_the_higher_threshold():
    units = [Unit(0, 0, 0, 1), Unit(1, 0, 0, 1)]
    sims = np.array([[1.0, 0.55], [0.55, 1.0]])
    eligible = np.array([True, True])
    assert align(units, sims, eligible, 0.5) == [[0, 1]]
    assert align(units, sims, eligible, 0.5, ["o1", "o1"], 0.6) == [[0, 1]]
    assert sorted(align(units, sims, eligible, 0.5, ["o1", "o2"], 0.6)) == [[0], [1]]


def test_a_link_across_origins_needs_shared_words_as_well():
    units = [Unit(0, 0, 0, 1), Unit(1, 0, 0, 1)]
    sims = np.array([[1.0, 0.65], [0.65, 1.0]])
    eligible = np.array([True, True])
    topic_only = np.array([[1.0, 0.3], [0.3, 1.0]])
    assert sorted(align(units, sims, eligible, 0.5, ["o1", "o2"], 0.6, topic_only)) == [[0], [1]]
    assert align(units, sims, eligible, 0.5, ["o1", "o1"], 0.6, topic_only) == [[0, 1]]  # relays of one


def test_a_link_across_origins_needs_the_shorter_sentence_mostly_stated_by_the_other():
    texts = [
        "Astrophysicists have found planets in another galaxy, 3.8 billion light years away.",
        "For thousands of years, the only planets known to exist were the ones in our own solar system.",
        "The technique was first used to identify planets outside of our solar system, known as exoplanets.",
        "Astronomers detected planets in a distant galaxy some 3.8 billion light years from Earth.",
        "The planets were found with data from the Chandra X-ray Observatory.",
        "The team used microlensing to find the planets in the galaxy.",
    ]
    coverage = WordCoverage(texts)
    same_fact, topic_only = coverage(0, 3), coverage(1, 2)
    assert same_fact >= CORROBORATION_COVERAGE > topic_only
    assert coverage(1, 2) == coverage(2, 1)
    # the topic-only pair first, the story's other sentences after it (they weigh its words)
    in_story = texts[1:3] + texts[:1] + texts[3:]
    units = [Unit(0, 0, 0, 1), Unit(1, 0, 0, 1)]
    sims, lexical, eligible = np.full((2, 2), 0.7), np.full((2, 2), 0.5), np.array([True, True])
    assert align(units, sims, eligible, 0.5, ["a", "b"], 0.6, lexical) == [[0, 1]]  # topic words suffice
    gated = align(units, sims, eligible, 0.5, ["a", "b"], 0.6, lexical, coverage=WordCoverage(in_story))
    assert sorted(gated) == [[0], [1]]
    # two relays of one origin are not held to it
    relays = align(units, sims, eligible, 0.5, ["a", "a"], 0.6, lexical, coverage=WordCoverage(in_story))
    assert relays == [[0, 1]]


def test_a_photo_caption_stands_as_no_claim():
    assert is_caption("Pictured, the gravitational lens galaxy can be seen at the centre")
    assert is_caption("Marquis Teague (left) and teammate Trahson Burrell (right) were accused of theft")
    assert is_caption(
        "The lens galaxy can be seen, with four lensed background quasars (University of Oklahoma)"
    )
    assert not is_caption("The moon sets at dawn (Washington moonset is 7:15 a.m., concurrent with sunrise)")
    assert not is_caption("The FAA said it would investigate the incident (FAA).")
    scores = score_sentences(["Pictured: the supermoon rises above a palm tree in Sydney, Australia"], 0.4)
    assert not scores.eligible[0]


# ---------------------------------------------------------------- relate


def _kinds(a: str, b: str, first=None, second=None) -> list[tuple[str, str]]:
    return [(d.kind, d.relation) for d in compare(a, b, first, second)]


def test_a_different_figure_of_the_same_thing_or_a_negation_differs():
    assert figures("Three people died and 1,500 fled in 2017.") == {"3", "1500", "2017"}
    claim = "Two people were injured when the barge caught fire."
    assert _kinds(claim, "Two people were hurt as the barge burned.") == []
    assert _kinds(claim, "Five people were injured when the barge caught fire.") == [("number", "disagree")]
    assert _kinds(claim, "No one was injured when the barge caught fire.") == [("negation", "disagree")]
    refuel = "Russian fighter planes have only used Iran's airspace and have not had refueling operations."
    edited = "Russian fighter planes have only used Iran's airspace and have had refueling operations."
    assert _kinds(refuel, edited) == [("negation", "disagree")]
    # Two facts, a negation in each way: too little shared to compare ("not an easy night" / "won").
    assert _kinds("It was not an easy night for the fans.", "The fans celebrated a night of wins.") == []


def test_numbers_are_read_with_their_units_and_scale():
    assert [(q.low, q.unit) for q in quantities("Aid worth $2m and three soldiers")] == [
        (2e6, "USD"),
        (3.0, ""),
    ]
    assert quantities("2 million dollars")[0].low == quantities("$2m")[0].low
    assert quantities("a dozen people")[0].low == 12
    assert quantities("Tu-22M3 bombers flew on Jan. 29, 2017 at 10:30") == ()
    assert _kinds("The aid was worth $2m.", "The aid was worth 2 million dollars.") == []
    assert _kinds("The aid was worth $2m.", "The aid was worth $20 million.") == [("number", "disagree")]


def test_rounding_ranges_bounds_and_other_facts_are_quiet():
    assert _kinds("About 5,000 troops are deployed.", "5,000 troops are deployed.") == []
    assert _kinds("The US has more than 5,000 troops there.", "The US has 5,200 troops there.") == []
    assert _kinds("Between 20 and 30 people died.", "25 people died.") == []
    # Two facts that share a number: the other sentence states each value too.
    a = "Police arrested 12 men and seized 30 guns."
    assert _kinds(a, "Police seized 12 guns and arrested 30 men on Friday.") == []
    assert _kinds("Three soldiers were killed.", "Five civilians were wounded.") == []


def test_a_later_count_or_words_of_time_make_an_update():
    early, late = datetime(2018, 1, 1, 8), datetime(2018, 1, 2, 8)
    claim = "Two people were injured."
    assert _kinds(claim, "Five people were injured.", early, late) == [("number", "update")]
    assert _kinds(claim, "Five people were injured.", early, early) == [("number", "disagree")]
    assert _kinds(claim, "Five people were injured.", late, early) == [("number", "disagree")]  # fewer later
    toll = "The death toll has risen to 31 people killed."
    assert _kinds("At least 20 people were killed.", toll, early, late) == [("number", "update")]
    assert _kinds("At least 20 people were killed.", "31 people were killed.", None, None) == []
    assert _kinds(claim, "No one was injured.", early, late) == [("negation", "disagree")]


def _member(aid: str, text: str, when: datetime | None = None, origin: str = "o") -> Member:
    return Member(Citation(aid, 0, len(text)), text, when, origin + aid)


def test_a_claims_sentences_split_into_sides_and_stances():
    early, late = datetime(2018, 1, 1, 8), datetime(2018, 1, 1, 9)
    members = [
        _member("a", "Three soldiers were killed in the attack.", early),
        _member("b", "Three soldiers died in the attack.", late),
        _member("c", "Five soldiers were killed in the attack.", late),
        _member("d", "The attack was condemned.", late),
    ]
    stances, conflicts = claim_conflicts(members)
    assert stances == ["agrees", "agrees", "contradicts", "agrees"]
    (conflict,) = conflicts
    assert (conflict.kind, conflict.relation) == ("number", "disagree")
    assert [[c.article_id for c in side.citations] for side in conflict.sides] == [["a", "b"], ["c"]]
    assert conflict.sides[0].text == members[0].text and conflict.sides[0].published == early
    # Two edited copies of one wire story are compared too (same origin).
    same = [
        _member("x", "Three soldiers were killed.", origin="w"),
        _member("y", "Five soldiers were killed."),
    ]
    assert claim_conflicts(same)[0] == ["agrees", "contradicts"]


# ---------------------------------------------------------------- origins


def test_subdomains_of_one_outlet_are_one_outlet():
    assert outlet_key(_article("a", "x", url="https://money.cnn.com/x")) == outlet_key(
        _article("b", "x", outlet="cnn.com")
    )
    assert outlet_key(_article("c", "x", outlet="Newsweek")) == "newsweek"
    # The registry's display name, so a record's name and another's URL of one outlet agree.
    assert outlet_key(_article("d", "x", outlet="CNN")) == outlet_key(
        _article("e", "x", url="https://edition.cnn.com/2017/x")
    )


def test_wire_copies_are_named_by_dateline_or_sign_off_never_by_a_photo_credit():
    dateline = _article("a", "WASHINGTON (Reuters) - The Senate voted on Tuesday.")
    agency, cited = wire_credit(dateline)  # type: ignore[misc]
    assert agency == "Reuters" and dateline.text[cited.start : cited.end] == "(Reuters) -"
    sign_off = _article("b", "The Senate voted.\n(Reporting by Jane Doe; Editing by John Roe)")
    assert wire_credit(sign_off)[0] == "Reuters"  # type: ignore[index]
    photo = _article("c", "The Senate voted on Tuesday.", credits=("Reuters",))
    assert wire_credit(photo) is None
    assert wire_credit(_article("d", "NEW YORK (CNN) - The Senate voted.")) is None  # an outlet, not a wire


def test_near_copies_are_found_even_inside_a_longer_page():
    story = " ".join(
        f"Sentence number {i} of the wire story says something new about event {i}." for i in range(40)
    )
    page = "Subscribe now. Related stories. " * 20 + story + " Comments are closed." * 10
    other = " ".join(
        f"An independent report, part {i}, describes the scene in its own words." for i in range(40)
    )
    assert containment(fingerprint(story), fingerprint(page)) > 0.9
    assert containment(fingerprint(story), fingerprint(other)) < 0.1


def test_a_quote_told_to_an_outlet_is_a_statement_that_its_speaker_continues():
    text = 'Ali Shamkhani told Fars: "We cooperate." "We will go on," Shamkhani added.'
    first = text.index("We cooperate")
    second = text.index("We will go on")
    quotes = (
        Quote(first, first + 12, "told", 14, 18, True, "Ali Shamkhani", 0, 13, ("Fars",)),
        Quote(second, second + 13, "added", text.index("added"), text.index("added") + 5, True, "Shamkhani"),
    )
    item = Annotated(_article("a", text, "Newsweek"), (Sentence(0, len(text)),), (), quotes)
    statements = relayed_statements(item)
    assert [s.outlet for s in statements] == ["Fars", "Fars"]


def test_two_outlets_relaying_one_interview_share_one_origin():
    a_text = "Iran lets Russian jets use its airspace. The official told Fars News it was agreed long ago."
    b_text = "Iran allowed Russian planes to use its airspace. Ali Shamkhani told Fars the deal holds."
    items = []
    for aid, text, outlet, speaker in (
        ("a", a_text, "Breitbart", "The official"),
        ("b", b_text, "Newsweek", "Ali Shamkhani"),
    ):
        cue = text.index("told")
        second = text.index(". ") + 2
        content = text.index("Fars") + len("Fars News" if outlet == "Breitbart" else "Fars") + 1
        quotes = (
            Quote(
                content,
                len(text) - 1,
                "told",
                cue,
                cue + 4,
                False,
                speaker,
                second,
                cue - 1,
                ("Fars News" if outlet == "Breitbart" else "Fars",),
            ),
        )
        sentences = (Sentence(0, second - 1), Sentence(second, len(text)))
        items.append(Annotated(_article(aid, text, outlet), sentences, (), quotes))
    units = [Unit(ai, si, s.start, s.end) for ai, x in enumerate(items) for si, s in enumerate(x.sentences)]
    texts = [items[u.article].article.text[u.start : u.end] for u in units]
    sims = score_sentences(texts, 0.4).sims
    found = assign_origins(items, [0, 1], units, sims)
    # Each article opens with what the statement it goes on to relay says: both rest on Fars.
    assert found.of_unit[0] == found.of_unit[2] == found.of_unit[1] == found.of_unit[3]
    (statement,) = [o for o in found.origins if o.kind == "statement"]
    assert "Shamkhani" in statement.name and set(statement.articles) == {"a", "b"}


def _ref(text: str, kind: str, name: str | None = None) -> SpeakerRef:
    return SpeakerRef(text, kind, 0, len(text), name)


def test_one_speaker_named_differently_is_one_key():
    quotes = [
        StoryQuote(_ref("Mr Zhu", "name", "Zhu"), "told", "x", "a", 0, 1, True),
        StoryQuote(_ref("Zhu Congpeng", "name", "Zhu Congpeng"), "said", "x", "b", 0, 1, True),
    ]
    keys = SpeakerKeys(quotes)
    assert keys.of(quotes[0].speaker) == keys.of(quotes[1].speaker) == "zhu congpeng"
    # a role by its head, with the names that qualify it; a pronoun left unresolved is no one
    assert speaker_key(_ref("The event organisers, It's Time for Terrigal", "role")) == "organiser"
    assert speaker_key(_ref("The organiser", "role")) == "organiser"
    assert speaker_key(_ref("the Delta spokesman", "role")) == "delta spokesman"
    assert speaker_key(_ref("she", "pronoun")) is None
    assert speaker_key(_ref("She", "pronoun", "Mary Horomanski")) == "mary horomanski"


def test_a_wire_named_as_a_source_is_read_but_never_a_photo_credit_or_a_contribution():
    credited = _article("a", "Her minimum payment was $28,156, according to The Associated Press.")
    assert wire_sources(credited) == {"wire:the associated press"}
    assert wire_sources(_article("b", "Reuters reported that the talks had failed.")) == {"wire:reuters"}
    assert not wire_sources(_article("c", "The ministry released the photo. Handout via Reuters"))
    assert not wire_sources(_article("d", "The Associated Press contributed to this report."))
    assert not wire_sources(_article("e", "The scene, according to Getty Images, was calm."))


def test_an_account_that_names_a_wire_rests_on_the_wires_copy():
    # Article 0 runs the AP copy; article 1 tells the story in its own words and names AP as a source
    # in another sentence; article 2 names no wire.
    units = [Unit(0, 0, 0, 10), Unit(1, 0, 0, 10), Unit(2, 0, 0, 10)]
    texts = [
        "Her son called the provider, who confirmed the error.",
        "The error was confirmed when her son called the provider.",
        "Her son phoned the provider, which confirmed the error.",
    ]
    wire = "wire:the associated press"
    origins = Origins(
        (
            Origin(wire, "The Associated Press", "wire", ("a",), ()),
            Origin("outlet:huffpost", "HuffPost", "outlet", ("b",), ()),
            Origin("outlet:npr", "NPR", "outlet", ("c",), ()),
        ),
        (wire, "outlet:huffpost", "outlet:npr"),
        (wire, "outlet:huffpost", "outlet:npr"),
        (False, False, False),
        (frozenset(), frozenset({wire}), frozenset()),
    )
    settled = settle_claim_origins(
        origins, [[0, 1, 2]], units, texts, ["a", "b", "c"], list(origins.of_article), list(origins.wires)
    )
    assert settled.of_unit == (wire, wire, "outlet:npr")
    assert settled.wires == origins.wires
    # without the wire's copy in the claim, the article's sentence stays its own
    alone = settle_claim_origins(
        origins, [[1, 2], [0]], units, texts, ["a", "b", "c"], list(origins.of_article), list(origins.wires)
    )
    assert alone.of_unit[1] == "outlet:huffpost"


def test_a_cited_report_is_named():
    assert cited_report("The two men jumped off to escape the fire, ABC News reports.") == "ABC News"
    assert cited_report("The Erie Times-News reports that she was stunned.") == "Erie Times-News"
    assert cited_report("Some of the money went abroad, according to the Times-Picayune.") == "Times-Picayune"
    assert cited_report("The men suffered minor injuries after the barge caught fire.") is None


def test_sentences_that_share_one_text():
    spokesman = (
        "Out of an abundance of caution, the Captain made the decision to return to Detroit to avoid a "
        "potential distraction during flight, the spokesman said."
    )
    assert same_words(spokesman, "The captain turned back to “avoid a potential distraction” on the flight.")
    assert same_words(
        "I was on the beach but the boat shooting the fireworks goes on fire and started shootings randomly.",
        '"The boat shooting the fireworks goes on fire and started shootings randomly.',
    )
    # one topic, a few words in common: two texts
    assert not same_words(
        "“This is the first time anyone has discovered planets outside our galaxy.”",
        "Astrophysicists have discovered planets outside our galaxy for the first time ever.",
    )


def test_an_account_resting_on_a_cited_report_is_relayed():
    # Article 0 (the Straits Times) gives the figure as its own and cites ABC in another sentence;
    # article 1 (CTV) states the figure citing ABC.
    units = [Unit(0, 0, 0, 10), Unit(0, 1, 11, 20), Unit(1, 0, 0, 10)]
    texts = [
        "Two men were hurt on the barge.",
        "It was at 9pm, ABC reported.",
        "Two men were hurt, ABC says.",
    ]
    origins = Origins(
        (
            Origin("outlet:st", "ST", "outlet", ("a",), ()),
            Origin("outlet:ctv", "CTV", "outlet", ("b",), ()),
            Origin("statement:abc", "ABC", "statement", ("a", "b"), ()),
        ),
        ("outlet:st", "statement:abc", "statement:abc"),
        ("outlet:st", "outlet:ctv"),
        (False, True, True),
    )
    settled = settle_claim_origins(
        origins, [[0, 2], [1]], units, texts, ["a", "b"], ["outlet:st", "outlet:ctv"]
    )
    assert settled.of_unit[0] == "statement:abc"
    assert (
        claim_status([_support(settled.of_unit[0]), _support(settled.of_unit[2])], ["st", "ctv"]) == "relayed"
    )


# ---------------------------------------------------------------- rank


def _support(origin: str, stance_: str = "agrees") -> Support:
    return Support(Citation("a", 0, 1), stance_, origin)  # type: ignore[arg-type]


def test_status_precedence():
    assert claim_status([_support("o1"), _support("o2")], ["x", "y"]) == "corroborated"
    assert claim_status([_support("o1"), _support("o1")], ["x", "y"]) == "relayed"
    assert claim_status([_support("o1"), _support("o1")], ["x", "x"]) == "single_source"
    # one outlet's own words and a statement it quotes: one outlet's account, not two sources
    assert claim_status([_support("o1"), _support("o2")], ["x", "x"]) == "single_source"
    assert claim_status([_support("o1"), _support("o2", "updates")], ["x", "y"]) == "updated"
    assert (
        claim_status(
            [_support("o1"), _support("o2", "updates"), _support("o3", "contradicts")], ["x", "y", "z"]
        )
        == "contested"
    )


def test_a_copy_of_an_article_in_another_story_carries_its_origin(annotated_seeds):
    from newsfuse.fuse import StoryFuser

    newsweek = next(a for a in annotated_seeds if a.article.outlet == "Newsweek")
    original = _article(
        "reuters-1", "TEHRAN (Reuters) - " + newsweek.article.text, url="https://www.reuters.com/x"
    )
    story = StoryFuser().fuse("s", annotated_seeds, copied_from={newsweek.article.id: original})
    wire = [o for o in story.origins if o.kind == "wire"]
    assert [o.name for o in wire] == ["Reuters"]
    assert newsweek.article.id in wire[0].articles
    assert any(e.article_id == "reuters-1" for e in wire[0].evidence)


def test_the_store_keeps_fingerprints(tmp_path):
    from newsfuse.store import Store

    fp = fingerprint("one two three four five six seven eight nine ten")
    with Store.open(str(tmp_path / "s.duckdb")) as store:
        store.put_fingerprints({"a1": (fp.shingles, fp.signature.tolist())})
        ((shingles, signature),) = store.fingerprints().values()
    assert shingles == fp.shingles and np.array_equal(np.asarray(signature, dtype=np.uint64), fp.signature)
