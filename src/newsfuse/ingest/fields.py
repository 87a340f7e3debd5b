"""Small field readers shared by the format readers: missing values, dates, outlets from URLs."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from urllib.parse import urlsplit

from dateutil import parser as _dateparser

# Crawlers such as news-please write absent fields as these strings (e.g. `'date_download': 'None'`).
_MISSING = frozenset({"", "none", "null", "nan", "undefined"})

# Missing date parts default to this; year 1 marks "the string named no year", which we refuse.
_DATE_DEFAULT = datetime(1, 1, 1)
# A second default differing in every part: a part the string does not give comes out different.
_OTHER_DEFAULT = datetime(4, 2, 2)
_UNIX_TIME = re.compile(r"-?\d{9,13}(?:\.\d+)?")


def present(value: object) -> str | None:
    """The value as a stripped string, or None when it is absent or a placeholder such as "None"."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return None if text.lower() in _MISSING else text


def parse_published(value: object) -> datetime | None:
    """A publication time from a string (any format dateutil reads) or a datetime; None when unreadable.

    See `read_published`, which also says why a value was not used.
    """
    return read_published(value)[0]


def read_published(value: object, name: str = "published") -> tuple[datetime | None, str | None]:
    """A publication time and, when the value was not usable as it stands, a warning saying why.

    Strings are read by dateutil; naive and aware datetimes are returned as found. A Unix time (a number,
    or a string of 9 to 13 digits; milliseconds above 10^11) is read as UTC, with a warning saying so.
    A string that names no year, month or day ("2017", "March 2017") gives None and a warning rather
    than the first of January, and so does one that is no date ("2017-02-30").
    """
    if isinstance(value, datetime):
        return value, None
    if isinstance(value, bool):
        return None, f"{name} {value!r} is not a date; stored without a date"
    if isinstance(value, (int, float)) or (isinstance(value, str) and _UNIX_TIME.fullmatch(value.strip())):
        return _unix_time(value, name)
    text = present(value)
    if text is None:
        return None, None
    try:
        # dateutil warns about timezone names it cannot resolve ("EST"); the time is still usable.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _dateparser.parse(text, default=_DATE_DEFAULT)
            other = _dateparser.parse(text, default=_OTHER_DEFAULT)
    except (ValueError, OverflowError, TypeError) as exc:
        return None, f"{name} {text!r} is not a date ({exc}); stored without a date"
    missing = [
        part
        for part, a, b in (
            ("year", parsed.year, other.year),
            ("month", parsed.month, other.month),
            ("day", parsed.day, other.day),
        )
        if a != b
    ]
    if missing:
        return None, f"{name} {text!r} gives no {' or '.join(missing)}; stored without a date"
    return parsed, None


def _unix_time(value: object, name: str) -> tuple[datetime | None, str | None]:
    try:
        seconds = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
        if abs(seconds) > 1e11:  # milliseconds, as JavaScript writes them
            seconds /= 1000
        parsed = datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        return None, f"{name} {value!r} is neither a date nor a Unix time; stored without a date"
    return parsed, f"{name} {value!r} read as a Unix time: {parsed.isoformat()}"


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
