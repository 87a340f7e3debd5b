"""Milliseconds per article of the attribution step, on one core, spaCy excluded.

    python benchmarks/attribution_speed.py [POLNEAR_SPLIT_DIR] [--repeat N]

Runs the project's spaCy pipeline once over the articles (PolNeAR dev by default: 84 US political news
articles, about 700 words each), then times, per article, each attribution method ("model", the
default, and "rules") and the parts of "model": the rules, the tagger's features, its decoding, and the
speaker step. Prints the mean and the 95th percentile.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsfuse.evaluate.attribution import load_nlp, load_polnear
from newsfuse.nlp.attribution import extract_quotes
from newsfuse.nlp.attribution.rules import rule_quotes
from newsfuse.nlp.attribution.speakers import resolve_speakers
from newsfuse.nlp.attribution.tagger import (
    article_features,
    link,
    load_tagger,
    relation_quotes,
    spans_from_tags,
)
from newsfuse.nlp.pipeline import spans_from_doc

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear_attribution" / "dev"


def _time(fn: Callable[[Any], Any], items: list[Any], repeat: int) -> list[float]:
    per_item = [float("inf")] * len(items)
    for _ in range(repeat):
        for i, item in enumerate(items):
            t0 = time.perf_counter()
            fn(item)
            per_item[i] = min(per_item[i], 1000 * (time.perf_counter() - t0))
    return per_item


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split_dir", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3, help="runs per article; the fastest counts")
    args = parser.parse_args(argv)
    if not (args.split_dir / "text").is_dir():
        print(f"no PolNeAR text/ folder under {args.split_dir}", file=sys.stderr)
        return 2
    articles = load_polnear(args.split_dir)
    nlp = load_nlp()
    items = [
        (a.text, *spans_from_doc(doc))
        for a, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True)
    ]
    tagger = load_tagger()
    words = statistics.mean(len(t.split()) for t, _, _ in items)

    def tagger_decode(item: Any) -> Any:
        text, sents, mentions = item
        toks, paras, feats = article_features(text, sents, mentions)
        spans = [spans_from_tags(toks, p[0], tagger.tag(f)) for p, f in zip(paras, feats, strict=True)]
        return relation_quotes(text, link(spans))

    parts: dict[str, Callable[[Any], Any]] = {
        "method model (default), whole step": lambda it: extract_quotes(*it, method="model"),
        "method rules, whole step": lambda it: extract_quotes(*it, method="rules"),
        "  rules alone": lambda it: rule_quotes(*it),
        "  tagger features": lambda it: article_features(*it),
        "  tagger features + tagging + linking": tagger_decode,
        "  rules + speaker step": lambda it: resolve_speakers(*it, rule_quotes(*it)),
    }
    print(f"{len(items)} articles, {words:.0f} words each on average, fastest of {args.repeat} runs")
    for name, fn in parts.items():
        ms = sorted(_time(fn, items, args.repeat))
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(f"{name:42s} mean {statistics.mean(ms):6.2f} ms   p95 {p95:6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
