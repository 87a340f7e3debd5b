"""The publication date an article's own text gives, when neither the record nor the page's metadata does.

Two places count, both at the top of the body: a stamp line ("Published: 10:41 EST, 5 February 2018",
"Xinhua | Updated: 2017-09-15 17:52") and a dateline opening the first paragraph ("CAIRO, Jan. 5, 2018
(Reuters) -", "May 4, 2016 — The ..."). A date without a year is refused, like a record's: filling in the
year would make the result depend on the day it ran.
"""

from __future__ import annotations

import re
from datetime import datetime

from newsfuse.clean.furniture import Line
from newsfuse.ingest.fields import parse_published

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = r"(?:\s*,?\s*(?:at\s)?\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?:\s?[A-Z]{2,4})?)?"
_DATE = re.compile(
    rf"(?:\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{{2,4}})?,?\s*)?"  # a time before the date
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"|{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}{_TIME}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTH},?\s\d{{4}}{_TIME})",
    re.IGNORECASE,
)
_STAMP_LABEL = re.compile(
    r"\b(?:published|posted|first published|updated|last updated|date)\b", re.IGNORECASE
)
# How far into the body a stamp line may sit, and how far into the first paragraph a dateline's date.
TOP_LINES = 8
DATELINE_CHARS = 80


def date_from_text(lines: list[Line]) -> tuple[datetime, str] | None:
    """(date, the words that gave it) from a stamp line or the first paragraph's dateline, or None.

    A "Published" stamp wins over an "Updated" one, which says when the page last changed.
    """
    stamps: list[tuple[bool, datetime, str]] = []
    for line in lines[:TOP_LINES]:
        if len(line.text) > 200 or not _STAMP_LABEL.search(line.text):
            continue
        for label in _STAMP_LABEL.finditer(line.text):
            m = _DATE.search(line.text, label.end())
            parsed = parse_published(m.group(0)) if m else None
            if m and parsed:
                updated = "updated" in label.group(0).casefold()
                stamps.append((updated, parsed, line.text[label.start() : m.end()]))
                break
    if stamps:
        _, parsed, words = min(stamps, key=lambda s: s[0])
        return parsed, words
    first = next((line for line in lines if line.kept), None)
    if first is not None:
        m = _DATE.search(first.text[:DATELINE_CHARS])
        # A dateline's date comes before the first dash, colon or wire credit: "CAIRO, Jan. 5, 2018 (AP) -".
        if m and re.match(r"\s*(?:\([^()]{1,40}\)\s*)?[-–—:|]", first.text[m.end() :]):
            parsed = parse_published(m.group(0))
            if parsed:
                return parsed, first.text[: m.end()]
    return None
