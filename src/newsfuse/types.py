"""The records that cross stage boundaries: the project's shared vocabulary.

Every record is frozen and slotted. Every position is a character offset into `Article.text`, the cleaned
canonical body of an article, so any sentence, entity, quote or citation can be checked by slicing the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not become an article, and why. Counted, stored and shown; never silent."""

    source: str
    reason: str


# ---------------------------------------------------------------- understanding

EntityType = Literal["PERSON", "ORG", "PLACE", "DATE"]


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


@dataclass(frozen=True, slots=True)
class Annotated:
    """An article with what the NLP stage found in it."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]


# ---------------------------------------------------------------- fusing

# Precedence when several apply: contested > updated > corroborated > relayed > single_source.
ClaimStatus = Literal["corroborated", "relayed", "single_source", "contested", "updated"]
# How a supporting sentence stands to its claim: it states it, states another value for it, or states it
# later with a new value.
Stance = Literal["agrees", "contradicts", "updates"]
# Where a piece of information first came from: a person's statement to an outlet, a wire story, or an
# outlet's own reporting.
OriginKind = Literal["statement", "wire", "outlet"]


@dataclass(frozen=True, slots=True)
class Citation:
    """`article.text[start:end]` is exactly the cited words."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    citations: tuple[Citation, ...]


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
class StoryQuote:
    """A quote as the story shows it: the speaker under their canonical name, and `via` the whole
    outlet chain, nearest the speaker first and ending with the outlet of the reporting article."""

    speaker: str | None
    cue: str
    text: str
    article_id: str
    start: int
    end: int
    direct: bool
    via: tuple[str, ...] = ()


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
    origins: tuple[Origin, ...] = ()
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one `run` produced: the stories touched, the articles read, and the inputs rejected."""

    stories: tuple[Story, ...]
    articles: tuple[Article, ...]
    rejected: tuple[Rejected, ...] = field(default_factory=tuple)
