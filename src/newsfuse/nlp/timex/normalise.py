"""Normalisation rules: a pattern's match -> TIMEX3 type and value, resolved against the anchor date.

One function per expression shape, named in `patterns`. Each returns None when the match is not a time
expression after all ("May" the verb, a 31 February), so that another rule's reading can take the span.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from newsfuse.nlp.timex.anchoring import (
    direction,
    iso_week,
    month_year,
    nearest_year,
    previous_quarter,
    quarter_of,
    quarter_year,
    season_year,
    sentence_around,
    shift_months,
    weekday_date,
)
from newsfuse.nlp.timex.vocabulary import (
    DAY_PARTS,
    MODIFIERS,
    MONTHS,
    ORDINALS,
    SEASONS,
    SET_ADVERBS,
    UNITS,
    VAGUE_NUMBERS,
    WEEKDAYS,
    number_value,
)


class Resolution(NamedTuple):
    type: str
    value: str
    mod: str | None = None
    relative: bool = False  # True when the value was computed from the anchor date


@dataclass(slots=True)
class Context:
    """What every rule may look at: the whole text and the anchor date (None: nothing to anchor on)."""

    text: str
    anchor: date | None

    def sign(self, m: re.Match[str]) -> int:
        return direction(self.text, m.start(), m.end())

    def word_before(self, m: re.Match[str]) -> str:
        words = self.text[max(0, m.start() - 20) : m.start()].split()
        return words[-1].lower() if words else ""


_SHIFT = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}
# Words before a bare month or season that make it a time ("in May", not "May I").
_TIME_PREPOSITIONS = frozenset(
    "in since until till by from through to of during before after early late mid this last next "
    "until between and or every each".split()
)


def _g(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _mod(m: re.Match[str]) -> str | None:
    word = _g(m, "mod")
    return MODIFIERS.get(" ".join(word.lower().split())) if word else None


def _month(m: re.Match[str]) -> int:
    if _g(m, "mnum"):
        return int(m["mnum"])
    return MONTHS[m["month"].lower().rstrip(".")]


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else "XXXX-XX-XX"


def _year_of(ctx: Context, m: re.Match[str], month: int, day: int) -> int:
    """The year of a month (and day) the text gives without one: in a sentence about the future the
    next such date, otherwise the one nearest the anchor."""
    assert ctx.anchor is not None
    if ctx.sign(m) > 0:
        return month_year(ctx.anchor, month, 1, day)
    return nearest_year(ctx.anchor, month, day)


def month_and_year(m: re.Match[str], ctx: Context) -> Resolution | None:
    return Resolution("DATE", f"{m['year']}-{_month(m):02d}", _mod(m))


def calendar_date(m: re.Match[str], ctx: Context) -> Resolution | None:
    month, day = _month(m), int(m["day"])
    year_text = _g(m, "year")
    if year_text:
        year, relative = int(year_text), False
    elif ctx.anchor is not None:
        year, relative = _year_of(ctx, m, month, day), True
    else:
        year, relative = 0, False
    if day > calendar.monthrange(year or 2000, month)[1]:
        return None
    shown = f"{year:04d}" if year else "XXXX"
    return Resolution("DATE", f"{shown}-{month:02d}-{day:02d}", _mod(m), relative)


def month_only(m: re.Match[str], ctx: Context) -> Resolution | None:
    month, rel = _month(m), (_g(m, "rel") or "").lower()
    word = m["month"].lower()
    # "May" and "March" alone are often the verb or the noun, unless a preposition makes them times.
    bare = not (rel or _g(m, "mod"))
    if word.startswith(("may", "mar")) and bare and ctx.word_before(m) not in _TIME_PREPOSITIONS:
        return None
    if len(word) == 3 and word not in ("may",) and word in MONTHS:
        return None  # a bare abbreviation without a day is too often something else ("Jan" the name)
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{month:02d}", _mod(m))
    a = ctx.anchor
    if rel in ("last", "past", "previous"):
        year = a.year if month < a.month else a.year - 1
    elif rel in ("next", "coming"):
        year = a.year if month > a.month else a.year + 1
    elif rel in ("this", "current"):
        year = a.year
    else:
        year = _year_of(ctx, m, month, 15)
    return Resolution("DATE", f"{year:04d}-{month:02d}", _mod(m), True)


_COUNTED = re.compile(r"\s+(?!(?:was|has|is|as|this|its|his|ves)\b)[a-z]+s\b")


def year_only(m: re.Match[str], ctx: Context) -> Resolution | None:
    year = int(m["year"])
    qualified = bool(_g(m, "mod") or _g(m, "fiscal")) or ctx.word_before(m) in _TIME_PREPOSITIONS
    if year < 1900 and not qualified:
        return None
    if not qualified and _COUNTED.match(ctx.text, m.end()):
        return None  # a count, not a year: "2000 troops", "1500 people"
    return Resolution("DATE", f"{year:04d}", _mod(m))


def decade(m: re.Match[str], ctx: Context) -> Resolution | None:
    if _g(m, "century"):
        return Resolution("DATE", f"{m['century']}{m['decade']}", _mod(m))
    digit = int(m["decade2"])
    this_century = ctx.anchor.year // 100 if ctx.anchor else 19
    century = (
        this_century if digit * 10 <= (ctx.anchor.year % 100 if ctx.anchor else 99) else this_century - 1
    )
    return Resolution("DATE", f"{century}{digit}", _mod(m), ctx.anchor is not None)


def season(m: re.Match[str], ctx: Context) -> Resolution | None:
    code = SEASONS[m["season"].lower()]
    rel, year_text = (_g(m, "rel") or "").lower(), _g(m, "year")
    if year_text:
        return Resolution("DATE", f"{year_text}-{code}", _mod(m))
    if not (rel or _g(m, "mod")) and ctx.word_before(m) not in _TIME_PREPOSITIONS:
        return None
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{code}", _mod(m))
    year = season_year(ctx.anchor, code, _SHIFT.get(rel or "this", 0))
    return Resolution("DATE", f"{year:04d}-{code}", _mod(m), True)


_UNANCHORED = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
               "quarter": "XXXX-QX", "decade": "XXX", "century": "XX", "day": "XXXX-XX-XX"}  # fmt: skip


def _unit_value(anchor: date | None, unit: str, shift: int) -> str:
    """The calendar unit (year, month, week ...) `shift` units from the anchor's, in TIMEX3 form."""
    if anchor is None:
        return _UNANCHORED[unit]
    if unit == "year":
        return f"{anchor.year + shift:04d}"
    if unit == "month":
        year, month = shift_months(anchor.year, anchor.month, shift)
        return f"{year:04d}-{month:02d}"
    if unit in ("week", "weekend"):
        return iso_week(anchor + timedelta(weeks=shift)) + ("-WE" if unit == "weekend" else "")
    if unit == "quarter":
        year, quarter = quarter_of(anchor)
        index = year * 4 + quarter - 1 + shift
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "decade":
        return str(anchor.year // 10 + shift)
    if unit == "century":
        return str(anchor.year // 100 + shift)
    return (anchor + timedelta(days=shift)).isoformat()


def relative_unit(m: re.Match[str], ctx: Context) -> Resolution | None:
    unit = m["unit"].lower()
    shift = _SHIFT[m["rel"].lower()]
    return Resolution("DATE", _unit_value(ctx.anchor, unit, shift), _mod(m), ctx.anchor is not None)


def the_weekend(m: re.Match[str], ctx: Context) -> Resolution | None:
    if ctx.anchor is None:
        return Resolution("DATE", "XXXX-WXX-WE")
    shift = -1 if ctx.sign(m) < 0 and ctx.anchor.isoweekday() < 5 else 0
    return Resolution("DATE", _unit_value(ctx.anchor, "weekend", shift), None, True)


_REFERENCES = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "at present": "PRESENT_REF", "the present": "PRESENT_REF", "the moment": "PRESENT_REF",
    "current": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "the future": "FUTURE_REF",
}  # fmt: skip
_DAY_SHIFTS = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
               "the day after tomorrow": 2}  # fmt: skip


