"""Quotes and attributions, found by rule from sentence spans and named-entity mentions.

`extract_quotes(text, sentences, mentions)` returns `Quote` records for

* direct quotes in “...”, "...", ‘‘...’’, ``...'' or ''...'' with the frame that attributes them
  (`"...," Shamkhani added.`, `," declared Sergei Shoigu.`, `X told Fars: "..."`), and unframed quotes
  that continue a speaker quoted earlier in the paragraph;
* reported speech without quote marks: `X said (that) ...`, `..., X said.`, `..., said X.`,
  `..., according to X.`, `According to X, ...`, `..., adding that ...`, and characterisations that
  carry a partial quote (`Trump called the senator a "nasty guy"`).

It works on characters and a light tokenisation only (no parser or tagger), so a 600-word article
takes about a millisecond. Everything here is heuristic: see the evaluation in
`newsfuse.evaluate.attribution` for how often it is right.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsfuse.types import Mention, Quote, Sentence

__all__ = ["CUE_FORMS", "extract_quotes"]


def _set(words: str) -> frozenset[str]:
    """A set of space-separated words (lexicons are written as plain text)."""
    return frozenset(words.split())


# ---------------------------------------------------------------- lexicon

# Reporting verbs, every inflection written out (no stemmer: "said" and "told" are irregular anyway).
# Group 1: a reported clause may follow without "that" ("X said Iraq won't ...").
_BARE_VERBS = """
say says said
tell tells told
claim claims claimed
argue argues argued
insist insists insisted
contend contends contended
predict predicts predicted
"""
# Group 2: speech verbs that frame quotes freely but introduce unquoted content only with "that" or ":",
# because their bare object is usually a noun phrase ("confirmed the report", "added 200 jobs").
_THAT_VERBS = """
add adds added
declare declares declared
note notes noted
state states stated
announce announces announced
warn warns warned
explain explains explained
write writes wrote written
report reports reported
confirm confirms confirmed
deny denies denied
acknowledge acknowledges acknowledged
concede concedes conceded
stress stresses stressed
emphasize emphasizes emphasized emphasise emphasises emphasised
urge urges urged
ask asks asked
reply replies replied
respond responds responded
suggest suggests suggested
allege alleges alleged
assert asserts asserted
admit admits admitted
recall recalls recalled
remark remarks remarked
comment comments commented
observe observes observed
tweet tweets tweeted
testify testifies testified
conclude concludes concluded
counter counters countered
retort retorts retorted
boast boasts boasted
complain complains complained
answer answers answered
maintain maintains maintained
reiterate reiterates reiterated
mention mentions mentioned
reveal reveals revealed
disclose discloses disclosed
caution cautions cautioned
indicate indicates indicated
proclaim proclaims proclaimed
quip quips quipped
joke jokes joked
continue continues continued
promise promises promised
pledge pledges pledged
vow vows vowed
"""
# Group 3: belief and evidence ("Obama believes that ...", "a study found that ..."): "that" required,
# never a quote frame on their own.
_BELIEF_VERBS = """
believe believes believed
think thinks thought
find finds found
show shows showed shown
"""


# Group 4: verbs that characterise in someone's own quoted words ("Trump called the senator a
# "nasty guy"", "described the incident as a "terrible situation""): cues only when a quote follows.
_CHARACTERIZE_VERBS = """
call calls called
describe describes described
dub dubs dubbed
label labels labeled labelled
brand brands branded
term terms termed
blast blasts blasted
criticize criticizes criticized criticise criticises criticised
attack attacks attacked
praise praises praised
laud lauds lauded
slam slams slammed
mock mocks mocked
accuse accuses accused
hail hails hailed
"""


_BARE = _set(_BARE_VERBS)
_THAT = _set(_THAT_VERBS)
_BELIEF = _set(_BELIEF_VERBS)
_CHARACTERIZE = _set(_CHARACTERIZE_VERBS)
_TELL = frozenset({"tell", "tells", "told", "telling"})
# Cues followed by the person or outlet addressed ("told Fars", "asked reporters").
_OBJECT_CUES = _TELL | frozenset(
    {"ask", "asks", "asked", "urge", "urges", "urged", "warn", "warns", "warned"}
)
# Gerunds are cues only after a comma (", saying that ...") or in "quoted as saying".
_GERUNDS = frozenset({"saying", "adding", "telling", "noting", "arguing", "warning", "insisting", "claiming"})

#: Every single-word cue form recognised, for reference and tests.
CUE_FORMS: frozenset[str] = _BARE | _THAT | _BELIEF | _CHARACTERIZE | _GERUNDS

# Forms that are also common nouns ("the reports", "a claim"): not a verb after a determiner.
_NOUNISH = _set(
    "report reports claim claims note notes state states comment comments tweet tweets answer answers "
    "promise promises pledge pledges vow vows remark remarks reply replies mention mentions find finds "
    "show shows thought warning caution counter call calls attack attacks praise label labels brand brands "
    "term terms blast blasts slam slams hail mock"
)
_DETERMINERS = _set(
    "the a an this that these those his her its their our my your some any no every each another other such"
)
# Words before a noun-verb form that make it the noun: "media reports", "news reports".
_NOUN_MODIFIERS = _DETERMINERS | _set(
    "media news press new recent false following latest public official initial earlier final"
)
_AUX = _set(
    "has have had is was were are be been being will would could can may might must should shall did does "
    "do 's also then again later earlier previously recently once first still even further too now already "
    "just reportedly repeatedly publicly privately initially subsequently frequently often always never "
    "separately similarly today yesterday tonight ago"
)
_BE = _set("is was were are be been being 's")
_LET = frozenset({"let", "let's", "let’s", "lets"})
_DATE_PREPS = _set("on in at during since by last early late this")
_SETTING_PREPS = _set("in at on during via through")
# Words that make a would-be speaker phrase a clause ("Its first ad could start this week").
_VERBISH = _BE | _set("has have had will would could can may might must should shall did does do")
_NEGATION = frozenset({"not", "never", "n't", "didn't", "doesn't", "don't", "wasn't", "hasn't", "haven't"})
# Lowercase words in -ly that are nouns, not adverbs.
_LY_NOUNS = _set("ally family assembly supply rally bully monopoly reply daily weekly july italy")
_PREPS = _set(
    "of for to at in on with from by about against under over near like including than between among "
    "behind within without into toward towards after before during via through across per"
)
# Words that end a subject phrase scanning leftwards from the cue.
_BOUNDARY_WORDS = _set(
    "that which when while after before because since as if though although whereas where whether but "
    "so what how why whom whose until unless once than then said says told"
)
_CLAUSE_PUNCT = frozenset(
    {";", ":", "—", "–", "-", "--", "(", ")", "[", "]", "?", "!", '"', "“", "”", "``", "''"}
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "there"})
_RESOLVED_PRONOUNS = frozenset({"he", "she"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "us", "me", "you", "it"})
_LEADING_NOISE = _set(
    "and but or so yet also however meanwhile now still then thus furthermore moreover instead later "
    "earlier finally indeed besides"
)
# Nouns naming where or how something was said: "in a statement", "on Twitter", "at a news conference".
_SETTING_NOUNS = _set(
    "statement statements interview interviews speech speeches tweet tweets post posts letter letters "
    "release conference briefing rally rallies hearing op-ed email video broadcast appearance remarks "
    "twitter facebook instagram television tv radio podcast debate address call memo report filing "
    "testimony session meeting event message website site blog page account program programme show "
    "column editorial stop forum summit convention ceremony roundtable lecture luncheon dinner"
)
# Words that make a told/according-to phrase a media outlet rather than people in a room.
_OUTLET_WORDS = _set(
    "agency tv television radio newspaper paper daily channel network broadcaster outlet magazine website "
    "news station wire times post journal telegraph guardian herald tribune gazette reuters ap afp "
    "bloomberg cnn bbc msnbc nbc cbs abc fox npr pbs politico axios tass interfax xinhua irna isna fars "
    "tasnim rudaw press al-jazeera aljazeera al-arabiya sana yonhap kyodo ria"
)
_NOT_OUTLETS = _set(
    "reporters journalists lawmakers supporters officials aides colleagues voters members audience crowd "
    "him her them us me you people"
)
_ABBREVIATIONS = _set(
    "mr mrs ms dr st jr sr sen rep gov gen lt col sgt capt prof rev gens sens reps ft mt no vs inc corp "
    "co ltd jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n"
)

# ---------------------------------------------------------------- regexes

_TOKEN = re.compile(r"\w+(?:[’'`.&\-]\w+)*|``|''|[^\w\s]")
# Quote marks: typographic, doubled single marks (‘‘ ’’ `` ''), and the ambiguous straight mark.
_QUOTE_MARK = re.compile(r"“|”|‘‘|’’|``|''|\"")
_OPENERS = frozenset({"“", "‘‘", "``"})
_CLOSERS = frozenset({"”", "’’"})
_DASHES = frozenset({"—", "–", "―", "-"})
_QUOTE_TOKENS = frozenset({'"', "“", "”", "``", "''", "‘‘", "’’", "‘", "’"})
_NEWLINE = re.compile(r"\n")
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr)|\b[A-Z])\.$"
)
_POSSESSIVE_AFTER = ("'s", "’s", "' ", "’ ")


# ---------------------------------------------------------------- internal records


@dataclass(slots=True)
class _Speaker:
    text: str
    start: int
    end: int
    pronoun: bool = False


@dataclass(slots=True)
class _Attribution:
    cue: str
    cue_start: int
    cue_end: int
    speaker: _Speaker | None
    via: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _QuoteSpan:
    open_start: int  # first character of the opening mark
    content_start: int
    content_end: int
    close_end: int  # one past the closing mark (the paragraph end when unclosed)
    para: int
    closed: bool
    standalone: bool = False
    attribution: _Attribution | None = None


@dataclass(slots=True)
class _Subject:
    speaker: _Speaker
    first_tok: int  # index of the first token of the whole subject phrase
    after_comma: bool  # the phrase is directly preceded by a comma (", the minister said.")


@dataclass(slots=True)
class _Found:
    content_start: int
    content_end: int
    attribution: _Attribution | None
    direct: bool


_NO_ATTRIBUTION = _Attribution("", 0, 0, None)

# ---------------------------------------------------------------- document context


class _Doc:
    """The article's text, tokens and mentions, with the look-ups the rules need."""

    def __init__(self, text: str, mentions: Sequence[Mention]):
        self.text = text
        n = len(text)
        self.tok_start: list[int] = []
        self.tok_end: list[int] = []
        self.tok: list[str] = []
        for token in _TOKEN.finditer(text):
            self.tok_start.append(token.start())
            self.tok_end.append(token.end())
            self.tok.append(token.group())
        self.low = [t.lower() for t in self.tok]
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
        i = bisect_left(self.m_start, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

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


def _is_adverb(t: str) -> bool:
    return t.islower() and len(t) > 4 and t.endswith("ly") and t not in _LY_NOUNS


def _is_sentence_end(doc: _Doc, i: int) -> bool:
    """Token i is '.', '!' or '?' that ends a sentence (not the dot of "Mr." or "U.S.")."""
    t = doc.tok[i]
    if t not in (".", "!", "?"):
        return False
    nxt = i + 1
    if nxt < len(doc.tok) and doc.tok_start[nxt] == doc.tok_end[i]:
        return False  # "...?”" is closed by its quote mark; "5.5" is a number
    if t == "." and i > 0:
        prev = doc.low[i - 1]
        if prev in _ABBREVIATIONS or "." in prev or (len(prev) == 1 and prev.isalpha()):
            return False
    if nxt >= len(doc.tok):
        return True
    first = doc.tok[nxt][:1]
    return first.isupper() or first.isdigit() or doc.tok[nxt] in _QUOTE_TOKENS


def _is_possessive_at(doc: _Doc, m: Mention) -> bool:
    return m.text.endswith(("'s", "’s")) or doc.text.startswith(_POSSESSIVE_AFTER, m.end)


def _cue_at(doc: _Doc, i: int, limit: int) -> tuple[int, str] | None:
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
    if low in _GERUNDS:
        return 1, "gerund"
    if low in _TELL:
        kind = "tell"
    elif low in _BARE:
        kind = "bare"
    elif low in _THAT:
        kind = "that"
    elif low in _BELIEF:
        kind = "belief"
    elif low in _CHARACTERIZE:
        kind = "characterize"
    else:
        return None
    if i > 0:
        prev = doc.low[i - 1]
        if low in _NOUNISH and (prev in _NOUN_MODIFIERS or prev.endswith(("'s", "’s")) or prev in _PREPS):
            return None  # "the reports", "Trump's claims"
        if low in _NOUNISH and not low.endswith("s") and not low.endswith("ed") and low != "thought":
            # a base form ("claim", "remark") is a verb after a plural or a name ("officials claim"),
            # a noun after an adjective ("an improbable remark")
            p = doc.tok[i - 1]
            if not (p[:1].isupper() or prev in _PRONOUNS or prev.endswith("s") or prev in _AUX):
                return None
        if prev == "to" or prev in _NEGATION or prev.endswith(("n't", "n’t")) or prev in _LET:
            return None  # "declined to say", "did not say", "let's say"
        if prev in _BE and low.endswith(("ed", "told", "said", "wrote", "written", "found", "shown")):
            return None  # passive: "he was told", "it was reported"
    return 1, kind


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


# ---------------------------------------------------------------- quote marks


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for m in _NEWLINE.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _pair_marks(text: str, paras: list[tuple[int, int]]) -> list[_QuoteSpan]:
    """Pair quote marks inside each paragraph. A quote left open runs to the paragraph end (news style
    for a quote that continues in the next paragraph)."""
    spans: list[_QuoteSpan] = []
    for pi, (ps, pe) in enumerate(paras):
        open_mark: re.Match[str] | None = None
        for m in _QUOTE_MARK.finditer(text, ps, pe):
            mark = m.group()
            if open_mark is None:
                if mark in _CLOSERS:
                    continue  # a stray closing mark
                open_mark = m
            elif mark in _OPENERS:
                open_mark = m  # the previous quote was never closed
            else:
                spans.append(_QuoteSpan(open_mark.start(), open_mark.end(), m.start(), m.end(), pi, True))
                open_mark = None
        if open_mark is not None:
            spans.append(_QuoteSpan(open_mark.start(), open_mark.end(), pe, pe, pi, False))
    kept = []
    for q in spans:
        s, e = q.content_start, q.content_end
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
            e -= 1
        if s < e and any(c.isalnum() for c in text[s:e]):
            q.content_start, q.content_end = s, e
            kept.append(q)
    return kept


# ---------------------------------------------------------------- units


def _units(text: str, sentences: Sequence[Sentence], paras: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans cut at line breaks: the stretches the rules look inside."""
    n = len(text)
    cuts = {0, n}
    for s in sentences:
        if 0 <= s.start <= n:
            cuts.add(s.start)
        if 0 <= s.end <= n:
            cuts.add(s.end)
    for ps, pe in paras:
        cuts.add(ps)
        cuts.add(pe)
    points = sorted(cuts)
    out: list[tuple[int, int]] = []
    glue = False  # the previous unit ended on an abbreviation ("Mr."): a sentence splitter's mistake
    for a, b in zip(points, points[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            if glue and "\n" not in text[out[-1][1] : a]:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
            m = _ABBREVIATION_END.search(text, max(out[-1][0], b - 6), b)
            glue = m is not None
    return out


def _unit_of(units: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return units[0]
    return units[i]


# ---------------------------------------------------------------- direct quote frames


def _sentence_subject(doc: _Doc, floor: int, cue: int) -> _Speaker | None:
    """The subject of a sentence whose cue has none of its own (", saying ...", "... and said ..."):
    a PERSON or ORG heading the first words of the sentence."""
    for person in (True, False):
        m = _head_mention(doc, floor, min(cue, floor + 8), person)
        if m is not None:
            return _speaker_from_mention(doc, m, doc.tok_start[floor])
    return None


def _after_comma(doc: _Doc, k: int, floor: int) -> bool:
    """Token k-1 closes a clause with a comma: `,` or a closing quote mark right after a comma."""
    if k - 1 < floor:
        return False
    if doc.tok[k - 1] == ",":
        return True
    return doc.tok[k - 1] in _QUOTE_TOKENS and k - 2 >= floor and doc.tok[k - 2] == ","


def _adjunct_tail(doc: _Doc, k: int, limit: int) -> bool:
    """Whether tokens from k are only trailers or a comma-led adjunct (", citing ...", ", as they ...")."""
    ok, _ = _only_trailers(doc, k, limit)
    return ok or (k < limit and doc.tok[k] == ",")


def _dash_frame(doc: _Doc, a: int, b: int) -> _Attribution | None:
    """`“...” ― Karen Bobadilla` (a signature): the dash is the cue and the name all that follows."""
    if a >= b or doc.tok[a] not in _DASHES:
        return None
    k = a + 1
    while k < b and doc.tok[k] in _DASHES:
        k += 1
    e = k
    while e < b and e - k < 8:
        if doc.tok[e] in (",", "(") or doc.tok[e] == "." and not (e > k and len(doc.tok[e - 1]) == 1):
            break  # stop at a comma or a full stop, not at the dot of an initial ("Julie A. Diaz")
        e += 1
    if e == k or not all(doc.tok[x][:1].isupper() or doc.tok[x] in (".", "-") for x in range(k, e)):
        return None
    if e < b and doc.tok[e] not in (",", ".", "("):
        return None
    speaker = _speaker_from_segments(doc, [(k, e)])
    if speaker is None:
        return None
    return _Attribution(
        doc.text[doc.tok_start[a] : doc.tok_end[k - 1]], doc.tok_start[a], doc.tok_end[k - 1], speaker
    )


def _post_frame(doc: _Doc, q: _QuoteSpan, end: int) -> tuple[_Attribution, int] | None:
    """Attribution in the text after the closing mark, up to `end`, and where that frame ends."""
    a, b = doc.tok_range(q.close_end, end)
    dash = _dash_frame(doc, a, b)
    if dash is not None:
        return dash, end
    lead_comma = "," in doc.text[q.content_end : q.close_end]  # `,”` (the comma inside the marks)
    while a < b and doc.tok[a] in (",", "—", "–"):
        lead_comma = True
        a += 1
    if a >= b:
        return None
    last_char = doc.text[q.content_end - 1]
    # `"... ." The agency said X` starts a new sentence: only a short `Name said.` still frames it.
    new_sentence = last_char in ".?!" and not lead_comma
    # inverted: `," declared Russian Defense Minister Sergei Shoigu, who ...`
    cue = _cue_at(doc, a, b)
    if cue is not None and cue[1] not in ("belief", "gerund", "characterize"):
        n, kind = cue
        cue_s, cue_e = doc.tok_start[a], doc.tok_end[a + n - 1]
        if kind == "according":
            e = _np_until(doc, a + 2, b, 15)
            speaker = _speaker_from_segments(doc, [(a + 2, e)]) if e > a + 2 else None
            if speaker is not None:
                return _Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, []), doc.tok_end[e - 1]
        else:
            after = _inverted_speaker(doc, a + n, b)
            if after is not None:
                speaker, k = after
                aft = _after_cue(doc, k, b, "")
                ok, via2 = _only_trailers(doc, aft.next_tok, b)
                frame_end = end if ok else doc.tok_end[aft.next_tok - 1]
                attr = _Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, aft.via + via2)
                return attr, frame_end
    # subject first: `," the secretary general ... has told Fars News, according to Rudaw.`, or after
    # more words of the sentence: `" for criminal behavior, she said.`
    for ci in range(a + 1, min(b, a + 30)):
        if doc.tok[ci] in _QUOTE_TOKENS or _is_sentence_end(doc, ci):
            break
        cue = _cue_at(doc, ci, b)
        if cue is None or cue[1] in ("belief", "gerund", "according", "characterize"):
            continue
        n, kind = cue
        subj = _subject(doc, a, ci)
        if subj is None:
            continue
        aft = _after_cue(doc, ci + n, b, doc.low[ci + n - 1])
        ok, via2 = _only_trailers(doc, aft.next_tok, b)
        cue_s, cue_e = doc.tok_start[ci], doc.tok_end[ci + n - 1]
        attr = _Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, subj.speaker, aft.via + via2)
        if subj.first_tok == a:
            if new_sentence and (not ok or ci - a > 6):
                return None
            if ok:
                return attr, end
            # `"...," he said of the plan.`, `"...," he said, adding ...`: what follows is left to the
            # reported-speech rules
            if lead_comma:
                return attr, doc.tok_start[aft.next_tok]
            return None
        if subj.after_comma and not new_sentence and _adjunct_tail(doc, aft.next_tok, b):
            return attr, end if ok else doc.tok_start[aft.next_tok]
        return None
    return None


def _pre_frame(
    doc: _Doc, q: _QuoteSpan, start: int, end: int | None = None
) -> tuple[bool, _Attribution | None]:
    """(standalone, attribution) from the text between `start` and the opening mark (or `end`).

    Standalone: the quote opens its sentence, or follows a colon or a cue; otherwise it sits inside
    someone's sentence (a partial or scare quote)."""
    a, b = doc.tok_range(start, q.open_start if end is None else end)
    # start after the last sentence end: `...Shoigu. “Our countries face ...”`
    for i in range(b - 1, a - 1, -1):
        if _is_sentence_end(doc, i):
            a = i + 1
            break
    if a >= b:
        return True, None
    last = doc.tok[b - 1]
    starts_upper = doc.text[q.content_start : q.content_start + 1].isupper()
    if last not in (":", ",") and not starts_upper:
        return False, None
    cue_end = b - 1 if last in (":", ",") else b
    for ci in range(cue_end - 1, max(a - 1, cue_end - 12), -1):
        cue = _cue_at(doc, ci, cue_end)
        if cue is None or doc.in_quote(doc.tok_start[ci]):
            continue
        n, kind = cue
        cue_s, cue_e = doc.tok_start[ci], doc.tok_end[ci + n - 1]
        if kind == "according":
            e = _np_until(doc, ci + 2, cue_end, 15)
            if e != cue_end:
                return last == ":", None
            spk = _speaker_from_segments(doc, [(ci + 2, e)])
            return True, _Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, spk, [])
        aft = _after_cue(doc, ci + n, cue_end, doc.low[ci + n - 1])
        if aft.next_tok != cue_end:
            break  # words between the cue and the quote: reported speech holding a partial quote
        if kind == "gerund" or (ci > a and doc.low[ci - 1] in ("and", "but")):
            # `Trump attacked Clinton, saying, "..."`: the sentence's subject speaks
            if kind == "gerund" and not (ci > a and doc.tok[ci - 1] == ","):
                break
            speaker = _sentence_subject(doc, a, ci)
            if speaker is None:
                break
            return True, _Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, aft.via)
        subj = _subject(doc, a, ci)
        if subj is None:
            break
        return True, _Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, subj.speaker, aft.via)
    return last == ":", None


