"""What the server holds: the store (one writer), a read cursor per thread, and the ingest of uploads.

DuckDB lets one process write a file or several read it, not both, so the server is the one process that
holds the store. Inside it, writes (ingest) take turns under one lock on the Store's own connection, and
every reading thread has its own cursor, which reads the last committed state and never waits for a write.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from newsfuse.clean import clean_article
from newsfuse.cluster import StreamParams
from newsfuse.config import Settings
from newsfuse.ingest import read_bytes
from newsfuse.pipeline import ReadResult, Stages, update_stories
from newsfuse.store import Store
from newsfuse.store.queries import StoreQueries
from newsfuse.types import Article, Facet, Rejected, Story

PAGE_CACHE = 256  # pages kept rendered (story pages not stored with their story, lists, searches)
# The stored story pages (gzip) kept in memory, newest stories first: 10,000 stories take about 100 MiB.
# A page read from memory costs the server a dictionary look-up instead of a DuckDB query (3 ms of CPU).
STORED_PAGE_BYTES = 256 << 20

# Upload formats by media type (the part before any ";charset=").
MEDIA_FORMATS = {
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "text/html": "html",
    "text/plain": "txt",
}


@dataclass(frozen=True, slots=True)
class IngestResult:
    articles: tuple[Article, ...]  # read and cleaned, in input order
    new: tuple[str, ...]  # ids not stored before
    rejected: tuple[Rejected, ...]
    stories: tuple[Story, ...]  # the stories the articles belong to now


class TooManyArticles(Exception):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"the request holds {count} articles; at most {limit} are taken at once")
        self.count = count
        self.limit = limit


class Newsroom:
    """The server's hold on one store. Built by `open`; `close` when the server stops."""

    def __init__(self, store: Store, settings: Settings, max_articles: int) -> None:
        self.store = store
        self.settings = settings
        self.max_articles = max_articles
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[StoreQueries] = []
        self._readers_lock = threading.Lock()
        self._stages: Stages | None = None
        # The list page's filters (outlets, entities), counted over every story: they change only when
        # this process writes, so they are counted once per write rather than per page.
        self._facets: tuple[list[Facet], list[Facet]] | None = None
        # Pages as rendered, by path and query, most recently asked for last; emptied by every write, so a
        # page never outlives what it shows. Bounded: PAGE_CACHE pages of at most some 100 KB.
        self._pages: OrderedDict[str, str] = OrderedDict()
        self._pages_lock = threading.Lock()
        self._writes = 0  # how many writes ended: a page rendered across one is not kept
        # The stored pages in memory (see STORED_PAGE_BYTES), loaded by `warm` and after every write.
        self._stored: dict[str, bytes] = {}

    @classmethod
    def open(cls, db: str, settings: Settings, max_articles: int) -> Newsroom:
        return cls(Store.open(db), settings, max_articles)

    def close(self) -> None:
        with self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
        self.store.close()

    @property
    def reads(self) -> StoreQueries:
        """This thread's read cursor (made on first use)."""
        reader: StoreQueries | None = getattr(self._local, "reader", None)
        if reader is None:
            with self._readers_lock:
                reader = self.store.queries()
                self._readers.append(reader)
            self._local.reader = reader
        return reader

    def facets(self) -> tuple[list[Facet], list[Facet]]:
        """The 100 outlets and 40 entities with the most stories, for the list page's filters."""
        found = self._facets
        if found is None:
            found = self._facets = (self.reads.outlets(100), self.reads.entities(40))
        return found

    def page(self, key: str, render: Callable[[], str]) -> str:
        """The page named `key` (its path and query), rendered by `render()` unless a page rendered since
        the last write is kept: story pages not stored with their story, the list and searches."""
        with self._pages_lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                return page
            writes = self._writes
        page = render()
        with self._pages_lock:
            if writes == self._writes:
                self._pages[key] = page
                while len(self._pages) > PAGE_CACHE:
                    self._pages.popitem(last=False)
        return page

    def warm(self) -> None:
        """Load the newest stories' stored pages into memory, unless a write ends meanwhile (then the
        load that follows it wins)."""
        writes = self._writes
        pages = self.reads.newest_pages(STORED_PAGE_BYTES)
        with self._pages_lock:
            if writes == self._writes:
                self._stored = pages

    def stored_page(self, story_id: str) -> tuple[str, bytes | None]:
        """As `StoreQueries.story_page`: the id the story goes by now and its stored page (gzip), from
        memory when it is there."""
        page = self._stored.get(story_id)
        if page is not None:
            return story_id, page
        return self.reads.story_page(story_id)

    @contextmanager
    def _writing(self) -> Iterator[Store]:
        with self._write_lock:
            try:
                yield self.store
            finally:
                self._facets = None
                with self._pages_lock:
                    self._pages.clear()
                    self._stored = {}
                    self._writes += 1
                # Every page a write may have changed is read again; the lock keeps the next write out.
                self.warm()

    @property
    def ingest_ready(self) -> bool:
        """Whether an ingest has loaded the language models (the first one does)."""
        return self._stages is not None

    def _stages_loaded(self) -> Stages:
        if self._stages is None:
            self._stages = Stages.from_settings(self.settings)
        return self._stages

    def ingest(self, data: bytes, media_type: str, source: str) -> IngestResult:
        """Read an upload of format `MEDIA_FORMATS[media_type]`, clean it, and bring the stories up to date.

        Raises TooManyArticles (before storing anything) when it holds more than `max_articles`.
        """
        found = list(read_bytes(data, MEDIA_FORMATS[media_type], source))
        if len(found) > self.max_articles:
            raise TooManyArticles(len(found), self.max_articles)
        articles: dict[str, Article] = {}
        rejected: list[Rejected] = []
        for raw in found:
            result = raw if isinstance(raw, Rejected) else clean_article(raw)
            if isinstance(result, Rejected):
                rejected.append(result)
            else:
                articles.setdefault(result.id, result)
        read = ReadResult(tuple(articles.values()), tuple(rejected))
        with self._writing() as store:
            known = {a.id for a in store.articles(list(articles))}
            stories = update_stories(
                store, read, self._stages_loaded(), StreamParams.from_settings(self.settings), progress=False
            )
        new = tuple(a for a in articles if a not in known)
        return IngestResult(read.articles, new, read.rejected, stories)