def deictic(m: re.Match[str], ctx: Context) -> Resolution | None:
    word = " ".join(m["word"].lower().split())
    if word.startswith("recent "):
        return Resolution("DATE", "PAST_REF")
    if word in ("the year", "year-end"):
        if word == "the year" and ctx.word_before(m) in ("for", "over", "throughout", "during"):
            return Resolution("DURATION", "P1Y")
        return Resolution("DATE", _unit_value(ctx.anchor, "year", 0), None, ctx.anchor is not None)
    if word in _REFERENCES:
        return Resolution("DATE", _REFERENCES[word])
    if word == "tonight":
        return Resolution("TIME", _day(ctx.anchor) + "TNI", None, ctx.anchor is not None)
    shift = _DAY_SHIFTS[word]
    value = ctx.anchor + timedelta(days=shift) if ctx.anchor is not None else None
    return Resolution("DATE", _day(value), None, value is not None)


def weekday(m: re.Match[str], ctx: Context) -> Resolution | None:
    day = WEEKDAYS[m["weekday"].lower()]
    rel = (_g(m, "rel") or "").lower()
    part = _g(m, "part")
    suffix = "T" + DAY_PARTS[part.lower()] if part else ""
    kind = "DATE"  # "Friday morning" is DATE in most of the gold data, its value the day and the part
    if ctx.anchor is None:
        return Resolution(kind, f"XXXX-WXX-{day}{suffix}")
    if rel in ("last", "past", "previous"):
        value = weekday_date(ctx.anchor, day, -1, strict=True)
    elif rel in ("next", "coming"):
        value = weekday_date(ctx.anchor, day, 1, strict=True)
    else:
        value = weekday_date(ctx.anchor, day, ctx.sign(m))
    return Resolution(kind, value.isoformat() + suffix, None, True)


