"""Finds and resolves the time expressions of a text.

Every rule of `patterns` proposes matches; the longest leftmost match whose normaliser accepts it takes
its span (ties go to the earlier rule), so "late December 2016" beats "December 2016" and "December".
Relative expressions are resolved against the anchor: the dateline's date when the text states one, or
else the publication date.
"""

from __future__ import annotations

from datetime import date, datetime

from newsfuse.nlp.timex.dateline import dateline_date
from newsfuse.nlp.timex.normalise import Context
from newsfuse.nlp.timex.patterns import CAPITALISED_GROUPS, RULES
from newsfuse.types import TimeExpression


def _as_date(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def choose_anchor(text: str, published: date | datetime | None) -> tuple[date | None, str | None]:
    """The anchor date and what it is ("dateline" | "published"), or (None, None)."""
    day = _as_date(published)
    stated = dateline_date(text, day)
    if stated is not None:
        return stated, "dateline"
    if day is not None:
        return day, "published"
    return None, None


def find_timexes(
    text: str, published: date | datetime | None = None, anchor: tuple[date | None, str | None] | None = None
) -> tuple[TimeExpression, ...]:
    """The time expressions of `text`, in text order, relative ones resolved against the anchor.

    `anchor` (a date and its kind) overrides the one read from the text and `published`; the evaluation
    gives the document creation time this way.
    """
    anchor_date, anchor_kind = anchor if anchor is not None else choose_anchor(text, published)
    context = Context(text, anchor_date)
    candidates = []
    for priority, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            if any((m.groupdict().get(g) or "A")[0].islower() for g in CAPITALISED_GROUPS):
                continue
            start, end = m.span("core") if "core" in rule.pattern.groupindex else m.span()
            candidates.append((start, -(end - start), priority, end, m, rule))
    candidates.sort(key=lambda c: c[:3])
    found: list[TimeExpression] = []
    taken_until = -1
    for start, _, _, end, m, rule in candidates:
        if start < taken_until:
            continue
        resolution = rule.normalise(m, context)
        if resolution is None:
            continue
        anchored = resolution.relative and anchor_date is not None
        found.append(
            TimeExpression(
                start=start,
                end=end,
                text=text[start:end],
                type=resolution.type,
                value=resolution.value,
                anchor=anchor_kind if anchored else None,
                anchor_date=anchor_date.isoformat() if anchored and anchor_date else None,
                mod=resolution.mod,
                rule=rule.name,
            )
        )
        taken_until = end
    return tuple(found)