# ---------------------------------------------------------------- reported speech


def _content_end(doc: _Doc, k: int, limit: int, stops: list[int]) -> tuple[int, list[str], int | None]:
    """Where reported content starting at token k ends: the unit end, a standalone quote, a missed
    sentence end, a dash before "and"/"but", ", according to X" (returned as via), or ", adding ..."
    (returned as the index of the next cue)."""
    via: list[str] = []
    stop_char = None
    if k < limit:
        si = bisect_right(stops, doc.tok_start[k])
        stop_char = stops[si] if si < len(stops) else None
    j = k
    follow: int | None = None
    while j < limit:
        if stop_char is not None and doc.tok_start[j] >= stop_char:
            break
        t = doc.tok[j]
        if _is_sentence_end(doc, j) and j + 1 < limit:
            break
        if t == ";" or t in ("—", "–") and j + 1 < limit and doc.low[j + 1] in ("and", "but"):
            break
        if doc.low[j] in ("and", "but") and j > k and j + 1 < limit and not doc.in_quote(doc.tok_start[j]):
            nxt = j + 2 if j + 2 < limit and (doc.low[j + 1] in _AUX or _is_adverb(doc.tok[j + 1])) else j + 1
            cue = _cue_at(doc, nxt, limit)
            if cue is not None and cue[1] in ("bare", "that", "tell"):
                follow = nxt  # "His aides say ... but noted that ...": a second statement, same speaker
                break
        if t == "," and j + 1 < limit:
            nl = doc.low[j + 1]
            if nl == "according" and j + 2 < limit and doc.low[j + 2] == "to":
                e = _np_until(doc, j + 3, limit)
                name = _outlet_name(doc, j + 3, e) or _plain_phrase(doc, j + 3, e)
                if name:
                    via.append(name)
                break
            if nl in _GERUNDS and doc.tok[j + 1] == nl:
                follow = j + 1
                break
        j += 1
    return j, via, follow


