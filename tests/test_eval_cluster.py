"""Scoring story grouping against labelled sets: the scores, the converters, and `newsfuse eval`.

No quality floor is pinned here (that lives with the grouping); these check the plumbing: which article
gets which gold story, what is counted, and that user mistakes are one line and exit code 2.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import DATA, require

from newsfuse.cli import main
from newsfuse.errors import InputError
from newsfuse.evaluate.cluster_data import giveme5w1h_records, neus_records, write_jsonl
from newsfuse.evaluate.clustering import bcubed, grouping_scores, pairwise_f1, read_gold_stories
from newsfuse.ingest.fields import parse_published

GIVEME = DATA / "giveme5w1h_news_cluster"
NEUS = DATA / "neus_allsides_mds" / "val.source"

QUAKE = (
    "A magnitude 7.1 earthquake struck off the coast of Sumatra on Tuesday, the Indonesian "
    "meteorology agency said, shaking buildings in Padang and prompting a brief tsunami warning. "
    "Officials reported damaged houses and at least three injuries as residents fled to higher ground."
)
BANK = (
    "The European Central Bank raised its main interest rate by a quarter point on Thursday, "
    "saying inflation in the euro zone remained too high. ECB president Christine Lagarde told "
    "reporters in Frankfurt that further increases could follow if prices kept rising."
)


def labelled_records() -> list[dict]:
    """Six articles on two clearly different events, a repeat of the first, and a line without text."""
    quake = [
        ("Strong earthquake hits Sumatra", "reuters.com", QUAKE),
        (
            "Sumatra earthquake triggers tsunami warning",
            "apnews.com",
            QUAKE.replace("Tuesday", "Tuesday morning"),
        ),
        ("Indonesia quake shakes Padang", "bbc.co.uk", "Residents in Padang said " + QUAKE),
    ]
    bank = [
        ("ECB raises interest rates again", "ft.com", BANK),
        (
            "European Central Bank lifts rates by quarter point",
            "dw.com",
            BANK.replace("Thursday", "Thursday afternoon"),
        ),
        ("Lagarde signals more ECB rate rises", "lemonde.fr", "In Frankfurt, " + BANK),
    ]
    records: list[dict] = []
    for gold, items in (("quake", quake), (7, bank)):
        for n, (title, outlet, text) in enumerate(items):
            records.append(
                {
                    "id": f"{gold}-{n}",
                    "title": title,
                    "text": text,
                    "outlet": outlet,
                    "published": f"2023-03-0{n + 1}T10:00:00Z",
                    "gold_story": gold,
                }
            )
    # The same article again under another label: scored once, with the gold of its first line.
    records.append({**records[0], "id": "again", "gold_story": "elsewhere"})
    records.append({"id": "empty", "title": "No body", "text": "", "gold_story": "quake"})
    return records


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def cli(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own errors exit through _Parser.error
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------- scores


def test_bcubed_and_pairwise_on_a_known_mapping():
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3; recall: a 2/3, b 2/3, c 1/3, d 2/2, e 2/2.
    scores = bcubed(predicted, gold)
    assert scores["precision"] == pytest.approx(11 / 15)
    assert scores["recall"] == pytest.approx(11 / 15)
    assert scores["f1"] == pytest.approx(11 / 15)
    # pairs together: predicted ab, cd, ce, de; gold ab, ac, bc, de; both ab, de.
    assert pairwise_f1(predicted, gold) == pytest.approx(0.5)

    singletons = {k: k for k in gold}
    scores = bcubed(singletons, gold)
    assert scores["precision"] == pytest.approx(1.0)
    assert scores["recall"] == pytest.approx((1 / 3 * 3 + 1 / 2 * 2) / 5)
    assert pairwise_f1(singletons, gold) == 0.0
    assert grouping_scores(gold, gold) == pytest.approx(
        {"precision": 1.0, "recall": 1.0, "f1": 1.0, "pairwise_f1": 1.0}
    )


# ---------------------------------------------------------------- gold labels from a JSONL file


def test_gold_labels_follow_the_readers_record_numbers(tmp_path):
    path = write_lines(
        tmp_path / "set.jsonl",
        [
            json.dumps({"text": "x", "gold_story": 3}),
            "",  # blank lines are not records
            "{broken json",  # a record the reader rejects: it keeps its number, needs no label
            json.dumps({"text": "y", "gold_story": "3"}),
        ],
    )
    gold, records = read_gold_stories(path)
    assert records == 3
    assert gold == {0: "3", 2: "3"}  # 3 and "3" are one story


@pytest.mark.parametrize(
    "record, message",
    [
        ({"text": "x"}, "no 'gold_story'"),
        ({"text": "x", "gold_story": None}, "'gold_story' must be"),
        ({"text": "x", "gold_story": ""}, "'gold_story' must be"),
        ({"text": "x", "gold_story": [1]}, "'gold_story' must be"),
    ],
)
def test_a_record_without_a_usable_label_names_its_line(tmp_path, record, message):
    path = write_lines(
        tmp_path / "set.jsonl", [json.dumps({"text": "ok", "gold_story": 1}), json.dumps(record)]
    )
    with pytest.raises(InputError, match=f"set.jsonl: line 2: {message}"):
        read_gold_stories(path)


def test_only_jsonl_files_are_scored(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_gold_stories(tmp_path / "absent.jsonl")
    with pytest.raises(InputError, match="is a folder"):
        read_gold_stories(tmp_path)
    with pytest.raises(InputError, match="expected a .jsonl file"):
        read_gold_stories(write_lines(tmp_path / "set.json", ["[]"]))


# ---------------------------------------------------------------- newsfuse eval cluster, end to end


@pytest.fixture
def labelled_file(tmp_path) -> Path:
    path = tmp_path / "two-events.jsonl"
    assert write_jsonl(labelled_records(), path) == 8
    return path


def test_eval_cluster_scores_a_labelled_file(labelled_file):
    from newsfuse.evaluate.clustering import evaluate_cluster_file

    scores = evaluate_cluster_file(labelled_file)
    assert scores["articles"] == 6
    assert scores["rejected"] == 1  # the line without text
    assert scores["duplicates"] == 1  # the repeated article, scored once under its first line's gold
    assert scores["gold_stories"] == 2  # "elsewhere" was never scored
    assert 1 <= scores["stories"] <= 6
    for name in ("precision", "recall", "f1", "pairwise_f1"):
        assert 0.0 <= scores[name] <= 1.0


def test_eval_cluster_command_text_and_json(capsys, labelled_file):
    code, out, err = cli(capsys, "eval", "cluster", str(labelled_file))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("6 articles (1 rejected), ") and lines[0].endswith(" (gold 2)")
    assert lines[1].startswith("B-cubed P ") and "; pairwise F1 " in lines[1]

    code, out, err = cli(capsys, "eval", "cluster", str(labelled_file), "--json")
    assert code == 0, err
    scores = json.loads(out)
    assert scores["articles"] == 6 and scores["gold_stories"] == 2
    assert {"precision", "recall", "f1", "pairwise_f1", "stories", "rejected", "duplicates"} <= set(scores)


def test_eval_cluster_takes_a_settings_file(capsys, labelled_file, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("no_such_setting = 1\n", encoding="utf-8")
    code, _, err = cli(capsys, "eval", "cluster", str(labelled_file), "--config", str(config))
    assert code == 2 and "no_such_setting" in one_line(err)


def test_eval_mistakes_are_one_line_and_exit_2(capsys, tmp_path):
    code, _, err = cli(capsys, "eval", "cluster", str(tmp_path / "nope.jsonl"))
    assert code == 2 and "nope.jsonl: no such file" in one_line(err)

    unlabelled = write_lines(tmp_path / "unlabelled.jsonl", [json.dumps({"title": "t", "text": "body"})])
    code, _, err = cli(capsys, "eval", "cluster", str(unlabelled))
    assert code == 2 and "unlabelled.jsonl: line 1: no 'gold_story'" in one_line(err)

    code, _, err = cli(capsys, "eval", "convert", "no-such-format", "src", str(tmp_path / "o.jsonl"))
    assert code == 2 and "no-such-format" in one_line(err)

    code, _, err = cli(
        capsys, "eval", "convert", "giveme5w1h", str(tmp_path / "none"), str(tmp_path / "o.jsonl")
    )
    assert code == 2 and "none: no such folder" in one_line(err)

    code, _, err = cli(
        capsys, "eval", "convert", "neus", str(tmp_path / "none.source"), str(tmp_path / "o.jsonl")
    )
    assert code == 2 and "none.source: no such file" in one_line(err)

    code, _, err = cli(capsys, "eval")
    assert code == 2 and one_line(err)
    assert not (tmp_path / "o.jsonl").exists()


def test_eval_missing_file_from_a_real_process(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "newsfuse", "eval", "cluster", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "nope.jsonl" in one_line(done.stderr)


# ---------------------------------------------------------------- NeuS parsing (hand-made lines)


def test_neus_markup_is_stripped_and_lines_are_stories(tmp_path):
    path = write_lines(
        tmp_path / "val.source",
        [
            "TITLE=> Is it too late?. ARTICLE=> Lead one.  [SEP] "
            "TITLE=> Cuts Power Across U.S.. ARTICLE=> Lead two.",
            "",
            "TITLE=> Third headline. ARTICLE=>  ",
        ],
    )
    records = list(neus_records(path))
    assert records == [
        {"id": "neus-val-0-1", "title": "Is it too late?", "text": "Lead one.", "gold_story": 0},
        {"id": "neus-val-0-2", "title": "Cuts Power Across U.S.", "text": "Lead two.", "gold_story": 0},
        # A blank line keeps its number; an empty lead is kept, for the reader to reject and count.
        {"id": "neus-val-2-1", "title": "Third headline", "text": "", "gold_story": 2},
    ]


@pytest.mark.parametrize(
    "line",
    [
        "TITLE=> Headline. no article marker",
        "Headline. ARTICLE=> lead",
        "TITLE=> One. ARTICLE=> lead TITLE=> Two. ARTICLE=> lead",  # a missing [SEP]
        "TITLE=> One. ARTICLE=> lead [SEP] ",
    ],
)
def test_a_malformed_neus_line_names_file_and_line(capsys, tmp_path, line):
    good = "TITLE=> Fine. ARTICLE=> Lead."
    path = write_lines(tmp_path / "val.source", [good, line])
    with pytest.raises(InputError, match=r"val\.source: line 2, article \d"):
        list(neus_records(path))
    out = tmp_path / "out.jsonl"
    code, _, err = cli(capsys, "eval", "convert", "neus", str(path), str(out))
    assert code == 2 and "line 2" in one_line(err)
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl*"))  # no partial file left behind


# ---------------------------------------------------------------- giveme5w1h layout (hand-made files)


def test_giveme5w1h_records_read_both_label_forms_and_sort_by_time(tmp_path):
    def article(name: str, published: str | None, cluster: object) -> None:
        data = {
            "title": f" {name} ",
            "text": f"Body of {name}.",
            "url": f"https://www.example.com/{name}",
            "date_publish": published if published is not None else "None",
            "source_domain": "www.example.com",
            "newsCluster": cluster,
        }
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")

    article("a", None, {"EventId": 1})
    article("b", "2017-05-02T09:00:00+02:00", "{'EventId': 2, 'Event': 'x'}")  # 07:00 UTC
    article("c", "2017-05-02T08:00:00", {"EventId": "1"})
    article("d", "2017-05-02T07:00:00", {"EventId": 3})  # same instant as b: file name decides
    (tmp_path / "_sampling.json").write_text("[]", encoding="utf-8")
    records = giveme5w1h_records(tmp_path)
    assert [r["id"] for r in records] == ["b", "d", "c", "a"]  # undated last
    assert [r["gold_story"] for r in records] == [2, 3, 1, 1]
    assert records[0] == {
        "id": "b",
        "title": "b",
        "text": "Body of b.",
        "url": "https://www.example.com/b",
        "published": "2017-05-02T09:00:00+02:00",
        "outlet": "example.com",
        "gold_story": 2,
    }
    assert "published" not in records[-1]

    article("e", None, {"Event": "no id"})
    with pytest.raises(InputError, match=r"e\.json: no gold event"):
        giveme5w1h_records(tmp_path)
    (tmp_path / "e.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"e\.json: invalid JSON"):
        giveme5w1h_records(tmp_path)


# ---------------------------------------------------------------- the real sets


def test_giveme5w1h_converts_to_a_publication_ordered_stream(capsys, tmp_path):
    records = giveme5w1h_records(require(GIVEME))
    assert len(records) == 383
    assert len({r["gold_story"] for r in records}) == 69
    assert len({r["id"] for r in records}) == 383
    assert all(isinstance(r["gold_story"], int) and r["text"] and r["title"] for r in records)
    assert not any(r["outlet"].startswith("www.") for r in records)
    times = [parse_published(r["published"]) for r in records]
    assert all(t is not None for t in times)
    assert times == sorted(times)  # type: ignore[type-var]

    out = tmp_path / "sets" / "giveme5w1h.jsonl"
    code, stdout, err = cli(capsys, "eval", "convert", "giveme5w1h", str(GIVEME), str(out))
    assert code == 0, err
    assert stdout.strip() == f"383 records written to {out}"
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == records


def test_neus_converts_one_record_per_article(capsys, tmp_path):
    records = list(neus_records(require(NEUS)))
    assert len(records) == 921
    by_story: defaultdict[int, list[dict]] = defaultdict(list)
    for r in records:
        by_story[r["gold_story"]].append(r)
    assert sorted(by_story) == list(range(307))
    assert all(len(members) == 3 for members in by_story.values())
    assert [r["gold_story"] for r in records] == sorted(r["gold_story"] for r in records)  # file order
    for r in records:
        assert set(r) == {"id", "title", "text", "gold_story"}  # no date, no outlet
        assert r["title"] and r["title"] == r["title"].strip()
        assert not any(marker in r["title"] + r["text"] for marker in ("TITLE=>", "ARTICLE=>", "[SEP]"))
    assert Counter(bool(r["text"]) for r in records)[False] == 2  # two leads are empty in val.source
    assert records[0]["title"] == "Sanders sends Democratic establishment into panic mode"

    out = tmp_path / "neus.jsonl"
    code, stdout, err = cli(capsys, "eval", "convert", "neus", str(NEUS), str(out))
    assert code == 0, err
    assert stdout.strip() == f"921 records written to {out}"
    gold, count = read_gold_stories(out)
    assert count == 921 and len(set(gold.values())) == 307
