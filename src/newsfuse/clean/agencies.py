"""News and photo agencies: the names captions credit, and the one name each is reported under."""

from __future__ import annotations

import re

# alias -> canonical name. Aliases are matched case-sensitively inside captions (so "AP" and "PA" are
# the agencies, not the letters in a word) and case-insensitively on lines that hold nothing else.
_CANONICAL: dict[str, str] = {}
for _canonical, _aliases in {
    "The Associated Press": ("The Associated Press", "Associated Press", "AP", "AP Photo", "AP PHOTO"),
    "Reuters": ("Reuters", "REUTERS", "Thomson Reuters"),
    "AFP": ("AFP", "AFP PHOTO", "AFP Photo", "Agence France-Presse", "Agence France Presse"),
    "Getty Images": ("Getty Images", "GETTY IMAGES", "Getty", "GETTY"),
    "EPA": ("EPA", "EPA-EFE"),
    "PA": ("PA", "PA Images", "PA Wire", "PA Media"),
    "EFE": ("EFE",),
    "Xinhua": ("Xinhua", "XINHUA"),
    "Bloomberg": ("Bloomberg",),
    "dpa": ("dpa", "DPA"),
    "AAP": ("AAP",),
    "UPI": ("UPI",),
    "Shutterstock": ("Shutterstock", "REX/Shutterstock", "Rex Features", "REX"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "TASS": ("TASS",),
    "ANSA": ("ANSA",),
    "Anadolu Agency": ("Anadolu Agency", "Anadolu"),
    "KCNA": ("KCNA",),
    "Landov": ("Landov",),
    "Alamy": ("Alamy",),
    "SWNS": ("SWNS",),
    "WireImage": ("WireImage",),
    "NurPhoto": ("NurPhoto",),
    "SIPA": ("SIPA", "Sipa USA"),
    "IANS": ("IANS",),
    "PTI": ("PTI",),
}.items():
    for _alias in _aliases:
        _CANONICAL[_alias] = _canonical

_FOLDED = {alias.casefold(): name for alias, name in _CANONICAL.items()}

# Longest first, so "Getty Images" wins over "Getty" and "The Associated Press" over "Associated Press".
AGENCY = "(?:" + "|".join(re.escape(a) for a in sorted(_CANONICAL, key=len, reverse=True)) + ")"
_AGENCY_WORD = re.compile(r"(?<![\w-])" + AGENCY + r"(?![\w-])")


def agencies_in(segment: str) -> list[str]:
    """The canonical names of the agencies a credit segment names, in order ("Alastair Grant/AP" -> AP)."""
    return [_CANONICAL[m.group(0)] for m in _AGENCY_WORD.finditer(segment)]


def canonical_agency(name: str) -> str | None:
    """The canonical name for an agency alias in any case ("afp" -> "AFP"); None when not an agency."""
    return _FOLDED.get(" ".join(name.split()).casefold())
