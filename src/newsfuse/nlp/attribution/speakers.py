"""The speaker step: what each quote's speaker span is, and who it names within its article.

Frames (rules or tagger) give the speaker span as written. This step adds, beside it, its kind (name,
role, pronoun, organisation, unnamed), the name it resolves to in the article and the evidence, and drops
speakers that are a place or a date (a frame that took "In Tehran" or "On Sunday" for its subject). The
story-level step (`newsfuse.fuse.speakers`) resolves roles across articles.

"he" and "she" take the nearest person before them whose gender does not disagree: a person's gender is
that of an honorific before any of their mentions in the article ("Mrs. Clinton"), else that of their
first name in gender-guesser's name dictionary (a file inside that package, read once per process),
else unknown, which agrees with both.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from newsfuse.nlp.attribution.document import mentions_within
from newsfuse.types import Mention, Quote, Sentence

PRONOUNS = frozenset("he she they we i you it him her them us me".split())
# he and she are resolved to the nearest person of their gender; "they", "we", "it" name a group or
# thing, left open.
PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
_HONORIFIC = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Mme|Sir|Dame|Lady|Lord|Madam|King|Queen|Prince|Princess)\.?\s+$", re.IGNORECASE
)
_HONORIFIC_GENDER = {
    **dict.fromkeys(("mr", "sir", "lord", "king", "prince"), "male"),
    **dict.fromkeys(("mrs", "ms", "miss", "mme", "dame", "lady", "madam", "queen", "princess"), "female"),
}
_UNNAMED_HEADS = frozenset(
    """official officials source sources aide aides people person experts expert analysts analyst critics
    critic residents resident witnesses witness observers insiders insider diplomats diplomat staffers
    staffer advisers adviser advisors advisor authorities investigators investigator lawmakers lawmaker
    activists activist someone others many some several supporters opponents members member voters
    officers officer employees employee reports scientists researchers democrats republicans leaders
    those others sources""".split()
)
_INDEFINITE = frozenset("a an one some several two three many other another most few senior both all".split())
_OUTLET_WORDS = frozenset(
    """agency newspaper paper channel network broadcaster outlet magazine website news station wire
    television tv radio daily times post journal""".split()
)
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_WORD = re.compile(r"[^\W_]+(?:[’'\-.][^\W_]+)*")
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|as|ash)-")


def _clean(name: str) -> str:
    return _POSSESSIVE.sub("", " ".join(name.split())).strip(" ,;:")


@lru_cache(maxsize=1)
def _name_dictionary() -> Any:
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=1 << 14)
def first_name_gender(first: str) -> str | None:
    """The gender the name dictionary gives a first name, "male" or "female"; None for a name it marks
    "mostly" one ("Terry", "Jamie"), both or neither, which then agrees with either pronoun."""
    found = _name_dictionary().get_gender(first)
    return found if found in ("male", "female") else None


class SpeakerContext:
    """The article's mentions with the look-ups resolution needs."""

    def __init__(self, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]):
        self.text = text
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]
        self.sentence_starts = frozenset(s.start for s in sentences)
        people = [_clean(m.text) for m in self.mentions if m.type == "PERSON"]
        full = [p for p in people if len(p.split()) > 1]
        # surname -> the full names carrying it, most mentioned first
        self.full_names: dict[str, list[str]] = {}
        for p in sorted(set(full), key=lambda p: (-full.count(p), p)):
            last = p.split()[-1].lower()
            self.full_names.setdefault(last, []).append(p)
            if _ARTICLE_PREFIX.match(last):  # "al-Shammari" is cited as "Shammari"
                self.full_names.setdefault(_ARTICLE_PREFIX.sub("", last), []).append(p)
        # a person's honorific anywhere in the article ("Mrs. Clinton") gives the gender of the name
        self.honorific_gender: dict[str, str] = {}
        for m in self.mentions:
            if m.type == "PERSON":
                h = _HONORIFIC.search(text, max(0, m.start - 12), m.start)
                if h is not None:
                    name = self.full_name(_clean(m.text))[0]
                    self.honorific_gender.setdefault(name, _HONORIFIC_GENDER[h.group(1).lower()])

    def gender(self, full_name: str) -> str | None:
        """ "male", "female" or None (unknown) for a person's name in the article."""
        if full_name in self.honorific_gender:
            return self.honorific_gender[full_name]
        words = full_name.split()
        if len(words) < 2:
            return None
        title = words[0].rstrip(".").lower()  # "Mr. Trump" as one mention
        return _HONORIFIC_GENDER.get(title) or first_name_gender(words[0])

    def inside(self, start: int, end: int) -> list[Mention]:
        return mentions_within(self.mentions, self.starts, start, end)

    def trusted_person(self, m: Mention) -> bool:
        """A PERSON mention that is a person: a single word opening a sentence ("Flags will fly ...") is
        one only when it is the surname of a full name in the article."""
        name = _clean(m.text)
        if m.type != "PERSON" and not (m.label in ("ORG", "NORP") and name.lower() in self.full_names):
            return False
        if len(name.split()) == 1 and m.start in self.sentence_starts:
            return name.lower() in self.full_names
        return True

    def full_name(self, name: str) -> tuple[str, str]:
        """The article's full name for a person name, and how it was found."""
        if len(name.split()) > 1:
            return name, "as written"
        fulls = self.full_names.get(name.lower(), [])
        if len(fulls) == 1:
            return fulls[0], f"surname of {fulls[0]}"
        return name, "as written"


