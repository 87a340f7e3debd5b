"""Numbers in a sentence, with what they count, their unit, and how exact the sentence says they are.

"three Turkish soldiers", "3 soldiers", "a dozen people", "$2m", "2 million dollars", "about 5,000 troops",
"between 20 and 30 people", "at least 12 dead" all become a Quantity: a value (a range for "between ... and
..."), a unit (a currency, percent, or none), a bound ("at least" is a floor, "nearly" a ceiling, "about" a
tolerance) and the content stems around it (what it counts), so two sentences' figures can be compared as
values of one fact, and a toll kind (dead, injured, arrested ...: `TOLL_KINDS`) from the words near it,
so that figures of one toll compare however the sentences word them (`same_toll`). Years, clock times,
dates ("Jan. 29"), ordinals and names with digits ("Tu-22M3", "G20") are not quantities: dates are time
expressions, compared on their own.

Written here rather than taken from quantulum3: that library resolves units with a trained classifier and
costs milliseconds a sentence, while conflicts must stay a small part of fusion, and it keeps no notion of
"at least" or "about", which is what tells a rounding from a disagreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from spacy.lang.en.stop_words import STOP_WORDS

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR"}
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP"}
_CURRENCY_WORDS |= {"pounds": "GBP", "yuan": "CNY", "rupees": "INR", "yen": "JPY"}

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(_TENS_WORDS) + r")(?:[- ](?:" + "|".join(list(_UNITS_WORDS)[1:10]) + r"))?"
    r"|" + "|".join(w for w in _UNITS_WORDS if w not in ("zero", "one")) + r")"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|tn|m|k|b)"
# "one" alone and "a"/"an" state no figure ("no one", "one of them"); "a dozen" and "dozens" do.
_NUMBER = re.compile(
    r"(?:(?P<currency>US\$|[$£€])\s?)?"
    r"(?:(?P<digits>" + _DIGITS + r")|(?P<words>\b" + _WORD_NUMBER + r"\b)"
    r"|(?P<dozen>\ba dozen\b|\bhalf a dozen\b))"
    r"(?:\s?(?P<scale>" + _SCALE + r"\b))?"
    r"(?:\s?(?P<unit>%|\bper ?cent\b|\bpercent\b|\b(?:dollars?|euros?|pounds|yuan|rupees|yen)\b))?",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"^\s*(?:to|and|or)\s*$", re.IGNORECASE)
# Words before a figure that make it a floor, a ceiling or an approximation.
_FLOORS = ("at least", "more than", "over", "upwards of", "in excess of", "above", "no fewer than")
_CEILINGS = ("up to", "fewer than", "less than", "under", "nearly", "almost", "as many as", "no more than")
_APPROX = ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated", "close to")
_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august"
    r"|september|october|november|december"
)
_MONTH_BEFORE = re.compile(r"\b(?:" + _MONTHS + r")\.?\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^\s*(?:" + _MONTHS + r")\b", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^(?::\d\d|\s?[ap]\.?m\.?\b)", re.IGNORECASE)
# Kinds of things a count of which changes as a story develops (a toll, arrests, votes).
_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Reporting verbs say nothing of what a figure counts.
_NOT_COUNTED = frozenset(STOP_WORDS) | {"said", "says", "told", "according", "reported", "also", "just"}


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """Content stems of `text` in order ("people", "days" kept: a figure counts them)."""
    return [_stem(w) for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _NOT_COUNTED]


RUNNING_COUNTS = frozenset(
    stems(
        "killed dead deaths died dying injured wounded hurt missing arrested arrests detained victims "
        "casualties toll evacuated displaced cases infected votes ballots counted rescued fatalities bodies"
    )
)
_CONTEXT_WORDS = 3
# What a toll counts, by the stems around its figure: "84 people were killed", "killing at least two",
# "left 50 dead", "wounding 120", "the death toll rose to 84". Casualties and victims name no kind (the
# dead and the wounded together, or either).
TOLL_KINDS = {
    **dict.fromkeys(stems("killed dead deaths died fatalities bodies slain murdered toll"), "dead"),
    **dict.fromkeys(stems("injured wounded hurt"), "injured"),
    **dict.fromkeys(stems("arrested detained"), "arrested"),
    **dict.fromkeys(stems("missing"), "missing"),
    **dict.fromkeys(stems("evacuated"), "evacuated"),
    **dict.fromkeys(stems("displaced displacement"), "displaced"),
    **dict.fromkeys(stems("trapped"), "trapped"),
    **dict.fromkeys(stems("rescued"), "rescued"),
}
# A toll written to the hundred or coarser ("about 5,000 dead", "1,200 arrested") may round a count.
TOLL_ROUNDING = 100
TOLL_STEMS = frozenset(TOLL_KINDS) | {"live"}
# "four are seriously injured", "16 walking wounded": a share of the toll, not the toll.
_TOLL_QUALIFIERS = frozenset(stems("seriously critically severely badly gravely walking serious critical"))
# "claimed 20,000 lives": a toll only when the word follows the figure ("live" is also the verb).
_TOLL_AFTER_ONLY = {"live": "dead"}
# "84 people, including 10 children, were killed": what the figure counts is read past the aside.
_ASIDE = re.compile(
    r"^([^,;:()]{0,30}),\s*(?:including|among them|many of them|most of them|mostly)\b[^,;()]{0,50},", re.I
)
GENERIC = frozenset(stems("people person persons men women children adults residents others"))
MEASURES = frozenset(
    stems(
        "miles mile kilometers kilometres kilometer metres meters metre feet foot inches centimetres hours "
        "hour minutes seconds days weeks months years percent per cent points pounds tons tonnes kilograms "
        "lb gallons barrels degrees innings games rounds yards times million billion trillion thousand"
    )
)
# "22 other defendants", "200 more doses", "21 of the girls", "another 5": part of a total.
_PART = re.compile(
    r"^\s+(?:other|others|more|additional|further|of (?:the|them|whom|which|those|these)"
    r"|(?:[^\W\d_]+\s+)?(?:were|are|was|is)\s+among)\b",
    re.I,
)
# "up from a previous offer of $70", "the earlier toll of 12": a value of another moment.
_PAST = re.compile(
    r"\b(?:previous|previously|earlier|initial|initially|original|originally|former|formerly|up from|down"
    r" from|compared with|compared to)\b[^,;.]*$",
    re.IGNORECASE,
)
_ANOTHER = re.compile(
    r"\b(?:another|an additional|a further|a total of|including|among them|among|of whom|of which)\s*$",
    re.IGNORECASE,
)
# A toll that counts the attacker among the dead ("Four people were killed (including the shooter)") is one
# more than a toll of the victims ("killed three people"): the same event, counted two ways.
_WITH_ATTACKER = re.compile(
    r"[^.;]{0,50}?\(?\binclud(?:ing|es|ed)\s+(?:the|one|a)\s+(?:(?:suspected|alleged)\s+)?"
    r"(?:shooter|gunman|attacker|bomber|assailant|perpetrator|suspect)\b",
    re.IGNORECASE,
)
# What a figure counts is read up to the clause's edge or the next figure.
_CONTEXT_END = re.compile(r"[,;:()\"“”]|\d|\b(?:and|or|but|while|whereas|including)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure of a sentence: `low`..`high` (equal unless a range), its unit ("USD", "%", ""), a
    `bound` ("floor", "ceiling", "approx", "part" of a total, "past" value, or ""), what it counts
    (`counted`: content stems just after it, else just before), its span in the sentence, and the stems
    on both sides (`near`)."""

    low: float
    high: float
    unit: str
    bound: str
    counted: frozenset[str]
    start: int
    end: int
    near: frozenset[str] = frozenset()  # content stems on both sides ("killed three soldiers": kill too)
    step: float = 1.0  # the place of its last written digit: 1,000 for "5,000", 0.1e12 for "$1.4 trillion"
    head: str = ""  # the stem it counts: the first after it ("three Turkish soldiers": turkish), else before
    with_attacker: bool = False  # a toll said to include the (one) attacker
    toll: str = ""  # the kind of toll it is a figure of (TOLL_KINDS: dead, injured, arrested ...), or ""

    @property
    def value(self) -> float:
        return self.low

    def is_range(self) -> bool:
        return self.low != self.high


