"""The command line. Thin: each command parses its arguments and calls one library function.

A user's mistake (missing file, bad option, unknown story) is one line on stderr and exit code 2, never a
traceback. An unreadable input among several is reported and skipped; the others are processed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from newsfuse import __version__
from newsfuse.config import load_settings
from newsfuse.errors import NewsfuseError
from newsfuse.types import Article, Rejected

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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsfuse", description="One sourced account per news story, from many outlets.")
    parser.add_argument("--version", action="version", version=f"newsfuse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("run", help="read, understand, group and fuse articles; write the reports")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .html, .json or .jsonl files or folders")
    p.add_argument("--out", help="folder for stories.json, articles.json and the reports")
    _add_common(p)

    p = sub.add_parser("ingest", help="read, clean and store articles without grouping them")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    _add_common(p)

    p = sub.add_parser("stories", help="list the stored stories")
    _add_common(p)

    p = sub.add_parser("rejected", help="list the inputs that could not be read, with the reason and a code")
    _add_common(p)

    p = sub.add_parser("show", help="print one story's account")
    p.add_argument("story_id", metavar="STORY_ID")
    _add_common(p)

    p = sub.add_parser(
        "eval", help="score grouping, attribution or time expressions on a labelled set; convert sets"
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

    settings = load_settings(args.config, db=args.db, out=getattr(args, "out", None))

    if args.command == "run":
        out = Path(settings.out)
        check_output_folder(out)  # before any work, not after it
        result = pipeline.run(args.inputs, db=settings.db, out=settings.out, settings=settings)
        _report_rejected(result.rejected)
        _report_warnings(result.articles)
        for note in result.notes:
            print(f"newsfuse: note: {note}", file=sys.stderr)
        if not result.articles:
            raise NewsfuseError(
                "no article could be read from the inputs given; the output folder is unchanged"
            )
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
        return 0

    if args.command == "ingest":
        with Store.open(settings.db) as store:
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

    with Store.open(_existing_db(settings.db)) as store:
        if args.command == "rejected":
            rejections = store.rejections()
            if args.json:
                listed = [
                    {"source": r.source, "code": str(r.code), "reason": r.reason, "advice": r.code.advice}
                    for r in rejections
                ]
                print(json.dumps(listed, indent=2, ensure_ascii=False))
            else:
                for r in rejections:
                    print(r.message)
            return 0
        if args.command == "stories":
            stories = store.stories()
            if args.json:
                rows = [
                    {
                        "id": s.id,
                        "title": s.title,
                        "articles": len(s.articles),
                        "outlets": sorted({a.outlet for a in s.articles if a.outlet}),
                    }
                    for s in stories
                ]
                print(json.dumps(rows, indent=2, ensure_ascii=False))
            else:
                for s in stories:
                    print(f"{s.id}  {len(s.articles):3d} articles  {s.title}")
            return 0
        story = store.get_story(args.story_id)
        if args.json:
            print(json.dumps(story_to_dict(story), indent=2, ensure_ascii=False))
        else:
            articles = {a.id: a for a in store.articles([ref.id for ref in story.articles])}
            print(render_markdown(story, articles))
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
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
    except KeyboardInterrupt:
        print("newsfuse: interrupted; what was stored is kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
