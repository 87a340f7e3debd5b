"""Web archives (WARC, plain or gzip-compressed record by record): one article per archived HTML page.

Records are streamed with warcio, so a file is never held in memory whole. Only `response` records of an
HTML page (text/html, application/xhtml+xml) answered with HTTP status 200 are articles; the rest (requests,
metadata, images, redirects, errors) are skipped and counted. The WARC-Date says when the page was
fetched, not when it was published, so the publication time is only what the page itself says.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newsfuse.ingest.html import parse_html
from newsfuse.types import Provenance, RawArticle, RejectCode, Rejected

_log = logging.getLogger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 16
# A page's payload is held in memory to be parsed; one larger than this is a dump, not an article (news
# pages run to a few MiB with their scripts, and cleaning caps the text at a million characters anyway).
MAX_PAGE_BYTES = 32 << 20


@dataclass(slots=True)
class WarcCounts:
    """What one archive held, record by record."""

    records: int = 0
    pages: int = 0  # HTML responses with status 200, each read as an article (or rejected by the HTML reader)
    not_html: int = 0  # responses of another content type (images, scripts, robots.txt)
    not_ok: int = 0  # responses with another status (redirects, errors)
    other: int = 0  # records that are not HTTP responses (warcinfo, request, metadata, revisit)


class _Damaged(Exception):
    """The archive cannot be read on from this point."""


class _Records(ArchiveIterator):
    """warcio's record iterator, noting whether the file ended inside a gzip member.

    warcio treats a gzip member cut short as the end of the file, so a truncated .warc.gz would otherwise
    look complete.
    """

    ended_inside_member = False

    def close(self) -> None:
        reader = self.reader
        decompressor = getattr(reader, "decompressor", None)
        # No decompressor: the file is not gzip. Nothing read at all: an empty file, reported elsewhere.
        read_anything = bool(getattr(reader, "num_read", 0))
        if decompressor is not None and read_anything and not decompressor.eof:
            self.ended_inside_member = True
        super().close()


def read_warc(path: str, counts: WarcCounts | None = None) -> Iterator[RawArticle | Rejected]:
    """Every HTML page with status 200 in the archive at `path`, in record order.

    Each page goes through `parse_html` with the record's WARC-Target-URI as its URL, and comes out with
    Provenance(path, "warc", record) where `record` is the 0-based index of the WARC record in the file
    (warcinfo and request records count); a page without text is Rejected("<path>#<record>"). A truncated
    or corrupt archive yields the pages before the damage and then one Rejected naming the file. `counts`,
    when given, is filled in as records are read.
    """
    counts = counts if counts is not None else WarcCounts()
    try:
        stream = open(path, "rb")  # noqa: SIM115  # closed by the `with` below, after the iterator ends
    except OSError as exc:
        yield Rejected(path, f"cannot read file ({exc.strerror or exc})", RejectCode.UNREADABLE_FILE)
        return
    with stream:
        records = _Records(stream)
        index = -1
        problem: str | None = None
        while problem is None:
            try:
                record = next(records, None)
                if record is None:
                    break
                index += 1
                page = _page_of(records, record, index, counts)
            except _Damaged as exc:
                problem = str(exc)
            except Exception as exc:  # warcio's own errors and zlib's: the file cannot be read on
                problem = _failure(exc, index)
            else:
                if page is not None:
                    payload, url = page
                    yield _as_warc(_parse_page(payload, f"{path}#{index}", url), path, index)
    if problem is None:
        problem = _problem_at_end(records, counts, index)
    _log.info(
        "%s: %d records, %d HTML pages, %d skipped as not HTML, %d skipped for their HTTP status, %d other",
        path,
        counts.records,
        counts.pages,
        counts.not_html,
        counts.not_ok,
        counts.other,
    )
    if problem is not None:
        yield Rejected(path, problem, RejectCode.BAD_ARCHIVE)


def _failure(exc: Exception, index: int) -> str:
    message = " ".join(str(exc).split())
    if "non-chunked gzip" in message:
        return (
            "the whole archive is one gzip stream, but a .warc.gz must be compressed record by record "
            "(`warcio recompress` fixes the file)"
        )
    message = message[:200] or type(exc).__name__
    return f"not a WARC file: {message}" if index < 0 else f"corrupt archive after record {index}: {message}"


def _problem_at_end(records: _Records, counts: WarcCounts, index: int) -> str | None:
    """Why an archive read to its end still calls for a Rejected, or None when it does not."""
    if records.ended_inside_member:
        return f"truncated: the file ends inside a gzip member, after record {index}"
    if counts.records == 0:
        return "no WARC records in the file"
    if counts.pages == 0:
        return (
            f"no HTML page with status 200 among {counts.records} records ({counts.not_html} not HTML, "
            f"{counts.not_ok} with another status, {counts.other} not responses)"
        )
    return None


def _page_of(
    records: _Records, record: Any, index: int, counts: WarcCounts
) -> tuple[bytes, str | None] | None:
    """The payload and target URI when the record is an HTML page with status 200, else None.

    The record is read to its end either way, so that a record cut short is found before its page is used.
    """
    headers = record.rec_headers
    rec_type = record.rec_type
    if not rec_type or headers.get_header("Content-Length") is None:
        raise _Damaged(f"corrupt archive: record {index} has no WARC-Type or Content-Length header")
    http = record.http_headers
    if rec_type != "response" or http is None:
        kind = "other"
    elif http.get_statuscode() != "200":
        kind = "not_ok"
    elif (http.get_header("Content-Type") or "").split(";")[0].strip().lower() not in _HTML_TYPES:
        kind = "not_html"
    else:
        kind = "pages"
    # `kind` names the WarcCounts field the record is counted in, once it has been read whole.
    # Only a page's payload is kept; content_stream() undoes chunked transfer and gzip/brotli encoding.
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1) if kind == "pages" else None
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    missing = getattr(raw, "limit", 0)  # warcio's LimitReader: bytes of Content-Length still unread
    if missing:
        raise _Damaged(f"truncated: the file ends inside record {index}, {missing} bytes short")
    # Reading to the record's end checks the blank lines that must follow it; warcio counts a mismatch.
    warnings_before = records.err_count
    records.get_record_length()
    if records.err_count > warnings_before:
        raise _Damaged(f"corrupt archive: record {index} does not end where its Content-Length says")
    counts.records += 1
    setattr(counts, kind, getattr(counts, kind) + 1)
    if payload is None:
        return None
    return payload, headers.get_header("WARC-Target-URI") or None


def _parse_page(payload: bytes, source: str, url: str | None) -> RawArticle | Rejected:
    if len(payload) > MAX_PAGE_BYTES:
        return Rejected(source, f"HTML page of more than {MAX_PAGE_BYTES:,} bytes", RejectCode.TOO_LARGE)
    return parse_html(payload, source=source, url=url)


def _as_warc(result: RawArticle | Rejected, path: str, index: int) -> RawArticle | Rejected:
    if isinstance(result, Rejected):
        return result
    return dataclasses.replace(result, provenance=Provenance(source=path, format="warc", record=index))
