"""The per-article analysis: `Article -> Analysed`, everything about one article that needs no other
article, computed once (in an executor's worker), stored, and read by grouping and fusion.

What it holds: the annotation (sentences, entity mentions, time expressions, quotes: nlp/pipeline.py),
the content terms of the headline and of the body (nlp/terms.py, what grouping's TF-IDF and fusion's
article centrality read), the grouping embedding (cluster/features.py) and the near-copy fingerprint
(nlp/fingerprint.py; stored in its own table, which fusion reads). An article that is not
English gets no annotation (the models are English) but still its terms and embedding: it is grouped.

Adding a field: add it to `Analysed` (types.py) with a default, compute it in `Analyser.analyse`, store
it (a column of `annotations`, a migration at the end of MIGRATIONS), and bump ANALYSIS_VERSION.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsfuse.clean.language import is_english
from newsfuse.cluster.features import article_embeddings, load_embedding_model, term_counts
from newsfuse.nlp.fingerprint import fingerprint
from newsfuse.nlp.pipeline import Annotator
from newsfuse.types import Analysed, Annotated, Article

# The version of what the analysis computes. Bump it whenever any analyser's output changes (spaCy model
# or settings, the sentence, entity, quote or time rules, the terms, the embedding model or its input):
# a store analysed by another version is analysed again, article by article, before it is used.
ANALYSIS_VERSION = 1


class Analyser:
    """Analyses articles in this process; executors send `for_worker()` copies to their workers, where
    the models load once per worker."""

    def __init__(self, annotator: Annotator, embedding_threads: int = 0) -> None:
        self.annotator = annotator
        self.embedding_threads = embedding_threads  # 0: the library's default (all cores)

    def for_worker(self) -> Analyser:
        """An Analyser with the same settings and nothing loaded, for one worker process: one thread,
        since the executor gives each core a worker."""
        return Analyser(self.annotator.for_worker(), embedding_threads=1)

    def load(self) -> None:
        """Load the models now (a worker does so before its first task)."""
        self.annotator.nlp  # noqa: B018
        if self.embedding_threads:
            import torch

            torch.set_num_threads(self.embedding_threads)
        load_embedding_model()

    def analyse(self, articles: Sequence[Article]) -> Iterator[Analysed]:
        """One Analysed per article, in input order."""
        if not articles:
            return
        english = [a for a in articles if is_english(a.language)]
        annotated = {x.article.id: x for x in self.annotator.annotate(english)}
        vectors = article_embeddings(articles)
        for article, vector in zip(articles, vectors, strict=True):
            found = annotated.get(article.id) or Annotated(article, (), (), ())
            yield Analysed(
                article,
                found.sentences,
                found.mentions,
                found.quotes,
                found.timexes,
                title_terms=term_counts(article.title),
                body_terms=term_counts(article.text),
                embedding=vector,
                version=ANALYSIS_VERSION,
                fingerprint=fingerprint(article.text),
            )
