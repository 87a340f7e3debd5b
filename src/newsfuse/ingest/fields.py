"""Small field readers shared by the format readers: missing values, dates, outlets from URLs."""

from __future__ import annotations

import warnings
from datetime import datetime
from urllib.parse import urlsplit

from dateutil import parser as _dateparser

# Crawlers such as news-please write absent fields as these strings (e.g. `'date_download': 'None'`).
_MISSING = frozenset({"", "none", "null", "nan", "undefined"})

# Missing date parts default to this; year 1 marks "the string named no year", which we refuse.
_DATE_DEFAULT = datetime(1, 1, 1)


def present(value: object) -> str | None:
    """The value as a stripped string, or None when it is absent or a placeholder such as "None"."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return None if text.lower() in _MISSING else text


def parse_published(value: object) -> datetime | None:
    """A publication time from a string (any format dateutil reads) or a datetime; None when unreadable.

    Naive and aware datetimes are both returned as found. A string without a year gives None, because
    filling in the current year would make the result depend on the day it ran.
    """
    if isinstance(value, datetime):
        return value
    text = present(value)
    if text is None:
        return None
    try:
        # dateutil warns about timezone names it cannot resolve ("EST"); the time is still usable.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _dateparser.parse(text, default=_DATE_DEFAULT)
    except (ValueError, OverflowError, TypeError):
        return None
    return None if parsed.year == 1 else parsed


def host_of(url: str | None) -> str | None:
    """The host of a URL without a leading "www.", lower-cased; None when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return strip_www(host) if host else None


def strip_www(host: str) -> str:
    """The host lower-cased without a leading "www." ("www.dw.com" -> "dw.com")."""
    host = host.strip().lower()
    return host[4:] if host.startswith("www.") else host
