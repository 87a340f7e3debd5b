"""Reading: files and folders of articles -> RawArticle or Rejected.

Formats, by suffix: .txt, .html/.htm, .json and .jsonl articles; RSS and Atom feeds (.rss, .atom, .xml), one
article per entry; web archives (.warc), one article per archived HTML page. One bad input (a missing path,
an unknown format, a record without text, a line of broken JSON, a truncated archive) becomes a `Rejected`
saying which input and why; reading goes on with the rest. Any supported file may also be gzip-compressed
(`page.html.gz`); a `.warc.gz` goes to the WARC reader as it is, since WARCs are compressed record by record.
"""

from __future__ import annotations

import dataclasses
import gzip
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from newsfuse.ingest import warc_pool
from newsfuse.ingest.decode import bom_encoding, decode
from newsfuse.ingest.feeds import parse_feed
from newsfuse.ingest.html import parse_html
from newsfuse.ingest.records import TooLong, lines_of, parse_json, parse_jsonl
from newsfuse.ingest.text import parse_text
from newsfuse.ingest.warc import read_warc
from newsfuse.types import RawArticle, RejectCode, Rejected

__all__ = ["MAX_FILE_BYTES", "MAX_LINE_BYTES", "SUPPORTED_SUFFIXES", "read_bytes", "read_file", "read_inputs"]

# suffix -> Provenance.format
_FORMATS = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",  # a .xml that is not a feed is rejected by the feed reader, saying so
    ".warc": "warc",
}
SUPPORTED_SUFFIXES = tuple(_FORMATS)

# Documentation that sits beside data files in a folder, never an article.
_SKIPPED_NAMES = frozenset({"readme", "provenance"})


def read_inputs(paths: Iterable[str | Path], processes: int | None = None) -> Iterator[RawArticle | Rejected]:
    """Every article found under `paths`, in order, as RawArticle, or Rejected for what cannot be read.

    A path may be a file or a folder. Folders are walked recursively in sorted order, reading only files
    with a supported suffix and skipping hidden or `_`-prefixed files and folders and README/PROVENANCE
    files. A file named explicitly is read whatever its name; a missing path, or an explicit file with an
    unsupported suffix, yields a Rejected. Never raises for a bad input.

    Several WARC files are read on a pool of `processes` worker processes, one file a task, giving the
    same results in the same order (see ingest/warc_pool.py). None: one per core once the archives hold
    16 MiB or more, else in this process; 1: always in this process.
    """
    sources = list(_sources(paths))
    warcs = [s for s in sources if isinstance(s, str) and _is_warc(s)]
    size = warc_pool.pool_size(warcs, processes) if len(warcs) > 1 else 1
    if size > 1:
        yield from warc_pool.read_in_order(sources, _is_warc, read_file, size)
        return
    for source in sources:
        if isinstance(source, Rejected):
            yield source
        else:
            yield from read_file(source)


