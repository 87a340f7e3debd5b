"""Cleaning: RawArticle -> Article, with page furniture removed and the canonical text fixed.

The canonical text is the body's paragraphs joined by one blank line ("\\n\\n"), each paragraph with runs of
spaces and tabs collapsed to one space and its lines stripped, and control characters (NUL above all)
deleted; nothing else is rewritten (quotes, dashes and non-breaking spaces stay as published). Cleaning
otherwise only removes lines, so every paragraph of the text is a substring of the normalised body. Every
character offset later in the pipeline indexes into this text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from newsfuse.clean.authors import parse_authors
from newsfuse.clean.dates import date_from_text
from newsfuse.clean.furniture import Line, ends_sentence, mark_furniture, words
from newsfuse.clean.language import detect_language
from newsfuse.clean.outlet import outlet_from_dateline, outlet_from_offer
from newsfuse.clean.registry import outlet_from_name, resolve_outlet
from newsfuse.clean.urls import canonical_url
from newsfuse.types import Article, RawArticle, RejectCode, Rejected

__all__ = ["MAX_TEXT_CHARS", "MIN_TEXT_CHARS", "article_id", "clean_article", "normalize_body", "split_lines"]

# Less than this is a caption or a stub, not an article.
MIN_TEXT_CHARS = 20
# More than this is a dump, not an article (and past spaCy's own limit of a million characters).
MAX_TEXT_CHARS = 1_000_000
# A raw body this long cannot clean down to MAX_TEXT_CHARS of article (furniture is a small share).
MAX_BODY_CHARS = 2 * MAX_TEXT_CHARS

# C0 control characters other than tab, newline and carriage return (NUL above all), and DEL: never text,
# and a NUL would reach entities, the store and the pages.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_SPACES = re.compile(r"[ \t]+")


def clean_article(raw: RawArticle) -> Article | Rejected:
    """The cleaned article, or Rejected("<source>[#record]", ...) when no article text is left.

    Removed blocks are kept in `removed`, agency names from removed captions in `credits`. The outlet is
    shown under the registry's name (`outlet_domain` keeps the host); authors come from the record or
    page, else from a byline; a date the record lacks may come from the text's stamp or dateline
    (`published_evidence` says which); the language is detected. When the raw record names no outlet,
    the outlet is inferred from a subscription block or a wire dateline (`outlet_inferred=True`,
    `outlet_evidence` says which); otherwise it is the record's ("record").
    """
    provenance = raw.provenance
    label = provenance.source if provenance.record is None else f"{provenance.source}#{provenance.record}"
    # Checked on the raw body first, so that a dump is never split into lines and run through the rules.
    if len(raw.body) > MAX_BODY_CHARS:
        return Rejected(
            label,
            f"article body of {len(raw.body):,} characters is over the {MAX_BODY_CHARS:,} cap",
            RejectCode.TOO_LARGE,
        )
    warnings = list(raw.warnings)
    body, title_raw = _CONTROL.sub("", raw.body), _CONTROL.sub("", raw.title)
    dropped = len(raw.body) - len(body) + len(raw.title) - len(title_raw)
    if dropped:
        warnings.append(f"{dropped} NUL or other control characters removed")
    lines = split_lines(body)
    mark_furniture(lines, title_raw)
    paragraphs, removed = _assemble(lines)
    text = "\n\n".join(paragraphs)
    if len(text) < MIN_TEXT_CHARS:
        why = "no article text after cleaning" + (
            f" (all {len(removed)} blocks were page furniture, e.g. {removed[0][:60]!r})" if removed else ""
        )
        return Rejected(label, why, RejectCode.BOILERPLATE_ONLY if removed else RejectCode.NO_TEXT)
    if removed and not any(_reads_as_text(line.text) for line in lines if line.kept):
        # Furniture was removed and what is left is headings and links ("Breaking news alerts in your
        # inbox"): the page was all furniture.
        return Rejected(
            label,
            "only page furniture after cleaning (no sentence of article text)",
            RejectCode.BOILERPLATE_ONLY,
        )
    if len(text) > MAX_TEXT_CHARS:
        return Rejected(
            label,
            f"article text of {len(text):,} characters is over the {MAX_TEXT_CHARS:,} cap",
            RejectCode.TOO_LARGE,
        )

    credits: list[str] = []
    for line in lines:
        credits.extend(c for c in line.credits if c not in credits)

    found = _find_outlet(raw, lines, paragraphs[0])
    authors = raw.authors or parse_authors([line.text for line in lines if line.kind == "byline"])
    published, published_evidence = raw.published, raw.published_evidence
    if published is None:
        from_text = date_from_text(lines)
        if from_text is not None:
            published, published_evidence = from_text[0], "dateline"
    elif published_evidence is None:
        published_evidence = "record"

    title = " ".join(title_raw.split())
    return Article(
        id=article_id(found.id_outlet, title, text),
        title=title,
        text=text,
        provenance=provenance,
        url=raw.url,
        outlet=found.name,
        outlet_inferred=found.inferred,
        outlet_evidence=found.evidence,
        published=published,
        credits=tuple(credits),
        removed=tuple(removed),
        outlet_domain=found.domain,
        authors=authors,
        published_evidence=published_evidence,
        language=detect_language(text),
        source_id=raw.record_id,
        canonical_url=canonical_url(raw.canonical_url or raw.url),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class _FoundOutlet:
    name: str | None  # the registry's display name
    domain: str | None
    inferred: bool
    evidence: str | None
    id_outlet: str | None  # as given or inferred: the id keeps it, so ids do not move when the table grows


def _find_outlet(raw: RawArticle, lines: list[Line], first_paragraph: str) -> _FoundOutlet:
    """The record's outlet, else one inferred from the text, shown under the registry's name.

    A syndication portal's copy is credited to the wire its dateline or byline names.
    """
    outlet, inferred, evidence = raw.outlet, False, "record" if raw.outlet else None
    resolved = resolve_outlet(raw.outlet, raw.url)
    from_dateline = outlet_from_dateline(first_paragraph)
    if outlet is None:
        from_offer = outlet_from_offer([line.text for line in lines if line.kind == "promo"])
        if from_offer:
            outlet, inferred, evidence = from_offer, True, "subscription block"
        elif from_dateline:
            outlet, inferred, evidence = from_dateline, True, "wire dateline"
    shown = resolved.name if resolved is not None else outlet
    portal = resolved is not None and resolved.syndicator
    credited = outlet_from_name(raw.authors[0]) if raw.authors else None
    if inferred and outlet:
        shown = outlet_from_name(outlet) or outlet
    elif portal and from_dateline:
        shown, inferred, evidence = outlet_from_name(from_dateline) or from_dateline, True, "wire dateline"
    elif portal and credited:  # "Associated Press" as the author of a Yahoo page
        shown, inferred, evidence = credited, True, "byline"
    domain = resolved.domain if resolved is not None else None
    return _FoundOutlet(shown, domain, inferred, evidence, outlet)


def _reads_as_text(line: str) -> bool:
    return ends_sentence(line) or line.endswith(":") or words(line) >= 12


def article_id(outlet: str | None, title: str, text: str) -> str:
    """A stable content id: the first 16 hex digits of sha256("<outlet>\\n<title>\\n<text>")."""
    return hashlib.sha256(f"{outlet or ''}\n{title}\n{text}".encode()).hexdigest()[:16]


def split_lines(body: str) -> list[Line]:
    """The body's non-blank lines, whitespace-normalised, each tagged with its paragraph block.

    Blocks are separated by blank lines. A body with no blank line at all (news-please writes one
    paragraph per line) has one block per line.
    """
    raw_lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normalised = [_SPACES.sub(" ", line).strip() for line in raw_lines]
    first = next((i for i, t in enumerate(normalised) if t), 0)
    last = max((i for i, t in enumerate(normalised) if t), default=-1)
    one_per_line = all(normalised[first : last + 1])
    lines: list[Line] = []
    block = 0
    for text in normalised:
        if not text:
            block += 1
            continue
        lines.append(Line(text, block))
        if one_per_line:
            block += 1
    return lines


def normalize_body(body: str) -> str:
    """The body as cleaning sees it before removing anything: normalised lines, blank lines between blocks."""
    lines = split_lines(body)
    out: list[str] = []
    for i, line in enumerate(lines):
        if i:
            out.append("\n\n" if line.block != lines[i - 1].block else "\n")
        out.append(line.text)
    return "".join(out)


def _assemble(lines: list[Line]) -> tuple[list[str], list[str]]:
    """Paragraphs (runs of kept lines within a block) and removed blocks (runs of removed lines)."""
    paragraphs: list[str] = []
    removed: list[str] = []
    run: list[Line] = []

    def flush() -> None:
        if run:
            target = paragraphs if run[0].kept else removed
            target.append("\n".join(line.text for line in run))
            run.clear()

    for line in lines:
        if run and (line.block != run[-1].block or line.kept != run[-1].kept):
            flush()
        run.append(line)
    flush()
    return paragraphs, removed
