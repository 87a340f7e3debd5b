"""Step 2 of fusion: how each supporting sentence stands to its claim.

A sentence that states the claim's fact agrees with it. This step holds the minimal rule the contract
needs: a sentence whose figures differ from the claim's, or whose polarity is the opposite ("allowed" and
"not allowed"), never agrees; it contradicts, or, when its article was published later than the claim's
first one by half a day or more, it updates it (the same fact reported later with a new value). The
conflicts issue refines this.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from newsfuse.cluster.order import utc
from newsfuse.types import Stance

# "one" is left out: "no one", "one of them" state no figure.
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate("zero _ two three four five six seven eight nine ten eleven twelve".split())
    if w != "_"
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|without|denied|denies|deny|refused|refuses)\b|n['’]t\b",
    re.IGNORECASE,
)
# A later report with another figure updates the claim; two reports within this of each other disagree.
UPDATE_AFTER = timedelta(hours=12)


def figures(text: str) -> frozenset[str]:
    """The numbers a sentence states, normalised ("1,500" -> "1500", "three" -> "3")."""
    found = set()
    for match in _NUMBER.finditer(text):
        token = match.group(0).lower()
        found.add(_NUMBER_WORDS.get(token, token.replace(",", "")))
    return frozenset(found)


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def differs(claim_text: str, text: str) -> bool:
    """True when `text` gives another figure than the claim (each states one the other lacks) or the
    opposite polarity."""
    return other_figure(claim_text, text) or negated(claim_text) != negated(text)


def other_figure(claim_text: str, text: str) -> bool:
    """True when each of the two states a figure the other lacks."""
    mine, theirs = figures(claim_text), figures(text)
    return bool(mine and theirs and mine - theirs and theirs - mine)


def stance(
    claim_text: str, text: str, claim_published: datetime | None, published: datetime | None
) -> Stance:
    """How a sentence (`text`, published at `published`) stands to the claim it supports."""
    if not differs(claim_text, text):
        return "agrees"
    first, later = utc(claim_published), utc(published)
    if (
        first is not None
        and later is not None
        and later - first >= UPDATE_AFTER
        and other_figure(claim_text, text)
    ):
        return "updates"
    return "contradicts"
