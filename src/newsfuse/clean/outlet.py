"""Reading the publisher off the text when the record does not name it.

Two kinds of evidence count: a subscription offer that names the publisher ("Newsweek magazine delivered
to your door"), and a wire dateline opening the story ("WASHINGTON (Reuters) -"). A photo credit does
not: outlets run other agencies' photos, so a credit says who took the picture, not who published.
"""

from __future__ import annotations

import re

from newsfuse.clean.agencies import canonical_agency

_PUB = r"(?P<pub>(?:The\s)?[A-Z][\w&'’.-]*(?:\s[A-Z][\w&'’.-]*){0,3})"
_OFFERS = (
    re.compile(
        _PUB + r"\s(?:(?:magazine|newspaper|paper|print edition|weekly)\s)?(?:is\s)?delivered to your"
    ),
    re.compile(r"(?i:subscribe to|unlimited (?:digital )?access to)\s" + _PUB),
)
_PRODUCTS = frozenset(
    (
        "updates",
        "newsletter",
        "newsletters",
        "alerts",
        "podcasts",
        "premium",
        "plus",
        "today",
        "now",
        "access",
    )
)

_NOT_WIRES = frozenset(
    ("update", "updated", "correction", "corrected", "file", "photo", "video", "opinion", "analysis")
)
_WIRE = r"\((?P<wire>[A-Z][\w&.'’ -]{0,40}?)\)"
# "(Reuters) - Broadcom ...", "(CNN) In a major show ..."
_DATELINE_BARE = re.compile(r"^" + _WIRE + r"\s*(?:[-–—]{1,2}\s*)?\S")
# "WASHINGTON (Reuters) -", "SEOUL/WASHINGTON (Reuters) -", "ERIMO, Japan, Oct 19 (Reuters) -",
# "NAPA COUNTY, Calif. (KGO) --": a place in capitals, an optional region or date, the wire, a dash.
_PLACE = r"[A-Z][A-Z.'’ -]*[A-Z.]"
_DATELINE_PLACE = re.compile(
    rf"^{_PLACE}(?:\s?/\s?{_PLACE})*(?:,\s[^()\n]{{1,40}}?)?\s{_WIRE}\s*[-–—]{{1,2}}"
)


def outlet_from_offer(promo_lines: list[str]) -> str | None:
    """The publisher a removed subscription/promo block names, or None."""
    for line in promo_lines:
        for pattern in _OFFERS:
            m = pattern.search(line)
            if m:
                names = m.group("pub").rstrip(".").removesuffix("’s").removesuffix("'s").split()
                # "Subscribe to Newsweek Premium": the product's name is not the publisher's.
                while names and names[-1].casefold() in _PRODUCTS:
                    names.pop()
                if names:
                    return " ".join(names)
    return None


def outlet_from_dateline(first_paragraph: str) -> str | None:
    """The wire service of a dateline opening the first paragraph ("WASHINGTON (Reuters) -" -> "Reuters")."""
    m = _DATELINE_BARE.match(first_paragraph) or _DATELINE_PLACE.match(first_paragraph)
    if m is None:
        return None
    wire = " ".join(m.group("wire").split())
    # "(Updated) ...", "(Adds quotes) ..." open stories too; a wire's name is a few capitalised words.
    names = wire.split()
    if wire.casefold() in _NOT_WIRES or len(names) > 4 or not all(w[0].isupper() for w in names):
        return None
    return canonical_agency(wire) or wire
