"""Records per second of reading WARC files, in this process and on a pool of worker processes.

    python benchmarks/warc_read.py [--files N] [--copies K] [--repeat R] [--processes 1 2]

Writes N archives into a temporary folder, each holding the news pages of ../shared/data/trafilatura_eval_en
(157 real pages) K times over, every page as a request, a response and an image response, then reads them
all with `newsfuse.ingest.read_inputs` at each process count, R times alternately, and prints the median
wall seconds, WARC records and HTML pages per second, and the main process's CPU seconds (the workers'
CPU is not in it). Worker start (about a second each) is included: it is part of every run.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.ingest import read_inputs
from newsfuse.types import RawArticle

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "trafilatura_eval_en" / "html"
RECORDS_PER_PAGE = 3


def write_archive(path: Path, pages: list[bytes]) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    html = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    for i, body in enumerate(pages):
        uri = f"https://news.example/{path.stem}/{i}"
        for rec_type, payload, http in (
            ("request", b"", request),
            ("response", body, html),
            ("response", b"\x89PNG" + bytes(2000), image),
        ):
            writer.write_record(
                writer.create_warc_record(
                    uri, rec_type, payload=io.BytesIO(payload), length=len(payload), http_headers=http
                )
            )
    path.write_bytes(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--copies", type=int, default=1, help="times each archive holds the page set")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if not PAGES.is_dir():
        sys.exit(f"no pages at {PAGES}")
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(PAGES.glob("*.html.gz"))] * args.copies
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.files):
            write_archive(Path(folder, f"crawl-{n:03d}.warc.gz"), pages)
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        records = args.files * len(pages) * RECORDS_PER_PAGE
        print(
            f"{args.files} archives, {records} records ({args.files * len(pages)} HTML pages), "
            f"{size / 2**20:.1f} MiB gzip; load average {os.getloadavg()[0]:.1f}"
        )
        timings: dict[int, list[tuple[float, float, int]]] = {p: [] for p in args.processes}
        for _ in range(args.repeat):
            for processes in args.processes:  # alternately, so load changes hit every count alike
                wall, cpu = time.perf_counter(), time.process_time()
                read = sum(isinstance(r, RawArticle) for r in read_inputs([folder], processes=processes))
                timings[processes].append((time.perf_counter() - wall, time.process_time() - cpu, read))
        header = f"{'processes':>9} {'seconds':>8} {'records/s':>10} {'pages/s':>8} {'main CPU s':>11}"
        print(f"{header} {'read':>5}")
        for processes, runs in timings.items():
            seconds = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(
                f"{processes:>9} {seconds:8.2f} {records / seconds:10.0f} "
                f"{args.files * len(pages) / seconds:8.1f} {cpu:11.2f} {runs[0][2]:>5}"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
