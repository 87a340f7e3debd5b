"""Online story grouping: each arriving article joins the best matching open story or opens a new one.

How an article is scored against a story (weights in the settings, chosen on giveme5w1h_news_cluster):

    score = w_lex * lexical + w_head * headline + (1 - w_lex - w_head) * body
            - time_penalty * ln(1 + quiet_days / time_scale_days)

- lexical: cosine of the article's TF-IDF vector (content-word stems, headline twice; IDF from the
  articles seen so far, so the past is never recomputed) and the story's summed vector, of which only
  the `story_terms` heaviest terms are kept, so a story's memory is bounded;
- headline, body: cosines of the article's MiniLM embeddings of its headline and of its opening with
  the story's mean embeddings of the same;
- quiet_days: how far the article's time lies outside the span of the story's articles. Events age: a
  story quiet for weeks needs a closer match to take a new article than one that ran yesterday. When
  either side has no date, `undated_days` stands in: the stream cannot tell a follow-up from a new event
  with the same actors, so it asks for a closer match.

The article joins the best-scoring story when the score reaches `threshold`. Candidate stories come from
an HNSW index (usearch) over story embeddings, never from a scan of all stories; a story's indexed
vector is refreshed each time the story doubles in size, so index updates are rare. When a story grows
to match another story (`merge_threshold`), the later one is merged into the earlier and its id
redirects there. A story quiet for `retire_days` leaves the index and memory; it stays in the store.

Ids: a story's id derives from the article that opened it and never changes. The result depends only on
the order articles arrive in, not on how they are batched.
"""

from __future__ import annotations

import ctypes
import heapq
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from usearch.index import Index

from newsfuse.cluster.features import EMBEDDING_DIM, MODEL_DIM, ArticleFeatures
from newsfuse.cluster.order import story_id_for
from newsfuse.config import DEFAULTS, Settings

# How many nearby stories a grown story is compared with when looking for a merge.
_MERGE_CANDIDATES = 4
# Every this many articles, freed heap memory goes back to the system (see `_trim_heap`).
_TRIM_EVERY = 20_000


def _heap_trimmer() -> object:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; elsewhere there is none and nothing is done
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _heap_trimmer()


def _trim_heap() -> None:
    """Give the system back the heap memory the allocator keeps after frees.

    The per-article temporaries of term sums and scoring, freed between long-lived story arrays, left
    glibc's heap holding free blocks: at 300,000 adopted synthetic articles resident memory was 594 MiB
    over the start for 318 MiB of stream data, and `malloc_trim` gave back exactly the difference.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class StreamParams:
    threshold: float = DEFAULTS.cluster_threshold
    lexical_weight: float = DEFAULTS.cluster_lexical_weight
    headline_weight: float = DEFAULTS.cluster_headline_weight
    time_penalty: float = DEFAULTS.cluster_time_penalty
    time_scale_days: float = DEFAULTS.cluster_time_scale_days
    undated_days: float = DEFAULTS.cluster_undated_days
    merge_threshold: float = DEFAULTS.cluster_merge_threshold
    retire_days: float = DEFAULTS.cluster_retire_days
    candidates: int = DEFAULTS.cluster_candidates
    story_terms: int = DEFAULTS.cluster_story_terms

    @classmethod
    def from_settings(cls, s: Settings) -> StreamParams:
        return cls(
            s.cluster_threshold,
            s.cluster_lexical_weight,
            s.cluster_headline_weight,
            s.cluster_time_penalty,
            s.cluster_time_scale_days,
            s.cluster_undated_days,
            s.cluster_merge_threshold,
            s.cluster_retire_days,
            s.cluster_candidates,
            s.cluster_story_terms,
        )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article went. `merged`: stories that this article's arrival merged into `story_id`."""

    article_id: str
    story_id: str
    opened: bool
    merged: tuple[str, ...] = ()


@dataclass(slots=True)
class StoryRecord:
    """A story's grouping state, as stored between runs."""

    id: str
    opened: int  # arrival rank of the story: on a merge the earlier story survives
    size: int
    first_seen: datetime | None
    last_seen: datetime | None
    terms: dict[str, float]
    embedding_sum: np.ndarray
    indexed_vector: np.ndarray
    indexed_size: int


