"""Calendar dates of time expressions: what the timeline, claims and quotes show.

Only values that name a calendar day, month or year (`2017-02-09`, `2016-12`, `2017`) have a date;
durations, sets, vague references (PAST_REF) and values left open (`XXXX-WXX-4`) do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.types import TimeExpression

_CALENDAR = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")
_GRANULARITY = {1: "year", 2: "month", 3: "day"}


def calendar_date(timex: TimeExpression) -> tuple[str, str] | None:
    """(ISO date prefix, granularity "day" | "month" | "year") of a DATE or TIME expression, or None."""
    if timex.type not in ("DATE", "TIME"):
        return None
    m = _CALENDAR.match(timex.value)
    if m is None or (len(timex.value) > m.end() and timex.value[m.end()] not in "T"):
        return None  # a week, quarter, season or decade is no calendar date
    parts = [p for p in m.groups() if p]
    return "-".join(parts), _GRANULARITY[len(parts)]


def date_of_span(timexes: Sequence[TimeExpression], start: int, end: int) -> str | None:
    """The resolved date of the first dated time expression inside text[start:end], or None."""
    for timex in timexes:
        if timex.start >= start and timex.end <= end:
            found = calendar_date(timex)
            if found is not None:
                return found[0]
    return None
