"""Scores conflict detection: on labelled real sentence pairs, and on conflicts planted in real reports.

**Labelled pairs** (`newsfuse eval conflicts FILE.jsonl [--json]`, FILE the labels, by default
`evaluate/labels/conflict_pairs.jsonl`): each pair of sentences of two sources on one event (see
`conflicts_data`) is compared by `fuse.relate.compare` as fusion compares a claim's sentences, with the
articles' publication times and the days their time expressions name. Precision and recall per kind
(number, date, negation: a pair counts for a kind when it is labelled with it, and is found when a
difference of that kind is) and per relation (disagree, update: over the pairs labelled a conflict).

**Planted conflicts** (`... --planted`): real development reports (giveme5w1h events of 2-8 articles,
PLANTED_STORIES of them drawn with seed 7) are fused as they are, then again with a copy of one of their
articles run under another outlet a day later, with one number changed (doubled plus one) or one negation
flipped ("was not" -> "was", "has" -> "has not"). A plant is found when the story's conflicts have one of
its kind with the copy's changed sentence on one side. Every other conflict, over the unchanged and the
planted stories, counts as an other conflict.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from newsfuse.evaluate.conflicts_data import DATA, LABELS, SEEDS, Document, load_documents, resolve, set_of

KINDS = ("number", "date", "negation")
RELATIONS = ("disagree", "update")
PLANTED_STORIES = 40
PLANTED_SIZES = range(2, 9)
PLANTED_OUTLET = "The Planted Courier"
# The core set holds two quiet pairs for each real conflict: a third of it is real (the ask).
NEGATIVES_PER_CONFLICT = 2


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _days(doc: Document, start: int, end: int, cache: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    from newsfuse.fuse.conflicts import day_dates
    from newsfuse.nlp.timex import find_timexes

    if doc.key not in cache:
        cache[doc.key] = find_timexes(doc.text, doc.published)
    return day_dates(cache[doc.key], start, end, doc.text)


def core_pairs(records: Sequence[dict[str, Any]]) -> list[int]:
    """The indices of the core set: every pair labelled a conflict or an update, the seeds' pairs, and
    NEGATIVES_PER_CONFLICT times as many other "none" pairs drawn at random (seed 7), so that a third
    of it is real conflicts. The draw reads the labels only, never the detector; the remaining "none"
    pairs are scored with the rest, where they measure false alarms among many quiet pairs."""
    real = [i for i, r in enumerate(records) if r["kind"] != "none"]
    seeds = [i for i, r in enumerate(records) if r["kind"] == "none" and r.get("drawn") == "seeds"]
    others = [i for i, r in enumerate(records) if r["kind"] == "none" and r.get("drawn") != "seeds"]
    wanted = max(NEGATIVES_PER_CONFLICT * len(real) - len(seeds), 0)
    drawn = random.Random(7).sample(others, min(wanted, len(others)))
    return sorted([*real, *seeds, *drawn])


def evaluate_pairs(labels: Path = LABELS, data: Path = DATA, seeds: Path = SEEDS) -> dict[str, Any]:
    """Precision and recall per kind and relation on the labelled pairs, over all of them and over the
    core set (`core_pairs`)."""
    from newsfuse.fuse.relate import compare

    records = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    sets = sorted({set_of(str(r[side][0])) for r in records for side in ("a", "b")})
    documents = load_documents(data, seeds, sets)
    timexes: dict[str, Any] = {}
    outcomes = []  # per record: its label and the kinds and relations found
    errors = []
    for record in records:
        (da, sa, ea), (db, sb, eb) = resolve(record["a"], documents), resolve(record["b"], documents)
        found = compare(
            da.text[sa:ea],
            db.text[sb:eb],
            da.published,
            db.published,
            _days(da, sa, ea, timexes),
            _days(db, sb, eb, timexes),
        )
        kind, relation = record["kind"], record.get("relation")
        kinds = {d.kind for d in found}
        outcomes.append((kind, relation, kinds, {d.relation for d in found}))
        if (kind != "none") != bool(found) or (found and kind not in kinds):
            errors.append({"a": record["a"][:3], "b": record["b"][:3], "label": kind, "found": sorted(kinds)})
    core = core_pairs(records)
    return {
        **_scores(outcomes),
        "errors": errors,
        "core": _scores([outcomes[i] for i in core]),
    }


def _scores(outcomes: Sequence[tuple[str, str | None, set[str], set[str]]]) -> dict[str, Any]:
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in (*KINDS, *RELATIONS, "any")}
    labelled = {"none": 0, **{k: 0 for k in KINDS}}
    for kind, relation, kinds, relations in outcomes:
        labelled[kind] += 1
        for k in KINDS:
            _count(counts[k], kind == k, k in kinds)
        for r in RELATIONS:
            _count(counts[r], kind != "none" and relation == r, r in relations)
        _count(counts["any"], kind != "none", bool(kinds))
    scores = {
        name: {
            "precision": _ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": _ratio(c["tp"], c["tp"] + c["fn"]),
            "labelled": c["tp"] + c["fn"],
            "found": c["tp"] + c["fp"],
        }
        for name, c in counts.items()
    }
    return {"pairs": len(outcomes), "labelled": labelled, "scores": scores}


def _count(c: dict[str, int], gold: bool, predicted: bool) -> None:
    c["tp"] += gold and predicted
    c["fp"] += predicted and not gold
    c["fn"] += gold and not predicted


def format_pairs(result: dict[str, Any]) -> str:
    blocks = []
    for title, part in (("all", result), ("core", result["core"])):
        real = part["pairs"] - part["labelled"]["none"]
        share = real / max(part["pairs"], 1)
        lines = [
            f"{title}: {part['pairs']} labelled pairs, {real} real conflicts ({share:.0%}): "
            + ", ".join(f"{k} {n}" for k, n in part["labelled"].items())
        ]
        lines.append(f"{'':10s} {'precision':>9s} {'recall':>7s} {'labelled':>8s} {'found':>6s}")
        for name, s in part["scores"].items():
            p = "-" if s["precision"] is None else f"{s['precision']:.3f}"
            r = "-" if s["recall"] is None else f"{s['recall']:.3f}"
            lines.append(f"{name:10s} {p:>9s} {r:>7s} {s['labelled']:8d} {s['found']:6d}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ---------------------------------------------------------------- planted conflicts

_NUMBER_TOKEN = re.compile(r"(?<![\w.,:/-])\d{1,3}(?:,\d{3})*(?![\w.,:/%-]|,\d)")
_NEGATED = re.compile(r"\b(is|was|are|were|has|have|had|did|does|do|will|would|could|can)(?: not|n['’]t)\b")
_AUXILIARY = re.compile(r"\b(is|was|are|were|has|have|had|will|would|could)\b(?! not)")
_MIN_WORDS = 8


def _planted_number(
    text: str, sentences: Sequence[tuple[int, int]], rng: random.Random
) -> tuple[str, int] | None:
    """The text with one figure of a sentence changed, and where; None when no sentence has one."""
    from newsfuse.fuse.quantities import quantities

    options = []
    for start, end in sentences:
        sentence = text[start:end]
        if len(sentence.split()) < _MIN_WORDS:
            continue
        counted = {(q.start, q.end) for q in quantities(sentence) if q.counted and not q.is_range()}
        for m in _NUMBER_TOKEN.finditer(sentence):
            if (m.start(), m.end()) in counted:
                options.append((start + m.start(), start + m.end()))
    if not options:
        return None
    s, e = rng.choice(options)
    value = int(text[s:e].replace(",", "")) * 2 + 1
    return text[:s] + (f"{value:,}" if "," in text[s:e] else str(value)) + text[e:], s


def _planted_negation(
    text: str, sentences: Sequence[tuple[int, int]], rng: random.Random
) -> tuple[str, int] | None:
    """The text with one sentence's negation flipped (removed, or "not" added after an auxiliary)."""
    options = []
    for start, end in sentences:
        sentence = text[start:end]
        if len(sentence.split()) < _MIN_WORDS or "?" in sentence:
            continue
        for m in _NEGATED.finditer(sentence):
            options.append((start + m.start(), start + m.end(), m.group(1)))
        for m in _AUXILIARY.finditer(sentence):
            options.append((start + m.start(), start + m.end(), m.group(1) + " not"))
    if not options:
        return None
    s, e, words = rng.choice(options)
    return text[:s] + words + text[e:], s


