"""What a story page shows, as plain values for the templates (report/templates/): the static report file
and the server's page are rendered from the same view, the server's with links and its script."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsfuse.clean.language import text_direction
from newsfuse.report._common import (
    Sources,
    attribution,
    byline,
    claims_by_status,
    entities_by_type,
    is_web_link,
    one_line,
    speaker_label,
    via_chain,
)
from newsfuse.types import Article, Citation, Story

_DOUBLE_QUOTES = frozenset('"“”„«»')

# How a source sentence is marked, from the claims it supports; when several apply, the first.
SENTENCE_MARKS = {
    "contested": "contested",
    "updated": "updated",
    "corroborated": "corroborated",
    "relayed": "relayed",
    "single_source": "single source",
}


def quoted(words: str) -> str:
    """The words in “ ”, or in ‘ ’ when they begin or end with a double quote mark of their own."""
    if words[:1] in _DOUBLE_QUOTES or words[-1:] in _DOUBLE_QUOTES:
        return f"‘{words}’"
    return f"“{words}”"


@dataclass(frozen=True, slots=True)
class Marker:
    """One citation mark: `[number]`, leading to the source entry; the server's script highlights
    `article_id`'s words `start`-`end` in the side-by-side view instead."""

    number: int
    article_id: str
    start: int
    end: int
    hover: str | None


@dataclass(frozen=True, slots=True)
class Evidence:
    number: int
    outlet: str
    words: str | None  # the cited words, quoted, on one line; None when unavailable
    why_not: str


@dataclass(frozen=True, slots=True)
class Cited:
    """A text the page shows with its marks and the collapsed list of the exact cited words."""

    text: str
    lang: str  # the cited article's language when it is not the page's, else ""
    markers: tuple[Marker, ...]
    evidence: tuple[Evidence, ...]
    extra: str = ""  # outlets of a claim, a date of an event


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    text: str
    mark: str | None  # a SENTENCE_MARKS key, or None for words no claim rests on


@dataclass(frozen=True, slots=True)
class SourceView:
    number: int
    article_id: str
    outlet: str
    title: str
    url: str | None  # an http(s) link, else None
    url_text: str | None  # a url that may not be a link, shown as text
    published: datetime | None
    lang: str
    segments: tuple[Segment, ...]  # the article's text cut at every cited boundary; () when missing


@dataclass(frozen=True, slots=True)
class QuoteView:
    intro: str  # "Ali Shamkhani told" (plain text; the template escapes it)
    speaker: str | None
    speaker_title: str | None
    text: str
    direct: bool
    chain: tuple[str, ...]
    lang: str
    marker: Marker
    date: str | None


@dataclass(frozen=True, slots=True)
class ConflictSideView:
    text: str
    cited: Cited
    published: str | None
    origin: str | None


@dataclass(frozen=True, slots=True)
class ConflictView:
    kind: str
    relation: str
    claim: str | None
    sides: tuple[ConflictSideView, ...]


@dataclass(frozen=True, slots=True)
class Coverage:
    name: str
    detail: str  # an origin's kind; an outlet's article count
    numbers: tuple[int, ...]  # source numbers


@dataclass(frozen=True, slots=True)
class StoryView:
    id: str
    title: str
    title_lang: str
    page_lang: str
    page_dir: str
    byline: str
    sources: tuple[SourceView, ...]
    summary: tuple[tuple[str | None, Cited], ...]  # (the outlet whose own wording it is, or None; the words)
    claim_groups: tuple[tuple[str, tuple[Cited, ...]], ...]
    conflicts: tuple[ConflictView, ...]
    timeline: tuple[Cited, ...]
    quotes: tuple[QuoteView, ...]
    entity_groups: tuple[tuple[str, tuple[tuple[str, tuple[str, ...], int, tuple[Marker, ...]], ...]], ...]
    outlets: tuple[Coverage, ...]
    origins: tuple[Coverage, ...]
    marks: Mapping[str, str]


