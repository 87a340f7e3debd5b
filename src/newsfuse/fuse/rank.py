"""Step 4 of fusion: each claim's status, the order of claims, and the details only one origin gives.

Status precedence: contested > updated > corroborated > relayed > single_source. A claim is
`corroborated` when two or more independent origins, in two or more outlets, agree, `relayed` when
several outlets carry it from one origin, `single_source` when one outlet does; any supporting sentence
that contradicts makes it `contested`, any that updates it `updated`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from newsfuse.fuse.relate import figures, is_negated
from newsfuse.types import ClaimStatus, Support

STATUS_ORDER: tuple[ClaimStatus, ...] = ("contested", "updated", "corroborated", "relayed", "single_source")
MAX_DETAILS = 10
# A detail needs at least this many facts of its own: figures, and names of people, places, organisations
# and times.
MIN_DETAIL_FACTS = 1
MIN_DETAIL_WORDS = 8


def claim_status(
    support: Sequence[Support], outlets: Sequence[str], texts: Sequence[str] | None = None
) -> ClaimStatus:
    """The status of a claim from its supporting sentences, the outlets (keys) that carry them and their
    words (`texts`), one per supporting sentence. Corroboration needs two origins in two outlets: one
    outlet's own words and a statement it quotes (a host's summary and the police chief's news
    conference, both on NPR) are one outlet's account. Nor do two sentences corroborate each other when
    each states a figure the other lacks, or one negates and the other does not: no conflict (they speak
    of different things), but not one fact either ("we all died 4 him" / "Prince didn't die for
    Justin Timberlake")."""
    stances = {s.stance for s in support}
    if "contradicts" in stances:
        return "contested"
    if "updates" in stances:
        return "updated"
    facts = [(figures(t), is_negated(t)) for t in texts] if texts else [(frozenset(), False)] * len(support)
    agreeing = [
        (s.origin, outlet, fact)
        for s, outlet, fact in zip(support, outlets, facts, strict=True)
        if s.stance == "agrees"
    ]
    if any(a[0] != b[0] and a[1] != b[1] and _one_fact(a[2], b[2]) for a, b in combinations(agreeing, 2)):
        return "corroborated"
    if len(set(outlets)) >= 2:
        return "relayed"
    return "single_source"


def _one_fact(a: tuple[frozenset[str], bool], b: tuple[frozenset[str], bool]) -> bool:
    """Whether two sentences' (figures, negated) can state one fact."""
    (a_figures, a_negated), (b_figures, b_negated) = a, b
    return a_negated == b_negated and not (a_figures - b_figures and b_figures - a_figures)


def detail_facts(text: str, names: Sequence[str]) -> int:
    """How many distinct facts a sentence names: its figures and the entity names (`names`) in it."""
    return len(figures(text)) + len({n for n in names})


def detail_score(centrality: float, facts: int) -> float:
    """Details are ranked by how close they are to the story (centrality) and how much they name."""
    return centrality * (1 + 0.1 * min(facts, 4))


def is_detail_candidate(text: str, facts: int) -> bool:
    return facts >= MIN_DETAIL_FACTS and len(text.split()) >= MIN_DETAIL_WORDS