def _number_value(match: re.Match[str]) -> float | None:
    digits, words, dozen = match.group("digits"), match.group("words"), match.group("dozen")
    if digits:
        value = float(digits.replace(",", ""))
    elif dozen:
        value = 6.0 if dozen.lower().startswith("half") else 12.0
    elif words:
        parts = re.split(r"[- ]", words.lower())
        value = float(sum(_TENS_WORDS.get(p, _UNITS_WORDS.get(p, 0)) for p in parts))
    else:
        return None
    scale = match.group("scale")
    if scale:
        if scale.lower() in ("m", "k", "b") and not match.group("currency"):
            return None  # "10 m" is more likely metres than ten million
        value *= _SCALES[scale.lower()]
    return value


def _step(match: re.Match[str]) -> float:
    """How precisely the figure is written: the place value of its last significant digit."""
    digits, words = match.group("digits"), match.group("words")
    scale = _SCALES.get((match.group("scale") or "").lower(), 1.0)
    if digits:
        plain = digits.replace(",", "")
        if "." in plain:
            return scale * 10.0 ** -len(plain.split(".")[1])
        return scale * 10.0 ** (len(plain) - len(plain.rstrip("0"))) if plain.strip("0") else scale
    if words and words.lower() in _TENS_WORDS:
        return scale * 10.0
    return scale


