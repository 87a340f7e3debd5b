"""Quality gate: fusion on the labelled giveme5w1h development stories (sentence pairs and claims).

Measured with `python -m newsfuse.evaluate.claims`: alignment P 0.906 R 0.414 (contract 1.0's TF-IDF
alignment: P 0.690 R 0.571); precision of `corroborated` 0.955 over 22 claims (1.0's rule: 0.318 over
170), of `relayed` 0.887 over 71. Before a link across origins needed the shorter sentence's content
mostly stated by the other and an article naming a wire as its source rested on the wire's copy:
`corroborated` 0.852 over 27. Floors sit a little below. The issue's target for `corroborated`, 0.90, is
met here; on the held-out draws (`--heldout 11`, `--heldout 12`) it is lower (see README, Quality)."""

from __future__ import annotations

import pytest
from conftest import DATA, require

from newsfuse.evaluate.claims import evaluate

ALIGNMENT_FLOORS = {"precision": 0.88, "recall": 0.40}
STATUS_FLOORS = {"corroborated": 0.93, "relayed": 0.87}


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
