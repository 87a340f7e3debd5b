"""The command line. Thin: each command parses its arguments and calls one library function.

A user's mistake (missing file, bad option, unknown story) is one line on stderr and exit code 2, never a
traceback. An unreadable input among several is reported and skipped; the others are processed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from newsfuse import __version__
from newsfuse.config import load_settings
from newsfuse.errors import NewsfuseError, StoreBusyError, StoreOutdatedError
from newsfuse.execute.lifetime import terminate_as_interrupt
from newsfuse.types import Article, Page, RejectCode, Rejected, StoryFilter

if TYPE_CHECKING:
    from newsfuse.serve.address import ServerAddress
    from newsfuse.store import Store
    from newsfuse.store.parquet import ParquetResult

MAX_PAGE = 200  # items per page when a read command walks a whole listing

EXIT_USAGE = 2
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as a command the shell's pipe closed on would end


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block.
        self.exit(EXIT_USAGE, f"newsfuse: error: {message} (see `{self.prog} --help`)\n")


def _add_common(p: argparse.ArgumentParser, json_flag: bool = True) -> None:
    p.add_argument("--db", help="DuckDB file (default: newsfuse.duckdb, or NEWSFUSE_DB)")
    p.add_argument("--config", help="TOML settings file")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add_parquet_source(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--parquet", metavar="DIR", help="read a Parquet export instead of a store (`--db DIR` does too)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsfuse", description="One sourced account per news story, from many outlets.")
    parser.add_argument("--version", action="version", version=f"newsfuse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("run", help="read, understand, group and fuse articles; write the reports")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .html, .json or .jsonl files or folders")
    p.add_argument("--out", help="folder for stories.json, articles.json and the reports")
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        help="where the per-article analysis runs: local processes (default) or a Ray cluster",
    )
    p.add_argument(
        "--address", help="a running Ray cluster's address (with --engine ray; default: start one)"
    )
    p.add_argument("--workers", type=int, help="analysis processes or Ray actors (default: one per core)")
    p.add_argument("--parquet", metavar="DIR", help="also export the store's results as partitioned Parquet")
    _add_common(p)

    p = sub.add_parser("ingest", help="read, clean and store articles without grouping them")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    _add_common(p)

    p = sub.add_parser("export", help="write the store's results as partitioned Parquet that DuckDB reads")
    p.add_argument(
        "--parquet", metavar="DIR", required=True, help="the folder to write (replaced if an export)"
    )
    _add_common(p, json_flag=False)

    p = sub.add_parser("stories", help="list the stored stories")
    _add_parquet_source(p)
    _add_common(p)

    p = sub.add_parser("rejected", help="list the inputs that could not be read, with the reason and a code")
    _add_parquet_source(p)
    _add_common(p)

    p = sub.add_parser("show", help="print one story's account")
    p.add_argument("story_id", metavar="STORY_ID")
    _add_parquet_source(p)
    _add_common(p)

    p = sub.add_parser("serve", help="serve the HTTP API and the story pages over the store")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--token",
        help="secret the write routes require (default: NEWSFUSE_SERVE_TOKEN); needed beyond loopback",
    )
    p.add_argument("--max-body", type=int, default=8 << 20, metavar="BYTES",
                   help="largest request body taken (default 8 MiB; larger: 413)")  # fmt: skip
    p.add_argument("--max-batch", type=int, default=100, metavar="N",
                   help="most articles one request may hold (default 100; more: 413)")  # fmt: skip
    _add_common(p, json_flag=False)

    p = sub.add_parser(
        "eval",
        help="score grouping, attribution, time expressions or conflicts on a labelled set; convert sets",
    )
    evals = p.add_subparsers(dest="eval_command", required=True, parser_class=_Parser)
    e = evals.add_parser("cluster", help="group a labelled JSONL file and score it against its gold stories")
    e.add_argument("file", metavar="FILE.jsonl", help="JSONL records with a 'gold_story' field each")
    e.add_argument("--config", help="TOML settings file")
    e.add_argument("--json", action="store_true", help="print JSON instead of text")
    e = evals.add_parser("timex", help="score time expressions on TimeML gold .tml files (TempEval-3)")
    e.add_argument("directory", metavar="DIR", help="folder of .tml files, searched recursively")
    e.add_argument("--part", choices=["all", "tuning", "held-out"], default="all",
                   help="score one half of the development split (see newsfuse.evaluate.timex)")  # fmt: skip
    e.add_argument("--json", action="store_true", help="print JSON instead of text")
    e = evals.add_parser("attribution", help="score attribution (source, cue, content) on a PolNeAR split")
    e.add_argument("dir", metavar="DIR", help="a PolNeAR split folder holding text/ and attributions/")
    e.add_argument("--json", action="store_true", help="print JSON instead of text")
    e = evals.add_parser(
        "conflicts", help="score conflict detection on labelled sentence pairs, or on planted conflicts"
    )
    e.add_argument("file", metavar="FILE.jsonl", nargs="?", default=None,
                   help="labelled pairs (default: evaluate/labels/conflict_pairs.jsonl)")  # fmt: skip
    e.add_argument("--data", default="../shared/data", help="folder of the data sets the labels point into")
    e.add_argument("--planted", action="store_true",
                   help="count planted numbers and negations found in copies of real reports")  # fmt: skip
    e.add_argument("--json", action="store_true", help="print JSON instead of text")
    e = evals.add_parser(
        "summarize", help="summarise clusters of a JSONL file; ROUGE beside LexRank and the lead baseline"
    )
    e.add_argument(
        "file", metavar="FILE.jsonl", help='one cluster a line: {"id", "articles": [...], "reference"}'
    )
    e.add_argument("--dump", metavar="OUT.jsonl", help='write {"id", "summary"} per cluster, cut to --words')
    e.add_argument("--words", type=int, default=75, help="word budget of every summary (default 75)")
    e.add_argument("--json", action="store_true", help="print JSON instead of text")
    e = evals.add_parser(
        "convert", help="write a labelled data set as JSONL for `newsfuse eval cluster` or `eval summarize`"
    )
    e.add_argument("format", choices=["giveme5w1h", "neus", "neus-mds"], help="the set's layout")
    e.add_argument("source", metavar="SOURCE",
                   help="giveme5w1h: the folder of .json files; neus: val.source; "
                   "neus-mds: the folder holding val.source and val.target")  # fmt: skip
    e.add_argument("out", metavar="OUT.jsonl", help="the JSONL file to write")
    return parser


# Warnings beyond this many are counted, not printed: a large batch of records with one bad field
# would otherwise bury the summary. Every warning stays with its article in the store and articles.json.
_WARNINGS_SHOWN = 10


def _report_rejected(rejected: Sequence[Rejected]) -> None:
    for r in rejected:
        print(f"newsfuse: skipped {r.message}", file=sys.stderr)


def _report_rejected_messages(messages: Sequence[str]) -> None:
    for message in messages:
        print(f"newsfuse: skipped {message}", file=sys.stderr)


def _report_warnings(articles: Sequence[Article]) -> None:
    found = [(a.provenance.source, w) for a in articles for w in a.warnings]
    for source, warning in found[:_WARNINGS_SHOWN]:
        print(f"newsfuse: warning: {source}: {warning}", file=sys.stderr)
    if len(found) > _WARNINGS_SHOWN:
        print(
            f"newsfuse: {len(found) - _WARNINGS_SHOWN} more warnings, kept with their articles "
            "(`warnings` in articles.json)",
            file=sys.stderr,
        )


def _existing_db(db: str) -> str:
    if not Path(db).exists():
        raise NewsfuseError(f"no database at {db}; run `newsfuse run INPUT...` first or pass --db")
    return db


def _evaluate(args: argparse.Namespace) -> int:
    from newsfuse.evaluate.cluster_data import convert
    from newsfuse.evaluate.clustering import evaluate_cluster_file, format_scores

    if args.eval_command == "timex":
        from newsfuse.evaluate import timex

        result = timex.evaluate(args.directory, args.part)
        print(json.dumps(result, indent=2) if args.json else timex.format_scores(result))
        return 0
    if args.eval_command == "attribution":
        from newsfuse.evaluate.attribution import main as attribution_main

        return attribution_main([args.dir] + (["--json"] if args.json else []))
    if args.eval_command == "conflicts":
        from newsfuse.evaluate import conflicts

        data = Path(args.data)
        if not data.is_dir():
            raise NewsfuseError(f"no data folder at {data}; pass --data")
        if args.planted:
            planted = conflicts.evaluate_planted(data)
            print(json.dumps(planted, indent=2) if args.json else conflicts.format_planted(planted))
            return 0
        labels = Path(args.file) if args.file else conflicts.LABELS
        if not labels.is_file():
            raise NewsfuseError(f"no labelled pairs at {labels}")
        try:
            result = conflicts.evaluate_pairs(labels, data)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise NewsfuseError(f"{labels}: {exc}") from None
        print(json.dumps(result, indent=2) if args.json else conflicts.format_pairs(result))
        return 0
    if args.eval_command == "summarize":
        from newsfuse.evaluate import summary

        if args.words < 1:
            raise NewsfuseError(f"--words must be a positive number of words, not {args.words}")
        result = summary.evaluate_file(args.file, args.words, args.dump)
        _report_rejected_messages(result["rejected"])
        print(json.dumps(result, indent=2) if args.json else summary.format_scores(result))
        return 0
    if args.eval_command == "convert" and args.format == "neus-mds":
        from newsfuse.evaluate.summary_data import convert_neus_mds

        count = convert_neus_mds(args.source, args.out)
        print(f"{count} clusters written to {args.out}")
        return 0
    if args.eval_command == "convert":
        count = convert(args.format, args.source, args.out)
        print(f"{count} records written to {args.out}")
        return 0
    scores = evaluate_cluster_file(args.file, load_settings(args.config))
    print(json.dumps(scores, indent=2) if args.json else format_scores(scores))
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "eval":
        return _evaluate(args)

    from newsfuse import pipeline
    from newsfuse.report import plural, render_markdown, story_file_stem
    from newsfuse.report.write import check_output_folder
    from newsfuse.serialize import story_to_dict
    from newsfuse.store import Store

    settings = load_settings(
        args.config,
        db=args.db,
        out=getattr(args, "out", None),
        engine=getattr(args, "engine", None),
        ray_address=getattr(args, "address", None),
        nlp_processes=getattr(args, "workers", None),
    )

    if args.command == "run":
        out = Path(settings.out)
        check_output_folder(out)  # before any work, not after it
        if args.parquet:
            from newsfuse.store.parquet import check_export_folder

            check_export_folder(Path(args.parquet))
        result = pipeline.run(args.inputs, db=settings.db, out=settings.out, settings=settings)
        _report_rejected(result.rejected)
        _report_warnings(result.articles)
        for note in result.notes:
            print(f"newsfuse: note: {note}", file=sys.stderr)
        if not result.articles:
            raise NewsfuseError(
                "no article could be read from the inputs given; the output folder is unchanged"
            )
        exported = _export(settings.db, args.parquet, settings.store_wait_seconds) if args.parquet else None
        if args.json:
            print(json.dumps([story_to_dict(s) for s in result.stories], indent=2, ensure_ascii=False))
        else:
            print(
                f"{plural(len(result.articles), 'article')} read, {len(result.rejected)} skipped, "
                f"{plural(len(result.stories), 'story', 'stories')}; database {settings.db}"
            )
            out = Path(settings.out)
            for story in result.stories:
                print(f"  {story.id}  {len(story.articles):3d} articles  {story.title}")
                print(f"      {out / 'stories' / (story_file_stem(story.id) + '.html')}")
            print(
                f"report of all stored stories: {out / 'stories.json'}, {out / 'articles.json'} and a page "
                f"per story in {out / 'stories'}"
            )
            if exported:
                print(exported)
        return 0

    if args.command == "serve":
        from newsfuse.serve import serve

        if args.max_body < 1 or args.max_batch < 1:
            raise NewsfuseError("--max-body and --max-batch must be at least 1")
        token = args.token or settings.serve_token or None
        serve(settings.db, settings, args.host, args.port, token, args.max_body, args.max_batch)
        return 0

    if args.command in ("run", "ingest"):
        _refuse_if_served(settings.db)

    if args.command == "ingest":
        with Store.open(settings.db, wait=settings.store_wait_seconds) as store:
            read, new_ids = pipeline.ingest(args.inputs, store)
        _report_rejected(read.rejected)
        _report_warnings(read.articles)
        if not read.articles:
            raise NewsfuseError("no article could be read from the inputs given")
        if args.json:
            print(json.dumps({"read": len(read.articles), "new": new_ids, "skipped": len(read.rejected)}))
        else:
            read_count = plural(len(read.articles), "article")
            print(f"{read_count} read ({len(new_ids)} new), {len(read.rejected)} skipped")
        return 0

    if args.command == "export":
        print(_export(_existing_db(settings.db), args.parquet, settings.store_wait_seconds))
        return 0

    parquet = _parquet_source(args, settings.db)
    server = None if parquet else _server_of(settings.db)
    if server is not None:
        return _read_through_server(args, server)
    opened = (
        _open_parquet(parquet)
        if parquet
        else _open_for_reading(_existing_db(settings.db), settings.store_wait_seconds)
    )
    with opened as store:
        reads = store.queries()
        if args.command == "rejected":
            _print_rejected([r for page in _pages(reads.rejected) for r in page], args.json)
            return 0
        if args.command == "stories":
            listed = _pages(lambda offset, limit: reads.stories(StoryFilter(), "newest", offset, limit))
            _print_stories(
                [(s.id, s.title, s.articles, list(s.outlets)) for page in listed for s in page], args.json
            )
            return 0
        story = reads.story(args.story_id)
        if args.json:
            print(json.dumps(story_to_dict(story), indent=2, ensure_ascii=False))
        else:
            articles = {a.id: a for a in reads.articles([ref.id for ref in story.articles])}
            print(render_markdown(story, articles))
        return 0


def _export(db: str, folder: str, wait: float) -> str:
    """Export the store at `db` to `folder` as Parquet; out: the line that says what was written."""
    from newsfuse.report import plural
    from newsfuse.store import Store
    from newsfuse.store.parquet import export_parquet

    with Store.open(db, read_only=True, wait=wait) as store:
        done = export_parquet(store, folder)
    return (
        f"Parquet export in {done.folder}: {plural(done.rows['articles'], 'article')}, "
        f"{plural(done.rows['stories'], 'story', 'stories')}, {plural(done.days, 'day')} of partitions"
    )


def _parquet_source(args: argparse.Namespace, db: str) -> str | None:
    """The Parquet export a read command reads: `--parquet DIR`, or `--db` naming an export's folder."""
    from newsfuse.store.parquet import is_export

    if getattr(args, "parquet", None):
        return str(args.parquet)
    return db if Path(db).is_dir() and is_export(db) else None