@dataclass(slots=True)
class StreamState:
    """Everything a stream needs to go on where it stopped."""

    articles_seen: int = 0
    clock: datetime | None = None
    stories_opened: int = 0
    document_frequency: dict[str, int] = field(default_factory=dict)
    stories: list[StoryRecord] = field(default_factory=list)


@dataclass(slots=True)
class _Story:
    """A story in memory, kept compact because a year at the shipped retirement keeps every story active:
    the embedding sum in half precision (the centroid is derived from it when the story is a candidate),
    terms as 32-bit ids and weights, and the indexed vector only inside the index."""

    id: str
    handle: int
    opened: int
    size: int
    first_seen: datetime | None
    last_seen: datetime | None
    term_ids: np.ndarray  # int32, sorted
    term_weights: np.ndarray  # float32, aligned with term_ids
    term_norm: float
    embedding_sum: np.ndarray  # float16, updated in place
    indexed_size: int


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _quiet_days(first: datetime | None, last: datetime | None, story: _Story, undated: float) -> float:
    """Days between the span [first, last] and the story's span (0 when they meet); `undated` if a side
    has no date."""
    if first is None or last is None or story.first_seen is None or story.last_seen is None:
        return undated
    if story.first_seen > last:
        return (story.first_seen - last).total_seconds() / 86400.0
    if first > story.last_seen:
        return (first - story.last_seen).total_seconds() / 86400.0
    return 0.0


def _norm(weights: np.ndarray) -> float:
    """Euclidean norm in float32.

    The weights stay float32: float16 weights, though half the bytes, grew resident memory by 7.2 KB a
    story against 4.4 (20,000 adopted synthetic articles), the allocator keeping freed blocks."""
    return float(np.linalg.norm(weights.astype(np.float32)))


def _halves(vector: np.ndarray) -> np.ndarray:
    """An embedding with each half (headline, body) at unit length."""
    vector = np.asarray(vector, dtype=np.float32)  # a float16 sum's squares would overflow in float16
    return np.concatenate([_unit(vector[:MODEL_DIM]), _unit(vector[MODEL_DIM:])])


def _centroids(sums: np.ndarray) -> np.ndarray:
    """`_halves` of each row of a matrix of embedding sums, in one pass."""
    rows = sums.astype(np.float32).reshape(len(sums), 2, MODEL_DIM)
    norms = np.linalg.norm(rows, axis=2, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1.0)).reshape(len(sums), EMBEDDING_DIM)


def _index_vector(vector: np.ndarray) -> np.ndarray:
    """What the index holds and is searched with: both halves at unit length, the whole at unit length."""
    return (_halves(vector) / np.sqrt(2.0)).astype(np.float32)


