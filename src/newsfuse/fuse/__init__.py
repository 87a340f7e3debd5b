"""Fuses a story's articles into one sourced account: claims, summary, quotes and entities.

Every text in the account is a span of a source article, cited as (article id, start, end), so nothing is
said that a source does not say. Sentences from different articles are aligned into one claim when their
TF-IDF cosine over content terms reaches the threshold; a claim is corroborated when it is made by two or
more independent sources. Articles from one outlet, and near-copies of one text (a wire story run by two
papers), count as one source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from newsfuse.cluster import publication_order
from newsfuse.config import DEFAULTS
from newsfuse.fuse.entities import canonical_entities
from newsfuse.fuse.speakers import story_quotes
from newsfuse.fuse.statements import story_statements
from newsfuse.fuse.timeline import date_of, story_timeline
from newsfuse.nlp.terms import terms, tfidf
from newsfuse.types import (
    Annotated,
    ArticleRef,
    Citation,
    Claim,
    ClaimStatus,
    Story,
    SummarySentence,
)

# A sentence with fewer content terms than this is too slight to stand as a claim ("He declined.").
MIN_CLAIM_TERMS = 4
# A summary sentence must make sense without the sentence before it in its article.
_LEANS_ON_CONTEXT = re.compile(
    r"^[\"“‘'(]*(?:he|she|they|it|this|that|these|those|his|her|their|its|but|and|or|so|also|however|meanwhile"
    r"|still|yet|then|there)\b",
    re.IGNORECASE,
)


def _reads_alone(sentence: str) -> bool:
    """False for a sentence that leans on its context (opens with a pronoun or a connective) or asks."""
    return not _LEANS_ON_CONTEXT.match(sentence) and not sentence.rstrip("\"”’' ").endswith("?")


@dataclass(frozen=True, slots=True)
class _Unit:
    """One sentence of one article, with what fusing needs to know about it."""

    article: int  # index into the story's articles, in publication order
    position: int  # sentence index within its article
    start: int
    end: int


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


class StoryFuser:
    """Builds a Story from the annotated articles of one story.

    align_threshold: cosine at which two sentences from different articles state one claim.
    summary_sentences: most sentences in the summary.
    summary_redundancy: a candidate this similar to a chosen summary sentence is left out.
    duplicate_threshold: cosine at which two articles are copies of one text (one source).
    max_articles: claims and the summary are built from at most this many articles, the most central
        to the story; every article is still listed, and its quotes and entities kept.
    """

    # Summary scoring: centrality to the story, raised by each further independent source, plus a bonus
    # for sentences near the top of their article (news puts the main fact first).
    CORROBORATION_WEIGHT = 0.5
    LEAD_WEIGHT = 0.15

    def __init__(
        self,
        align_threshold: float = DEFAULTS.align_threshold,
        summary_sentences: int = DEFAULTS.summary_sentences,
        summary_redundancy: float = DEFAULTS.summary_redundancy,
        duplicate_threshold: float = 0.9,
        max_articles: int = 60,
    ):
        self.align_threshold = align_threshold
        self.summary_sentences = summary_sentences
        self.summary_redundancy = summary_redundancy
        self.duplicate_threshold = duplicate_threshold
        self.max_articles = max_articles

    def fuse(self, story_id: str, annotated: Sequence[Annotated]) -> Story:
        order = {a.id: i for i, a in enumerate(publication_order([x.article for x in annotated]))}
        items = sorted(annotated, key=lambda x: order[x.article.id])
        all_articles = [x.article for x in items]
        article_vectors = tfidf([terms(a.text) for a in all_articles])
        source_names = self._source_groups(items, article_vectors)
        entities = canonical_entities(items)
        quotes = story_quotes(items, entities)

        # Claims and the summary come from the story's most central articles (all of them, up to
        # `max_articles`): sentence alignment grows with the square of the sentences.
        fused = self._fused_articles(article_vectors)
        articles = [all_articles[i] for i in fused]
        source_of = [source_names[i] for i in fused]
        units = [
            _Unit(ai, si, s.start, s.end)
            for ai, i in enumerate(fused)
            for si, s in enumerate(items[i].sentences)
        ]
        unit_terms = [terms(articles[u.article].text[u.start : u.end]) for u in units]

        claims: list[Claim] = []
        summary: list[SummarySentence] = []
        title = articles[0].title if articles else ""
        if units:
            vectors = tfidf(unit_terms)
            sims = (vectors @ vectors.T).toarray()
            eligible = np.array([len(t) >= MIN_CLAIM_TERMS for t in unit_terms])
            components = self._align(units, sims, eligible)
            centroid = np.asarray(vectors.mean(axis=0)).ravel()
            centroid_norm = np.linalg.norm(centroid) or 1.0
            centrality = np.asarray(vectors @ centroid).ravel() / centroid_norm

            ranked = []
            for members in components:
                if not eligible[members[0]]:
                    continue
                # The representative is the member most like the others, then the earliest.
                rep = max(members, key=lambda m: (sims[m, members].sum(), -m))
                ordered_members = [rep] + sorted(m for m in members if m != rep)
                support = tuple(self._cite(units[m], articles) for m in ordered_members)
                sources = sorted({source_of[units[m].article] for m in members})
                status: ClaimStatus = "corroborated" if len(sources) >= 2 else "single_source"
                text = articles[units[rep].article].text[units[rep].start : units[rep].end]
                rep_unit = units[rep]
                when = date_of(items[fused[rep_unit.article]], rep_unit.start, rep_unit.end)
                claim = Claim(text, status, support, tuple(sources), date=when)
                lead = max(1.0 / (1 + units[m].position) ** 0.5 for m in members)
                score = (
                    centrality[rep] * (1 + self.CORROBORATION_WEIGHT * (len(sources) - 1))
                    + self.LEAD_WEIGHT * lead
                )
                ranked.append((score, rep, claim))
            claims = [c for _, _, c in sorted(ranked, key=lambda r: (-len(r[2].outlets), r[1]))]
            summary = self._summarise(ranked, sims)
            article_centrality = np.zeros(len(articles))
            np.maximum.at(article_centrality, [u.article for u in units], centrality)
            title = articles[int(np.argmax(article_centrality))].title

        return Story(
            id=story_id,
            title=title,
            articles=tuple(ArticleRef(a.id, a.outlet, a.title, a.url, a.published) for a in all_articles),
            summary=tuple(summary),
            claims=tuple(claims),
            quotes=tuple(quotes),
            entities=tuple(entities),
            timeline=story_timeline(items, self.align_threshold),
            statements=tuple(story_statements(quotes, {a.id: a.outlet for a in all_articles})),
        )

    @staticmethod
    def _cite(unit: _Unit, articles: Sequence) -> Citation:
        return Citation(articles[unit.article].id, unit.start, unit.end)

    def _fused_articles(self, article_vectors: csr_matrix) -> list[int]:
        """Indices, in publication order, of the articles whose sentences are aligned and summarised."""
        n = article_vectors.shape[0]
        if n <= self.max_articles:
            return list(range(n))
        centroid = np.asarray(article_vectors.mean(axis=0)).ravel()
        centrality = np.asarray(article_vectors @ centroid).ravel()
        return sorted(int(i) for i in np.argsort(-centrality, kind="stable")[: self.max_articles])

    def _source_groups(self, items: Sequence[Annotated], article_vectors: csr_matrix) -> list[str]:
        """The independent source each article counts as: its outlet, merged with near-copies."""
        n = len(items)
        groups = _UnionFind(n)
        by_outlet: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.article.outlet:
                key = item.article.outlet.lower()
                if key in by_outlet:
                    groups.union(by_outlet[key], i)
                by_outlet.setdefault(key, i)
        sims = (article_vectors @ article_vectors.T).toarray()
        for i, j in np.argwhere(np.triu(sims >= self.duplicate_threshold, k=1)):
            groups.union(int(i), int(j))
        names = [item.article.outlet or f"unknown outlet ({item.article.id})" for item in items]
        return [names[groups.find(i)] for i in range(n)]

    def _align(self, units: Sequence[_Unit], sims: np.ndarray, eligible: np.ndarray) -> list[list[int]]:
        """Group sentences into claims, each holding at most one sentence of any article.

        Links between eligible sentences of different articles are taken strongest first; two groups
        merge when no article is in both and their average similarity reaches the threshold. Without the
        one-sentence-per-article rule, a long story chains most of its sentences into one claim.
        """
        article_of = np.array([u.article for u in units])
        candidates = np.flatnonzero(eligible)
        block = sims[np.ix_(candidates, candidates)]
        rows, cols = np.nonzero(np.triu(block >= self.align_threshold, k=1))
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
            if sims[np.ix_(members[a], members[b])].mean() < self.align_threshold:
                continue
            groups.union(a, b)
            root, other = (a, b) if groups.find(a) == a else (b, a)
            members[root] += members.pop(other)
            articles[root] |= articles.pop(other)
        return list(members.values())

    def _summarise(self, ranked: list, sims: np.ndarray) -> list[SummarySentence]:
        chosen: list[int] = []
        summary = []
        standalone = [r for r in ranked if _reads_alone(r[2].text)] or ranked
        for _score, rep, claim in sorted(standalone, key=lambda r: (-r[0], r[1])):
            if len(chosen) == self.summary_sentences:
                break
            if any(sims[rep, c] >= self.summary_redundancy for c in chosen):
                continue
            chosen.append(rep)
            summary.append(SummarySentence(claim.text, claim.support))
        return summary
