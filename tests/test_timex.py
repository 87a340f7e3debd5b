"""Time expressions: spans, TIMEX3 values and anchors (nlp/timex), and `newsfuse eval timex`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsfuse.cli import main
from newsfuse.nlp.timex import calendar_date, date_of_span, dateline_date, find_timexes
from newsfuse.types import TimeExpression

SATURDAY = date(2017, 2, 11)
TUESDAY = date(2017, 2, 14)


def values(text: str, published: date | datetime | None = None) -> dict[str, tuple[str, str]]:
    return {t.text: (t.type, t.value) for t in find_timexes(text, published)}


def test_spans_are_offsets_into_the_text() -> None:
    text = "Russian air strikes on Thursday killed three soldiers, and talks resume in late December 2016."
    found = find_timexes(text, SATURDAY)
    assert (
        [text[t.start : t.end] for t in found]
        == [t.text for t in found]
        == ["Thursday", "late December 2016"]
    )
    thursday, december = found
    assert (thursday.value, thursday.anchor, thursday.anchor_date) == (
        "2017-02-09",
        "published",
        "2017-02-11",
    )
    assert (december.value, december.mod, december.anchor) == ("2016-12", "END", None)


def test_thursday_in_reports_of_different_days_is_different_days() -> None:
    text = "The strike on Thursday killed three soldiers."
    assert values(text, SATURDAY)["Thursday"] == ("DATE", "2017-02-09")
    assert values(text, TUESDAY)["Thursday"] == ("DATE", "2017-02-09")
    assert values(text, date(2017, 2, 21))["Thursday"] == ("DATE", "2017-02-16")
    # A sentence about the future points forward.
    assert values("The ministers will meet on Thursday.", SATURDAY)["Thursday"] == ("DATE", "2017-02-16")


def test_bare_numbers_are_not_dates() -> None:
    text = "80 people died, 2000 troops were sent, prices rose 12 percent, 1,990 homes burned on 3 hills."
    assert find_timexes(text, SATURDAY) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It happened today.", ("today", "DATE", "2017-02-11")),
        ("It happened yesterday.", ("yesterday", "DATE", "2017-02-10")),
        ("Sales fell last month.", ("last month", "DATE", "2017-01")),
        ("Sales fell last year.", ("last year", "DATE", "2016")),
        ("It was agreed last week.", ("last week", "DATE", "2017-W05")),
        ("Profit rose in the third quarter.", ("the third quarter", "DATE", "2016-Q3")),
        ("The deal was signed on Jan. 29.", ("Jan. 29", "DATE", "2017-01-29")),
        ("He was born on 4 July 1976.", ("4 July 1976", "DATE", "1976-07-04")),
        ("It was built in the 1990s.", ("the 1990s", "DATE", "199")),
        ("It was signed two years ago.", ("two years ago", "DATE", "2015")),
        ("The talks lasted two days.", ("two days", "DURATION", "P2D")),
        ("Over the past three months it grew.", ("the past three months", "DURATION", "P3M")),
        ("They have waited for years.", ("years", "DURATION", "PXY")),
        ("He spoke at 3:30 p.m. on the day.", ("3:30 p.m.", "TIME", "2017-02-11T15:30")),
        ("The paper appears daily.", ("daily", "SET", "P1D")),
        ("They meet every week.", ("every week", "SET", "P1W")),
        ("Prices are now higher.", ("now", "DATE", "PRESENT_REF")),
        ("He came recently.", ("recently", "DATE", "PAST_REF")),
        ("Last April the plant closed.", ("Last April", "DATE", "2016-04")),
        ("Last summer it rained.", ("Last summer", "DATE", "2016-SU")),
    ],
)
def test_expression_shapes(text: str, expected: tuple[str, str, str]) -> None:
    found = find_timexes(text, SATURDAY)
    assert [(t.text, t.type, t.value) for t in found] == [expected]


def test_without_an_anchor_relative_values_stay_open() -> None:
    found = values("The strike on Thursday came on Jan. 29 and in May.")
    assert found == {
        "Thursday": ("DATE", "XXXX-WXX-4"),
        "Jan. 29": ("DATE", "XXXX-01-29"),
        "May": ("DATE", "XXXX-05"),
    }
    assert all(t.anchor is None for t in find_timexes("on Thursday"))


def test_may_the_verb_is_not_a_month() -> None:
    assert values("Officials said talks May resume. They met in May.", SATURDAY) == {
        "May": ("DATE", "2017-05")
    }


def test_dateline_date_anchors_when_there_is_no_publication_date() -> None:
    text = "WASHINGTON, Feb. 11, 2017 (Reuters) - The strike on Thursday killed three soldiers."
    assert dateline_date(text) == date(2017, 2, 11)
    thursday = next(t for t in find_timexes(text) if t.text == "Thursday")
    assert (thursday.value, thursday.anchor, thursday.anchor_date) == ("2017-02-09", "dateline", "2017-02-11")
    # A dateline without a year takes it from the publication date.
    yearless = "MOSCOW, Feb. 11 - Talks ended on Thursday."
    assert dateline_date(yearless) is None
    assert dateline_date(yearless, date(2017, 2, 12)) == date(2017, 2, 11)
    assert values(yearless, datetime(2017, 2, 12, 9, tzinfo=UTC))["Thursday"] == ("DATE", "2017-02-09")


def test_calendar_dates_of_values() -> None:
    def timex(kind: str, value: str) -> TimeExpression:
        return TimeExpression(0, 1, "x", kind, value)

    assert calendar_date(timex("DATE", "2017-02-09")) == ("2017-02-09", "day")
    assert calendar_date(timex("DATE", "2016-12")) == ("2016-12", "month")
    assert calendar_date(timex("DATE", "2017")) == ("2017", "year")
    assert calendar_date(timex("TIME", "2017-02-11T15:30")) == ("2017-02-11", "day")
    undated = ["2016-Q3", "2017-W05", "PAST_REF", "XXXX-WXX-4", "199", "2016-SU"]
    for kind, value in [("DURATION", "P2D")] + [("DATE", v) for v in undated]:
        assert calendar_date(timex(kind, value)) is None
    text = "He left on Thursday. The talks lasted two days."
    found = find_timexes(text, SATURDAY)
    assert date_of_span(found, 0, 20) == "2017-02-09"
    assert date_of_span(found, 21, len(text)) is None


_TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>d1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-27" functionInDocument="CREATION_TIME">02/27/1998\
</TIMEX3></DCT>
<TEXT>
A friend <EVENT eid="e1">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-02-27">Friday</TIMEX3> that \
AT&amp;T paid 80 cents <TIMEX3 tid="t2" type="DATE" value="1997">last year</TIMEX3> for \
<TIMEX3 tid="t3" type="DURATION" value="P2D">two days</TIMEX3> of work.
</TEXT>
</TimeML>
"""


