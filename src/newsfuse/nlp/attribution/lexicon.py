"""The words and patterns attribution rules are made of: reporting verbs in four groups, the words around
them, and the token and quote-mark patterns.
"""

from __future__ import annotations

import re


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


BARE = _set(_BARE_VERBS)
THAT = _set(_THAT_VERBS)
BELIEF = _set(_BELIEF_VERBS)
CHARACTERIZE = _set(_CHARACTERIZE_VERBS)
TELL = frozenset({"tell", "tells", "told", "telling"})
# Cues followed by the person or outlet addressed ("told Fars", "asked reporters").
OBJECT_CUES = TELL | frozenset({"ask", "asks", "asked", "urge", "urges", "urged", "warn", "warns", "warned"})
# Gerunds are cues only after a comma (", saying that ...") or in "quoted as saying".
GERUNDS = frozenset({"saying", "adding", "telling", "noting", "arguing", "warning", "insisting", "claiming"})

#: Every single-word cue form recognised, for reference and tests.
CUE_FORMS: frozenset[str] = BARE | THAT | BELIEF | CHARACTERIZE | GERUNDS
# Every lower-case word a cue can start with (`document.cue_at` is None for any other): the rules look
# for cues only at these tokens.
CUE_STARTS: frozenset[str] = CUE_FORMS | TELL | {"according", "quoted", "pointed", "points", "point"}

# Forms that are also common nouns ("the reports", "a claim"): not a verb after a determiner.
NOUNISH = _set(
    "report reports claim claims note notes state states comment comments tweet tweets answer answers "
    "promise promises pledge pledges vow vows remark remarks reply replies mention mentions find finds "
    "show shows thought warning caution counter call calls attack attacks praise label labels brand brands "
    "term terms blast blasts slam slams hail mock"
)
DETERMINERS = _set(
    "the a an this that these those his her its their our my your some any no every each another other such"
)
# Words before a noun-verb form that make it the noun: "media reports", "news reports".
NOUN_MODIFIERS = DETERMINERS | _set(
    "media news press new recent false following latest public official initial earlier final"
)
AUX = _set(
    "has have had is was were are be been being will would could can may might must should shall did does "
    "do 's also then again later earlier previously recently once first still even further too now already "
    "just reportedly repeatedly publicly privately initially subsequently frequently often always never "
    "separately similarly today yesterday tonight ago"
)
BE = _set("is was were are be been being 's")
LET = frozenset({"let", "let's", "let’s", "lets"})
DATE_PREPS = _set("on in at during since by last early late this")
SETTING_PREPS = _set("in at on during via through")
# Words that make a would-be speaker phrase a clause ("Its first ad could start this week").
VERBISH = BE | _set("has have had will would could can may might must should shall did does do")
NEGATION = frozenset({"not", "never", "n't", "didn't", "doesn't", "don't", "wasn't", "hasn't", "haven't"})
# Lowercase words in -ly that are nouns, not adverbs.
LY_NOUNS = _set("ally family assembly supply rally bully monopoly reply daily weekly july italy")
PREPS = _set(
    "of for to at in on with from by about against under over near like including than between among "
    "behind within without into toward towards after before during via through across per"
)
# Words that end a subject phrase scanning leftwards from the cue.
BOUNDARY_WORDS = _set(
    "that which when while after before because since as if though although whereas where whether but "
    "so what how why whom whose until unless once than then said says told"
)
CLAUSE_PUNCT = frozenset(
    {";", ":", "—", "–", "-", "--", "(", ")", "[", "]", "?", "!", '"', "“", "”", "``", "''"}
)
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "there"})
OBJECT_PRONOUNS = frozenset({"him", "her", "them", "us", "me", "you", "it"})
LEADING_NOISE = _set(
    "and but or so yet also however meanwhile now still then thus furthermore moreover instead later "
    "earlier finally indeed besides"
)
# Nouns naming where or how something was said: "in a statement", "on Twitter", "at a news conference".
SETTING_NOUNS = _set(
    "statement statements interview interviews speech speeches tweet tweets post posts letter letters "
    "release conference briefing rally rallies hearing op-ed email video broadcast appearance remarks "
    "twitter facebook instagram television tv radio podcast debate address call memo report filing "
    "testimony session meeting event message website site blog page account program programme show "
    "column editorial stop forum summit convention ceremony roundtable lecture luncheon dinner"
)
# Words that make a told/according-to phrase a media outlet rather than people in a room.
OUTLET_WORDS = _set(
    "agency tv television radio newspaper paper daily channel network broadcaster outlet magazine website "
    "news station wire times post journal telegraph guardian herald tribune gazette reuters ap afp "
    "bloomberg cnn bbc msnbc nbc cbs abc fox npr pbs politico axios tass interfax xinhua irna isna fars "
    "tasnim rudaw press al-jazeera aljazeera al-arabiya sana yonhap kyodo ria"
)
NOT_OUTLETS = _set(
    "reporters journalists lawmakers supporters officials aides colleagues voters members audience crowd "
    "him her them us me you people"
)
ABBREVIATIONS = _set(
    "mr mrs ms dr st jr sr sen rep gov gen lt col sgt capt prof rev gens sens reps ft mt no vs inc corp "
    "co ltd jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n"
)

# ---------------------------------------------------------------- regexes

TOKEN = re.compile(r"\w+(?:[’'`.&\-]\w+)*|``|''|[^\w\s]")
# Quote marks: typographic, doubled single marks (‘‘ ’’ `` ''), and the ambiguous straight mark.
QUOTE_MARK = re.compile(r"“|”|‘‘|’’|``|''|\"")
OPENERS = frozenset({"“", "‘‘", "``"})
CLOSERS = frozenset({"”", "’’"})
DASHES = frozenset({"—", "–", "―", "-"})
QUOTE_TOKENS = frozenset({'"', "“", "”", "``", "''", "‘‘", "’’", "‘", "’"})
NEWLINE = re.compile(r"\n")
ABBREVIATION_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr)|\b[A-Z])\.$"
)
POSSESSIVE_AFTER = ("'s", "’s", "' ", "’ ")
