"""The main job, stage by stage: read and clean -> store -> annotate -> group -> fuse -> store -> write.

Each stage is a function of its own so that the benchmark can time it and the CLI can run part of the
job. Only `run` strings them together.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from newsfuse.clean import clean_article
from newsfuse.cluster import StoryGrouper, keep_given_ids
from newsfuse.config import Settings, load_settings
from newsfuse.fuse import StoryFuser
from newsfuse.ingest import read_inputs
from newsfuse.nlp.pipeline import Annotator
from newsfuse.report import write_outputs
from newsfuse.store import Store
from newsfuse.types import Annotated, Article, Rejected, RunResult, Story

# How many annotated articles are written to the store at once: work done survives an interruption.
ANNOTATION_CHUNK = 64


def _progress(
    iterable: Iterable, total: int | None, desc: str, enabled: bool | None, unit: str = "article"
) -> Iterable:
    """A progress bar on a terminal, nothing otherwise (logs and pipes stay clean)."""
    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=not show, leave=False)


@dataclass(frozen=True, slots=True)
class Stages:
    """The corpus-level stage objects, built once from the settings."""

    annotator: Annotator
    grouper: StoryGrouper
    fuser: StoryFuser

    @classmethod
    def from_settings(cls, s: Settings) -> Stages:
        return cls(
            Annotator(s.spacy_model, s.nlp_processes, s.nlp_batch_size, s.nlp_sentences),
            StoryGrouper(s.cluster_threshold, s.cluster_window_days),
            StoryFuser(s.align_threshold, s.summary_sentences, s.summary_redundancy),
        )


@dataclass(frozen=True, slots=True)
class ReadResult:
    articles: tuple[Article, ...]  # unique by id, in input order
    rejected: tuple[Rejected, ...]


def read_articles(paths: Sequence[str | Path], progress: bool | None = None) -> ReadResult:
    """Read and clean every input. Bad inputs become Rejected records; the rest goes on."""
    articles: dict[str, Article] = {}
    rejected: list[Rejected] = []
    for raw in _progress(read_inputs(paths), None, "reading", progress):
        result = raw if isinstance(raw, Rejected) else clean_article(raw)
        if isinstance(result, Rejected):
            rejected.append(result)
        else:
            articles.setdefault(result.id, result)
    return ReadResult(tuple(articles.values()), tuple(rejected))


def ingest(
    paths: Sequence[str | Path], store: Store, progress: bool | None = None
) -> tuple[ReadResult, list[str]]:
    """Read, clean and store articles. Returns what was read and the ids that were new to the store."""
    read = read_articles(paths, progress)
    new_ids = store.add_articles(read.articles)
    store.add_rejections(list(read.rejected))
    return read, new_ids


def annotate_missing(store: Store, annotator: Annotator, progress: bool | None = None) -> int:
    """Annotate every stored article that has no annotation yet. Returns how many were annotated."""
    missing = store.unannotated_ids()
    todo = store.articles(missing) if missing else []
    chunk: list[Annotated] = []
    for item in _progress(annotator.annotate(todo), len(todo), "annotating", progress):
        chunk.append(item)
        if len(chunk) == ANNOTATION_CHUNK:
            store.put_annotations(chunk)
            chunk = []
    if chunk:
        store.put_annotations(chunk)
    return len(todo)


def fuse_stories(
    assignment: dict[str, str],
    story_ids: Iterable[str],
    store: Store,
    fuser: StoryFuser,
    progress: bool | None = None,
) -> list[Story]:
    """Fuse the given stories from their stored annotations."""
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, story_id in assignment.items():
        members[story_id].append(article_id)
    wanted = sorted(set(story_ids))
    return [
        fuser.fuse(story_id, store.annotations(members[story_id]))
        for story_id in _progress(wanted, len(wanted), "fusing", progress, unit="story")
    ]


def run(
    paths: Sequence[str | Path],
    db: str | Path | None = None,
    out: str | Path | None = None,
    settings: Settings | None = None,
    progress: bool | None = None,
) -> RunResult:
    """Run the whole job on `paths` (files or folders) and return the stories they belong to.

    Articles are stored in the DuckDB file `db` (default from the settings); running the same input
    twice stores each article once and gives the same story ids. With `out`, writes stories.json,
    articles.json and a Markdown and HTML report per story there. Unreadable inputs are returned in
    `RunResult.rejected` (and stored), never raised; raises NewsfuseError for a store or settings problem.
    """
    settings = settings or load_settings()
    stages = Stages.from_settings(settings)
    with Store.open(str(db or settings.db)) as store:
        read, _new = ingest(paths, store, progress)
        annotate_missing(store, stages.annotator, progress)
        all_articles = store.articles()
        previous = store.story_ids_by_article()
        assignment = keep_given_ids(stages.grouper.group(all_articles), previous)
        # Re-fuse the stories this input belongs to, and any that gained or lost an article.
        touched = {assignment[a.id] for a in read.articles}
        moved = [aid for aid, sid in assignment.items() if previous.get(aid) != sid]
        live = set(assignment.values())
        changed = {assignment[aid] for aid in moved} | {
            previous[aid] for aid in moved if previous.get(aid) in live
        }
        stories = fuse_stories(assignment, touched | changed, store, stages.fuser, progress)
        store.put_stories(stories)
        # A story whose articles now all belong to others is gone (its founder joined an earlier story).
        store.delete_stories(set(previous.values()) - set(assignment.values()))
        result_stories = tuple(s for s in stories if s.id in touched)
        if out is not None:
            by_id = {a.id: a for a in all_articles}
            needed = {ref.id for s in result_stories for ref in s.articles}
            write_outputs(Path(out), list(result_stories), {i: by_id[i] for i in sorted(needed)})
    return RunResult(result_stories, read.articles, read.rejected)
