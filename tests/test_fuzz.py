"""Fuzzing the readers and the cleaner with Hypothesis: whatever the bytes, a reader gives articles or
rejections and never raises, and cleaning keeps its promises. Inputs that once failed (their comment
says what went wrong) and hand-picked edge cases are kept as `@example`s, so they are tried on every run.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsfuse.clean import MAX_TEXT_CHARS, clean_article
from newsfuse.clean.urls import canonical_url
from newsfuse.ingest.decode import Decoded, decode
from newsfuse.ingest.feeds import parse_feed
from newsfuse.ingest.fields import read_published
from newsfuse.ingest.html import parse_html
from newsfuse.ingest.records import parse_json, parse_jsonl
from newsfuse.ingest.text import parse_text
from newsfuse.types import Article, Provenance, RawArticle, RejectCode, Rejected

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what the readers meet: header keys, YAML fences, blank lines, JSON punctuation,
# NUL and other control characters, byte-order marks, non-Latin letters.
_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "---\n",
        "Outlet: ",
        "Published: ",
        "URL: ",
        "Authors: ",
        "title: ",
        ": ",
        "- ",
        "{",
        "}",
        '"',
        "[",
        "]",
        ",",
        "\x00",
        "\x1f",
        "\ufeff",
        "\r\n",
        " and ",
        "2017-02-30",
        "1488326400",
        "null",
        "Advertisement",
        "Read more: x",
        "Zürich",
        "مرحبا",
        "日本語",
        "Headline",
        "The council voted today.",
    ]
)
TEXTISH = st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "title",
            "text",
            "maintext",
            "url",
            "published",
            "date_publish",
            "outlet",
            "source_domain",
            "authors",
        ]
    ),
    JSON_VALUES | TEXTISH,
    max_size=8,
)


def _well_formed(item: RawArticle | Rejected) -> None:
    assert isinstance(item, RawArticle | Rejected)
    if isinstance(item, Rejected):
        assert item.source and item.reason and isinstance(item.code, RejectCode)
        assert item.message.startswith(item.source)
    else:
        assert isinstance(item.title, str) and item.body.strip()
        assert all(isinstance(w, str) and w for w in item.warnings)


@FUZZ
@given(TEXTISH)
@example("---\n\x00\n---\nx\n\ny")  # a control character in YAML front matter
@example("---\n: \n---\nHeadline\n\nBody")
@example("Outlet: \n\nHeadline\n\nBody")
def test_parse_text_never_raises(text):
    _well_formed(parse_text(text, "f.txt"))


@FUZZ
@given(st.lists(RECORDS | JSON_VALUES, max_size=5), st.binary(max_size=40))
@example([{"title": 1e308, "text": "x"}], b"")
@example([{"published": 10**30, "text": "x"}], b"")
@example([{"published": -(10**12), "text": "x"}], b"")
def test_parse_jsonl_never_raises(records, junk):
    data = b"\n".join(json.dumps(r).encode() for r in records) + b"\n" + junk
    items = list(parse_jsonl(data, "f.jsonl"))
    assert items
    for item in items:
        _well_formed(item)


@FUZZ
@given(st.lists(RECORDS, max_size=4) | RECORDS | JSON_VALUES)
def test_parse_json_never_raises(value):
    for item in parse_json(json.dumps(value), "f.json"):
        _well_formed(item)


@FUZZ
@given(st.binary(max_size=300) | TEXTISH.map(lambda t: t.encode("utf-8")))
@example(b"\xff\xfe\x00")  # a UTF-16 mark followed by an odd number of bytes
@example(b"\x00\x00\xfe\xff\x00")
def test_decode_gives_text_or_a_reason(data):
    result = decode(data)
    assert isinstance(result, Decoded | str)
    if isinstance(result, str):
        assert result
    elif not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        try:
            assert result.text == data.decode("utf-8") and result.warning is None
        except UnicodeDecodeError:
            assert result.warning and "charset-normalizer" in result.warning


@settings(max_examples=60, deadline=None)
@given(TEXTISH | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_parse_html_and_feeds_never_raise(markup):
    page = f"<html><head><title>{markup[:20]}</title></head><body><p>{markup}</p></body></html>".encode(
        "utf-8", "surrogatepass"
    )
    _well_formed(parse_html(page, "f.html"))
    for item in parse_feed(
        f"<rss><channel><item><title>{markup}</title></item></channel></rss>".encode(), "f.rss"
    ):
        _well_formed(item)


@FUZZ
@given(title=TEXTISH, body=TEXTISH)
@example(title="\x00", body="The council voted today.\x00\x00 The council voted again today.")
def test_cleaning_leaves_no_control_characters_and_respects_the_cap(title, body):
    result = clean_article(RawArticle(title, body, Provenance("f.txt", "txt")))
    if isinstance(result, Article):
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in result.text + result.title)
        assert 0 < len(result.text) <= MAX_TEXT_CHARS
        assert all(p and p == p.strip() for p in result.text.split("\n\n"))
    else:
        assert result.source == "f.txt"


@FUZZ
@given(
    st.text(max_size=80)
    | st.builds(
        lambda h, p, q: f"https://{h}/{p}?{q}",
        st.text(max_size=12),
        st.text(max_size=12),
        st.text(max_size=12),
    )
)
@example("https://amp./x")  # once gave "https:///x", a URL without a host
@example("https://www./x")
@example("HTTP:// /")  # once gave "http:// ", whose host is a space
@example("http://a.cdn.ampproject.org/c/s/")
def test_canonical_url_never_raises_and_is_idempotent(url):
    once = canonical_url(url)
    if once is not None:
        assert once.startswith(("http://", "https://"))
        assert canonical_url(once) == once


@FUZZ
@given(JSON_VALUES | TEXTISH)
def test_read_published_never_raises(value):
    published, warning = read_published(value)
    assert warning is None or (isinstance(warning, str) and warning)