def _skip(text: str, match: re.Match[str]) -> bool:
    """True for a figure that is a year, a date, a clock time, an ordinal or part of a name."""
    start, end = match.span()
    before, after = text[:start], text[end:]
    if match.group("digits"):
        last = before[-1:]
        if last.isalpha() or last in ("/", "#", ":") or last in ("-", "–") and before[-2:-1].isalpha():
            return True  # Tu-22, G20, COVID-19, 9/11
        if re.match(r"[-–]\d", after) or re.search(r"\d[-–]$", before):
            return True  # 8-7, 7-8-1: a score or a record
        if re.search(r"\b(?:update|version|v|firmware|no\.|number|pad|route|flight|game)\s*$", before, re.I):
            return True  # update 5.50, game 7: a name
        if after[:1].isalnum() or re.match(r"-[^\W\d]", after):
            return True  # 22M3, 5km; "17-year-old", "18-yard": a compound describing something else
        words = before.rstrip().split()
        if (
            before[-1:] == " "
            and len(words) >= 2
            and re.fullmatch(r"[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*", words[-1])
        ):
            return True  # Falcon 9, Apollo 11, Flight 175, Resolution 2375: a name
        if _ORDINAL_AFTER.match(after) or _CLOCK_AFTER.match(after) or after[:1] in ("/", ":"):
            return True
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
            return True
        digits = match.group("digits")
        plain_year = re.fullmatch(r"(?:1[89]|20)\d\d", digits) is not None
        if plain_year and not (match.group("currency") or match.group("scale") or match.group("unit")):
            return True
    return False


_TOLL_VERB = re.compile(r"\b(?:injur|wound|kill|hurt|arrest|detain)ing\s+$", re.I)
# "The death toll from the bombing rose to at least six Friday": a toll named before its figure.
_TOLL_BEFORE = re.compile(
    r"\b(?:death|casualty) toll\b[^,;.:()]{0,80}?"
    r"\b(?:rose|climbed|jumped|reached|stood|stands|is|was|to|at|of)\s+"
    r"(?:(?:at least|more than|nearly|about|some|around)\s+)?$",
    re.I,
)
# "they saw at least 10 dead bodies": what one witness saw is a part of the toll, not the toll.
_SEEN = re.compile(
    r"\b(?:saw|seen|spotted|counted)\s+(?:(?:at least|about|around|some|more than)\s+)?$", re.IGNORECASE
)


