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

import numpy as np
from tqdm import tqdm

from newsfuse.analysis import ANALYSIS_VERSION, Analyser
from newsfuse.clean import clean_article
from newsfuse.clean.language import is_english
from newsfuse.cluster import (
    ArticleFeatures,
    StoryGrouper,
    StoryStream,
    StreamParams,
    final_story_ids,
    merge_redirects,
    publication_order,
)
from newsfuse.cluster.features import features_of
from newsfuse.config import Settings, load_settings
from newsfuse.errors import StoreError
from newsfuse.execute import Executor, executor_for
from newsfuse.fuse import StoryFuser
from newsfuse.fuse.origins import CopyIndex
from newsfuse.ingest import read_inputs
from newsfuse.nlp.fingerprint import fingerprint
from newsfuse.nlp.pipeline import Annotator
from newsfuse.report import write_outputs_atomically
from newsfuse.store import Store
from newsfuse.types import Analysed, Annotated, Article, Fingerprint, Rejected, RunResult, Story

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

    annotator: Annotator  # the annotation part of the analysis, in this process (evaluation)
    analyser: Analyser  # the whole per-article analysis, in this process
    executor: Executor  # where `run` analyses the articles: the analyser on local processes or on Ray
    grouper: StoryGrouper  # a fresh stream over one batch (evaluation); `run` keeps its stream in the store
    fuser: StoryFuser

    @classmethod
    def from_settings(cls, s: Settings) -> Stages:
        annotator = Annotator(s.spacy_model, s.nlp_batch_size, s.nlp_sentences, s.attribution)
        analyser = Analyser(annotator)
        return cls(
            annotator,
            analyser,
            executor_for(s.engine, analyser, s.nlp_processes, s.ray_address or None),
            StoryGrouper(StreamParams.from_settings(s)),
            StoryFuser(
                s.align_threshold,
                s.summary_sentences,
                s.summary_redundancy,
                s.align_lexical_weight,
                corroboration_threshold=s.corroboration_threshold,
            ),
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


def analyse_missing(store: Store, executor: Executor, progress: bool | None = None) -> int:
    """Analyse every stored article that has no analysis of ANALYSIS_VERSION yet (newsfuse/analysis.py)
    on the executor, and store the analyses. Returns how many were analysed.

    Analyses stored by another version are done again (one line on stderr says how many), never mixed
    with this version's. An article detected as not English gets an empty annotation (no sentences,
    entities or quotes) but its terms and embedding: it is stored, grouped, and says so (`notes`).
    """
    missing = store.unanalysed_ids(ANALYSIS_VERSION)
    outdated = store.outdated_analyses(ANALYSIS_VERSION)
    if outdated:
        versions = ", ".join(str(v) for v in sorted(outdated))
        print(
            f"newsfuse: re-analysing {sum(outdated.values())} articles analysed by an older version of "
            f"the analysis ({versions}; now {ANALYSIS_VERSION})",
            file=sys.stderr,
        )
    todo = store.articles(missing) if missing else []
    chunk: list[Analysed] = []
    for item in _progress(executor.analyse(todo), len(todo), "analysing", progress):
        chunk.append(item)
        if len(chunk) == ANNOTATION_CHUNK:
            _put_analyses(store, chunk)
            chunk = []
    if chunk:
        _put_analyses(store, chunk)
    return len(todo)


def _put_analyses(store: Store, chunk: Sequence[Analysed]) -> None:
    """Store the analyses, then their near-copy fingerprints (one that is missing, as after a crash
    between the two, is computed again when its story is fused)."""
    store.put_annotations(chunk)
    _put_fingerprints(store, {x.article.id: x.fingerprint for x in chunk if x.fingerprint is not None})


def _put_fingerprints(store: Store, prints: dict[str, Fingerprint]) -> None:
    store.put_fingerprints({aid: (fp.shingles, fp.signature.tolist()) for aid, fp in prints.items()})


def not_analysed(articles: Iterable[Article]) -> list[str]:
    """A note for each article left out of the English analysis because of its language."""
    return [
        f"{_label(a)}: the text is in '{a.language}', not English; stored and listed in its story, "
        "without sentences, entities or quotes"
        for a in articles
        if not is_english(a.language)
    ]


def _label(article: Article) -> str:
    p = article.provenance
    return p.source if p.record is None else f"{p.source}#{p.record}"


@dataclass(frozen=True, slots=True)
class Grouping:
    """What grouping did: the full membership, and which stories changed how."""

    members: dict[str, list[str]]  # story id -> article ids, for every story with a stored member
    placed: dict[str, str]  # article id -> story id, for the articles placed now
    merges: dict[str, str]  # story id merged away -> the story it went into
    stream: StoryStream  # to be saved once the stories are stored


def group_new(store: Store, params: StreamParams, progress: bool | None = None) -> Grouping:
    """Place every stored article that has no story yet, continuing the stream saved in the store.

    The articles go in publication order; nothing placed before is recomputed.
    """
    state = store.stream_state()
    previous = store.story_ids_by_article()
    superseded = store.superseded()
    stream = StoryStream(params, state)
    if state is None and previous:
        _carry_over(stream, store, {a: s for a, s in previous.items() if a not in superseded})
    pending = publication_order(store.articles(store.ungrouped_ids()))
    # A new version of a grouped article takes its place in that story; only new articles are placed.
    earlier = {new: old for old, new in superseded.items()}
    versions = {a.id: story for a in pending if (story := _story_of_earlier_version(a.id, earlier, previous))}
    features = _stored_features(store, [a.id for a in pending if a.id not in versions])
    placements = list(_progress(stream.place_all(features), len(features), "grouping", progress))
    placed = {**final_story_ids(placements), **versions}
    merges = merge_redirects(placements)
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, story_id in [*previous.items(), *placed.items()]:
        if article_id not in superseded:  # earlier versions stay stored, in no story
            members[merges.get(story_id, story_id)].append(article_id)
    return Grouping(dict(members), placed, merges, stream)


def _story_of_earlier_version(
    article_id: str, earlier: dict[str, str], previous: dict[str, str]
) -> str | None:
    """The story of the nearest earlier version of this article that has one, if any.

    `earlier` maps each version to the one it replaced; `previous` maps grouped articles to stories.
    """
    seen = {article_id}
    current = earlier.get(article_id)
    while current is not None and current not in seen:
        if current in previous:
            return previous[current]
        seen.add(current)
        current = earlier.get(current)
    return None


def _stored_features(store: Store, ids: Sequence[str]) -> list[ArticleFeatures]:
    """Grouping's features of these articles, in the order given, read from their stored analyses."""
    stored = {a.article.id: a for a in store.analyses(ids, ANALYSIS_VERSION)}
    missing = [i for i in ids if i not in stored]
    if missing:
        raise StoreError(
            f"{len(missing)} articles to group have no analysis of version {ANALYSIS_VERSION} "
            f"(e.g. {missing[0]}); analyse them first (`analyse_missing`)"
        )
    return [features_of(stored[i]) for i in ids]


def _carry_over(stream: StoryStream, store: Store, previous: dict[str, str]) -> None:
    """Give a new stream the stories of a store grouped before streams existed, under their ids."""
    articles = publication_order(store.articles(list(previous)))
    for article, features in zip(articles, _stored_features(store, [a.id for a in articles]), strict=True):
        stream.adopt(previous[article.id], features)


def fuse_stories(
    members: dict[str, list[str]],
    story_ids: Iterable[str],
    store: Store,
    fuser: StoryFuser,
    progress: bool | None = None,
) -> list[Story]:
    """Fuse the given stories from their stored annotations.

    Each fused article's near-copy fingerprint is kept in the store, so that an article copying one of
    another story (a wire story filed twice) carries that earlier article's origin.
    """
    wanted = sorted(set(story_ids))
    stored = {
        aid: Fingerprint(np.asarray(sig, dtype=np.uint64), n)
        for aid, (n, sig) in store.fingerprints().items()
    }
    # One query for every story's analyses: a query per story scanned the analyses once per story.
    loaded = {item.article.id: item for item in store.annotations(aid for s in wanted for aid in members[s])}
    fresh: dict[str, Fingerprint] = {}
    stories = []
    for story_id in wanted:
        annotated = [loaded[aid] for aid in dict.fromkeys(members[story_id]) if aid in loaded]
        for item in annotated:
            if item.article.id not in stored:
                fresh[item.article.id] = stored[item.article.id] = fingerprint(item.article.text)
        stories.append((story_id, annotated))
    if fresh:
        _put_fingerprints(store, fresh)
    index = CopyIndex(stored)
    out = []
    for story_id, annotated in _progress(stories, len(stories), "fusing", progress, unit="story"):
        out.append(fuser.fuse(story_id, annotated, _copied_from(annotated, index, stored, store), stored))
    return out


def _copied_from(
    annotated: Sequence[Annotated], index: CopyIndex, prints: dict[str, Fingerprint], store: Store
) -> dict[str, Article]:
    """For each article of a story that copies an earlier article of another story, that article."""
    inside = {item.article.id for item in annotated}
    candidates = {
        item.article.id: [
            aid for aid in index.copies_of(item.article.id, prints[item.article.id]) if aid not in inside
        ]
        for item in annotated
    }
    wanted = sorted({aid for ids in candidates.values() for aid in ids})
    if not wanted:
        return {}
    others = {a.id: a for a in store.articles(wanted)}
    out = {}
    for item in annotated:
        earlier = [
            others[aid]
            for aid in candidates[item.article.id]
            if aid in others and publication_order([others[aid], item.article])[0].id == aid
        ]
        if earlier:
            out[item.article.id] = publication_order(earlier)[0]
    return out


def run(
    paths: Sequence[str | Path],
    db: str | Path | None = None,
    out: str | Path | None = None,
    settings: Settings | None = None,
    progress: bool | None = None,
) -> RunResult:
    """Run the whole job on `paths` (files or folders) and return the stories they belong to.

    Articles are stored in the DuckDB file `db` (default from the settings); running the same input
    twice stores each article once and gives the same story ids. New articles join the story stream
    kept in the store, so earlier stories keep their ids and a merged story's id redirects. With `out`,
    writes stories.json, articles.json and a Markdown and HTML report per story there, for every story
    and article in the store, replacing the folder's contents at once; when no article could be read the
    folder is left as it was. A new version of a stored article (same canonical URL, changed text)
    replaces it in its story; the earlier version stays stored. Unreadable inputs
    are returned in `RunResult.rejected` (and stored), never raised; raises NewsfuseError for a store or
    settings problem.
    """
    settings = settings or load_settings()
    stages = Stages.from_settings(settings)
    with Store.open(str(db or settings.db), wait=settings.store_wait_seconds) as store:
        read = read_articles(paths, progress)
        result_stories = update_stories(store, read, stages, StreamParams.from_settings(settings), progress)
        # The folder describes the whole store, replaced at once; a run that read nothing leaves it alone.
        if out is not None and read.articles:
            write_store_outputs(store, Path(out))
    return RunResult(result_stories, read.articles, read.rejected, tuple(not_analysed(read.articles)))


def update_stories(
    store: Store, read: ReadResult, stages: Stages, params: StreamParams, progress: bool | None = None
) -> tuple[Story, ...]:
    """Store what was read, then annotate, group and fuse what is new, and store the stories.

    Out: the stories the read articles belong to now (what `run` and the server's ingest report).
    """
    store.add_articles(read.articles)
    store.add_rejections(list(read.rejected))
    analyse_missing(store, stages.executor, progress)
    grouping = group_new(store, params, progress)
    story_of = {a: s for s, articles in grouping.members.items() for a in articles}
    latest = _latest_versions(store.superseded())
    touched = {story_of[i] for a in read.articles if (i := latest.get(a.id, a.id)) in story_of}
    changed = set(grouping.placed.values()) | set(grouping.merges.values())
    stories = fuse_stories(grouping.members, touched | changed, store, stages.fuser, progress)
    # One transaction: a run stopped at any moment (even by SIGKILL) has stored the new stories, the
    # merges and the stream state that placed them all together or none of them, so the next run
    # places the same articles again into the same stories.
    with store.transaction("the run's stories and the story stream's state"):
        store.put_stories(stories)
        store.merge_stories(grouping.merges)
        store.save_stream_state(grouping.stream.state())
    return tuple(s for s in stories if s.id in touched)


def write_store_outputs(store: Store, out: Path) -> list[Path]:
    """Write every stored story and article to `out`, replacing what was there at once (see
    `report.write_outputs_atomically`)."""
    return write_outputs_atomically(out, store.stories(), store.articles())


def _latest_versions(superseded: dict[str, str]) -> dict[str, str]:
    """For each replaced article, the id of its latest version (following the chain of replacements)."""
    latest: dict[str, str] = {}
    for old in superseded:
        current, seen = old, {old}
        while current in superseded and superseded[current] not in seen:
            current = superseded[current]
            seen.add(current)
        latest[old] = current
    return latest
