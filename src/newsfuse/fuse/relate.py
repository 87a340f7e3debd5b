"""Step 2 of fusion: how two statements of one fact differ, and whether the difference is an update.

Two aligned sentences differ in a way a reader must be told when they give:

- **numbers**: figures that count the same thing in the same unit (`quantities.same_thing`) with values
  that cannot be one value (`quantities.compatible`: not equal, not a rounding, not a range or bound the
  other respects, not a part or a past value), neither sentence also stating the other's value (a figure
  of another fact) nor its parts, in sentences that share SAME_FIGURE_WORDING of their content stems;
  below that, in any words, only figures of one toll (`quantities.same_toll`: the dead, the injured, the
  arrested ...), within TOLL_RATIO of each other, in sentences not dated to another time (OTHER_TIME);
- **dates**: each one calendar day (from its DATE time expressions), different days, in sentences that
  share SAME_WORDING of their content stems; relative days ("yesterday", "on Thursday") only when both
  were resolved against the same date (else a copy run a day later would disagree with itself);
- **negation**: one sentence negates ("not", "n't", "never", "no", "denied" ...) a word that the other
  states without negation (one of the next two words after the negation, auxiliaries passed), the two
  hold a different number of negations, and they share SAME_WORDING of their content stems (else they
  are two facts). spaCy's `neg` dependency would find the scope better, but the pipeline does not run
  the parser.

A difference is an `update` when the later report came out later and says so in words ("so far", "rose
to", "has risen", "as of"), or, 12 hours or more later, gives a higher count of a thing that grows as a
story develops (the dead, arrests, votes); otherwise it is a `disagree`ment. Dates never update. This is
the one place these rules live: `conflicts` groups the differences of a claim's sentences into sides,
and each sentence's stance follows from its side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from newsfuse.cluster.order import utc
from newsfuse.fuse.quantities import (
    RUNNING_COUNTS,
    Quantity,
    compatible,
    quantities,
    rounding,
    same_thing,
    same_toll,
    stems,
)
from newsfuse.types import ConflictKind, ConflictRelation

# A later report with a higher count of a growing thing updates; sooner than this, two reports disagree.
UPDATE_AFTER = timedelta(hours=12)
# Words by which a report says its figure is the latest of a changing one.
_UPDATE_WORDS = re.compile(
    r"\b(?:so far|to date|as of|rose to|risen to|has risen|have risen|climbed to|jumped to|grew to|increased"
    r" to|up from|now stands|now at|latest|updated|revised|raising the|bringing the(?: total| toll)?|has"
    r" since|death toll (?:rose|climbed|reached))\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|cannot|denied|denies|deny|denying)\b|n['’]t\b",
    re.IGNORECASE,
)
# "The first crash involving fatalities since 1959" says what "no fatalities since 1959" says.
_FIRST_SINCE = re.compile(r"\bfirst\b[^.;]*\bsince\b", re.IGNORECASE)
# Negation words that do not negate what follows.
_NOT_NEGATING = re.compile(
    r"\b(?:not only|not just|no doubt|whether or not|if not|not least|nothing but|no matter|no sooner"
    r"|no longer than|not far from|not until)\b",
    re.IGNORECASE,
)
# A negation reaches at most _SCOPE_WORDS words into its clause, after the auxiliaries (_PASSED).
_SCOPE_END = re.compile(r"[,;:!?()\"“”]|\b(?:but|while|although|whereas|because|though|however)\b", re.I)
_SCOPE_WORDS = 2
_PASSED = frozenset(
    "one was were is are has have had been be being will would could can did do does even".split()
)
# Sentences compared for negation or dates share at least this share of their content stems (Jaccard):
# two sentences of different facts often hold a negation, or a day, each.
SAME_WORDING = 0.4
# Figures are compared between sentences that share at least this share (a looser bar: what the figures
# count must match as well).
SAME_FIGURE_WORDING = 0.3
# A sentence that dates what it tells to another time ("in November 2009", "last week", "in the past 24
# hours") tells of another event or another span: its toll is compared only with a sentence in like words.
OTHER_TIME = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:last|past|previous|next|that) (?:\d+ )?(?:year|week|month|day|hour)s?\b"
    r"|\bago\b|\bsince\b|\bin a single day\b|\bper day\b|\beach day\b|\bdaily\b"
    r"|\b(?:jan|feb|mar|apr|aug|sept?|oct|nov|dec)\.? \d|\b(?:january|february|march|april|june|july"
    r"|august|september|october|november|december) \d",
    re.IGNORECASE,
)
# Figures of one toll compared in other words differ at most this many times over (a toll grows, or
# two counts differ, by a few times, not by orders of magnitude).
TOLL_RATIO = 5.0
# A plain sentence of fewer content stems than this is not compared with the clause of a negation.
RESTATE_MIN_STEMS = 4


@dataclass(frozen=True, slots=True)
class Difference:
    """How the second of two sentences of one fact differs from the first: `kind`, the value each gives
    (`first`, `second`: a figure's (low, high), a date, or whether the words are negated) and the words
    that give it (`first_words`, `second_words`), and whether the later report updates the earlier."""

    kind: ConflictKind
    first: object
    second: object
    first_words: str
    second_words: str
    relation: ConflictRelation
    toll: str = ""  # for a number: the toll kind both figures are of (`quantities.TOLL_KINDS`), or ""


def compare(
    first: str,
    second: str,
    first_published: datetime | None = None,
    second_published: datetime | None = None,
    first_dates: Sequence[tuple[str, str, str]] = (),
    second_dates: Sequence[tuple[str, str, str]] = (),
) -> list[Difference]:
    """The differences between two sentences stating one fact. `*_dates` are the (ISO day, words, anchor
    date or "") of the sentences' time expressions that name a calendar day."""
    found = _number_differences(first, second, first_published, second_published)
    if first_dates and second_dates and _shared_share(first, second) >= SAME_WORDING:
        found += _date_differences(first_dates, second_dates)
    found += _negation_differences(first, second, first_published, second_published)
    return found


def _later(first: datetime | None, second: datetime | None) -> int:
    """-1 when the first report is the later one, 1 when the second is, 0 when unknown or the same."""
    a, b = utc(first), utc(second)
    if a is None or b is None or a == b:
        return 0
    return 1 if b > a else -1


def _gap(first: datetime | None, second: datetime | None) -> timedelta:
    a, b = utc(first), utc(second)
    return abs(b - a) if a is not None and b is not None else timedelta(0)


def _says_update(
    first: str, second: str, first_published: datetime | None, second_published: datetime | None
) -> bool:
    """True when the later of two reports says in words that its figure is the newer."""
    order = _later(first_published, second_published)
    return order != 0 and bool(_UPDATE_WORDS.search(second if order == 1 else first))


def relation(
    kind: ConflictKind,
    first: str,
    second: str,
    first_published: datetime | None,
    second_published: datetime | None,
    grew: bool | None = None,
    counted: frozenset[str] = frozenset(),
) -> ConflictRelation:
    """`update` or `disagree` for a difference of `kind` between two sentences. `grew` says whether the
    later report's figure is the higher; `counted` what the figure counts."""
    order = _later(first_published, second_published)
    if kind == "date" or order == 0:
        return "disagree"
    if _says_update(first, second, first_published, second_published):
        return "update"
    running = bool(counted & RUNNING_COUNTS)
    later_is_higher = grew if order == 1 else (grew is False)
    long_after = _gap(first_published, second_published) >= UPDATE_AFTER
    if kind == "number" and running and later_is_higher and long_after:
        return "update"
    return "disagree"


def _number_differences(
    first: str, second: str, first_published: datetime | None, second_published: datetime | None
) -> list[Difference]:
    mine, theirs = quantities(first), quantities(second)
    if not mine or not theirs:
        return []
    # Below SAME_FIGURE_WORDING only the figures of one toll compare ("killed at least 50" / "At least 59
    # people were killed", `same_toll`): a toll is told in many words, and it is what a developing story
    # changes; other figures of sentences that say different things are two facts ("$82 a share" / "$60
    # in cash").
    tolls_only = _shared_share(first, second) < SAME_FIGURE_WORDING
    if tolls_only and (dated_elsewhere(first) or dated_elsewhere(second)):
        return []
    out = []
    used: set[int] = set()
    for a in mine:
        if not a.counted:
            continue
        partners = [(i, b) for i, b in enumerate(theirs) if i not in used and _comparable(a, b, tolls_only)]
        if not partners or any(a.low <= b.high and b.low <= a.high for _, b in partners):
            continue  # no figure of the same thing, or the same value
        if any(compatible(a, b) for _, b in partners):
            # "at least 20" and "31": one value, unless the later report says its figure is newer.
            i, b = partners[0]
            if _says_update(first, second, first_published, second_published):
                used.add(i)
                out.append(Difference("number", _value(a), _value(b), _words(first, a), _words(second, b),
                                      "update", _toll_of(a, b)))  # fmt: skip
            continue
        # A value the other sentence also gives (of whatever) is a different fact sharing a number; a
        # total the other gives in parts ("4 million doses": 2.5 million and 1.5 million) is one value.
        # Parts of a toll are figures of the same toll ("50 dead" and "400 wounded" add up to no one
        # figure).
        mine_parts, their_parts = _parts(a, mine), _parts(a, theirs)
        if (
            any(_gives(b, a) for b in theirs)
            or _sums_to(a, their_parts)
            or _sums_to_other(a, mine_parts, their_parts)
        ):
            continue
        i, b = max(partners, key=lambda p: len(a.counted & p[1].counted))
        if any(_gives(x, b) for x in mine):
            continue
        used.add(i)
        rel = relation("number", first, second, first_published, second_published, b.value > a.value,
                       a.near | b.near)  # fmt: skip
        out.append(
            Difference(
                "number", _value(a), _value(b), _words(first, a), _words(second, b), rel, _toll_of(a, b)
            )
        )
    return out


@lru_cache(maxsize=50_000)
def dated_elsewhere(text: str) -> bool:
    """Whether a sentence dates what it tells to another time (OTHER_TIME: a year, "last week" ...)."""
    return OTHER_TIME.search(text) is not None


def _comparable(a: Quantity, b: Quantity, tolls_only: bool) -> bool:
    """Whether two figures are of one thing: one toll (in any words, near in size), or, in sentences that
    share SAME_FIGURE_WORDING, also the same thing counted."""
    if tolls_only:
        return same_toll(a, b) and _near_in_size(a, b)
    return same_thing(a, b) or same_toll(a, b)


def _near_in_size(a: Quantity, b: Quantity) -> bool:
    """True when two figures are within TOLL_RATIO of each other: a toll told in other words that is many
    times another ("6,644 deaths" that year, "two" stoned to death) is another toll."""
    low, high = sorted((max(a.value, 1e-9), max(b.value, 1e-9)))
    return high / low <= TOLL_RATIO


def toll_differences(
    first: str, second: str, first_published: datetime | None = None, second_published: datetime | None = None
) -> list[Difference]:
    """The differences of two sentences' figures of one toll (the number differences `compare` finds
    between figures of one toll kind), for sentences of different claims."""
    return [d for d in _number_differences(first, second, first_published, second_published) if d.toll]


def _toll_of(a: Quantity, b: Quantity) -> str:
    return a.toll if same_toll(a, b) else ""


def _parts(total: Quantity, figures: Sequence[Quantity]) -> Sequence[Quantity]:
    """The figures that may be parts of `total`: all of them, or those of its toll kind for a toll."""
    return [q for q in figures if q.toll == total.toll] if total.toll else figures


def _gives(x: Quantity, value: Quantity) -> bool:
    """True when figure `x` states `value` (the same value, a range holding it, or a rounding of it);
    a bound does not: "at least 50 killed" gives no "527 injured"."""
    overlap = x.low <= value.high and value.low <= x.high
    return overlap or abs(x.value - value.value) <= rounding(x, value)


def _sums_to(total: Quantity, parts: Sequence[Quantity]) -> bool:
    """True when the first two or more figures of `parts` in the total's unit add up to it."""
    same = [p.value for p in parts if p.unit == total.unit]
    return any(abs(sum(same[:k]) - total.value) <= total.step / 2 for k in range(2, len(same) + 1))


def _sums_to_other(part: Quantity, mine: Sequence[Quantity], theirs: Sequence[Quantity]) -> bool:
    """True when `part` and another figure of its sentence add up to a figure of the other sentence."""
    return any(
        o is not part
        and o.unit == part.unit
        and any(abs(part.value + o.value - t.value) <= t.step / 2 for t in theirs if t.unit == part.unit)
        for o in mine
    )


def _value(q: Quantity) -> tuple[float, float, str]:
    return (q.low, q.high, q.unit)


def _words(text: str, q: Quantity) -> str:
    return text[q.start : q.end]


def _date_differences(
    first_dates: Sequence[tuple[str, str, str]], second_dates: Sequence[tuple[str, str, str]]
) -> list[Difference]:
    a_days = {d for d, _, _ in first_dates}
    b_days = {d for d, _, _ in second_dates}
    if len(a_days) != 1 or len(b_days) != 1 or a_days == b_days:
        return []
    (a_day, a_words, a_anchor), (b_day, b_words, b_anchor) = first_dates[0], second_dates[0]
    # "Yesterday" in a report and in its copy a day later name different days only because they were
    # resolved against different dates: relative days compare when resolved against the same one.
    if a_anchor != b_anchor:
        return []
    return [Difference("date", a_day, b_day, a_words, b_words, "disagree")]


def _shared_share(first: str, second: str) -> float:
    """The share of the two sentences' content stems they have in common (Jaccard)."""
    a, b = _polarity(first)[2], _polarity(second)[2]
    return len(a & b) / max(len(a | b), 1)


@lru_cache(maxsize=50_000)
def _polarity(text: str) -> tuple[int, frozenset[str], frozenset[str], str]:
    """(negations, the first content stem each negates, all stems, the first negation's words)."""
    cleared = _NOT_NEGATING.sub(lambda m: " " * len(m.group()), text)
    negated: set[str] = set()
    count, first_words = 0, ""
    for cue in _NEGATION.finditer(cleared):
        rest = cleared[cue.end() :]
        if rest[:1] == "-" and rest[1:4].lower() != "one":
            continue  # "not-for-profit", "no-fly": a word of its own ("no-one" is "no one")
        count += 1
        stop = _SCOPE_END.search(rest)
        # What is negated is the next word or the one after, auxiliaries passed ("not had refuelling",
        # "no one was injured", "not a straight road"); "never even made it to the grid" negates no
        # content word that near.
        words = (rest[: stop.start()] if stop else rest).split()
        while words and words[0].lower() in _PASSED:
            words.pop(0)
        negated.update(stems(" ".join(words[:_SCOPE_WORDS])))
        if not first_words:
            first_words = text[cue.start() : cue.end() + (stop.start() if stop else len(rest))].strip()
    return count, frozenset(negated), frozenset(stems(text)), first_words


def is_negated(text: str) -> bool:
    """Whether a sentence holds a negation that negates ("not only", "no doubt" do not)."""
    return _polarity(text)[0] > 0


# A clause's edges, for the clause a negation sits in.
_CLAUSE_EDGE = re.compile(_SCOPE_END.pattern + r"|--|[—–]|\.(?!\d)", re.IGNORECASE)


@lru_cache(maxsize=50_000)
def _negated_clauses(text: str) -> frozenset[str]:
    """The content stems of the clauses that hold a negation ("Russian fighter planes have only used
    Iran's airspace and have not had refueling operations", less the attribution around it)."""
    cleared = _NOT_NEGATING.sub(lambda m: " " * len(m.group()), text)
    found: set[str] = set()
    for cue in _NEGATION.finditer(cleared):
        before = [m.end() for m in _CLAUSE_EDGE.finditer(cleared, 0, cue.start())]
        after = _CLAUSE_EDGE.search(cleared, cue.end())
        found.update(stems(cleared[before[-1] if before else 0 : after.start() if after else len(cleared)]))
    return frozenset(found)


def _restates(negated: str, plain: str) -> bool:
    """The paraphrase bar for a plain statement of what a sentence negates, said in fewer words ("Russian
    planes refuelled in Iran" / "... Russian fighter planes have only used Iran's airspace and have not
    had refueling operations," Shamkhani added): the clause of the negation and the plain sentence share
    SAME_WORDING of their stems. Only when the plain one holds no negation of its own: two facts that each
    carry one need SAME_WORDING of the whole sentences."""
    if _polarity(plain)[0]:
        return False
    clause, words = _negated_clauses(negated), _polarity(plain)[2]
    shared = len(clause & words) / max(len(clause | words), 1)
    return len(words) >= RESTATE_MIN_STEMS and shared >= SAME_WORDING


def _negation_differences(
    first: str, second: str, first_published: datetime | None, second_published: datetime | None
) -> list[Difference]:
    a_count, a_negated, a_stems, a_words = _polarity(first)
    b_count, b_negated, b_stems, b_words = _polarity(second)
    if a_count == b_count:
        return []
    fewer = second if a_count > b_count else first
    if abs(a_count - b_count) == 1 and _FIRST_SINCE.search(fewer):
        return []
    # The word one sentence negates ("have not had refuelling" -> refuel) and the other states plainly.
    flipped = (a_negated - b_negated) & b_stems if a_count > b_count else (b_negated - a_negated) & a_stems
    if not flipped:
        return []
    # Only sentences that say nearly the same thing: two paraphrases of different facts often hold a
    # negation each way ("did not appear to be attacking" / "decided the boy was in danger").
    negated, plain = (first, second) if a_count > b_count else (second, first)
    if _shared_share(first, second) < SAME_WORDING and not _restates(negated, plain):
        return []
    rel = relation("negation", first, second, first_published, second_published)
    return [
        Difference("negation", a_count > b_count, b_count > a_count, a_words or first, b_words or second, rel)
    ]


# Figures as the details count them (years and all): a detail's facts, not a comparison.
_FIGURE_WORDS = {
    w: str(i)
    for i, w in enumerate("zero _ two three four five six seven eight nine ten eleven twelve".split())
    if w != "_"
}
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_FIGURE_WORDS) + r")\b", re.IGNORECASE)


def figures(text: str) -> frozenset[str]:
    """The numbers a sentence states, normalised ("1,500" -> "1500", "three" -> "3")."""
    found = set()
    for match in _FIGURE.finditer(text):
        token = match.group(0).lower()
        found.add(_FIGURE_WORDS.get(token, token.replace(",", "")))
    return frozenset(found)
