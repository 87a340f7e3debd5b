"""Scores fusion on the labelled development stories: alignment of sentence pairs and claim statuses.

Both fusions run in the same command: contract 1.0's (TF-IDF cosine >= 0.20; a claim is corroborated when
two outlets that are not near-copies, article TF-IDF cosine >= 0.9, make it) and the shipped one
(TF-IDF + static embeddings; statuses from independent origins). Each development story is its gold
giveme5w1h event (see claims_data), so the labels do not depend on story grouping.

- Alignment: a labelled pair counts as aligned when fusion puts its two sentences in one claim; `same` and
  `contradicts` pairs should be, `related` and `unrelated` ones should not. Precision and recall over the
  labelled pairs (drawn across similarity levels, so they describe that sample, not all pairs).
- Claim status: every claim of two or more sentences either fusion makes is labelled by reading it
  (corroborated, relayed, single_source, contested, or not_one_fact when its sentences do not state one
  fact); precision of a status is the share of claims given it whose label agrees.

Run: `python -m newsfuse.evaluate.claims [DATA_DIR] [--json] [--unlabelled OUT.jsonl] [--heldout SEED]`;
`--heldout 11` or `--heldout 12` scores the claim statuses of that draw of held-out stories (claims_data).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsfuse.evaluate.claims_data import (
    CLAIM_LABELS,
    HELDOUT_CLAIM_LABELS,
    HELDOUT_DRAWS,
    PAIR_LABELS,
    SentenceRef,
    file_id,
    load_events,
    resolve,
)
from newsfuse.fuse import StoryFuser
from newsfuse.nlp.terms import terms, tfidf
from newsfuse.types import Annotated, Claim, Story

DEFAULT_DATA = Path("../shared/data/giveme5w1h_news_cluster")
LEGACY: dict[str, Any] = {
    "align_threshold": 0.20,
    "align_lexical_weight": 1.0,
    "corroboration_threshold": None,
}


def legacy_status(claim: Claim, items: Sequence[Annotated]) -> str:
    """Contract 1.0's status: corroborated when two sources make it; a source is an outlet merged with
    the near-copies of its articles (article TF-IDF cosine >= 0.9)."""
    ids = [x.article.id for x in items]
    vectors = tfidf([terms(x.article.text) for x in items])
    sims = (vectors @ vectors.T).toarray()
    source = list(range(len(items)))
    for i in range(len(items)):
        for j in range(i):
            same_outlet = items[i].article.outlet and items[i].article.outlet == items[j].article.outlet
            if same_outlet or sims[i, j] >= 0.9:
                source[i] = source[j]
                break
    cited = {source[ids.index(c.article_id)] for c in claim.citations}
    return "corroborated" if len(cited) >= 2 else "single_source"


def claim_key(claim: Claim, by_id: dict[str, Annotated]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((file_id(by_id[c.article_id]), c.start) for c in claim.citations))


def _pair_scores(stories: dict[int, Story], by_file: dict[str, Annotated]) -> dict[str, float]:
    together: set[tuple[str, int, str, int]] = set()
    for story in stories.values():
        for claim in story.claims:
            spots = [(file_id(by_file[c.article_id]), c.start) for c in claim.citations]
            for a in spots:
                for b in spots:
                    together.add((*a, *b))
    tp = fp = fn = gone = 0
    for line in PAIR_LABELS.read_text().splitlines():
        label = json.loads(line)
        first, second = resolve(label["a"], by_file), resolve(label["b"], by_file)
        if first is None or second is None:  # a sentence cleaning now removes as furniture
            gone += 1
            continue
        a_item, a_start, _ = first
        b_item, b_start, _ = second
        aligned = (file_id(a_item), a_start, file_id(b_item), b_start) in together
        positive = label["label"] in ("same", "contradicts")
        tp += aligned and positive
        fp += aligned and not positive
        fn += positive and not aligned
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pairs": tp + fp + fn,
        "aligned": tp + fp,
        "gone": gone,
    }


def evaluate(data: Path, unlabelled_out: Path | None = None, heldout: int | None = None) -> dict[str, dict]:
    """Both fusions' figures on the development stories, or with `heldout` (a draw's seed) on those
    held-out stories (claim statuses only: the labelled pairs are of development stories)."""
    events = load_events(data) if heldout is None else load_events(data, HELDOUT_DRAWS[heldout])
    by_file = {x.article.id: x for items in events.values() for x in items}
    by_file.update({file_id(x): x for items in events.values() for x in items})
    labels = {}
    label_file = CLAIM_LABELS if heldout is None else HELDOUT_CLAIM_LABELS
    if label_file.exists():
        for line in label_file.read_text().splitlines():
            record = json.loads(line)
            if record["event"] not in events:  # another draw's
                continue
            found = [resolve(ref, by_file) for ref in record["support"]]
            # Keyed as claim_key keys a fused claim, by where its sentences are in today's texts; a
            # sentence cleaning now removes drops out of the claim.
            key = tuple(sorted((file_id(x[0]), x[1]) for x in found if x is not None))
            if len(key) >= 2:
                labels[key] = record["label"]
    results: dict[str, dict] = {}
    unlabelled = []
    for name, settings in (("contract 1.0 (TF-IDF)", LEGACY), ("shipped", {})):
        fuser = StoryFuser(**settings)
        stories = {event: fuser.fuse(f"event-{event}", items) for event, items in events.items()}
        counts: dict[str, list[int]] = {}
        for event, story in stories.items():
            items = events[event]
            for claim in story.claims:
                if len(claim.support) < 2:
                    continue
                status = legacy_status(claim, items) if settings else claim.status
                key = claim_key(claim, by_file)
                gold = labels.get(key)
                tally = counts.setdefault(status, [0, 0, 0])  # right, labelled, unlabelled
                if gold is None:
                    tally[2] += 1
                    unlabelled.append((event, claim, key))
                    continue
                tally[1] += 1
                tally[0] += gold == status
        results[name] = {
            "alignment": None if heldout is not None else _pair_scores(stories, by_file),
            "status": {
                s: {"precision": r / n if n else None, "claims": n, "unlabelled": u}
                for s, (r, n, u) in sorted(counts.items())
            },
        }
    if unlabelled_out is not None:
        seen = set()
        with open(unlabelled_out, "w", encoding="utf-8") as out:
            for event, claim, key in unlabelled:
                if key in seen:
                    continue
                seen.add(key)
                refs = [
                    SentenceRef.of(by_file[c.article_id], c.start, c.end).as_list() for c in claim.citations
                ]
                texts = [by_file[c.article_id].article.text[c.start : c.end] for c in claim.citations]
                outlets = [by_file[c.article_id].article.outlet for c in claim.citations]
                out.write(
                    json.dumps(
                        {
                            "event": event,
                            "support": refs,
                            "status": claim.status,
                            "outlets": outlets,
                            "texts": texts,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m newsfuse.evaluate.claims", description=__doc__.split("\n")[0]
    )
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--unlabelled", type=Path, help="write the claims no label covers here, with texts")
    parser.add_argument(
        "--heldout", type=int, choices=sorted(HELDOUT_DRAWS), help="a held-out draw (claim statuses only)"
    )
    args = parser.parse_args(argv)
    results = evaluate(args.data, args.unlabelled, args.heldout)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        a = r["alignment"]
        if a is None:
            print(f"{name} (held-out stories):")
        else:
            print(
                f"{name}: alignment P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} "
                f"({a['aligned']} labelled pairs aligned)"
            )
        for status, s in r["status"].items():
            p = "n/a" if s["precision"] is None else f"{s['precision']:.3f}"
            print(
                f"  {status}: precision {p} over {s['claims']} labelled claims ({s['unlabelled']} unlabelled)"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
