"""The JSON shapes of the HTTP API, as the OpenAPI description at /openapi.json documents them.

A story is documented by its record (`newsfuse.types.Story`) and sent through the story codec
(`serialize.story_to_dict`, the stories.json contract); the rest are the models below.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from newsfuse.types import Mention, Quote, Sentence, TimeExpression


class ErrorBody(BaseModel):
    code: str = Field(description="what kind of failure: not-found, invalid-request, unauthorized, ...")
    message: str = Field(description="one line for people: what is wrong, with which input")
    detail: Any = Field(default=None, description="more, when there is more: the failing fields, a limit")


class ErrorOut(BaseModel):
    """Every failure, validation included, answers this shape."""

    error: ErrorBody


class HealthOut(BaseModel):
    status: str
    version: str
    contract_version: str
    stories: int
    ingest_ready: bool = Field(
        description="whether an ingest has loaded the language models (the first does)"
    )


class StoryListingOut(BaseModel):
    id: str
    title: str
    first_published: datetime | None
    latest_published: datetime | None
    articles: int
    outlets: list[str]
    origins: int
    claims: int
    corroborated: int
    contested: int
    quotes: int
    lead: str | None
    url: str = Field(description="the story's page on this server")


class StoryPageOut(BaseModel):
    items: list[StoryListingOut]
    total: int
    offset: int
    limit: int


class ArticleRecord(BaseModel):
    """An article as `articles.json` has it (serialize.article_to_dict)."""

    id: str
    outlet: str | None
    title: str
    url: str | None
    published: str | None
    text: str
    outlet_inferred: bool
    outlet_evidence: str | None
    source: str
    format: str
    record: int | None
    credits: list[str]
    removed: list[str]
    outlet_domain: str | None
    authors: list[str]
    published_evidence: str | None
    language: str | None
    source_id: str | None
    canonical_url: str | None
    warnings: list[str]
    superseded_by: str | None


class ArticleOut(BaseModel):
    """One article with its spans: every span is a character range of `article.text`."""

    article: ArticleRecord
    annotated: bool
    sentences: list[Sentence]
    mentions: list[Mention]
    quotes: list[Quote]
    timexes: list[TimeExpression]
    stories: list[str]


class RejectedOut(BaseModel):
    source: str
    code: str
    reason: str
    advice: str


class RejectedPageOut(BaseModel):
    items: list[RejectedOut]
    total: int
    offset: int
    limit: int


class TouchedStory(BaseModel):
    id: str
    title: str
    articles: int
    url: str


class IngestOut(BaseModel):
    read: int = Field(description="articles read and cleaned from the request")
    new: list[str] = Field(description="ids of the articles the store did not hold before")
    articles: list[str] = Field(description="ids of every article read, in input order")
    rejected: list[RejectedOut]
    stories: list[TouchedStory] = Field(description="the stories the articles belong to now")


class ClaimOut(BaseModel):
    story_id: str
    position: int
    text: str
    status: str
    outlets: list[str]
    origins: list[str]
    date: str | None


class ClaimPageOut(BaseModel):
    items: list[ClaimOut]
    total: int
    offset: int
    limit: int


class QuoteOut(BaseModel):
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
    via: list[str]
    date: str | None


class QuotePageOut(BaseModel):
    items: list[QuoteOut]
    total: int
    offset: int
    limit: int
