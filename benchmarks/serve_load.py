"""Latency and throughput of `newsfuse serve` over a store of 10,000 stories.

    python benchmarks/serve_load.py [DATA_DIR] [--articles 40] [--stories 10000] [--seconds 15]
                                    [--clients 1 16] [--work DIR]

The store is real fusion output made many times over: the first N giveme5w1h articles are run through
the whole pipeline once (kept in --work, so later runs skip it), and their stories are stored again and
again under new ids, with their article dates shifted, until the store holds --stories stories. The
server then runs as its own process on a free localhost port, and a load generator asks for, as fast
as answers come (`--client wrk`, the default where Debian's `wrk` is installed: C, one thread, one
connection per simulated client; `--client httpx`: a bounded asyncio client, which itself takes most of a
core at a few hundred requests a second): a story page (a random story; and
one of 100 "hot" stories), a story's account (`/api/stories/ID`), the story list (`/`, the 30 newest,
with its outlet and entity filters), and a search (`/?q=WORD`, a random word of a title). Each runs
--seconds at each number of clients. Printed: p50/p95/p99 latency, requests per second, and the CPU the
client and the server used (client and server share the machine), and the server's CPU per request.
Before that: what storing the fused stories costs with their pages rendered (store/pages.py), and one
story page timed in this process step by step, rendered and as stored, to say where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb  # the benchmark writes the copies directly; newsfuse itself writes through the Store
import httpx

from newsfuse.pipeline import run
from newsfuse.report.html import render_html
from newsfuse.report.views import build_story_view
from newsfuse.store import Store
from newsfuse.store.pages import compress, decompress, store_pages
from newsfuse.types import Story, StoryFilter

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


def base_store(data: Path, articles: int, work: Path) -> Path:
    """The pipeline's store of the first `articles` giveme5w1h files (made once)."""
    db = work / f"base-{articles}.duckdb"
    if not db.exists():
        files = sorted(data.glob("*.json"))[:articles]
        started = time.perf_counter()
        run(files, db=db, progress=False)
        print(
            f"pipeline on {len(files)} giveme5w1h articles: {time.perf_counter() - started:.0f} s", flush=True
        )
    return db


