"""The labelled fusion sets: sentence pairs and claims of giveme5w1h development stories, by reference.

The repository holds no article prose. A label names an article by its giveme5w1h file name (without
`.json`) and a sentence by character offsets into that article's cleaned text, plus a short hash of the
sentence so a change in cleaning or sentence splitting is caught instead of scoring the wrong words. The
texts are rebuilt from ../shared/data/giveme5w1h_news_cluster on every run.

The development stories are the gold events in DEV_EVENTS (12 of the set's 69, drawn with seed 7 among
events of 3-6 articles: `python -m newsfuse.evaluate.claims_data events`). Held-out stories check that
the claim-status figures hold on stories the rules were not chosen on: HELDOUT_DRAWS, 3 events each,
drawn from the other events of those sizes (`... events --heldout SEED`). Draw 11 was labelled after the
rules were chosen, and one rule (a sentence relaying an outlet and that outlet's own sentence are one
origin) was added after reading its errors; draw 12 was drawn and labelled after that, and read only
then. The coverage gate and the wire-source rule (issue 7's third round) were made after reading the wrong
`corroborated` claims of the development stories and of both draws. The pair candidates are drawn
reproducibly by `python -m newsfuse.evaluate.claims_data pairs OUT.jsonl`, which also prints the two
sentences of each for labelling: across every level of similarity, not only the easy ones (see
`sample_pairs`).
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsfuse.evaluate.cluster_data import giveme5w1h_records
from newsfuse.types import Annotated

LABELS = Path(__file__).resolve().parent / "labels"
PAIR_LABELS = LABELS / "sentence_pairs.jsonl"
CLAIM_LABELS = LABELS / "claims.jsonl"
# same: the two sentences state one fact; contradicts: one fact, a different value; related: the same
# topic, a different fact; unrelated.
PAIR_KINDS = ("same", "contradicts", "related", "unrelated")
DEV_SEED = 7
DEV_SIZES = range(3, 7)
DEV_COUNT = 12
DEV_EVENTS = (3, 5, 6, 9, 14, 33, 37, 39, 47, 51, 55, 60)
# Held-out stories, by the seed that drew them: HELDOUT_COUNT events of DEV_SIZES articles each, from
# those in no earlier draw and not in DEV_EVENTS (see the module's docstring for what each was used for).
HELDOUT_COUNT = 3
HELDOUT_DRAWS: dict[int, tuple[int, ...]] = {11: (46, 53, 71), 12: (22, 52, 69)}
HELDOUT_CLAIM_LABELS = LABELS / "claims_heldout.jsonl"


def choose_events(folder: str | Path, heldout: int | None = None) -> list[int]:
    """The development events: DEV_COUNT events of DEV_SIZES articles, drawn with DEV_SEED; or, with
    `heldout` (a seed), HELDOUT_COUNT of the events of those sizes in no earlier draw."""
    sizes: dict[int, int] = defaultdict(int)
    for record in giveme5w1h_records(folder):
        sizes[record["gold_story"]] += 1
    pool = sorted(e for e, n in sizes.items() if n in DEV_SIZES)
    if heldout is None:
        return sorted(random.Random(DEV_SEED).sample(pool, DEV_COUNT))
    drawn = set(DEV_EVENTS).union(*(events for seed, events in HELDOUT_DRAWS.items() if seed < heldout))
    rest = [e for e in pool if e not in drawn]
    return sorted(random.Random(heldout).sample(rest, HELDOUT_COUNT))


def sentence_hash(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:10]


def load_events(folder: str | Path, events: Sequence[int] = DEV_EVENTS) -> dict[int, list[Annotated]]:
    """Each chosen event's articles, read, cleaned and annotated as `newsfuse run` does; keyed by event."""
    from newsfuse.nlp.pipeline import Annotator
    from newsfuse.pipeline import read_articles

    root = Path(folder)
    event_of = {r["id"]: r["gold_story"] for r in giveme5w1h_records(root)}
    paths = sorted(root / f"{stem}.json" for stem, e in event_of.items() if e in set(events))
    read = read_articles(paths, progress=False)
    annotated = Annotator().annotate(list(read.articles))
    out: dict[int, list[Annotated]] = defaultdict(list)
    for item in annotated:
        out[event_of[file_id(item)]].append(item)
    return dict(sorted(out.items()))


def file_id(item: Annotated) -> str:
    """The giveme5w1h file name (without .json) an article was read from."""
    return Path(item.article.provenance.source).stem


