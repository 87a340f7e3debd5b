"""Step 1 of fusion: which sentences of different articles state the same thing.

Two sentences are scored by a mix of their TF-IDF cosine over stemmed content terms (shared names and
figures) and the cosine of their static sentence embeddings (shared meaning in other words: "warplanes"
and "planes", "allowed" and "is allowing"). The embeddings come from a model2vec model distilled from
all-MiniLM-L6-v2 at install time (`scripts/build_sentence_model.py`, run by `make install`): a sentence
vector is a mean of word-piece rows, so thousands of sentences embed in a few milliseconds.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse.errors import ConfigError
from newsfuse.nlp.terms import content_words, terms, tfidf

SENTENCE_MODEL = Path(__file__).resolve().parent / "sentence_model"
# A sentence with fewer content terms than this is too slight to stand as a claim ("He declined.").
MIN_CLAIM_TERMS = 4
# Two sentences of different origins also need this TF-IDF cosine to join one claim: the embedding alone
# is close for sentences on one topic ("Teague, Burrell and the flight attendant are black" / "Teague,
# Burrell, and an assistant coach were asked to get off the plane": embedding 0.79, TF-IDF 0.34), and a
# claim that two origins state must share its names, figures and words.
CORROBORATION_LEXICAL = 0.35
# ... and the shorter one's content must be mostly stated by the other (`WordCoverage`, weighted so that
# the story's topic words count for little): two sentences of one topic that state different facts share
# the topic's words but not the rest ("For thousands of years, the only planets known were those of our
# solar system" / "The technique first identified planets outside our solar system"). Chosen on the
# development stories, where 0.62 to 0.66 give one result (see README, claims figures).
CORROBORATION_COVERAGE = 0.64
# A photo caption left in the text describes a picture, not the news: "Pictured, ...", "Marquis Teague
# (left) and ...", or a line ending in the picture's credit, "... quasars (University of Oklahoma)".
_CREDIT_WORD = r"(?:[A-Z][\w.'’&/-]*|of|via|the|and|for)"
_CAPTION = re.compile(
    r"^(?:Pictured|Picture|Photo|Image|Above|Below|Inset)\b\s*(?:[:,(-]|is\b|are\b|above\b|below\b|here\b)"
    r"|\((?:left|right|centre|center|pictured|above|below|top|bottom)\)"
    rf"|\([A-Z][\w.'’&/-]*(?:\s+{_CREDIT_WORD}){{0,7}}\)\s*$"
)


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
            "run `make install` (or `python scripts/build_sentence_model.py`)"
        )
    return StaticModel.from_pretrained(str(SENTENCE_MODEL))


class WordCoverage:
    """How much of one sentence's content another states, from static word embeddings: each content
    word of the shorter sentence is matched to its closest word of the other (the cosine of their
    vectors), and the matches are averaged weighted by each word's inverse document frequency among
    the story's sentences, so that the story's topic words ("planets", "Cologne") count for less than
    the names, figures and words that make a fact. Word vectors are computed once per sentence."""

    def __init__(self, texts: Sequence[str]):
        self.texts = texts
        self._words: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        frequency: dict[str, int] = {}
        for text in texts:
            for stem in set(terms(text)):
                frequency[stem] = frequency.get(stem, 0) + 1
        self.frequency = frequency

    def prepare(self, sentences: Iterable[int]) -> None:
        """Embed the words of these sentences in one batch (one call per word is far slower)."""
        todo = [i for i in dict.fromkeys(sentences) if i not in self._words]
        words = {i: list(dict.fromkeys(content_words(self.texts[i]))) for i in todo}
        vocabulary = list(dict.fromkeys(w for i in todo for w in words[i]))
        row = {w: k for k, w in enumerate(vocabulary)}
        vectors = embed_sentences(vocabulary)
        n = len(self.texts)
        for i in todo:
            weights = [
                np.log((n + 1) / (self.frequency.get(next(iter(terms(w)), w), 0) + 1)) + 1 for w in words[i]
            ]
            self._words[i] = (vectors[[row[w] for w in words[i]]], np.array(weights, dtype=np.float32))

    def _vectors(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        if i not in self._words:
            self.prepare([i])
        return self._words[i]

    def __call__(self, i: int, j: int) -> float:
        """The weighted mean, over the content words of the shorter of sentences `i` and `j`, of the
        cosine to the closest content word of the other."""
        (a, weights), (b, _) = self._vectors(i), self._vectors(j)
        if len(a) > len(b):
            (a, weights), (b, _) = (b, _), (a, weights)
        if not len(a):
            return 0.0
        return float((a @ b.T).max(axis=1) @ weights / weights.sum())


# Fusion embeds a story's sentences for alignment and again for the summary, and a story that grows is
# fused again: vectors of recent texts are kept (128 floats each: 25 MB at most), oldest dropped first.
_VECTORS: dict[str, np.ndarray] = {}
_MAX_VECTORS = 50_000
_VECTORS_LOCK = threading.Lock()


def embed_sentences(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 sentence vectors, one row per text."""
    model = _sentence_model()
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    vectors = {t: v for t in texts if (v := _VECTORS.get(t)) is not None}
    missing = [t for t in dict.fromkeys(texts) if t not in vectors]
    if missing:
        encoded = np.asarray(model.encode(missing, show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(encoded, axis=1, keepdims=True)
        unit = encoded / np.where(norms == 0, 1, norms)
        fresh = dict(zip(missing, [row.copy() for row in unit], strict=True))  # not views of the batch
        vectors.update(fresh)
        with _VECTORS_LOCK:  # the server may fuse in more than one thread
            _VECTORS.update(fresh)
            while len(_VECTORS) > _MAX_VECTORS:
                del _VECTORS[next(iter(_VECTORS))]
    return np.stack([vectors[t] for t in texts])


@dataclass(frozen=True, slots=True)
class SentenceScores:
    """Pairwise scores of a story's sentences. `sims` is what alignment uses; `lexical` is the TF-IDF
    cosine alone, which centrality and summary redundancy keep using."""

    sims: np.ndarray
    lexical: np.ndarray
    vectors: Any  # the sentences' TF-IDF rows (sparse)
    eligible: np.ndarray  # long enough to stand as a claim, and no photo caption


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
    eligible = np.array(
        [len(t) >= MIN_CLAIM_TERMS and not is_caption(x) for t, x in zip(unit_terms, texts, strict=True)],
        dtype=bool,
    )
    return SentenceScores(sims, lexical, vectors, eligible)


def is_caption(sentence: str) -> bool:
    """True for a photo caption: it stands as no claim."""
    return bool(_CAPTION.search(sentence.strip()))


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
    lexical: np.ndarray | None = None,
    across_lexical: float = CORROBORATION_LEXICAL,
    coverage: WordCoverage | None = None,
    across_coverage: float = CORROBORATION_COVERAGE,
) -> list[list[int]]:
    """Group sentences into claims, each holding at most one sentence of any article.

    Links between eligible sentences of different articles are taken strongest first; two groups
    merge when no article is in both and their average similarity reaches the threshold. Without the
    one-sentence-per-article rule, a long story chains most of its sentences into one claim. With
    `origins` (one id per unit), a link between sentences of different origins needs `across_origins`:
    such a link is what makes a claim corroborated, so it must be surer than a link between two
    relays of one origin; with `lexical` (the TF-IDF cosines), it also needs `across_lexical` of them,
    and with `coverage`, the shorter sentence's content mostly stated by the other (`across_coverage`).
    """
    article_of = np.array([u.article for u in units])
    needed = np.full(sims.shape, threshold)
    linkable = np.ones(sims.shape, dtype=bool)
    if origins is not None and across_origins is not None:
        ids = {o: i for i, o in enumerate(dict.fromkeys(origins))}
        coded = np.array([ids[o] for o in origins])
        across = coded[:, None] != coded[None, :]
        needed[across] = across_origins
        if lexical is not None:
            linkable = ~across | (lexical >= across_lexical)
    candidates = np.flatnonzero(eligible)
    block = np.ix_(candidates, candidates)
    rows, cols = np.nonzero(np.triu((sims[block] >= needed[block]) & linkable[block], k=1))
    left, right = candidates[rows], candidates[cols]
    across = article_of[left] != article_of[right]
    left, right = left[across], right[across]
    if coverage is not None and origins is not None and across_origins is not None:
        edges = list(zip(left.tolist(), right.tolist(), strict=True))
        crossing = [origins[a] != origins[b] for a, b in edges]
        coverage.prepare(k for (a, b), c in zip(edges, crossing, strict=True) if c for k in (a, b))
        kept = [
            n
            for n, ((a, b), c) in enumerate(zip(edges, crossing, strict=True))
            if not c or coverage(a, b) >= across_coverage
        ]
        left, right = left[kept], right[kept]
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
