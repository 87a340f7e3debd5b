"""Speakers as references across a story: each quote's speaker keeps its words and span as written, and
gains the canonical entity it names in the story and the evidence for it.

In-article resolution (kind, pronoun to nearest person, surname to full name) is done by the speaker step
of attribution (`newsfuse.nlp.attribution.speakers`). Here names are mapped to the story's canonical
entities, and a role description ("the secretary general of Iran's national security council") joins the
person whose descriptor in any article of the story matches it ("Ali Shamkhani, secretary of Iran's
National Security Council").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.fuse.entities import normalise_name
from newsfuse.fuse.timeline import date_of
from newsfuse.types import Annotated, Entity, Quote, SpeakerRef, StoryQuote

_WORD = re.compile(r"[^\W\d_]+")
_STOP = frozenset("the a an of and for in on at to with by from its his her their s who which that".split())
# A descriptor matches a role when it holds this share of the role's words, and at least two of them.
MIN_DESCRIPTOR_SHARE = 0.6
_APPOSITIVE_END = re.compile(r"[,;:()\n—–]|\s(?:said|says|told|on|who|has|had|was|is)\s")


def descriptor_words(text: str) -> frozenset[str]:
    out = set()
    for w in _WORD.findall(text.lower().replace("’s", "").replace("'s", "")):
        if w not in _STOP:
            out.add(w)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A description of a person in one article: "secretary of Iran's National Security Council"."""

    person: str  # the canonical name
    text: str
    words: frozenset[str]
    outlet: str


def _descriptors(items: Sequence[Annotated], canonical: dict[str, str]) -> list[Descriptor]:
    """Appositives after a person's name ("Ali Shamkhani, secretary of ...,") and titles before it
    ("Defense Minister Hossein Dehghan") in every article of the story."""
    out = []
    for item in items:
        text = item.article.text
        outlet = item.article.outlet or item.article.id
        for m in item.mentions:
            if m.type != "PERSON":
                continue
            person = canonical.get(normalise_name(m.text))
            if person is None:
                continue
            after = text[m.end : m.end + 160]
            if after.startswith(", "):
                end = _APPOSITIVE_END.search(after, 2)
                phrase = after[2 : end.start() if end else len(after)].strip()
                if 1 < len(phrase.split()) <= 12:
                    out.append(Descriptor(person, phrase, descriptor_words(phrase), outlet))
            line_start = text.rfind("\n", 0, m.start) + 1
            before = text[max(line_start, m.start - 80) : m.start].split()
            title = []
            for w in reversed(before):
                if not w[:1].isupper() or w.endswith((",", ".", ":", ";")):
                    break
                title.append(w)
            if len(title) >= 2:
                phrase = " ".join(reversed(title))
                out.append(Descriptor(person, phrase, descriptor_words(phrase), outlet))
    return out


def _head(role: str) -> str | None:
    """The role's first content word, its head noun in "secretary general of ..." or "the president of"."""
    for w in _WORD.findall(role.lower()):
        if w not in _STOP:
            return w
    return None


def match_role(role: str, descriptors: Sequence[Descriptor]) -> Descriptor | None:
    words = descriptor_words(role)
    head = _head(role)
    best: tuple[float, int, Descriptor] | None = None
    for d in descriptors:
        shared = len(words & d.words)
        if shared < 2 or shared < MIN_DESCRIPTOR_SHARE * len(words) or head not in d.words:
            continue
        key = (shared / len(words | d.words), shared, d)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _canonical_names(entities: Sequence[Entity]) -> dict[str, str]:
    """Every person or organisation alias and canonical name -> the canonical name."""
    names: dict[str, str] = {}
    for entity in entities:
        if entity.type in ("PERSON", "ORG"):
            for form in (entity.name, *entity.aliases):
                names.setdefault(form, entity.name)
    return names


def _speaker(q: Quote, names: dict[str, str], descriptors: Sequence[Descriptor]) -> SpeakerRef | None:
    if q.speaker is None or q.speaker_start is None or q.speaker_end is None:
        return None
    kind = q.speaker_kind or "name"  # annotations stored before the speaker step had names only
    name = q.speaker_name if q.speaker_kind else normalise_name(q.speaker)
    how = q.speaker_how or "as written"
    if name is not None:
        canonical = names.get(normalise_name(name))
        if canonical is not None and canonical != name:
            how = f"{how}; canonical name of {name}"
            name = canonical
    elif kind == "role":
        d = match_role(q.speaker, descriptors)
        if d is not None:
            name, how = d.person, f"descriptor match: {d.text!r} ({d.outlet})"
    return SpeakerRef(q.speaker, kind, q.speaker_start, q.speaker_end, name, how)


def _extent(quote: Quote) -> tuple[int, int]:
    """From the first to the last character of a quote's speaker, cue and content."""
    starts = [quote.content_start, quote.cue_start] + (
        [quote.speaker_start] if quote.speaker_start is not None else []
    )
    ends = [quote.content_end, quote.cue_end] + ([quote.speaker_end] if quote.speaker_end is not None else [])
    return min(starts), max(ends)


def story_quotes(items: Sequence[Annotated], entities: Sequence[Entity]) -> list[StoryQuote]:
    """Every quote of the story's articles with its speaker as a reference and its whole outlet chain."""
    canonical = {form: e.name for e in entities if e.type == "PERSON" for form in (e.name, *e.aliases)}
    names = _canonical_names(entities)
    descriptors = _descriptors(items, canonical)
    out = []
    for item in items:
        text = item.article.text
        for q in item.quotes:
            out.append(
                StoryQuote(
                    speaker=_speaker(q, names, descriptors),
                    cue=q.cue,
                    text=text[q.content_start : q.content_end],
                    article_id=item.article.id,
                    start=q.content_start,
                    end=q.content_end,
                    direct=q.direct,
                    # The whole chain: to Fars, reported by Rudaw, in Breitbart.
                    via=q.via + ((item.article.outlet,) if item.article.outlet else ()),
                    # The whole attribution, "Shamkhani on Saturday told Fars: ...", dates it.
                    date=date_of(item, *_extent(q)),
                )
            )
    return out
