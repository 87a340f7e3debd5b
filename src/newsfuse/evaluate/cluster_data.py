"""Labelled story-grouping sets as JSONL records that `newsfuse eval cluster` scores.

Each record carries the fields our JSONL reader accepts (`id`, `title`, `text`, and `url`, `published`,
`outlet` where the set knows them) plus `gold_story`, the label of the story it belongs to.

- `giveme5w1h_records(folder)`: giveme5w1h_news_cluster, one news-please JSON per article; the gold label
  is `newsCluster` -> `EventId`. Records come in publication order (ties and undated last, by file name),
  so the file reads as a stream.
- `neus_records(path)`: NeuS / AllSides `val.source`, one line per story of three articles written as
  `TITLE=> <headline>. ARTICLE=> <lead> [SEP] TITLE=> ...`; the gold label is the 0-based line number and
  the records keep file order. The set has no dates and no outlets.

A set that cannot be read (a missing file, a malformed record or line) raises InputError naming the file
and, for NeuS, the line.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfuse.errors import InputError, OutputError
from newsfuse.ingest.fields import parse_published, present, strip_www

__all__ = ["FORMATS", "convert", "giveme5w1h_event_id", "giveme5w1h_records", "neus_records", "write_jsonl"]

Record = dict[str, Any]


# ---------------------------------------------------------------- giveme5w1h_news_cluster


def giveme5w1h_event_id(record: Mapping[str, object], source: str) -> int:
    """The gold event of one giveme5w1h article: `newsCluster` (a dict, or a Python dict literal string)
    -> `EventId`. Raises InputError naming `source` when it is missing or not an integer."""
    cluster = record.get("newsCluster")
    if isinstance(cluster, str):
        try:
            cluster = ast.literal_eval(cluster)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise InputError(source, "field 'newsCluster' is not a dict literal") from None
    if not isinstance(cluster, Mapping) or "EventId" not in cluster:
        raise InputError(source, "no gold event (field 'newsCluster' with 'EventId')")
    event = cluster["EventId"]
    if isinstance(event, int) and not isinstance(event, bool):
        return event
    if isinstance(event, str):
        with contextlib.suppress(ValueError):
            return int(event)
    raise InputError(source, f"'EventId' is not an integer: {event!r}")


def giveme5w1h_records(folder: str | Path) -> list[Record]:
    """One record per article of the giveme5w1h_news_cluster folder, in publication order.

    title, text and url are copied; `date_publish` becomes `published` and `source_domain` (without
    "www.") `outlet`, exactly as reading the folder directly gives them; `id` is the file name without
    `.json`; `gold_story` is the integer EventId. Files starting with `_` (`_sampling.json`) are not
    articles and are skipped. Sorted by publication time, then file name; undated articles go last.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(os.fspath(folder), "no such folder" if not root.exists() else "not a folder")
    paths = sorted(p for p in root.glob("*.json") if not p.name.startswith(("_", ".")))
    if not paths:
        raise InputError(os.fspath(folder), "folder holds no .json articles")
    keyed: list[tuple[tuple[bool, datetime, str], Record]] = []
    for path in paths:
        source = os.fspath(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise InputError(source, f"cannot read file ({exc.strerror or exc})") from None
        except UnicodeDecodeError as exc:
            raise InputError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise InputError(source, f"invalid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, Mapping):
            raise InputError(source, f"expected a JSON object, found {type(data).__name__}")
        record: Record = {"id": path.stem}
        for field, name in (("title", "title"), ("text", "text"), ("url", "url")):
            value = present(data.get(name))
            if value is not None:
                record[field] = data[name] if field == "text" else value
        published = present(data.get("date_publish"))
        if published is not None:
            record["published"] = published
        domain = present(data.get("source_domain"))
        if domain is not None:
            record["outlet"] = strip_www(domain)
        record["gold_story"] = giveme5w1h_event_id(data, source)
        moment = _naive_utc(parse_published(published))
        keyed.append(((moment is None, moment or datetime.min, path.name), record))
    keyed.sort(key=lambda item: item[0])
    return [record for _, record in keyed]


def _naive_utc(moment: datetime | None) -> datetime | None:
    """Zoned times as naive UTC so they compare with zoneless ones (taken as UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------- NeuS / AllSides val.source

_SEP = "[SEP]"
_TITLE = "TITLE=>"
_ARTICLE = "ARTICLE=>"
_ARTICLE_RE = re.compile(r"\s*TITLE=>(?P<title>.*?)ARTICLE=>(?P<text>.*)", re.DOTALL)


def neus_records(path: str | Path) -> Iterator[Record]:
    """One record per article of a NeuS `*.source` file, in file order; `gold_story` is the 0-based line.

    Each line is one story: articles separated by `[SEP]`, each `TITLE=> <headline>. ARTICLE=> <lead>`.
    The markers and the whitespace around them are removed, and so is the one "." the set's formatter
    put after every headline ("... at Risk?." -> "... at Risk?"); the text is otherwise kept verbatim.
    An article whose lead is empty (two in val.source) is still written, with an empty `text`, so that
    the reader counts it as rejected rather than it vanishing. `id` is `neus-<file stem>-<line>-<n>`.
    Blank lines are skipped but keep their number. Raises InputError naming the file and line for a line
    that does not follow the markup.
    """
    source = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a folder, not a NeuS .source file") from None
    except OSError as exc:
        raise InputError(source, f"cannot read file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    stem = Path(path).name.split(".")[0]
    found = False
    # split("\n"), not splitlines(): the leads may hold other line-break characters (U+2028 ...).
    for index, line in enumerate(text.split("\n")):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        found = True
        for n, part in enumerate(line.split(_SEP), start=1):
            title, body = _neus_article(part, source, index, n)
            yield {"id": f"neus-{stem}-{index}-{n}", "title": title, "text": body, "gold_story": index}
    if not found:
        raise InputError(source, "no stories (the file is empty)")


def _neus_article(part: str, source: str, index: int, n: int) -> tuple[str, str]:
    where = f"line {index + 1}, article {n}"
    match = _ARTICLE_RE.fullmatch(part)
    if match is None:
        expected = f"expected '{_TITLE} <headline>. {_ARTICLE} <text>' between '{_SEP}' separators"
        raise InputError(source, f"{where}: {expected}, found {part.strip()[:60]!r}")
    title, body = match["title"].strip(), match["text"].strip()
    for marker in (_TITLE, _ARTICLE):
        if marker in title or marker in body:
            raise InputError(source, f"{where}: more than one {marker!r} marker (a missing {_SEP}?)")
    if title.endswith("."):
        title = title[:-1].rstrip()
    if not title:
        raise InputError(source, f"{where}: empty headline")
    return title, body


# ---------------------------------------------------------------- writing


FORMATS = {"giveme5w1h": giveme5w1h_records, "neus": neus_records}


def write_jsonl(records: Iterable[Mapping[str, object]], out_path: str | Path) -> int:
    """Write one JSON object a line (UTF-8) and return how many were written.

    The file appears whole or not at all: records go to a temporary file beside it that replaces
    `out_path` only once every record is written, so an InputError halfway leaves no partial file.
    The parent folder is created. Raises OutputError when it cannot be written.
    """
    out = Path(out_path)
    if out.is_dir():
        raise OutputError(f"{out}: is a folder, not a file")
    tmp = out.with_name(f".{out.name}.tmp")
    count = 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, out)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        _remove(tmp)
        raise
    return count


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def convert(fmt: str, source: str | Path, out_path: str | Path) -> int:
    """Convert the set at `source` (format `giveme5w1h` or `neus`) to JSONL at `out_path`; the count."""
    try:
        reader = FORMATS[fmt]
    except KeyError:
        raise InputError(fmt, f"unknown data set format (expected one of {', '.join(FORMATS)})") from None
    return write_jsonl(reader(source), out_path)
