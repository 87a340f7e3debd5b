"""What follows a cue: the person or outlet addressed ("told Fars"), "according to" chains of outlets, and
trailing phrases.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.nlp.attribution.document import Doc, is_adverb, is_sentence_end
from newsfuse.nlp.attribution.lexicon import (
    ABBREVIATIONS,
    AUX,
    BOUNDARY_WORDS,
    DATE_PREPS,
    DETERMINERS,
    NOT_OUTLETS,
    OBJECT_CUES,
    OBJECT_PRONOUNS,
    OUTLET_WORDS,
    PREPS,
    PRONOUNS,
    QUOTE_TOKENS,
    SETTING_NOUNS,
    SETTING_PREPS,
    VERBISH,
)

# ---------------------------------------------------------------- what follows a cue


@dataclass(slots=True)
class _After:
    next_tok: int  # first token after recipient, adverbials, via phrases and "that"
    via: list[str]
    has_that: bool  # "that" or ":" introduced what follows


def np_until(doc: Doc, a: int, limit: int, max_len: int = 10) -> int:
    """End (exclusive) of a short noun phrase starting at token a: stops at punctuation or clause words."""
    j = a
    while j < limit and j - a < max_len:
        t, low = doc.tok[j], doc.low[j]
        if t in (",", ";", ":", "—", "–", "(", ")", "?", "!") or t in QUOTE_TOKENS:
            break
        if t == "." and (j == a or doc.low[j - 1] not in ABBREVIATIONS and "." not in doc.low[j - 1]):
            break
        if j > a and (low in BOUNDARY_WORDS or low in PREPS and low != "of" or low in ("who", "according")):
            break
        j += 1
    return j


def outlet_name(doc: Doc, a: int, b: int) -> str | None:
    """The outlet a recipient or according-to phrase names, or None when it names no outlet."""
    if a >= b:
        return None
    lows = doc.low[a:b]
    if any(w in NOT_OUTLETS for w in lows) and not any(w in OUTLET_WORDS for w in lows):
        return None
    s, e = doc.tok_start[a], doc.tok_end[b - 1]
    orgs = [m for m in doc.mentions_in(s, e) if m.type == "ORG"]
    if orgs:
        return orgs[-1].text
    if not any(w in OUTLET_WORDS for w in lows):
        return None
    # "the semi-official news agency Fars": the capitalised name after the descriptive noun.
    nouns = [k for k in range(a, b) if doc.low[k] in OUTLET_WORDS and doc.tok[k].islower()]
    if nouns and nouns[-1] < b - 1 and all(doc.tok[k][:1].isupper() for k in range(nouns[-1] + 1, b)):
        return doc.text[doc.tok_start[nouns[-1] + 1] : e]
    while a < b and doc.low[a] in ("the", "a", "an"):
        a += 1
    return doc.text[doc.tok_start[a] : e] if a < b else None


def after_cue(doc: Doc, k: int, limit: int, cue_low: str) -> _After:
    """Skip what sits between a cue and its content: recipient of "told" or "asked", dates, adverbs,
    settings ("in an interview with CNN"), "according to X" and "that"."""
    via: list[str] = []
    if cue_low in OBJECT_CUES and k < limit:
        m = doc.mention_starting_at(doc.tok_start[k])
        if m is not None and m.type != "DATE":
            _, r_end = doc.tok_range(m.start, m.end)
            # the name may run on: "Fars News" when only "Fars" was tagged
            while r_end < limit and doc.tok[r_end][:1].isupper() and doc.low[r_end] in OUTLET_WORDS:
                r_end += 1
        elif doc.low[k] in OBJECT_PRONOUNS:
            r_end = k + 1
        else:
            r_end = k
            while r_end < limit and r_end - k < 7:
                t, low = doc.tok[r_end], doc.low[r_end]
                if t in (",", ";", ":", "—", "(", ")") or t in QUOTE_TOKENS or is_sentence_end(doc, r_end):
                    break
                if t == "." and r_end + 1 >= limit:
                    break
                if low in PRONOUNS or low in BOUNDARY_WORDS or low in PREPS and low != "of":
                    break
                if r_end > k and low in DETERMINERS:
                    break  # "told reporters the plan ..."
                m = doc.mention_starting_at(doc.tok_start[r_end])
                if m is not None and m.type == "DATE":
                    break
                r_end += 1
        name = outlet_name(doc, k, r_end)
        if name:
            via.append(name)
        k = r_end
    has_that = False
    while k < limit:
        t, low = doc.tok[k], doc.low[k]
        if low in AUX and low not in VERBISH or is_adverb(t):
            k += 1  # "said then that", "said repeatedly"
            continue
        m = doc.mention_starting_at(doc.tok_start[k])
        if m is None and low in DATE_PREPS and k + 1 < limit:
            m2 = doc.mention_starting_at(doc.tok_start[k + 1])
            if m2 is not None and m2.type == "DATE":
                m = m2
        if m is not None and m.type == "DATE":
            k = max(k + 1, doc.tok_at(m.end - 1) + 1)
            continue
        if low in ("in", "at") and k + 1 < limit:
            # "says in Ohio that", "at a campaign stop in Toledo, Ohio, that"
            place = doc.mention_starting_at(doc.tok_start[k + 1])
            if place is not None and place.type == "PLACE":
                k = max(k + 1, doc.tok_at(place.end - 1) + 1)
                continue
        if t == "," and k + 1 < limit:
            nxt = doc.mention_starting_at(doc.tok_start[k + 1])
            if doc.low[k + 1] == "that" or nxt is not None and nxt.type == "PLACE":
                k += 1  # "at a campaign stop in Toledo, Ohio, that"
                continue
        if (low in SETTING_PREPS or low == "to") and k + 1 < limit:
            # "in a statement", "on Twitter", "at a news conference (with X)", "to reporters"
            j = k + 1
            while j < limit and j - k <= 5 and doc.low[j] not in SETTING_NOUNS and doc.tok[j] not in ",.":
                j += 1
            if j < limit and doc.low[j] in SETTING_NOUNS and j - k <= 5:
                k = j + 1
                if k + 1 < limit and doc.low[k] in ("with", "to", "on"):
                    e = np_until(doc, k + 1, limit)
                    name = outlet_name(doc, k + 1, e)
                    if name:
                        via.append(name)
                        k = e
                continue
            if low == "to" and doc.low[k + 1] in NOT_OUTLETS | {"the"}:
                e = np_until(doc, k + 1, limit, 4)
                name = outlet_name(doc, k + 1, e)
                if name:
                    via.append(name)
                k = e
                continue
        if t == "," and k + 2 < limit and doc.low[k + 1] == "according" and doc.low[k + 2] == "to":
            k = _according_source(doc, k + 3, limit, via)
            continue
        if low == "of" and k + 1 < limit:
            # "said of Mrs. Clinton's plan.", "says of Clinton, “...”"
            e = np_until(doc, k + 1, limit, 6)
            if e > k + 1 and (e >= limit or doc.tok[e] in (",", ":", ".") or doc.tok[e] in QUOTE_TOKENS):
                k = e
                continue
        if low == "that" or t == ":":
            has_that = True
            k += 1
        break
    return _After(k, via, has_that)


def _according_source(doc: Doc, k: int, limit: int, via: list[str]) -> int:
    """Read the source after "according to" (token k on): append its name to `via`, return its end."""
    e = np_until(doc, k, limit)
    name = outlet_name(doc, k, e) or plain_phrase(doc, k, e)
    if name:
        via.append(name)
    return e


def plain_phrase(doc: Doc, a: int, b: int) -> str | None:
    while a < b and doc.low[a] in ("the", "a", "an"):
        a += 1
    if a >= b:
        return None
    return doc.text[doc.tok_start[a] : doc.tok_end[b - 1]]


def only_trailers(doc: Doc, k: int, limit: int) -> tuple[bool, list[str]]:
    """Whether tokens [k, limit) hold nothing but closing punctuation and via phrases."""
    via: list[str] = []
    while k < limit:
        t, low = doc.tok[k], doc.low[k]
        if t in (".", ",", "!", "?", ";") or t in QUOTE_TOKENS:
            k += 1
            continue
        if low == "according" and k + 1 < limit and doc.low[k + 1] == "to":
            k = _according_source(doc, k + 2, limit, via)
            continue
        return False, via
    return True, via