@contextmanager
def _open_parquet(folder: str) -> Iterator[ParquetResult]:
    from newsfuse.store.parquet import ParquetResult

    with ParquetResult.open(folder) as result:
        yield result


def _pages(read: Callable[[int, int], Page[Any]]) -> Iterator[tuple[Any, ...]]:
    """Every page of a paged read, in order."""
    offset = 0
    while True:
        page = read(offset, MAX_PAGE)
        if page.items:
            yield page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def _print_rejected(rejections: Sequence[Rejected], as_json: bool) -> None:
    if as_json:
        listed = [
            {"source": r.source, "code": str(r.code), "reason": r.reason, "advice": r.code.advice}
            for r in rejections
        ]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
    else:
        for r in rejections:
            print(r.message)


def _print_stories(rows: Sequence[tuple[str, str, int, list[str]]], as_json: bool) -> None:
    if as_json:
        listed = [
            {"id": sid, "title": title, "articles": count, "outlets": sorted(outlets)}
            for sid, title, count, outlets in rows
        ]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
    else:
        for sid, title, count, _ in rows:
            print(f"{sid}  {count:3d} articles  {title}")


def _server_of(db: str) -> ServerAddress | None:
    from newsfuse.serve.address import running_server

    return running_server(db)


def _refuse_if_served(db: str) -> None:
    server = _server_of(db)
    if server is not None:
        raise StoreBusyError(
            f"{db} is held by the newsfuse server at {server.url} (pid {server.pid}); send articles to it "
            f"(POST {server.url}/api/articles), or stop it and run this again"
        )