@dataclass(frozen=True, slots=True)
class SentenceRef:
    file: str
    start: int
    end: int
    hash: str

    @staticmethod
    def of(item: Annotated, start: int, end: int) -> SentenceRef:
        return SentenceRef(file_id(item), start, end, sentence_hash(item.article.text[start:end]))

    def as_list(self) -> list[object]:
        return [self.file, self.start, self.end, self.hash]


def resolve(ref: Sequence[object], by_file: dict[str, Annotated]) -> tuple[Annotated, int, int] | None:
    """The article and span a stored reference names. When cleaning has since moved the sentence (a byline
    or caption above it removed), the article's sentence with the same words, nearest the stored offset.
    None when no sentence has them any more: cleaning removed the sentence itself (it was furniture).
    ValueError when the article is not among the development stories."""
    file, start, end, digest = ref
    item = by_file.get(str(file))
    if item is None:
        raise ValueError(f"labelled article {file} is not among the development stories")
    assert isinstance(start, int) and isinstance(end, int)
    text = item.article.text
    if sentence_hash(text[start:end]) == digest:
        return item, start, end
    moved = [s for s in item.sentences if sentence_hash(text[s.start : s.end]) == digest]
    if not moved:
        return None
    found = min(moved, key=lambda s: abs(s.start - start))
    return item, found.start, found.end


def sample_pairs(events: dict[int, list[Annotated]], per_story: int = 27, seed: int = DEV_SEED) -> Iterator:
    """Cross-article sentence pairs of each story, drawn across similarity levels.

    Every pair of claim-length sentences from two articles of one story is scored by TF-IDF cosine and by
    the static embedding cosine; a story's draw takes a third from the pairs the TF-IDF alignment of
    contract 1.0 links (cosine >= 0.20), a third from the pairs with the highest embedding cosine that it
    does not link, and a third from the rest, so easy, hard and unrelated pairs are all represented.
    """
    from newsfuse.fuse.align import MIN_CLAIM_TERMS, embed_sentences
    from newsfuse.nlp.terms import terms, tfidf

    rng = random.Random(seed)
    for event, items in events.items():
        units = [
            (ai, s.start, s.end)
            for ai, item in enumerate(items)
            for s in item.sentences
            if len(terms(item.article.text[s.start : s.end])) >= MIN_CLAIM_TERMS
        ]
        texts = [items[ai].article.text[s:e] for ai, s, e in units]
        lexical = (tfidf([terms(t) for t in texts]) @ tfidf([terms(t) for t in texts]).T).toarray()
        vectors = embed_sentences(texts)
        semantic = vectors @ vectors.T
        pairs = [
            (i, j) for i in range(len(units)) for j in range(i + 1, len(units)) if units[i][0] < units[j][0]
        ]
        linked = [p for p in pairs if lexical[p] >= 0.20]
        unlinked = sorted((p for p in pairs if lexical[p] < 0.20), key=lambda p: -semantic[p])
        close, rest = unlinked[: 4 * per_story], unlinked[4 * per_story :]
        third = per_story // 3
        chosen: list[tuple[int, int]] = []
        for group in (linked, close, rest):
            chosen += rng.sample(group, min(third, len(group)))
        for i, j in sorted(chosen):
            a, b = units[i], units[j]
            yield {
                "event": event,
                "a": SentenceRef.of(items[a[0]], a[1], a[2]).as_list(),
                "b": SentenceRef.of(items[b[0]], b[1], b[2]).as_list(),
                "tfidf": round(float(lexical[i, j]), 3),
                "embedding": round(float(semantic[i, j]), 3),
                "texts": [texts[i], texts[j]],  # for the person labelling; never written to LABELS
            }


def main(argv: list[str]) -> None:
    folder = Path("../shared/data/giveme5w1h_news_cluster")
    if argv[:1] == ["events"]:
        seed = int(argv[2]) if argv[1:2] == ["--heldout"] and len(argv) == 3 else None
        print(choose_events(folder, heldout=seed))
    elif argv[:1] == ["pairs"] and len(argv) == 2:
        with open(argv[1], "w", encoding="utf-8") as out:
            pairs = list(sample_pairs(load_events(folder)))
            for pair in pairs:
                out.write(json.dumps(pair, ensure_ascii=False) + "\n")
        print(f"wrote {len(pairs)} candidate pairs to {argv[1]}")
    else:
        print(
            "usage: python -m newsfuse.evaluate.claims_data events [--heldout SEED] | pairs OUT.jsonl",
            file=sys.stderr,
        )
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
