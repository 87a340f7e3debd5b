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

Within an article, a sentence takes the origin of a statement it relays: a quote whose `via` chain or
"told" cue names the outlet the statement was first made to, or that belongs to a story statement made to
one (`story.statements`; a quote by the same speaker continues that statement), or a sentence of the same
article that states what such a quote says ("a senior Iranian security official was quoted as saying"
beside Shamkhani's words to Fars). A sentence that cites a report carries the report; a sentence that
says what a speaker said carries that speaker's statement, whoever printed it, the speaker known by the
name the story resolves it to, a longer name holding it, or a role's head (`SpeakerKeys`). Every other
sentence takes its article's origin. Once claims are formed, `settle_claim_origins` joins the origins of
a claim's sentences that share one text, that rest on a report another sentence of the claim names, or
that relay an outlet beside that outlet's own sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from newsfuse.clean.agencies import AGENCY, canonical_agency
from newsfuse.clean.outlet import outlet_from_dateline
from newsfuse.clean.registry import resolve_outlet
from newsfuse.fuse.align import Unit, _UnionFind
from newsfuse.fuse.entities import canonical_entities, normalise_name
from newsfuse.fuse.speakers import story_quotes
from newsfuse.fuse.statements import story_statements
from newsfuse.nlp.fingerprint import MINHASH_PERMUTATIONS, fingerprint
from newsfuse.types import (
    Annotated,
    Article,
    Citation,
    Fingerprint,
    Origin,
    OriginKind,
    Quote,
    SpeakerRef,
    Statement,
    StoryQuote,
)

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


# An article names a wire as a source of its account: "according to The Associated Press", "Reuters
# reported". "The Associated Press contributed to this report" is not one: the outlet reported too, and a
# sentence it took from the wire is a copy (`COPIED_SENTENCE`). A photo credit ("Handout via Reuters",
# "(AP Photo)") is none of these, and photo agencies write no stories.
_WIRE_SOURCE = re.compile(
    rf"\baccording to (?:[Tt]he )?(?P<after>{AGENCY})(?![\w-])"
    rf"|(?<![\w-])(?P<before>{AGENCY}) (?:reported|reports)\b"
)
_PHOTO_AGENCIES = frozenset(
    ("Getty Images", "Shutterstock", "Landov", "Alamy", "WireImage", "NurPhoto", "SIPA", "SWNS")
)


def wire_key(agency: str) -> str:
    return f"wire:{agency.casefold()}"


def wire_sources(article: Article) -> frozenset[str]:
    """The origin ids of the wires an article names as sources of its account."""
    found = set()
    for m in _WIRE_SOURCE.finditer(article.text):
        agency = canonical_agency(m.group("after") or m.group("before"))
        if agency and agency not in _PHOTO_AGENCIES:
            found.add(wire_key(agency))
    return frozenset(found)


# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class RelayedStatement:
    """A statement an article relays: the quote's span, its speaker as written and as a key (see
    `SpeakerKeys`), and the outlet it was first made to."""

    start: int
    end: int
    speaker: str | None
    outlet: str
    evidence: Citation
    key: str | None = None
    named: bool = False  # the speaker resolves to a name (not a role or an organisation's voice)


_CITES_A_REPORT = frozenset(("reports", "reported", "report", "according to"))
_NOT_OUTLET_WORDS = frozenset(("the", "news", "agency", "semi-official", "semiofficial", "official"))
_DOMAIN = re.compile(r"^([a-z0-9-]+)\.(?:[a-z]{2,}\.?)+$")
# "..., ABC News reports." and "according to the Erie Times-News": the sentence relays a cited report.
_NAME = r"[A-Z][\w.&'’-]*(?:\s+(?:of\s+)?[A-Z][\w.&'’-]*){0,4}"
_REPORT_CITATION = re.compile(
    rf",\s+(?:[Tt]he\s+)?(?P<end>{_NAME})\s+(?:reports|reported)\b[^,]{{0,40}}$"
    rf"|\baccording to (?:[Tt]he\s+)?(?P<after>{_NAME})"
    rf"|^(?:[Tt]he\s+)?(?P<start>{_NAME})\s+(?:reports|reported)\s+that\b"
)
# A speaker told an outlet: "..., the 58-year-old Horomanski told the Erie Times-News."
_TOLD = re.compile(rf"^\s+(?:[Tt]he\s+)?(?P<outlet>{_NAME})")
# Words that head no speaker of their own ("who confirmed the error").
_NO_SPEAKER = frozenset("who which that he she it they we i you his her their this these those".split())
_ROLE_END = re.compile(r",|\s(?:of|for|at|from|in|with|who|on|to)\s")


def _statement_key(outlet: str) -> str:
    """An outlet or a speaker as one key: "The Erie Times-News" and "Erie Times-News" are one, and a
    domain is its name ("ABC.net.au" -> "abc")."""
    domain = _DOMAIN.match(outlet.strip().casefold())
    if domain:
        return domain.group(1)
    words = [w for w in re.findall(r"[\w-]+", outlet.casefold()) if w not in _NOT_OUTLET_WORDS]
    return " ".join(words) or outlet.casefold()


def _role_key(role: str) -> str | None:
    """A role or an organisation's voice as a key: its head noun, singular, after the names that qualify
    it ("the event organisers, It's Time for Terrigal" -> "organiser", "a Delta spokesman" -> "delta
    spokesman"); None for a relative or personal pronoun."""
    phrase = _ROLE_END.split(" " + role.strip() + " ", maxsplit=1)[0].split()
    words = [w.strip("\"“”‘’'()") for w in phrase]
    words = [w for w in words if re.fullmatch(r"[^\W\d_][\w'’-]*", w)]
    if not words or words[-1].casefold() in _NO_SPEAKER:
        return None
    head = words[-1].casefold()
    if head.endswith("s") and not head.endswith(("ss", "us", "ics")) and len(head) > 3:
        head = head[:-1]
    names = [w.casefold() for w in words[1:-1] if w[:1].isupper()]
    return " ".join([*names, head])


def speaker_key(speaker: SpeakerRef | None) -> str | None:
    """What makes two quotes one speaker's: the canonical name the speaker resolves to, else a role's
    head; None for a pronoun left unresolved."""
    if speaker is None:
        return None
    if speaker.name:
        return _statement_key(normalise_name(speaker.name))
    if speaker.kind in ("role", "organisation", "unnamed"):
        return _role_key(speaker.text)
    return None


class SpeakerKeys:
    """The speaker keys of a story, with a name nested in a longer one taken as that one ("Zhu" and "Zhu
    Congpeng", "Dai" and "Xinyu Dai"), when only one longer name holds it."""

    def __init__(self, quotes: Sequence[StoryQuote], extra: Iterable[str] = ()):
        keys = {k for q in quotes if (k := speaker_key(q.speaker))} | set(extra)
        words = {k: frozenset(k.split()) for k in keys}
        self.longer: dict[str, str] = {}
        for k in keys:
            holders = [o for o in keys if o != k and words[k] < words[o]]
            longest = [o for o in holders if not any(words[o] < words[h] for h in holders)]
            if len(longest) == 1:
                self.longer[k] = longest[0]

    def of(self, speaker: SpeakerRef | None) -> str | None:
        return self.canonical(speaker_key(speaker))

    def canonical(self, key: str | None) -> str | None:
        return self.longer.get(key, key) if key else None


def _capitalised(speaker: str | None) -> bool:
    """A speaker as written that ends in a capitalised word ("Ali Shamkhani", not "the official")."""
    words = (speaker or "").split(",")[0].split()
    return bool(words) and words[-1][:1].isupper()


def _written_key(quote: Quote) -> str | None:
    """A key for a speaker known only as written (a quote without the speaker step's span and kind)."""
    if not quote.speaker or quote.speaker_kind is not None:
        return None
    if _capitalised(quote.speaker):
        return _statement_key(normalise_name(quote.speaker.split(",")[0]))
    return _role_key(quote.speaker)


def _quotes_of(item: Annotated) -> list[StoryQuote]:
    """An article's quotes as a story shows them, for an article read on its own."""
    return story_quotes([item], canonical_entities([item]))


def _told(item: Annotated, quote: Quote) -> str | None:
    """The outlet a "told" cue names right after it ("told the Erie Times-News"), if it names one."""
    if quote.cue.casefold() != "told":
        return None
    m = _TOLD.match(item.article.text[quote.cue_end : quote.cue_end + 80])
    return m.group("outlet").rstrip(".") if m else None


def cited_report(sentence: str) -> str | None:
    """The report a sentence cites as its source ("..., ABC News reports."), if it names one."""
    m = _REPORT_CITATION.search(sentence.strip())
    if not m:
        return None
    return (m.group("end") or m.group("after") or m.group("start")).rstrip(".")


def relayed_statements(
    item: Annotated,
    quotes: Sequence[StoryQuote] | None = None,
    told_to: Sequence[str | None] | None = None,
    keys: SpeakerKeys | None = None,
) -> list[RelayedStatement]:
    """The statements an article relays from the outlet they were made to: quotes with a `via` chain or a
    "told" cue naming an outlet, quotes of a story statement made to an outlet (`told_to`, one per quote:
    the statement's `origin`, so one statement relayed by several outlets is one origin), the further
    quotes of those speakers, and cited reports ("The Erie Times-News reports that ..."). `quotes` are
    the article's quotes as the story shows them (speakers resolved across the story), in the order of
    `item.quotes`."""
    shown = list(quotes) if quotes is not None else _quotes_of(item)
    written = [_written_key(q) for q in item.quotes]
    if keys is None or any(written):
        keys = SpeakerKeys(shown, [k for k in written if k])
    speaker_keys = [keys.of(ref.speaker) or keys.canonical(w) for ref, w in zip(shown, written, strict=True)]
    told = [
        (q.via[0] if q.via else None) or _told(item, q) or (told_to[i] if told_to else None)
        for i, q in enumerate(item.quotes)
    ]
    first_outlet: dict[str, str] = {}
    for key, outlet in zip(speaker_keys, told, strict=True):
        if key and outlet:
            first_outlet.setdefault(key, outlet)
    out = []
    for q, ref, key, outlet in zip(item.quotes, shown, speaker_keys, told, strict=True):
        outlet = outlet or (first_outlet.get(key) if key else None)
        speaker = ref.speaker
        cites = q.cue.casefold() in _CITES_A_REPORT and not (speaker and speaker.kind == "name")
        if not outlet and q.speaker and cites:
            outlet = q.speaker  # "The Erie Times-News reports that ...": the cited report is the origin
        if not outlet:
            continue
        sentence = next((s for s in item.sentences if s.start <= q.cue_start < s.end), None)
        start, end = (sentence.start, sentence.end) if sentence else (q.cue_start, q.cue_end)
        named = bool(speaker and speaker.name and speaker.kind in ("name", "pronoun", "role")) and (
            q.speaker_kind is not None or _capitalised(q.speaker)
        )
        out.append(
            RelayedStatement(
                q.content_start,
                q.content_end,
                q.speaker,
                outlet,
                Citation(item.article.id, start, end),
                key,
                named,
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
    # per unit: the sentence itself names the report or outlet its statement came through ("..., ABC News
    # reports.", "told Fars"), rather than resembling a sentence that does
    cites: tuple[bool, ...] = ()
    # per article: the wires it names as sources of its account (`wire_sources`)
    wires: tuple[frozenset[str], ...] = ()


def assign_origins(
    items: Sequence[Annotated],
    fused: Sequence[int],
    units: Sequence[Unit],
    sims: np.ndarray,
    lexical: np.ndarray | None = None,
    prints: Sequence[Fingerprint] | None = None,
    copied_from: Mapping[str, Article] | None = None,
    quotes: Sequence[StoryQuote] | None = None,
    statements: Sequence[Statement] | None = None,
) -> Origins:
    """Origins for a story's articles (`items`, in publication order) and for the fused sentences
    (`units`, whose `article` indexes `fused`). `sims` scores the units pairwise; `lexical` (their TF-IDF
    cosines) finds sentences copied word for word, which share the earlier one's origin. `copied_from`
    maps an article to the earlier article of another story that it is a near-copy of (the store's
    fingerprints): it then carries that article's origin. `quotes` are the story's quotes (`story_quotes`,
    in the order of `items` and their quotes), whose resolved speakers and statements say which
    sentences relay one statement (`statements`, from `story_statements`); without them they are read
    from `items`."""
    same = _Aliases()
    articles = [x.article for x in items]
    n = len(articles)
    credits = [wire_credit(a) for a in articles]
    outlet_keys = [outlet_key(a) for a in articles]
    keys = [wire_key(c[0]) if c else f"outlet:{key}" for key, c in zip(outlet_keys, credits, strict=True)]
    elsewhere: dict[str, tuple[str, Citation]] = {}  # origin key -> name, evidence, for copies of others
    for i, a in enumerate(articles):
        other = (copied_from or {}).get(a.id)
        if other is None or credits[i]:
            continue
        credit = wire_credit(other)
        keys[i] = wire_key(credit[0]) if credit else f"outlet:{outlet_key(other)}"
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
    cites = [False] * len(units)
    shown = list(quotes) if quotes is not None else story_quotes(items, canonical_entities(items))
    speakers = SpeakerKeys(shown)
    # One statement relayed by several outlets is one origin: each of its quotes was told to its outlet.
    told_to: list[str | None] = [None] * len(shown)
    if statements is None:
        statements = story_statements(shown, {a.id: a.outlet for a in articles})
    for statement in statements:
        for qi in statement.quotes:
            told_to[qi] = statement.origin
    first_quote = np.cumsum([0] + [len(x.quotes) for x in items]).tolist()
    by_article: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        by_article.setdefault(u.article, []).append(k)
    for fi, unit_ids in by_article.items():
        item = items[fused[fi]]
        span = slice(first_quote[fused[fi]], first_quote[fused[fi] + 1])
        article_quotes = shown[span]
        relayed = relayed_statements(item, article_quotes, told_to[span], speakers)
        quote_keys = [speakers.of(q.speaker) for q in article_quotes]
        relaying: dict[int, RelayedStatement] = {}
        for k in unit_ids:
            u = units[k]
            for st in relayed:
                if st.start < u.end and u.start < st.end:
                    relaying[k] = st
                    break
        own_speakers = [
            (q.content_start, q.content_end)
            for q, ref in zip(item.quotes, article_quotes, strict=True)
            if ref.speaker is not None and ref.speaker.name and not q.via
        ]
        direct = dict(relaying)
        first_statement = min(units[k].position for k in direct) if direct else None
        for k in unit_ids:
            if k in direct or not direct:
                continue
            u = units[k]
            if any(s < u.end and u.start < e for s, e in own_speakers if not _relays(item, s, e, relayed)):
                continue  # a named person's own words, not the relayed statement
            best = max(direct, key=lambda r: sims[k, r])
            # The article's unattributed opening rests on the statement it goes on to relay.
            rests_on = (
                u.position == 0 and first_statement is not None and first_statement <= LEAD_RESTS_WITHIN
            )
            if rests_on:  # on the first statement it relays, not the one its words are most like
                relaying[k] = direct[min(direct, key=lambda r: units[r].position)]
            elif sims[k, best] >= RELAY_THRESHOLD:
                relaying[k] = direct[best]
        own = _squashed(articles[fused[fi]].outlet or "") + _squashed(outlet_keys[fused[fi]])
        for k, st in relaying.items():
            if _told_here(st.outlet, own):
                continue
            key = f"statement:{_statement_key(st.outlet)}"
            if st.key:
                same.union(key, f"statement:{st.key}")
            record = records.setdefault(
                key, {"name": "", "kind": "statement", "articles": [], "evidence": []}
            )
            if st.named and not record.get("named"):
                record["name"], record["named"] = f"{st.speaker} to {st.outlet}", True
            elif not record["name"]:
                as_report = st.speaker is None or _statement_key(st.speaker) == _statement_key(st.outlet)
                record["name"] = st.outlet if as_report else f"{st.speaker} to {st.outlet}"
            if st.evidence not in record["evidence"]:
                record["evidence"].append(st.evidence)
            of_unit[k] = key
            cites[k] = k in direct
        # A sentence that says what a speaker said ("The organiser said ...", "'...,' Dai said") carries that
        # speaker's statement, whoever printed it: two outlets that quote one spokesman relay one origin. A
        # sentence that cites a report ("..., ABC News reports.") carries the report.
        for k in unit_ids:
            if k in relaying:
                continue
            u = units[k]
            report = cited_report(item.article.text[u.start : u.end])
            if report is not None and _told_here(report, own):
                report = None
            said = _attributed(item, article_quotes, quote_keys, u)
            speaker = speakers.of(said.speaker) if said is not None else None
            if report is None and speaker is None:
                continue
            agency = canonical_agency(report) if report else None
            if agency:  # "..., according to The Associated Press": the wire's story
                key = wire_key(agency)
            else:
                key = f"statement:{_statement_key(report)}" if report else f"statement:{speaker}"
            if report and speaker:
                same.union(key, f"statement:{speaker}")
            record = records.setdefault(
                key, {"name": "", "kind": "wire" if agency else "statement", "articles": [], "evidence": []}
            )
            written = report or (said.speaker.name or said.speaker.text if said and said.speaker else "")
            if len(written) > len(record["name"]):
                record["name"] = written
            cited = Citation(item.article.id, u.start, u.end)
            if cited not in record["evidence"]:
                record["evidence"].append(cited)
            of_unit[k] = key
            cites[k] = report is not None

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
    reporting = [_squashed(_statement_key(k)) for k in outlet_keys]  # "the guardian" -> "guardian"
    for key in [k for k in records if k.startswith("statement:")]:
        told = _squashed(key.removeprefix("statement:"))
        for i, outlet in enumerate(reporting):
            if len(told) >= 3 and outlet.startswith(told):
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
    return Origins(
        origins, tuple(of_unit), tuple(of_article), tuple(cites), tuple(wire_sources(a) for a in articles)
    )


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


def _told_here(outlet: str, own: str) -> bool:
    """True for a statement told to, or a report by, the reporting outlet itself (`own`, squashed):
    that is its own reporting."""
    squashed = _squashed(_statement_key(outlet))
    return bool(squashed) and squashed in own


def _squashed(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _attributed(
    item: Annotated, quotes: Sequence[StoryQuote], keys: Sequence[str | None], unit: Unit
) -> StoryQuote | None:
    """The quote of a known speaker (`keys`, one per quote) that a sentence reports: its cue is in the
    sentence and its words overlap it, or its words make up most of the sentence."""
    length = max(1, unit.end - unit.start)
    for q, shown, key in zip(item.quotes, quotes, keys, strict=True):
        if key is None:
            continue
        overlap = min(unit.end, q.content_end) - max(unit.start, q.content_start)
        if overlap >= QUOTED_SHARE * length or (overlap > 0 and unit.start <= q.cue_start < unit.end):
            return shown
    return None


def _relays(item: Annotated, start: int, end: int, statements: Sequence[RelayedStatement]) -> bool:
    return any(st.start == start and st.end == end for st in statements)


# ---------------------------------------------------------------- origins within a claim

# Two sentences share one text when the other holds, in order, this share of the words of a quoted
# fragment of one (at least QUOTED_WORDS words: "“avoid a potential distraction”"), or when they share
# SHARED_RUN words in a row.
QUOTED_WORDS = 3
QUOTED_SHARE_HELD = 0.6
SHARED_RUN = 10
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]|(?<!\w)[‘']([^‘’']+)[’'](?!\w)")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _longest_run(a: Sequence[str], b: Sequence[str]) -> int:
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size


def _held_in_order(a: Sequence[str], b: Sequence[str]) -> int:
    """How many words of `a` `b` holds in the same order (a spelling apart: "analysed", "analyzed")."""
    return sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def same_words(a: str, b: str) -> bool:
    """True when two sentences share one text: a quoted fragment of one in the other's words ("to “avoid
    a potential distraction”" and the spokesman's "... to avoid a potential distraction during flight"),
    or SHARED_RUN words in a row (one caption, one tweet)."""
    wa, wb = _words(a), _words(b)
    if _longest_run(wa, wb) >= SHARED_RUN:
        return True
    for text, other in ((a, wb), (b, wa)):
        for m in _QUOTED.finditer(text):
            fragment = _words(m.group(1) or m.group(2))
            if len(fragment) >= QUOTED_WORDS and _held_in_order(fragment, other) >= QUOTED_SHARE_HELD * len(
                fragment
            ):
                return True
    return False


def settle_claim_origins(
    origins: Origins,
    claims: Sequence[Sequence[int]],
    units: Sequence[Unit],
    texts: Sequence[str],
    article_ids: Sequence[str],
    article_origins: Sequence[str] | None = None,
    article_wires: Sequence[frozenset[str]] | None = None,
) -> Origins:
    """The origins of each claim's sentences, now that the claims are known: two sentences of a claim that
    share one text (`same_words`) share one origin, a statement's if either carries one; and a sentence an
    article gives as its own reporting takes a statement the same article relays elsewhere, when another
    sentence of the claim carries that statement (the article's account rests on it: "..., ABC News
    reports." in one outlet and ABC's figures unattributed in another that cites ABC). `article_ids`
    names the fused articles (`Unit.article`), `article_origins` their origins (`Origins.of_article`).
    A sentence of an article that names a wire as a source (`article_wires`, `Origins.wires` of the fused
    articles) takes that wire's origin when the wire's own copy is in the claim: the article rewrote
    the wire's story ("..., according to The Associated Press" in a story told in its own words)."""
    kind = {o.id: o.kind for o in origins.origins}
    of_unit = list(origins.of_unit)
    cites = origins.cites or (False,) * len(units)
    relayed_in: dict[int, set[str]] = {}  # fused article -> the reports and outlets it names as sources
    for k, u in enumerate(units):
        if cites[k]:
            relayed_in.setdefault(u.article, set()).add(of_unit[k])
    evidence: dict[str, list[Citation]] = {}
    for members in claims:
        ordered = sorted(members, key=lambda m: (units[m].article, m))
        if len({of_unit[m] for m in ordered}) < 2:
            continue
        for x, a in enumerate(ordered):
            for b in ordered[x + 1 :]:
                if of_unit[a] == of_unit[b] or not same_words(texts[a], texts[b]):
                    continue
                keep, drop = of_unit[a], of_unit[b]
                if kind.get(drop) == "statement" and kind.get(keep) != "statement":
                    keep, drop = drop, keep
                for m in ordered:
                    if of_unit[m] == drop:
                        of_unit[m] = keep
                        u = units[m]
                        evidence.setdefault(keep, []).append(Citation(article_ids[u.article], u.start, u.end))
        # A sentence that relays another outlet's reporting ("..., he told the Guardian") and that outlet's
        # own sentence are one origin: the outlet's sentence is the original.
        if article_origins is not None:
            for m in ordered:
                told = of_unit[m]
                if told == article_origins[units[m].article]:
                    continue
                for n in ordered:
                    if article_origins[units[n].article] == told and of_unit[n] != told:
                        of_unit[n] = told
        present = {of_unit[m] for m in ordered if cites[m]}
        for m in ordered:
            if kind.get(of_unit[m]) == "statement":
                continue
            rests_on = sorted(relayed_in.get(units[m].article, set()) & present)
            if rests_on:
                of_unit[m] = max(rests_on, key=lambda o: sum(of_unit[n] == o for n in ordered))
        if article_wires is not None:
            wires = {of_unit[m] for m in ordered if kind.get(of_unit[m]) == "wire"}
            for m in ordered:
                named = sorted((article_wires[units[m].article] & wires) - {of_unit[m]})
                if named:
                    of_unit[m] = named[0]
    carried: dict[str, list[str]] = {o.id: list(o.articles) for o in origins.origins}
    for k, u in enumerate(units):
        if article_ids[u.article] not in carried[of_unit[k]]:
            carried[of_unit[k]].append(article_ids[u.article])
    settled = tuple(
        Origin(
            o.id,
            o.name,
            o.kind,
            tuple(carried[o.id]),
            o.evidence + tuple(dict.fromkeys(e for e in evidence.get(o.id, ()) if e not in o.evidence)),
        )
        for o in origins.origins
    )
    return Origins(settled, tuple(of_unit), origins.of_article, origins.cites, origins.wires)
