"""The labelled conflict pairs: sentences of two sources on one event, by reference, and their sampler.

The repository holds no article prose (the seeds excepted, which may be copied). A pair names each sentence
by its document key and character offsets, plus a short hash of its words (`claims_data.sentence_hash`),
and the texts are rebuilt from ../shared on every run:

- `giveme5w1h_news_cluster`: key = the file name without `.json`; offsets into the cleaned text, as
  `newsfuse run` cleans it; its publication time is the article's;
- `neus_allsides_mds`: key = `neus-val-<line>-<n>` (the record id `cluster_data.neus_records` gives);
  offsets into the record's text; no publication time;
- the seeds: key = the file name without `.txt`; offsets into the cleaned text.

`python -m newsfuse.evaluate.conflicts_data sample OUT.jsonl` draws the candidates reproducibly (seed 7)
among the pairs of sentences of two articles of one event, by plain cues that are not the detector
(`cues`): figures of one unit and one head word with other values (rounding and ranges included),
two different calendar days, or a negation word in one sentence whose next words the other sentence
holds; plus every other aligned pair the detector flags, and now and then a plain pair. Each was then
labelled by reading both sentences and, for the relation, the two publication times (`kind`: number,
date, negation or none; `relation`: disagree or update; "none" for rounding, ranges and bounds the
other value respects, different facts that share a number, and different subjects). Pairs whose
meaning could not be settled by reading them were left out. The first 177 labels came from an earlier,
detector-led draw (`drawn`: detector, crude, plain); the seeds' pairs (`drawn`: seeds) were chosen by
hand: the Fars "have not had refueling operations" sentence and the other seed's airspace sentences.
Real disagreements are rare among aligned sentences of these sets, so the whole set holds far fewer than
a third (the eval's core set, `evaluate.conflicts.core_pairs`, is a third real), and recall on it is an
upper bound: a conflict that no cue flags is not in the set.

`... conflicts_data sample --loose OUT.jsonl` is a second, looser draw (`sample_loose`, `drawn`:
"cue-loose:number", "cue-loose:date"), for the updates told in other words that align below the cue
bars: pairs whose figures share a unit and count one thing (`loose_cues`) from an alignment score of
0.15, and pairs naming two different calendar days from 0.55, less the pairs the first draw takes and
those already labelled; the detector plays no part in it. Run against the 676 earlier labels it drew 439
pairs (326 by its first rule, 113 more once a running-count word near each figure counted too: "killed" /
"dead"); 116 of them were labelled, by the same rules: 35 number updates (tolls and injured counts as
they grew: 77, 80, 84 dead; "at least five" then "at least seven"; a 19-point gap become 12; seats
projected 157, taken 156), 1 disagreement (a boy of five / six) and 80 "none" that a reader could take
for one quantity (a toll restated, a floor the other figure respects, a subset: 20 of the injured at one
hospital, a toll that counts the attacker). The other drawn pairs, plainly other facts (other
shootings named for comparison, years of a career), were not written, and a few that reading could not
settle (a social-media post's toll; hospital intake against the injured) were left out.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from newsfuse.evaluate.claims_data import sentence_hash
from newsfuse.evaluate.cluster_data import giveme5w1h_records, neus_records

LABELS = Path(__file__).resolve().parent / "labels" / "conflict_pairs.jsonl"
DATA = Path("../shared/data")
SEEDS = Path("../shared/seeds")
SEED = 7


@dataclass(frozen=True, slots=True)
class Document:
    """A source text a label can point into: `key` as labels name it, `group` its event."""

    key: str
    group: str
    text: str
    published: datetime | None


SentenceRef = tuple[Document, int, int]  # a sentence: its document and character span


def giveme5w1h_documents(folder: Path) -> list[Document]:
    from newsfuse.pipeline import read_articles

    event_of = {r["id"]: r["gold_story"] for r in giveme5w1h_records(folder)}
    read = read_articles(sorted(folder.glob("*.json")), progress=False)
    return [
        Document(
            Path(a.provenance.source).stem,
            f"g5-{event_of[Path(a.provenance.source).stem]}",
            a.text,
            a.published,
        )  # fmt: skip
        for a in read.articles
    ]


def neus_documents(path: Path) -> list[Document]:
    return [
        Document(str(r["id"]), f"neus-{r['gold_story']}", str(r["text"]), None)
        for r in neus_records(path)
        if r["text"]
    ]


def seed_documents(folder: Path) -> list[Document]:
    from newsfuse.pipeline import read_articles

    read = read_articles(sorted(folder.glob("*.txt")), progress=False)
    return [Document(Path(a.provenance.source).stem, "seeds", a.text, a.published) for a in read.articles]


def load_documents(data: Path = DATA, seeds: Path = SEEDS, sets: Sequence[str] = ()) -> dict[str, Document]:
    """Every document a label may name, by key; `sets` limits which sets are read (all when empty)."""
    loaders = {
        "giveme5w1h": lambda: giveme5w1h_documents(data / "giveme5w1h_news_cluster"),
        "neus": lambda: neus_documents(data / "neus_allsides_mds" / "val.source"),
        "seeds": lambda: seed_documents(seeds),
    }
    out: dict[str, Document] = {}
    for name, load in loaders.items():
        if not sets or name in sets:
            out.update({d.key: d for d in load()})
    return out


def set_of(key: str) -> str:
    return "neus" if key.startswith("neus-") else "seeds" if "_" in key else "giveme5w1h"


def resolve(ref: Sequence[object], documents: dict[str, Document]) -> tuple[Document, int, int]:
    """The document and span a reference names; ValueError when the document is missing or its words
    changed (a change in cleaning: the label must be redone, not scored against other words)."""
    key, start, end, digest = ref
    doc = documents.get(str(key))
    if doc is None:
        raise ValueError(f"labelled document {key} is not in the data")
    assert isinstance(start, int) and isinstance(end, int)
    if sentence_hash(doc.text[start:end]) != digest:
        raise ValueError(f"labelled sentence {key}:{start}-{end} no longer has the words it was labelled on")
    return doc, start, end


# ---------------------------------------------------------------- the sampler


# Cues of a difference between two sentences, each looser than the detector's and none of them the
# detector: the sampler draws every aligned pair with one, so what the detector misses is in the set.
_NEGATION_WORDS = frozenset(
    "not no never n't none nobody nothing neither nor cannot denied denies deny".split()
)
# The alignment score (`fuse.align.score_sentences`) a pair with a number cue reaches; one whose figures
# count a toll, arrests, votes (what a developing story updates); a pair with a date or negation cue
# (fusion's corroboration_threshold: such cues are many).
NUMBER_CUE_SCORE = 0.5
RUNNING_CUE_SCORE = 0.35
CUE_SCORE = 0.6


def _words(text: str) -> list[str]:
    return text.lower().replace("’", "'").replace("n't", " n't").split()


def cues(a: str, b: str, days_a: Sequence[str], days_b: Sequence[str], score: float) -> list[str]:
    """Why a pair of aligned sentences may disagree, by plain cues: `number` when each holds a figure
    of one unit and one head word (what `quantities` says it counts: "three soldiers" / "five
    soldiers") with other values, rounding and ranges included (at a lower alignment score when the
    figures count what a developing story updates: the dead, arrests); `date` when each names a calendar day
    and the days differ; `negation` when one holds more negation words and a content word within three
    words after one of them is in the other sentence."""
    from newsfuse.fuse.quantities import RUNNING_COUNTS, quantities, stems

    found = []
    qa, qb = quantities(a), quantities(b)
    differ = [
        (x, y)
        for x in qa
        for y in qb
        if x.unit == y.unit and x.head and x.head == y.head and (x.low, x.high) != (y.low, y.high)
    ]
    running = any((x.near & y.near) & RUNNING_COUNTS for x, y in differ)
    if differ and (score >= NUMBER_CUE_SCORE or running and score >= RUNNING_CUE_SCORE):
        found.append("number")
    if score < CUE_SCORE:
        return found
    if days_a and days_b and set(days_a) != set(days_b):
        found.append("date")
    wa, wb = _words(a), _words(b)
    na, nb = sum(w in _NEGATION_WORDS for w in wa), sum(w in _NEGATION_WORDS for w in wb)
    if na != nb:
        more, other = (wa, b) if na > nb else (wb, a)
        cued = [" ".join(more[i + 1 : i + 4]) for i, w in enumerate(more) if w in _NEGATION_WORDS]
        after = {t for words in cued for t in stems(words)}
        if after & set(stems(other)):
            found.append("negation")
    return found


def _events(
    documents: dict[str, Document],
) -> Iterator[tuple[str, list[SentenceRef], list[str], np.ndarray, list]]:
    """Each event's sentences of 40 characters or more (document, start, end), their texts, the alignment
    scores of every pair (`fuse.align.score_sentences`) and the calendar days each names."""
    from newsfuse.fuse.align import score_sentences
    from newsfuse.fuse.conflicts import day_dates
    from newsfuse.nlp.pipeline import Annotator
    from newsfuse.types import Article, Provenance

    groups: dict[str, list[Document]] = {}
    for doc in documents.values():
        groups.setdefault(doc.group, []).append(doc)
    articles = [
        Article(d.key, "", d.text, Provenance(d.key, "txt"), published=d.published)
        for d in documents.values()
    ]
    annotated = {x.article.id: x for x in Annotator().annotate(articles)}
    for group, docs in sorted(groups.items()):
        if len(docs) < 2:
            continue
        units = [
            (d, s.start, s.end) for d in docs for s in annotated[d.key].sentences if s.end - s.start >= 40
        ]
        texts = [d.text[s:e] for d, s, e in units]
        if len(units) < 2:
            continue
        sims = score_sentences(texts, 0.4).sims
        days = [day_dates(annotated[d.key].timexes, s, e, d.text) for d, s, e in units]
        yield group, units, texts, sims, days


def _candidate(
    group: str, drawn: str, units: list[SentenceRef], texts: list[str], sims: np.ndarray, i: int, j: int
) -> dict:
    (da, sa, ea), (db, sb, eb) = units[i], units[j]
    return {
        "group": group,
        "drawn": drawn,
        "a": [da.key, sa, ea, sentence_hash(texts[i])],
        "b": [db.key, sb, eb, sentence_hash(texts[j])],
        "score": round(float(sims[i, j]), 3),
        "texts": [texts[i], texts[j]],  # for the person labelling; never written to LABELS
    }


def sample(documents: dict[str, Document], plain_share: float = 0.1) -> Iterator[dict]:
    """Candidate pairs of each event, each marked with why it was drawn (`drawn`): every pair of
    sentences of two articles that aligns (NUMBER_CUE_SCORE, CUE_SCORE) and shows a cue (`cues`: "cue:number",
    ...), every other aligned pair the detector flags (`detector`), and now and then a plain aligned
    pair (`plain`)."""
    from newsfuse.fuse.relate import compare

    rng = random.Random(SEED)
    for group, units, texts, sims, days in _events(documents):
        chosen: list[tuple[int, int, str]] = []
        plain: list[tuple[int, int]] = []
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                score = float(sims[i, j])
                if units[i][0].key == units[j][0].key or score < RUNNING_CUE_SCORE or texts[i] == texts[j]:
                    continue
                found = cues(texts[i], texts[j], [d for d, *_ in days[i]], [d for d, *_ in days[j]], score)
                if found:
                    chosen.append((i, j, "cue:" + "+".join(found)))
                    continue
                (da, *_), (db, *_) = units[i], units[j]
                if score < NUMBER_CUE_SCORE:
                    continue
                if compare(texts[i], texts[j], da.published, db.published, days[i], days[j]):
                    chosen.append((i, j, "detector"))
                else:
                    plain.append((i, j))
        if plain and rng.random() < plain_share:
            chosen.append((*rng.choice(plain), "plain"))
        for i, j, drawn in chosen:
            yield _candidate(group, drawn, units, texts, sims, i, j)


# The loose draw: updates are often worded apart ("the gap ... to just 12 points" / "19 points clear"),
# so they align below the cue bars above. It draws, down to LOOSE_NUMBER_SCORE, pairs whose figures
# share a unit and count the same thing by another test than `cues`: one running-count word near both
# (killed, arrested, votes...), or one head stem and either a running-count word near each ("84 people
# killed" / "70 people are dead") or one more content stem near both ("hours" and "search"); a head stem
# alone drew some 1,800 pairs of this development data, nearly all other facts.
# Pairs naming two different calendar days are drawn from LOOSE_DATE_SCORE (below that they are mostly
# two reports' own days: over 4,000 pairs from 0.3).
LOOSE_NUMBER_SCORE = 0.15
LOOSE_DATE_SCORE = 0.55


def loose_cues(a: str, b: str, days_a: Sequence[str], days_b: Sequence[str], score: float) -> list[str]:
    """`number` when a figure of each shares a unit, the values differ and both count one thing (one
    running-count word near both, or one head stem and a running-count word near each or another content
    stem near both); `date` when each names calendar days and they differ."""
    from newsfuse.fuse.quantities import RUNNING_COUNTS, quantities

    found = []
    if score >= LOOSE_NUMBER_SCORE and any(
        x.unit == y.unit
        and (x.low, x.high) != (y.low, y.high)
        and (
            (x.near & y.near) & RUNNING_COUNTS
            or x.head
            and x.head == y.head
            and (x.near & RUNNING_COUNTS and y.near & RUNNING_COUNTS or (x.near & y.near) - {x.head})
        )
        for x in quantities(a)
        for y in quantities(b)
    ):
        found.append("number")
    if score >= LOOSE_DATE_SCORE and days_a and days_b and set(days_a) != set(days_b):
        found.append("date")
    return found


def _pair_key(pair: dict) -> frozenset[tuple[str, int, int]]:
    return frozenset(tuple(pair[side][:3]) for side in ("a", "b"))


def sample_loose(documents: dict[str, Document], labelled: Sequence[dict] = ()) -> Iterator[dict]:
    """The loose draw (`drawn`: "cue-loose:number", ...): every pair of sentences of two articles of one
    event that `cues` does not draw and `loose_cues` does, less the pairs already `labelled` (the same
    two sentences, either order). The detector plays no part in it."""
    seen = {_pair_key(p) for p in labelled}
    for group, units, texts, sims, days in _events(documents):
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                score = float(sims[i, j])
                if units[i][0].key == units[j][0].key or score < LOOSE_NUMBER_SCORE or texts[i] == texts[j]:
                    continue
                day_a, day_b = [d for d, *_ in days[i]], [d for d, *_ in days[j]]
                if score >= RUNNING_CUE_SCORE and cues(texts[i], texts[j], day_a, day_b, score):
                    continue  # the first draw's
                found = loose_cues(texts[i], texts[j], day_a, day_b, score)
                if found:
                    pair = _candidate(group, "cue-loose:" + "+".join(found), units, texts, sims, i, j)
                    if _pair_key(pair) not in seen:
                        yield pair


def main(argv: list[str]) -> None:
    if argv[:1] == ["sample"] and len(argv) == 2 or argv[:2] == ["sample", "--loose"] and len(argv) == 3:
        documents = load_documents()
        if argv[1] == "--loose":
            labelled = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line]
            pairs = list(sample_loose(documents, labelled))
        else:
            pairs = list(sample(documents))
        with open(argv[-1], "w", encoding="utf-8") as out:
            for pair in pairs:
                out.write(json.dumps(pair, ensure_ascii=False) + "\n")
        print(f"wrote {len(pairs)} candidate pairs to {argv[-1]}")
    else:
        print("usage: python -m newsfuse.evaluate.conflicts_data sample [--loose] OUT.jsonl", file=sys.stderr)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
