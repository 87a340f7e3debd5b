"""What follows a cue: the person or outlet addressed ("told Fars"), "according to" chains of outlets, and
trailing phrases.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.nlp.attribution.document import _Doc, _is_adverb, _is_sentence_end
from newsfuse.nlp.attribution.lexicon import (
    _ABBREVIATIONS,
    _AUX,
    _BOUNDARY_WORDS,
    _DATE_PREPS,
    _DETERMINERS,
    _NOT_OUTLETS,
    _OBJECT_CUES,
    _OBJECT_PRONOUNS,
    _OUTLET_WORDS,
    _PREPS,
    _PRONOUNS,
    _QUOTE_TOKENS,
    _SETTING_NOUNS,
    _SETTING_PREPS,
    _VERBISH,
)

# ---------------------------------------------------------------- what follows a cue


@dataclass(slots=True)
class _After:
    next_tok: int  # first token after recipient, adverbials, via phrases and "that"
    via: list[str]
    has_that: bool  # "that" or ":" introduced what follows


def _np_until(doc: _Doc, a: int, limit: int, max_len: int = 10) -> int:
    """End (exclusive) of a short noun phrase starting at token a: stops at punctuation or clause words."""
    j = a
    while j < limit and j - a < max_len:
        t, low = doc.tok[j], doc.low[j]
        if t in (",", ";", ":", "—", "–", "(", ")", "?", "!") or t in _QUOTE_TOKENS:
            break
        if t == "." and (j == a or doc.low[j - 1] not in _ABBREVIATIONS and "." not in doc.low[j - 1]):
            break
        if j > a and (low in _BOUNDARY_WORDS or low in _PREPS and low != "of" or low in ("who", "according")):
            break
        j += 1
    return j


def _outlet_name(doc: _Doc, a: int, b: int) -> str | None:
    """The outlet a recipient or according-to phrase names, or None when it names no outlet."""
    if a >= b:
        return None
    lows = doc.low[a:b]
    if any(w in _NOT_OUTLETS for w in lows) and not any(w in _OUTLET_WORDS for w in lows):
        return None
    s, e = doc.tok_start[a], doc.tok_end[b - 1]
    orgs = [m for m in doc.mentions_in(s, e) if m.type == "ORG"]
    if orgs:
        return orgs[-1].text
    if not any(w in _OUTLET_WORDS for w in lows):
        return None
    # "the semi-official news agency Fars": the capitalised name after the descriptive noun.
    nouns = [k for k in range(a, b) if doc.low[k] in _OUTLET_WORDS and doc.tok[k].islower()]
    if nouns and nouns[-1] < b - 1 and all(doc.tok[k][:1].isupper() for k in range(nouns[-1] + 1, b)):
        return doc.text[doc.tok_start[nouns[-1] + 1] : e]
    while a < b and doc.low[a] in ("the", "a", "an"):
        a += 1
    return doc.text[doc.tok_start[a] : e] if a < b else None


def _after_cue(doc: _Doc, k: int, limit: int, cue_low: str) -> _After:
    """Skip what sits between a cue and its content: recipient of "told" or "asked", dates, adverbs,
    settings ("in an interview with CNN"), "according to X" and "that"."""
    via: list[str] = []
    if cue_low in _OBJECT_CUES and k < limit:
        m = doc.mention_starting_at(doc.tok_start[k])
        if m is not None and m.type != "DATE":
            _, r_end = doc.tok_range(m.start, m.end)
            # the name may run on: "Fars News" when only "Fars" was tagged
            while r_end < limit and doc.tok[r_end][:1].isupper() and doc.low[r_end] in _OUTLET_WORDS:
                r_end += 1
        elif doc.low[k] in _OBJECT_PRONOUNS:
            r_end = k + 1
        else:
            r_end = k
            while r_end < limit and r_end - k < 7:
                t, low = doc.tok[r_end], doc.low[r_end]
                if t in (",", ";", ":", "—", "(", ")") or t in _QUOTE_TOKENS or _is_sentence_end(doc, r_end):
                    break
                if t == "." and r_end + 1 >= limit:
                    break
                if low in _PRONOUNS or low in _BOUNDARY_WORDS or low in _PREPS and low != "of":
                    break
                if r_end > k and low in _DETERMINERS:
                    break  # "told reporters the plan ..."
                m = doc.mention_starting_at(doc.tok_start[r_end])
                if m is not None and m.type == "DATE":
                    break
                r_end += 1
        name = _outlet_name(doc, k, r_end)
        if name:
            via.append(name)
        k = r_end
    has_that = False
    while k < limit:
        t, low = doc.tok[k], doc.low[k]
        if low in _AUX and low not in _VERBISH or _is_adverb(t):
            k += 1  # "said then that", "said repeatedly"
            continue
        m = doc.mention_starting_at(doc.tok_start[k])
        if m is None and low in _DATE_PREPS and k + 1 < limit:
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
        if (low in _SETTING_PREPS or low == "to") and k + 1 < limit:
            # "in a statement", "on Twitter", "at a news conference (with X)", "to reporters"
            j = k + 1
            while j < limit and j - k <= 5 and doc.low[j] not in _SETTING_NOUNS and doc.tok[j] not in ",.":
                j += 1
            if j < limit and doc.low[j] in _SETTING_NOUNS and j - k <= 5:
                k = j + 1
                if k + 1 < limit and doc.low[k] in ("with", "to", "on"):
                    e = _np_until(doc, k + 1, limit)
                    name = _outlet_name(doc, k + 1, e)
                    if name:
                        via.append(name)
                        k = e
                continue
            if low == "to" and doc.low[k + 1] in _NOT_OUTLETS | {"the"}:
                e = _np_until(doc, k + 1, limit, 4)
                name = _outlet_name(doc, k + 1, e)
                if name:
                    via.append(name)
                k = e
                continue
        if t == "," and k + 2 < limit and doc.low[k + 1] == "according" and doc.low[k + 2] == "to":
            k = _according_source(doc, k + 3, limit, via)
            continue
        if low == "of" and k + 1 < limit:
            # "said of Mrs. Clinton's plan.", "says of Clinton, “...”"
            e = _np_until(doc, k + 1, limit, 6)
            if e > k + 1 and (e >= limit or doc.tok[e] in (",", ":", ".") or doc.tok[e] in _QUOTE_TOKENS):
                k = e
                continue
        if low == "that" or t == ":":
            has_that = True
            k += 1
        break
    return _After(k, via, has_that)


def _according_source(doc: _Doc, k: int, limit: int, via: list[str]) -> int:
    """Read the source after "according to" (token k on): append its name to `via`, return its end."""
    e = _np_until(doc, k, limit)
    name = _outlet_name(doc, k, e) or _plain_phrase(doc, k, e)
    if name:
        via.append(name)
    return e


def _plain_phrase(doc: _Doc, a: int, b: int) -> str | None:
    while a < b and doc.low[a] in ("the", "a", "an"):
        a += 1
    if a >= b:
        return None
    return doc.text[doc.tok_start[a] : doc.tok_end[b - 1]]


def _only_trailers(doc: _Doc, k: int, limit: int) -> tuple[bool, list[str]]:
    """Whether tokens [k, limit) hold nothing but closing punctuation and via phrases."""
    via: list[str] = []
    while k < limit:
        t, low = doc.tok[k], doc.low[k]
        if t in (".", ",", "!", "?", ";") or t in _QUOTE_TOKENS:
            k += 1
            continue
        if low == "according" and k + 1 < limit and doc.low[k + 1] == "to":
            k = _according_source(doc, k + 2, limit, via)
            continue
        return False, via
    return True, via