def evaluate_planted(data: Path = DATA, stories: int = PLANTED_STORIES) -> dict[str, Any]:
    """Found shares of planted numbers and negations, and other conflicts per story."""
    from newsfuse.evaluate.claims_data import file_id
    from newsfuse.evaluate.cluster_data import giveme5w1h_records
    from newsfuse.fuse import StoryFuser
    from newsfuse.nlp.pipeline import Annotator
    from newsfuse.pipeline import read_articles

    folder = data / "giveme5w1h_news_cluster"
    records = giveme5w1h_records(folder)
    sizes: dict[int, int] = {}
    for r in records:
        sizes[r["gold_story"]] = sizes.get(r["gold_story"], 0) + 1
    rng = random.Random(7)
    events = sorted(rng.sample(sorted(e for e, n in sizes.items() if n in PLANTED_SIZES), stories))
    event_of = {r["id"]: r["gold_story"] for r in records}
    paths = sorted(folder / f"{stem}.json" for stem, e in event_of.items() if e in set(events))
    annotator = Annotator()
    annotated = list(annotator.annotate(list(read_articles(paths, progress=False).articles)))
    by_event: dict[int, list] = {}
    for item in annotated:
        by_event.setdefault(event_of[file_id(item)], []).append(item)
    fuser = StoryFuser()
    result = {"stories": 0, "other_conflicts": 0}
    planted = {kind: {"planted": 0, "found": 0} for kind in ("number", "negation")}
    for event in events:
        items = by_event[event]
        story = fuser.fuse(f"e{event}", items)
        result["stories"] += 1
        result["other_conflicts"] += len(story.conflicts)
        for kind, plant in (("number", _planted_number), ("negation", _planted_negation)):
            for item in items:
                sentences = [(s.start, s.end) for s in item.sentences]
                changed = plant(item.article.text, sentences, rng)
                if changed is not None:
                    break
            else:
                continue
            text, where = changed
            article = item.article
            copy = dataclasses.replace(
                article,
                id=f"{article.id}-planted-{kind}",
                text=text,
                outlet=PLANTED_OUTLET,
                outlet_domain="planted.example",
                url=None,
                canonical_url=None,
                published=article.published + timedelta(days=1) if article.published else None,
            )
            (annotated_copy,) = annotator.annotate([copy])
            fused = fuser.fuse(f"e{event}-{kind}", [*items, annotated_copy])
            hit = [
                c
                for c in fused.conflicts
                if c.kind == kind
                and any(
                    x.article_id == copy.id and x.start <= where < x.end for s in c.sides for x in s.citations
                )
            ]
            planted[kind]["planted"] += 1
            planted[kind]["found"] += bool(hit)
            result["stories"] += 1
            result["other_conflicts"] += len(fused.conflicts) - min(len(hit), 1)
    return {
        "number": {
            **planted["number"],
            "share": _ratio(planted["number"]["found"], planted["number"]["planted"]),
        },
        "negation": {
            **planted["negation"],
            "share": _ratio(planted["negation"]["found"], planted["negation"]["planted"]),
        },
        "stories": result["stories"],
        "other_conflicts": result["other_conflicts"],
        "other_per_story": _ratio(result["other_conflicts"], result["stories"]),
    }


def format_planted(result: dict[str, Any]) -> str:
    lines = []
    for kind in ("number", "negation"):
        r = result[kind]
        share = "-" if r["share"] is None else f"{r['share']:.3f}"
        lines.append(f"planted {kind}: {r['found']} of {r['planted']} found ({share})")
    per = result["other_per_story"]
    lines.append(
        f"other conflicts: {result['other_conflicts']} over {result['stories']} stories "
        f"({'-' if per is None else f'{per:.3f}'} per story)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(LABELS), help="labelled pairs (JSONL)")
    parser.add_argument("--data", default=str(DATA), help="the folder of the data sets")
    parser.add_argument("--planted", action="store_true", help="measure planted conflicts instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.planted:
        planted = evaluate_planted(Path(args.data))
        print(json.dumps(planted, indent=2) if args.json else format_planted(planted))
        return 0
    result = evaluate_pairs(Path(args.file), Path(args.data))
    print(json.dumps(result, indent=2) if args.json else format_pairs(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
