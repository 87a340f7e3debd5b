"""Feeds (RSS, Atom) and web archives (WARC): real files written here, read alone and end to end."""

from __future__ import annotations

import gzip
import io
import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import DATA, require
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.ingest import read_inputs, warc
from newsfuse.ingest.feeds import html_paragraphs
from newsfuse.ingest.warc import WarcCounts, read_warc
from newsfuse.pipeline import read_articles
from newsfuse.types import Provenance, RawArticle, RejectCode, Rejected

TRAFILATURA_EVAL = DATA / "trafilatura_eval_en"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- feeds

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Harbour Times</title>
  <link>https://www.harbourtimes.example/</link>
  <description>News from the port city</description>
  <item>
    <title>Dock workers end strike after pay deal</title>
    <link>https://www.harbourtimes.example/news/2025/03/04/dock-strike-ends</link>
    <guid isPermaLink="false">ht-2025-0304-17</guid>
    <pubDate>Tue, 04 Mar 2025 09:30:00 EST</pubDate>
    <description>A teaser written for the front page.</description>
    <content:encoded><![CDATA[
      <p>Dock workers at the city's container port voted on Monday to end a nine-day strike after
      accepting a <a href="/pay">new pay deal</a> worth 6 per cent over two years.</p>
      <figure><img src="/img/dock.jpg" alt=""><figcaption>Cranes stood idle.</figcaption></figure>
      <p>"We have won what we came for," said Maria Lopes, the union's regional secretary.</p>
      <script>trackArticle(17)</script>
      <p>Ships held at anchor will begin unloading on Wednesday,<br>the port authority said.</p>
    ]]></content:encoded>
  </item>
  <item>
    <title>Ferry timetable changes from April</title>
    <link>https://www.harbourtimes.example/news/2025/03/05/ferry-timetable</link>
    <pubDate>Wed, 05 Mar 2025 07:15:00 +0000</pubDate>
    <description>&lt;p&gt;The island ferry will run hourly on weekdays from 1 April,
      the operator said.&lt;/p&gt; &lt;p&gt;Weekend sailings are unchanged.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Photo gallery: the tall ships festival</title>
    <link>https://www.harbourtimes.example/gallery/tall-ships</link>
    <pubDate>Thu, 06 Mar 2025 12:00:00 +0000</pubDate>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Valley &amp;amp; Coast Courier</title>
  <id>urn:uuid:5a3f0c6e-courier</id>
  <updated>2024-11-02T18:00:00+01:00</updated>
  <entry>
    <title type="html">Council approves &lt;em&gt;new&lt;/em&gt; river crossing</title>
    <link rel="alternate" href="https://courier.example/2024/11/02/river-crossing"/>
    <id>tag:courier.example,2024:river-crossing</id>
    <published>2024-11-02T16:45:00+01:00</published>
    <updated>2024-11-02T17:05:00+01:00</updated>
    <summary>Councillors backed the bridge.</summary>
    <content type="html">&lt;p&gt;The county council approved plans on Saturday for a second road bridge
      across the river, ending a decade of debate.&lt;/p&gt;&lt;p&gt;Construction is due to start in
      2026 and cost about 80 million euros, the council's planning chief said.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Storm warning for the coast tonight</title>
    <link rel="alternate" href="https://courier.example/2024/11/02/storm-warning"/>
    <id>tag:courier.example,2024:storm-warning</id>
    <updated>2024-11-02T12:00:00Z</updated>
    <summary type="text">Forecasters issued an amber warning for gales along the coast from 8pm.

Ferries to the islands have been cancelled for the night.</summary>
  </entry>
