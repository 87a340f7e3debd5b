"""Authors: the people an article credits, from a record's list, a page's metadata or a byline.

Sources write one author field in many shapes ("By JANE DOE and John Roe, Associated Press", "Jane Doe;
John Roe", ["Jane Doe", "John Roe"]); this turns each into a list of names. What is not a person's name is
left out: an agency or outlet named beside a person (it is credited as the author only when no person is),
a job title, a date or a handle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsfuse.clean.registry import outlet_from_name

_BY = re.compile(r"^(?:written |reported |words |story )?by[:\s]\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:;|\||,|\band\b|&|\bwith\b|\n)\s*", re.IGNORECASE)
# A name is two to five words, each capitalised or a particle ("de", "van", "al-").
_NAME_TOKEN = re.compile(
    r"(?:[A-Z][\w'’.-]*|(?:al|el|ul|bin|ibn|abu)-[A-Z][\w'’.-]*|[A-Z]\.|de|da|del|der|di|du|la|le|van|von|bin|ibn|al|el|y)$"
)
# A byline often runs into the date after it ("Joshua Sokol May 4, 2017" reaches us as "Joshua Sokol May").
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb mar"
    " apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday"
    " updated published posted".split()
)
_INITIAL = re.compile(r"^[A-Z]$")
_NOT_NAMES = frozenset(
    "staff writer reporter correspondent editor contributor news agency wire desk team staff"
    " senior political chief associate bureau columnist updated published follow author".split()
)


def parse_authors(value: object) -> tuple[str, ...]:
    """The names in an author field: a string, or a list of strings, in order and without repeats."""
    pieces: Iterable[object] = value if isinstance(value, (list, tuple)) else (value,)
    names: list[str] = []
    for piece in pieces:
        if not isinstance(piece, str):
            continue
        for name in _names_in(piece):
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return tuple(names)


def _names_in(text: str) -> list[str]:
    text = _BY.sub("", " ".join(text.split()))
    names, outlets = [], []
    for chunk in _SEPARATORS.split(text):
        chunk = _without_date(_BY.sub("", chunk.strip(" .:-–—")))
        if _is_name(chunk):
            names.append(_with_initials(_recase(chunk)))
        elif (outlet := outlet_from_name(chunk)) is not None:
            outlets.append(outlet)
    # "By Jane Doe, Associated Press" credits Jane Doe; a byline of only "Associated Press" credits the wire.
    return names or outlets


def _without_date(chunk: str) -> str:
    tokens = chunk.split()
    while len(tokens) > 2 and tokens[-1].casefold().strip(".,") in _DATE_WORDS:
        tokens.pop()
    return " ".join(tokens)


def _with_initials(name: str) -> str:
    """ "Nelson D Schwartz" -> "Nelson D. Schwartz": a middle initial is written with its point."""
    tokens = name.split()
    return " ".join(
        f"{t}." if 0 < i < len(tokens) - 1 and _INITIAL.match(t) else t for i, t in enumerate(tokens)
    )


def _is_name(chunk: str) -> bool:
    tokens = chunk.split()
    if not 2 <= len(tokens) <= 5 or any(ch.isdigit() or ch in "@/#" for ch in chunk):
        return False
    if outlet_from_name(chunk) is not None:
        return False
    if any(t.casefold().strip(".") in _NOT_NAMES for t in tokens):
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens)


def _recase(name: str) -> str:
    """ "JANE DOE" -> "Jane Doe"; names in mixed case stay as written ("Ronan McGreevy")."""
    if name.isupper():
        return " ".join(t.capitalize() if len(t) > 1 and not t.endswith(".") else t for t in name.split())
    return name
