"""The step after `relate`: where the sentences of one claim disagree, as sides, and each sentence's stance.

Every pair of a claim's sentences is compared (`relate.compare`), including two sentences of one origin (a
wire story two outlets edited differently). The differences of one kind make one conflict; its sides are
the sentences grouped by the value they give, earliest first, each citing its sentence's exact words. A
conflict is an `update` when every difference in it is one (a later report with a new value), else a
`disagree`ment. The side holding the claim's representative sentence (its `text`) agrees; a sentence on
another side `contradicts` it, or `updates` it when the conflict is an update. Sentences that give none of
the conflicting values are on no side and keep agreeing.

A toll is often told in words that align into different claims: `story_tolls` then compares the figures
of one toll across the story's claims and makes one conflict per toll kind, shown on one claim.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsfuse.cluster.order import utc
from newsfuse.fuse.quantities import quantities
from newsfuse.fuse.relate import Difference, compare, dated_elsewhere, toll_differences
from newsfuse.nlp.timex import calendar_date
from newsfuse.types import Citation, ConflictKind, ConflictRelation, ConflictSide, Stance, TimeExpression

KINDS: tuple[ConflictKind, ...] = ("number", "date", "negation")


@dataclass(frozen=True, slots=True)
class Member:
    """One sentence of a claim, as the conflict step sees it."""

    citation: Citation
    text: str
    published: datetime | None
    origin: str
    dates: tuple[tuple[str, str, str], ...] = ()  # (ISO day, words, anchor) of its expressions naming a day


@dataclass(frozen=True, slots=True)
class ClaimConflict:
    """A conflict of one claim before the claims are ordered (the story's Conflict adds the index)."""

    kind: ConflictKind
    relation: ConflictRelation
    sides: tuple[ConflictSide, ...]


# "..., the airline said Wednesday": the day of the saying, not of what was said.
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|announced|reported|added|confirmed)\s+(?:on\s+)?$", re.I)
_SAID_AFTER = re.compile(r"^\s*,?\s*(?:said|says|told|announced|reported)\b", re.IGNORECASE)


def day_dates(
    timexes: Sequence[TimeExpression], start: int, end: int, text: str = ""
) -> tuple[tuple[str, str, str], ...]:
    """(ISO day, words, anchor date or "") of the DATE expressions inside text[start:end] that name a
    calendar day (a TIME such as "midnight" names the hour of a day the sentence does not state), less
    those that date the reporting ("said Wednesday") when `text`, the article's, is given."""
    out = []
    for timex in timexes:
        if timex.type == "DATE" and start <= timex.start and timex.end <= end:
            found = calendar_date(timex)
            if found is None or found[1] != "day":
                continue
            if text and (
                _SAID_BEFORE.search(text[max(0, timex.start - 20) : timex.start])
                or _SAID_AFTER.match(text[timex.end : timex.end + 15])
            ):
                continue
            out.append((found[0], timex.text, timex.anchor_date or ""))
    return tuple(out)


def claim_conflicts(members: Sequence[Member]) -> tuple[list[Stance], list[ClaimConflict]]:
    """The stance of each member (member 0 is the representative) and the claim's conflicts."""
    stances: list[Stance] = ["agrees"] * len(members)
    if len(members) < 2:
        return stances, []
    by_kind: dict[ConflictKind, list[tuple[int, int, Difference]]] = {}
    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            a, b = members[i], members[j]
            if a.citation.article_id == b.citation.article_id:
                continue
            for d in compare(a.text, b.text, a.published, b.published, a.dates, b.dates):
                by_kind.setdefault(d.kind, []).append((i, j, d))
    conflicts = []
    for kind in KINDS:
        found = by_kind.get(kind)
        if not found:
            continue
        value: dict[int, object] = {}
        for i, j, d in found:
            value.setdefault(i, d.first)
            value.setdefault(j, d.second)
        groups: dict[object, list[int]] = {}
        for m in sorted(value, key=lambda m: (_when(members[m].published), m)):
            groups.setdefault(value[m], []).append(m)
        if len(groups) < 2:
            continue  # the differences did not split the sentences (one value written two ways)
        updates = all(d.relation == "update" for *_, d in found)
        relation: ConflictRelation = "update" if updates else "disagree"
        sides = list(groups.values())
        reference = next((s for s in sides if 0 in s), sides[0])
        for side in sides:
            if side is reference:
                continue
            for m in side:
                if relation == "disagree" or stances[m] == "agrees":
                    stances[m] = "contradicts" if relation == "disagree" else "updates"
        conflicts.append(ClaimConflict(kind, relation, tuple(_side(members, s) for s in sides)))
    return stances, conflicts


def _when(published: datetime | None) -> float:
    moment = utc(published)
    return moment.timestamp() if moment is not None else float("inf")


def _side(members: Sequence[Member], side: Sequence[int]) -> ConflictSide:
    first = members[side[0]]
    times = [utc(members[m].published) for m in side if members[m].published is not None]
    earliest = min((t for t in times if t is not None), default=None)
    published = next((members[m].published for m in side if utc(members[m].published) == earliest), None)
    return ConflictSide(
        first.text, tuple(members[m].citation for m in side), published if earliest else None, first.origin
    )


