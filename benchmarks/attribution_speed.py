"""Milliseconds of CPU per article of the attribution step, on one core, spaCy excluded.

    python benchmarks/attribution_speed.py [POLNEAR_SPLIT_DIR] [--repeat N]

Runs the project's spaCy pipeline once over the articles (PolNeAR dev by default: 84 US political news
articles, about 800 words each) and keeps its sentences and entities: the spaCy parse is not timed.
Then, N times over, times each attribution method ("model", the default, and "rules") and the parts of
"model" per article, in this one thread: CPU time (`time.thread_time`, which other processes on a shared
machine do not inflate the way they do wall time) and wall time (`time.perf_counter`). Prints, per
part, the median over the N runs of the mean per article, the 95th percentile of the per-article medians,
and the load average before and after (how busy the machine was).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsfuse.evaluate.attribution import load_nlp, load_polnear
from newsfuse.nlp.attribution import extract_quotes
from newsfuse.nlp.attribution.document import Doc
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


def _time(fn: Callable[[Any], Any], items: list[Any], repeat: int) -> tuple[list[float], list[float]]:
    """Per run, the mean CPU ms and wall ms per article; and per article, its median CPU ms."""
    cpu_runs, wall_runs = [], []
    per_item: list[list[float]] = [[] for _ in items]
    for _ in range(repeat):
        cpu_total = wall_total = 0.0
        for i, item in enumerate(items):
            c0, w0 = time.thread_time(), time.perf_counter()
            fn(item)
            cpu, wall = time.thread_time() - c0, time.perf_counter() - w0
            cpu_total += cpu
            wall_total += wall
            per_item[i].append(1000 * cpu)
        cpu_runs.append(1000 * cpu_total / len(items))
        wall_runs.append(1000 * wall_total / len(items))
    medians = sorted(statistics.median(ms) for ms in per_item)
    p95 = medians[min(len(medians) - 1, int(0.95 * len(medians)))]
    return [statistics.median(cpu_runs), p95, min(cpu_runs), max(cpu_runs)], [statistics.median(wall_runs)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split_dir", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=7, help="runs over all the articles")
    args = parser.parse_args(argv)
    if not (args.split_dir / "text").is_dir():
        print(f"no PolNeAR text/ folder under {args.split_dir}", file=sys.stderr)
        return 2
    articles = load_polnear(args.split_dir)
    nlp = load_nlp()
    items: list[tuple[str, Any, Any]] = [
        (a.text, *spans_from_doc(doc))
        for a, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True)
    ]
    tagger = load_tagger()
    words = statistics.mean(len(t.split()) for t, _, _ in items)
    # the inputs of the later parts, built once so that each part is timed alone
    docs = [Doc(text, mentions) for text, _, mentions in items]
    feats = [article_features(*it, doc) for it, doc in zip(items, docs, strict=True)]
    labels = [[tagger.tag(f) for f in fs] for _, _, fs in feats]
    rules = [rule_quotes(*it, doc) for it, doc in zip(items, docs, strict=True)]
    for _ in range(2):  # warm the caches (the lexicon, the tagger, the name dictionary)
        for it in items:
            extract_quotes(*it)

    def whole_step(method: str) -> Callable[[tuple[str, Any, Any]], Any]:
        return lambda it: extract_quotes(it[0], it[1], it[2], method=method)

    def rules_given_doc(k: int) -> Any:
        text, sentences, mentions = items[k]
        return rule_quotes(text, sentences, mentions, docs[k])

    def features_given_doc(k: int) -> Any:
        text, sentences, mentions = items[k]
        return article_features(text, sentences, mentions, docs[k])

    def speaker_step(k: int) -> Any:
        text, sentences, mentions = items[k]
        return resolve_speakers(text, sentences, mentions, rules[k])

    def tagging(k: int) -> Any:
        return [tagger.tag(f) for f in feats[k][2]]

    def linking(k: int) -> Any:
        toks, paras, _ = feats[k]
        spans = [spans_from_tags(toks, p[0], ls) for p, ls in zip(paras, labels[k], strict=True)]
        return relation_quotes(items[k][0], link(spans))

    keys = list(range(len(items)))
    parts: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
        "method model (default), whole step": (whole_step("model"), items),
        "method rules, whole step": (whole_step("rules"), items),
        "  tokens and mention look-ups (Doc)": (lambda it: Doc(it[0], it[2]), items),
        "  rules, given the Doc": (rules_given_doc, keys),
        "  tagger features, given the Doc": (features_given_doc, keys),
        "  CRF tagging (CRFsuite)": (tagging, keys),
        "  spans, linking and quote records": (linking, keys),
        "  speaker step on the rules' quotes": (speaker_step, keys),
    }
    print(
        f"{len(items)} articles, {words:.0f} words each on average; spaCy parse excluded; "
        f"{args.repeat} runs; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'':40s} {'CPU ms/article: median of runs':>31s} {'p95':>7s} {'runs min-max':>14s} {'wall':>7s}")
    for name, (fn, inputs) in parts.items():
        (cpu, p95, lo, hi), (wall,) = _time(fn, inputs, args.repeat)
        print(f"{name:40s} {cpu:31.2f} {p95:7.2f} {lo:6.2f}-{hi:6.2f} {wall:7.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
