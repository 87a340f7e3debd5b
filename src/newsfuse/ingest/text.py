"""Plain-text articles: an optional header, then the headline (the first non-empty line), then the body.

The header says what a bare text cannot: either `Key: value` lines, ended by a blank line,

    Outlet: Reuters
    Published: 2017-02-03T10:00:00Z
    URL: https://www.reuters.com/article/...
    Authors: Jane Doe, John Smith
    ID: my-record-17

or YAML front matter between two `---` lines (keys as above, lower-case, plus `title`; `authors` may be
a list). Keys are case-insensitive; `Date` is taken for `Published` and `Author` for `Authors`. Lines with
any other key are not a header, so a text that merely begins "Note: ..." stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

from newsfuse.ingest.fields import present, read_published
from newsfuse.types import Provenance, RawArticle, RejectCode, Rejected

_KEYS = {
    "outlet": "outlet",
    "published": "published",
    "date": "published",
    "url": "url",
    "authors": "authors",
    "author": "authors",
    "id": "id",
    "title": "title",
}
_HEADER_LINE = re.compile(r"(outlet|published|date|url|authors?|id)[ \t]*:[ \t]*(.*)", re.IGNORECASE)
_FENCE = re.compile(r"---[ \t]*")
_FENCE_END = re.compile(r"(?:---|\.\.\.)[ \t]*")
# "Jane Doe, John Smith and Ann Lee" -> three names.
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b|&)\s*", re.IGNORECASE)


@dataclass(slots=True)
class _Header:
    values: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse_text(text: str, source: str) -> RawArticle | Rejected:
    """One article from the decoded contents of a .txt file.

    The body keeps its lines as they are (captions and furniture included); cleaning comes later.
    Returns Rejected when the file is empty, has a headline but no body, or has YAML front matter that
    does not parse.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = _Header()
    rest = _read_header(lines, header, source)
    if isinstance(rest, Rejected):
        return rest
    lines = lines[rest:]
    given_title = present(header.values.get("title"))
    if given_title is not None:
        body = "\n".join(lines).strip("\n")
        title = " ".join(given_title.split())
    else:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            what = "nothing after the header" if rest else "empty file"
            return Rejected(source, what, RejectCode.EMPTY)
        title = " ".join(lines[first].split())
        body = "\n".join(lines[first + 1 :]).strip("\n")
    if not body.strip():
        return Rejected(source, "no article text after the headline", RejectCode.NO_TEXT)
    published, date_warning = _published(header.values.get("published"))
    if date_warning:
        header.warnings.append(f"header: {date_warning}")
    return RawArticle(
        title=title,
        body=body,
        provenance=Provenance(source=source, format="txt"),
        url=present(header.values.get("url")),
        outlet=present(header.values.get("outlet")),
        published=published,
        record_id=present(header.values.get("id")),
        authors=_authors(header.values.get("authors")),
        warnings=tuple(header.warnings),
    )


def _read_header(lines: list[str], header: _Header, source: str) -> int | Rejected:
    """Fill `header` from the file's header, if it has one; the index of the first line after it."""
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start < len(lines) and _FENCE.fullmatch(lines[start]):
        return _read_yaml(lines, start, header, source)
    end = start
    values: dict[str, object] = {}
    while end < len(lines) and lines[end].strip():
        match = _HEADER_LINE.fullmatch(lines[end].strip())
        if match is None:
            return 0  # not a header: the first line is the headline
        values[_KEYS[match.group(1).lower()]] = match.group(2).strip()
        end += 1
    # Key lines up to a blank line, with text after them; a file of key lines alone is a headline.
    if end == start or end == len(lines):
        return 0
    header.values.update(values)
    return end


def _read_yaml(lines: list[str], start: int, header: _Header, source: str) -> int | Rejected:
    end = next((i for i in range(start + 1, len(lines)) if _FENCE_END.fullmatch(lines[i])), None)
    if end is None:
        return 0  # a rule of dashes, not front matter
    try:
        data = yaml.safe_load("\n".join(lines[start + 1 : end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {start + 2 + mark.line}" if mark is not None else ""
        return Rejected(
            source,
            f"the YAML front matter does not parse{where} ({getattr(exc, 'problem', exc)})",
            RejectCode.BAD_FIELD,
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Rejected(
            source, "the YAML front matter is not a set of `key: value` lines", RejectCode.BAD_FIELD
        )
    for key, value in data.items():
        name = _KEYS.get(str(key).lower())
        if name is None:
            header.warnings.append(f"header: key {key!r} is not one newsfuse reads; ignored")
        else:
            header.values[name] = value
    return end + 1


def _published(value: object) -> tuple[datetime | None, str | None]:
    # YAML reads `2017-02-03` as a date itself.
    if isinstance(value, date) and not isinstance(value, datetime):
        value = value.isoformat()
    return read_published(value, "Published")


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        names = [" ".join(str(v).split()) for v in value if present(v)]
    else:
        text = present(value)
        names = [n for n in _AUTHOR_SEPARATOR.split(text)] if text else []
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
