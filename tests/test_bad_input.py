"""Bad and unusual input, explained: each case of issue 13 that reading and cleaning must handle.

Every rejection has a code and a message naming the file (and line or record) and what to do; every value
that had to be guessed or dropped is a warning kept with the article.
"""

from __future__ import annotations

import gzip
import json
import resource
import time
from datetime import UTC, datetime

import pytest

from newsfuse.clean import clean_article
from newsfuse.ingest import MAX_FILE_BYTES, read_inputs
from newsfuse.pipeline import read_articles
from newsfuse.types import Article, Provenance, RawArticle, RejectCode, Rejected

BODY = (
    "The city council voted on Tuesday to rebuild the old harbour bridge, closed since a storm in March. "
    "Work is to begin in the spring and take two years."
)


def _one(path) -> RawArticle | Rejected:
    (item,) = read_inputs([path])
    return item


def _jsonl(path, *records) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


# ---------------------------------------------------------------- codes and messages


def test_every_rejection_has_a_code_and_a_message_that_says_where_and_what_to_do(tmp_path):
    _jsonl(tmp_path / "a.jsonl", {"title": "No text here"})
    (tmp_path / "b.jsonl").write_text('{"title": "fine", "text": "x"\n', encoding="utf-8")
    rejected = [r for r in read_inputs([tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.txt"])]
    assert [r.code for r in rejected] == [RejectCode.NO_TEXT, RejectCode.BAD_JSON, RejectCode.NOT_FOUND]
    no_text, bad_json, missing = rejected
    assert no_text.message.startswith(f"{tmp_path / 'a.jsonl'}#0: line 1: no article text")
    assert no_text.message.endswith(
        "[no-text: give the article's text (field 'text' or 'maintext'; a .txt needs a body)]"
    )
    assert "line 1: invalid JSON" in bad_json.message and "fix the JSON" in bad_json.message
    assert missing.message.endswith("[not-found: check the path]")


def test_an_empty_jsonl_file_is_reported_not_skipped(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_text("\n  \n", encoding="utf-8")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    results = list(read_inputs([tmp_path / "empty.jsonl", tmp_path / "blank.jsonl", tmp_path / "list.json"]))
    assert [(type(r).__name__, getattr(r, "code", None)) for r in results] == [
        ("Rejected", RejectCode.EMPTY)
    ] * 3
    assert results[0] == Rejected(
        str(tmp_path / "empty.jsonl"), "empty file: no JSON record in it", RejectCode.EMPTY
    )


def test_an_article_that_is_only_boilerplate_is_rejected_as_such(tmp_path):
    _jsonl(
        tmp_path / "promo.jsonl",
        {"title": "Newsletter", "text": "Subscribe to our newsletter\n\nCookie policy\n\nAdvertisement"},
    )
    read = read_articles([tmp_path / "promo.jsonl"], progress=False)
    assert not read.articles
    (rejected,) = read.rejected
    assert rejected.code == RejectCode.BOILERPLATE_ONLY and rejected.source.endswith("promo.jsonl#0")


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_utf8_with_or_without_bom_and_utf16_are_read_without_a_warning(tmp_path, encoding, bom):
    text = f"Zürich’s bridge\n\n{BODY}"
    (tmp_path / "a.txt").write_bytes(bom + text.encode(encoding))
    _jsonl(tmp_path / "plain.jsonl", {"title": "Zürich’s bridge", "text": BODY})
    data = (tmp_path / "plain.jsonl").read_text(encoding="utf-8")
    (tmp_path / "b.jsonl").write_bytes(bom + data.encode(encoding))
    a, b = read_inputs([tmp_path / "a.txt", tmp_path / "b.jsonl"])
    for item in (a, b):
        assert isinstance(item, RawArticle), item
        assert item.title == "Zürich’s bridge" and item.body == BODY and item.warnings == ()


def test_a_windows_1252_file_is_decoded_and_the_guess_recorded(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(f"Café owners in Zürich – “prices up”\n\n{BODY}".encode("cp1252"))
    read = read_articles([path], progress=False)
    (article,) = read.articles
    assert article.title == "Café owners in Zürich – “prices up”"
    assert article.warnings == (
        "not UTF-8 (invalid continuation byte at byte 3); decoded as cp1252 (charset-normalizer's guess)",
    )


def test_bytes_that_are_no_text_are_rejected_with_the_reason(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 64)
    item = _one(path)
    assert isinstance(item, Rejected) and item.code == RejectCode.UNREADABLE_ENCODING
    assert item.reason.startswith("not UTF-8 (invalid start byte at byte 128)") and "binary" in item.reason
    assert item.message.endswith("[unreadable-encoding: save the file as UTF-8]")


def test_a_latin1_line_in_a_jsonl_file_is_decoded_and_its_neighbours_are_untouched(tmp_path):
    good = json.dumps({"title": "Straße gesperrt", "text": BODY}).encode("utf-8")
    legacy = json.dumps({"title": "Café au lait", "text": BODY}, ensure_ascii=False).encode("cp1252")
    (tmp_path / "mixed.jsonl").write_bytes(good + b"\n" + legacy + b"\n")
    first, second = read_inputs([tmp_path / "mixed.jsonl"])
    assert first.title == "Straße gesperrt" and first.warnings == ()
    assert second.title == "Café au lait"
    assert second.warnings[0].startswith("line 2: not UTF-8") and "cp1252" in second.warnings[0]


# ---------------------------------------------------------------- size limits


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_300_mb_file_is_rejected_from_its_size_fast_and_without_reading_it(tmp_path):
    path = tmp_path / "dump.txt"
    with open(path, "wb") as stream:  # sparse: 300 MB on paper, nothing on disk
        stream.truncate(300 * 1000 * 1000)
    before = _peak_rss_mib()
    started = time.perf_counter()
    item = _one(path)
    elapsed = time.perf_counter() - started
    assert isinstance(item, Rejected) and item.code == RejectCode.TOO_LARGE
    assert (
        item.reason
        == f"file too large: 300,000,000 bytes, over the {MAX_FILE_BYTES['txt']:,}-byte cap for a txt file"
    )
    assert elapsed < 1.0
    assert _peak_rss_mib() - before < 50  # it was never read


def test_a_compressed_file_is_rejected_once_its_cap_is_decompressed(tmp_path, monkeypatch):
    monkeypatch.setitem(MAX_FILE_BYTES, "txt", 10_000)
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"A headline\n\n" + b"word " * 100_000))
    item = _one(path)
    assert isinstance(item, Rejected) and item.code == RejectCode.TOO_LARGE
    assert "more than 10,000 bytes decompressed" in item.reason


def test_an_overlong_jsonl_line_is_rejected_alone(tmp_path, monkeypatch):
    from newsfuse import ingest

    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 1000)
    lines = [
        json.dumps({"title": "First", "text": BODY}),
        json.dumps({"title": "Long", "text": "word " * 1000}),
        json.dumps({"title": "Third", "text": BODY}),
    ]
    (tmp_path / "l.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, long, third = read_inputs([tmp_path / "l.jsonl"])
    assert first.title == "First" and third.title == "Third" and third.provenance.record == 2
    assert long == Rejected(
        f"{tmp_path / 'l.jsonl'}#1",
        "line 2: a line of more than 1,000 bytes is not one article",
        RejectCode.TOO_LARGE,
    )


def test_an_oversized_body_is_rejected_before_it_is_cleaned():
    raw = RawArticle("Dump", "word " * 500_000, Provenance("dump.jsonl", "jsonl", 4))
    started = time.perf_counter()
    result = clean_article(raw)
    assert isinstance(result, Rejected) and result.code == RejectCode.TOO_LARGE
    assert result.source == "dump.jsonl#4" and "2,500,000 characters" in result.reason
    assert time.perf_counter() - started < 0.5


# ---------------------------------------------------------------- fields


def test_nul_bytes_are_stripped_from_title_and_text_with_a_warning():
    raw = RawArticle("Bridge\x00 vote", BODY.replace("council", "coun\x00cil"), Provenance("n.txt", "txt"))
    article = clean_article(raw)
    assert isinstance(article, Article)
    assert "\x00" not in article.text and "\x00" not in article.title
    assert article.title == "Bridge vote" and "city council voted" in article.text
    assert article.warnings == ("2 NUL or other control characters removed",)


def test_the_records_own_id_is_kept_as_source_id_beside_its_position(tmp_path):
    _jsonl(
        tmp_path / "r.jsonl",
        {"id": 1234, "title": "Bridge", "text": BODY},
        {"id": "b-7", "title": "B", "text": BODY + " More."},
    )
    read = read_articles([tmp_path / "r.jsonl"], progress=False)
    assert [(a.source_id, a.provenance.record) for a in read.articles] == [("1234", 0), ("b-7", 1)]


def test_a_title_given_as_a_number_is_taken_as_text_with_a_warning(tmp_path):
    _jsonl(
        tmp_path / "t.jsonl", {"title": 2017, "text": BODY}, {"title": ["a", "list"], "text": BODY + " Two."}
    )
    number, listed = read_inputs([tmp_path / "t.jsonl"])
    assert number.title == "2017"
    assert number.warnings == ("line 1: title 2017 is a number, not text; taken as the text '2017'",)
    assert listed.title == "" and listed.warnings == (
        "line 2: title is a list, not text; the article has no title",
    )


def test_a_text_that_is_not_a_string_is_rejected_naming_the_field(tmp_path):
    _jsonl(tmp_path / "t.jsonl", {"title": "T", "text": 12345})
    item = _one(tmp_path / "t.jsonl")
    assert item == Rejected(
        f"{tmp_path / 't.jsonl'}#0", "line 1: field 'text' is a number, not text", RejectCode.BAD_FIELD
    )


@pytest.mark.parametrize(
    ("value", "published", "warning"),
    [
        (
            "2017-02-30",
            None,
            "line 1: published '2017-02-30' is not a date (day is out of range for month: "
            "2017-02-30); stored without a date",
        ),
        ("2017", None, "line 1: published '2017' gives no month or day; stored without a date"),
        ("March 2017", None, "line 1: published 'March 2017' gives no day; stored without a date"),
        (
            1488326400,
            datetime(2017, 3, 1, tzinfo=UTC),
            "line 1: published 1488326400 read as a Unix time: 2017-03-01T00:00:00+00:00",
        ),
        (
            "1488326400000",
            datetime(2017, 3, 1, tzinfo=UTC),
            "line 1: published '1488326400000' read as a Unix time: 2017-03-01T00:00:00+00:00",
        ),
        ("2017-03-01 09:30", datetime(2017, 3, 1, 9, 30), None),
    ],
)
def test_a_record_date_that_does_not_parse_is_a_warning_stored_with_the_article(
    tmp_path, value, published, warning
):
    _jsonl(tmp_path / "d.jsonl", {"title": "T", "text": BODY, "published": value})
    read = read_articles([tmp_path / "d.jsonl"], progress=False)
    (article,) = read.articles
    assert article.published == published
    assert article.warnings == ((warning,) if warning else ())


# ---------------------------------------------------------------- .txt front matter


def test_txt_header_lines_give_outlet_date_url_authors_and_id(tmp_path):
    path = tmp_path / "h.txt"
    path.write_text(
        "Outlet: The Harbour Gazette\nPublished: 2017-03-01T09:30:00\nURL: https://gazette.example/bridge?utm_source=x\n"
        "Authors: Jane Doe, John Smith and Ann Lee\nID: hg-17\n\nBridge to be rebuilt\n\n" + BODY,
        encoding="utf-8",
    )
    item = _one(path)
    assert isinstance(item, RawArticle)
    assert (item.title, item.body) == ("Bridge to be rebuilt", BODY)
    assert item.outlet == "The Harbour Gazette" and item.published == datetime(2017, 3, 1, 9, 30)
    assert item.url == "https://gazette.example/bridge?utm_source=x" and item.record_id == "hg-17"
    assert item.authors == ("Jane Doe", "John Smith", "Ann Lee")


def test_txt_yaml_front_matter_is_read(tmp_path):
    path = tmp_path / "y.txt"
    path.write_text(
        "---\noutlet: Reuters\npublished: 2017-03-01\nauthors:\n  - Jane Doe\n  - John Smith\n"
        "title: Bridge vote\nsection: city\n---\n" + BODY,
        encoding="utf-8",
    )
    item = _one(path)
    assert isinstance(item, RawArticle)
    assert (item.title, item.body, item.outlet) == ("Bridge vote", BODY, "Reuters")
    assert item.published == datetime(2017, 3, 1) and item.authors == ("Jane Doe", "John Smith")
    assert item.warnings == ("header: key 'section' is not one newsfuse reads; ignored",)


def test_a_txt_without_a_header_is_unchanged_even_when_it_starts_like_one(tmp_path):
    (tmp_path / "a.txt").write_text("Note: the bridge closes\n\n" + BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Outlet: why malls close\n" + BODY, encoding="utf-8")
    a, b = read_inputs([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert a.title == "Note: the bridge closes" and a.outlet is None
    assert b.title == "Outlet: why malls close" and b.body == BODY and b.outlet is None


def test_broken_yaml_front_matter_is_rejected_with_its_line(tmp_path):
    (tmp_path / "y.txt").write_text("---\noutlet: [Reuters\n---\nTitle\n\n" + BODY, encoding="utf-8")
    item = _one(tmp_path / "y.txt")
    assert isinstance(item, Rejected) and item.code == RejectCode.BAD_FIELD
    assert item.reason.startswith("the YAML front matter does not parse at line")


def test_a_bad_header_date_is_a_warning(tmp_path):
    (tmp_path / "h.txt").write_text("Published: 2017-02-30\n\nTitle\n\n" + BODY, encoding="utf-8")
    item = _one(tmp_path / "h.txt")
    assert item.published is None and item.warnings[0].startswith(
        "header: Published '2017-02-30' is not a date"
    )
