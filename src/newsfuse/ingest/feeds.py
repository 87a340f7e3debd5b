"""RSS and Atom feeds: one article per entry, read by feedparser from the file's bytes.

The body is the entry's full content when the feed carries it (`content:encoded`, Atom `<content>`), else
its summary or description, turned from HTML into plain paragraphs separated by blank lines.
"""

from __future__ import annotations

import io
import re
import xml.sax
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from newsfuse.ingest.fields import host_of, parse_published, present
from newsfuse.types import Provenance, RawArticle, RejectCode, Rejected

# Elements that end a paragraph; text inside the others (links, emphasis) runs on in the same paragraph.
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table td th tr ul".split()
)
# Elements whose text is never prose (feedparser's sanitizer drops most, but not in every mode).
_SKIPPED = frozenset({"script", "style", "noscript", "template"})
_BLANK_LINE = re.compile(r"\n\s*\n")


def parse_feed(data: bytes, source: str) -> Iterator[RawArticle | Rejected]:
    """Every entry of an RSS or Atom feed as a RawArticle, or Rejected("<source>#<index>") without text.

    The outlet is the feed's title, else the host of the entry's link; the time is the entry's published
    time, else its updated time, in UTC. A file that is not a feed, or holds no entries, gives one
    Rejected naming the file.
    """
    try:
        # A file object, never the bytes or a string: feedparser fetches a str that looks like a URL and
        # opens one that names a local file (bytes included) before it parses anything.
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # a third-party parser failing on one file must not stop the batch
        yield Rejected(source, f"feed could not be parsed ({type(exc).__name__}: {exc})", RejectCode.BAD_FEED)
        return
    entries = parsed.get("entries") or []
    if not entries:
        yield Rejected(source, _why_no_entries(parsed, data), RejectCode.BAD_FEED)
        return
    feed = parsed.get("feed") or {}
    outlet = _title(feed)
    for index, entry in enumerate(entries):
        yield _entry_to_article(entry, source, index, outlet)


def _entry_to_article(
    entry: Mapping[str, Any], source: str, index: int, outlet: str | None
) -> RawArticle | Rejected:
    paragraphs = _entry_paragraphs(entry)
    if not paragraphs:
        return Rejected(
            f"{source}#{index}",
            f"entry {index}: no article text (no content, summary or description)",
            RejectCode.NO_TEXT,
        )
    url = present(_stored(entry, "link"))
    return RawArticle(
        title=_title(entry) or "",
        body="\n\n".join(paragraphs),
        provenance=Provenance(source=source, format="feed", record=index),
        url=url,
        outlet=outlet or host_of(url),
        published=_published(entry),
        record_id=present(_stored(entry, "id")),
    )


def _why_no_entries(parsed: Mapping[str, Any], data: bytes) -> str:
    """Why a feed gave no entries: broken XML, XML that is no feed, or a feed that is empty."""
    if parsed.get("bozo"):
        return f"not a well-formed feed ({_describe(parsed.get('bozo_exception'))})"
    if not parsed.get("version"):
        root = _root_name(data)
        return "not an RSS or Atom feed" + (f" (the root element is <{root}>)" if root else "")
    return "the feed has no entries"


def _describe(exc: object) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}"
    return str(exc) or type(exc).__name__


def _root_name(data: bytes) -> str | None:
    """The local name of the document's root element, for the reason a non-feed is rejected."""
    try:
        # Only the first element is read; entities and DTDs are neither resolved nor fetched.
        for _, element in etree.iterparse(
            io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        ):
            return str(etree.QName(element).localname)
    except etree.LxmlError:
        return None
    return None


def _stored(item: Mapping[str, Any], key: str) -> Any:
    # FeedParserDict.get maps a missing `updated` to `published` with a DeprecationWarning; the stored
    # keys are already canonical, so they are read as a plain dict.
    return dict.get(item, key) if isinstance(item, dict) else item.get(key)


def _title(item: Mapping[str, Any]) -> str | None:
    """A feed's or entry's title as one line of plain text (Atom titles may be HTML)."""
    title = present(_stored(item, "title"))
    if title is None:
        return None
    detail = _stored(item, "title_detail") or {}
    if "html" in str(detail.get("type", "")):
        title = " ".join(html_paragraphs(title))
    return " ".join(title.split()) or None


def _entry_paragraphs(entry: Mapping[str, Any]) -> list[str]:
    """The paragraphs of the entry's full content, else of its summary; [] when neither holds text."""
    candidates = list(_stored(entry, "content") or [])
    summary = _stored(entry, "summary")
    if summary:
        candidates.append(
            {"value": summary, "type": (_stored(entry, "summary_detail") or {}).get("type", "")}
        )
    for candidate in candidates:
        value = candidate.get("value") or ""
        kind = str(candidate.get("type") or "text/html").lower()
        if "html" in kind:
            paragraphs = html_paragraphs(value)
        elif kind.startswith("text/"):
            paragraphs = text_paragraphs(value)
        else:  # base64 or out-of-line content (`src=`): nothing to read as prose
            continue
        if paragraphs:  # content that is only an image falls through to the summary
            return paragraphs
    return []


def _published(entry: Mapping[str, Any]) -> datetime | None:
    """The entry's published time, else its updated time, in UTC without a zone.

    feedparser reads the date formats feeds use, RFC 822 zone names ("EST") included, which dateutil does
    not, and gives UTC. The result is naive like the dates trafilatura finds in pages: the grouping stage
    orders articles by time and cannot compare naive with aware datetimes.
    """
    for key in ("published", "updated"):
        parsed = _stored(entry, f"{key}_parsed")
        if parsed is not None:
            try:
                return datetime(*parsed[:6])
            except (TypeError, ValueError):
                pass
        when = parse_published(_stored(entry, key))  # a date feedparser could not read
        if when is not None:
            return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
    return None


def text_paragraphs(text: str) -> list[str]:
    """Plain text split at blank lines, each paragraph's whitespace collapsed to single spaces."""
    return [p for p in (" ".join(block.split()) for block in _BLANK_LINE.split(text)) if p]


def html_paragraphs(fragment: str) -> list[str]:
    """The prose of an HTML fragment, one string per block element, without scripts and styles."""
    if not fragment.strip():
        return []
    try:
        # Comments and processing instructions are dropped while parsing, their tails kept as text. A
        # parser per call: lxml parsers must not be shared between threads.
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
        root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=parser)
    except (etree.LxmlError, ValueError):
        return text_paragraphs(fragment)
    paragraphs: list[str] = []
    current: list[str] = []

    def close_paragraph() -> None:
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    skipping = 0  # depth inside elements whose text is dropped
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = str(element.tag).lower()
        if event == "start":
            if tag in _SKIPPED:
                skipping += 1
            elif not skipping:
                if tag in _BLOCKS:
                    close_paragraph()
                if element.text:
                    current.append(element.text)
            continue
        if tag in _SKIPPED:
            skipping -= 1
        elif not skipping and tag in _BLOCKS:
            close_paragraph()
        # The tail is the text after an element, inside its parent, so it is kept even after a script.
        if not skipping and element is not root and element.tail:
            current.append(element.tail)
    close_paragraph()
    return paragraphs
