"""The article as the rules see it: tokens, mentions and quote spans with their look-ups, the rules' internal
records, and small token predicates.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsfuse.nlp.attribution.lexicon import (
    ABBREVIATIONS,
    AUX,
    BARE,
    BE,
    BELIEF,
    CHARACTERIZE,
    CUE_STARTS,
    GERUNDS,
    LET,
    LY_NOUNS,
    NEGATION,
    NOUN_MODIFIERS,
    NOUNISH,
    POSSESSIVE_AFTER,
    PREPS,
    PRONOUNS,
    QUOTE_TOKENS,
    TELL,
    THAT,
    TOKEN,
)
from newsfuse.types import Mention


def mentions_within(
    mentions: Sequence[Mention], starts: Sequence[int], start: int, end: int
) -> list[Mention]:
    """The mentions lying wholly inside [start, end); `mentions` sorted by start, `starts` their starts."""
    i = bisect_left(starts, start)
    out = []
    while i < len(mentions) and mentions[i].start < end:
        if mentions[i].end <= end:
            out.append(mentions[i])
        i += 1
    return out


# ---------------------------------------------------------------- internal records


@dataclass(slots=True)
class SpeakerSpan:
    text: str
    start: int
    end: int
    pronoun: bool = False


@dataclass(slots=True)
class Attribution:
    cue: str
    cue_start: int
    cue_end: int
    speaker: SpeakerSpan | None
    via: list[str] = field(default_factory=list)


@dataclass(slots=True)
class QuoteSpan:
    open_start: int  # first character of the opening mark
    content_start: int
    content_end: int
    close_end: int  # one past the closing mark (the paragraph end when unclosed)
    para: int
    closed: bool
    standalone: bool = False
    attribution: Attribution | None = None


@dataclass(slots=True)
class SubjectPhrase:
    speaker: SpeakerSpan
    first_tok: int  # index of the first token of the whole subject phrase
    after_comma: bool  # the phrase is directly preceded by a comma (", the minister said.")


@dataclass(slots=True)
class FoundQuote:
    content_start: int
    content_end: int
    attribution: Attribution | None
    direct: bool


NO_ATTRIBUTION = Attribution("", 0, 0, None)

# ---------------------------------------------------------------- document context


class Doc:
    """The article's text, tokens and mentions, with the look-ups the rules need."""

    def __init__(self, text: str, mentions: Sequence[Mention]):
        self.text = text
        n = len(text)
        found = list(TOKEN.finditer(text))
        self.tok_start: list[int] = list(map(re.Match.start, found))
        self.tok_end: list[int] = list(map(re.Match.end, found))
        self.tok: list[str] = list(map(re.Match.group, found))
        self.low = list(map(str.lower, self.tok))
        # the tokens a cue may start at, sorted (see `next_cue_candidate`)
        self.cue_candidates = [i for i, low in enumerate(self.low) if low in CUE_STARTS]
        valid = [m for m in mentions if 0 <= m.start < m.end <= n]
        self.mentions = sorted(valid, key=lambda m: (m.start, -m.end))
        self.m_start = [m.start for m in self.mentions]
        # The small NER model often labels a bare surname ORG or NORP ("Shamkhani added"): a mention whose
        # text is the surname or whole name of a PERSON mention counts as a person.
        names: set[str] = set()
        for m in self.mentions:
            if m.type == "PERSON":
                clean = _strip_possessive(m.text)
                names.add(clean)
                last = clean.split()[-1] if clean.split() else clean
                names.add(last)
                if "-" in last:  # "al-Shammari" is cited as "Shammari"
                    names.add(last.split("-", 1)[1])
        self.person_names = names
        self.quoted: list[tuple[int, int]] = []  # quote spans (mark to mark), sorted
        self._quoted_starts: list[int] = []
        self.blocked: list[tuple[int, int]] = []  # standalone quotes with their frames, merged
        self._blocked_starts: list[int] = []

    # tokens ----------------------------------------------------------------
    def tok_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [a, b) of the tokens lying inside the characters [start, end)."""
        a = bisect_left(self.tok_start, start)
        b = bisect_left(self.tok_start, end)
        while b > a and self.tok_end[b - 1] > end:
            b -= 1
        return a, b

    def tok_at(self, pos: int) -> int:
        """Index of the token holding character `pos` (or the last one starting before it)."""
        return max(0, bisect_right(self.tok_start, pos) - 1)

    def next_cue_candidate(self, i: int) -> int:
        """The first token from index i on that can start a cue (len(tok) when none)."""
        k = bisect_left(self.cue_candidates, i)
        return self.cue_candidates[k] if k < len(self.cue_candidates) else len(self.tok)

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        self.quoted = sorted(spans)
        self._quoted_starts = [s for s, _ in self.quoted]

    def in_quote(self, pos: int) -> bool:
        i = bisect_right(self._quoted_starts, pos) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def set_blocked(self, spans: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        self.blocked = merged
        self._blocked_starts = [s for s, _ in merged]

    def is_blocked(self, pos: int) -> bool:
        """Inside a standalone quote or its frame, or inside any quote marks."""
        i = bisect_right(self._blocked_starts, pos) - 1
        return (i >= 0 and self.blocked[i][0] <= pos < self.blocked[i][1]) or self.in_quote(pos)

    # mentions --------------------------------------------------------------
    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return mentions_within(self.mentions, self.m_start, start, end)

    def date_ending_at(self, end: int, floor: int) -> Mention | None:
        for m in self.mentions_in(floor, end):
            if m.type == "DATE" and m.end == end:
                return m
        return None

    def mention_starting_at(self, start: int) -> Mention | None:
        i = bisect_left(self.m_start, start)
        if i < len(self.mentions) and self.mentions[i].start == start:
            return self.mentions[i]
        return None

    def is_person(self, m: Mention) -> bool:
        return m.type == "PERSON" or (
            m.label in ("ORG", "NORP") and _strip_possessive(m.text) in self.person_names
        )


def _strip_possessive(s: str) -> str:
    return s[:-2] if s.endswith(("'s", "’s")) else s


# ---------------------------------------------------------------- small predicates


def is_adverb(t: str) -> bool:
    return t.islower() and len(t) > 4 and t.endswith("ly") and t not in LY_NOUNS


def is_sentence_end(doc: Doc, i: int) -> bool:
    """Token i is '.', '!' or '?' that ends a sentence (not the dot of "Mr." or "U.S.")."""
    t = doc.tok[i]
    if t not in (".", "!", "?"):
        return False
    nxt = i + 1
    if nxt < len(doc.tok) and doc.tok_start[nxt] == doc.tok_end[i]:
        return False  # "...?”" is closed by its quote mark; "5.5" is a number
    if t == "." and i > 0:
        prev = doc.low[i - 1]
        if prev in ABBREVIATIONS or "." in prev or (len(prev) == 1 and prev.isalpha()):
            return False
    if nxt >= len(doc.tok):
        return True
    first = doc.tok[nxt][:1]
    return first.isupper() or first.isdigit() or doc.tok[nxt] in QUOTE_TOKENS


def is_possessive_at(doc: Doc, m: Mention) -> bool:
    return m.text.endswith(("'s", "’s")) or doc.text.startswith(POSSESSIVE_AFTER, m.end)


def cue_at(doc: Doc, i: int, limit: int) -> tuple[int, str] | None:
    """The cue starting at token i as (number of tokens, kind), or None.

    kind: "bare", "that", "belief", "characterize", "tell", "according", "quoted", "gerund"
    (see the lexicon groups).
    """
    low = doc.low[i]
    if low == "according":
        if i + 1 < limit and doc.low[i + 1] == "to":
            return 2, "according"
        return None
    if low == "quoted" and i + 2 < limit and doc.low[i + 1] == "as" and doc.low[i + 2] == "saying":
        return 3, "quoted"
    if low in ("pointed", "points", "point") and i + 1 < limit and doc.low[i + 1] == "out":
        return 2, "that"
    if doc.tok[i] != low:  # capitalised: a headline word or a name ("Said"), never a cue here
        return None
    if low in GERUNDS:
        return 1, "gerund"
    if low in TELL:
        kind = "tell"
    elif low in BARE:
        kind = "bare"
    elif low in THAT:
        kind = "that"
    elif low in BELIEF:
        kind = "belief"
    elif low in CHARACTERIZE:
        kind = "characterize"
    else:
        return None
    if i > 0:
        prev = doc.low[i - 1]
        if low in NOUNISH and (prev in NOUN_MODIFIERS or prev.endswith(("'s", "’s")) or prev in PREPS):
            return None  # "the reports", "Trump's claims"
        if low in NOUNISH and not low.endswith("s") and not low.endswith("ed") and low != "thought":
            # a base form ("claim", "remark") is a verb after a plural or a name ("officials claim"),
            # a noun after an adjective ("an improbable remark")
            p = doc.tok[i - 1]
            if not (p[:1].isupper() or prev in PRONOUNS or prev.endswith("s") or prev in AUX):
                return None
        if prev == "to" or prev in NEGATION or prev.endswith(("n't", "n’t")) or prev in LET:
            return None  # "declined to say", "did not say", "let's say"
        if prev in BE and low.endswith(("ed", "told", "said", "wrote", "written", "found", "shown")):
            return None  # passive: "he was told", "it was reported"
    return 1, kind


def comma_before(doc: Doc, k: int, floor: int) -> bool:
    """Token k-1 closes a clause with a comma: `,` or a closing quote mark right after a comma."""
    if k - 1 < floor:
        return False
    if doc.tok[k - 1] == ",":
        return True
    return doc.tok[k - 1] in QUOTE_TOKENS and k - 2 >= floor and doc.tok[k - 2] == ","