</feed>
"""

BROKEN_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Cut short</title><link>https://cut.example/</link>
"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://www.harbourtimes.example/news/2025/03/04/dock-strike-ends</loc></url>
</urlset>
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rss_entries_become_articles_with_full_content_else_description(tmp_path):
    path = _write(tmp_path / "harbour.rss", RSS)
    strike, ferry, gallery = read_inputs([path])

    assert isinstance(strike, RawArticle)
    assert strike.title == "Dock workers end strike after pay deal"
    assert strike.url == "https://www.harbourtimes.example/news/2025/03/04/dock-strike-ends"
    assert strike.outlet == "Harbour Times"
    assert strike.record_id == "ht-2025-0304-17"
    # RSS dates name zones such as EST; the instant is kept, in UTC without a zone (as the store keeps it).
    assert strike.published == datetime(2025, 3, 4, 14, 30)
    assert strike.provenance == Provenance(str(path), "feed", 0)
    # The full content, not the teaser; no script; one paragraph per block, blank lines between.
    assert strike.body.split("\n\n") == [
        "Dock workers at the city's container port voted on Monday to end a nine-day strike after "
        "accepting a new pay deal worth 6 per cent over two years.",
        "Cranes stood idle.",
        '"We have won what we came for," said Maria Lopes, the union\'s regional secretary.',
        "Ships held at anchor will begin unloading on Wednesday,",
        "the port authority said.",
    ]

    assert isinstance(ferry, RawArticle)
    assert ferry.body == (
        "The island ferry will run hourly on weekdays from 1 April, the operator said.\n\n"
        "Weekend sailings are unchanged."
    )
    assert ferry.published == datetime(2025, 3, 5, 7, 15)
    assert ferry.provenance.record == 1 and ferry.record_id is None

    assert gallery == Rejected(
        f"{path}#2", "entry 2: no article text (no content, summary or description)", RejectCode.NO_TEXT
    )


def test_atom_entries_html_titles_text_summaries_and_updated_times(tmp_path):
    path = _write(tmp_path / "courier.atom", ATOM)
    bridge, storm = read_inputs([path])

    assert isinstance(bridge, RawArticle) and isinstance(storm, RawArticle)
    assert bridge.title == "Council approves new river crossing"  # an HTML title, as text
    assert bridge.outlet == storm.outlet == "Valley & Coast Courier"
    assert bridge.url == "https://courier.example/2024/11/02/river-crossing"
    assert bridge.record_id == "tag:courier.example,2024:river-crossing"
    # `published` wins over `updated`; 16:45 at +01:00 is 15:45 UTC.
    assert bridge.published == datetime(2024, 11, 2, 15, 45)
    assert bridge.body.startswith("The county council approved plans on Saturday")
    assert bridge.body.count("\n\n") == 1 and "Councillors backed" not in bridge.body
    assert bridge.provenance == Provenance(str(path), "feed", 0)

    # Plain-text summary: its blank line is kept as the paragraph break; only `updated` gives the time.
    assert storm.body == (
        "Forecasters issued an amber warning for gales along the coast from 8pm.\n\n"
        "Ferries to the islands have been cancelled for the night."
    )
    assert storm.published == datetime(2024, 11, 2, 12, 0)
    assert storm.provenance.record == 1


def test_feed_without_a_title_takes_the_outlet_from_the_link(tmp_path):
    feed = RSS.replace("<title>Harbour Times</title>", "")
    (strike, *_) = read_inputs([_write(tmp_path / "untitled.xml", feed)])
    assert isinstance(strike, RawArticle) and strike.outlet == "harbourtimes.example"


def test_broken_empty_and_non_feed_files_are_rejected_with_the_reason(tmp_path):
    broken = _write(tmp_path / "broken.rss", BROKEN_FEED)
    sitemap = _write(tmp_path / "sitemap.xml", SITEMAP)
    empty = _write(
        tmp_path / "empty.atom", '<feed xmlns="http://www.w3.org/2005/Atom"><title>E</title></feed>'
    )
    not_xml = _write(tmp_path / "notes.xml", "these are notes, not XML")

    results = list(read_inputs([broken, sitemap, empty, not_xml]))
    assert all(isinstance(r, Rejected) for r in results)
    reasons = {Path(r.source).name: r.reason for r in results}
    assert reasons["broken.rss"].startswith("not a well-formed feed (line 3, column 0:")
    assert "no element found" in reasons["broken.rss"]
    assert reasons["sitemap.xml"] == "not an RSS or Atom feed (the root element is <urlset>)"
    assert reasons["empty.atom"] == "the feed has no entries"
    assert reasons["notes.xml"].startswith("not a well-formed feed")


def test_feed_content_is_never_taken_for_a_path_or_url(tmp_path):
    real = _write(tmp_path / "harbour.rss", RSS)
    pointer = _write(tmp_path / "pointer.rss", str(real))
    (item,) = read_inputs([pointer])
    assert isinstance(item, Rejected) and item.source == str(pointer)


def test_gzipped_feed_is_read(tmp_path):
    path = tmp_path / "harbour.rss.gz"
    path.write_bytes(gzip.compress(RSS.encode()))
    items = list(read_inputs([path]))
    assert [type(i).__name__ for i in items] == ["RawArticle", "RawArticle", "Rejected"]


def test_html_fragments_become_paragraphs():
    assert html_paragraphs("Lead <b>in</b> bold<!-- note -->, then<div>a block</div>and a tail") == [
        "Lead in bold, then",
        "a block",
        "and a tail",
    ]
    assert html_paragraphs("<style>p {}</style><p>One &amp; two</p>\n\n<p>  Three  </p>") == [
        "One & two",
        "Three",
    ]
    assert html_paragraphs('<img src="x.jpg">') == []
    assert html_paragraphs("") == []


# ---------------------------------------------------------------- WARC

# A real Reuters page from trafilatura's evaluation set; its `with` snippets must survive extraction.
REUTERS_FILE = "reuters.com.parasite.html"
REUTERS_URI = (
    "https://www.reuters.com/article/us-awards-sag/parasite-scores-upset-at-sag-awards-boosting-oscar-"
    "chances-idUSKBN1ZI0EH"
)
UNDATED_PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="og:title" content="Lighthouse keeper retires after 40 years"></head>
<body><article><h1>Lighthouse keeper retires after 40 years</h1>
<p>The last keeper of the North Point lighthouse handed over its keys on Friday after four decades.</p>
<p>The light has run automatically for years, but he stayed on to look after the building.</p>
<p>A museum will open in the keeper's cottage next summer, the harbour trust said.</p>
</article></body></html>"""
FETCHED = "2024-06-01T12:00:00Z"  # when the crawler fetched the pages, not when they were published