def speaker_kind(text: str, start: int, end: int, ctx: SpeakerContext) -> str | None:
    """The kind of a speaker span, or None for a place or a date (not a speaker)."""
    words = _WORD.findall(text.lower())
    if not words:
        return None
    written = text.strip()
    if len(words) == 1 and words[0] in PRONOUNS and not (len(written) > 1 and written.isupper()):
        return "pronoun"  # "US" and "IT" are no pronouns
    inside = ctx.inside(start, end)
    # the head of an English noun phrase comes last: "Iran's Foreign Ministry" is the ministry
    head = next((m for m in inside if m.end >= end - 2), None)
    if head is not None and head.type == "ORG" and not ctx.trusted_person(head):
        return "organisation"
    if head is not None and ctx.trusted_person(head):
        return "name"
    lead = _DETERMINER.sub("", text).strip()
    lead_start = end - len(lead) - (len(text) - len(text.rstrip()))
    first = next((m for m in inside if m.start <= lead_start + 1), None)
    if first is not None:
        covered = _clean(first.text) == _clean(lead)
        if first.type in ("DATE",) or (first.type == "PLACE" and covered):
            return None
        if ctx.trusted_person(first) or (first.type == "PERSON" and not covered):
            return "name"
        if first.type == "ORG":
            return "organisation"
    if any(m.type == "PERSON" and ctx.trusted_person(m) for m in inside) and "," in text:
        return "name"  # "the minister, Hossein Dehghan"
    if any(w in _OUTLET_WORDS for w in words[-2:]):
        return "organisation"
    if words[-1] in _UNNAMED_HEADS or words[0] in _INDEFINITE:
        return "unnamed"
    if lead[:1].isupper() and not any(m.type in ("PLACE", "DATE") for m in inside) and len(words) <= 4:
        # capitalised words the model did not label: an organisation or a name ("Clinton's campaign")
        return "organisation" if len(words) > 1 else "name"
    if inside and all(m.type in ("PLACE", "DATE") for m in inside) and len(words) <= len(inside) + 1:
        return None
    return "role"


def _nearest_person(
    ctx: SpeakerContext, before: int, quoted: Sequence[tuple[int, int]], gender: str
) -> tuple[str, str] | None:
    """The full name of the nearest person mentioned before `before` (outside direct quotes) whose
    gender does not disagree with `gender`, and how it was found."""
    skipped: list[str] = []
    i = bisect_left(ctx.starts, before) - 1
    while i >= 0:
        m = ctx.mentions[i]
        if m.end <= before and ctx.trusted_person(m) and not any(a <= m.start < b for a, b in quoted):
            name, how = ctx.full_name(_clean(m.text))
            found = ctx.gender(name)
            if found is None or found == gender:
                passed = (
                    f" of the pronoun's gender (not {', '.join(dict.fromkeys(skipped))})" if skipped else ""
                )
                return name, "nearest person" + passed + ("" if how == "as written" else f", {how}")
            skipped.append(name)
        i -= 1
    return None


def resolve(q: Quote, ctx: SpeakerContext, quoted: Sequence[tuple[int, int]]) -> Quote | None:
    """The quote with its speaker's kind, name and evidence added; a place or date speaker removed."""
    if q.speaker is None or q.speaker_start is None or q.speaker_end is None:
        return q
    kind = speaker_kind(q.speaker, q.speaker_start, q.speaker_end, ctx)
    if kind is None:
        return replace(q, speaker=None, speaker_start=None, speaker_end=None)
    name: str | None = None
    how = ""
    if kind == "pronoun":
        gender = PRONOUN_GENDER.get(q.speaker.lower())
        if gender is not None:
            found = _nearest_person(ctx, min(q.speaker_start, q.content_start), quoted, gender)
            if found is not None:
                name, how = found
        if name is None:
            how = "unresolved pronoun"
    elif kind == "name":
        people = [m for m in ctx.inside(q.speaker_start, q.speaker_end) if ctx.trusted_person(m)]
        written = _clean(people[0].text) if people else _clean(_DETERMINER.sub("", q.speaker))
        name, how = ctx.full_name(written)
    elif kind == "organisation":
        orgs = [m for m in ctx.inside(q.speaker_start, q.speaker_end) if m.type == "ORG"]
        name = _clean(_DETERMINER.sub("", orgs[0].text if orgs else q.speaker))
        how = "as written"
    elif kind == "role":
        how = "role description"
    else:
        how = "unnamed"
    return replace(q, speaker_kind=kind, speaker_name=name, speaker_how=how)


def resolve_speakers(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], quotes: Sequence[Quote]
) -> list[Quote]:
    """Every quote with its speaker resolved within the article (see `resolve`)."""
    ctx = SpeakerContext(text, sentences, mentions)
    quoted = sorted((q.content_start, q.content_end) for q in quotes if q.direct)
    out = []
    for q in quotes:
        r = resolve(q, ctx, quoted)
        if r is not None:
            out.append(r)
    return out
