"""Step 1 of fusion: which sentences of different articles state the same thing.

Two sentences are scored by a mix of their TF-IDF cosine over stemmed content terms (shared names and
figures) and the cosine of their static sentence embeddings (shared meaning in other words: "warplanes"
and "planes", "allowed" and "is allowing"). The embeddings come from a model2vec model distilled from
all-MiniLM-L6-v2 and shipped inside the package (`scripts/build_sentence_model.py` builds it): a sentence
vector is a mean of word-piece rows, so thousands of sentences embed in a few milliseconds.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse.errors import ConfigError
from newsfuse.nlp.terms import terms, tfidf

SENTENCE_MODEL = Path(__file__).resolve().parent / "sentence_model"
# A sentence with fewer content terms than this is too slight to stand as a claim ("He declined.").
MIN_CLAIM_TERMS = 4


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of one article, with what fusing needs to know about it."""

    article: int  # index into the fused articles, in publication order
    position: int  # sentence index within its article
    start: int
    end: int


@cache
def _sentence_model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk; never ask the hub
    try:
        from model2vec import StaticModel
    except ImportError as exc:
        raise ConfigError(f"model2vec is not installed ({exc}); run `make install`") from None
    if not (SENTENCE_MODEL / "model.safetensors").exists():
        raise ConfigError(
            f"the sentence model is missing from {SENTENCE_MODEL}; "
            "run `python scripts/build_sentence_model.py`"
        )
    return StaticModel.from_pretrained(str(SENTENCE_MODEL))


def embed_sentences(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 sentence vectors, one row per text."""
    model = _sentence_model()
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    vectors = np.asarray(model.encode(list(texts), show_progress_bar=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@dataclass(frozen=True, slots=True)
class SentenceScores:
    """Pairwise scores of a story's sentences. `sims` is what alignment uses; `lexical` is the TF-IDF
    cosine alone, which centrality and summary redundancy keep using."""

    sims: np.ndarray
    lexical: np.ndarray
    vectors: Any  # the sentences' TF-IDF rows (sparse)
    eligible: np.ndarray  # long enough to stand as a claim


def score_sentences(texts: Sequence[str], lexical_weight: float) -> SentenceScores:
    """Score every pair of sentences: `lexical_weight * tfidf + (1 - lexical_weight) * embedding`."""
    unit_terms = [terms(t) for t in texts]
    vectors = tfidf(unit_terms)
    lexical = (vectors @ vectors.T).toarray()
    if lexical_weight >= 1:
        sims = lexical
    else:
        embedded = embed_sentences(texts)
        sims = lexical_weight * lexical + (1 - lexical_weight) * (embedded @ embedded.T)
    eligible = np.array([len(t) >= MIN_CLAIM_TERMS for t in unit_terms], dtype=bool)
    return SentenceScores(sims, lexical, vectors, eligible)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def align(
    units: Sequence[Unit],
    sims: np.ndarray,
    eligible: np.ndarray,
    threshold: float,
    origins: Sequence[str] | None = None,
    across_origins: float | None = None,
) -> list[list[int]]:
    """Group sentences into claims, each holding at most one sentence of any article.

    Links between eligible sentences of different articles are taken strongest first; two groups
    merge when no article is in both and their average similarity reaches the threshold. Without the
    one-sentence-per-article rule, a long story chains most of its sentences into one claim. With
    `origins` (one id per unit), a link between sentences of different origins needs `across_origins`:
    such a link is what makes a claim corroborated, so it must be surer than a link between two
    relays of one origin.
    """
    article_of = np.array([u.article for u in units])
    needed = np.full(sims.shape, threshold)
    if origins is not None and across_origins is not None:
        ids = {o: i for i, o in enumerate(dict.fromkeys(origins))}
        coded = np.array([ids[o] for o in origins])
        needed[coded[:, None] != coded[None, :]] = across_origins
    candidates = np.flatnonzero(eligible)
    block = sims[np.ix_(candidates, candidates)]
    rows, cols = np.nonzero(np.triu(block >= needed[np.ix_(candidates, candidates)], k=1))
    left, right = candidates[rows], candidates[cols]
    across = article_of[left] != article_of[right]
    left, right = left[across], right[across]
    strongest_first = np.argsort(-sims[left, right], kind="stable")

    groups = _UnionFind(len(units))
    members: dict[int, list[int]] = {i: [i] for i in range(len(units))}
    articles: dict[int, set[int]] = {i: {int(article_of[i])} for i in range(len(units))}
    for edge in strongest_first:
        a, b = groups.find(int(left[edge])), groups.find(int(right[edge]))
        if a == b or articles[a] & articles[b]:
            continue
        pairs = np.ix_(members[a], members[b])
        if sims[pairs].mean() < needed[pairs].mean():
            continue
        groups.union(a, b)
        root, other = (a, b) if groups.find(a) == a else (b, a)
        members[root] += members.pop(other)
        articles[root] |= articles.pop(other)
    return list(members.values())
