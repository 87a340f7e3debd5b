"""HTML pages: main text and metadata by trafilatura."""

from __future__ import annotations

import codecs
import re

import trafilatura

from newsfuse.clean.authors import parse_authors
from newsfuse.ingest.fields import host_of, parse_published, present
from newsfuse.types import Provenance, RawArticle, Rejected

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


def decode_html(data: bytes) -> str | None:
    """The page as text: UTF-8, else the charset its <meta> tag declares; None when neither decodes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = _CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        return data.decode(codecs.lookup(match.group(1).decode("ascii")).name)
    except (LookupError, UnicodeDecodeError):
        return None


def parse_html(data: bytes, source: str, url: str | None = None) -> RawArticle | Rejected:
    """One article from an HTML page: title, main text, date, URL and outlet as trafilatura finds them.

    The body holds one paragraph per text block of the page, separated by blank lines. The outlet is the
    page's site name, else the host of its URL. `url` is used when the page names none. Returns Rejected
    when the page cannot be decoded or has no main text.
    """
    page = decode_html(data)
    if page is None:
        return Rejected(source, "not UTF-8 text, and the page declares no charset that decodes it")
    try:
        doc = trafilatura.bare_extraction(page, url=url, include_comments=False, with_metadata=True)
    except Exception as exc:  # a third-party parser failing on one page must not stop the batch
        return Rejected(source, f"HTML could not be parsed ({type(exc).__name__}: {exc})")
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return Rejected(source, "no main text found in the page")
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
        # trafilatura reads the author and date from the page's metadata (htmldate for the date).
        authors=parse_authors(getattr(doc, "author", None)),
        published_evidence="html metadata" if published is not None else None,
    )
