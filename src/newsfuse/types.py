"""The records that cross stage boundaries: the project's shared vocabulary.

Every record is frozen and slotted. Every position is a character offset into `Article.text`, the cleaned
canonical body of an article, so any sentence, entity, quote or citation can be checked by slicing the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Generic, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

# ---------------------------------------------------------------- reading and cleaning


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an article was read from."""

    source: str  # the file path (as given) or URL
    format: str  # "txt" | "html" | "jsonl" | "json" | "feed" | "warc"
    record: int | None = None  # 0-based record index inside a multi-record file


@dataclass(frozen=True, slots=True)
class RawArticle:
    """What a reader found, before cleaning. `body` still holds captions and page furniture."""

    title: str
    body: str
    provenance: Provenance
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    record_id: str | None = None  # an id given by the input record, kept for reference
    authors: tuple[str, ...] = ()  # as the input names them (a record's list, page metadata, `Authors:` line)
    published_evidence: str | None = None  # where `published` came from ("record", "html metadata")
    canonical_url: str | None = None  # `url` without tracking parameters or AMP, or the page's rel=canonical
    # What the reader had to guess or could not use ("date '2017-02-30' is not a date; no date kept"),
    # kept with the article rather than dropped without a word.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. `text` is canonical: every span in every output indexes into it."""

    id: str
    title: str
    text: str
    provenance: Provenance
    url: str | None = None
    outlet: str | None = None
    # True when the outlet was read off the text (a subscription block, a wire dateline) rather than
    # given by the record or URL; `outlet_evidence` says which.
    outlet_inferred: bool = False
    outlet_evidence: str | None = None
    published: datetime | None = None
    credits: tuple[str, ...] = ()  # photo and wire credits found in captions ("The Associated Press")
    removed: tuple[str, ...] = ()  # the blocks cleaning removed from the body, kept for audit
    # The host the article came from ("edition.cnn.com"); `outlet` is the registry's name for it ("CNN").
    outlet_domain: str | None = None
    authors: tuple[str, ...] = ()  # from the record, the page's metadata or a byline in the text
    # Where `published` came from: "record", "html metadata" or "dateline" (the text's own date line).
    published_evidence: str | None = None
    language: str | None = None  # ISO 639-1 code of the text's language, as detected ("en", "ar")
    source_id: str | None = None  # the input record's own `id`, so results map back to the user's data
    # The article's identity across re-crawls: versions with one canonical URL are one article.
    canonical_url: str | None = None
    warnings: tuple[str, ...] = ()  # what reading or cleaning guessed or dropped, with the value it saw
    # Set by the store: the id of the newer version of this article (same canonical URL, changed text).
    # A superseded version is kept but no story uses it.
    superseded_by: str | None = None


class RejectCode(StrEnum):
    """Why an input could not become an article: one code per kind of problem, each with advice."""

    NOT_FOUND = "not-found"
    EMPTY_FOLDER = "empty-folder"
    UNSUPPORTED_FORMAT = "unsupported-format"
    UNREADABLE_FILE = "unreadable-file"
    TOO_LARGE = "too-large"
    EMPTY = "empty"
    UNREADABLE_ENCODING = "unreadable-encoding"
    BAD_JSON = "bad-json"
    BAD_RECORD = "bad-record"
    BAD_FIELD = "bad-field"
    NO_TEXT = "no-text"
    BAD_HTML = "bad-html"
    BAD_FEED = "bad-feed"
    BAD_ARCHIVE = "bad-archive"
    BOILERPLATE_ONLY = "boilerplate-only"
    OTHER = "other"  # a reader that names no code; and rejections stored before codes existed

    @property
    def advice(self) -> str:
        """What the user can do about it."""
        return _REJECT_ADVICE[self]