def _trim_content(doc: _Doc, a: int, b: int) -> tuple[int, int] | None:
    """Characters of tokens [a, b) without trailing punctuation other than quote marks."""
    while b > a and doc.tok[b - 1] in (".", ",", ";", ":", "—", "–"):
        b -= 1
    while a < b and doc.tok[a] in (",", ":", "—", "–"):
        a += 1
    if b - a < 2:
        return None
    return doc.tok_start[a], doc.tok_end[b - 1]


def _reported_in_unit(
    doc: _Doc,
    unit: tuple[int, int],
    consumed: set[int],
    stops: list[int],
    frames: list[tuple[int, _Attribution]],
    found: list[_Found],
) -> None:
    """Reported speech in one unit: `X said (that) C`, `C, X said.`, `C, said X.`, `C, according to X.`,
    `According to X, C.`, `..., saying C` and `... and said C` (speaker from the same sentence).

    `stops` are the starts of standalone quotes and `frames` (end, attribution) the ends of standalone
    quotes with their frames, sorted: content never crosses them."""
    ua, ub = doc.tok_range(unit[0], unit[1])
    covered_until = ua - 1  # tokens up to here sit inside content already taken
    last_attr: _Attribution | None = None
    frame_ends = [e for e, _ in frames]
    i = ua
    while i < ub:
        if i <= covered_until or doc.is_blocked(doc.tok_start[i]) or doc.tok_start[i] in consumed:
            i += 1
            continue
        cue = _cue_at(doc, i, ub)
        if cue is None:
            i += 1
            continue
        n, kind = cue
        # content and speaker start after the last standalone quote or statement before the cue
        floor = covered_until + 1
        c = bisect_right(frame_ends, doc.tok_start[i]) - 1
        if c >= 0 and frame_ends[c] > unit[0]:
            floor = max(floor, doc.tok_range(frame_ends[c], unit[1])[0])
            if last_attr is None or last_attr.cue_start < frames[c][1].cue_start:
                last_attr = frames[c][1]
        got = _reported_at(doc, floor, i, n, kind, ub, stops, last_attr)
        if got is None:
            i += n
            continue
        attr, c_start, c_end, follow = got
        found.append(_Found(c_start, c_end, attr, False))
        last_attr = attr
        consumed.add(attr.cue_start)
        covered_until = max(i + n - 1, doc.tok_range(unit[0], c_end)[1] - 1)
        i = follow if follow is not None and follow > i else covered_until + 1


