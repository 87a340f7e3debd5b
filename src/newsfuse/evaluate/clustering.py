"""Clustering scores: B-cubed precision/recall/F1 and pairwise F1 of predicted against gold groups.

Run: `python -m newsfuse.evaluate.clustering DATA_DIR [--json]` on giveme5w1h_news_cluster.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import Counter
from collections.abc import Hashable, Mapping
from pathlib import Path

from newsfuse.config import Settings, load_settings


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the items of `gold` (item -> cluster label maps)."""
    items = list(gold)
    pred_sizes = Counter(predicted[i] for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    both = Counter((predicted[i], gold[i]) for i in items)
    precision = sum(both[(predicted[i], gold[i])] / pred_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairwise_f1(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> float:
    """F1 over item pairs placed in one cluster."""
    items = list(gold)
    pairs = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())  # noqa: E731
    together_pred = pairs(Counter(predicted[i] for i in items))
    together_gold = pairs(Counter(gold[i] for i in items))
    together_both = pairs(Counter((predicted[i], gold[i]) for i in items))
    if not together_pred or not together_gold:
        return 0.0
    p, r = together_both / together_pred, together_both / together_gold
    return 2 * p * r / (p + r) if p + r else 0.0


def giveme5w1h_gold(folder: str | Path) -> dict[str, int]:
    """File name -> gold event id for the giveme5w1h news_cluster set (`newsCluster` -> `EventId`)."""
    gold = {}
    for path in sorted(Path(folder).glob("*.json")):
        if path.name.startswith("_"):
            continue
        cluster = json.loads(path.read_text(encoding="utf-8"))["newsCluster"]
        if not isinstance(cluster, dict):  # stored as a Python dict literal in a string
            cluster = ast.literal_eval(cluster)
        gold[path.name] = int(cluster["EventId"])
    return gold


def evaluate_giveme5w1h(folder: str | Path, settings: Settings | None = None) -> dict[str, float | int]:
    """Read and clean the set, group it with the shipped settings, and score against the gold events."""
    from newsfuse.pipeline import Stages, read_articles

    settings = settings or load_settings()
    read = read_articles([folder], progress=False)
    by_file = giveme5w1h_gold(folder)
    gold = {a.id: by_file[Path(a.provenance.source).name] for a in read.articles}
    predicted = Stages.from_settings(settings).grouper.group(read.articles)
    scores: dict[str, float | int] = dict(bcubed(predicted, gold))
    scores["pairwise_f1"] = pairwise_f1(predicted, gold)
    scores.update(
        articles=len(read.articles),
        rejected=len(read.rejected),
        stories=len(set(predicted.values())),
        gold_stories=len(set(gold.values())),
    )
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score story grouping on giveme5w1h_news_cluster.")
    parser.add_argument("data_dir")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not Path(args.data_dir).is_dir():
        print(f"newsfuse: error: {args.data_dir}: not a folder", file=sys.stderr)
        return 2
    s = evaluate_giveme5w1h(args.data_dir)
    if args.json:
        print(json.dumps(s, indent=2))
    else:
        print(
            f"{s['articles']} articles ({s['rejected']} rejected), {s['stories']} stories "
            f"(gold {s['gold_stories']})\nB-cubed P {s['precision']:.3f} R {s['recall']:.3f} "
            f"F1 {s['f1']:.3f}; pairwise F1 {s['pairwise_f1']:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
