"""Speaker phrases: the subject before a cue, an inverted speaker after it ("said Sergei Shoigu"), and a
mention taken as a speaker.
"""

from __future__ import annotations

from bisect import bisect_left

from newsfuse.nlp.attribution.document import (
    Doc,
    SpeakerSpan,
    SubjectPhrase,
    comma_before,
    is_adverb,
    is_possessive_at,
    is_sentence_end,
)
from newsfuse.nlp.attribution.lexicon import (
    AUX,
    BOUNDARY_WORDS,
    CLAUSE_PUNCT,
    DATE_PREPS,
    DETERMINERS,
    LEADING_NOISE,
    NEGATION,
    PREPS,
    PRONOUNS,
    QUOTE_TOKENS,
    SETTING_NOUNS,
    SETTING_PREPS,
    VERBISH,
)
from newsfuse.types import Mention

# ---------------------------------------------------------------- speaker phrases


def head_mention(doc: Doc, a: int, b: int, person: bool) -> Mention | None:
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
        if any(doc.low[k] in PREPS for k in range(a, ta)):
            continue
        if is_possessive_at(doc, m):
            continue
        return m
    return None


def speaker_from_mention(doc: Doc, m: Mention, floor: int) -> SpeakerSpan:
    start = m.start
    if m.type == "ORG":
        # "Iran's Foreign Ministry": keep the possessive place or organisation in front of the name.
        ti = bisect_left(doc.tok_start, m.start) - 1
        if ti >= 0 and doc.tok_start[ti] >= floor and doc.low[ti].endswith(("'s", "’s")):
            prev = doc.mentions_in(doc.tok_start[ti], doc.tok_end[ti])
            if prev and prev[0].type in ("PLACE", "ORG"):
                start = doc.tok_start[ti]
    text = doc.text[start : m.end]
    return SpeakerSpan(text, start, m.end)


def speaker_from_segments(doc: Doc, segs: list[tuple[int, int]]) -> SpeakerSpan | None:
    """Choose the speaker among comma segments (a subject and its appositive): a PERSON heading one,
    else an ORG, else the first segment as written."""
    for person in (True, False):
        for a, b in segs:
            m = head_mention(doc, a, b, person)
            if m is not None:
                return speaker_from_mention(doc, m, doc.tok_start[a])
    a, b = segs[0]
    while a < b and (doc.low[a] in LEADING_NOISE or not doc.tok[a][:1].isalnum()):
        a += 1
    if a >= b or b - a > 12:
        return None
    if doc.low[a] in PREPS or any(doc.low[k] in VERBISH for k in range(a, b)):
        return None  # not a noun phrase
    if doc.tok[b - 1].islower() and (doc.low[b - 1] in DETERMINERS or doc.low[b - 1] in PREPS):
        return None  # "Following a"
    participle = doc.low[a].endswith("ing") and (b - a == 1 or doc.low[a + 1] in DETERMINERS)
    if participle and not doc.mentions_in(doc.tok_start[a], doc.tok_end[a]):
        return None  # "Having", "encouraging the attacks": a participle ("Beijing" is a mention)
    if not any(c.isalpha() for c in doc.text[doc.tok_start[a] : doc.tok_end[b - 1]]):
        return None
    s, e = doc.tok_start[a], doc.tok_end[b - 1]
    return SpeakerSpan(doc.text[s:e], s, e, pronoun=(b - a == 1 and doc.low[a] in PRONOUNS))


def subject_before(doc: Doc, floor: int, cue: int) -> SubjectPhrase | None:
    """The speaker phrase ending at token `cue` (exclusive) and starting no earlier than token `floor`.

    Trims auxiliaries, adverbs and date or setting adverbials from the right ("has", "on Saturday",
    "in a statement"); follows appositives ("A, B, said"); stops at clause words ("that", "which")."""
    i = cue
    while i > floor:
        t, low = doc.tok[i - 1], doc.low[i - 1]
        if low in NEGATION or low.endswith(("n't", "n’t")):
            return None  # "did not say" is no statement
        if low in AUX or is_adverb(t):
            i -= 1
            continue
        date = doc.date_ending_at(doc.tok_end[i - 1], doc.tok_start[floor])
        if date is not None:
            i = min(i - 1, doc.tok_at(date.start))
            if i > floor and doc.low[i - 1] in DATE_PREPS:
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
        if low in SETTING_NOUNS:
            j = i - 1
            while j > floor and i - j <= 5 and doc.low[j - 1] not in SETTING_PREPS:
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
        hard = t in CLAUSE_PUNCT or t in QUOTE_TOKENS or is_sentence_end(doc, j - 1)
        if in_appositive and not hard:
            # an appositive may hold a clause ("who as a Navy captain was ..."): only a comma ends it
            if b - j > 30:
                return None
            j -= 1
            continue
        if hard or low in BOUNDARY_WORDS:
            if low in ("what", "whom") and not segs:
                return None  # "what X said": the statement is the object, not a clause after the cue
            segs.append((j, b))
            stop_comma = t in QUOTE_TOKENS and comma_before(doc, j, floor)  # `... strong," X said`
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
        return SubjectPhrase(ante[0], ante[1], False)
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
        speaker = speaker_from_segments(doc, named[-2:]) if named else None
    else:
        speaker = speaker_from_segments(doc, segs[-1:])
    if speaker is None:
        return None
    return SubjectPhrase(speaker, segs[0][0], stop_comma)


def _descriptive(doc: Doc, a: int, b: int) -> bool:
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


def _subject_np_ending(doc: Doc, floor: int, end: int) -> tuple[SpeakerSpan, int] | None:
    """The noun phrase ending at token `end`: back to a comma or clause word."""
    j = end
    while j > floor and end - j < 12:
        t, low = doc.tok[j - 1], doc.low[j - 1]
        if t == "," or t in CLAUSE_PUNCT or low in BOUNDARY_WORDS or is_sentence_end(doc, j - 1):
            break
        j -= 1
    if j >= end:
        return None
    speaker = speaker_from_segments(doc, [(j, end)])
    return None if speaker is None else (speaker, j)


def inverted_speaker_at(doc: Doc, a: int, limit: int) -> tuple[SpeakerSpan, int] | None:
    """The speaker phrase right after an inverted cue (`," declared Sergei Shoigu.`): returns it and the
    index of the first token after it."""
    j = a
    while j < limit:
        t, low = doc.tok[j], doc.low[j]
        if t in (",", ";", ":", "—", "–", "(") or t in QUOTE_TOKENS or is_sentence_end(doc, j):
            break
        if low in PREPS and low != "of" or low in BOUNDARY_WORDS or low in ("who", "according", "adding"):
            break
        if t == "." and j + 1 >= limit:
            break
        m = doc.mention_starting_at(doc.tok_start[j])
        if m is not None and m.type == "DATE" and j > a:
            break
        j += 1
    if j <= a or j - a > 12:
        return None
    speaker = speaker_from_segments(doc, [(a, j)])
    return None if speaker is None else (speaker, j)