def _according(
    doc: _Doc, floor: int, i: int, ub: int, stops: list[int]
) -> tuple[_Attribution, int, int, int | None] | None:
    """`According to X, C.` or `C, according to X.`"""
    cue_s, cue_e = doc.tok_start[i], doc.tok_end[i + 1]
    initial = i == floor or doc.tok[i] == "According"
    # sentence-initial: X runs to the comma ("According to a new report by Politico, ...")
    e = _np_until(doc, i + 2, ub, 15) if not initial else i + 2
    if initial:
        while e < ub and e - i < 18 and doc.tok[e] not in (",", ";", ":") and doc.tok[e] not in _QUOTE_TOKENS:
            e += 1
    if e == i + 2:
        return None
    speaker = _speaker_from_segments(doc, [(i + 2, e)]) or _phrase_speaker(doc, i + 2, e)
    if speaker is None:
        return None
    attr = _Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, [])
    if initial:
        if e < ub and doc.tok[e] == ",":
            c_end, _, _ = _content_end(doc, e + 1, ub, stops)
            span = _trim_content(doc, e + 1, c_end)
            if span:
                return attr, span[0], span[1], None
        return None
    b = i - 1 if doc.tok[i - 1] == "," else i
    span = _trim_content(doc, floor, b)
    if span is None or b - floor < 3:
        return None
    return attr, span[0], span[1], None


