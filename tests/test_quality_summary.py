"""Summary evaluation: the cluster format, the baselines, rouge-score, and the NeuS / AllSides gate."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA, require

from newsfuse.errors import InputError
from newsfuse.evaluate.summary import _Rouge, budget, evaluate_file, lead_order, lexrank_ranking
from newsfuse.evaluate.summary_data import convert_neus_mds, read_clusters

# Measured with `newsfuse eval summarize neus-mds.jsonl` (after `newsfuse eval convert neus-mds
# ../shared/data/neus_allsides_mds neus-mds.jsonl`), in percent: newsfuse 41.95 / 18.79 / 37.36, LexRank
# in the same run 41.91 / 18.47 / 37.37, lead 40.89 / 17.78 / 36.30. Floors sit about 0.3 below.
FLOORS = {"rouge1": 0.416, "rouge2": 0.185, "rougeLsum": 0.370}


def test_rouge_score_is_stemmed_f1_on_known_strings():
    rouge = _Rouge()
    assert rouge(["the cats sat"], "The cat sat.")["rouge1"] == 1.0
    assert rouge([], "anything")["rouge2"] == 0.0
    # ROUGE-Lsum reads sentence breaks: each summary sentence matched against the reference's sentences.
    assert rouge(["a b c.", "d e f."], "d e f. a b c.")["rougeLsum"] == 1.0


def test_budget_cuts_the_last_sentence_at_the_word_budget():
    assert budget(["one two three.", "four five six."], 4) == ["one two three.", "four"]
    assert budget(["one two."], 75) == ["one two."]


def test_lead_takes_each_reports_first_sentence_then_the_second():
    assert lead_order([["a1", "a2"], ["b1"], ["c1", "c2"]]) == ["a1", "b1", "c1", "a2", "c2"]


def test_lexrank_ranks_every_sentence_the_most_central_first():
    sentences = [
        "The council voted to rebuild the bridge over the river.",
        "The bridge over the river will be rebuilt, the council voted.",
        "Rebuilding the river bridge was approved by the council vote.",
        "A bakery opened on Main Street.",
    ]
    ranked = lexrank_ranking(sentences)
    assert sorted(ranked) == sorted(sentences)
    assert ranked[-1] == "A bakery opened on Main Street."


def _write(path, lines):
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def test_clusters_are_read_as_articles_and_a_bad_article_is_rejected_by_name(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        [
            {
                "id": "c1",
                "articles": [
                    {"id": "x", "title": "Bridge", "text": "The council voted to rebuild the bridge."},
                    {"id": "y", "title": "Empty", "text": ""},
                ],
                "reference": "Council votes to rebuild bridge.",
            }
        ],
    )
    clusters, rejected = read_clusters(path)
    assert [c.id for c in clusters] == ["c1"] and len(clusters[0].articles) == 1
    assert len(rejected) == 1 and "line 1, article 2" in rejected[0].message
    _write(path, [{"id": "c1", "articles": "not a list"}])
    with pytest.raises(InputError, match="line 1: expected an object with an 'articles' list"):
        read_clusters(path)


def test_convert_neus_mds_pairs_sources_with_references(tmp_path):
    (tmp_path / "val.source").write_text(
        "TITLE=> Bridge to be rebuilt. ARTICLE=> The council voted. [SEP] TITLE=> Vote on bridge. "
        "ARTICLE=> Councillors backed the plan.\n",
        encoding="utf-8",
    )
    (tmp_path / "val.target").write_text(
        "TITLE=> Council Backs Bridge. ARTICLE=> The council voted to rebuild it.\n", encoding="utf-8"
    )
    assert convert_neus_mds(tmp_path, tmp_path / "out.jsonl") == 1
    (record,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert record["reference"] == "Council Backs Bridge. The council voted to rebuild it."
    assert [a["title"] for a in record["articles"]] == ["Bridge to be rebuilt", "Vote on bridge"]
    (tmp_path / "val.target").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="0 lines for the 1"):
        convert_neus_mds(tmp_path, tmp_path / "out.jsonl")


def test_eval_summarize_without_references_writes_the_dump_only(tmp_path):
    text = (
        "The city council voted on Tuesday to rebuild the old bridge over the river. "
        "Work on the bridge will start in March and take two years."
    )
    path = _write(
        tmp_path / "c.jsonl",
        [{"id": "c1", "articles": [{"id": "x", "title": "Bridge to be rebuilt", "text": text}]}],
    )
    dump = tmp_path / "dump.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "newsfuse", "eval", "summarize", str(path), "--dump", str(dump), "--words=12"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "0 with a reference" in done.stdout and "ROUGE" not in done.stdout
    (line,) = [json.loads(x) for x in dump.read_text().splitlines()]
    assert line["id"] == "c1" and len(line["summary"].split()) == 12
    assert line["summary"].startswith("Bridge to be rebuilt The city council voted")


@pytest.mark.slow
def test_summary_quality_floor_on_neus(tmp_path):
    folder = require(DATA / "neus_allsides_mds")
    path = tmp_path / "neus-mds.jsonl"
    convert_neus_mds(folder, path)
    result = evaluate_file(path)
    assert result["clusters"] == result["scored"] == 307
    measured = result["systems"]["newsfuse"]
    for key, floor in FLOORS.items():
        assert measured[key] >= floor, (key, measured)
    # Chosen across the sources, it beats LexRank and the lead of the same run.
    assert measured["rouge2"] > result["systems"]["lexrank"]["rouge2"]
    assert measured["rouge2"] > result["systems"]["lead"]["rouge2"]