def _bound(before: str, after: str = "") -> str:
    another = _ANOTHER.search(before)
    # "trapping five people and injuring another 40": another besides the five, all of the injured.
    if another and _TOLL_VERB.search(before, 0, another.start()):
        another = None
    if _PART.match(after) or another or _SEEN.search(before[-40:]):
        return "part"
    if _PAST.search(before[-60:]):
        return "past"
    tail = " " + " ".join(re.sub(r"[^\w\s]", " ", before.lower()).split()[-3:])
    for words, kind in ((_FLOORS, "floor"), (_CEILINGS, "ceiling"), (_APPROX, "approx")):
        if any(tail.endswith(" " + w) for w in words):
            return kind
    return ""


def _unit(match: re.Match[str]) -> str:
    if match.group("currency"):
        return _CURRENCY_SYMBOLS[match.group("currency").lower()]
    unit = (match.group("unit") or "").lower().replace(" ", "")
    if unit in ("%", "percent"):
        return "%"
    return _CURRENCY_WORDS.get(unit, "")


@lru_cache(maxsize=50_000)
def quantities(text: str) -> tuple[Quantity, ...]:
    """The quantities `text` states, in order; a range ("between 20 and 30", "20-30") is one."""
    found: list[Quantity] = []
    matches = [m for m in _NUMBER.finditer(text) if m.group().strip() and not _skip(text, m)]
    i = 0
    while i < len(matches):
        m = matches[i]
        value = _number_value(m)
        if value is None:
            i += 1
            continue
        start, end, high = m.start(), m.end(), value
        unit = _unit(m)
        if i + 1 < len(matches) and _RANGE_JOIN.match(text[end : matches[i + 1].start()]):
            nxt = matches[i + 1]
            second = _number_value(nxt)
            joiner = text[end : nxt.start()].strip().lower()
            is_range = joiner == "to" or text[:start].lower().rstrip().endswith("between")
            if not m.group("scale") and nxt.group("scale") and second is not None:
                value_scaled = value * _SCALES[nxt.group("scale").lower()]  # "2 to 3 million"
            else:
                value_scaled = value
            same_unit = unit in ("", _unit(nxt)) and not (unit == "" and m.group("unit"))
            if second is not None and is_range and same_unit and second > value_scaled:
                value, high, end, unit = value_scaled, second, nxt.end(), unit or _unit(nxt)
                i += 1
        before = text[: m.start()]
        after = text[end : end + 40]
        cut = _CONTEXT_END.search(after)
        after_terms = stems(after[: cut.start()] if cut else after)[:_CONTEXT_WORDS]
        near = before[-40:]
        cuts = list(_CONTEXT_END.finditer(near))
        before_terms = stems(near[cuts[-1].end() :] if cuts else near)[-_CONTEXT_WORDS:]
        counted = frozenset(after_terms or before_terms)
        around = frozenset(after_terms) | frozenset(before_terms)
        bound = _bound(before, text[end:])
        head = after_terms[0] if after_terms else (before_terms[-1] if before_terms else "")
        with_attacker = _WITH_ATTACKER.match(text, end) is not None
        toll = _toll(text[end : end + 100], after_terms, before_terms) if not unit else ""
        if not toll and not unit and _TOLL_BEFORE.search(text[max(0, start - 120) : start]):
            toll = "dead"
        step = _step(m)
        found.append(
            Quantity(value, high, unit, bound, counted, start, end, around, step, head, with_attacker, toll)
        )
        i += 1
    return tuple(found)


