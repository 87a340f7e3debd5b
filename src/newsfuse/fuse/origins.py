"""Step 3 of fusion: where each sentence's information first came from.

An origin is a person's statement to an outlet (Shamkhani to Fars), a wire story (Reuters, AP) or an
outlet's own reporting. Articles collapse into one origin when they are

- from one outlet, as the outlet registry names it (`clean/registry.py`: every subdomain of one registered
  domain, edition.cnn.com and money.cnn.com, is CNN);
- near-copies of one text: MinHash (datasketch) over word 5-shingles, the smaller text 60% contained
  in the other;
- wire copies named by a dateline ("WASHINGTON (Reuters) -") or a wire sign-off ("Reporting by ...;
  Editing by ..."). A photo credit ("Handout via Reuters", `Article.credits`) says who supplied a picture,
  not who wrote the story, and is never read here.

Within an article, a sentence takes the origin of a statement it relays: a quote whose `via` chain names
the outlet the statement was first made to (a quote by the same speaker continues that statement), or a
sentence of the same article that states what such a quote says ("a senior Iranian security official was
quoted as saying" beside Shamkhani's words to Fars). A sentence that mostly quotes a named person
carries that person's statement, whoever printed it. Every other sentence takes its article's origin.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from newsfuse.clean.agencies import canonical_agency
from newsfuse.clean.outlet import outlet_from_dateline
from newsfuse.clean.registry import resolve_outlet
from newsfuse.fuse.align import Unit, _UnionFind
from newsfuse.fuse.entities import normalise_name
from newsfuse.types import Annotated, Article, Citation, Origin, OriginKind, Quote

# Two texts are copies of one when this share of the smaller one's word 5-shingles is in the other; on
# giveme5w1h, syndicated copies of one story score 0.8-1.0 and independent reports of one event below 0.1.
NEAR_COPY_CONTAINMENT = 0.6
# A sentence of the article that scores this with a relayed quote states what the quote says.
RELAY_THRESHOLD = 0.45
# Sentences of two articles this close in TF-IDF cosine are one text copied (a wire paragraph).
COPIED_SENTENCE = 0.9
# A sentence this much of which is a named person's quote carries that person's statement.
QUOTED_SHARE = 0.5
# An article whose first relayed statement comes within this many sentences of its opening rests on it.
LEAD_RESTS_WITHIN = 2
SHINGLE_WORDS = 5
MINHASH_PERMUTATIONS = 64

# ---------------------------------------------------------------- outlets


# Second-level labels under which a country's registrations sit ("bbc.co.uk", "smh.com.au").
def outlet_key(article: Article) -> str:
    """What makes two articles one outlet: the registry's outlet for the article's outlet field and URL
    (display names, so a name and a domain of one outlet agree), else the article alone."""
    found = resolve_outlet(article.outlet, article.url)
    return found.name.casefold() if found is not None else f"article:{article.id}"


def outlet_name(article: Article) -> str:
    """The outlet's display name."""
    if article.outlet:
        return article.outlet
    key = outlet_key(article)
    return f"unknown outlet ({article.id})" if key.startswith("article:") else key


# ---------------------------------------------------------------- near-copies


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text's MinHash signature over its word 5-shingles, and how many distinct shingles it has."""

    signature: np.ndarray  # uint64, MINHASH_PERMUTATIONS values
    shingles: int


@cache
def _permutations() -> Any:
    from datasketch import MinHash

    # Drawing the permutations costs more than hashing an article: draw them once.
    return MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1).permutations


def fingerprint(text: str) -> Fingerprint:
    from datasketch import MinHash

    words = re.findall(r"\w+", text.casefold())
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    minhash = MinHash(num_perm=MINHASH_PERMUTATIONS, permutations=_permutations(), scheme="affine32")
    minhash.update_batch([s.encode() for s in shingles])
    return Fingerprint(np.asarray(minhash.hashvalues, dtype=np.uint64), len(shingles))


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the smaller text's shingles that the other text holds too: a copy run inside a
    longer page (with more furniture, or a longer edit) still scores near 1."""
    jaccard = float((a.signature == b.signature).mean())
    return min(
        1.0, jaccard * (a.shingles + b.shingles) / ((1 + jaccard) * max(1, min(a.shingles, b.shingles)))
    )


def near_copy_pairs(
    prints: Sequence[Fingerprint], threshold: float = NEAR_COPY_CONTAINMENT
) -> list[tuple[int, int]]:
    """Index pairs of texts of which one is a near-copy of the other."""
    return [
        (i, j)
        for i in range(len(prints))
        for j in range(i + 1, len(prints))
        if containment(prints[i], prints[j]) >= threshold
    ]


class CopyIndex:
    """Fingerprints of every stored article, to find a story's copies of articles in other stories."""

    def __init__(self, prints: Mapping[str, Fingerprint]):
        self.ids = list(prints)
        self.signatures = (
            np.stack([p.signature for p in prints.values()])
            if prints
            else np.zeros((0, MINHASH_PERMUTATIONS), dtype=np.uint64)
        )
        self.shingles = np.array([p.shingles for p in prints.values()], dtype=np.float64)

    def copies_of(
        self, article_id: str, fp: Fingerprint, threshold: float = NEAR_COPY_CONTAINMENT
    ) -> list[str]:
        """Ids of the indexed articles (not `article_id`) that the text copies or that copy it."""
        if not self.ids:
            return []
        jaccard = (self.signatures == fp.signature).mean(axis=1)
        smaller = np.maximum(1, np.minimum(self.shingles, fp.shingles))
        contained = np.minimum(1.0, jaccard * (self.shingles + fp.shingles) / ((1 + jaccard) * smaller))
        return [self.ids[i] for i in np.flatnonzero(contained >= threshold) if self.ids[i] != article_id]


