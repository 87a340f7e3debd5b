"""The date a report states in its dateline ("WASHINGTON, Feb. 11 -", "MOSCOW, February 11 (Reuters) -").

A dateline says when the report was filed, so it anchors the report's relative expressions when the
article has no publication date, or stands beside it as evidence. Only the opening paragraphs are read.
"""

from __future__ import annotations

import re
from datetime import date

from newsfuse.nlp.timex.anchoring import month_year
from newsfuse.nlp.timex.vocabulary import MONTHS, alternation

_DATELINE = re.compile(
    r"(?:^|\n)\s*[A-Z][A-Z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'\- ]{1,30})?"  # place, optionally its region
    r"(?:\s*\([^)\n]{1,40}\))?,?\s+"  # an agency: (Reuters)
    r"(?P<month>" + alternation(m.capitalize() for m in MONTHS) + r")\.?\s+(?P<day>[0-3]?\d)\b"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[-–—_:]"
)
_OPENING = 600


def dateline_span(text: str) -> tuple[int, int] | None:
    """Where the dateline's date is written (month and day, and year if given), or None."""
    m = _DATELINE.search(text[:_OPENING])
    return (m.start("month"), m.end("year") if m["year"] else m.end("day")) if m else None


def dateline_date(text: str, published: date | None = None) -> date | None:
    """The date of the text's dateline, or None when it has none (or states no year and no
    publication date gives one: the dateline's year is the one nearest before `published`)."""
    m = _DATELINE.search(text[:_OPENING])
    if m is None:
        return None
    month, day = MONTHS[m["month"].lower()], int(m["day"])
    if m["year"]:
        year = int(m["year"])
    elif published is not None:
        year = month_year(published, month, -1, day)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