def test_eval_timex_scores_a_timeml_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d1.tml").write_text(_TML, encoding="utf-8")
    (tmp_path / "broken.tml").write_text("<TimeML>no creation time</TimeML>", encoding="utf-8")
    assert main(["eval", "timex", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["documents"] == 1 and result["gold"] == 3
    assert result["extraction"]["strict"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert result["extraction"]["relaxed"]["f1"] == 1.0
    assert result["type"]["accuracy"] == 1.0 and result["value"]["accuracy"] == 1.0
    assert result["value"]["f1"] == 1.0
    assert len(result["skipped"]) == 1 and "broken.tml" in result["skipped"][0]
    assert "creation time" in result["skipped"][0]


def test_eval_timex_reports_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "timex", str(tmp_path / "nowhere")]) == 2
    assert "no folder" in capsys.readouterr().err
    assert main(["eval", "timex", str(tmp_path)]) == 2
    assert "no .tml files" in capsys.readouterr().err


def test_head_indexed_search_finds_what_a_full_scan_finds() -> None:
    """Rules are tried only near head words (extract._matches); every match a scan of the whole text
    with every rule finds must be among them (the indexed search may find more overlapping ones)."""
    from conftest import SEED_FILES

    from newsfuse.nlp.timex import extract
    from newsfuse.nlp.timex.patterns import RULES

    texts = [p.read_text(encoding="utf-8") for p in SEED_FILES] or [_TML]
    texts.append("In mid-1990, the 16-hour talks of the '80s ended at 3:30 p.m. on 02/27/1998, a year ago.")
    for text in texts:
        indexed = {(i, m.span()) for i, m in extract._matches(text)}
        for index, rule in enumerate(RULES):
            for m in rule.pattern.finditer(text):
                number = m.groupdict().get("num")
                if number is not None and not number[0].isdigit() and number.lower() not in _NUMBER_LIKE:
                    continue  # any word stands in the number's place; the normaliser drops non-numbers
                assert (index, m.span()) in indexed, (rule.name, m.group())


_NUMBER_LIKE = {"a", "an", "one", "two", "three", "several", "few", "a few", "many", "some"}
