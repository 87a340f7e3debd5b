"""Quality gates: HTML reading + cleaning on two development sets, and furniture removal on news-please texts.

Measured with `python -m newsfuse.evaluate.extraction ../shared/data/trafilatura_eval_en` (trafilatura 2.3.1):
precision 0.9554, recall 0.9554, F1 0.9554, accuracy 0.9553 (tp 450, fp 21, fn 21, tn 448; 157 pages).
Reading alone, before cleaning (`--raw`), and trafilatura.extract alone (`--trafilatura`): precision 0.9076,
recall 0.9597, F1 0.9329, accuracy 0.9309.

`python -m newsfuse.evaluate.readability ../shared/data/readability_test_pages`: English pages (79) F1 0.939
(trafilatura alone 0.920), all 130 pages 0.918 (0.913); bylines right 39 of 76 (trafilatura 34).

`python -m newsfuse.evaluate.furniture ../shared/data/giveme5w1h_news_cluster` (20 labelled articles, 246
lines, 26 of them furniture): precision 1.000, recall 0.769.

Each floor sits about 0.01 below its measure; lower one only on purpose, in the change that lowers the score.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.evaluate.extraction import score_html_extraction

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "trafilatura_eval_en"
READABILITY = DATA.parent / "readability_test_pages"
GIVEME5W1H = DATA.parent / "giveme5w1h_news_cluster"

FLOORS = {"precision": 0.945, "recall": 0.945, "f1": 0.945, "accuracy": 0.945}


def test_html_extraction_scores_stay_above_their_floors():
    if not (DATA / "evaldata_en.json").exists():
        pytest.skip(f"{DATA} is not present")
    scores = score_html_extraction(DATA)
    assert scores["pages"] == 157
    for name, floor in FLOORS.items():
        assert scores[name] >= floor, f"{name} {scores[name]:.4f} fell below its floor {floor}"


@pytest.mark.slow
def test_readability_pages_score_above_their_floors_and_above_trafilatura_alone():
    from newsfuse.evaluate.readability import evaluate

    if not (READABILITY / "cnn" / "source.html").exists():
        pytest.skip(f"{READABILITY} is not present")
    scores = evaluate(READABILITY)
    english, every = scores["english"], scores["all"]
    assert english["newsfuse"]["pages"] == 79 and every["newsfuse"]["pages"] == 130
    assert english["newsfuse"]["f1"] >= 0.929
    assert every["newsfuse"]["f1"] >= 0.908
    assert english["newsfuse"]["f1"] - english["trafilatura"]["f1"] >= 0.010
    assert every["newsfuse"]["bylines_right"] >= 37 > every["trafilatura"]["bylines_right"]


def test_news_please_furniture_removal_on_the_labelled_sample():
    from newsfuse.evaluate.furniture import score_furniture

    if not GIVEME5W1H.exists():
        pytest.skip(f"{GIVEME5W1H} is not present")
    scores = score_furniture(GIVEME5W1H)
    assert scores["articles"] == 20 and scores["furniture"] == 26
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.73, scores
