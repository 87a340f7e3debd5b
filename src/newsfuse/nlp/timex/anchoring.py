"""Calendar arithmetic that resolves a relative expression against the anchor date.

Direction comes from the sentence: news reports mostly what has happened, so "Thursday" in a report is
the last Thursday on or before the anchor, unless the sentence speaks of the future ("will", "plans to",
"scheduled"), when it is the next one on or after it. This is HeidelTime's news strategy in small.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsfuse.nlp.timex.vocabulary import SEASON_MONTHS

_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|going to|scheduled|to be held|upcoming|plan(?:s|ned|ning)? to|as soon as|might)\b",
    re.IGNORECASE,
)
_PAST = re.compile(r"\b(?:was|were|had|did|said|ago|last|earlier|previous|yesterday)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z\"“])|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], cut at sentence punctuation (cheap, no model)."""
    left = max(0, start - 200)
    before = text[left:start]
    cuts = list(_SENTENCE_END.finditer(before))
    begin = left + cuts[-1].end() if cuts else left
    after = _SENTENCE_END.search(text, end, min(len(text), end + 200))
    return text[begin : after.start() + 1 if after else min(len(text), end + 200)]


def direction(text: str, start: int, end: int) -> int:
    """+1 when the sentence around the span speaks of the future, -1 otherwise (news reports the past)."""
    sentence = sentence_around(text, start, end)
    future = _FUTURE.search(sentence)
    if future is None:
        return -1
    past = _PAST.search(sentence)
    # "said on Thursday that it will ...": the reporting verb before the date dates the saying.
    if past is not None and past.start() < future.start() and text.find(past.group(), start - 40, start) >= 0:
        return -1
    return 1


def shift_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def weekday_date(anchor: date, weekday: int, sign: int, strict: bool = False) -> date:
    """The `weekday` (1 Monday .. 7 Sunday) nearest the anchor in direction `sign` (the anchor's own day
    counts unless `strict`)."""
    delta = (weekday - anchor.isoweekday()) % 7 if sign > 0 else -((anchor.isoweekday() - weekday) % 7)
    if strict and delta == 0:
        delta = 7 * sign
    return anchor + timedelta(days=delta)


def month_year(anchor: date, month: int, sign: int, day: int | None = None) -> int:
    """The year of `month` (and `day`) nearest the anchor in direction `sign`; the anchor's month counts."""
    here = (anchor.month, day or 0) if day is not None else (anchor.month, 0)
    there = (month, day or 0)
    if sign < 0 and there > here:
        return anchor.year - 1
    if sign > 0 and there < here:
        return anchor.year + 1
    return anchor.year


def nearest_year(anchor: date, month: int, day: int = 15) -> int:
    """The year that puts `month` (and `day`) nearest the anchor: a report dated 26 October 1989 that
    names "Feb. 1" most likely means 1 February 1990, one dated 16 February that names "March 12" this
    year's."""
    best = anchor.year
    for year in (anchor.year - 1, anchor.year + 1):
        if abs(_ordinal(year, month, day) - anchor.toordinal()) < abs(
            _ordinal(best, month, day) - anchor.toordinal()
        ):
            best = year
    return best


def _ordinal(year: int, month: int, day: int) -> int:
    return date(year, month, min(day, 28)).toordinal()


def season_year(anchor: date, season: str, shift: int) -> int:
    """The year of a season: `shift` -1 for "last", +1 for "next", 0 for "this"."""
    first, last = SEASON_MONTHS[season]
    if shift < 0:
        return anchor.year if last < anchor.month else anchor.year - 1
    if shift > 0:
        return anchor.year if first > anchor.month else anchor.year + 1
    return anchor.year


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_year(anchor: date, quarter: int) -> int:
    """A named quarter ("the third quarter") is the latest one begun by the anchor."""
    return anchor.year if (quarter - 1) * 3 + 1 <= anchor.month else anchor.year - 1


def previous_quarter(anchor: date) -> tuple[int, int]:
    year, quarter = quarter_of(anchor)
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)
