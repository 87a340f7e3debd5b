"""Fuses a story's articles into one sourced account: claims, details, summary, quotes and entities.

Every text in the account is a span of a source article, cited as (article id, start, end), so nothing is
said that a source does not say. Fusion runs four steps, each its own module:

1. `align`: sentences of different articles that state the same thing join one claim (TF-IDF and static
   sentence embeddings);
2. `relate`: how two sentences of one fact differ (numbers, dates, negation) and whether a difference is
   an update; `conflicts` groups a claim's differences into sides and gives each sentence its stance
   (agrees, contradicts, updates);
3. `origins`: where each sentence's information first came from (a statement to an outlet, a wire story,
   an outlet's own reporting), collapsing outlets, near-copies, wire copies and relayed statements;
4. `rank`: each claim's status, the order of claims, and the details only one origin gives;
5. `summarize`: the summary sentences and the story's headline (importance, corroboration, coverage of
   origins, no redundancy, no furniture, no contested claim stated as settled, a neutral voice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from newsfuse.cluster import publication_order
from newsfuse.config import DEFAULTS
from newsfuse.fuse.align import Unit, WordCoverage, align, score_sentences
from newsfuse.fuse.conflicts import ClaimConflict, Member, claim_conflicts, day_dates, story_tolls
from newsfuse.fuse.entities import canonical_entities
from newsfuse.fuse.origins import (
    assign_origins,
    outlet_key,
    outlet_name,
    settle_claim_origins,
)
from newsfuse.fuse.rank import (
    MAX_DETAILS,
    STATUS_ORDER,
    claim_status,
    detail_facts,
    detail_score,
    is_detail_candidate,
)
from newsfuse.fuse.speakers import story_quotes
from newsfuse.fuse.statements import story_statements
from newsfuse.fuse.summarize import Candidate, Summariser, SummaryInputs, reads_alone
from newsfuse.fuse.timeline import TIMELINE_SAME_EVENT, date_of, story_timeline
from newsfuse.nlp.fingerprint import fingerprint
from newsfuse.nlp.terms import terms, tfidf
from newsfuse.types import (
    Analysed,
    Annotated,
    Article,
    ArticleRef,
    Citation,
    Claim,
    ClaimStatus,
    Conflict,
    Detail,
    Fingerprint,
    Stance,
    Story,
    SummarySentence,
    Support,
)

_reads_alone = reads_alone  # the name tests and earlier code use


class StoryFuser:
    """Builds a Story from the annotated articles of one story.

    align_threshold: score at which two sentences from different articles state one claim.
    align_lexical_weight: the TF-IDF cosine's share of that score; the embedding cosine has the rest
        (1.0 with threshold 0.20 is the TF-IDF alignment of contract 1.0).
    summary_sentences: most sentences in the summary.
    summary_redundancy: a candidate this similar (TF-IDF cosine) to a chosen summary sentence is left out.
    corroboration_threshold: the score two sentences of different origins need to join one claim
        (None: the same as `align_threshold`).
    max_articles: claims and the summary are built from at most this many articles, the most central
        to the story; every article is still listed, and its quotes and entities kept.
    """

    def __init__(
        self,
        align_threshold: float = DEFAULTS.align_threshold,
        summary_sentences: int = DEFAULTS.summary_sentences,
        summary_redundancy: float = DEFAULTS.summary_redundancy,
        align_lexical_weight: float = DEFAULTS.align_lexical_weight,
        max_articles: int = 60,
        corroboration_threshold: float | None = DEFAULTS.corroboration_threshold,
    ):
        self.corroboration_threshold = corroboration_threshold
        self.align_threshold = align_threshold
        self.summary_sentences = summary_sentences
        self.summary_redundancy = summary_redundancy
        self.align_lexical_weight = align_lexical_weight
        self.max_articles = max_articles
        self.summariser = Summariser(summary_sentences, summary_redundancy, align_lexical_weight)

    def fuse(
        self,
        story_id: str,
        annotated: Sequence[Annotated],
        copied_from: Mapping[str, Article] | None = None,
        prints: Mapping[str, Fingerprint] | None = None,
    ) -> Story:
        """The story's account. `copied_from` maps an article to an earlier article of another story
        that it is a near-copy of (from the store's fingerprints); `prints` holds fingerprints already
        computed, by article id."""
        order = {a.id: i for i, a in enumerate(publication_order([x.article for x in annotated]))}
        items = sorted(annotated, key=lambda x: order[x.article.id])
        all_articles = [x.article for x in items]
        entities = canonical_entities(items)
        quotes = story_quotes(items, entities)
        statements = story_statements(quotes, {a.id: a.outlet for a in all_articles})

        # Claims and the summary come from the story's most central articles (all of them, up to
        # `max_articles`): sentence alignment grows with the square of the sentences.
        fused = self._fused_articles(tfidf([_body_terms(x) for x in items]))
        articles = [all_articles[i] for i in fused]
        units = [
            Unit(ai, si, s.start, s.end)
            for ai, i in enumerate(fused)
            for si, s in enumerate(items[i].sentences)
        ]
        texts = [articles[u.article].text[u.start : u.end] for u in units]

        claims: list[Claim] = []
        conflicts: list[Conflict] = []
        details: list[Detail] = []
        summary: list[SummarySentence] = []
        title = articles[0].title if articles else ""
        scores = score_sentences(texts, self.align_lexical_weight)
        origins = assign_origins(
            items,
            fused,
            units,
            scores.sims,
            scores.lexical,
            [
                prints[x.article.id] if prints and x.article.id in prints else fingerprint(x.article.text)
                for x in items
            ],
            copied_from,
            quotes,
            statements,
        )
        if units:
            components = align(
                units,
                scores.sims,
                scores.eligible,
                self.align_threshold,
                origins.of_unit,
                self.corroboration_threshold,
                scores.lexical,
                coverage=WordCoverage(texts),
            )
            origins = settle_claim_origins(
                origins,
                components,
                units,
                texts,
                [a.id for a in articles],
                [origins.of_article[i] for i in fused],
                [origins.wires[i] for i in fused],
            )
            centroid = np.asarray(scores.vectors.mean(axis=0)).ravel()
            centroid_norm = np.linalg.norm(centroid) or 1.0
            centrality = np.asarray(scores.vectors @ centroid).ravel() / centroid_norm
            keys = [outlet_key(a) for a in articles]
            names = [outlet_name(a) for a in articles]
            mention_names = self._mention_names(items, fused, units)

            ranked = []
            claim_conflicts_of: dict[int, list[ClaimConflict]] = {}
            summary_candidates: list[Candidate] = []
            candidates: list[tuple[int, int, Detail]] = []
            # First each claim's members and the conflicts inside it, then the tolls compared across
            # claims (`story_tolls`), then the claims with the stances both gave.
            seen: list[tuple[int, list[int], list[Member], list[Stance]]] = []
            for members in components:
                if not scores.eligible[members[0]]:
                    continue
                # The representative is the member most like the others, then the earliest.
                rep = max(members, key=lambda m: (scores.sims[m, members].sum(), -m))
                ordered_members = [rep] + sorted(m for m in members if m != rep)
                members_seen = [
                    Member(
                        Citation(articles[units[m].article].id, units[m].start, units[m].end),
                        texts[m],
                        articles[units[m].article].published,
                        origins.of_unit[m],
                        day_dates(
                            items[fused[units[m].article]].timexes,
                            units[m].start,
                            units[m].end,
                            articles[units[m].article].text,
                        ),
                    )
                    for m in ordered_members
                ]
                stances, found = claim_conflicts(members_seen)
                claim_conflicts_of[rep] = found
                seen.append((rep, ordered_members, members_seen, stances))
            taken = {
                (c, m)
                for c, (_, _, members_seen, _) in enumerate(seen)
                for conflict in claim_conflicts_of[seen[c][0]]
                if conflict.kind == "number"
                for side in conflict.sides
                for m, member in enumerate(members_seen)
                if member.citation in side.citations
            }
            shown_status: dict[int, ClaimStatus] = {}
            for toll in story_tolls([x[2] for x in seen], taken):
                rep = seen[toll.claim][0]
                claim_conflicts_of[rep] = [*claim_conflicts_of[rep], toll.conflict]
                if toll.conflict.relation == "disagree" or rep not in shown_status:
                    shown_status[rep] = "contested" if toll.conflict.relation == "disagree" else "updated"
                for (c, m), stance in toll.stances.items():
                    stances = seen[c][3]
                    if stance == "contradicts" or stances[m] == "agrees":
                        stances[m] = stance
            for rep, ordered_members, members_seen, stances in seen:
                support = tuple(
                    Support(member.citation, stance, member.origin)
                    for member, stance in zip(members_seen, stances, strict=True)
                )
                member_keys = [keys[units[m].article] for m in ordered_members]
                status = claim_status(support, member_keys, [texts[m] for m in ordered_members])
                # A claim a toll conflict across claims is shown on is contested (or updated) though
                # its own sentences all give one side.
                if rep in shown_status and status != "contested":
                    status = shown_status[rep]
                outlets = tuple(dict.fromkeys(names[units[m].article] for m in ordered_members))
                claim_origins = tuple(dict.fromkeys(s.origin for s in support if s.stance == "agrees"))
                when = date_of(items[fused[units[rep].article]], units[rep].start, units[rep].end)
                claim = Claim(texts[rep], status, support, outlets, claim_origins, date=when)
                ranked.append((centrality[rep], rep, claim))
                summary_candidates.append(Candidate(claim, tuple(ordered_members)))
                if status == "single_source":
                    facts = detail_facts(texts[rep], mention_names[rep])
                    if is_detail_candidate(texts[rep], facts):
                        detail = Detail(claim.text, claim.citations, claim.origins[0])
                        candidates.append((rep, facts, detail))
            ordered = sorted(
                ranked,
                key=lambda r: (STATUS_ORDER.index(r[2].status), -len(r[2].origins), -len(r[2].outlets), r[1]),
            )
            claims = [c for _, _, c in ordered]
            conflicts = [
                Conflict(c.kind, c.relation, c.sides, index)
                for index, (_, rep, _) in enumerate(ordered)
                for c in claim_conflicts_of[rep]
            ]
            details = self._details(candidates, summary_candidates, scores.sims, centrality)
            inputs = SummaryInputs(
                texts=texts,
                article_of=[u.article for u in units],
                position=[u.position for u in units],
                origin_of=origins.of_unit,
                eligible=scores.eligible,
                sims=scores.sims,
                lexical=scores.lexical,
                outlet_keys=keys,
                outlet_names=names,
                titles=[a.title for a in articles],
                centrality=centrality,
            )
            summary = self.summariser.summarise(summary_candidates, inputs)
            headline = self.summariser.headline(inputs, summary)
            if headline is not None:
                title = articles[headline].title

        return Story(
            id=story_id,
            title=title,
            articles=tuple(ArticleRef(a.id, a.outlet, a.title, a.url, a.published) for a in all_articles),
            summary=tuple(summary),
            claims=tuple(claims),
            quotes=tuple(quotes),
            entities=tuple(entities),
            timeline=story_timeline(items, TIMELINE_SAME_EVENT),
            statements=tuple(statements),
            origins=origins.origins,
            details=tuple(details),
            conflicts=tuple(conflicts),
        )

    @staticmethod
    def _details(
        candidates: Sequence[tuple[int, int, Detail]],
        claims: Sequence[Candidate],
        sims: np.ndarray,
        centrality: np.ndarray,
    ) -> list[Detail]:
        """The MAX_DETAILS best single-source facts: closest to what several outlets report (the story's
        core: any sentence of a claim two outlets state, each outlet's wording being one view of it; the
        story's centroid when no claim has two outlets), and naming the most."""
        core = [m for c in claims if len(c.claim.outlets) >= 2 for m in c.members]
        scored = []
        for rep, facts, detail in candidates:
            closeness = float(sims[rep, core].max()) if core else float(centrality[rep])
            scored.append((detail_score(closeness, facts), rep, detail))
        return [d for _, _, d in sorted(scored, key=lambda d: (-d[0], d[1]))[:MAX_DETAILS]]

    @staticmethod
    def _mention_names(
        items: Sequence[Annotated], fused: Sequence[int], units: Sequence[Unit]
    ) -> list[list[str]]:
        """The entity names mentioned inside each unit."""
        out: list[list[str]] = []
        for u in units:
            mentions = items[fused[u.article]].mentions
            out.append([m.text for m in mentions if u.start <= m.start and m.end <= u.end])
        return out

    def _fused_articles(self, article_vectors: csr_matrix) -> list[int]:
        """Indices, in publication order, of the articles whose sentences are aligned and summarised."""
        n = article_vectors.shape[0]
        if n <= self.max_articles:
            return list(range(n))
        centroid = np.asarray(article_vectors.mean(axis=0)).ravel()
        centrality = np.asarray(article_vectors @ centroid).ravel()
        return sorted(int(i) for i in np.argsort(-centrality, kind="stable")[: self.max_articles])


def _body_terms(item: Annotated) -> list[str]:
    """The article's content terms: the stored analysis's when it has them (TF-IDF counts them, their
    order does not matter), else computed."""
    if isinstance(item, Analysed) and item.version:
        return [term for term, n in item.body_terms for _ in range(n)]
    return terms(item.article.text)