@contextmanager
def _open_for_reading(db: str, wait: float) -> Iterator[Store]:
    """A store no one holds, opened read-only (waiting up to `wait` seconds while a run holds it); one
    of an older schema is opened once to upgrade it."""
    from newsfuse.store import Store

    try:
        store = Store.open(db, read_only=True, wait=wait)
    except StoreOutdatedError:
        Store.open(db, wait=wait).close()  # migrates
        store = Store.open(db, read_only=True, wait=wait)
    with store:
        yield store


def _read_through_server(args: argparse.Namespace, server: ServerAddress) -> int:
    """`stories`, `show` and `rejected` on a store a server holds: the same output, read over its API."""
    from newsfuse.report import render_markdown
    from newsfuse.serialize import article_from_dict, story_from_dict
    from newsfuse.serve.client import get_json, paged

    if args.command == "rejected":
        found = [
            Rejected(r["source"], r["reason"], RejectCode(r["code"])) for r in paged(server, "/api/rejected")
        ]
        _print_rejected(found, args.json)
        return 0
    if args.command == "stories":
        rows = [(s["id"], s["title"], s["articles"], s["outlets"]) for s in paged(server, "/api/stories")]
        _print_stories(rows, args.json)
        return 0
    quoted = urllib.parse.quote(args.story_id, safe="")
    data = get_json(server, f"/api/stories/{quoted}")
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    story = story_from_dict(data)
    articles = {}
    for ref in story.articles:
        found = get_json(server, f"/api/articles/{urllib.parse.quote(ref.id, safe='')}")
        articles[ref.id] = article_from_dict(found["article"])
    print(render_markdown(story, articles))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with terminate_as_interrupt():
            code = _dispatch(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The reader went away (`newsfuse stories | head -3`): not an error. Point stdout at devnull so
        # that Python's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except NewsfuseError as exc:
        print(f"newsfuse: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print("newsfuse: interrupted; what was stored is kept", file=sys.stderr)
        return 128 + getattr(exc, "signum", signal.SIGINT)  # 130 for Ctrl-C, 143 for SIGTERM, as shells say


if __name__ == "__main__":
    sys.exit(main())