_REJECT_ADVICE = {
    RejectCode.NOT_FOUND: "check the path",
    RejectCode.EMPTY_FOLDER: "give a folder of .txt, .html, .json, .jsonl, feed or WARC files",
    RejectCode.UNSUPPORTED_FORMAT: "rename the file with the suffix of its format, or convert it",
    RejectCode.UNREADABLE_FILE: "check the file's permissions, or that it is not damaged",
    RejectCode.TOO_LARGE: "split the file into articles, or check that it is the file you meant",
    RejectCode.EMPTY: "remove the file, or fill it",
    RejectCode.UNREADABLE_ENCODING: "save the file as UTF-8",
    RejectCode.BAD_JSON: "fix the JSON at the place named",
    RejectCode.BAD_RECORD: "give one JSON object per article",
    RejectCode.BAD_FIELD: "fix the field named",
    RejectCode.NO_TEXT: "give the article's text (field 'text' or 'maintext'; a .txt needs a body)",
    RejectCode.BAD_HTML: "check that the file is a web page",
    RejectCode.BAD_FEED: "check that the file is an RSS or Atom feed",
    RejectCode.BAD_ARCHIVE: "check that the file is a complete WARC archive",
    RejectCode.BOILERPLATE_ONLY: "nothing to do if the page held no article; else give its text",
    RejectCode.OTHER: "see the reason",
}


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not become an article, and why. Counted, stored and shown; never silent.

    `source` names the file, with "#N" for the record; `reason` says what is wrong (with the line or
    record); `code` is the kind of problem, whose `advice` says what to do.
    """

    source: str
    reason: str
    code: RejectCode = RejectCode.OTHER

    @property
    def message(self) -> str:
        """One line for people: where, what, and what to do."""
        return f"{self.source}: {self.reason} [{self.code}: {self.code.advice}]"


# ---------------------------------------------------------------- understanding

# Dates are not entities: they are time expressions (TimeExpression) with a resolved value.
EntityType = Literal["PERSON", "ORG", "PLACE"]


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention. `type` is one of EntityType; `label` keeps the NER label it came from."""

    start: int
    end: int
    text: str
    type: str
    label: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement attributed to a speaker, direct ("...", he said) or reported (he said that ...).

    `via` is the outlet chain the statement travelled through before this article, nearest to the
    speaker first: a statement made to Fars, reported by Rudaw, gives ("Fars News", "Rudaw").
    """

    content_start: int
    content_end: int
    cue: str
    cue_start: int
    cue_end: int
    direct: bool
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    via: tuple[str, ...] = ()
    # The speaker step (nlp/attribution/speakers.py): what the span as written is, the name it resolves
    # to within the article (None when it does not), and the evidence. The span itself is never replaced.
    speaker_kind: str | None = None
    speaker_name: str | None = None
    speaker_how: str | None = None


TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
TimexAnchor = Literal["published", "dateline"]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression ("on Thursday", "late December 2016", "two days") and what it resolves to.

    `value` is TimeML TIMEX3 form: `2017-02-09`, `2016-12`, `P1M`, `PRESENT_REF`, or with X for what the
    text leaves open (`XXXX-WXX-4`: a Thursday no date anchors). `anchor` says which date a relative
    expression was resolved against (None: the expression is absolute, or nothing anchored it), and
    `anchor_date` that date, so the resolution can be checked; `mod` is TIMEX3's modifier (START for
    "early", END for "late", MID, APPROX ...). `rule` names the pattern that found it.
    """

    start: int
    end: int
    text: str
    type: str  # one of TimexType
    value: str
    anchor: str | None = None  # one of TimexAnchor
    anchor_date: str | None = None  # ISO date the expression was resolved against
    mod: str | None = None
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Annotated:
    """An article with what the NLP stage found in it."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    timexes: tuple[TimeExpression, ...] = ()


@dataclass(frozen=True, slots=True)
class Analysed(Annotated):
    """An article's whole per-article analysis (newsfuse/analysis.py), computed once in an executor's
    worker and stored: the annotation, plus what grouping and fusion read instead of recomputing.

    `version` is the ANALYSIS_VERSION that produced it (0: stored before analyses were versioned).
    The embedding is left out of `==` (an array has no truth value); compare it with numpy.
    """

    title_terms: tuple[tuple[str, int], ...] = ()  # content term -> count in the headline (nlp/terms.py)
    body_terms: tuple[tuple[str, int], ...] = ()  # the same for the body text
    embedding: NDArray[np.float32] | None = field(default=None, compare=False, repr=False)
    version: int = 0
    # The text's near-copy fingerprint (nlp/fingerprint.py), stored apart (`article_fingerprints`) and
    # read back by fusion, not with the annotation: None once loaded.
    fingerprint: Fingerprint | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text's MinHash signature over its word 5-shingles, and how many distinct shingles it has."""

    signature: NDArray[np.uint64]  # MINHASH_PERMUTATIONS values
    shingles: int