def _toll(after: str, after_terms: list[str], before_terms: list[str]) -> str:
    """The toll kind of a figure: the first toll word after it in its clause (past an "including ..."
    aside), else the last one before it ("killing at least two people"); "" for none."""
    aside = _ASIDE.match(after)
    if aside:
        rest = aside.group(1) + " " + after[aside.end() :]
        cut = _CONTEXT_END.search(rest)
        after_terms = stems(rest[: cut.start()] if cut else rest)[:_CONTEXT_WORDS]
    if _TOLL_QUALIFIERS & {*after_terms, *before_terms}:
        return ""
    for stem in after_terms:
        kind = TOLL_KINDS.get(stem) or _TOLL_AFTER_ONLY.get(stem)
        if kind:
            return kind
    for stem in reversed(before_terms):
        if stem in TOLL_KINDS:
            return TOLL_KINDS[stem]
    return ""


def same_toll(a: Quantity, b: Quantity) -> bool:
    """True when the two figures are of one toll however the sentences word it ("84 people have died",
    "killing at least 84"): the same toll kind, neither a measure ("85 hours") nor a part or past value,
    and no two different victims named ("12 police" and "5 civilians" killed are two tolls)."""
    if not a.toll or a.toll != b.toll or a.unit or b.unit or {a.bound, b.bound} & {"part", "past"}:
        return False
    if (a.counted | b.counted) & MEASURES:
        return False
    plain = GENERIC | TOLL_STEMS | RUNNING_COUNTS
    return a.head in plain or b.head in plain or a.head in b.counted or b.head in a.counted


def compatible(a: Quantity, b: Quantity) -> bool:
    """True when the two figures can describe one value: equal, one range holding the other, a bound
    the other respects, a rounding ("about 5,000" and 5,000; 4,987 and 5,000), or a toll with the
    attacker against one without."""
    if a.low <= b.high and b.low <= a.high:
        return True  # equal, or overlapping ranges
    if {a.bound, b.bound} & {"part", "past"}:
        return True  # part of a total is not the total; an earlier value is not today's
    for x, y in ((a, b), (b, a)):
        # A floor admits a higher exact figure; two floors ("at least 20", "at least 41") differ.
        if x.bound == "floor" and y.bound != "floor" and y.low >= x.high:
            return True
        if x.bound == "ceiling" and y.bound != "ceiling" and y.high <= x.low:
            return True
    gap = abs(a.value - b.value)
    if a.with_attacker != b.with_attacker and gap == 1 and (a.value > b.value) == a.with_attacker:
        return True  # the toll with the attacker is the other plus one
    if a.bound == "approx" or b.bound == "approx":
        return gap <= 0.15 * max(abs(a.value), abs(b.value))
    return gap <= rounding(a, b)


def rounding(a: Quantity, b: Quantity) -> float:
    """How far apart two figures may be and still be one value written to different precision: a
    figure written to the thousand (5,000) rounds any value within half a thousand of it (4,987). Two
    figures of one toll in tens are counts, not roundings: "80 people were killed" and "84 people have
    died" differ."""
    step = max(a.step, b.step)
    return 0.0 if a.toll and a.toll == b.toll and step < TOLL_ROUNDING else step / 2


def same_thing(a: Quantity, b: Quantity) -> bool:
    """True when the two figures count the same kind of thing in the same unit. A measure ("miles",
    "hours", "percent") says what a figure is in, not what it is of: two figures in miles are one
    thing only when something else around them is shared too (the altitude, the distance flown)."""
    if a.unit != b.unit or not a.counted & b.counted or a.head not in b.counted and b.head not in a.counted:
        return False
    if a.toll and b.toll and a.toll != b.toll:
        return False  # "killed 12 people" and "wounded 40 people": the dead and the wounded
    # "40 people injured" and "seven people died" count people, but not the same people.
    if len(a.counted) >= 2 and len(b.counted) >= 2 and not (a.counted & b.counted) - GENERIC:
        return False
    # "trapping five people" and "Seven people have died" count people, but the words around them differ:
    # a generic count is one thing only when something more than people is shared around it.
    plain = MEASURES | GENERIC
    return bool((a.counted & b.counted) - plain) or bool((a.near & b.near) - plain)
