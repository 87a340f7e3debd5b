"""Floors on the quote extractor's scores on the PolNeAR development set (measured minus about 0.01).

Reproduce the figures with `python -m newsfuse.evaluate.attribution ../shared/data/polnear_attribution`.
PolNeAR annotates every attribution (beliefs, findings, "called for", ...), most of which no
speech-verb rule can see, hence the low overall recall; the direct-quote figures are the ones that matter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear_attribution"

FLOORS = {
    "overall": {
        "precision": 0.971,
        "recall": 0.418,
        "f1": 0.586,
        "speaker_accuracy": 0.738,
        "speaker_accuracy_named": 0.932,
        "cue_accuracy": 0.929,
    },
    "direct": {
        "precision": 0.955,
        "recall": 0.769,
        "f1": 0.852,
        "speaker_accuracy": 0.708,
        "speaker_accuracy_named": 0.934,
        "cue_accuracy": 0.938,
    },
}


@pytest.fixture(scope="module")
def result():
    if not (DATA / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR data is not present under {DATA}")
    from newsfuse.evaluate.attribution import evaluate

    return evaluate(DATA)


@pytest.mark.parametrize("subset", sorted(FLOORS))
def test_polnear_scores_hold(result, subset):
    got = result[subset]
    low = {name: (got[name], floor) for name, floor in FLOORS[subset].items() if got[name] < floor}
    assert not low, f"{subset}: below floor (got, floor): {low}"


def test_polnear_corpus_is_read_whole(result):
    assert result["articles"] == 84
    assert result["overall"]["gold"] > 2000
    assert result["direct"]["gold"] > 600


def test_polnear_extraction_is_fast(result):
    assert result["extract_ms_per_article"] < 5.0
