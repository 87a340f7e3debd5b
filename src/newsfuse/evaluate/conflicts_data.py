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
among the pairs of sentences of two articles of one event: every pair the detector flags whose alignment
score (`fuse.align.score_sentences`) reaches FLAGGED_SCORE (so precision is measured on all it says
there), and among the pairs that reach CANDIDATE_SCORE a few per event that only a looser test flags
(figures of one kind of thing with other values, or a negation word in one only: what the detector may
miss), and now and then a plain pair. Each was then labelled by reading it (`kind`: number, date,
negation or none; `relation`: disagree or update) into LABELS. Real disagreements are rare in these sets
(a few in a hundred aligned pairs), so the set holds far fewer than a third, and recall on it is an upper
bound: a conflict that neither test flags is not in the set.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsfuse.evaluate.claims_data import sentence_hash
from newsfuse.evaluate.cluster_data import giveme5w1h_records, neus_records

LABELS = Path(__file__).resolve().parent / "labels" / "conflict_pairs.jsonl"
DATA = Path("../shared/data")
SEEDS = Path("../shared/seeds")
CANDIDATE_SCORE = 0.6  # fusion's corroboration_threshold: what joins sentences of two origins
FLAGGED_SCORE = 0.5  # pairs the detector flags are drawn from a wider band, for more of them
SEED = 7


@dataclass(frozen=True, slots=True)
class Document:
    """A source text a label can point into: `key` as labels name it, `group` its event."""

    key: str
    group: str
    text: str
    published: datetime | None


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


def _crude_difference(a: str, b: str) -> bool:
    """The sampler's test, looser than the detector's on purpose: figures of one kind of thing (as
    `quantities` reads them) with other values, rounding and ranges included, or a negation word in one
    sentence only."""
    from newsfuse.fuse.quantities import quantities, same_thing

    qa, qb = quantities(a), quantities(b)
    values = any(same_thing(x, y) and (x.low, x.high) != (y.low, y.high) for x in qa for y in qb)
    negation = {"not", "no", "never", "n't", "denied", "none", "nobody"}
    na = bool(negation & set(a.lower().replace("n't", " n't").split()))
    nb = bool(negation & set(b.lower().replace("n't", " n't").split()))
    return values or na != nb


def sample(documents: dict[str, Document], per_group: int = 2, plain_share: float = 0.25) -> Iterator[dict]:
    """Candidate pairs of each event, each marked with why it was drawn (`drawn`): every pair the
    detector flags (`detector`: what precision is measured on), up to `per_group` pairs only the crude
    test flags (`crude`: conflicts the detector may miss), and now and then one plain pair (`plain`)."""
    from newsfuse.fuse.align import score_sentences
    from newsfuse.fuse.conflicts import day_dates
    from newsfuse.fuse.relate import compare
    from newsfuse.nlp.pipeline import Annotator
    from newsfuse.types import Article, Provenance

    rng = random.Random(SEED)
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
        flagged: list[tuple[int, int]] = []
        differing: list[tuple[int, int]] = []
        plain: list[tuple[int, int]] = []
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                if units[i][0].key == units[j][0].key or sims[i, j] < FLAGGED_SCORE or sims[i, j] > 0.995:
                    continue
                (da, sa, ea), (db, sb, eb) = units[i], units[j]
                days_a = day_dates(annotated[da.key].timexes, sa, ea)
                days_b = day_dates(annotated[db.key].timexes, sb, eb)
                if compare(texts[i], texts[j], da.published, db.published, days_a, days_b):
                    flagged.append((i, j))
                elif sims[i, j] < CANDIDATE_SCORE:
                    continue
                elif _crude_difference(texts[i], texts[j]):
                    differing.append((i, j))
                else:
                    plain.append((i, j))
        chosen = [(p, "detector") for p in flagged]
        chosen += [(p, "crude") for p in rng.sample(differing, min(per_group, len(differing)))]
        if plain and rng.random() < plain_share:
            chosen.append((rng.choice(plain), "plain"))
        for (i, j), drawn in chosen:
            (da, sa, ea), (db, sb, eb) = units[i], units[j]
            yield {
                "group": group,
                "drawn": drawn,
                "a": [da.key, sa, ea, sentence_hash(texts[i])],
                "b": [db.key, sb, eb, sentence_hash(texts[j])],
                "score": round(float(sims[i, j]), 3),
                "texts": [texts[i], texts[j]],  # for the person labelling; never written to LABELS
            }


def main(argv: list[str]) -> None:
    if argv[:1] == ["sample"] and len(argv) == 2:
        pairs = list(sample(load_documents()))
        with open(argv[1], "w", encoding="utf-8") as out:
            for pair in pairs:
                out.write(json.dumps(pair, ensure_ascii=False) + "\n")
        print(f"wrote {len(pairs)} candidate pairs to {argv[1]}")
    else:
        print("usage: python -m newsfuse.evaluate.conflicts_data sample OUT.jsonl", file=sys.stderr)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
