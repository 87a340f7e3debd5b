"""Reading: every format, folders, and bad input that becomes a Rejected while the rest is read."""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from newsfuse.ingest import read_inputs
from newsfuse.types import RawArticle, RejectCode, Rejected

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
NEWS_CLUSTER = SHARED / "data" / "giveme5w1h_news_cluster"
TRAFILATURA_EVAL = SHARED / "data" / "trafilatura_eval_en"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- .txt


def test_seed_txt_files_give_headline_and_body():
    items = list(read_inputs([_need(SEEDS)]))
    assert all(isinstance(i, RawArticle) for i in items)
    assert [Path(i.provenance.source).name for i in items] == [
        "000_5f5afe9c6d78004b.txt",
        "002_d34f738958b095e5.txt",
    ]
    for item in items:
        first_line = Path(item.provenance.source).read_text(encoding="utf-8").splitlines()[0]
        assert item.title == first_line
        assert item.provenance.format == "txt"
        assert item.provenance.record is None
        assert not item.body.startswith(first_line)
        assert item.outlet is None and item.url is None and item.published is None
    # The body is as scraped: the caption under the headline is still there for the cleaner.
    assert items[0].body.startswith("Sergey Lavrov, Mohammad Javad Zarif\nThe Associated Press")


def test_txt_headline_is_first_non_empty_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("\n\n  Headline  here \n\nFirst paragraph.\n\nSecond.\n", encoding="utf-8")
    (item,) = read_inputs([path])
    assert isinstance(item, RawArticle)
    assert item.title == "Headline here"
    assert item.body == "First paragraph.\n\nSecond."
    assert item.provenance.source == str(path)


def test_txt_without_body_or_empty_is_rejected(tmp_path):
    (tmp_path / "only.txt").write_text("Just a headline\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    results = {Path(r.source).name: r.reason for r in read_inputs([tmp_path]) if isinstance(r, Rejected)}
    assert results == {"empty.txt": "empty file", "only.txt": "no article text after the headline"}


def test_not_utf8_is_decoded_by_a_recorded_guess_and_binary_is_rejected(tmp_path):
    legacy = "Caf\u00e9 au lait, d\u00e9j\u00e0 vu\n\nBody text here.".encode("latin-1")
    (tmp_path / "a.txt").write_bytes(legacy)
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "c.txt").write_text("Fine title\n\nFine body.", encoding="utf-8")
    a, b, c = read_inputs([tmp_path])
    assert isinstance(a, RawArticle) and a.title == "Caf\u00e9 au lait, d\u00e9j\u00e0 vu"
    assert len(a.warnings) == 1 and "not UTF-8" in a.warnings[0] and "charset-normalizer" in a.warnings[0]
    assert isinstance(b, Rejected) and b.code == RejectCode.UNREADABLE_ENCODING and "not UTF-8" in b.reason
    assert isinstance(c, RawArticle) and c.title == "Fine title" and c.warnings == ()


# ---------------------------------------------------------------- paths and folders