# ---------------------------------------------------------------- wire copies

_DATELINE_WIRE = re.compile(r"\((?P<wire>[^()\n]{1,40})\)\s*[-–—]{1,2}")
# Reuters' sign-off: "(Reporting by Parisa Hafezi; Editing by Janet Lawrence)".
_SIGN_OFF = re.compile(r"\(?(?:Additional )?Reporting by [^\n]{3,300}?(?:Editing|Writing) by [^\n]{2,120}")


def wire_credit(article: Article) -> tuple[str, Citation] | None:
    """The wire agency whose copy the article runs, from its dateline or its sign-off, with the cited
    words; None for an outlet's own story. Photo credits are not looked at."""
    text = article.text
    first_paragraph = text.lstrip().split("\n", 1)[0]
    offset = len(text) - len(text.lstrip())
    wire = outlet_from_dateline(first_paragraph)
    agency = canonical_agency(wire) if wire else None
    if agency:
        m = _DATELINE_WIRE.search(first_paragraph)
        if m:
            return agency, Citation(article.id, offset + m.start(), offset + m.end())
    tail = max(0, len(text) - 600)
    m = _SIGN_OFF.search(text, tail)
    if m:
        return "Reuters", Citation(article.id, m.start(), m.end())
    return None


# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class RelayedStatement:
    """A statement an article relays: the quote's span, its speaker, and the outlet it was first made to."""

    start: int
    end: int
    speaker: str | None
    outlet: str
    evidence: Citation


_CITES_A_REPORT = frozenset(("reports", "reported", "report", "according to"))
_NOT_OUTLET_WORDS = frozenset(("the", "news", "agency", "semi-official", "semiofficial", "official"))


def _statement_key(outlet: str) -> str:
    words = [w for w in re.findall(r"[\w-]+", outlet.casefold()) if w not in _NOT_OUTLET_WORDS]
    return " ".join(words) or outlet.casefold()


def _surname(speaker: str | None) -> str | None:
    """The surname of a named speaker ("Dr. Xinyu Dai, an assistant professor" -> "dai", "the 58-year-old
    Horomanski" -> "horomanski"); None for a description ("a senior Iranian security official")."""
    if not speaker:
        return None
    words = normalise_name(speaker.split(",")[0]).split()
    last = speaker.split(",")[0].split()[-1:] if speaker.split(",")[0].split() else []
    if not words or not last or not last[0][:1].isupper():
        return None
    return words[-1].casefold()


def relayed_statements(item: Annotated) -> list[RelayedStatement]:
    """The statements an article relays from the outlet they were made to: quotes with a `via` chain,
    and the further quotes of their speakers. Reads today's quote chains; the attribution issue's
    statements can take its place."""
    first_outlet: dict[str, str] = {}
    for q in item.quotes:
        name = _surname(q.speaker)
        if q.via and name:
            first_outlet.setdefault(name, q.via[0])
    out = []
    for q in item.quotes:
        outlet = q.via[0] if q.via else first_outlet.get(_surname(q.speaker) or "")
        if not outlet and q.speaker and q.cue.casefold() in _CITES_A_REPORT and not _is_named(q.speaker):
            outlet = q.speaker  # "The Erie Times-News reports that ...": the cited report is the origin
        if not outlet:
            continue
        sentence = next((s for s in item.sentences if s.start <= q.cue_start < s.end), None)
        start, end = (sentence.start, sentence.end) if sentence else (q.cue_start, q.cue_end)
        out.append(
            RelayedStatement(
                q.content_start, q.content_end, q.speaker, outlet, Citation(item.article.id, start, end)
            )
        )
    return out


# ---------------------------------------------------------------- assigning origins


