"""JSON records: one per line (.jsonl) or one object / a list of objects (.json).

Field names are ours (`id`, `title`, `text`, `url`, `published`, `outlet`, `authors`) or news-please's
(`maintext`, `date_publish`, `source_domain`, `authors`). `description` is a teaser written for listings,
never the body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from newsfuse.clean.authors import parse_authors
from newsfuse.ingest.fields import host_of, parse_published, present, strip_www
from newsfuse.types import Provenance, RawArticle, Rejected

_TEXT_FIELDS = ("text", "maintext")
_DATE_FIELDS = ("published", "date_publish")


def record_to_article(
    record: object, source: str, fmt: str, index: int | None, where: str
) -> RawArticle | Rejected:
    """One RawArticle from a decoded JSON value, or Rejected saying which record failed and why.

    `index` is the record's 0-based position in a multi-record file (None for a single-object .json);
    `where` names it for people ("line 3", "record 2").
    """
    label = source if index is None else f"{source}#{index}"
    if not isinstance(record, Mapping):
        return Rejected(label, f"{where}: expected a JSON object, found {type(record).__name__}")
    body = _first(record, _TEXT_FIELDS)
    if body is None:
        return Rejected(label, f"{where}: no article text (field 'text' or 'maintext' is missing or empty)")
    url = present(record.get("url"))
    published = parse_published(_first(record, _DATE_FIELDS))
    return RawArticle(
        title=" ".join((present(record.get("title")) or "").split()),
        body=body,
        provenance=Provenance(source=source, format=fmt, record=index),
        url=url,
        outlet=_outlet(record, url),
        published=published,
        record_id=present(record.get("id")),
        authors=parse_authors(record.get("authors", record.get("author"))),
        published_evidence="record" if published is not None else None,
    )


def parse_jsonl(data: bytes, source: str) -> Iterator[RawArticle | Rejected]:
    """Every record of a JSON Lines file. A bad line is rejected on its own; later lines are still read.

    Blank lines are skipped and do not count as records.
    """
    index = 0
    for lineno, raw_line in enumerate(data.splitlines(), start=1):
        if not raw_line.strip():
            continue
        where = f"line {lineno}"
        try:
            line = raw_line.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(f"{source}#{index}", f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        else:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejected(
                    f"{source}#{index}", f"{where}: invalid JSON ({exc.msg} at column {exc.colno})"
                )
            else:
                yield record_to_article(record, source, "jsonl", index, where)
        index += 1


def parse_json(text: str, source: str) -> Iterator[RawArticle | Rejected]:
    """The record of a .json file holding one object, or every record of one holding a list of objects."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejected(source, f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(value, list):
        for index, record in enumerate(value):
            yield record_to_article(record, source, "json", index, f"record {index}")
    elif isinstance(value, Mapping):
        yield record_to_article(value, source, "json", None, "record")
    else:
        yield Rejected(source, f"expected a JSON object or a list of objects, found {type(value).__name__}")


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
