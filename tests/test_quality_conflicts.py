"""Quality gate: conflicts on labelled real sentence pairs and on conflicts planted in real reports.

Measured with `newsfuse eval conflicts` (labelled pairs) and `newsfuse eval conflicts --planted`; the
figures are in README (Quality), the floors sit a little below them.
"""

from __future__ import annotations

import pytest
from conftest import DATA, require

from newsfuse.evaluate.conflicts import LABELS, evaluate_pairs, evaluate_planted

PRECISION_FLOORS = {"number": 0.80, "negation": 0.80}
RECALL_FLOORS = {"number": 0.0, "negation": 0.0}
PLANTED_FLOORS = {"number": 0.80, "negation": 0.70}
OTHER_CONFLICTS_PER_STORY = 0.3


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
