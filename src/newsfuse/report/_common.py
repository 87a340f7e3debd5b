"""What the Markdown and HTML reports share: source numbering, cited words, labels and groupings."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time

from newsfuse.types import Article, Citation, Claim, Entity, SpeakerRef, Story, StoryQuote

UNKNOWN_OUTLET = "unknown outlet"

# Headings for the entity types of newsfuse.types.EntityType; any other type is shown under its own name.
ENTITY_HEADINGS = {"PERSON": "People", "ORG": "Organisations", "PLACE": "Places"}

CLAIM_HEADINGS = {
    "contested": "Contested: the sources disagree",
    "updated": "Updated by a later report",
    "corroborated": "Corroborated by independent sources",
    "relayed": "Relayed by several outlets from one origin",
    "single_source": "Reported by one source",
}

_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """The text with every run of whitespace (newlines included) as one space, for inline display."""
    return _SPACE.sub(" ", text).strip()


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 article", "2 articles"; `nouns` for an irregular plural ("stories")."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def byline(story: Story, sources: Sources) -> str:
    """The line under the title: how many articles and named outlets the story draws on."""
    return f"{plural(len(story.articles), 'article')} from {plural(sources.outlet_count(), 'named outlet')}"


def format_date(value: datetime | None) -> str:
    """ "2017-02-14", with " 13:05" when the time is not midnight and the zone name when it is known."""
    if value is None:
        return "date unknown"
    shown = value.strftime("%Y-%m-%d")
    if value.timetz().replace(tzinfo=None) != time(0):
        shown += value.strftime(" %H:%M")
    zone = value.tzname()
    if zone:
        shown += f" {zone}"
    return shown


def is_web_link(url: str | None) -> bool:
    """Whether the url may be shown as a link: http(s) only, never javascript: or data: urls."""
    return url is not None and url.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Source:
    """One numbered entry of a report's source list."""

    number: int
    article_id: str
    outlet: str  # UNKNOWN_OUTLET when neither the story nor the article names one
    title: str
    url: str | None
    published: datetime | None
    article: Article | None  # None when the caller did not provide it: cited words cannot be shown


class Sources:
    """The story's articles numbered from 1 in story order, plus any article cited but not listed.

    `articles` may lack some ids (the report then says the cited words are unavailable) and may hold
    articles of other stories (ignored).
    """

    def __init__(self, story: Story, articles: Mapping[str, Article]) -> None:
        self._by_id: dict[str, Source] = {}
        for ref in story.articles:
            article = articles.get(ref.id)
            self._add(
                ref.id,
                ref.outlet or (article.outlet if article else None),
                ref.title,
                ref.url or (article.url if article else None),
                ref.published or (article.published if article else None),
                article,
            )
        # A citation of an article missing from story.articles still gets a number and a source entry,
        # so that no marker points nowhere.
        for citation in cited_everywhere(story):
            if citation.article_id not in self._by_id:
                article = articles.get(citation.article_id)
                self._add(
                    citation.article_id,
                    article.outlet if article else None,
                    article.title if article else citation.article_id,
                    article.url if article else None,
                    article.published if article else None,
                    article,
                )

    def _add(
        self,
        article_id: str,
        outlet: str | None,
        title: str,
        url: str | None,
        published: datetime | None,
        article: Article | None,
    ) -> None:
        if article_id in self._by_id:
            return
        self._by_id[article_id] = Source(
            number=len(self._by_id) + 1,
            article_id=article_id,
            outlet=outlet or UNKNOWN_OUTLET,
            title=title,
            url=url,
            published=published,
            article=article,
        )

    def __iter__(self) -> Iterator[Source]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def of(self, article_id: str) -> Source:
        """The source entry of an article id (every id the story mentions has one)."""
        return self._by_id[article_id]

    def cited_words(self, citation: Citation) -> str | None:
        """`article.text[start:end]` on one line, or None when the article is missing or the span is off."""
        article = self._by_id[citation.article_id].article
        if article is None or not 0 <= citation.start <= citation.end <= len(article.text):
            return None
        return one_line(article.text[citation.start : citation.end])

    def why_unavailable(self, citation: Citation) -> str:
        """Why `cited_words` gave None for this citation, as a short phrase for the reader."""
        if self._by_id[citation.article_id].article is None:
            return "article not provided"
        return "span outside the article text"

    def outlet_count(self) -> int:
        return len({s.outlet for s in self if s.outlet != UNKNOWN_OUTLET})


def cited_everywhere(story: Story) -> list[Citation]:
    """Every citation of the story (summary, claims, quotes, entity mentions), in reading order."""
    citations = [c for s in story.summary for c in s.citations]
    citations += [c for claim in story.claims for c in claim.citations]
    citations += [c for d in story.details for c in d.citations]
    citations += [Citation(q.article_id, q.start, q.end) for q in story.quotes]
    citations += [c for e in story.entities for c in e.mentions]
    return citations


def claims_by_status(story: Story) -> list[tuple[str, list[Claim]]]:
    """(heading, claims) for each status that has claims, in the order of CLAIM_HEADINGS."""
    groups: dict[str, list[Claim]] = {}
    for claim in story.claims:
        groups.setdefault(claim.status, []).append(claim)
    order = [*CLAIM_HEADINGS, *sorted(set(groups) - set(CLAIM_HEADINGS))]
    return [(CLAIM_HEADINGS.get(status, status), groups[status]) for status in order if status in groups]


def entities_by_type(story: Story) -> list[tuple[str, list[Entity]]]:
    """(heading, entities) for each entity type present, in the order of ENTITY_HEADINGS, then others."""
    groups: dict[str, list[Entity]] = {}
    for entity in story.entities:
        groups.setdefault(entity.type, []).append(entity)
    order = [*ENTITY_HEADINGS, *sorted(set(groups) - set(ENTITY_HEADINGS))]
    return [(ENTITY_HEADINGS.get(kind, kind.title()), groups[kind]) for kind in order if kind in groups]


def via_chain(quote: StoryQuote, sources: Sources) -> list[str]:
    """The outlets a quote travelled through, nearest the speaker first, ending with the reporting outlet."""
    reporter = sources.of(quote.article_id).outlet
    chain = list(quote.via)
    if not chain or chain[-1] != reporter:
        chain.append(reporter)
    return chain


def source_numbers(citations: tuple[Citation, ...] | list[Citation], sources: Sources) -> list[int]:
    """The distinct source numbers the citations point to, in first-cited order."""
    return list(dict.fromkeys(sources.of(c.article_id).number for c in citations))


def speaker_label(ref: SpeakerRef | None) -> str | None:
    """How a report names a speaker: the canonical name it resolves to, else the words as written."""
    if ref is None:
        return None
    return ref.name or ref.text


def attribution(speaker: str, cue: str) -> str:
    """The words that introduce a quote, from an already escaped speaker and cue.

    "according to" reads before its source; a quote with no cue has only its speaker.
    """
    if cue.lower() == "according to":
        return f"According to {speaker}"
    return f"{speaker} {cue}" if cue else speaker