_NOT_A_NUMBER = -1.0


def _count(m: re.Match[str]) -> float | None:
    """The number the `num` group says; None for a vague one ("several"), _NOT_A_NUMBER for a word
    that is no number (the pattern takes any word there)."""
    word = " ".join(m["num"].lower().split())
    if word in VAGUE_NUMBERS:
        return None
    if word in ("a half", "one and a half"):
        return 0.5 if word == "a half" else 1.5
    if word in ("couple", "a couple of"):
        return 2.0
    value = number_value(word)
    return _NOT_A_NUMBER if value is None or word == "half" else value


def _unit(m: re.Match[str]) -> str:
    word = m["unit"].lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and word[:-1] in UNITS else word


def _quarterly(ctx: Context, m: re.Match[str]) -> bool:
    """Whether the text reports quarterly figures (it names quarters), or the sentence does."""
    return ctx.text.count("quarter") >= 2 or "quarter" in sentence_around(ctx.text, m.start(), m.end())


def ago(m: re.Match[str], ctx: Context) -> Resolution | None:
    unit = _unit(m)
    count = _count(m)
    if count == _NOT_A_NUMBER:
        return None
    sign = 1 if m["dir"].lower() in ("later", "from now", "hence") else -1
    if unit in ("second", "minute", "hour") or (count is not None and count != int(count)):
        return None
    if count is None:
        return Resolution("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", _mod(m))
    if ctx.anchor is None:
        return Resolution("DATE", _unit_value(None, unit, 0), _mod(m))
    shift = sign * int(count)
    if unit == "year" and _quarterly(ctx, m):
        # "sales rose from a year earlier" in a quarterly report: the same quarter a year before
        year, number = previous_quarter(ctx.anchor)
        return Resolution("DATE", f"{year + shift:04d}-Q{number}", _mod(m), True)
    if unit == "day":
        value = (ctx.anchor + timedelta(days=shift)).isoformat()
    else:
        value = _unit_value(ctx.anchor, unit, shift)
    return Resolution("DATE", value, _mod(m), True)


def quarter(m: re.Match[str], ctx: Context) -> Resolution | None:
    word = " ".join((_g(m, "ord") or "").lower().split())
    unit = m["unit"].lower()
    year_text = _g(m, "year")
    if unit == "half":
        if word not in ("first", "second", "1st", "2nd"):
            return None
        half = ORDINALS[word]
        shown = year_text or (f"{ctx.anchor.year:04d}" if ctx.anchor else "XXXX")
        return Resolution("DATE", f"{shown}-H{half}", None, not year_text and ctx.anchor is not None)
    if word in ORDINALS or word == "final":
        number = 4 if word == "final" else ORDINALS[word]
        if year_text:
            return Resolution("DATE", f"{year_text}-Q{number}")
        if ctx.anchor is None:
            return Resolution("DATE", f"XXXX-Q{number}")
        return Resolution("DATE", f"{quarter_year(ctx.anchor, number):04d}-Q{number}", None, True)
    if unit == "period" and word not in ("latest", "year-ago", "year-earlier", "same"):
        return None
    if ctx.anchor is None:
        return Resolution("DATE", "XXXX-QX")
    year, number = quarter_of(ctx.anchor) if word == "current" else previous_quarter(ctx.anchor)
    if word in ("year-ago", "year-earlier"):
        year -= 1
    return Resolution("DATE", f"{year:04d}-Q{number}", None, True)


