"""A story's timeline: the dated events its sentences state, in date order.

A sentence is on the timeline when it holds a time expression that resolves to a calendar date (day,
month or year); its date is that expression's own value, so "on Thursday" in a Saturday report is that
Thursday, and the publication date counts only where the sentence says "today" or the like. A dateline's
date ("WASHINGTON, Feb. 11 -") dates the report, not an event, and is left out. Sentences of different
articles that give one date and say the same thing (TF-IDF cosine of TIMELINE_SAME_EVENT or more)
are one entry citing each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.nlp.terms import terms, tfidf
from newsfuse.nlp.timex import calendar_date, date_of_span, dateline_span
from newsfuse.types import Annotated, Citation, TimelineEntry


@dataclass(frozen=True, slots=True)
class _Dated:
    article: int  # index in publication order
    start: int
    end: int
    date: str
    granularity: str
    expressions: tuple[Citation, ...]


def _dated_sentences(items: Sequence[Annotated]) -> list[_Dated]:
    out = []
    for index, item in enumerate(items):
        article = item.article
        dateline = dateline_span(article.text)
        for sentence in item.sentences:
            by_date: dict[tuple[str, str], list[Citation]] = defaultdict(list)
            for timex in item.timexes:
                if timex.start < sentence.start or timex.end > sentence.end:
                    continue
                if dateline is not None and timex.start < dateline[1] and timex.end > dateline[0]:
                    continue
                found = calendar_date(timex)
                if found is not None:
                    by_date[found].append(Citation(article.id, timex.start, timex.end))
            for (day, granularity), cited in by_date.items():
                out.append(_Dated(index, sentence.start, sentence.end, day, granularity, tuple(cited)))
    return out


# Two sentences that give one date state one event from this TF-IDF cosine on: the shared date makes a
# looser lexical match safe than claim alignment needs.
TIMELINE_SAME_EVENT = 0.20


def story_timeline(
    items: Sequence[Annotated], align_threshold: float = TIMELINE_SAME_EVENT
) -> tuple[TimelineEntry, ...]:
    """The timeline of a story's annotated articles, `items` in publication order."""
    dated = _dated_sentences(items)
    if not dated:
        return ()
    texts = [items[d.article].article.text[d.start : d.end] for d in dated]
    vectors = tfidf([terms(t) for t in texts])
    sims = (vectors @ vectors.T).toarray()
    groups: list[list[int]] = []
    for i, d in enumerate(dated):
        for group in groups:
            first = dated[group[0]]
            if (
                first.date == d.date
                and all(dated[j].article != d.article for j in group)
                and min(sims[i, j] for j in group) >= align_threshold
            ):
                group.append(i)
                break
        else:
            groups.append([i])
    keyed = []
    for group in groups:
        first = dated[group[0]]
        entry = TimelineEntry(
            date=first.date,
            granularity=first.granularity,
            text=texts[group[0]],
            citations=tuple(
                Citation(items[dated[j].article].article.id, dated[j].start, dated[j].end) for j in group
            ),
            expressions=tuple(c for j in group for c in dated[j].expressions),
        )
        # Date order (a month before the days in it), then the order the reports give them in.
        keyed.append(((first.date, first.article, first.start), entry))
    return tuple(entry for _, entry in sorted(keyed, key=lambda k: k[0]))


def date_of(item: Annotated, start: int, end: int) -> str | None:
    """The resolved date of the first dated time expression in `item.article.text[start:end]`, else in
    the sentences that span touches; None when none has one. Claims and quotes carry it."""
    found = date_of_span(item.timexes, start, end)
    if found is not None:
        return found
    for sentence in item.sentences:
        if sentence.start < max(end, start + 1) and start < sentence.end:
            found = date_of_span(item.timexes, sentence.start, sentence.end)
            if found is not None:
                return found
    return None
