"""Quality gate: conflicts on labelled real sentence pairs and on conflicts planted in real reports.

Measured with `newsfuse eval conflicts` (177 labelled pairs: number P 0.800 over 5 found, R 0.571 of 7;
negation P 1.000 over 1, R 1.000 of 1; any conflict P 0.833, R 0.500) and `newsfuse eval conflicts
--planted` (see README, Quality). The precision floors are the issue's targets (0.80), which the measured
figures meet with no margin: one more false number alarm on these pairs fails the gate.
"""

from __future__ import annotations

import pytest
from conftest import DATA, require

from newsfuse.evaluate.conflicts import LABELS, evaluate_pairs, evaluate_planted

PRECISION_FLOORS = {"number": 0.80, "negation": 0.80}
RECALL_FLOORS = {"number": 0.5, "negation": 1.0, "any": 0.45}
PLANTED_FLOORS = {"number": 0.80, "negation": 0.70}
OTHER_CONFLICTS_PER_STORY = 0.3


@pytest.mark.slow
def test_labelled_pairs_floors():
    require(DATA / "giveme5w1h_news_cluster")
    require(DATA / "neus_allsides_mds")
    result = evaluate_pairs(LABELS, DATA)
    assert result["pairs"] >= 150
    for kind, floor in PRECISION_FLOORS.items():
        assert result["scores"][kind]["precision"] >= floor, (kind, result["scores"][kind])
    for kind, floor in RECALL_FLOORS.items():
        assert result["scores"][kind]["recall"] >= floor, (kind, result["scores"][kind])


@pytest.mark.slow
def test_planted_conflicts_are_found_and_few_others_reported():
    result = evaluate_planted(require(DATA))
    for kind, floor in PLANTED_FLOORS.items():
        assert result[kind]["share"] >= floor, (kind, result[kind])
    assert result["other_per_story"] < OTHER_CONFLICTS_PER_STORY, result
