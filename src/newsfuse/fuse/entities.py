"""One canonical name per entity within a story.

Mentions of one type are grouped by a normalised key. People are grouped by surname, and two full names
with one surname are one person when their first names are spelling variants (Sergey/Sergei Lavrov); a
surname alone ("Lavrov") joins the person with that surname. The canonical name is the most frequent
well-formed full form ("Bashar al-Assad" over one outlet's "Bashar-al Assad"); the other forms become
aliases.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher

from newsfuse.types import Annotated, Citation, Entity, Mention

_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|sir|president|prime minister|minister|gen|general|sen|senator|rep|gov|governor)"
    r"\.?\s+)+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")
_ORG_SUFFIX = re.compile(r"\s+(?:news agency|news|agency|inc|corp|ltd|co)\.?$", re.IGNORECASE)


def normalise_name(text: str) -> str:
    """A mention as a name: no leading title, article or trailing possessive; single spaces."""
    name = " ".join(text.split())
    name = _POSSESSIVE.sub("", name)
    name = _TITLES.sub("", name)
    if name.lower().startswith("the "):
        name = name[4:]
    # A trailing full stop belongs to abbreviations ("U.S."), so only other punctuation is trimmed.
    return name.strip(" ,;:")


# A particle glued to the wrong word ("Bashar-al Assad"), a doubled or stray hyphen, or a lowercase word
# that is no name particle: one outlet's misspelling, not the canonical form.
_MISPLACED_PARTICLE = re.compile(r"[-‐](?:al|el|ad|as|ash|bin|ibn)\b(?![-‐])", re.IGNORECASE)
_NAME_PARTICLES = frozenset("von der van den de del da di du la le al el bin ibn of the and".split())


def _well_formed(name: str) -> bool:
    """Whether a spelling looks like a name as an editor writes it (see the patterns above)."""
    if _MISPLACED_PARTICLE.search(name) or "--" in name or any(c.isdigit() for c in name):
        return False
    words = name.replace("-", " ").split()
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES or not w[:1].isalpha() for w in words)


def _surname(name: str) -> str:
    last = name.split()[-1].lower()
    # Arabic names are written with or without the article: al-Abadi / Abadi.
    return re.sub(r"^(?:al|el|ad|as|ash)-", "", last)


def _same_first_name(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or (a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= 0.75)


def _person_groups(names: Counter[str]) -> dict[str, str]:
    """Map each person name to the key of its group."""
    full = sorted((n for n in names if len(n.split()) > 1), key=lambda n: (-names[n], n))
    key_of: dict[str, str] = {}
    by_surname: dict[str, list[str]] = defaultdict(list)
    for name in full:
        first = name.split()[0]
        for leader in by_surname[_surname(name)]:
            if _same_first_name(first, leader.split()[0]):
                key_of[name] = key_of[leader]
                break
        else:
            key_of[name] = name
            by_surname[_surname(name)].append(name)
    for name in names:
        if name in key_of:
            continue
        leaders = by_surname.get(_surname(name), [])
        # A lone surname joins a full name only when exactly one person in the story carries it.
        key_of[name] = key_of[leaders[0]] if len(leaders) == 1 else name
    return key_of


_NAME_TYPES = ("PERSON", "ORG", "PLACE")


def _settle_types(by_type: dict[str, list[tuple[str, str, Mention]]]) -> None:
    """Give every name one type within the story (in place).

    The small NER model labels one name differently from sentence to sentence: a lone surname ORG
    ("Abadi", "Trump"), a company PERSON ("Tesla"). A single word that is the surname of a full person
    name in the story is that person; any other name takes the type most of its mentions have.
    """
    full_people = {name for _, name, _ in by_type.get("PERSON", []) if len(name.split()) > 1}
    surnames = {_surname(n) for n in full_people}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for etype in _NAME_TYPES:
        for _, name, _ in by_type.get(etype, []):
            votes[name][etype] += 1

    def settled(name: str, etype: str) -> str:
        if len(name.split()) == 1 and name.lower() in surnames:
            return "PERSON"
        counts = votes[name]
        best = max(counts.values())
        return etype if counts[etype] == best else min(t for t, n in counts.items() if n == best)

    regrouped: dict[str, list[tuple[str, str, Mention]]] = defaultdict(list)
    for etype in _NAME_TYPES:
        for entry in by_type.get(etype, []):
            regrouped[settled(entry[1], etype)].append(entry)
    for etype in _NAME_TYPES:
        by_type[etype] = regrouped.get(etype, [])


# A one-word "person" the model labels in "the Hamadan base" is the place the noun after it names.
_PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:air\s+)?(?:base|airbase|airport|province|city|county|region|district|port|border|crossing)\b",
    re.IGNORECASE,
)


def _mention_type(mention: Mention, name: str, text: str, outlets: set[str]) -> str:
    """The mention's type, corrected where the story shows better: an outlet that statements travelled
    through is an organisation ("Rudaw"), a one-word name before "base" a place ("Hamadan")."""
    if mention.type != "PERSON":
        return mention.type
    if name.lower() in outlets:
        return "ORG"
    if len(name.split()) == 1 and _PLACE_NOUN_AFTER.match(text, mention.end):
        return "PLACE"
    return mention.type


def canonical_entities(annotated: Sequence[Annotated]) -> list[Entity]:
    """The story's entities, most mentioned first, each with its aliases and every mention cited."""
    outlets = {o.lower() for item in annotated for q in item.quotes for o in q.via}
    outlets |= {item.article.outlet.lower() for item in annotated if item.article.outlet}
    by_type: dict[str, list[tuple[str, str, Mention]]] = defaultdict(list)
    for item in annotated:
        for mention in item.mentions:
            if mention.type not in _NAME_TYPES:
                continue  # DATE mentions of annotations stored before dates became time expressions
            name = normalise_name(mention.text)
            if name:
                etype = _mention_type(mention, name, item.article.text, outlets)
                by_type[etype].append((item.article.id, name, mention))

    _settle_types(by_type)
    entities: list[Entity] = []
    for etype, found in by_type.items():
        names = Counter(name for _, name, _ in found)
        if etype == "PERSON":
            key_of = _person_groups(names)
        elif etype == "ORG":
            key_of = {n: _ORG_SUFFIX.sub("", n).lower() for n in names}
        else:
            key_of = {n: n.lower() for n in names}
        groups: dict[str, list[tuple[str, str, Mention]]] = defaultdict(list)
        for entry in found:
            groups[key_of[entry[1]]].append(entry)
        for members in groups.values():
            forms = Counter(name for _, name, _ in members)
            canonical = max(forms, key=lambda n: (len(n.split()) > 1, _well_formed(n), forms[n], len(n), n))
            mentions = tuple(
                Citation(article_id, m.start, m.end)
                for article_id, _, m in sorted(members, key=lambda e: (e[0], e[2].start))
            )
            aliases = tuple(sorted(f for f in forms if f != canonical))
            entities.append(Entity(canonical, etype, aliases, mentions))
    entities.sort(key=lambda e: (-len(e.mentions), e.type, e.name))
    return entities