def test_folder_walk_is_sorted_and_skips_docs_hidden_and_underscored(tmp_path):
    (tmp_path / "b.txt").write_text("B\n\nbody b", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A\n\nbody a", encoding="utf-8")
    (tmp_path / "README.md").write_text("# docs", encoding="utf-8")
    (tmp_path / "PROVENANCE.md").write_text("# where from", encoding="utf-8")
    (tmp_path / "README.txt").write_text("Readme\n\nnot an article", encoding="utf-8")
    (tmp_path / "_sampling.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("H\n\nhidden", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.jsonl").write_text(json.dumps({"title": "C", "text": "body c"}) + "\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("X\n\nbody x", encoding="utf-8")

    items = list(read_inputs([str(tmp_path)]))
    assert [i.title for i in items] == ["A", "B", "C"]
    assert [i.provenance.format for i in items] == ["txt", "txt", "jsonl"]


def test_missing_path_and_unsupported_file_are_rejected_and_the_rest_is_read(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    good = tmp_path / "good.txt"
    good.write_text("Good\n\nA body.", encoding="utf-8")
    missing = tmp_path / "nope.txt"

    results = list(read_inputs([missing, pdf, good]))
    assert results[0] == Rejected(str(missing), "no such file or folder", RejectCode.NOT_FOUND)
    assert isinstance(results[1], Rejected) and results[1].source == str(pdf)
    assert "unsupported format '.pdf'" in results[1].reason
    assert isinstance(results[2], RawArticle) and results[2].title == "Good"


def test_explicit_file_is_read_whatever_its_name(tmp_path):
    path = tmp_path / "_draft.txt"
    path.write_text("Draft\n\nA body.", encoding="utf-8")
    (item,) = read_inputs([path])
    assert isinstance(item, RawArticle) and item.title == "Draft"


def test_a_single_path_string_is_one_input(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("A\n\nbody", encoding="utf-8")
    assert [i.title for i in read_inputs(str(path))] == ["A"]


def test_empty_folder_is_rejected(tmp_path):
    (tmp_path / "README.md").write_text("nothing here", encoding="utf-8")
    (item,) = read_inputs([tmp_path])
    assert isinstance(item, Rejected) and "folder holds no" in item.reason


def test_gzip_compressed_file_is_read(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps({"title": "Zipped", "text": "Zipped body."}).encode()))
    (item,) = read_inputs([path])
    assert isinstance(item, RawArticle) and item.title == "Zipped" and item.provenance.format == "jsonl"
    broken = tmp_path / "b.txt.gz"
    broken.write_bytes(b"not gzip at all")
    (bad,) = read_inputs([broken])
    assert isinstance(bad, Rejected) and bad.source == str(broken)
    assert bad.reason.startswith("cannot decompress file")


# ---------------------------------------------------------------- .jsonl and .json


def test_jsonl_records_bad_lines_and_news_please_fields(tmp_path):
    lines = [
        json.dumps(
            {
                "id": "a1",
                "title": "Ours",
                "text": "Body one.",
                "url": "https://www.example.com/a",
                "published": "2017-02-14T10:00:00",
                "outlet": "Example News",
            }
        ),
        "{not json",
        "",
        json.dumps(
            {
                "title": "News-please",
                "maintext": "Body two.",
                "description": "A teaser, not the body.",
                "date_publish": "2017-09-15 00:00:00",
                "date_download": "None",
                "source_domain": "www.dw.com",
                "url": "https://www.dw.com/x",
            }
        ),
        json.dumps({"title": "No text", "text": "None", "description": "Only a teaser."}),
        json.dumps(
            {"title": "From URL", "text": "Body four.", "url": "https://www.breitbart.com/politics/x/"}
        ),
        json.dumps(["not", "an", "object"]),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_inputs([path]))
    assert len(results) == 6

    first = results[0]
    assert isinstance(first, RawArticle)
    assert (first.title, first.body, first.record_id) == ("Ours", "Body one.", "a1")
    assert first.outlet == "Example News"
    assert first.published == datetime(2017, 2, 14, 10, 0)
    assert first.provenance.record == 0 and first.provenance.format == "jsonl"

    bad_json = results[1]
    assert isinstance(bad_json, Rejected)
    assert bad_json.source == f"{path}#1" and bad_json.reason.startswith("line 2: invalid JSON")

    news_please = results[2]
    assert isinstance(news_please, RawArticle)
    assert news_please.body == "Body two."  # `description` is never the body
    assert news_please.outlet == "dw.com"
    assert news_please.published == datetime(2017, 9, 15)
    assert news_please.provenance.record == 2  # the blank line is not a record

    no_text = results[3]
    assert isinstance(no_text, Rejected)
    assert no_text.source == f"{path}#3" and no_text.reason.startswith("line 5: no article text")

    from_url = results[4]
    assert isinstance(from_url, RawArticle) and from_url.outlet == "breitbart.com"

    not_object = results[5]
    assert isinstance(not_object, Rejected) and "expected a JSON object" in not_object.reason


def test_json_single_object_and_list(tmp_path):
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": "One", "text": "Body.", "published": "yesterday-ish"}), "utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"title": "A", "text": "Body A."}, {"title": "B"}]), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")

    one, a, b, bad = read_inputs([single, many, broken])
    assert isinstance(one, RawArticle)
    assert one.provenance.record is None and one.provenance.format == "json"
    assert one.published is None  # unparseable dates are not an error
    assert isinstance(a, RawArticle) and a.provenance.record == 0
    assert isinstance(b, Rejected) and b.source == f"{many}#1"
    assert b.reason.startswith("record 1: no article text")
    assert isinstance(bad, Rejected) and bad.source == str(broken) and "invalid JSON" in bad.reason


def test_news_please_file_from_the_data_set():
    path = _need(NEWS_CLUSTER) / "0046d5ff09e56287742ed727ac712a7806d4dee16d5d46aafd7632f5.json"
    (item,) = read_inputs([path])
    assert isinstance(item, RawArticle)
    assert item.title == "China opposes DPRK's missile launch: FM spokesperson"
    assert item.outlet == "africa.chinadaily.com.cn"
    assert item.url == "http://africa.chinadaily.com.cn/world/2017-09/15/content_32041310.htm"
    assert item.published == datetime(2017, 9, 15)
    assert item.body.startswith("China opposes DPRK's missile launch")


# ---------------------------------------------------------------- .html