_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4),
             "valentine's day": (2, 14), "halloween": (10, 31)}  # fmt: skip


def holiday(m: re.Match[str], ctx: Context) -> Resolution | None:
    name = " ".join(m["holiday"].lower().split())
    year_text = _g(m, "year")
    if year_text:
        year: int | None = int(year_text)
    elif ctx.anchor is not None:
        year = month_year(
            ctx.anchor, 11 if name.startswith("thanksgiving") else _HOLIDAYS[name][0], ctx.sign(m)
        )
    else:
        year = None
    if name.startswith("thanksgiving"):
        if year is None:
            return Resolution("DATE", "XXXX-11-XX")
        first = date(year, 11, 1)
        month, day = 11, (first + timedelta(days=(3 - first.weekday()) % 7 + 21)).day
    else:
        month, day = _HOLIDAYS[name]
    shown = f"{year:04d}" if year is not None else "XXXX"
    return Resolution("DATE", f"{shown}-{month:02d}-{day:02d}", None, not year_text and year is not None)


def clock(m: re.Match[str], ctx: Context) -> Resolution | None:
    hour, minute = int(m["hour"]), int(_g(m, "minute") or 0)
    ampm = (_g(m, "ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return Resolution("TIME", f"{_day(ctx.anchor)}T{hour:02d}:{minute:02d}", None, ctx.anchor is not None)


def noon(m: re.Match[str], ctx: Context) -> Resolution | None:
    hour = "24:00" if m["word"].lower() == "midnight" else "12:00"
    return Resolution("TIME", f"{_day(ctx.anchor)}T{hour}", None, ctx.anchor is not None)


def day_part(m: re.Match[str], ctx: Context) -> Resolution | None:
    if _g(m, "tonight"):
        rel, part = "today", "NI"
    else:
        rel, part = m["rel"].lower(), DAY_PARTS[m["part"].lower()]
    shift = {"yesterday": -1, "last": -1, "tomorrow": 1}.get(rel, 0)
    value = ctx.anchor + timedelta(days=shift) if ctx.anchor is not None else None
    return Resolution("TIME", f"{_day(value)}T{part}", None, value is not None)


def _duration_value(count: float | None, unit: str) -> str:
    letter, clock_unit = UNITS[unit]
    amount = "X" if count is None else (str(int(count)) if count == int(count) else f"{count:g}")
    return ("PT" if clock_unit else "P") + amount + letter


def duration(m: re.Match[str], ctx: Context) -> Resolution | None:
    unit = _unit(m)
    if unit not in UNITS:
        return None
    word = m["num"].lower()
    if _g(m, "old"):
        return None  # an age ("a 6-year-old"): TimeML leaves ages out
    if unit == "second" and word in ("a", "an", "one"):
        return None  # "a second time"
    if unit == "quarter" and not (_g(m, "rel")):
        return None  # "a quarter of the shares"
    count = _count(m)
    if count == _NOT_A_NUMBER:
        return None
    return Resolution("DURATION", _duration_value(count, unit), _mod(m))


def duration_one(m: re.Match[str], ctx: Context) -> Resolution | None:
    unit = _unit(m)
    if unit not in UNITS:
        return None
    return Resolution("DURATION", _duration_value(1, unit))


def duration_vague(m: re.Match[str], ctx: Context) -> Resolution | None:
    return Resolution("DURATION", _duration_value(None, _unit(m)))


def set_adverb(m: re.Match[str], ctx: Context) -> Resolution | None:
    return Resolution("SET", SET_ADVERBS[m["word"].lower()])


def set_every(m: re.Match[str], ctx: Context) -> Resolution | None:
    if _g(m, "weekday"):
        return Resolution("SET", f"XXXX-WXX-{WEEKDAYS[m['weekday'].lower()]}")
    unit = _unit(m)
    if unit not in UNITS:
        return None
    word = (_g(m, "num") or "").lower()
    count = 2.0 if word == "other" else (number_value(word) if word else 1.0)
    return Resolution("SET", _duration_value(count, unit))
