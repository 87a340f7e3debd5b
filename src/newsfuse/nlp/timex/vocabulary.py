"""The words time expressions are built of, and what each one means (months, weekdays, numbers, units)."""

from __future__ import annotations

from collections.abc import Iterable

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3, "thursday": 4,
    "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5,
    "couple": 2, "a couple of": 2,
}  # fmt: skip
VAGUE_NUMBERS = ("several", "few", "a few", "many", "some", "numerous", "the next few", "a number of")
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}  # fmt: skip
# Unit word -> (TIMEX3 duration letter, whether it is a time of day unit written after "PT").
UNITS = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "week": ("W", False), "weekend": ("WE", False), "month": ("M", False), "year": ("Y", False),
    "decade": ("0Y", False), "century": ("00Y", False), "quarter": ("Q", False),
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# The month each season starts and the month it ends (northern hemisphere; winter runs into next year).
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
MODIFIERS = {
    "early": "START", "the beginning of": "START", "the start of": "START", "late": "END",
    "the end of": "END", "end of": "END",
    "mid": "MID", "mid-": "MID", "the middle of": "MID", "about": "APPROX", "around": "APPROX",
    "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "nearly": "LESS_THAN",
    "almost": "LESS_THAN", "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
}  # fmt: skip
# "quarterly" and "annually" are left out: in news they mostly qualify a figure ("a quarterly dividend").
SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "hourly": "PT1H",
               "nightly": "P1D"}  # fmt: skip


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of `words`, longest first so that "sept" wins over "sep"."""
    items = sorted(words, key=len, reverse=True)
    return "|".join(w.replace(".", r"\.").replace(" ", r"\s+") for w in items)


def number_value(word: str) -> float | None:
    """The number a word or digits give ("two" 2, "16" 16, "twenty-five" 25); None for a vague one."""
    word = " ".join(word.lower().split())
    if word.replace(".", "", 1).isdigit():
        return float(word)
    if word in NUMBERS:
        return float(NUMBERS[word])
    if "-" in word:
        tens, _, ones = word.partition("-")
        if tens in NUMBERS and ones in NUMBERS:
            return float(NUMBERS[tens] + NUMBERS[ones])
    return None