# ---------------------------------------------------------------- fusing

# Precedence when several apply: contested > updated > corroborated > relayed > single_source.
ClaimStatus = Literal["corroborated", "relayed", "single_source", "contested", "updated"]
# How a supporting sentence stands to its claim: it states it, states another value for it, or states it
# later with a new value.
Stance = Literal["agrees", "contradicts", "updates"]
# Where a piece of information first came from: a person's statement to an outlet, a wire story, or an
# outlet's own reporting.
OriginKind = Literal["statement", "wire", "outlet"]
# What two reports of one fact disagree on, and whether the later one updates the earlier (a toll that
# rose) or they disagree about the same moment.
ConflictKind = Literal["number", "date", "negation", "actor", "other"]
ConflictRelation = Literal["disagree", "update"]


@dataclass(frozen=True, slots=True)
class Citation:
    """`article.text[start:end]` is exactly the cited words."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a source, exactly `citations[0]`'s words; the other citations state its claim too.
    `voice` names the outlet when the words are that outlet's own evaluative wording (shown inline as
    "Breitbart: ...")."""

    text: str
    citations: tuple[Citation, ...]
    voice: str | None = None


@dataclass(frozen=True, slots=True)
class Support:
    """One source sentence under a claim, how it stands to the claim, and the origin (`Origin.id`) it
    carries."""

    citation: Citation
    stance: Stance = "agrees"
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where information first came from. `articles` are the article ids that carry it; `evidence` cites
    the words that show it (a credit line, a dateline, "told Fars"; the shared opening of near-copies)."""

    id: str
    name: str
    kind: OriginKind
    articles: tuple[str, ...]
    evidence: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement as the sources make it: `text` is the words of its first supporting sentence."""

    text: str
    status: ClaimStatus
    support: tuple[Support, ...]
    outlets: tuple[str, ...]  # display names of the outlets that carry it
    origins: tuple[str, ...] = ()  # ids of the independent origins among `story.origins`
    date: str | None = None  # when it happened, from the first citation's own time expression

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(s.citation for s in self.support)


@dataclass(frozen=True, slots=True)
class Detail:
    """A fact only one origin gives (a figure, a name, a place, a time), ranked among the story's details."""

    text: str
    citations: tuple[Citation, ...]
    origin: str  # an `Origin.id`


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One side of a conflict: the sentences that give one value. `text` is exactly `citations[0]`'s
    words; `published` the earliest publication time among them; `origin` the `Origin.id` of the first."""

    text: str
    citations: tuple[Citation, ...]
    published: datetime | None = None
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Where sources disagree on one claim (`claim`: its index in `Story.claims`): what kind of value,
    whether it is an update or a disagreement, and each side in its own words, earliest first."""

    kind: ConflictKind
    relation: ConflictRelation
    sides: tuple[ConflictSide, ...]
    claim: int


SpeakerKind = Literal["name", "role", "pronoun", "organisation", "unnamed"]


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """Who a story quote is attributed to: the words and span as written in the quoting article, what
    they are (`kind`: a SpeakerKind), the canonical entity name they resolve to across the story (None
    when unresolved, e.g. a pronoun with no antecedent) and `how` that resolution was made."""

    text: str
    kind: str
    start: int
    end: int
    name: str | None = None
    how: str | None = None


