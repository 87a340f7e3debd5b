"""Speaker phrases: the subject before a cue, an inverted speaker after it ("said Sergei Shoigu"), and a
mention taken as a speaker.
"""

from __future__ import annotations

from bisect import bisect_left

from newsfuse.nlp.attribution.document import (
    _after_comma,
    _Doc,
    _is_adverb,
    _is_possessive_at,
    _is_sentence_end,
    _Speaker,
    _Subject,
)
from newsfuse.nlp.attribution.lexicon import (
    _AUX,
    _BOUNDARY_WORDS,
    _CLAUSE_PUNCT,
    _DATE_PREPS,
    _DETERMINERS,
    _LEADING_NOISE,
    _NEGATION,
    _PREPS,
    _PRONOUNS,
    _QUOTE_TOKENS,
    _SETTING_NOUNS,
    _SETTING_PREPS,
    _VERBISH,
)
from newsfuse.types import Mention

# ---------------------------------------------------------------- speaker phrases


def _head_mention(doc: _Doc, a: int, b: int, person: bool) -> Mention | None:
    """The first PERSON (or ORG) mention heading the token segment [a, b): not after a preposition,
    not a possessive modifier ("Trump's spokesman")."""
    if a >= b:
        return None
    seg_start, seg_end = doc.tok_start[a], doc.tok_end[b - 1]
    for m in doc.mentions_in(seg_start, seg_end):
        if person:
            if not doc.is_person(m):
                continue
        elif m.type != "ORG":
            continue
        _, ta = doc.tok_range(seg_start, m.start)
        if any(doc.low[k] in _PREPS for k in range(a, ta)):
            continue
        if _is_possessive_at(doc, m):
            continue
        return m
    return None


def _speaker_from_mention(doc: _Doc, m: Mention, floor: int) -> _Speaker:
    start = m.start
    if m.type == "ORG":
        # "Iran's Foreign Ministry": keep the possessive place or organisation in front of the name.
        ti = bisect_left(doc.tok_start, m.start) - 1
        if ti >= 0 and doc.tok_start[ti] >= floor and doc.low[ti].endswith(("'s", "’s")):
            prev = doc.mentions_in(doc.tok_start[ti], doc.tok_end[ti])
            if prev and prev[0].type in ("PLACE", "ORG"):
                start = doc.tok_start[ti]
    text = doc.text[start : m.end]
    return _Speaker(text, start, m.end)


def _speaker_from_segments(doc: _Doc, segs: list[tuple[int, int]]) -> _Speaker | None:
    """Choose the speaker among comma segments (a subject and its appositive): a PERSON heading one,
    else an ORG, else the first segment as written."""
    for person in (True, False):
        for a, b in segs:
            m = _head_mention(doc, a, b, person)
            if m is not None:
                return _speaker_from_mention(doc, m, doc.tok_start[a])
    a, b = segs[0]
    while a < b and (doc.low[a] in _LEADING_NOISE or not doc.tok[a][:1].isalnum()):
        a += 1
    if a >= b or b - a > 12:
        return None
    if doc.low[a] in _PREPS or any(doc.low[k] in _VERBISH for k in range(a, b)):
        return None  # not a noun phrase
    if doc.tok[b - 1].islower() and (doc.low[b - 1] in _DETERMINERS or doc.low[b - 1] in _PREPS):
        return None  # "Following a"
    participle = doc.low[a].endswith("ing") and (b - a == 1 or doc.low[a + 1] in _DETERMINERS)
    if participle and not doc.mentions_in(doc.tok_start[a], doc.tok_end[a]):
        return None  # "Having", "encouraging the attacks": a participle ("Beijing" is a mention)
    if not any(c.isalpha() for c in doc.text[doc.tok_start[a] : doc.tok_end[b - 1]]):
        return None
    s, e = doc.tok_start[a], doc.tok_end[b - 1]
    return _Speaker(doc.text[s:e], s, e, pronoun=(b - a == 1 and doc.low[a] in _PRONOUNS))


