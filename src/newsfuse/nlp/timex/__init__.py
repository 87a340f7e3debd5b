"""Time expressions: found as spans, normalised to TIMEX3 values, anchored on the report's date.

HeidelTime's approach in small (patterns and normalisation rules per expression type): `vocabulary`
(the words), `patterns` (one rule per expression shape), `normalise` (a value per rule), `anchoring`
(calendar arithmetic and the sentence's tense), `dateline` (the date a report states), `extract` (runs
the rules), `dates` (calendar dates of values and spans, for the timeline, claims and quotes).
"""

from newsfuse.nlp.timex.dateline import dateline_date, dateline_span
from newsfuse.nlp.timex.dates import calendar_date, date_of_span
from newsfuse.nlp.timex.extract import choose_anchor, find_timexes

__all__ = ["calendar_date", "choose_anchor", "date_of_span", "dateline_date", "dateline_span", "find_timexes"]