def _named_phrase(doc: _Doc, speaker: _Speaker) -> bool:
    """A phrase that can name a speaker after an inverted cue: a capitalised word or a determiner first
    (", said Brian Baker", ", said the official"; not ", declared bankruptcy")."""
    first = speaker.text.split()[0] if speaker.text.split() else ""
    return first[:1].isupper() or first.lower() in _DETERMINERS


def _phrase_speaker(doc: _Doc, a: int, b: int) -> _Speaker | None:
    """A long source phrase cut to its first 12 tokens (and before any comma)."""
    e = min(b, a + 12)
    if e <= a:
        return None
    s, t = doc.tok_start[a], doc.tok_end[e - 1]
    return _Speaker(doc.text[s:t], s, t)


def _reported_at(
    doc: _Doc,
    floor: int,
    i: int,
    n: int,
    kind: str,
    ub: int,
    stops: list[int],
    last_attr: _Attribution | None,
) -> tuple[_Attribution, int, int, int | None] | None:
    """The statement whose cue is tokens [i, i+n), as (attribution, content start, content end, index of
    a following ", adding" cue)."""
    cue_s, cue_e = doc.tok_start[i], doc.tok_end[i + n - 1]
    cue_text = doc.text[cue_s:cue_e]
    if kind == "according":
        return _according(doc, floor, i, ub, stops)
    subj = _subject(doc, floor, i)
    inverted = None
    if subj is None and kind in ("bare", "that", "tell") and i > floor and _after_comma(doc, i, floor):
        # no subject before the cue: perhaps `C, said X`
        inverted = _inverted_speaker(doc, i + n, ub)
        if inverted is not None and not _named_phrase(doc, inverted[0]):
            inverted = None
    if inverted is not None:
        # `C, said Brian Baker, a longtime adviser ...`
        inverted_speaker, k = inverted
        aft = _after_cue(doc, k, ub, "")
        ok, tail_via = _only_trailers(doc, aft.next_tok, ub)
        if ok or doc.tok[aft.next_tok] in (",", "("):
            comma = i - 1 if doc.tok[i - 1] == "," else i - 2
            span = _trim_content(doc, floor, comma + (0 if doc.tok[comma] == "," else 1))
            if span is not None and comma - floor >= 3:
                attr = _Attribution(
                    cue_text, cue_s, cue_e, inverted_speaker, aft.via + (tail_via if ok else [])
                )
                return attr, span[0], span[1], None
    prev = i - 1
    if prev > floor and (doc.low[prev] in _AUX or _is_adverb(doc.tok[prev])):
        prev -= 1  # "and also said"
    coordinated = prev >= floor and doc.low[prev] in ("and", "but") and kind != "belief"
    if kind == "gerund" or coordinated:
        # ", saying (that) C", "... and said C": the speaker is the subject of the sentence
        if kind == "gerund" and not _after_comma(doc, i, 0):
            return None
        speaker: _Speaker | None = None
        if last_attr is not None and last_attr.cue.lower() != "according to":
            speaker = last_attr.speaker  # `"...," he said, adding ...`, `X said A and added B`
        if speaker is None:
            speaker = _sentence_subject(doc, floor, i)
        if speaker is None:
            return None
        aft = _after_cue(doc, i + n, ub, doc.low[i + n - 1])
        k = aft.next_tok
        while k < ub and doc.tok[k] in (",", ":"):
            k += 1
        if kind in ("that", "belief") and not aft.has_that:
            return None
        c_end, via, follow = _content_end(doc, k, ub, stops)
        span = _trim_content(doc, k, c_end)
        if span is None:
            return None
        if kind == "characterize":
            if not _QUOTE_MARK.search(doc.text, span[0], span[1]):
                return None
        elif not (aft.has_that or _clause_start(doc, k) or doc.tok[k] in _QUOTE_TOKENS):
            return None
        return _Attribution(cue_text, cue_s, cue_e, speaker, aft.via + via), span[0], span[1], follow
    if subj is None:
        return None
    if kind == "belief" and subj.first_tok < i - 6:
        return None  # "The two taped an hourlong show that ...": a noun, not a verb
    aft = _after_cue(doc, i + n, ub, doc.low[i + n - 1])
    k = aft.next_tok
    tail_empty, tail_via = _only_trailers(doc, k, ub)
    if subj.after_comma and (tail_empty or (k < ub and doc.tok[k] == ",")):
        # `C, X said.`, `C, X said, as ...` or the parenthetical `C1, X said, C2.`
        comma = subj.first_tok - 1
        before = _trim_content(doc, floor, comma) if comma - floor >= 3 else None
        after = None
        if not tail_empty:
            c_end, _, _ = _content_end(doc, k + 1, ub, stops)
            if before is None or _clause_start(doc, k + 1) and not doc.low[k + 1].endswith(("ing", "ed")):
                # "The museum, Mr. Obama said, would make ...": the words after carry the statement
                after = _trim_content(doc, k + 1, c_end)
        if before is not None and after is not None and doc.low[floor] in _PREPS | _BOUNDARY_WORDS:
            before = None  # "During his years in office, Mr. Obama said, a majority ...": an adverbial first
        best = before or after
        if best is None:
            return None
        attr = _Attribution(cue_text, cue_s, cue_e, subj.speaker, aft.via + tail_via)
        return attr, best[0], best[1], None
    if kind == "quoted":
        return None  # "was quoted as saying" has its content before it
    if kind == "characterize":
        if subj.speaker.text[:1].islower() and subj.speaker.text.split()[0].lower() not in _DETERMINERS:
            return None  # "stripping out a call for ...": a noun after all
        c_end, via, follow = _content_end(doc, k, ub, stops)
        span = _trim_content(doc, k, c_end)
        if span is None or not _QUOTE_MARK.search(doc.text, span[0], span[1]):
            return None
        return _Attribution(cue_text, cue_s, cue_e, subj.speaker, aft.via + via), span[0], span[1], follow
    # "that" verbs take a bare clause only when a subject pronoun shows it ("asserted she could ...")
    pronoun_clause = kind == "that" and k < ub and doc.low[k] in _SUBJECT_PRONOUNS
    if kind in ("belief", "that") and not aft.has_that and not pronoun_clause:
        return None
    if not aft.has_that and not _clause_start(doc, k):
        return None
    c_end, via, follow = _content_end(doc, k, ub, stops)
    span = _trim_content(doc, k, c_end)
    if span is None:
        return None
    attr = _Attribution(cue_text, cue_s, cue_e, subj.speaker, aft.via + via)
    return attr, span[0], span[1], follow


