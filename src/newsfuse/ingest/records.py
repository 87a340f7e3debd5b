"""JSON records: one per line (.jsonl) or one object / a list of objects (.json).

Field names are ours (`id`, `title`, `text`, `url`, `published`, `outlet`, `authors`) or news-please's
(`maintext`, `date_publish`, `source_domain`, `authors`). `description` is a teaser written for listings,
never the body.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from newsfuse.clean.authors import parse_authors
from newsfuse.ingest.decode import bom_encoding, decode
from newsfuse.ingest.fields import host_of, present, read_published, strip_www
from newsfuse.types import Provenance, RawArticle, RejectCode, Rejected

_TEXT_FIELDS = ("text", "maintext")
_DATE_FIELDS = ("published", "date_publish")


def record_to_article(
    record: object, source: str, fmt: str, index: int | None, where: str
) -> RawArticle | Rejected:
    """One RawArticle from a decoded JSON value, or Rejected saying which record failed and why.

    `index` is the record's 0-based position in a multi-record file (None for a single-object .json);
    `where` names it for people ("line 3", "record 2"). A title given as a number is taken as its text
    with a warning (the article is still worth reading); a text that is not a string is rejected.
    """
    label = source if index is None else f"{source}#{index}"
    if not isinstance(record, Mapping):
        return Rejected(
            label, f"{where}: expected a JSON object, found {type(record).__name__}", RejectCode.BAD_RECORD
        )
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return Rejected(
                label,
                f"{where}: field {name!r} is {_kind(value)}, not text",
                RejectCode.BAD_FIELD,
            )
    body = _first(record, _TEXT_FIELDS)
    if body is None:
        return Rejected(
            label,
            f"{where}: no article text (field 'text' or 'maintext' is missing or empty)",
            RejectCode.NO_TEXT,
        )
    found: list[str] = []
    title = _title(record.get("title"), found)
    published, date_warning = None, None
    for name in _DATE_FIELDS:
        if record.get(name) is not None:
            published, date_warning = read_published(record.get(name), name)
            if published is not None or date_warning is not None:
                break
    if date_warning:
        found.append(date_warning)
    url = present(record.get("url"))
    return RawArticle(
        title=title,
        body=body,
        provenance=Provenance(source=source, format=fmt, record=index),
        url=url,
        outlet=_outlet(record, url),
        published=published,
        record_id=present(record.get("id")),
        warnings=tuple(f"{where}: {w}" for w in found),
        authors=parse_authors(record.get("authors", record.get("author"))),
        published_evidence="record" if published is not None else None,
    )


def _title(value: object, found: list[str]) -> str:
    """The title as one line of text; a number is taken as its digits and a warning added to `found`."""
    if value is None or isinstance(value, str):
        return " ".join((present(value) or "").split())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found.append(f"title {value!r} is a number, not text; taken as the text {str(value)!r}")
        return str(value)
    found.append(f"title is {_kind(value)}, not text; the article has no title")
    return ""


def _kind(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def parse_jsonl(lines: bytes | Iterable[bytes | TooLong], source: str) -> Iterator[RawArticle | Rejected]:
    """Every record of a JSON Lines file (its bytes, or its lines). A bad line is rejected on its own;
    later lines are still read. Blank lines are skipped and do not count as records; a file with no
    record at all is rejected as empty. A line that is not UTF-8 is decoded by charset-normalizer's
    guess, recorded with the article.
    """
    if isinstance(lines, bytes):
        lines = lines_of(lines)
    index = 0
    for lineno, raw_line in enumerate(lines, start=1):
        if isinstance(raw_line, TooLong):
            yield Rejected(
                f"{source}#{index}",
                f"line {lineno}: a line of more than {raw_line.limit:,} bytes is not one article",
                RejectCode.TOO_LARGE,
            )
            index += 1
            continue
        if not raw_line.strip():
            continue
        where = f"line {lineno}"
        decoded = decode(
            raw_line[len(codecs.BOM_UTF8) :] if raw_line.startswith(codecs.BOM_UTF8) else raw_line
        )
        if isinstance(decoded, str):
            yield Rejected(f"{source}#{index}", f"{where}: {decoded}", RejectCode.UNREADABLE_ENCODING)
        else:
            try:
                record = json.loads(decoded.text)
            except json.JSONDecodeError as exc:
                yield Rejected(
                    f"{source}#{index}",
                    f"{where}: invalid JSON ({exc.msg} at column {exc.colno})",
                    RejectCode.BAD_JSON,
                )
            else:
                article = record_to_article(record, source, "jsonl", index, where)
                if decoded.warning and isinstance(article, RawArticle):
                    article = replace(article, warnings=(f"{where}: {decoded.warning}", *article.warnings))
                yield article
        index += 1
    if index == 0:
        yield Rejected(source, "empty file: no JSON record in it", RejectCode.EMPTY)


@dataclass(frozen=True, slots=True)
class TooLong:
    """Stands for a line longer than `limit` bytes, which was skipped rather than held in memory."""

    limit: int


def lines_of(data: bytes) -> Iterator[bytes]:
    """The lines of a whole file's bytes; a UTF-16 or UTF-32 file is decoded first (its newlines are
    not the byte 0x0A) and its lines given back as UTF-8."""
    encoding = bom_encoding(data)
    if encoding is None or encoding == "utf-8":
        yield from data.splitlines()
        return
    decoded = decode(data)
    if isinstance(decoded, str):  # the whole file as one line, which fails to decode again and is rejected
        yield data
        return
    for line in decoded.text.splitlines():
        yield line.encode("utf-8")


def parse_json(text: str, source: str) -> Iterator[RawArticle | Rejected]:
    """The record of a .json file holding one object, or every record of one holding a list of objects."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejected(
            source, f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", RejectCode.BAD_JSON
        )
        return
    if isinstance(value, list):
        if not value:
            yield Rejected(source, "empty file: the JSON list holds no record", RejectCode.EMPTY)
        for index, record in enumerate(value):
            yield record_to_article(record, source, "json", index, f"record {index}")
    elif isinstance(value, Mapping):
        yield record_to_article(value, source, "json", None, "record")
    else:
        yield Rejected(
            source,
            f"expected a JSON object or a list of objects, found {type(value).__name__}",
            RejectCode.BAD_RECORD,
        )


def _first(record: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = present(record.get(name))
        if value is not None:
            return value
    return None


def _outlet(record: Mapping[str, object], url: str | None) -> str | None:
    outlet = present(record.get("outlet"))
    if outlet is not None:
        return outlet
    domain = present(record.get("source_domain"))
    if domain is not None:
        return strip_www(domain)
    return host_of(url)
