"""HTML pages: main text and metadata by trafilatura."""

from __future__ import annotations

import codecs
import re

import trafilatura

from newsfuse.clean.authors import parse_authors
from newsfuse.ingest.decode import Decoded, bom_encoding, decode, guess
from newsfuse.ingest.fields import host_of, parse_published, present
from newsfuse.types import Provenance, RawArticle, RejectCode, Rejected

# trafilatura's text marks list items with "- " and lays tables out as "| cell | cell |" rows under a
# "|---|---|" rule. Those marks are its formatting, not the page's words.
_LIST_ITEM = re.compile(r"^- (?=\S)")
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")


def _plain_line(line: str) -> str:
    """One line of trafilatura's text without its list and table marks ("" for a table rule)."""
    if _TABLE_RULE.match(line):
        return ""
    if line.startswith("|") and line.endswith("|") and len(line) > 1:
        return " ".join(cell.strip() for cell in line[1:-1].split("|") if cell.strip())
    return _LIST_ITEM.sub("", line)


# A page that is not UTF-8 may still say what it is; only the first bytes are searched, as browsers do.
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> Decoded | str:
    """The page as text, or why it cannot be read: a byte-order mark, else UTF-8, else the charset its
    <meta> tag declares, else charset-normalizer's guess (recorded as a warning)."""
    if bom_encoding(data) is not None:
        return decode(data)
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    match = _CHARSET.search(data[:4096])
    if match is not None:
        try:
            return Decoded(data.decode(codecs.lookup(match.group(1).decode("ascii")).name))
        except (LookupError, UnicodeDecodeError):
            pass
    return guess(data, utf8_error)


def parse_html(data: bytes, source: str, url: str | None = None) -> RawArticle | Rejected:
    """One article from an HTML page: title, main text, date, URL and outlet as trafilatura finds them.

    The body holds one paragraph per text block of the page, separated by blank lines. The outlet is the
    page's site name, else the host of its URL. `url` is used when the page names none. Returns Rejected
    when the page cannot be decoded or has no main text.
    """
    decoded = decode_html(data)
    if isinstance(decoded, str):
        return Rejected(source, decoded, RejectCode.UNREADABLE_ENCODING)
    page = decoded.text
    try:
        doc = trafilatura.bare_extraction(page, url=url, include_comments=False, with_metadata=True)
    except Exception as exc:  # a third-party parser failing on one page must not stop the batch
        return Rejected(
            source, f"HTML could not be parsed ({type(exc).__name__}: {exc})", RejectCode.BAD_HTML
        )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return Rejected(source, "no main text found in the page", RejectCode.NO_TEXT)
    # trafilatura writes one text block per line; the project's convention is a blank line between paragraphs.
    lines = (_plain_line(line.strip()) for line in text.splitlines())
    body = "\n\n".join(line for line in lines if line)
    page_url = present(getattr(doc, "url", None)) or url
    published = parse_published(getattr(doc, "date", None))
    return RawArticle(
        title=" ".join((present(getattr(doc, "title", None)) or "").split()),
        body=body,
        provenance=Provenance(source=source, format="html"),
        url=page_url,
        outlet=present(getattr(doc, "sitename", None)) or host_of(page_url),
        published=published,
        warnings=(decoded.warning,) if decoded.warning else (),
        # trafilatura reads the author and date from the page's metadata (htmldate for the date).
        authors=parse_authors(getattr(doc, "author", None)),
        published_evidence="html metadata" if published is not None else None,
    )
