"""The loose draw of the conflict-pair sampler: which pairs its plain cues take, and the labels' shape."""

from __future__ import annotations

import json

from newsfuse.evaluate.conflicts_data import LABELS, LOOSE_DATE_SCORE, loose_cues


def test_loose_number_cue_takes_a_toll_told_with_other_words():
    a = "The flood killed at least 12 people in the valley, officials said."
    b = "By Monday more than 20 people were dead after the valley flood."
    assert loose_cues(a, b, [], [], 0.2) == ["number"]


def test_loose_number_cue_leaves_equal_values_and_unrelated_counts():
    a = "The flood killed 12 people in the valley."
    assert loose_cues(a, "Twelve people died in the valley flood.", [], [], 0.4) == []
    assert loose_cues(a, "The council has met 3 times since the bridge opened.", [], [], 0.4) == []
    assert loose_cues(a, "By Monday 20 people were dead.", [], [], 0.1) == []  # below LOOSE_NUMBER_SCORE


def test_loose_date_cue_needs_two_days_and_a_close_alignment():
    a, b = "The vote was held on Tuesday.", "The vote was held on Wednesday."
    assert loose_cues(a, b, ["2020-03-03"], ["2020-03-04"], LOOSE_DATE_SCORE) == ["date"]
    assert loose_cues(a, b, ["2020-03-03"], ["2020-03-04"], LOOSE_DATE_SCORE - 0.01) == []
    assert loose_cues(a, b, ["2020-03-03"], ["2020-03-03"], 0.9) == []


def test_labels_are_well_formed_and_no_pair_is_labelled_twice():
    seen = set()
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        assert set(pair) == {"group", "drawn", "a", "b", "kind", "relation"}, pair
        assert pair["kind"] in {"number", "date", "negation", "none"}, pair
        assert (pair["relation"] is None) == (pair["kind"] == "none"), pair
        assert pair["relation"] in {None, "disagree", "update"}, pair
        key = frozenset((tuple(pair["a"][:3]), tuple(pair["b"][:3])))
        assert key not in seen, pair
        seen.add(key)