class _Builder:
    def __init__(self, story: Story, articles: Mapping[str, Article]) -> None:
        self.story = story
        self.sources = Sources(story, articles)
        counts = Counter(
            s.article.language for s in self.sources if s.article is not None and s.article.language
        )
        self.page = counts.most_common(1)[0][0] if counts else "en"

    def lang(self, article_id: str) -> str:
        """The article's language when it differs from the page's, else ""."""
        article = self.sources.of(article_id).article
        language = article.language if article is not None else None
        return "" if language is None or language == self.page else language

    def markers(self, citations: Sequence[Citation], *, hover: bool = True) -> tuple[Marker, ...]:
        """One mark per cited source, in first-cited order, leading to its first cited words."""
        words: dict[str, list[str]] = {}
        first: dict[str, Citation] = {}
        for citation in citations:
            cited = self.sources.cited_words(citation)
            words.setdefault(citation.article_id, []).append(quoted(cited) if cited else "(unavailable)")
            first.setdefault(citation.article_id, citation)
        out = []
        for article_id, cited_words in words.items():
            source = self.sources.of(article_id)
            c = first[article_id]
            title = f"{source.outlet}: {' … '.join(cited_words)}" if hover else None
            out.append(Marker(source.number, article_id, c.start, c.end, title))
        return tuple(out)

    def cited(self, text: str, citations: Sequence[Citation], extra: str = "") -> Cited:
        evidence = []
        for citation in citations:
            source = self.sources.of(citation.article_id)
            words = self.sources.cited_words(citation)
            evidence.append(
                Evidence(
                    source.number,
                    source.outlet,
                    quoted(words) if words is not None else None,
                    "" if words is not None else self.sources.why_unavailable(citation),
                )
            )
        lang = self.lang(citations[0].article_id) if citations else ""
        return Cited(one_line(text), lang, self.markers(citations), tuple(evidence), extra)

    def segments(self, article: Article) -> tuple[Segment, ...]:
        """The text cut at every boundary the page cites, each piece marked by the claims it supports."""
        text = article.text
        cuts = {0, len(text)}
        for c in self._all_citations():
            if c.article_id == article.id and 0 <= c.start <= c.end <= len(text):
                cuts.update((c.start, c.end))
        ranks = {mark: i for i, mark in enumerate(SENTENCE_MARKS)}
        spans: list[tuple[int, int, str]] = [
            (s.citation.start, s.citation.end, claim.status)
            for claim in self.story.claims
            for s in claim.support
            if s.citation.article_id == article.id
        ]
        spans += [
            (c.start, c.end, "contested")
            for conflict in _conflicts(self.story)
            for side in getattr(conflict, "sides", ())
            for c in getattr(side, "citations", ())
            if c.article_id == article.id
        ]
        points = sorted(cuts)
        out = []
        for start, end in zip(points, points[1:], strict=False):
            marks = [m for s, e, m in spans if s <= start and end <= e and m in ranks]
            mark = min(marks, key=ranks.__getitem__) if marks else None
            out.append(Segment(start, end, text[start:end], mark))
        return tuple(out)

    def _all_citations(self) -> Iterable[Citation]:
        story = self.story
        yield from (c for s in story.summary for c in s.citations)
        yield from (s.citation for claim in story.claims for s in claim.support)
        yield from (c for d in story.details for c in d.citations)
        yield from (c for t in story.timeline for c in t.citations)
        yield from (Citation(q.article_id, q.start, q.end) for q in story.quotes)
        yield from (c for e in story.entities for c in e.mentions)
        for conflict in _conflicts(story):
            for side in getattr(conflict, "sides", ()):
                yield from getattr(side, "citations", ())


def _conflicts(story: Story) -> tuple[Any, ...]:
    # Added by the conflicts issue (`story.conflicts`); shown whenever the records carry it.
    return tuple(getattr(story, "conflicts", ()) or ())