def _reuters_page() -> tuple[bytes, list[str]]:
    folder = require(TRAFILATURA_EVAL)
    annotations = json.loads((folder / "evaldata_en.json").read_text(encoding="utf-8"))
    (expected,) = [a for a in annotations.values() if a["file"] == REUTERS_FILE]
    return gzip.decompress((folder / "html" / f"{REUTERS_FILE}.gz").read_bytes()), expected["with"]


def _write_warc(path: Path, page: bytes, compress: bool) -> list[int]:
    """An archive as a crawler writes one; returns where each record starts in the file."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    starts: list[int] = []

    def write(uri: str, rec_type: str, body: bytes, http: StatusAndHeaders | None) -> None:
        starts.append(buffer.tell())
        record = writer.create_warc_record(
            uri,
            rec_type,
            payload=io.BytesIO(body),
            length=len(body),  # a known length spares warcio a temporary file
            http_headers=http,
            warc_headers_dict={"WARC-Date": FETCHED},
        )
        writer.write_record(record)

    def response(status: str, content_type: str, extra: list[tuple[str, str]] | None = None):
        return StatusAndHeaders(status, [("Content-Type", content_type), *(extra or [])], protocol="HTTP/1.1")

    starts.append(buffer.tell())
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsfuse tests"}))  # 0
    request = StatusAndHeaders("GET /article HTTP/1.1", [("Host", "www.reuters.com")], is_http_request=True)
    write(REUTERS_URI, "request", b"", request)  # 1
    write(REUTERS_URI, "response", page, response("200 OK", "text/html; charset=utf-8"))  # 2
    # 3: an image
    write(
        "https://www.reuters.com/logo.png",
        "response",
        b"\x89PNG" + bytes(600),
        response("200 OK", "image/png"),
    )
    # 4: an error page
    write(
        "https://www.harbourtimes.example/gone",
        "response",
        b"<html>Not found</html>",
        response("404", "text/html"),
    )
    # 5: a page that names no date
    write(
        "https://www.harbourtimes.example/lighthouse",
        "response",
        UNDATED_PAGE,
        response("200 OK", "text/html"),
    )
    # 6: a redirect
    moved = response(
        "301 Moved Permanently", "text/html", [("Location", "https://www.harbourtimes.example/")]
    )
    write("http://harbourtimes.example/", "response", b"", moved)
    path.write_bytes(buffer.getvalue())
    return starts


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_articles_and_the_rest_is_counted(tmp_path, name):
    page, snippets = _reuters_page()
    path = tmp_path / name
    _write_warc(path, page, compress=name.endswith(".gz"))
    if name.endswith(".gz"):
        assert path.read_bytes()[:2] == b"\x1f\x8b"

    counts = WarcCounts()
    reuters, lighthouse = read_warc(str(path), counts)
    assert counts == WarcCounts(records=7, pages=2, not_html=1, not_ok=2, other=2)

    assert isinstance(reuters, RawArticle)
    assert reuters.provenance == Provenance(str(path), "warc", 2)
    assert reuters.title == "'Parasite' scores historic upset at SAG awards, boosting Oscar chances"
    assert reuters.outlet == "Reuters"
    assert reuters.url is not None and reuters.url.startswith("https://www.reuters.com/article/")
    assert reuters.published is not None and reuters.published.date().isoformat() == "2020-01-20"
    for snippet in snippets:
        assert _norm(snippet) in _norm(reuters.body)

    assert isinstance(lighthouse, RawArticle)
    assert lighthouse.provenance == Provenance(str(path), "warc", 5)
    assert lighthouse.url == "https://www.harbourtimes.example/lighthouse"  # the WARC-Target-URI
    assert lighthouse.title == "Lighthouse keeper retires after 40 years"
    assert lighthouse.published is None  # the page names no date; the WARC-Date is not one

    # Through the suffix table, a .warc.gz goes to the WARC reader as it is.
    assert [i.provenance.format for i in read_inputs([path]) if isinstance(i, RawArticle)] == ["warc", "warc"]


def test_oversized_page_is_rejected_and_reading_goes_on(tmp_path, monkeypatch):
    page, _ = _reuters_page()
    path = tmp_path / "crawl.warc"
    _write_warc(path, page, compress=False)
    monkeypatch.setattr(warc, "MAX_PAGE_BYTES", 4096)
    big, small = read_inputs([path])
    assert big == Rejected(f"{path}#2", "HTML page of more than 4,096 bytes", RejectCode.TOO_LARGE)
    assert isinstance(small, RawArticle) and small.provenance.record == 5


def test_truncated_warc_keeps_the_pages_before_the_cut(tmp_path):
    page, _ = _reuters_page()
    whole = tmp_path / "crawl.warc"
    starts = _write_warc(whole, page, compress=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[: starts[3] + 700])  # inside the image record

    first, rejected = read_inputs([cut])
    assert isinstance(first, RawArticle) and first.provenance.record == 2
    assert isinstance(rejected, Rejected) and rejected.source == str(cut)
    assert rejected.reason.startswith("truncated: the file ends inside record 3,")


def test_truncated_gzip_warc_is_noticed_between_records(tmp_path):
    page, _ = _reuters_page()
    whole = tmp_path / "crawl.warc.gz"
    starts = _write_warc(whole, page, compress=True)
    # Cut a few bytes into the last record's gzip member: warcio alone would stop quietly there.
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[: starts[6] + 12])

    counts = WarcCounts()
    *articles, rejected = read_warc(str(cut), counts)
    assert [a.provenance.record for a in articles if isinstance(a, RawArticle)] == [2, 5]
    assert rejected == Rejected(
        str(cut), "truncated: the file ends inside a gzip member, after record 5", RejectCode.BAD_ARCHIVE
    )
    assert counts.records == 6


def test_corrupt_and_wrongly_compressed_warcs_are_rejected(tmp_path):
    page, _ = _reuters_page()
    plain = tmp_path / "crawl.warc"
    starts = _write_warc(plain, page, compress=False)
    data = plain.read_bytes()

    not_warc = _write(tmp_path / "page.warc", "<html>not an archive</html>")
    (bad,) = read_inputs([not_warc])
    assert isinstance(bad, Rejected) and bad.reason.startswith("not a WARC file: Unknown archive format")

    # Bytes slipped into the image record: it no longer ends where its Content-Length says. The page
    # before it is kept.
    spliced = tmp_path / "spliced.warc"
    spliced.write_bytes(data[: starts[4] - 40] + b"JUNK" + data[starts[4] - 40 :])
    first, damaged = read_inputs([spliced])
    assert isinstance(first, RawArticle) and first.provenance.record == 2
    assert damaged == Rejected(
        str(spliced),
        "corrupt archive: record 3 does not end where its Content-Length says",
        RejectCode.BAD_ARCHIVE,
    )

    # A whole .warc gzipped as one stream: warcio needs one gzip member per record.
    one_stream = tmp_path / "one-stream.warc.gz"
    one_stream.write_bytes(gzip.compress(data))
    (wrong,) = [r for r in read_inputs([one_stream]) if isinstance(r, Rejected)]
    assert "compressed record by record" in wrong.reason

    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    assert list(read_inputs([empty])) == [
        Rejected(str(empty), "no WARC records in the file", RejectCode.BAD_ARCHIVE)
    ]


def test_warc_without_pages_says_what_it_held(tmp_path):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(writer.create_warcinfo_record("logo.warc", {"software": "newsfuse tests"}))
    body = b"\x89PNG" + bytes(100)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://x.example/logo.png",
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
    )
    writer.write_record(record)
    path = tmp_path / "logo.warc"
    path.write_bytes(buffer.getvalue())
    assert list(read_inputs([path])) == [
        Rejected(
            str(path),
            "no HTML page with status 200 among 2 records "
            "(1 not HTML, 0 with another status, 1 not responses)",
            RejectCode.BAD_ARCHIVE,
        )
    ]


# ---------------------------------------------------------------- end to end


def test_feeds_and_warcs_are_read_and_cleaned_by_the_pipeline(tmp_path):
    page, _ = _reuters_page()
    rss = _write(tmp_path / "harbour.rss", RSS)
    atom = _write(tmp_path / "courier.atom", ATOM)
    warc = tmp_path / "crawl.warc.gz"
    _write_warc(warc, page, compress=True)

    read = read_articles([rss, atom, warc], progress=False)
    by_title = {a.title: a for a in read.articles}
    assert set(by_title) == {
        "Dock workers end strike after pay deal",
        "Ferry timetable changes from April",
        "Council approves new river crossing",
        "Storm warning for the coast tonight",
        "'Parasite' scores historic upset at SAG awards, boosting Oscar chances",
        "Lighthouse keeper retires after 40 years",
    }
    strike = by_title["Dock workers end strike after pay deal"]
    assert strike.outlet == "Harbour Times" and strike.provenance.format == "feed"
    assert "Maria Lopes" in strike.text and strike.text.count("\n\n") >= 2
    parasite = by_title["'Parasite' scores historic upset at SAG awards, boosting Oscar chances"]
    assert parasite.provenance == Provenance(str(warc), "warc", 2) and parasite.outlet == "Reuters"
    assert [r.source for r in read.rejected] == [f"{rss}#2"]


def test_cli_runs_on_a_folder_of_a_feed_and_a_warc(tmp_path):
    page, _ = _reuters_page()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _write(inputs / "harbour.rss", RSS)
    _write_warc(inputs / "crawl.warc", page, compress=False)

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsfuse",
            "run",
            str(inputs),
            "--db",
            str(tmp_path / "n.duckdb"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "4 articles read, 1 skipped" in done.stdout
    assert "Traceback" not in done.stderr
    stored = json.loads((tmp_path / "out" / "articles.json").read_text(encoding="utf-8"))
    assert sorted((a["format"], a["record"]) for a in stored) == [
        ("feed", 0),
        ("feed", 1),
        ("warc", 2),
        ("warc", 5),
    ]
