"""Conflicts in a fused story: the seeds report none; a copy run a day later with a changed number or a
flipped negation is found, with both sides in their own words, and the contested fact is not summarised."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from newsfuse.fuse import StoryFuser
from newsfuse.serialize import story_from_dict, story_to_dict


def test_the_seeds_story_reports_no_conflict(annotated_seeds):
    story = StoryFuser().fuse("s-test", annotated_seeds)
    assert story.conflicts == ()
    assert not {c.status for c in story.claims} & {"contested", "updated"}
    assert all(s.stance == "agrees" for c in story.claims for s in c.support)


def _copy_with(annotated_seeds, old: str, new: str, days: int = 1):
    from newsfuse.nlp.pipeline import Annotator

    # The seeds give no publication times; these make the copy a day (or no time) later.
    base = datetime(2017, 2, 11, 12, tzinfo=UTC)
    originals = [
        dataclasses.replace(x, article=dataclasses.replace(x.article, published=base))
        for x in annotated_seeds
    ]
    (newsweek,) = [x.article for x in originals if "refueling" in x.article.text]
    assert old in newsweek.text
    copy = dataclasses.replace(
        newsweek,
        id="planted-copy",
        text=newsweek.text.replace(old, new, 1),
        outlet="The Planted Courier",
        outlet_domain="planted.example",
        url=None,
        canonical_url=None,
        published=base + timedelta(days=days),
    )
    (annotated,) = Annotator().annotate([copy])
    story = StoryFuser().fuse("s-planted", [*originals, annotated])
    texts = {x.article.id: x.article.text for x in [*originals, annotated]}
    return story, texts, copy


@pytest.mark.parametrize(
    ("old", "new", "kind", "relation", "status", "stance"),
    [
        # A day later, more soldiers killed: the toll of a story that develops, an update.
        ("killed three Turkish", "killed five Turkish", "number", "update", "updated", "updates"),
        ("and have not had refueling operations", "and have had refueling operations", "negation", "disagree",
         "contested", "contradicts"),
    ],
)  # fmt: skip
def test_a_planted_copy_is_found_with_both_sides(annotated_seeds, old, new, kind, relation, status, stance):
    story, texts, copy = _copy_with(annotated_seeds, old, new)
    (conflict,) = story.conflicts
    assert (conflict.kind, conflict.relation) == (kind, relation)
    claim = story.claims[conflict.claim]
    assert claim.status == status
    assert len(conflict.sides) == 2
    for side in conflict.sides:
        first = side.citations[0]
        assert texts[first.article_id][first.start : first.end] == side.text
        assert {c.article_id for c in side.citations} <= {c.article_id for c in claim.citations}
    assert conflict.sides[1].citations[0].article_id == copy.id  # the later report second
    assert conflict.sides[0].published is not None and conflict.sides[1].published is not None
    assert conflict.sides[0].published < conflict.sides[1].published
    assert new.split()[1] in conflict.sides[1].text or new in conflict.sides[1].text
    stances = {s.citation.article_id: s.stance for s in claim.support}
    assert sorted(stances.values()) == sorted(["agrees", stance])
    if status == "contested":
        cited = {(c.article_id, c.start) for s in story.summary for c in s.citations}
        assert not cited & {(c.article_id, c.start) for c in claim.citations}
    assert story_from_dict(story_to_dict(story)) == story


def test_two_reports_of_the_same_moment_disagree(annotated_seeds):
    story, _, _ = _copy_with(
        annotated_seeds, "killed three Turkish soldiers", "killed five Turkish soldiers", 0
    )
    (conflict,) = story.conflicts
    assert (conflict.kind, conflict.relation) == ("number", "disagree")
    assert story.claims[conflict.claim].status == "contested"


def test_a_2_1_story_without_conflicts_still_reads(annotated_seeds):
    story = StoryFuser().fuse("s-test", annotated_seeds)
    old = story_to_dict(story)
    old["contract_version"] = "2.1"
    del old["conflicts"]
    assert story_from_dict(old) == story


def test_eval_conflicts_names_a_missing_labels_file(tmp_path, capsys):
    from newsfuse.cli import main

    assert main(["eval", "conflicts", str(tmp_path / "missing.jsonl"), "--data", str(tmp_path)]) == 2
    assert "missing.jsonl" in capsys.readouterr().err


def test_a_short_plain_statement_of_what_a_longer_sentence_negates_conflicts():
    from newsfuse.fuse.relate import compare

    refuel = (
        "\"In the recent cases, Russian fighter planes have only used Iran's airspace and have not had"
        ' refueling operations," Shamkhani added.'
    )
    # The issue's own example: too few shared words for SAME_WORDING, but the short sentence restates it.
    found = compare(refuel, "Russian planes refuelled in Iran.")
    assert [(d.kind, d.relation) for d in found] == [("negation", "disagree")]
    # A plain sentence that shares too little of it is another fact.
    assert compare(refuel, "Russian planes refuelled over the Caspian Sea before the strikes.") == []


def test_a_toll_that_counts_the_attacker_is_the_victims_plus_one():
    from newsfuse.fuse.relate import compare

    victims = "The gunman killed three people at the garlic festival in Gilroy, California, on Sunday."
    with_him = (
        "The shooting killed four people, including the gunman, at the garlic festival in Gilroy, California."
    )
    # One more dead when the gunman is counted: the same toll, not a disagreement.
    assert compare(victims, with_him) == []
    # Two more is a different toll, whoever it includes.
    assert [d.kind for d in compare(victims, with_him.replace("four", "five"))] == ["number"]
    # Without the attacker named, three and four dead disagree.
    assert [d.kind for d in compare(victims, with_him.replace(", including the gunman,", ""))] == ["number"]


def test_figures_of_one_toll_compare_however_the_sentences_word_it():
    from newsfuse.fuse.relate import compare

    # Few words shared, one toll: 80 dead against at least 84 dead, a day later (an update).
    early = datetime(2016, 7, 14, 22, tzinfo=UTC)
    found = compare(
        "Interior Minister Bernard Cazeneuve said 80 people were killed.",
        "By the time he was gunned down, he had traveled over a mile of beachfront, turning his vehicle"
        " into a weapon and killing at least 84 people.",
        early,
        early + timedelta(hours=20),
    )
    assert [(d.kind, d.relation, d.first_words, d.second_words, d.toll) for d in found] == [
        ("number", "update", "80", "84", "dead")
    ]
    # A toll of tens is a count: 77 and 80 dead differ (80 would round 77 of anything else).
    assert [
        d.kind for d in compare("Hollande said 77 people died.", "We heard that 80 people have died.")
    ] == ["number"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Another event, dated elsewhere.
        ("He killed 59 people attending an outdoor country music concert nearby.",
         "In November 2009, a psychiatrist opens fire at his base, killing 13 people and wounding 42."),
        # A share of the injured, not the injured.
        ("Police said more than 50 people were injured in the accident.",
         "St George's Hospital said 20 people have been brought in, of which four are seriously injured."),
        # Two tolls: the dead and the wounded.
        ("The bomb killed 12 people.", "The bomb wounded 40 people."),
        # Two victims: soldiers and militants.
        ("The raid killed 12 soldiers.", "Officials said 30 militants were killed in the raid."),
        # What one witness saw.
        ("At least 84 now lay dead.", "Her husband said they saw at least 10 dead bodies on the street."),
    ],
)  # fmt: skip
def test_figures_that_are_not_one_toll_do_not_conflict(first, second):
    from newsfuse.fuse.relate import compare

    assert compare(first, second) == []


def test_a_toll_told_in_two_claims_is_one_conflict_shown_on_one_claim():
    from newsfuse.fuse.conflicts import Member, story_tolls
    from newsfuse.types import Citation

    early = datetime(2016, 7, 14, 22, tzinfo=UTC)
    texts = [
        "Interior Minister Bernard Cazeneuve said 80 people were killed.",
        "Officials said Cazeneuve confirmed that 80 people were killed in Nice.",
        "Turning his vehicle into a weapon, he ended up killing at least 84 people.",
        "Fireworks had ended when the truck turned onto the promenade.",
    ]
    members = [
        Member(Citation(f"a{i}", 0, len(t)), t, early + timedelta(hours=20 * (i == 2)), f"o{i}")
        for i, t in enumerate(texts)
    ]
    claims = [[members[0], members[1]], [members[2]], [members[3]]]
    (toll,) = story_tolls(claims)
    assert toll.claim == 0  # the claim with the most sentences among those holding a side
    assert (toll.conflict.kind, toll.conflict.relation) == ("number", "update")
    early_side, late_side = toll.conflict.sides
    assert [c.article_id for c in early_side.citations] == ["a0", "a1"]
    assert [c.article_id for c in late_side.citations] == ["a2"]
    assert late_side.text == texts[2]  # each side in its own exact words
    assert toll.stances == {(1, 0): "updates"}
    # A sentence already on a side of its claim's own number conflict is not compared again.
    assert story_tolls(claims, {(1, 0)}) == []
    # Reports weeks apart in one story are another event's toll, not an update of this one.
    weeks_later = dataclasses.replace(members[2], published=early + timedelta(days=30))
    assert story_tolls([claims[0], [weeks_later], claims[2]]) == []


def test_a_later_toll_in_other_words_is_found_in_the_fused_story(annotated_seeds):
    from newsfuse.nlp.pipeline import Annotator

    base = datetime(2017, 2, 11, 12, tzinfo=UTC)
    originals = [
        dataclasses.replace(x, article=dataclasses.replace(x.article, published=base))
        for x in annotated_seeds
    ]
    (newsweek,) = [x.article for x in originals if "refueling" in x.article.text]
    later = dataclasses.replace(
        newsweek,
        id="later-toll",
        text="Five Turkish soldiers have now died after the Russian strike hit their position, Ankara said. "
        "The army said it would hold a funeral for the men on Monday.",
        outlet="The Planted Courier",
        outlet_domain="planted.example",
        url=None,
        canonical_url=None,
        title="Turkish soldiers' funeral",
        published=base + timedelta(days=1),
    )
    (annotated,) = Annotator().annotate([later])
    story = StoryFuser().fuse("s-toll", [*originals, annotated])
    texts = {x.article.id: x.article.text for x in [*originals, annotated]}
    (conflict,) = story.conflicts
    assert (conflict.kind, conflict.relation) == ("number", "update")
    assert story.claims[conflict.claim].status == "updated"
    cited = [c for side in conflict.sides for c in side.citations]
    assert {c.article_id for c in cited} >= {"later-toll"}
    for side in conflict.sides:
        first = side.citations[0]
        assert texts[first.article_id][first.start : first.end] == side.text
    assert "Five Turkish soldiers" in conflict.sides[-1].text
    # Told in other words, the later toll sits in a claim of its own: the conflict is shown on the
    # earlier toll's claim and cites the later sentence in the other claim, which updates it.
    assert "later-toll" not in {c.article_id for c in story.claims[conflict.claim].citations}
    (later_claim,) = [c for c in story.claims if any(x.article_id == "later-toll" for x in c.citations)
                      and "Five Turkish" in c.text]  # fmt: skip
    assert later_claim.status == "updated"
    assert [s.stance for s in later_claim.support] == ["updates"]
    assert story_from_dict(story_to_dict(story)) == story