def _clause_start(doc: _Doc, k: int) -> bool:
    """Whether token k can open a reported clause (not "to", a preposition, a verb form or a number)."""
    if k >= len(doc.tok):
        return False
    low = doc.low[k]
    if low in _PREPS or low in _AUX or low in ("to", "and", "or", "but", "not", "as", "so") or low in _BE:
        return False
    if doc.tok[k] in (",", ".", ";", "?", "!", ")", "—", "–"):
        return False
    return not low[:1].isdigit()


# ---------------------------------------------------------------- pronouns


def _resolve_pronoun(doc: _Doc, speaker: _Speaker, before: int) -> _Speaker:
    """he/she -> the latest person mention before `before`, outside quoted text; else unchanged."""
    if not speaker.pronoun or speaker.text.lower() not in _RESOLVED_PRONOUNS:
        return speaker
    i = bisect_left(doc.m_start, before) - 1
    while i >= 0:
        m = doc.mentions[i]
        if m.end <= before and doc.is_person(m) and not doc.in_quote(m.start):
            name = _strip_possessive(doc.text[m.start : m.end])
            return _Speaker(name, m.start, m.start + len(name))
        i -= 1
    return speaker


# ---------------------------------------------------------------- entry point


def _to_quote(f: _Found, doc: _Doc) -> Quote:
    attr = f.attribution
    if attr is None:
        return Quote(f.content_start, f.content_end, "", f.content_start, f.content_start, f.direct)
    spk = attr.speaker
    if spk is not None:
        spk = _resolve_pronoun(doc, spk, min(spk.start, f.content_start))
    via = tuple(dict.fromkeys(v for v in attr.via if v and (spk is None or v != spk.text)))
    return Quote(
        f.content_start,
        f.content_end,
        attr.cue,
        attr.cue_start,
        attr.cue_end,
        f.direct,
        speaker=None if spk is None else spk.text,
        speaker_start=None if spk is None else spk.start,
        speaker_end=None if spk is None else spk.end,
        via=via,
    )