@dataclass(frozen=True, slots=True)
class StoryConflict:
    """A conflict of a toll between sentences of different claims: the claim it is shown on (its position
    in the claims given to `story_tolls`), the conflict, and the stance of each sentence on a side other
    than the shown claim's, by (claim position, member index)."""

    claim: int
    conflict: ClaimConflict
    stances: dict[tuple[int, int], Stance]


# A sentence that may state a toll (the words of `quantities.TOLL_KINDS`): the others are not read for
# figures, which keeps the comparison across claims cheap.
# (Matched on the lowered text without word edges: three times faster, and a stray match only costs a
# reading of the figures.)
_TOLL_HINT = re.compile(
    r"kill|dead|death|die|fatal|bodies|slain|murder|toll|injur|wound|hurt|arrest|detain|missing|evacu"
    r"|displac|trapp|rescu|lives"
)


# Sentences of two claims compare their tolls when their reports came out within this span: a toll is
# updated within days, and reports months apart in one story are a story that mixes events (another
# shooting's toll is no update of this one's).
TOLL_SPAN = timedelta(days=3)


def story_tolls(
    claims: Sequence[Sequence[Member]], taken: Collection[tuple[int, int]] = ()
) -> list[StoryConflict]:
    """Conflicts of a toll told in different claims ("84 people were killed" / "more than 70 people are
    dead" align below the claim threshold, or with other sentences): one conflict per toll kind, its
    sides the sentences grouped by the figure they give, earliest first. Sentences of one claim were
    compared by `claim_conflicts`; `taken` holds the (claim, member) sentences already on a side of their
    claim's number conflict, which are not compared again, nor are sentences dated to another time
    (`relate.dated_elsewhere`), nor reports more than TOLL_SPAN apart. The conflict is shown on the claim,
    among those holding its sentences, with the most sentences (then the first); that claim's sentences
    are the reference side, and a sentence on another side contradicts it, or updates it when every
    difference is an update."""
    entries = []
    for c, members in enumerate(claims):
        for m, member in enumerate(members):
            if (c, m) in taken or not _TOLL_HINT.search(member.text.lower()):
                continue
            tolls: dict[str, set[tuple[float, float]]] = {}
            for q in quantities(member.text):
                if q.toll:
                    tolls.setdefault(q.toll, set()).add((q.low, q.high))
            if tolls and not dated_elsewhere(member.text):
                entries.append((c, m, tolls))
    by_kind: dict[str, list[tuple[tuple[int, int], tuple[int, int], Difference]]] = {}
    for x, (ca, ma, a_tolls) in enumerate(entries):
        a = claims[ca][ma]
        for cb, mb, b_tolls in entries[x + 1 :]:
            b = claims[cb][mb]
            if ca == cb or a.citation.article_id == b.citation.article_id or a.text == b.text:
                continue
            if _apart(a.published, b.published) > TOLL_SPAN:
                continue
            # Only sentences with a toll of one kind at other values can differ (the cheap test first).
            if all(b_tolls.get(kind, values) == values for kind, values in a_tolls.items()):
                continue
            for d in toll_differences(a.text, b.text, a.published, b.published):
                by_kind.setdefault(d.toll, []).append(((ca, ma), (cb, mb), d))
    out = []
    for kind in sorted(by_kind):
        found = by_kind[kind]
        value: dict[tuple[int, int], object] = {}
        for i, j, d in found:
            value.setdefault(i, d.first)
            value.setdefault(j, d.second)
        groups: dict[object, list[tuple[int, int]]] = {}
        for key in sorted(value, key=lambda k: (_when(claims[k[0]][k[1]].published), k)):
            groups.setdefault(value[key], []).append(key)
        if len(groups) < 2:
            continue
        relation: ConflictRelation = (
            "update" if all(d.relation == "update" for *_, d in found) else "disagree"
        )
        holding = sorted({c for c, _ in value}, key=lambda c: (-len(claims[c]), c))
        shown = holding[0]
        sides = list(groups.values())
        reference = next(s for s in sides if any(c == shown for c, _ in s))
        stance: Stance = "contradicts" if relation == "disagree" else "updates"
        stances = {key: stance for side in sides if side is not reference for key in side}
        conflict = ClaimConflict("number", relation, tuple(_story_side(claims, side) for side in sides))
        out.append(StoryConflict(shown, conflict, stances))
    return out


def _apart(first: datetime | None, second: datetime | None) -> timedelta:
    """How far apart two reports came out (nothing when either time is unknown)."""
    a, b = utc(first), utc(second)
    return abs(a - b) if a is not None and b is not None else timedelta(0)


def _story_side(claims: Sequence[Sequence[Member]], side: Sequence[tuple[int, int]]) -> ConflictSide:
    members = [claims[c][m] for c, m in side]
    return _side(members, range(len(members)))
