"""JSON-ready dicts for the output contract (`stories.json`, `articles.json`) and for stored annotations.

Every `*_to_dict` returns only dicts, lists, strings, numbers, booleans and None, so `json.dumps` takes it
as is; every `*_from_dict` rebuilds the exact record (`x_from_dict(x_to_dict(x)) == x`). Datetimes are
written with `datetime.isoformat()`; an aware datetime comes back with a fixed-offset timezone, which
compares equal to the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields, is_dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from types import UnionType
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from newsfuse.types import (
    Annotated,
    Article,
    Mention,
    Provenance,
    Quote,
    Sentence,
    Story,
    TimeExpression,
)

# Bumped on any change a reader of stories.json would notice: major for a removed or renamed field,
# minor for an added one.
CONTRACT_VERSION = "2.2"

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


# ---------------------------------------------------------------- stories
#
# The story codec is derived from the records in types.py: a field added there needs no code here. It walks
# each dataclass's fields and type hints (tuples, optionals, Literals, datetimes, nested records), strictly:
# a value of the wrong type fails with the path to it. msgspec, the library made for this, was measured and
# drops the sub-minute part of a UTC offset on the way back, so it is not used (see README, Output contract).


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@cache
def _hints(record: type) -> dict[str, Any]:
    return get_type_hints(record)


_SCALARS: dict[Any, Callable[[Any], Any]] = {str: _str, int: _int, bool: _bool, datetime: datetime_from_iso}


def _decode(kind: Any, value: Any, path: str) -> Any:
    """`value` read as type `kind`; raises ValueError naming `path` when it is not one."""
    origin, args = get_origin(kind), get_args(kind)
    if kind in _SCALARS:
        try:
            return _SCALARS[kind](value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from None
    if origin in (Union, UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _decode(inner, value, path)
    if origin is Literal:
        if value not in args:
            raise ValueError(f"{path}: {value!r} is not one of {', '.join(map(str, args))}")
        return value
    if origin is tuple:
        if not isinstance(value, list | tuple):
            # A bare string would otherwise be split into characters without complaint.
            raise ValueError(f"{path}: expected a list, got {value!r}")
        return tuple(_decode(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
    if isinstance(kind, type) and is_dataclass(kind):
        if not isinstance(value, Mapping):
            raise ValueError(f"{path}: expected an object, got {value!r}")
        hints, given = _hints(kind), {}
        for f in fields(kind):
            if f.name in value:
                given[f.name] = _decode(hints[f.name], value[f.name], f"{path}.{f.name}")
            elif f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"{path}: missing field {f.name!r}")
        return kind(**given)
    raise TypeError(f"no codec for {kind!r}")  # a type types.py uses that this walk does not know


def story_to_dict(story: Story) -> dict[str, Any]:
    """Story -> one element of `stories.json`: `{contract_version, id, title, articles, summary, claims,
    quotes, entities, origins, details, conflicts}`, each record a dict of its fields (see
    CONTRACT_VERSION)."""
    return {"contract_version": CONTRACT_VERSION, **_encode(story)}


def _upgrade_from_1(data: Mapping[str, Any]) -> dict[str, Any]:
    """A 1.x story dict in the 2.0 shape: a claim's support was a list of citations, with no stance or
    origin; 1.x statuses (corroborated, single_source) are still statuses."""
    upgraded = dict(data)
    claims = data.get("claims", ())
    if isinstance(claims, list):
        upgraded["claims"] = [
            {**c, "support": [{"citation": s} for s in c.get("support", ())]} if isinstance(c, Mapping) else c
            for c in claims
        ]
    quotes = data.get("quotes", ())
    if isinstance(quotes, list):
        # A 1.x speaker was a plain name: read it as a name with no known span (-1, -1).
        upgraded["quotes"] = [
            {**q, "speaker": _speaker_from_1(q["speaker"])}
            if isinstance(q, Mapping) and isinstance(q.get("speaker"), str)
            else q
            for q in quotes
        ]
    return upgraded


def _speaker_from_1(name: str) -> dict[str, Any]:
    how = "stored before speaker references"
    return {"text": name, "kind": "name", "start": -1, "end": -1, "name": name, "how": how}


def story_from_dict(data: Mapping[str, Any]) -> Story:
    """Inverse of `story_to_dict`; also reads stories written under contract 1.x.

    Raises ValueError naming the field when one is missing or mistyped, or the dict was written under a
    major contract version this one cannot read.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"not a valid story dict: expected an object, got {data!r}")
    version = str(data.get("contract_version", CONTRACT_VERSION))
    major = version.split(".")[0]
    if major == "1":
        data = _upgrade_from_1(data)
    elif major != CONTRACT_VERSION.split(".")[0]:
        raise ValueError(
            f"not a valid story dict: contract version {version!r} cannot be read by version "
            f"{CONTRACT_VERSION}"
        )
    try:
        return _decode(Story, data, "story")
    except ValueError as exc:
        raise ValueError(f"not a valid story dict: {exc}") from None


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
    data["timexes"] = [_encode(t) for t in annotated.timexes]
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
            timexes=_decode(tuple[TimeExpression, ...], d.get("timexes", []), "timexes"),
        )

    return _rebuild("annotation", build, data)