def extract_quotes(text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> list[Quote]:
    """Quotes and reported statements in `text`, sorted by content start and never overlapping.

    `sentences` and `mentions` are character spans into `text` (any order; spans outside the text are
    ignored). Direct quotes have `direct=True` and the words inside the marks as content; reported speech
    has the reported clause. A quote with no attribution has speaker None and an empty cue at its start.
    """
    if not text.strip():
        return []
    doc = _Doc(text, mentions)
    paras = _paragraphs(text)
    para_starts = [p[0] for p in paras]
    units = _units(text, sentences, paras)
    unit_starts = [u[0] for u in units]
    spans = _pair_marks(text, paras)
    doc.set_quoted([(q.open_start, q.close_end) for q in spans])
    consumed: set[int] = set()  # cue starts already used by a quote frame

    # 1. direct quotes and their frames
    prev_close: dict[int, int] = {}
    blocked: list[tuple[int, int]] = []
    frames: list[tuple[int, _Attribution]] = []  # (end of quote and frame, its attribution)
    for qi, q in enumerate(spans):
        u_open = _unit_of(units, unit_starts, q.open_start)
        pre_start = max(u_open[0], prev_close.get(q.para, paras[q.para][0]))
        prev_close[q.para] = q.close_end
        standalone, pre_attr = _pre_frame(doc, q, pre_start)
        if standalone and pre_attr is None and q.para > 0 and q.open_start == paras[q.para][0]:
            # "The New York Times reports:" as a paragraph of its own, the quote in the next one
            ps, pe = paras[q.para - 1]
            if text[ps:pe].rstrip().endswith(":"):
                pre_attr = _pre_frame(doc, q, _unit_of(units, unit_starts, pe - 1)[0], pe)[1]
        q.standalone = standalone
        post_attr = None
        if q.closed and q.close_end < paras[q.para][1]:
            # the frame after the quote runs to the end of the unit holding the next word, or the next quote
            a, _ = doc.tok_range(q.close_end, paras[q.para][1])
            if a < len(doc.tok):
                u_next = _unit_of(units, unit_starts, doc.tok_start[a])
                end = min(u_next[1], paras[q.para][1])
                if qi + 1 < len(spans) and spans[qi + 1].para == q.para:
                    end = min(end, spans[qi + 1].open_start)
                if end > q.close_end:
                    post = _post_frame(doc, q, end)
                    if post is not None:
                        post_attr, end = post
        # An embedded quote with a frame after it (`The plan is "a disaster," he said.`) is left to the
        # reported-speech rules, whose content is the whole clause.
        if standalone:
            q.attribution = post_attr or pre_attr
            if q.attribution is not None:
                consumed.add(q.attribution.cue_start)
            # the quote and its frame are off limits to the reported-speech rules
            if post_attr is not None:
                blocked.append((q.open_start, end))
            elif pre_attr is not None:
                blocked.append((pre_start, q.close_end))
            else:
                blocked.append((q.open_start, q.close_end))
            frames.append((blocked[-1][1], q.attribution or _NO_ATTRIBUTION))
    doc.set_blocked(blocked)

    # 2. reported speech, outside the standalone quotes and their frames
    found: list[_Found] = []
    stops = sorted(q.open_start for q in spans if q.standalone)
    frames.sort(key=lambda f: f[0])
    for unit in units:
        _reported_in_unit(doc, unit, consumed, stops, frames, found)

    # 3. standalone quotes; an unframed one continues the speaker of the nearest statement before it in
    # its paragraph, else of a framed quote after it there, else of a quote that ended the paragraph
    # before ("...," he said.  /  "More words.").
    para_of = [bisect_right(para_starts, f.content_start) - 1 for f in found]
    by_para: dict[int, list[tuple[int, bool, _Attribution]]] = {}  # (end, direct, attribution)
    for f, pi in zip(found, para_of, strict=True):
        if f.attribution is not None:
            by_para.setdefault(pi, []).append((f.content_end, False, f.attribution))
    for q in spans:
        if q.standalone and q.attribution is not None:
            by_para.setdefault(q.para, []).append((q.close_end, True, q.attribution))
    for items in by_para.values():
        items.sort(key=lambda x: x[0])
    last_in_para: dict[int, _QuoteSpan] = {}
    for q in spans:
        if not q.standalone:
            continue
        if q.attribution is None:
            items = by_para.get(q.para, [])
            before = [a for e, _, a in items if e <= q.open_start]
            after = [a for e, direct, a in items if e > q.close_end and direct]
            if before:
                q.attribution = before[-1]
            elif after:
                q.attribution = after[0]
            else:
                prev = last_in_para.get(q.para - 1)
                if prev is not None and prev.attribution is not None and q.open_start == paras[q.para][0]:
                    q.attribution = prev.attribution
        if q.attribution is None and len(text[q.content_start : q.content_end].split()) < 4:
            continue  # a scare quote ("terrorists.")
        found.append(_Found(q.content_start, q.content_end, q.attribution, True))
        last_in_para[q.para] = q

    # 4. no overlaps: direct quotes first, then the earlier and longer
    found.sort(key=lambda f: (not f.direct, f.content_start, -(f.content_end - f.content_start)))
    taken: list[tuple[int, int]] = []
    out: list[Quote] = []
    for f in found:
        if f.content_start >= f.content_end or f.content_start < 0 or f.content_end > len(text):
            continue
        if any(f.content_start < e and s < f.content_end for s, e in taken):
            continue
        taken.append((f.content_start, f.content_end))
        out.append(_to_quote(f, doc))
    out.sort(key=lambda q: q.content_start)
    return out
