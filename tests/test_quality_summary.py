"""Quality gate: summaries against the human neutral summaries of NeuS / AllSides (development set)."""

from __future__ import annotations

from conftest import DATA, require

from newsfuse.evaluate.summary import evaluate, rouge_l, rouge_n, scores

# Measured with `python -m newsfuse.evaluate.summary ../shared/data/neus_allsides_mds`: 0.389 / 0.169 /
# 0.257 (the round-robin lead baseline: 0.387 / 0.169 / 0.249). Floors sit 0.01 below.
FLOORS = {"rouge1": 0.379, "rouge2": 0.159, "rougeL": 0.247}


def test_rouge_on_known_strings():
    assert scores("the cat sat", "the cat sat")["rougeL"] == 1.0
    assert rouge_n("a b c d".split(), "a b x d".split(), 2) == 1 / 3
    assert rouge_l("a b c d".split(), "a x c d".split()) == 0.75
    assert scores("", "anything")["rouge1"] == 0.0


def test_summary_quality_floor_on_neus():
    folder = require(DATA / "neus_allsides_mds")
    result = evaluate(folder)
    assert result["clusters"] == 307
    measured = result["systems"]["newsfuse"]
    for key, floor in FLOORS.items():
        assert measured[key] >= floor, (key, measured)
    # A summary chosen across three sources beats reading one source's lead.
    assert measured["rouge1"] > result["systems"]["first lead"]["rouge1"]