@dataclass(frozen=True, slots=True)
class Origins:
    """The origins of a story and which one each fused sentence and each article carries."""

    origins: tuple[Origin, ...]
    of_unit: tuple[str, ...]  # origin id per unit
    of_article: tuple[str, ...]  # origin id per article (all articles of the story)


def _is_named(speaker: str | None) -> bool:
    return _surname(speaker) is not None


def assign_origins(
    items: Sequence[Annotated],
    fused: Sequence[int],
    units: Sequence[Unit],
    sims: np.ndarray,
    lexical: np.ndarray | None = None,
    prints: Sequence[Fingerprint] | None = None,
    copied_from: Mapping[str, Article] | None = None,
) -> Origins:
    """Origins for a story's articles (`items`, in publication order) and for the fused sentences
    (`units`, whose `article` indexes `fused`). `sims` scores the units pairwise; `lexical` (their TF-IDF
    cosines) finds sentences copied word for word, which share the earlier one's origin. `copied_from`
    maps an article to the earlier article of another story that it is a near-copy of (the store's
    fingerprints): it then carries that article's origin."""
    same = _Aliases()
    articles = [x.article for x in items]
    n = len(articles)
    credits = [wire_credit(a) for a in articles]
    keys = [
        f"wire:{c[0].casefold()}" if c else f"outlet:{outlet_key(a)}"
        for a, c in zip(articles, credits, strict=True)
    ]
    elsewhere: dict[str, tuple[str, Citation]] = {}  # origin key -> name, evidence, for copies of others
    for i, a in enumerate(articles):
        other = (copied_from or {}).get(a.id)
        if other is None or credits[i]:
            continue
        credit = wire_credit(other)
        keys[i] = f"wire:{credit[0].casefold()}" if credit else f"outlet:{outlet_key(other)}"
        opening = other.text.lstrip().split("\n", 1)[0][:300]
        offset = len(other.text) - len(other.text.lstrip())
        elsewhere.setdefault(
            keys[i],
            (credit[0] if credit else outlet_name(other), Citation(other.id, offset, offset + len(opening))),
        )
    groups = _UnionFind(n)
    first_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in first_of:
            groups.union(first_of[key], i)
        first_of.setdefault(key, i)
    prints = list(prints) if prints is not None else [fingerprint(a.text) for a in articles]
    copies = near_copy_pairs(prints)
    for i, j in copies:
        groups.union(i, j)

    # One origin per group: a wire if any member is a credited wire copy, else the first article's outlet.
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(groups.find(i), []).append(i)
    records: dict[str, dict] = {}
    of_article = [""] * n
    for root, group in members.items():
        wired = [i for i in group if credits[i]]
        lead = wired[0] if wired else root
        origin_id = keys[lead]
        kind: OriginKind = "wire" if wired else "outlet"
        name = credits[lead][0] if credits[lead] else outlet_name(articles[lead])  # type: ignore[index]
        evidence = [credits[i][1] for i in wired]  # type: ignore[index]
        copied = {i for pair in copies for i in pair if i in group}
        for i in sorted(copied):
            if items[i].sentences:
                s = items[i].sentences[0]
                evidence.append(Citation(articles[i].id, s.start, s.end))
        if origin_id in elsewhere:
            name, first_line = elsewhere[origin_id]
            kind = "wire" if origin_id.startswith("wire:") else "outlet"
            evidence.append(first_line)
        records[origin_id] = {"name": name, "kind": kind, "articles": [], "evidence": evidence}
        for i in group:
            of_article[i] = origin_id

    # Sentences that relay a statement take the statement's origin.
    of_unit = [of_article[fused[u.article]] for u in units]
    by_article: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        by_article.setdefault(u.article, []).append(k)
    for fi, unit_ids in by_article.items():
        item = items[fused[fi]]
        statements = relayed_statements(item)
        relaying: dict[int, RelayedStatement] = {}
        for k in unit_ids:
            u = units[k]
            for st in statements:
                if st.start < u.end and u.start < st.end:
                    relaying[k] = st
                    break
        own_speakers = [
            (q.content_start, q.content_end) for q in item.quotes if _is_named(q.speaker) and not q.via
        ]
        direct = dict(relaying)
        first_statement = min(units[k].position for k in direct) if direct else None
        for k in unit_ids:
            if k in direct or not direct:
                continue
            u = units[k]
            if any(s < u.end and u.start < e for s, e in own_speakers if not _relays(item, s, e, statements)):
                continue  # a named person's own words, not the relayed statement
            best = max(direct, key=lambda r: sims[k, r])
            # The article's unattributed opening rests on the statement it goes on to relay.
            rests_on = (
                u.position == 0 and first_statement is not None and first_statement <= LEAD_RESTS_WITHIN
            )
            if sims[k, best] >= RELAY_THRESHOLD or rests_on:
                relaying[k] = direct[best]
        own = _squashed(articles[fused[fi]].outlet or "") + _squashed(outlet_key(articles[fused[fi]]))
        for k, st in relaying.items():
            if _squashed(_statement_key(st.outlet)) and _squashed(_statement_key(st.outlet)) in own:
                continue  # told to this very outlet: its own reporting
            key = f"statement:{_statement_key(st.outlet)}"
            if _surname(st.speaker):
                same.union(key, f"statement:{_surname(st.speaker)}")
            record = records.setdefault(
                key, {"name": "", "kind": "statement", "articles": [], "evidence": []}
            )
            if _is_named(st.speaker) and not record.get("named"):
                record["name"], record["named"] = f"{st.speaker} to {st.outlet}", True
            elif not record["name"]:
                record["name"] = f"{st.speaker or 'a source'} to {st.outlet}"
            if st.evidence not in record["evidence"]:
                record["evidence"].append(st.evidence)
            of_unit[k] = key
        # A named person's words, wherever they were said, are that person's statement: two outlets that
        # quote one spokesman relay one origin.
        for k in unit_ids:
            if k in relaying:
                continue
            quote = _speaking(item, units[k])
            surname = _surname(quote.speaker) if quote else None
            if quote is None or surname is None:
                continue
            key = f"statement:{surname}"
            record = records.setdefault(
                key, {"name": "", "kind": "statement", "articles": [], "evidence": []}
            )
            if len(quote.speaker or "") > len(record["name"]):
                record["name"] = quote.speaker
            sentence = next((s for s in item.sentences if s.start <= quote.cue_start < s.end), None)
            if sentence is not None:
                cited = Citation(item.article.id, sentence.start, sentence.end)
                if cited not in record["evidence"]:
                    record["evidence"].append(cited)
            of_unit[k] = key

    if lexical is not None:
        article_of = [u.article for u in units]
        for i, j in zip(*np.nonzero(np.triu(lexical >= COPIED_SENTENCE, k=1)), strict=True):
            if article_of[i] != article_of[j]:
                of_unit[j] = of_unit[i]
    # One record per origin: statements linked by a named speaker's words to an outlet are one.
    for key in list(records):
        alias_root = same.find(key)
        if alias_root != key:
            merged = records.setdefault(
                alias_root, {"name": "", "kind": "statement", "articles": [], "evidence": []}
            )
            mine = records.pop(key)
            if mine.get("named") and not merged.get("named") or not merged["name"]:
                merged["name"], merged["named"] = mine["name"], mine.get("named", False)
            merged["evidence"] += [e for e in mine["evidence"] if e not in merged["evidence"]]
    # A statement made to an outlet of this story is that outlet's reporting ("told NBC", in NBC's story).
    for key in [k for k in records if k.startswith("statement:")]:
        told = _squashed(key.removeprefix("statement:"))
        for i, article in enumerate(articles):
            if len(told) >= 3 and _squashed(outlet_key(article)).startswith(told):
                same.union(of_article[i], key)
                break
    for key in list(records):
        alias_root = same.find(key)
        if alias_root != key:
            blank: dict = {"name": "", "kind": "statement", "articles": [], "evidence": []}
            merged = records.setdefault(alias_root, blank)
            mine = records.pop(key)
            merged["evidence"] += [e for e in mine["evidence"] if e not in merged["evidence"]]
    of_unit = [same.find(k) for k in of_unit]
    of_article = [same.find(k) for k in of_article]

    carried: dict[str, list[str]] = {key: [] for key in records}
    for i, key in enumerate(of_article):
        carried[key].append(articles[i].id)
    for k, key in enumerate(of_unit):
        article_id = articles[fused[units[k].article]].id
        if article_id not in carried[key]:
            carried[key].append(article_id)
    origins = tuple(
        Origin(key, r["name"], r["kind"], tuple(carried[key]), tuple(r["evidence"]))
        for key, r in records.items()
        if carried[key]
    )
    return Origins(origins, tuple(of_unit), tuple(of_article))


class _Aliases:
    """Union-find over origin ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _squashed(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _speaking(item: Annotated, unit: Unit) -> Quote | None:
    """The quote that makes up most of a sentence, if one does."""
    length = max(1, unit.end - unit.start)
    for q in item.quotes:
        overlap = min(unit.end, q.content_end) - max(unit.start, q.content_start)
        if overlap >= QUOTED_SHARE * length:
            return q
    return None


def _relays(item: Annotated, start: int, end: int, statements: Sequence[RelayedStatement]) -> bool:
    return any(st.start == start and st.end == end for st in statements)