def _subject(doc: _Doc, floor: int, cue: int) -> _Subject | None:
    """The speaker phrase ending at token `cue` (exclusive) and starting no earlier than token `floor`.

    Trims auxiliaries, adverbs and date or setting adverbials from the right ("has", "on Saturday",
    "in a statement"); follows appositives ("A, B, said"); stops at clause words ("that", "which")."""
    i = cue
    while i > floor:
        t, low = doc.tok[i - 1], doc.low[i - 1]
        if low in _NEGATION or low.endswith(("n't", "n’t")):
            return None  # "did not say" is no statement
        if low in _AUX or _is_adverb(t):
            i -= 1
            continue
        date = doc.date_ending_at(doc.tok_end[i - 1], doc.tok_start[floor])
        if date is not None:
            i = min(i - 1, doc.tok_at(date.start))
            if i > floor and doc.low[i - 1] in _DATE_PREPS:
                i -= 1
            continue
        if t == ")":
            j = i - 1
            while j > floor and doc.tok[j - 1] != "(":
                j -= 1
            if j > floor and i - j <= 8:
                i = j - 1
                continue
            return None
        if low in _SETTING_NOUNS:
            j = i - 1
            while j > floor and i - j <= 5 and doc.low[j - 1] not in _SETTING_PREPS:
                j -= 1
            if j > floor + 1 and i - j <= 5:
                i = j - 1
                continue
        break
    if i <= floor:
        return None
    end = i
    appositive = doc.tok[end - 1] == ","
    seg_end = end - 1 if appositive else end
    # Collect comma segments leftwards (several for an appositive) and stop at clause boundaries.
    segs: list[tuple[int, int]] = []
    j = seg_end
    b = seg_end
    stop_comma = False
    who_at = -1
    in_appositive = appositive  # scanning the stretch between the two commas of "A, B, said"
    while True:
        if j <= floor:
            segs.append((j, b))
            break
        t, low = doc.tok[j - 1], doc.low[j - 1]
        if t == ",":
            segs.append((j, b))
            # "A, B, said": after B, collect A, and go on past ages and places ("Wilson, 59, of Ashton,")
            if appositive and (len(segs) == 1 or (len(segs) < 5 and _descriptive(doc, j, b))):
                in_appositive = False
                b = j - 1
                j -= 1
                continue
            stop_comma = True
            break
        if t == ")":
            # "Rep. Jim Jordan (R-Ohio)": step over a short parenthesis
            k = j - 1
            while k > floor and j - k < 8 and doc.tok[k - 1] != "(":
                k -= 1
            if k > floor and doc.tok[k - 1] == "(":
                j = k - 1
                continue
        hard = t in _CLAUSE_PUNCT or t in _QUOTE_TOKENS or _is_sentence_end(doc, j - 1)
        if in_appositive and not hard:
            # an appositive may hold a clause ("who as a Navy captain was ..."): only a comma ends it
            if b - j > 30:
                return None
            j -= 1
            continue
        if hard or low in _BOUNDARY_WORDS:
            if low in ("what", "whom") and not segs:
                return None  # "what X said": the statement is the object, not a clause after the cue
            segs.append((j, b))
            stop_comma = t in _QUOTE_TOKENS and _after_comma(doc, j, floor)  # `... strong," X said`
            break
        if low in ("who", "which"):
            who_at = j - 1
            break
        # "Trump and Abadi said" joins two names; "the economy grew and officials said" joins clauses.
        joins_names = j - 1 > floor and j < b and doc.tok[j - 2][:1].isupper() and doc.tok[j][:1].isupper()
        if low in ("and", "or") and j - 1 > floor and j < b and not joins_names:
            segs.append((j, b))
            break
        if b - j > 25:
            return None
        j -= 1
    segs = [(a, c) for a, c in segs if a < c]
    if who_at >= 0:
        # "Trump, who said ...", "the man who ran the campaign said": the speaker is the antecedent.
        k = who_at - 1
        if k >= floor and doc.tok[k] == ",":
            k -= 1
        if k < floor:
            return None
        ante = _subject_np_ending(doc, floor, k + 1)
        if ante is None:
            return None
        return _Subject(ante[0], ante[1], False)
    if not segs:
        return None
    segs.reverse()  # left to right
    if appositive and len(segs) >= 2:
        # relative clauses, ages and places describe the subject and never name it
        named = [
            (a, c)
            for a, c in segs
            if doc.low[a] not in ("who", "which", "whose", "where") and not _descriptive(doc, a, c)
        ]
        speaker = _speaker_from_segments(doc, named[-2:]) if named else None
    else:
        speaker = _speaker_from_segments(doc, segs[-1:])
    if speaker is None:
        return None
    return _Subject(speaker, segs[0][0], stop_comma)


def _descriptive(doc: _Doc, a: int, b: int) -> bool:
    """A comma segment that only describes someone: an age ("59"), an origin ("of Ashton"), a place."""
    if a >= b:
        return True
    if b - a == 1 and doc.tok[a].isdigit():
        return True
    if doc.low[a] in ("of", "from") and b - a <= 4:
        return True
    places = doc.mentions_in(doc.tok_start[a], doc.tok_end[b - 1])
    return any(
        m.type == "PLACE" and m.start <= doc.tok_start[a] and m.end >= doc.tok_end[b - 1] - 1 for m in places
    )


def _subject_np_ending(doc: _Doc, floor: int, end: int) -> tuple[_Speaker, int] | None:
    """The noun phrase ending at token `end`: back to a comma or clause word."""
    j = end
    while j > floor and end - j < 12:
        t, low = doc.tok[j - 1], doc.low[j - 1]
        if t == "," or t in _CLAUSE_PUNCT or low in _BOUNDARY_WORDS or _is_sentence_end(doc, j - 1):
            break
        j -= 1
    if j >= end:
        return None
    speaker = _speaker_from_segments(doc, [(j, end)])
    return None if speaker is None else (speaker, j)


def _inverted_speaker(doc: _Doc, a: int, limit: int) -> tuple[_Speaker, int] | None:
    """The speaker phrase right after an inverted cue (`," declared Sergei Shoigu.`): returns it and the
    index of the first token after it."""
    j = a
    while j < limit:
        t, low = doc.tok[j], doc.low[j]
        if t in (",", ";", ":", "—", "–", "(") or t in _QUOTE_TOKENS or _is_sentence_end(doc, j):
            break
        if low in _PREPS and low != "of" or low in _BOUNDARY_WORDS or low in ("who", "according", "adding"):
            break
        if t == "." and j + 1 >= limit:
            break
        m = doc.mention_starting_at(doc.tok_start[j])
        if m is not None and m.type == "DATE" and j > a:
            break
        j += 1
    if j <= a or j - a > 12:
        return None
    speaker = _speaker_from_segments(doc, [(a, j)])
    return None if speaker is None else (speaker, j)
