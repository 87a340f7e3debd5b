"""Reading: files and folders of articles -> RawArticle or Rejected.

Formats, by suffix: .txt, .html/.htm, .json and .jsonl articles; RSS and Atom feeds (.rss, .atom, .xml), one
article per entry; web archives (.warc), one article per archived HTML page. One bad input (a missing path,
an unknown format, a record without text, a line of broken JSON, a truncated archive) becomes a `Rejected`
saying which input and why; reading goes on with the rest. Any supported file may also be gzip-compressed
(`page.html.gz`); a `.warc.gz` goes to the WARC reader as it is, since WARCs are compressed record by record.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsfuse.ingest.feeds import parse_feed
from newsfuse.ingest.html import parse_html
from newsfuse.ingest.records import parse_json, parse_jsonl
from newsfuse.ingest.text import parse_text
from newsfuse.ingest.warc import read_warc
from newsfuse.types import RawArticle, Rejected

__all__ = ["SUPPORTED_SUFFIXES", "read_file", "read_inputs"]

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


def read_inputs(paths: Iterable[str | Path]) -> Iterator[RawArticle | Rejected]:
    """Every article found under `paths`, in order, as RawArticle, or Rejected for what cannot be read.

    A path may be a file or a folder. Folders are walked recursively in sorted order, reading only files
    with a supported suffix and skipping hidden or `_`-prefixed files and folders and README/PROVENANCE
    files. A file named explicitly is read whatever its name; a missing path, or an explicit file with an
    unsupported suffix, yields a Rejected. Never raises for a bad input.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for given in paths:
        source = os.fspath(given)
        path = Path(source)
        if path.is_dir():
            found = False
            for child in _walk(path):
                found = True
                yield from read_file(child)
            if not found:
                yield Rejected(source, f"folder holds no {', '.join(SUPPORTED_SUFFIXES)} files")
        elif path.exists():
            yield from read_file(source)
        else:
            yield Rejected(source, "no such file or folder")


def read_file(path: str | Path) -> Iterator[RawArticle | Rejected]:
    """The articles of one file, chosen by its suffix (`.gz` is decompressed first, except for WARCs)."""
    source = os.fspath(path)
    fmt, compressed = _format_of(Path(source))
    if fmt is None:
        suffix = Path(source).suffix or "(none)"
        yield Rejected(
            source, f"unsupported format {suffix!r} (expected one of {', '.join(SUPPORTED_SUFFIXES)})"
        )
        return
    if fmt == "warc":  # streamed from the file: archives are often larger than memory
        yield from read_warc(source)
        return
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        yield Rejected(source, f"cannot read file ({exc.strerror or exc})")
        return
    if compressed:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            yield Rejected(source, f"cannot decompress file ({exc})")
            return
    if fmt == "html":
        yield parse_html(data, source)
    elif fmt == "feed":
        yield from parse_feed(data, source)
    elif fmt == "jsonl":
        yield from parse_jsonl(data, source)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield Rejected(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            return
        if fmt == "txt":
            yield parse_text(text, source)
        else:
            yield from parse_json(text, source)


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