@dataclass(frozen=True, slots=True)
class StoryQuote:
    """A quote as the story shows it: the speaker under their canonical name, and `via` the whole
    outlet chain, nearest the speaker first and ending with the outlet of the reporting article."""

    speaker: SpeakerRef | None
    cue: str
    text: str
    article_id: str
    start: int
    end: int
    direct: bool
    via: tuple[str, ...] = ()
    date: str | None = None  # resolved date of a time expression in the quote's sentence


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated event of a story: `text` is the sentence stating it (exactly `citations[0]`'s words),
    `date` an ISO 8601 prefix (`2017-02-09`, `2016-12`, `2017`) resolved from that sentence's own time
    expression, cited in `expressions`; every article that dates the event alike is cited."""

    date: str
    granularity: str  # "day" | "month" | "year"
    text: str
    citations: tuple[Citation, ...]
    expressions: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Statement:
    """One original statement and every quote of the story that relays it (indices into
    `Story.quotes`). `speaker` is the canonical name, `text` the words of its first quote, `origin` the
    outlet nearest the speaker in the quotes' chains (None when the statement was made to no outlet)."""

    speaker: str
    text: str
    quotes: tuple[int, ...]
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity within a story under its canonical name, with every mention as a citation."""

    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    outlet: str | None
    title: str
    url: str | None
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Story:
    """The fused account of one story."""

    id: str
    title: str
    articles: tuple[ArticleRef, ...]
    summary: tuple[SummarySentence, ...] = ()
    claims: tuple[Claim, ...] = ()
    quotes: tuple[StoryQuote, ...] = ()
    entities: tuple[Entity, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    statements: tuple[Statement, ...] = ()
    origins: tuple[Origin, ...] = ()
    details: tuple[Detail, ...] = ()
    conflicts: tuple[Conflict, ...] = ()  # contract 2.2


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one `run` produced: the stories touched, the articles read, and the inputs rejected."""

    stories: tuple[Story, ...]
    articles: tuple[Article, ...]
    rejected: tuple[Rejected, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()  # what was read but handled differently ("not English: not analysed")


# ---------------------------------------------------------------- reading the store (store/queries.py)

StoryOrder = Literal["newest", "coverage"]  # latest article first; most outlets (then articles) first
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Page(Generic[_T]):
    """One page of a longer list: `items` from position `offset` (0-based), `total` in the whole list."""

    items: tuple[_T, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Which stories a listing shows; every field given must hold (None: no condition)."""

    query: str | None = None  # words that must all occur (stemmed) in the title, summary, claims or entities
    outlet: str | None = None  # an outlet's display name, as `ArticleRef.outlet` (case ignored)
    entity: str | None = None  # a canonical entity name (case ignored)
    since: datetime | None = None  # the story's latest article is at or after this
    until: datetime | None = None  # the story's first article is at or before this


@dataclass(frozen=True, slots=True)
class StoryListing:
    """What a story list shows of one story, read from the store's index rather than its account."""

    id: str
    title: str
    first_published: datetime | None
    latest_published: datetime | None
    articles: int
    outlets: tuple[str, ...]
    origins: int
    claims: int
    corroborated: int
    contested: int
    quotes: int
    lead: str | None  # the first summary sentence


@dataclass(frozen=True, slots=True)
class Facet:
    """A value to filter stories by (an outlet, an entity) and how many stories have it."""

    value: str
    stories: int
    type: str | None = None  # an entity's type


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One stored article with its spans (None when not annotated yet) and the stories that list it."""

    article: Article
    annotation: Annotated | None
    stories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A story's claim as a row of the store (`story_claims`); `position` indexes `Story.claims`."""

    story_id: str
    position: int
    text: str
    status: str
    outlets: tuple[str, ...]
    origins: tuple[str, ...]
    date: str | None


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A story's quote as a row of the store (`story_quotes`); `position` indexes `Story.quotes`;
    `speaker` is the canonical name, else the words as written."""

    story_id: str
    position: int
    speaker: str | None
    speaker_kind: str | None
    cue: str
    text: str
    article_id: str
    start: int
    end: int
    direct: bool
    via: tuple[str, ...]
    date: str | None
