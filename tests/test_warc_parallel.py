"""Several WARC files read on a process pool give what a sequential read gives, in the same order."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from conftest import DATA, SEED_FILES, require
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.ingest import read_inputs, warc_pool
from newsfuse.types import RawArticle, RejectCode, Rejected

PAGES = DATA / "trafilatura_eval_en" / "html"


def write_warc(path: Path, pages: list[Path], compress: bool) -> None:
    """An archive of real news pages, each as a request and a response, with an image between them."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsfuse tests"}))
    for page in pages:
        uri = f"https://news.example/{page.name.removesuffix('.html.gz')}"
        body = gzip.decompress(page.read_bytes())
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        html = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        for rec_type, payload, http in (
            ("request", b"", request),
            ("response", body, html),
            ("response", b"\x89PNG" + bytes(100), image),
        ):
            record = writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(payload), length=len(payload), http_headers=http
            )
            writer.write_record(record)
    path.write_bytes(buffer.getvalue())


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    """A folder of four archives (plain and gzip), one cut short, and a text article among them."""
    pages = sorted(require(PAGES).glob("*.html.gz"))[:12]
    folder = tmp_path_factory.mktemp("crawl")
    write_warc(folder / "a.warc.gz", pages[0:4], compress=True)
    write_warc(folder / "b.warc", pages[4:7], compress=False)
    (folder / "c.txt").write_bytes(SEED_FILES[0].read_bytes())
    write_warc(folder / "d.warc.gz", pages[7:10], compress=True)
    whole = folder / "e.warc.gz"
    write_warc(whole, pages[10:12], compress=True)
    whole.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])  # ends inside a page's record
    return folder


def test_the_pool_reads_what_a_sequential_read_gives_in_the_same_order(crawl, tmp_path):
    paths = [crawl, tmp_path / "gone.warc", crawl / "a.warc.gz"]
    sequential = list(read_inputs(paths, processes=1))
    parallel = list(read_inputs(paths, processes=2))
    assert parallel == sequential

    sources = [r.provenance.source if isinstance(r, RawArticle) else r.source for r in sequential]
    names = [Path(s.split("#")[0]).name for s in sources]
    # File by file in the folder's order, the text file at its place, then the missing path, then a.
    assert names[-5:-4] == ["gone.warc"] and set(names[-4:]) == {"a.warc.gz"}
    assert names[:-5] == sorted(names[:-5]) and "c.txt" in names
    # a, b, c.txt, d, e (cut short: one page kept), then a again
    assert sum(isinstance(r, RawArticle) for r in sequential) == 4 + 3 + 1 + 3 + 1 + 4
    # The archive cut short keeps the pages before the damage and names the file and the reason.
    (damaged,) = [r for r in sequential if isinstance(r, Rejected) and r.code is RejectCode.BAD_ARCHIVE]
    assert damaged.source == str(crawl / "e.warc.gz")
    assert "truncated" in damaged.reason
    (missing,) = [r for r in sequential if isinstance(r, Rejected) and r.code is RejectCode.NOT_FOUND]
    assert missing.source == str(tmp_path / "gone.warc")


def test_small_crawls_are_read_in_this_process_by_default(crawl):
    warcs = [str(p) for p in sorted(crawl.glob("*.warc*"))]
    assert warc_pool.pool_size(warcs, None) == 1  # a few hundred KB: starting workers costs more
    assert warc_pool.pool_size(warcs, 2) == 2
    assert warc_pool.pool_size(warcs[:1], 8) == 1


def test_an_archive_whose_worker_dies_is_rejected_and_the_rest_are_read(crawl, monkeypatch):
    """A worker killed mid-read (the OOM killer, a kill -9) breaks the pool: its archive is one Rejected
    with that reason, the others are read on a fresh pool, and the read neither hangs nor stops."""
    paths = [crawl / "a.warc.gz", crawl / "b.warc", crawl / "d.warc.gz"]
    sequential = list(read_inputs(paths, processes=1))
    submit = warc_pool._submit
    killed: list[int] = []

    def submit_then_kill_the_first_worker(pool, path):
        future = submit(pool, path)
        if not killed:
            for process in list(pool._processes.values()):
                process.kill()
                killed.append(process.pid)
        return future

    monkeypatch.setattr(warc_pool, "_submit", submit_then_kill_the_first_worker)
    parallel = list(read_inputs(paths, processes=2))
    assert killed
    assert parallel[0] == Rejected(str(paths[0]), warc_pool.WORKER_DIED, RejectCode.UNREADABLE_FILE)
    first = [
        r for r in sequential if isinstance(r, RawArticle) and r.provenance.source.startswith(str(paths[0]))
    ]
    assert parallel[1:] == sequential[len(first) :]