def filled_store(base: Path, stories: int, work: Path) -> tuple[Path, list[str], list[str]]:
    """A copy of the base store holding `stories` stories; out: the path, the story ids, title words.

    The copies are made in SQL, table by table (the story, its members and its read-side rows, under
    the new id, with its dates shifted by an hour per copy): storing 10,000 stories one by one through
    `Store.put_stories` (codec and index rows for each) takes minutes on a loaded machine, and it is
    the reads that are measured here.
    """
    from newsfuse.store.index import INDEX_COLUMNS

    db = work / f"load-{stories}.duckdb"
    for leftover in (db, Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)
    shutil.copy(base, db)
    with Store.open(db) as store:  # brings the base store's schema and index up to date
        originals = store.stories()
        store_cost(store, originals)
    started = time.perf_counter()
    copies = -(-(stories - len(originals)) // len(originals))
    new_id = "s.story_id || '-copy' || r.n"
    con = duckdb.connect(str(db))
    con.execute("BEGIN TRANSACTION")
    con.execute(
        "CREATE TEMP TABLE wanted AS SELECT id AS story_id, n FROM stories, range(1, ?) r(n) "
        "ORDER BY n, id LIMIT ?",
        [copies + 1, stories - len(originals)],
    )
    con.execute(
        "INSERT INTO stories SELECT s.id || '-copy' || r.n, s.title, s.created_at, s.updated_at, "
        "s.latest_published + to_hours(r.n), "
        "json_merge_patch(s.account, json_object('id', s.id || '-copy' || r.n)) "
        "FROM stories s JOIN wanted r ON r.story_id = s.id"
    )
    con.execute(
        f"INSERT INTO story_articles SELECT {new_id}, s.article_id FROM story_articles s "
        "JOIN wanted r ON r.story_id = s.story_id"
    )
    for table, columns in INDEX_COLUMNS.items():
        values = [new_id if name == "story_id" else f"s.{name}" for name, _ in columns]
        if table == "story_listing":
            values = [f"s.{name} + to_hours(r.n)" if name.endswith("_published") else v
                      for (name, _), v in zip(columns, values, strict=True)]  # fmt: skip
        con.execute(
            f"INSERT INTO {table} SELECT {', '.join(values)} FROM {table} s "
            "JOIN wanted r ON r.story_id = s.story_id"
        )
    copy_pages(con)
    con.execute("COMMIT")
    con.close()
    with Store.open(db, read_only=True) as store:
        ids = [s.id for page in _all_listings(store) for s in page]
        check_copied_pages(store, [i for i in ids if "-copy" in i][:20])
    assert len(ids) == stories, (len(ids), stories)
    print(
        f"store: {stories} stories ({len(originals)} fused, the rest copies) written in "
        f"{time.perf_counter() - started:.1f} s; {db.stat().st_size / 2**20:.0f} MiB",
        flush=True,
    )
    words = sorted({w for s in originals for w in s.title.split() if len(w) > 4 and w.isalpha()})
    return db, ids, words


def store_cost(store: Store, stories: list[Story]) -> None:
    """What rendering and storing the served pages (store/pages.py) adds to storing stories: the stories
    are stored (which renders their pages) and their pages rendered alone, three times; median CPU."""
    whole, pages = [], []
    for _ in range(3):
        c0 = time.process_time()
        store.put_stories(stories)
        whole.append(time.process_time() - c0)
        with store.transaction("pages") as con:
            c0 = time.process_time()
            store_pages(con, stories)
            pages.append(time.process_time() - c0)
    reads = store.queries()
    blobs = [reads.story_page(s.id)[1] or b"" for s in stories]
    per_story = statistics.median(pages) / len(stories) * 1000
    print(
        f"storing {len(stories)} stories: {statistics.median(whole) * 1000:.0f} ms CPU, of which their pages "
        f"{statistics.median(pages) * 1000:.0f} ms ({per_story:.1f} ms CPU a story); a page is "
        f"{statistics.mean(map(len, blobs)) / 1024:.1f} KiB gzip "
        f"({statistics.mean(len(decompress(b)) for b in blobs) / 1024:.0f} KiB of HTML)",
        flush=True,
    )


def copy_pages(con: duckdb.DuckDBPyConnection) -> None:
    """The copies' pages: an original's page with the copy's id in it (check_copied_pages checks that this
    is what rendering the copy gives), so that 10,000 pages need not be rendered."""
    rows = con.execute(
        "SELECT r.story_id, r.n, p.renderer, p.html FROM wanted r "
        "JOIN story_pages p ON p.story_id = r.story_id"
    ).fetchall()
    batch: list[tuple[str, str, bytes]] = []
    for story_id, n, made_by, blob in rows:
        copy_id = f"{story_id}-copy{n}"
        batch.append((copy_id, made_by, compress(decompress(bytes(blob)).replace(story_id, copy_id))))
    for at in range(0, len(batch), 1000):
        part = batch[at : at + 1000]
        con.execute(
            "INSERT INTO story_pages SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BLOB[])",
            [[r[0] for r in part], [r[1] for r in part], [r[2] for r in part]],
        )


def check_copied_pages(store: Store, copy_ids: list[str]) -> None:
    reads = store.queries()
    for story_id in copy_ids:
        story = reads.story(story_id)
        fresh = render_html(
            story, {a.id: a for a in reads.articles([r.id for r in story.articles])}, served=True
        )
        assert decompress(reads.story_page(story_id)[1] or b"") == fresh, (
            f"{story_id}: the copied page is not its own"
        )


def _all_listings(store: Store) -> list[tuple]:
    reads = store.queries()
    pages, offset = [], 0
    while True:
        page = reads.stories(offset=offset, limit=200)
        if not page.items:
            return pages
        pages.append(page.items)
        offset += len(page.items)


def where_the_time_goes(db: Path, ids: list[str], samples: int = 200) -> None:
    """One story page's steps, timed in this process on the same store (means over random stories)."""
    from newsfuse.report.jinja import render

    steps: dict[str, list[float]] = {
        k: [] for k in ("read + parse story", "read articles", "view", "template")
    }
    rng = random.Random(1)
    with Store.open(db, read_only=True) as store:
        reads = store.queries()
        for story_id in rng.sample(ids, min(samples, len(ids))):
            t0 = time.perf_counter()
            story = reads.story(story_id)
            t1 = time.perf_counter()
            articles = {a.id: a for a in reads.articles([r.id for r in story.articles])}
            t2 = time.perf_counter()
            view = build_story_view(story, articles)
            t3 = time.perf_counter()
            render("story.html", served=True, v=view, page_lang=view.page_lang, page_dir=view.page_dir)
            t4 = time.perf_counter()
            for key, value in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                value_ms = value * 1000
                steps[key].append(value_ms)
        render_html(story, articles, served=True)
        stored = []
        for story_id in rng.sample(ids, min(samples, len(ids))):
            t0 = time.perf_counter()
            reads.story_page(story_id)
            stored.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        for _ in range(20):
            reads.stories(limit=30)
        listing = (time.perf_counter() - t0) / 20 * 1000
        t0 = time.perf_counter()
        for word in ("Trump", "missile", "election", "police", "Korea"):
            reads.stories(query_filter(word), limit=30)
        search = (time.perf_counter() - t0) / 5 * 1000
    t0, c0 = time.perf_counter(), time.process_time()
    with Store.open(db, read_only=True) as store:
        reads = store.queries()
        for story_id in ids[:100]:
            story = reads.story(story_id)
            render_html(story, {a.id: a for a in reads.articles([r.id for r in story.articles])}, served=True)
    cpu_share = (time.process_time() - c0) / (time.perf_counter() - t0)
    total = sum(statistics.mean(v) for v in steps.values())
    print(f"\none story page in-process ({samples} random stories), mean ms: total {total:.1f}")
    for key, values in steps.items():
        print(f"  {key:20s} {statistics.mean(values):6.2f}  (p95 {percentile(values, 95):.2f})")
    print(
        f"  served instead: the page stored with the story (one indexed read of its gzip): "
        f"{statistics.mean(stored):.2f} ms (p95 {percentile(stored, 95):.2f})"
    )
    print(f"  list query (30 newest): {listing:.1f} ms; search query: {search:.1f} ms")
    print(f"  (this process had {cpu_share:.0%} of a core while rendering pages: CPU per page is that share)")


def query_filter(word: str) -> StoryFilter:
    return StoryFilter(query=word)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client_cpu() -> float:
    """CPU seconds of the load generator: this process (httpx) and its finished children (wrk)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _load(
    url: str, paths: Callable[[random.Random], str], clients: int, seconds: float
) -> tuple[list[float], int]:
    """Latencies of the answered requests (ms), and how many failed on the way (closed connections)."""
    latencies: list[float] = []
    failed = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def one_client(seed: int) -> None:
            nonlocal failed
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                path = paths(rng)
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.TransportError:
                    failed += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")

        await asyncio.gather(*(one_client(seed) for seed in range(clients)))
    return latencies, failed


_WRK_SCRIPT = """
paths = {%s}
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %%d %%d %%.3f %%.3f %%.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def _load_wrk(
    url: str, paths: list[str], clients: int, seconds: float, work: Path
) -> tuple[int, int, list[float]]:
    """wrk (C, one thread) asking for random paths of `paths`: requests answered, failed (errors and
    non-2xx answers), and p50/p95/p99 latency in ms. Its CPU shows in this process's children."""
    script = work / "wrk-paths.lua"
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(_WRK_SCRIPT % (quoted, 7))
    out = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "-s", str(script), url + "/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (line,) = [x for x in out.splitlines() if x.startswith("WRK ")]
    _, requests, failed, p50, p95, p99 = line.split()
    return int(requests), int(failed), [float(p50), float(p95), float(p99)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=40, help="giveme5w1h articles fused for real")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--work", type=Path, default=Path(".serve-load"), help="folder for the stores")
    parser.add_argument(
        "--client",
        choices=["wrk", "httpx"],
        default="wrk" if shutil.which("wrk") else "httpx",
        help="the load generator: wrk (C; Debian's wrk package) or a bounded asyncio httpx client, "
        "which takes most of a core itself at a few hundred requests a second",
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"{args.data}: no such folder (give the giveme5w1h_news_cluster folder)")
    args.work.mkdir(parents=True, exist_ok=True)
    db, ids, words = filled_store(base_store(args.data, args.articles, args.work), args.stories, args.work)
    where_the_time_goes(db, ids)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "newsfuse", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        scenarios: dict[str, Callable[[random.Random], str]] = {
            "story page": lambda rng: f"/stories/{rng.choice(ids)}",
            # 100 "hot" stories: before pages were stored with stories, the server kept the last 256 it
            # rendered; now every page is its stored gzip, held in the server's memory, hot or not.
            "hot story": lambda rng: f"/stories/{rng.choice(ids[:100])}",
            "story JSON": lambda rng: f"/api/stories/{rng.choice(ids)}",
            "story list": lambda rng: "/",
            "search": lambda rng: f"/?q={rng.choice(words)}",
        }
        # The same scenarios as fixed path lists, for wrk (which draws one at random per request).
        path_lists: dict[str, list[str]] = {
            "story page": [f"/stories/{i}" for i in ids],
            "hot story": [f"/stories/{i}" for i in ids[:100]],
            "story JSON": [f"/api/stories/{i}" for i in ids],
            "story list": ["/"],
            "search": [f"/?q={w}" for w in words],
        }
        for paths in scenarios.values():  # warm every path once (templates, caches)
            asyncio.run(_load(url, paths, 1, 1.0))
        for story_id in ids[:100]:  # the hot stories' pages, rendered once
            httpx.get(f"{url}/stories/{story_id}", timeout=60)
        load = os.getloadavg()[0]
        print(
            f"\nload: {len(ids)} stories, {args.seconds:.0f} s per row, client {args.client}, "
            f"load average {load:.1f}"
        )
        print(
            "scenario      clients  requests  req/s   p50 ms  p95 ms  p99 ms  client CPU  server CPU"
            "  server CPU ms/req  failed"
        )
        for clients in args.clients:
            for name, paths in scenarios.items():
                client_cpu, server_cpu = _client_cpu(), _cpu_seconds(server.pid)
                started = time.perf_counter()
                if args.client == "wrk":
                    count, failed, cuts = _load_wrk(url, path_lists[name], clients, args.seconds, args.work)
                else:
                    latencies, failed = asyncio.run(_load(url, paths, clients, args.seconds))
                    count, cuts = len(latencies), [percentile(latencies, p) for p in (50, 95, 99)]
                wall = time.perf_counter() - started
                client_cpu = (_client_cpu() - client_cpu) / wall
                server_cpu = (_cpu_seconds(server.pid) - server_cpu) / wall
                print(
                    f"{name:13s} {clients:7d} {count:9d} {count / wall:6.1f} "
                    f"{cuts[0]:7.1f} {cuts[1]:7.1f} {cuts[2]:7.1f}  {client_cpu:9.0%}  {server_cpu:9.0%}  "
                    f"{server_cpu * wall / max(1, count) * 1000:17.2f}  {failed:6d}"
                )
        print(f"(CPU as a share of one core; load average at the end {os.getloadavg()[0]:.1f})")
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