class StoryStream:
    """Assigns a stream of articles to stories, one at a time, in arrival order."""

    def __init__(self, params: StreamParams | None = None, state: StreamState | None = None) -> None:
        self.params = params or StreamParams()
        self._vocabulary: dict[str, int] = {}
        self._df = np.zeros(1024, dtype=np.int64)  # by term id; grows by doubling
        self._articles_seen = 0
        self._clock: datetime | None = None
        self._stories_opened = 0
        self._by_handle: dict[int, _Story] = {}
        self._by_id: dict[str, _Story] = {}
        self._next_handle = 0
        # HNSW with 16 links a node, over vectors quantised to 8 bits: the index only proposes candidates,
        # which are then scored exactly, and at 20,000 stories a search takes 0.17 ms this way against
        # 0.67 ms in 32-bit floats with a wider beam.
        self._index = Index(
            ndim=EMBEDDING_DIM,
            metric="cos",
            dtype="i8",
            connectivity=16,
            expansion_add=32,
            expansion_search=32,
        )
        # One entry a story, from when it first has a date; an entry found stale on its turn is pushed
        # again at the story's latest time (an entry a story per article kept a million tuples alive).
        self._retire_queue: list[tuple[datetime, int]] = []
        self._retired: list[str] = []
        if state is not None:
            self._restore(state)

    # ------------------------------------------------------------ public

    def place(self, article: ArticleFeatures) -> Placement:
        """Assign one article: to the best matching story, or to a new story it opens."""
        self._advance_clock(article.published)
        self._retire_quiet()
        ids, weights = self._tfidf(article.term_counts)
        when = article.published
        best = self._best_story(ids, weights, article.embedding, when)
        if best is None:
            story = self._open(story_id_for(article.id))
            self._absorb(story, ids, weights, article.embedding, when, 1)
            placement = Placement(article.id, story.id, opened=True)
        else:
            moved = self._absorb(best, ids, weights, article.embedding, when, 1)
            # A story's neighbours are looked at again when its indexed vector moves (each time it doubles):
            # a story's centroid changes little between, and a search per article would double the cost.
            story, merged = self._merge_neighbours(best) if moved else (best, ())
            placement = Placement(article.id, story.id, opened=False, merged=merged)
        return placement

    def place_all(self, articles: Iterable[ArticleFeatures]) -> Iterator[Placement]:
        for article in articles:
            yield self.place(article)

    def adopt(self, story_id: str, article: ArticleFeatures) -> None:
        """Add an article to the given story (opening it under that id if needed), with no scoring.

        For carrying over stories grouped before this stream existed.
        """
        self._advance_clock(article.published)
        ids, weights = self._tfidf(article.term_counts)
        story = self._by_id.get(story_id) or self._open(story_id)
        self._absorb(story, ids, weights, article.embedding, article.published, 1)

    def match_story(self, record: StoryRecord) -> str | None:
        """The open story that a whole story grouped by another stream would merge into, if any.

        For merging streams that grouped consecutive time windows apart (cluster/shards.py): the score
        is the one this stream's own merge uses, story against story, and the bar `merge_threshold`.
        Advances the clock to the story's start first, so stories quiet too long by then are retired.
        """
        self._advance_clock(record.first_seen)
        self._retire_quiet()
        ids, weights = self._record_terms(record)
        embedding = np.asarray(record.embedding_sum, dtype=np.float32)
        others = self._candidates(embedding, _MERGE_CANDIDATES)
        if not others:
            return None
        unit = weights / (float(np.linalg.norm(weights)) or 1.0)
        scores = self._scores(ids, unit, embedding, record.first_seen, record.last_seen, others)
        best = max(range(len(others)), key=lambda i: (scores[i], -others[i].opened))
        return others[best].id if scores[best] >= self.params.merge_threshold else None

    def add_story(self, record: StoryRecord, into: str | None = None) -> str:
        """Add a whole story grouped by another stream: into open story `into`, or as a story of its own.

        Out: the id of the story that holds it now.
        """
        ids, weights = self._record_terms(record)
        embedding = np.asarray(record.embedding_sum, dtype=np.float32)
        story = self._by_id[into] if into is not None else self._open(record.id)
        self._absorb(story, ids, weights, embedding, record.first_seen, record.size, until=record.last_seen)
        if into is not None:
            self._reindex(story)  # as after a merge in the stream
        return story.id

    def take_retired(self) -> list[str]:
        """Ids of the stories retired since the last call."""
        retired, self._retired = self._retired, []
        return retired

    def __contains__(self, story_id: str) -> bool:
        return story_id in self._by_id

    @property
    def active_stories(self) -> int:
        return len(self._by_id)

    def memory_usage(self) -> dict[str, int]:
        """Estimated bytes held by each of the stream's structures (Python objects by `sys.getsizeof`).

        A walk over every active story: for measuring (benchmarks/cluster_stream.py), not for a hot path.
        """
        stories = terms = embeddings = 0
        for s in self._by_id.values():
            stories += sys.getsizeof(s) + sys.getsizeof(s.id)
            stories += sum(
                sys.getsizeof(t)
                for t in {id(s.first_seen): s.first_seen, id(s.last_seen): s.last_seen}.values()
                if t is not None
            )
            for view in (s.term_ids, s.term_weights):  # a view of a reused buffer, or its own array
                terms += sys.getsizeof(view) + (0 if view.base is None else sys.getsizeof(view.base))
            embeddings += sys.getsizeof(s.embedding_sum)
        handles = sum(sys.getsizeof(h) for h in self._by_handle)
        queue = sys.getsizeof(self._retire_queue) + sum(
            sys.getsizeof(entry) + sys.getsizeof(entry[1]) for entry in self._retire_queue
        )
        vocabulary = sys.getsizeof(self._vocabulary) + sum(sys.getsizeof(t) for t in self._vocabulary)
        return {
            "story objects": stories,
            "story terms": terms,
            "story embeddings": embeddings,
            "story maps": sys.getsizeof(self._by_id) + sys.getsizeof(self._by_handle) + handles,
            "index": int(self._index.memory_usage),
            "retire queue": queue,
            "vocabulary": vocabulary + self._df.nbytes,
        }

    def state(self) -> StreamState:
        terms = list(self._vocabulary)
        return StreamState(
            articles_seen=self._articles_seen,
            clock=self._clock,
            stories_opened=self._stories_opened,
            document_frequency=dict(zip(terms, self._df[: len(terms)].tolist(), strict=True)),
            stories=[
                StoryRecord(
                    s.id,
                    s.opened,
                    s.size,
                    s.first_seen,
                    s.last_seen,
                    {
                        terms[i]: float(w)
                        for i, w in zip(s.term_ids.tolist(), s.term_weights.tolist(), strict=True)
                    },
                    s.embedding_sum.astype(np.float32),
                    self._indexed_vector(s),
                    s.indexed_size,
                )
                for s in sorted(self._by_id.values(), key=lambda s: s.opened)
            ],
        )

    def _indexed_vector(self, story: _Story) -> np.ndarray:
        """The vector the index holds for `story`, as the index gives it back (zeros if none)."""
        if not story.indexed_size:
            return np.zeros(EMBEDDING_DIM, dtype=np.float32)
        return np.asarray(self._index.get(story.handle, dtype="f32"), dtype=np.float32)

    # ------------------------------------------------------------ scoring

    def _tfidf(self, counts: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """The article's unit TF-IDF vector as sorted term ids and weights; counts it into the IDF first.

        Every article placed or adopted passes here once, so this is also where the heap is trimmed.
        """
        self._articles_seen += 1
        if self._articles_seen % _TRIM_EVERY == 0:
            _trim_heap()
        if not counts:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        known = list(map(self._vocabulary.get, counts))  # one C-level pass; new terms get ids after
        if None in known:
            known = [self._term_id(t) if i is None else i for t, i in zip(counts, known, strict=True)]
        ids = np.array(known, dtype=np.int32)
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        self._df[ids] += 1  # a term counts once an article: the ids are the keys of `counts`
        idf = np.log((self._articles_seen + 1) / (self._df[ids] + 1) + 1)
        order = np.argsort(ids)
        return ids[order], _unit(((1.0 + np.log(tf)) * idf)[order])

    def _record_terms(self, record: StoryRecord) -> tuple[np.ndarray, np.ndarray]:
        """A stored story's term vector as this stream's sorted term ids and weights."""
        pairs = sorted((self._term_id(t), w) for t, w in record.terms.items())
        return np.array([i for i, _ in pairs], dtype=np.int64), np.array([w for _, w in pairs])

    def _lexical(self, ids: np.ndarray, weights: np.ndarray, stories: list[_Story]) -> np.ndarray:
        """Cosine of one sparse vector with each story's term vector, in one vectorised pass."""
        if not len(ids) or not stories:
            return np.zeros(len(stories))
        story_ids = np.concatenate([s.term_ids for s in stories])
        story_weights = np.concatenate([s.term_weights for s in stories])
        owner = np.repeat(np.arange(len(stories)), [len(s.term_ids) for s in stories])
        at = np.minimum(np.searchsorted(ids, story_ids), len(ids) - 1)
        hit = ids[at] == story_ids
        dots = np.bincount(owner[hit], weights=story_weights[hit] * weights[at[hit]], minlength=len(stories))
        norms = np.array([s.term_norm or 1.0 for s in stories])
        return dots / norms

    def _scores(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        embedding: np.ndarray,
        first: datetime | None,
        last: datetime | None,
        stories: list[_Story],
    ) -> np.ndarray:
        p = self.params
        lexical = self._lexical(ids, weights, stories)
        article = _halves(embedding)
        centroids = _centroids(np.stack([s.embedding_sum for s in stories]))
        headline = centroids[:, :MODEL_DIM] @ article[:MODEL_DIM]
        opening = centroids[:, MODEL_DIM:] @ article[MODEL_DIM:]
        quiet = np.array([_quiet_days(first, last, s, p.undated_days) for s in stories])
        aging = p.time_penalty * np.log1p(quiet / p.time_scale_days)
        body_weight = 1.0 - p.lexical_weight - p.headline_weight
        return p.lexical_weight * lexical + p.headline_weight * headline + body_weight * opening - aging

    def _candidates(self, vector: np.ndarray, k: int) -> list[_Story]:
        if not len(self._index):
            return []
        matches = self._index.search(_index_vector(vector), k, threads=1)
        return [self._by_handle[int(key)] for key in matches.keys]

    def _best_story(
        self, ids: np.ndarray, weights: np.ndarray, embedding: np.ndarray, when: datetime | None
    ) -> _Story | None:
        stories = self._candidates(embedding, self.params.candidates)
        if not stories:
            return None
        scores = self._scores(ids, weights, embedding, when, when, stories)
        # Ties go to the earlier story, so that the result never depends on the index's order.
        best = max(range(len(stories)), key=lambda i: (scores[i], -stories[i].opened))
        return stories[best] if scores[best] >= self.params.threshold else None

    # ------------------------------------------------------------ stories

    def _open(self, story_id: str) -> _Story:
        story = _Story(
            id=story_id,
            handle=self._next_handle,
            opened=self._stories_opened,
            size=0,
            first_seen=None,
            last_seen=None,
            term_ids=np.zeros(0, dtype=np.int32),
            term_weights=np.zeros(0, dtype=np.float32),
            term_norm=0.0,
            embedding_sum=np.zeros(EMBEDDING_DIM, dtype=np.float16),
            indexed_size=0,
        )
        self._next_handle += 1
        self._stories_opened += 1
        self._by_handle[story.handle] = story
        self._by_id[story.id] = story
        return story

    def _absorb(
        self,
        story: _Story,
        ids: np.ndarray,
        weights: np.ndarray,
        embedding: np.ndarray,
        when: datetime | None,
        size: int,
        until: datetime | None = None,
    ) -> bool:
        """Add an article (or, on a merge, a whole story spanning `when`..`until`) to `story`.

        Out: whether the story's indexed vector was refreshed.
        """
        self._store_terms(story, *self._add_terms(story.term_ids, story.term_weights, ids, weights))
        story.term_norm = _norm(story.term_weights)
        # In place: a new array per article would churn the heap of a process that keeps them for a year.
        np.add(story.embedding_sum, embedding, out=story.embedding_sum, casting="unsafe")
        story.size += size
        last = until or when
        if when is not None and (story.first_seen is None or when < story.first_seen):
            story.first_seen = when
        if last is not None and (story.last_seen is None or last > story.last_seen):
            if story.last_seen is None:
                heapq.heappush(self._retire_queue, (last, story.handle))
            story.last_seen = last
        if story.size < 2 * story.indexed_size:
            return False
        self._reindex(story)
        return True

    def _store_terms(self, story: _Story, ids: np.ndarray, weights: np.ndarray) -> None:
        """Keep a story's terms in buffers it reuses, a view of their first `len(ids)` entries in its fields.

        A new pair of arrays for each article left the allocator holding freed blocks between the
        long-lived ones: resident memory grew to 10.9 KB a story at 300,000 adopted articles, of which the
        structures held 4.7. A buffer grows to twice its need (at most `story_terms`) when too small.
        """
        buffer_ids, buffer_weights = story.term_ids.base, story.term_weights.base
        if buffer_ids is None or buffer_weights is None or len(buffer_ids) < len(ids):
            capacity = len(ids) if story.term_ids.base is None and not len(story.term_ids) else 2 * len(ids)
            capacity = max(min(capacity, self.params.story_terms), len(ids))
            buffer_ids = np.empty(capacity, dtype=np.int32)
            buffer_weights = np.empty(capacity, dtype=np.float32)
        n = len(ids)
        buffer_ids[:n] = ids
        buffer_weights[:n] = weights
        story.term_ids, story.term_weights = buffer_ids[:n], buffer_weights[:n]

    def _add_terms(
        self, ids_a: np.ndarray, weights_a: np.ndarray, ids_b: np.ndarray, weights_b: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The sum of two sparse vectors, cut to the `story_terms` heaviest terms, ids sorted."""
        ids = np.concatenate([ids_a, ids_b])
        unique, inverse = np.unique(ids, return_inverse=True)
        summed = np.bincount(inverse, weights=np.concatenate([weights_a, weights_b])).astype(np.float32)
        if len(unique) > self.params.story_terms:
            # Heaviest terms kept; among equal weights the lower id, so the cut is deterministic.
            keep = np.lexsort((unique, -summed))[: self.params.story_terms]
            keep.sort()
            unique, summed = unique[keep], summed[keep]
        return unique, summed

    def _reindex(self, story: _Story) -> None:
        if story.indexed_size:
            self._index.remove(story.handle)
        story.indexed_size = story.size
        self._index.add(story.handle, _index_vector(story.embedding_sum), threads=1)

    def _merge_neighbours(self, story: _Story) -> tuple[_Story, tuple[str, ...]]:
        """Merge into one the stories that `story`, having grown, now matches.

        Out: the story they all became (the earliest opened) and the ids merged away.
        """
        merged: list[str] = []
        while True:
            centroid = story.embedding_sum.astype(np.float32)
            others = [s for s in self._candidates(centroid, _MERGE_CANDIDATES + 1) if s is not story]
            if not others:
                break
            weights = story.term_weights.astype(np.float32) / (story.term_norm or 1.0)
            scores = self._scores(
                story.term_ids, weights, centroid, story.first_seen, story.last_seen, others
            )
            best = int(np.argmax(scores))
            if scores[best] < self.params.merge_threshold:
                break
            survivor, absorbed = sorted((story, others[best]), key=lambda s: s.opened)
            self._drop(absorbed)
            self._absorb(
                survivor,
                absorbed.term_ids,
                absorbed.term_weights,
                absorbed.embedding_sum,
                absorbed.first_seen,
                absorbed.size,
                until=absorbed.last_seen,
            )
            self._reindex(survivor)
            merged.append(absorbed.id)
            story = survivor
        return story, tuple(merged)

    def _drop(self, story: _Story) -> None:
        if story.indexed_size:
            self._index.remove(story.handle)
        del self._by_handle[story.handle]
        del self._by_id[story.id]

    def _retire_quiet(self) -> None:
        if self._clock is None:
            return
        cutoff = self._clock - timedelta(days=self.params.retire_days)
        while self._retire_queue and self._retire_queue[0][0] < cutoff:
            _, handle = heapq.heappop(self._retire_queue)
            story = self._by_handle.get(handle)
            if story is None or story.last_seen is None:  # merged away since
                continue
            if story.last_seen < cutoff:
                self._drop(story)
                self._retired.append(story.id)
            else:  # it has moved on since this entry
                heapq.heappush(self._retire_queue, (story.last_seen, handle))

    def _restore(self, state: StreamState) -> None:
        self._articles_seen = state.articles_seen
        self._clock = state.clock
        for term, df in state.document_frequency.items():
            term_id = self._term_id(term)  # first: it may grow the array
            self._df[term_id] = df
        for record in sorted(state.stories, key=lambda r: r.opened):
            pairs = sorted((self._term_id(t), w) for t, w in record.terms.items())
            story = _Story(
                id=record.id,
                handle=self._next_handle,
                opened=record.opened,
                size=record.size,
                first_seen=record.first_seen,
                last_seen=record.last_seen,
                term_ids=np.array([i for i, _ in pairs], dtype=np.int32),
                term_weights=np.array([w for _, w in pairs], dtype=np.float32),
                term_norm=0.0,
                # Stores written before the compact state hold float32 sums: read in half precision too.
                embedding_sum=np.asarray(record.embedding_sum, dtype=np.float16),
                indexed_size=record.indexed_size,
            )
            story.term_norm = _norm(story.term_weights)
            self._next_handle += 1
            self._by_handle[story.handle] = story
            self._by_id[story.id] = story
            if story.indexed_size:
                vector = np.asarray(record.indexed_vector, dtype=np.float32)
                self._index.add(story.handle, vector, threads=1)
            if story.last_seen is not None:
                heapq.heappush(self._retire_queue, (story.last_seen, story.handle))
        self._stories_opened = max(state.stories_opened, self._stories_opened)

    def _advance_clock(self, published: datetime | None) -> None:
        """The stream's clock is the latest publication time seen; retirement counts from it."""
        if published is not None and (self._clock is None or published > self._clock):
            self._clock = published

    def _term_id(self, term: str) -> int:
        term_id = self._vocabulary.get(term)
        if term_id is None:
            term_id = self._vocabulary[term] = len(self._vocabulary)
            if term_id == len(self._df):
                self._df = np.concatenate([self._df, np.zeros_like(self._df)])
        return term_id