def build_story_view(story: Story, articles: Mapping[str, Article]) -> StoryView:
    """Everything a story page shows. `articles` by id: those the story cites (missing ones are said
    to be unavailable)."""
    b = _Builder(story, articles)
    sources = b.sources
    source_views = []
    for s in sources:
        source_views.append(
            SourceView(
                number=s.number,
                article_id=s.article_id,
                outlet=s.outlet,
                title=one_line(s.title) or "(untitled)",
                url=s.url if is_web_link(s.url) else None,
                url_text=None if is_web_link(s.url) or not s.url else s.url,
                published=s.published,
                lang=b.lang(s.article_id),
                segments=b.segments(s.article) if s.article is not None else (),
            )
        )
    title_lang = next((b.lang(s.article_id) for s in sources if s.title == story.title), "")
    quotes = []
    for q in story.quotes:
        ref = q.speaker
        speaker = speaker_label(ref)
        quotes.append(
            QuoteView(
                intro=attribution(speaker or "An unnamed speaker", one_line(q.cue)),
                speaker=speaker,
                speaker_title=f"{ref.text} ({ref.how or ref.kind})" if ref is not None else None,
                text=one_line(q.text),
                direct=q.direct,
                chain=tuple(via_chain(q, sources)),
                lang=b.lang(q.article_id),
                marker=Marker(sources.of(q.article_id).number, q.article_id, q.start, q.end, None),
                date=q.date,
            )
        )
    conflicts = []
    for conflict in _conflicts(story):
        sides = []
        for side in getattr(conflict, "sides", ()):
            published = getattr(side, "published", None)
            sides.append(
                ConflictSideView(
                    text=one_line(str(getattr(side, "text", ""))),
                    cited=b.cited(str(getattr(side, "text", "")), tuple(getattr(side, "citations", ()))),
                    published=None if published is None else str(published)[:16].replace("T", " "),
                    origin=getattr(side, "origin", None),
                )
            )
        claim = getattr(conflict, "claim", None)
        conflicts.append(
            ConflictView(
                kind=str(getattr(conflict, "kind", "")),
                relation=str(getattr(conflict, "relation", "")),
                claim=claim if isinstance(claim, str) else None,
                sides=tuple(sides),
            )
        )
    listed = {s.article_id for s in sources}
    outlet_numbers: dict[str, list[int]] = {}
    for s in sources:
        outlet_numbers.setdefault(s.outlet, []).append(s.number)
    return StoryView(
        id=story.id,
        title=one_line(story.title),
        title_lang=title_lang,
        page_lang=b.page,
        page_dir=text_direction(b.page),
        byline=byline(story, sources),
        sources=tuple(source_views),
        summary=tuple((s.voice, b.cited(s.text, s.citations)) for s in story.summary),
        claim_groups=tuple(
            (
                heading,
                tuple(
                    b.cited(c.text, c.citations, ", ".join(c.outlets) or "no named outlet") for c in claims
                ),
            )
            for heading, claims in claims_by_status(story)
        ),
        conflicts=tuple(conflicts),
        timeline=tuple(b.cited(t.text, t.citations, t.date) for t in story.timeline),
        quotes=tuple(quotes),
        entity_groups=tuple(
            (
                heading,
                tuple(
                    (
                        e.name,
                        tuple(a for a in e.aliases if a != e.name),
                        len(e.mentions),
                        b.markers(e.mentions, hover=False),
                    )
                    for e in entities
                ),
            )
            for heading, entities in entities_by_type(story)
        ),
        outlets=tuple(
            Coverage(name, f"{len(numbers)} article{'s' if len(numbers) != 1 else ''}", tuple(numbers))
            for name, numbers in outlet_numbers.items()
        ),
        origins=tuple(
            Coverage(
                o.name,
                o.kind,
                tuple(sorted({sources.of(a).number for a in o.articles if a in listed})),
            )
            for o in story.origins
        ),
        marks=SENTENCE_MARKS,
    )