def test_small_html_page(tmp_path):
    page = """<!doctype html><html><head><meta charset="utf-8">
    <title>Bridge reopens after repairs</title>
    <meta property="og:site_name" content="Riverside Gazette">
    <meta property="article:published_time" content="2021-03-04T09:30:00">
    <link rel="canonical" href="https://www.riverside-gazette.example/news/bridge">
    </head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <article><h1>Bridge reopens after repairs</h1>
    <p>The old river bridge reopened to traffic on Thursday after eight months of repairs to its deck.</p>
    <p>City engineers said the work finished two weeks ahead of schedule and under its budget.</p>
    <p>Cyclists will get a separate lane from next month, the council said in a statement.</p>
    </article><footer>Contact us</footer></body></html>"""
    path = tmp_path / "bridge.html"
    path.write_text(page, encoding="utf-8")
    (item,) = read_inputs([path])
    assert isinstance(item, RawArticle)
    assert item.title == "Bridge reopens after repairs"
    assert item.outlet == "Riverside Gazette"
    assert item.url == "https://www.riverside-gazette.example/news/bridge"
    assert item.published is not None and item.published.date().isoformat() == "2021-03-04"
    assert item.provenance.format == "html"
    # One paragraph per text block, blank lines between; the repeated headline is left to cleaning.
    assert item.body.split("\n\n") == [
        "Bridge reopens after repairs",
        "The old river bridge reopened to traffic on Thursday after eight months of repairs to its deck.",
        "City engineers said the work finished two weeks ahead of schedule and under its budget.",
        "Cyclists will get a separate lane from next month, the council said in a statement.",
    ]


def test_html_without_main_text_is_rejected(tmp_path):
    path = tmp_path / "blank.htm"
    path.write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    (item,) = read_inputs([path])
    assert isinstance(item, Rejected) and item.source == str(path)


# Real news pages of trafilatura's evaluation set; every `with` snippet must be in the body.
REAL_PAGES = [
    "bbc.com.52241221.html",
    "japantimes.co.jp.surgical.html",
    "latimes.com.bloomberg.html",
    "cbsnews.com.carolina.html",
    "nytimes.com.blackouts.html",
]


def test_real_html_pages_keep_their_main_text(tmp_path):
    annotations = json.loads((_need(TRAFILATURA_EVAL) / "evaldata_en.json").read_text(encoding="utf-8"))
    by_file = {item["file"]: item for item in annotations.values()}
    for name in REAL_PAGES:
        page = gzip.decompress((TRAFILATURA_EVAL / "html" / f"{name}.gz").read_bytes())
        (tmp_path / name).write_bytes(page)
    items = list(read_inputs([tmp_path]))
    assert sorted(Path(i.provenance.source).name for i in items) == sorted(REAL_PAGES)
    for item in items:
        assert isinstance(item, RawArticle), item
        expected = by_file[Path(item.provenance.source).name]
        assert item.title and item.outlet
        assert "\n\n" in item.body
        for snippet in expected["with"]:
            assert _norm(snippet) in _norm(item.body), (item.provenance.source, snippet)


def test_html_in_a_declared_charset_is_decoded_else_rejected(tmp_path):
    article = (
        "<article><h1>Zürich cafés</h1><p>Café owners in Zürich said on Monday that prices for coffee "
        "beans had risen sharply over the winter months.</p><p>Several cafés plan to raise prices.</p>"
        "</article>"
    )
    head = '<head><meta charset="iso-8859-1"><title>Zürich cafés</title></head>'
    declared = tmp_path / "declared.html"
    declared.write_bytes(f"<html>{head}<body>{article}</body></html>".encode("latin-1"))
    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(f"<html><body>{article}</body></html>".encode("latin-1"))
    noise = tmp_path / "noise.html"
    noise.write_bytes(b"<html>" + bytes(range(256)) * 16)
    good, guessed, bad = read_inputs([declared, undeclared, noise])
    assert isinstance(good, RawArticle) and "Café owners in Zürich" in good.body and not good.warnings
    assert isinstance(guessed, RawArticle) and "Café owners in Zürich" in guessed.body
    assert guessed.warnings == (
        "not UTF-8 (invalid start byte at byte 26); decoded as cp1252 (charset-normalizer's guess)",
    )
    assert isinstance(bad, Rejected) and bad.code == RejectCode.UNREADABLE_ENCODING


def test_html_list_and_table_marks_are_not_taken_as_words():
    from newsfuse.ingest.html import parse_html

    lead = "The council approved the new budget on Tuesday after a long debate about school funding."
    page = (
        "<html><head><title>Council passes budget</title></head><body><article><h1>Council passes budget</h1>"
        f"<p>{lead}</p><ul><li>Schools get more money for teachers</li><li>Libraries open later</li></ul>"
        "<table><tr><th>Item</th><th>Amount</th></tr><tr><td>Schools</td><td>$4m</td></tr></table>"
        f"<p>{lead}</p></article></body></html>"
    )
    raw = parse_html(page.encode(), "p.html")
    assert "Schools get more money for teachers" in raw.body.split("\n\n")
    assert "- " not in raw.body and "|" not in raw.body
