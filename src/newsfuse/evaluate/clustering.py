"""Clustering scores: B-cubed precision/recall/F1 and pairwise F1 of predicted against gold groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the items of `gold` (item -> cluster label maps)."""
    items = list(gold)
    pred_sizes = Counter(predicted[i] for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    both = Counter((predicted[i], gold[i]) for i in items)
    precision = sum(both[(predicted[i], gold[i])] / pred_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairwise_f1(predicted: Mapping[str, str], gold: Mapping[str, str]) -> float:
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
