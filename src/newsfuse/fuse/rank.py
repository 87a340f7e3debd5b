"""Step 4 of fusion: each claim's status, the order of claims, and the details only one origin gives.

Status precedence: contested > updated > corroborated > relayed > single_source. A claim is
`corroborated` when two or more independent origins, in two or more outlets, agree, `relayed` when
several outlets carry it from one origin, `single_source` when one outlet does; any supporting sentence
that contradicts makes it `contested`, any that updates it `updated`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from newsfuse.fuse.relate import figures
from newsfuse.types import ClaimStatus, Support

STATUS_ORDER: tuple[ClaimStatus, ...] = ("contested", "updated", "corroborated", "relayed", "single_source")
MAX_DETAILS = 10
# A detail needs at least this many facts of its own: figures, and names of people, places, organisations
# and times.
MIN_DETAIL_FACTS = 1
MIN_DETAIL_WORDS = 8


def claim_status(support: Sequence[Support], outlets: Sequence[str]) -> ClaimStatus:
    """The status of a claim from its supporting sentences and the outlets (keys) that carry them, one
    per supporting sentence. Corroboration needs two origins in two outlets: one outlet's own words and
    a statement it quotes (a host's summary and the police chief's news conference, both on NPR) are one
    outlet's account."""
    stances = {s.stance for s in support}
    if "contradicts" in stances:
        return "contested"
    if "updates" in stances:
        return "updated"
    agreeing = [
        (s.origin, outlet) for s, outlet in zip(support, outlets, strict=True) if s.stance == "agrees"
    ]
    if any(a[0] != b[0] and a[1] != b[1] for a, b in combinations(agreeing, 2)):
        return "corroborated"
    if len(set(outlets)) >= 2:
        return "relayed"
    return "single_source"


def detail_facts(text: str, names: Sequence[str]) -> int:
    """How many distinct facts a sentence names: its figures and the entity names (`names`) in it."""
    return len(figures(text)) + len({n for n in names})


def detail_score(centrality: float, facts: int) -> float:
    """Details are ranked by how close they are to the story (centrality) and how much they name."""
    return centrality * (1 + 0.1 * min(facts, 4))


def is_detail_candidate(text: str, facts: int) -> bool:
    return facts >= MIN_DETAIL_FACTS and len(text.split()) >= MIN_DETAIL_WORDS
