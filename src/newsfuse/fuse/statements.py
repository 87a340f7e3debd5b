"""Statements: one per original statement, with every quote of the story that relays it.

Quotes are one statement when they share a speaker reference within an article (one frame: "...," he
said, "..."), or when, in different articles, their speakers resolve to one name and their words share
enough content terms (Shamkhani's words to Fars, relayed by Rudaw into Breitbart and into Newsweek, are
translated differently but share "strategic", "cooperation", "Russia", "Iran").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsfuse.nlp.terms import terms
from newsfuse.types import Statement, StoryQuote

# Two quotes of one speaker in different articles relay one statement when they share this many content
# terms, and this share of the shorter quote's terms.
MIN_SHARED_TERMS = 3
MIN_SHARED_SHARE = 0.3


def _relays(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= MIN_SHARED_TERMS and shared >= MIN_SHARED_SHARE * min(len(a), len(b))


def _relayed_through(quote: StoryQuote, outlets: Mapping[str, str | None]) -> tuple[str, ...]:
    """The outlets a quote came through before its reporting article (`via` less that article's outlet)."""
    outlet = outlets.get(quote.article_id)
    return quote.via[:-1] if outlet and quote.via and quote.via[-1] == outlet else quote.via


def story_statements(quotes: Sequence[StoryQuote], outlets: Mapping[str, str | None]) -> list[Statement]:
    """The statements of a story's quotes (indices into `quotes`), in order of their first quote.
    Quotes without a speaker, or whose speaker resolves to no name, are left out. `outlets` maps each
    article id to its outlet."""
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    named = [i for i, q in enumerate(quotes) if q.speaker is not None and q.speaker.name]
    words = {i: frozenset(terms(quotes[i].text)) for i in named}
    frames: dict[tuple[str, int, int, str], int] = {}
    for i in named:
        q = quotes[i]
        assert q.speaker is not None
        key = (q.article_id, q.speaker.start, q.speaker.end, q.cue)
        if key in frames:
            union(frames[key], i)
        frames.setdefault(key, i)
    for x, i in enumerate(named):
        for j in named[x + 1 :]:
            qi, qj = quotes[i], quotes[j]
            assert qi.speaker is not None and qj.speaker is not None
            if (
                qi.article_id != qj.article_id
                and qi.speaker.name == qj.speaker.name
                and _relays(words[i], words[j])
            ):
                union(i, j)
    groups: dict[int, list[int]] = {}
    for i in named:
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in sorted(groups.values()):
        first = quotes[members[0]]
        assert first.speaker is not None and first.speaker.name is not None
        # the outlet nearest the speaker, from the longest chain (the reporting outlet is no origin)
        chains = sorted((_relayed_through(quotes[i], outlets) for i in members), key=len, reverse=True)
        origin = chains[0][0] if chains[0] else None
        out.append(Statement(first.speaker.name, first.text, tuple(members), origin))
    return out
