"""The patterns that find time expressions, one rule per expression shape, grouped by TIMEX3 type.

Each rule names its pattern and the normaliser (in `normalise`) that turns a match into a value. Named
groups carry the parts (`month`, `day`, `year`, `weekday`, `num`, `unit`, `rel`, `mod`); a `core` group,
where present, is the expression's extent within a wider match ("for years": `years`). Patterns are
matched case-insensitively; month and weekday names must be capitalised in the text (see `extract`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from newsfuse.nlp.timex import normalise as n
from newsfuse.nlp.timex.vocabulary import (
    DAY_PARTS,
    MONTHS,
    NUMBERS,
    SEASONS,
    SET_ADVERBS,
    UNITS,
    WEEKDAYS,
    alternation,
)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    normalise: Callable[..., n.Resolution | None]


_START = r"(?<![\w$£€/.-])"
_END = r"(?![\w%])"
MOD = r"(?:(?P<mod>mid-|(?:early|late|mid|the\s+(?:beginning|start|end|middle)\s+of|end\s+of)\s+))?"
_FULL_MONTHS = [m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
# A full name ends at its last letter ("in May."); an abbreviation may take its full stop ("Feb.").
MONTH = (
    r"(?P<month>(?:" + alternation(_FULL_MONTHS) + r")(?![a-z])"
    r"|(?:" + alternation(m for m in MONTHS if m not in _FULL_MONTHS) + r")(?:\.|(?![a-z])))"
)
WEEKDAY = r"(?P<weekday>" + alternation(w for w in WEEKDAYS if len(w) > 3) + r")\b"
DAY = r"(?P<day>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b"
YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)(?![\d%]|,\d|\.\d|\s*(?:percent|per\s+cent)\b)"
_NUMBER_WORDS = alternation(w for w in NUMBERS if w not in ("a", "an", "half", "couple", "a couple of"))
# Any word stands for the number here and the normaliser keeps only real ones ("two", "twenty-five",
# "several"): one character class is far cheaper to try than an alternation of every number word.
NUM = (
    r"(?P<num>\d+(?:\.\d+)?|a\s+(?:couple\s+of|few|half|number\s+of)|one\s+and\s+a\s+half"
    r"|[a-z]+(?:-[a-z]+)?)"
)
UNIT = r"(?P<unit>" + alternation(u for u in UNITS if u != "weekend") + r")(?:s|es)?\b"
PLURAL_UNIT = r"(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b"
SEASON = r"(?P<season>" + alternation(SEASONS) + r")\b"
REL = r"(?P<rel>last|this|next|coming|past|previous|current)"


def _rule(name: str, pattern: str, normalise: Callable[..., n.Resolution | None]) -> Rule:
    return Rule(name, re.compile(_START + pattern + _END, re.IGNORECASE), normalise)


DATE_RULES = (
    _rule(
        "iso_date",
        r"(?P<year>1[6-9]\d\d|20\d\d)-(?P<mnum>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])",
        n.calendar_date,
    ),
    _rule(
        "numeric_date",
        r"(?P<mnum>0?[1-9]|1[0-2])/(?P<day>0?[1-9]|[12]\d|3[01])/(?P<year>(?:19|20)\d\d)",
        n.calendar_date,
    ),
    _rule(
        "month_day",
        MOD + r"(?:" + WEEKDAY + r",?\s+)?" + MONTH + r"\s*" + DAY + r"(?:,?\s+" + YEAR + r")?",
        n.calendar_date,
    ),
    _rule("day_month", MOD + DAY + r"\s+(?:of\s+)?" + MONTH + r"(?:,?\s+" + YEAR + r")?", n.calendar_date),
    _rule("month_year", MOD + MONTH + r"(?:\s+of)?,?\s+" + YEAR, n.month_and_year),
    _rule("month", MOD + r"(?:" + REL + r"\s+)?" + MONTH, n.month_only),
    _rule(
        "year",
        MOD + r"(?:(?P<fiscal>fiscal(?:\s+year)?|the\s+year|calendar|model\s+year)\s+)?" + YEAR,
        n.year_only,
    ),
    _rule(
        "decade", MOD + r"(?:the\s+)?(?:(?P<century>1[6-9]|20)(?P<decade>\d)0|'(?P<decade2>\d)0)'?s", n.decade
    ),
    _rule(
        "season",
        MOD + r"(?:(?:" + REL + r"|the)\s+)?" + SEASON + r"(?:\s+(?:of\s+)?" + YEAR + r")?",
        n.season,
    ),
    _rule(
        "relative_unit",
        MOD
        + r"(?:(?P<rmod>earlier|later)\s+)?"
        + REL
        + r"\s+(?P<unit>week|month|year|quarter|decade|weekend|century)",
        n.relative_unit,
    ),
    _rule("the_weekend", r"(?:the|this)\s+weekend", n.the_weekend),
    _rule(
        "deictic",
        r"(?P<word>today|tonight|yesterday|tomorrow|now|currently|nowadays|recently|lately|"
        r"the\s+future|the\s+past|these\s+days|at\s+present|the\s+present|current|year-end|the\s+year|"
        r"the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
        r"recent\s+(?:years|months|weeks|days|decades|times))",
        n.deictic,
    ),
    _rule(
        "weekday",
        r"(?:" + REL + r"\s+)?" + WEEKDAY + r"(?:\s+(?P<part>" + alternation(DAY_PARTS) + r"))?",
        n.weekday,
    ),
    _rule("ago", MOD + NUM + r"[\s-]+" + UNIT + r"\s+(?P<dir>ago|earlier|later|from\s+now|hence)", n.ago),
    _rule(
        "quarter",
        r"(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|latest|last|current"
        r"|recent|most\s+recent|year-ago|year-earlier|same|previous|prior|fiscal)(?:\s+|-)(?:fiscal\s+)?"
        r"(?P<unit>quarter|half|period)(?:\s+(?:of\s+)?(?:fiscal\s+)?" + YEAR + r")?",
        n.quarter,
    ),
    _rule("the_quarter", r"the\s+(?P<unit>quarter)(?!\s+(?:of|century|mile|point|inch|percent))", n.quarter),
    _rule(
        "holiday",
        r"(?P<holiday>christmas\s+eve|christmas(?:\s+day)?|new\s+year's\s+(?:day|eve)|"
        r"thanksgiving(?:\s+day)?|independence\s+day|valentine's\s+day|halloween)(?:\s+" + YEAR + r")?",
        n.holiday,
    ),
)

TIME_RULES = (
    _rule(
        "clock",
        r"(?P<hour>1[0-2]|0?[1-9])(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)"
        r"(?:\s+(?P<zone>EST|EDT|CST|CDT|PST|PDT|GMT|UTC|local\s+time))?",
        n.clock,
    ),
    _rule(
        "clock24",
        r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?:\s+(?P<zone>GMT|UTC|EST|EDT|local\s+time))",
        n.clock,
    ),
    _rule("noon", r"(?P<word>noon|midday|midnight)", n.noon),
    _rule(
        "day_part",
        r"(?P<rel>this|yesterday|tomorrow|last|tonight|today)\s+(?P<part>"
        + alternation(DAY_PARTS)
        + r")|(?P<tonight>tonight)",
        n.day_part,
    ),
)

DURATION_RULES = (
    _rule(
        "duration",
        MOD + r"(?:the\s+)?(?:(?P<rel>past|last|next|first|previous|coming|final|following|"
        r"latest|initial|recent|other)\s+)?" + NUM + r"[\s-]+" + UNIT + r"(?:[\s-](?P<old>long|old))?",
        n.duration,
    ),
    _rule(
        "duration_the",
        r"the\s+(?P<rel>past|last|next|coming|previous|following|entire|whole|full)\s+" + UNIT,
        n.duration_one,
    ),
    _rule(
        "duration_plural",
        r"(?:for|over|in|within|after|take|took|takes|lasted|last)\s+(?P<core>" + PLURAL_UNIT + r")",
        n.duration_vague,
    ),
)

SET_RULES = (
    _rule("set_adverb", r"(?P<word>" + alternation(SET_ADVERBS) + r")", n.set_adverb),
    _rule(
        "set_every",
        r"(?P<every>every|each|per)\s+(?:(?P<num>\d+|other|"
        + _NUMBER_WORDS
        + r")\s+)?(?:"
        + UNIT
        + r"|"
        + WEEKDAY
        + r"s?)",
        n.set_every,
    ),
    _rule("set_times", r"(?P<times>once|twice|three\s+times|\d+\s+times)\s+a\s+" + UNIT, n.set_every),
)

RULES = DATE_RULES + TIME_RULES + DURATION_RULES + SET_RULES
# Words an expression must be written with a capital ("May" the month, not the verb).
CAPITALISED_GROUPS = ("month", "weekday", "holiday")

# ---------------------------------------------------------------- where rules are tried
# Every expression holds a head word (a month, weekday, unit, season, digit or one of the words below),
# so a rule is tried only at the few words before each head of its kinds, never at every character:
# that is what keeps finding expressions well under a millisecond an article (benchmarks/timex_speed.py).
HEAD_WINDOW = 4  # words before the head where an expression may start ("one and a half years ago")
_WORD_HEADS = (
    "today tonight yesterday tomorrow now currently nowadays recently lately future past present moment "
    "current christmas new thanksgiving independence valentine halloween noon midday midnight"
).split()
HEAD_KINDS: dict[str, str] = {
    **{w: "word" for w in _WORD_HEADS},
    **{w: "word" for w in DAY_PARTS},
    **{w: "word" for w in SET_ADVERBS},
    **{w: "season" for w in SEASONS},
    **{w: "unit" for u in UNITS for w in (u, u + "s", u + "es")},
    "centuries": "unit",
    "days": "unit",
    **{w: "quarter" for w in ("quarter", "quarters", "half", "period")},
    **{w: "weekend" for w in ("weekend", "weekends")},
    **{w: "weekday" for w in WEEKDAYS if len(w) > 3},
    **{w + s: "weekday" for w in WEEKDAYS if len(w) > 3 for s in ("s",)},
    **{w: "month" for w in MONTHS},
}
# The words before a head that an expression can open with ("the", "last", "two", "early", "for" ...).
OPENING_WORDS = (
    frozenset(
        "the a an early late mid end beginning start middle last this next coming past previous current "
        "several few many some numerous number couple half one first second third fourth 1st 2nd 3rd 4th "
        "final latest recent most year same prior fiscal calendar model earlier later every each per other "
        "once twice three for over in within after take took takes lasted these at".split()
    )
    | frozenset(NUMBERS)
    | frozenset(w for w in WEEKDAYS if len(w) > 3)
)
# The head kinds each rule's expressions hold. Numbers are told apart by their digits: a year ("1990",
# "1990s") has four, a day, month or hour ("3", "02/27/1998", "3:30") one or two; a decade may be "'80s".
RULE_HEADS: dict[str, tuple[str, ...]] = {
    "iso_date": ("digit4",), "numeric_date": ("digit12",), "month_day": ("month",), "day_month": ("month",),
    "month_year": ("month",), "month": ("month",), "year": ("digit4",), "decade": ("digit4", "apostrophe"),
    "season": ("season",), "relative_unit": ("unit", "quarter", "weekend"), "the_weekend": ("weekend",),
    "deictic": ("word", "unit"), "weekday": ("weekday",), "ago": ("unit", "quarter"),
    "quarter": ("quarter",), "the_quarter": ("quarter",), "holiday": ("word",), "clock": ("digit12",),
    "clock24": ("digit12",), "noon": ("word",), "day_part": ("word",), "duration": ("unit", "quarter"),
    "duration_the": ("unit", "quarter"), "duration_plural": ("unit",), "set_adverb": ("word",),
    "set_every": ("unit", "weekday", "quarter"), "set_times": ("unit", "quarter"),
}  # fmt: skip
HEAD_KIND_NAMES = ("digit4", "digit12", "apostrophe", "month", "weekday", "unit", "quarter", "weekend",
                   "season", "word")  # fmt: skip
# Rules whose expressions always begin with their head word ("3 p.m.", "daily", "Christmas").
STARTS_AT_HEAD = frozenset(["iso_date", "numeric_date", "clock", "clock24", "noon", "holiday", "set_adverb"])
RULES_BY_HEAD: dict[str, tuple[tuple[int, Rule], ...]] = {
    kind: tuple((i, r) for i, r in enumerate(RULES) if kind in RULE_HEADS[r.name]) for kind in HEAD_KIND_NAMES
}
RULES_OPENED_BY_HEAD: dict[str, tuple[tuple[int, Rule], ...]] = {
    kind: tuple((i, r) for i, r in rules if r.name not in STARTS_AT_HEAD)
    for kind, rules in RULES_BY_HEAD.items()
}