def _sources(paths: Iterable[str | Path]) -> Iterator[str | Rejected]:
    """The files to read under `paths`, in reading order, or a Rejected for a path that gives none."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for given in paths:
        source = os.fspath(given)
        path = Path(source)
        if path.is_dir():
            found = False
            for child in _walk(path):
                found = True
                yield os.fspath(child)
            if not found:
                yield Rejected(
                    source, f"folder holds no {', '.join(SUPPORTED_SUFFIXES)} files", RejectCode.EMPTY_FOLDER
                )
        elif path.exists():
            yield source
        else:
            yield Rejected(source, "no such file or folder", RejectCode.NOT_FOUND)


def _is_warc(source: str) -> bool:
    return _format_of(Path(source))[0] == "warc"


def read_file(path: str | Path) -> Iterator[RawArticle | Rejected]:
    """The articles of one file, chosen by its suffix (`.gz` is decompressed first, except for WARCs).

    A file over its format's size cap (`MAX_FILE_BYTES`) is rejected from its size on disk, or, when
    compressed, once that much has been decompressed, without reading the rest. JSON Lines files are
    read a line at a time, so only a line is capped.
    """
    source = os.fspath(path)
    fmt, compressed = _format_of(Path(source))
    if fmt is None:
        suffix = Path(source).suffix or "(none)"
        yield Rejected(
            source,
            f"unsupported format {suffix!r} (expected one of {', '.join(SUPPORTED_SUFFIXES)})",
            RejectCode.UNSUPPORTED_FORMAT,
        )
        return
    if fmt == "warc":  # streamed from the file: archives are often larger than memory
        yield from read_warc(source)
        return
    try:
        stream = cast(IO[bytes], gzip.open(source, "rb") if compressed else open(source, "rb"))  # noqa: SIM115
    except OSError as exc:
        yield Rejected(source, f"cannot read file ({exc.strerror or exc})", RejectCode.UNREADABLE_FILE)
        return
    try:
        with stream:
            if fmt == "jsonl":
                yield from parse_jsonl(_bounded_lines(stream), source)
                return
            cap = MAX_FILE_BYTES[fmt]
            if not compressed and os.fstat(stream.fileno()).st_size > cap:
                size = os.fstat(stream.fileno()).st_size
                yield _too_large(source, fmt, f"{size:,} bytes")
                return
            data = stream.read(cap + 1)
            if len(data) > cap:
                yield _too_large(source, fmt, f"more than {cap:,} bytes decompressed")
                return
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        verb = "decompress" if compressed else "read"
        why = (exc.strerror if isinstance(exc, OSError) else None) or exc
        yield Rejected(source, f"cannot {verb} file ({why})", RejectCode.UNREADABLE_FILE)
        return
    yield from read_bytes(data, fmt, source)


def read_bytes(data: bytes, fmt: str, source: str) -> Iterator[RawArticle | Rejected]:
    """The articles of one input already in memory (an upload), read as format `fmt` ("txt", "html",
    "json", "jsonl" or "feed"); `source` names it in every record and rejection. The caller caps the size."""
    if fmt == "jsonl":
        yield from parse_jsonl(data, source)
        return
    if fmt == "html":
        yield parse_html(data, source)
        return
    if fmt == "feed":
        yield from parse_feed(data, source)
        return
    decoded = decode(data)
    if isinstance(decoded, str):
        yield Rejected(source, decoded, RejectCode.UNREADABLE_ENCODING)
        return
    results = [parse_text(decoded.text, source)] if fmt == "txt" else parse_json(decoded.text, source)
    for result in results:
        if decoded.warning and isinstance(result, RawArticle):
            result = dataclasses.replace(result, warnings=(decoded.warning, *result.warnings))
        yield result


# The most a file of each format may hold. An article is at most a million characters (4 MB of UTF-8, 4 MB
# of UTF-16 for most scripts), a news page with its scripts a few MB; a .json list holds many articles.
MAX_FILE_BYTES = {"txt": 8 << 20, "html": 32 << 20, "feed": 64 << 20, "json": 512 << 20}
# A line of a .jsonl file is one record: one article and its fields.
MAX_LINE_BYTES = 16 << 20


def _too_large(source: str, fmt: str, size: str) -> Rejected:
    return Rejected(
        source,
        f"file too large: {size}, over the {MAX_FILE_BYTES[fmt]:,}-byte cap for a {fmt} file",
        RejectCode.TOO_LARGE,
    )


def _bounded_lines(stream: IO[bytes]) -> Iterator[bytes | TooLong]:
    """The lines of a binary stream, none held longer than MAX_LINE_BYTES: a longer one is read past
    in chunks and given as a `TooLong`. A file that starts with a UTF-16 or UTF-32 byte-order mark is
    read whole (capped) and decoded first, since its newlines are not single bytes."""
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    if bom_encoding(head) not in (None, "utf-8"):
        data = stream.read(MAX_FILE_BYTES["json"] + 1)
        if len(data) > MAX_FILE_BYTES["json"]:
            yield TooLong(MAX_FILE_BYTES["json"])
            return
        yield from lines_of(data)
        return
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of the line without holding it
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield TooLong(MAX_LINE_BYTES)
        else:
            yield line.rstrip(b"\r\n")


def _format_of(path: Path) -> tuple[str | None, bool]:
    """The file's format and whether the caller must gunzip it first."""
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    fmt = _FORMATS.get(suffixes[-1]) if suffixes else None
    # warcio reads a .warc.gz member by member as it streams; gunzipping it whole would defeat that.
    return fmt, compressed and fmt != "warc"


def _walk(root: Path) -> Iterator[Path]:
    """Readable files under `root`, sorted by path, pruning hidden and `_`-prefixed names."""
    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "_"))]
        for name in filenames:
            if name.startswith((".", "_")) or name.split(".")[0].lower() in _SKIPPED_NAMES:
                continue
            child = Path(folder, name)
            if _format_of(child)[0] is not None:
                found.append(child)
    yield from sorted(found, key=lambda p: p.parts)
