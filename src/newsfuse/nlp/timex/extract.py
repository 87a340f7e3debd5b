"""Finds and resolves the time expressions of a text.

Every rule of `patterns` proposes matches; the longest leftmost match whose normaliser accepts it takes
its span (ties go to the earlier rule), so "late December 2016" beats "December 2016" and "December".
Relative expressions are resolved against the anchor: the dateline's date when the text states one, or
else the publication date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import accumulate

from newsfuse.nlp.timex.dateline import dateline_date
from newsfuse.nlp.timex.normalise import Context
from newsfuse.nlp.timex.patterns import (
    CAPITALISED_GROUPS,
    HEAD_KINDS,
    HEAD_WINDOW,
    OPENING_WORDS,
    RULES,
    RULES_BY_HEAD,
    RULES_OPENED_BY_HEAD,
)
from newsfuse.types import TimeExpression

# Words and numbers ("1990s", "3"), and a decade's apostrophe ("'80s").
# ASCII words are enough: every head and opening word is ASCII.
_TOKEN = re.compile(r"('\d|[a-z0-9]+)")
_DIGIT_OR_APOSTROPHE = frozenset("0123456789'")


def _words(text: str) -> tuple[list[str], list[int]]:
    """The lower-cased words of `text` and where each starts, split in C (no match object per word)."""
    lower = text.lower()
    if len(lower) != len(text):  # a character whose lower case is longer ("İ"): offsets must hold
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    pieces = _TOKEN.split(lower)  # separator, word, separator, word, ..., separator
    ends = list(accumulate(map(len, pieces)))
    words = pieces[1::2]
    return words, ends[0::2][: len(words)]


def _matches(text: str) -> list[tuple[int, re.Match[str]]]:
    """(rule index, match) for every rule that matches at a head word of its kind or at a word that can
    open an expression up to HEAD_WINDOW words before it: what scanning the whole text with every rule
    would find, at a fraction of the cost (tests/test_timex.py checks the two agree). The work per word
    is kept in C (split, set intersection) because a Python statement per word is most of the cost."""
    words, starts = _words(text)
    present = {w for w in set(words) if w in HEAD_KINDS or w[0] in _DIGIT_OR_APOSTROPHE}
    tried: set[tuple[int, int]] = set()
    found = []
    for i in [i for i, word in enumerate(words) if word in present]:
        word = words[i]
        kind = _number_kind(word) if word[0] in _DIGIT_OR_APOSTROPHE else HEAD_KINDS[word]
        if kind is None:
            continue
        low = max(0, i - HEAD_WINDOW)
        head = starts[i]
        for at in [starts[j] for j in range(low, i) if _opens(words[j])]:
            for index, rule in RULES_OPENED_BY_HEAD[kind]:
                if (at, index) not in tried:
                    tried.add((at, index))
                    m = rule.pattern.match(text, at)
                    if m is not None:
                        found.append((index, m))
        for index, rule in RULES_BY_HEAD[kind]:
            if (head, index) not in tried:
                tried.add((head, index))
                m = rule.pattern.match(text, head)
                if m is not None:
                    found.append((index, m))
    return found


def _number_kind(word: str) -> str | None:
    """The head kind of a number: four digits ("1990", "1990s"), one or two ("3", "30"), a decade's "'8"."""
    if word[0] == "'":
        return "apostrophe"
    digits = len(word) - len(word.lstrip("0123456789"))
    return "digit4" if digits == 4 else "digit12" if digits <= 2 else None


def _opens(word: str) -> bool:
    return word in OPENING_WORDS or word in HEAD_KINDS or word[0] in _DIGIT_OR_APOSTROPHE


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
    for priority, m in _matches(text):
        rule = RULES[priority]
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
