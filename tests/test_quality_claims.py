"""Quality gate: fusion on the labelled giveme5w1h development stories (sentence pairs and claims).

Measured with `python -m newsfuse.evaluate.claims`: alignment P 0.912 R 0.443 (contract 1.0's TF-IDF
alignment: P 0.690 R 0.571); precision of `corroborated` 0.540 over 50 claims (0.610 over 41 before the
conflicts step; 1.0's rule: 0.320 over 172), of `relayed` 0.981 over 54. Floors sit a little below. The
issue's target for `corroborated` is 0.90: not met yet (see README, Quality).
"""

from __future__ import annotations

import pytest
from conftest import DATA, require

from newsfuse.evaluate.claims import evaluate

ALIGNMENT_FLOORS = {"precision": 0.88, "recall": 0.42}
# corroborated: 0.610 over 41 before the conflicts step, 0.540 over 50 after it: of the 9 claims its
# stricter rules no longer call contested, 2 are labelled corroborated (see README, Quality).
STATUS_FLOORS = {"corroborated": 0.52, "relayed": 0.95}


@pytest.fixture(scope="module")
def results():
    return evaluate(require(DATA / "giveme5w1h_news_cluster"))


@pytest.mark.slow
def test_alignment_and_status_floors(results):
    shipped, legacy = results["shipped"], results["contract 1.0 (TF-IDF)"]
    for key, floor in ALIGNMENT_FLOORS.items():
        assert shipped["alignment"][key] >= floor, (key, shipped["alignment"])
    assert shipped["alignment"]["precision"] > legacy["alignment"]["precision"]
    for status, floor in STATUS_FLOORS.items():
        measured = shipped["status"][status]
        assert measured["unlabelled"] == 0, f"label the new {status} claims (see evaluate/claims_data.py)"
        assert measured["precision"] >= floor, (status, measured)
    assert shipped["status"]["corroborated"]["precision"] > legacy["status"]["corroborated"]["precision"]
