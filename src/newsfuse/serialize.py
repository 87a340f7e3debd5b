"""JSON-ready dicts for the output contract (`stories.json`, `articles.json`) and for stored annotations.

Every `*_to_dict` returns only dicts, lists, strings, numbers, booleans and None, so `json.dumps` takes it
as is; every `*_from_dict` rebuilds the exact record (`x_from_dict(x_to_dict(x)) == x`). Datetimes are
written with `datetime.isoformat()`; an aware datetime comes back with a fixed-offset timezone, which
compares equal to the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar, get_args

from newsfuse.types import (
    Annotated,
    Article,
    ArticleRef,
    Citation,
    Claim,
    ClaimStatus,
    Entity,
    Mention,
    Provenance,
    Quote,
    Sentence,
    SpeakerRef,
    Statement,
    Story,
    StoryQuote,
    SummarySentence,
    TimeExpression,
    TimelineEntry,
)

# Bumped on any change a reader of stories.json would notice: major for a removed or renamed field,
# minor for an added one.
CONTRACT_VERSION = "1.0"

_T = TypeVar("_T")


# ---------------------------------------------------------------- small helpers


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# An offset with fractional seconds, as isoformat writes it for such a timezone.
_FRACTIONAL_OFFSET = re.compile(r"([+-])(\d\d):(\d\d):(\d\d)\.(\d{6})$")


def datetime_from_iso(value: Any) -> datetime | None:
    """Inverse of `datetime.isoformat()` (None stays None). Raises TypeError or ValueError on bad input."""
    if value is None:
        return None
    text = _str(value)
    # Python 3.11's fromisoformat drops the microseconds of an offset, so such offsets are read here.
    fractional = _FRACTIONAL_OFFSET.search(text)
    if fractional:
        sign, hours, minutes, seconds, micros = fractional.groups()
        offset = timedelta(
            hours=int(hours), minutes=int(minutes), seconds=int(seconds), microseconds=int(micros)
        )
        zone = timezone(-offset if sign == "-" else offset)
        return datetime.fromisoformat(text[: fractional.start()]).replace(tzinfo=zone)
    return datetime.fromisoformat(text)


def _str(value: Any) -> str:
    # Strict rather than str(value): a null title must fail, not become the text "None".
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _strings(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        # A bare string would otherwise be split into characters without complaint.
        raise TypeError(f"expected a list of strings, got {values!r}")
    return tuple(_str(v) for v in values)


def _rebuild(kind: str, build: Callable[[Mapping[str, Any]], _T], data: Mapping[str, Any]) -> _T:
    """Run `build(data)`, turning the ways a malformed dict fails into one ValueError naming the record."""
    try:
        return build(data)
    except KeyError as exc:
        raise ValueError(f"not a valid {kind} dict: missing field {exc.args[0]!r}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a valid {kind} dict: {exc}") from None


# ---------------------------------------------------------------- citations


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    """Citation -> `{article_id, start, end}`."""
    return {"article_id": citation.article_id, "start": citation.start, "end": citation.end}


def _citation(d: Mapping[str, Any]) -> Citation:
    return Citation(article_id=_str(d["article_id"]), start=_int(d["start"]), end=_int(d["end"]))


def _citations(items: Any) -> tuple[Citation, ...]:
    return tuple(_citation(c) for c in items)


# ---------------------------------------------------------------- articles


def article_to_dict(article: Article) -> dict[str, Any]:
    """Article -> the `articles.json` record.

    Out: `{id, outlet, title, url, published, text, outlet_inferred, outlet_evidence, source, format,
    record, credits, removed, outlet_domain, authors, published_evidence, language, source_id, canonical_url,
    warnings, superseded_by}`;
    `source`/`format`/`record` are the article's Provenance.
    """
    return {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title,
        "url": article.url,
        "published": _iso(article.published),
        "text": article.text,
        "outlet_inferred": article.outlet_inferred,
        "outlet_evidence": article.outlet_evidence,
        "source": article.provenance.source,
        "format": article.provenance.format,
        "record": article.provenance.record,
        "credits": list(article.credits),
        "removed": list(article.removed),
        "outlet_domain": article.outlet_domain,
        "authors": list(article.authors),
        "published_evidence": article.published_evidence,
        "language": article.language,
        "source_id": article.source_id,
        "canonical_url": article.canonical_url,
        "warnings": list(article.warnings),
        "superseded_by": article.superseded_by,
    }


def _article(d: Mapping[str, Any]) -> Article:
    return Article(
        id=_str(d["id"]),
        title=_str(d["title"]),
        text=_str(d["text"]),
        provenance=Provenance(
            source=_str(d["source"]),
            format=_str(d["format"]),
            record=_opt_int(d.get("record")),
        ),
        url=_opt_str(d.get("url")),
        outlet=_opt_str(d.get("outlet")),
        outlet_inferred=_bool(d.get("outlet_inferred", False)),
        outlet_evidence=_opt_str(d.get("outlet_evidence")),
        published=datetime_from_iso(d.get("published")),
        credits=_strings(d.get("credits", ())),
        removed=_strings(d.get("removed", ())),
        outlet_domain=_opt_str(d.get("outlet_domain")),
        authors=_strings(d.get("authors", ())),
        published_evidence=_opt_str(d.get("published_evidence")),
        language=_opt_str(d.get("language")),
        source_id=_opt_str(d.get("source_id")),
        canonical_url=_opt_str(d.get("canonical_url")),
        warnings=_strings(d.get("warnings", ())),
        superseded_by=_opt_str(d.get("superseded_by")),
    )


def article_from_dict(data: Mapping[str, Any]) -> Article:
    """Inverse of `article_to_dict`. Raises ValueError when a field is missing or has the wrong type."""
    return _rebuild("article", _article, data)


# ---------------------------------------------------------------- time expressions and timelines (issue 11)


def timex_to_dict(timex: TimeExpression) -> dict[str, Any]:
    """TimeExpression -> `{start, end, text, type, value, anchor, anchor_date, mod, rule}`."""
    return {
        "start": timex.start,
        "end": timex.end,
        "text": timex.text,
        "type": timex.type,
        "value": timex.value,
        "anchor": timex.anchor,
        "anchor_date": timex.anchor_date,
        "mod": timex.mod,
        "rule": timex.rule,
    }


def _timex(d: Mapping[str, Any]) -> TimeExpression:
    return TimeExpression(
        start=_int(d["start"]),
        end=_int(d["end"]),
        text=_str(d["text"]),
        type=_str(d["type"]),
        value=_str(d["value"]),
        anchor=_opt_str(d.get("anchor")),
        anchor_date=_opt_str(d.get("anchor_date")),
        mod=_opt_str(d.get("mod")),
        rule=_str(d.get("rule", "")),
    )


def _timeline_entry_to_dict(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "date": entry.date,
        "granularity": entry.granularity,
        "text": entry.text,
        "citations": [citation_to_dict(c) for c in entry.citations],
        "expressions": [citation_to_dict(c) for c in entry.expressions],
    }


def _timeline_entry(d: Mapping[str, Any]) -> TimelineEntry:
    return TimelineEntry(
        date=_str(d["date"]),
        granularity=_str(d["granularity"]),
        text=_str(d["text"]),
        citations=_citations(d["citations"]),
        expressions=_citations(d.get("expressions", ())),
    )


# ---------------------------------------------------------------- stories


def _status(value: Any) -> ClaimStatus:
    if value not in get_args(ClaimStatus):
        raise ValueError(f"claim status {value!r} is not one of {', '.join(get_args(ClaimStatus))}")
    return value


def _ref_to_dict(ref: ArticleRef) -> dict[str, Any]:
    return {
        "id": ref.id,
        "outlet": ref.outlet,
        "title": ref.title,
        "url": ref.url,
        "published": _iso(ref.published),
    }


def _ref(d: Mapping[str, Any]) -> ArticleRef:
    return ArticleRef(
        id=_str(d["id"]),
        outlet=_opt_str(d.get("outlet")),
        title=_str(d["title"]),
        url=_opt_str(d.get("url")),
        published=datetime_from_iso(d.get("published")),
    )


# ---------------------------------------------------------------- speakers and statements (issue 10)


def _speaker_to_dict(ref: SpeakerRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "text": ref.text,
        "kind": ref.kind,
        "start": ref.start,
        "end": ref.end,
        "name": ref.name,
        "how": ref.how,
    }


def _speaker(d: Any) -> SpeakerRef | None:
    """A speaker reference; a plain string (stories stored before speakers were references) is read as a
    name with no known span (-1, -1)."""
    if d is None:
        return None
    if isinstance(d, str):
        return SpeakerRef(d, "name", -1, -1, d, "stored before speaker references")
    if not isinstance(d, Mapping):
        raise TypeError(f"speaker must be an object, got {type(d).__name__}")
    return SpeakerRef(
        text=_str(d["text"]),
        kind=_str(d["kind"]),
        start=_int(d["start"]),
        end=_int(d["end"]),
        name=_opt_str(d.get("name")),
        how=_opt_str(d.get("how")),
    )


def _statement_to_dict(st: Statement) -> dict[str, Any]:
    return {"speaker": st.speaker, "text": st.text, "quotes": list(st.quotes), "origin": st.origin}


def _statement(d: Mapping[str, Any]) -> Statement:
    return Statement(
        speaker=_str(d["speaker"]),
        text=_str(d["text"]),
        quotes=tuple(_int(i) for i in d["quotes"]),
        origin=_opt_str(d.get("origin")),
    )


# ---------------------------------------------------------------- end of speakers and statements


def _story_quote_to_dict(quote: StoryQuote) -> dict[str, Any]:
    return {
        "speaker": _speaker_to_dict(quote.speaker),
        "cue": quote.cue,
        "text": quote.text,
        "article_id": quote.article_id,
        "start": quote.start,
        "end": quote.end,
        "direct": quote.direct,
        "via": list(quote.via),
        "date": quote.date,
    }


def _story_quote(d: Mapping[str, Any]) -> StoryQuote:
    return StoryQuote(
        speaker=_speaker(d.get("speaker")),
        cue=_str(d["cue"]),
        text=_str(d["text"]),
        article_id=_str(d["article_id"]),
        start=_int(d["start"]),
        end=_int(d["end"]),
        direct=_bool(d["direct"]),
        via=_strings(d.get("via", ())),
        date=_opt_str(d.get("date")),
    )


def story_to_dict(story: Story) -> dict[str, Any]:
    """Story -> one element of `stories.json`.

    Out: `{contract_version, id, title, articles, summary, claims, quotes, entities, timeline, statements}`
    (see CONTRACT_VERSION); every citation is `{article_id, start, end}`.
    """
    return {
        "contract_version": CONTRACT_VERSION,
        "id": story.id,
        "title": story.title,
        "articles": [_ref_to_dict(r) for r in story.articles],
        "summary": [
            {"text": s.text, "citations": [citation_to_dict(c) for c in s.citations]} for s in story.summary
        ],
        "claims": [
            {
                "text": c.text,
                "status": c.status,
                "support": [citation_to_dict(s) for s in c.support],
                "outlets": list(c.outlets),
                "date": c.date,
            }
            for c in story.claims
        ],
        "quotes": [_story_quote_to_dict(q) for q in story.quotes],
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "mentions": [citation_to_dict(m) for m in e.mentions],
            }
            for e in story.entities
        ],
        "timeline": [_timeline_entry_to_dict(t) for t in story.timeline],
        "statements": [_statement_to_dict(st) for st in story.statements],
    }


def _story(d: Mapping[str, Any]) -> Story:
    version = d.get("contract_version", CONTRACT_VERSION)
    if str(version).split(".")[0] != CONTRACT_VERSION.split(".")[0]:
        raise ValueError(f"contract version {version!r} cannot be read by version {CONTRACT_VERSION}")
    return Story(
        id=_str(d["id"]),
        title=_str(d["title"]),
        articles=tuple(_ref(r) for r in d["articles"]),
        summary=tuple(
            SummarySentence(text=_str(s["text"]), citations=_citations(s["citations"]))
            for s in d.get("summary", ())
        ),
        claims=tuple(
            Claim(
                text=_str(c["text"]),
                status=_status(c["status"]),
                support=_citations(c["support"]),
                outlets=_strings(c["outlets"]),
                date=_opt_str(c.get("date")),
            )
            for c in d.get("claims", ())
        ),
        quotes=tuple(_story_quote(q) for q in d.get("quotes", ())),
        entities=tuple(
            Entity(
                name=_str(e["name"]),
                type=_str(e["type"]),
                aliases=_strings(e["aliases"]),
                mentions=_citations(e["mentions"]),
            )
            for e in d.get("entities", ())
        ),
        timeline=tuple(_timeline_entry(t) for t in d.get("timeline", ())),
        statements=tuple(_statement(st) for st in d.get("statements", ())),
    )


def story_from_dict(data: Mapping[str, Any]) -> Story:
    """Inverse of `story_to_dict`.

    Raises ValueError when a field is missing or mistyped, or the dict was written under another major
    contract version.
    """
    return _rebuild("story", _story, data)


# ---------------------------------------------------------------- annotations


def _quote_to_dict(quote: Quote) -> dict[str, Any]:
    return {
        "content_start": quote.content_start,
        "content_end": quote.content_end,
        "cue": quote.cue,
        "cue_start": quote.cue_start,
        "cue_end": quote.cue_end,
        "direct": quote.direct,
        "speaker": quote.speaker,
        "speaker_start": quote.speaker_start,
        "speaker_end": quote.speaker_end,
        "via": list(quote.via),
        "speaker_kind": quote.speaker_kind,
        "speaker_name": quote.speaker_name,
        "speaker_how": quote.speaker_how,
    }


def _quote(d: Mapping[str, Any]) -> Quote:
    return Quote(
        content_start=_int(d["content_start"]),
        content_end=_int(d["content_end"]),
        cue=_str(d["cue"]),
        cue_start=_int(d["cue_start"]),
        cue_end=_int(d["cue_end"]),
        direct=_bool(d["direct"]),
        speaker=_opt_str(d.get("speaker")),
        speaker_start=_opt_int(d.get("speaker_start")),
        speaker_end=_opt_int(d.get("speaker_end")),
        via=_strings(d.get("via", ())),
        speaker_kind=_opt_str(d.get("speaker_kind")),
        speaker_name=_opt_str(d.get("speaker_name")),
        speaker_how=_opt_str(d.get("speaker_how")),
    )


def annotated_to_dict(annotated: Annotated, *, with_article: bool = True) -> dict[str, Any]:
    """Annotated -> `{article_id, article?, sentences: [[start, end]], mentions, quotes, timexes}`.

    With `with_article=False` the article itself is left out (the store keeps it in its own table) and
    `annotated_from_dict` must then be given it.
    """
    data: dict[str, Any] = {"article_id": annotated.article.id}
    if with_article:
        data["article"] = article_to_dict(annotated.article)
    # Sentences are pairs rather than dicts: an article has hundreds, and this is what the store keeps.
    data["sentences"] = [[s.start, s.end] for s in annotated.sentences]
    data["mentions"] = [
        {"start": m.start, "end": m.end, "text": m.text, "type": m.type, "label": m.label}
        for m in annotated.mentions
    ]
    data["quotes"] = [_quote_to_dict(q) for q in annotated.quotes]
    data["timexes"] = [timex_to_dict(t) for t in annotated.timexes]
    return data


def annotated_from_dict(data: Mapping[str, Any], article: Article | None = None) -> Annotated:
    """Inverse of `annotated_to_dict`.

    In: the dict and, when it was written without its article, that article (its id must match).
    Raises ValueError on a malformed dict, a missing article, or an article whose id does not match.
    """

    def build(d: Mapping[str, Any]) -> Annotated:
        if article is not None:
            owner = article
        elif "article" in d:
            owner = _article(d["article"])
        else:
            raise ValueError("it holds no article and none was given")
        if "article_id" in d and _str(d["article_id"]) != owner.id:
            raise ValueError(f"it belongs to article {d['article_id']!r}, not {owner.id!r}")
        return Annotated(
            article=owner,
            sentences=tuple(Sentence(start=_int(s), end=_int(e)) for s, e in d["sentences"]),
            mentions=tuple(
                Mention(
                    start=_int(m["start"]),
                    end=_int(m["end"]),
                    text=_str(m["text"]),
                    type=_str(m["type"]),
                    label=_str(m["label"]),
                )
                for m in d["mentions"]
            ),
            quotes=tuple(_quote(q) for q in d["quotes"]),
            # Annotations stored before time expressions existed have none.
            timexes=tuple(_timex(t) for t in d.get("timexes", ())),
        )

    return _rebuild("annotation", build, data)
