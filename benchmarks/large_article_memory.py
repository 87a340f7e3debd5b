"""Peak memory and time of each stage on one very long article (issue 13: 990,000 characters took 3.1 GB).

    python benchmarks/large_article_memory.py [--chars N] [--processes N]

Builds one article of about N characters (default 990,000, just under the cap) from the paragraphs of the
seed articles in ../shared/seeds, each paragraph numbered so that no two are the same, and runs read +
clean + store, annotate, group and fuse on it, each stage in a fresh process over one store, so that each
stage's peak resident memory is its own. Prints one line per stage.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
STAGES = ("ingest", "annotate", "group", "fuse")


def build_article(chars: int) -> dict[str, str]:
    paragraphs: list[str] = []
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").splitlines()[1:]
        paragraphs += [line.strip() for line in lines if len(line.split()) >= 12]
    body: list[str] = []
    size, n = 0, 0
    while size < chars:
        paragraph = f"In update {n}, {paragraphs[n % len(paragraphs)]}"
        body.append(paragraph)
        size += len(paragraph) + 2
        n += 1
    text = "\n\n".join(body)[:chars]
    return {
        "id": "long-1",
        "title": "A very long article",
        "text": text,
        "outlet": "Bench",
        "published": "2017-03-01T09:00:00",
    }


def run_stage(stage: str, db: str, source: str, processes: int) -> None:
    from newsfuse.cluster import StreamParams
    from newsfuse.config import load_settings
    from newsfuse.pipeline import Stages, analyse_missing, fuse_stories, group_new, ingest
    from newsfuse.store import Store

    settings = load_settings(nlp_processes=processes)
    stages = Stages.from_settings(settings)
    with Store.open(db) as store:
        if stage == "ingest":
            read, _ = ingest([source], store, progress=False)
            print(
                f"{len(read.articles)} article of {sum(len(a.text) for a in read.articles):,} characters; "
                f"{len(read.rejected)} rejected",
                file=sys.stderr,
            )
        elif stage == "annotate":
            analyse_missing(store, stages.executor, progress=False)
        elif stage == "group":
            grouping = group_new(store, StreamParams.from_settings(settings), progress=False)
            store.put_stories(fuse_stories(grouping.members, [], store, stages.fuser, progress=False))
            (Path(db).with_suffix(".members.json")).write_text(json.dumps(grouping.members), encoding="utf-8")
        else:
            members = json.loads(Path(db).with_suffix(".members.json").read_text(encoding="utf-8"))
            stories = fuse_stories(members, list(members), store, stages.fuser, progress=False)
            print(f"{len(stories)} story, {sum(len(s.claims) for s in stories)} claims", file=sys.stderr)
    # This process's own peak (the NLP workers', when there are any, are counted apart).
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"peak_kib": max(self_peak, workers)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=990_000)
    parser.add_argument("--processes", type=int, default=1, help="NLP worker processes")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)  # one stage, in a child
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage(args.stage, args.db, args.source, args.processes)
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "long.jsonl"
        source.write_text(json.dumps(build_article(args.chars)) + "\n", encoding="utf-8")
        db = str(Path(tmp) / "bench.duckdb")
        for stage in STAGES:
            start = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--stage",
                    stage,
                    "--db",
                    db,
                    "--source",
                    str(source),
                    "--processes",
                    str(args.processes),
                ],
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            peak = json.loads(done.stdout.strip().splitlines()[-1])["peak_kib"] / 1024
            print(f"{stage:9s} {time.perf_counter() - start:7.1f} s   peak RSS {peak:,.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
