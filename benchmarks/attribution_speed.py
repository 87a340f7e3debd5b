"""Milliseconds of CPU per article of the attribution step, on one core, spaCy excluded.

    python benchmarks/attribution_speed.py [POLNEAR_SPLIT_DIR] [--repeat N]

Runs the project's spaCy pipeline once over the articles (PolNeAR dev by default: 84 US political news
articles, about 800 words each) and keeps its sentences and entities: the spaCy parse is not timed.
Then, N times over, times each attribution method ("model", the default, and "rules"), the parts of
"model", and the tagger as it ran before (feature strings for every token, tagged by python-crfsuite),
per article, in this one thread: CPU time (`time.thread_time`, which other processes on a shared machine
do not inflate the way they do wall time) and wall time (`time.perf_counter`). The parts take turns
within each run (run 1 of every part, then run 2, ...), so that a change in the machine's load falls on
all of them alike. Prints, per part, the median over the N runs of the mean per article, the 95th
percentile of the per-article medians, and the load average before and after (how busy the machine was).
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
    link,
    load_model,
    load_tagger,
    paragraph_features,
    relation_quotes,
    spans_from_tags,
    tag_labels,
    tagger_input,
)
from newsfuse.nlp.pipeline import spans_from_doc

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear_attribution" / "dev"


def _run(fn: Callable[[Any], Any], items: list[Any]) -> tuple[float, float, list[float]]:
    """One pass over `items`: the mean CPU ms and wall ms per item, and each item's CPU ms."""
    cpu_total = wall_total = 0.0
    each = []
    for item in items:
        c0, w0 = time.thread_time(), time.perf_counter()
        fn(item)
        cpu, wall = time.thread_time() - c0, time.perf_counter() - w0
        cpu_total += cpu
        wall_total += wall
        each.append(1000 * cpu)
    return 1000 * cpu_total / len(items), 1000 * wall_total / len(items), each


def _summary(runs: list[tuple[float, float, list[float]]]) -> tuple[float, float, float, float, float]:
    """Median of the runs' CPU means, p95 of the per-item median CPU, fastest and slowest run, median
    wall."""
    cpu = [r[0] for r in runs]
    medians = sorted(statistics.median(ms) for ms in zip(*(r[2] for r in runs), strict=True))
    p95 = medians[min(len(medians) - 1, int(0.95 * len(medians)))]
    return statistics.median(cpu), p95, min(cpu), max(cpu), statistics.median(r[1] for r in runs)


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
    model, tagger = load_model(), load_tagger()
    words = statistics.mean(len(t.split()) for t, _, _ in items)
    # the inputs of the later parts, built once so that each part is timed alone
    docs = [Doc(text, mentions) for text, _, mentions in items]
    inputs = [tagger_input(*it, doc) for it, doc in zip(items, docs, strict=True)]
    scores = [model.scores(i.words, i.paras, i.firsts, i.entities) for i in inputs]
    labels = [tag_labels(i, model) for i in inputs]
    rules = [rule_quotes(*it, doc) for it, doc in zip(items, docs, strict=True)]
    for _ in range(2):  # warm the caches (the lexicon, the word rows, the name dictionary)
        for it in items:
            extract_quotes(*it)
        for i in inputs:
            [tagger.tag(f) for f in paragraph_features(i)]

    def whole_step(method: str) -> Callable[[tuple[str, Any, Any]], Any]:
        return lambda it: extract_quotes(it[0], it[1], it[2], method=method)

    def rules_given_doc(k: int) -> Any:
        text, sentences, mentions = items[k]
        return rule_quotes(text, sentences, mentions, docs[k])

    def input_given_doc(k: int) -> Any:
        text, sentences, mentions = items[k]
        return tagger_input(text, sentences, mentions, docs[k])

    def scoring(k: int) -> Any:
        i = inputs[k]
        return model.scores(i.words, i.paras, i.firsts, i.entities)

    def decoding(k: int) -> Any:
        return model.decode(scores[k], inputs[k].paras)

    def crfsuite_path(k: int) -> Any:
        return [tagger.tag(f) for f in paragraph_features(inputs[k])]

    def speaker_step(k: int) -> Any:
        text, sentences, mentions = items[k]
        return resolve_speakers(text, sentences, mentions, rules[k])

    def linking(k: int) -> Any:
        i = inputs[k]
        spans = [spans_from_tags(i.toks, p[0], ls) for p, ls in zip(i.paras, labels[k], strict=True)]
        return relation_quotes(items[k][0], link(spans))

    keys = list(range(len(items)))
    parts: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
        "method model (default), whole step": (whole_step("model"), items),
        "method rules, whole step": (whole_step("rules"), items),
        "  tokens and mention look-ups (Doc)": (lambda it: Doc(it[0], it[2]), items),
        "  rules, given the Doc": (rules_given_doc, keys),
        "  tagger input, given the Doc": (input_given_doc, keys),
        "  tagger scores (word rows summed)": (scoring, keys),
        "  Viterbi decoding": (decoding, keys),
        "  spans, linking and quote records": (linking, keys),
        "  speaker step on the rules' quotes": (speaker_step, keys),
        "before: feature strings + CRFsuite tag": (crfsuite_path, keys),
    }
    print(
        f"{len(items)} articles, {words:.0f} words each on average; spaCy parse excluded; "
        f"{args.repeat} runs; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'':40s} {'CPU ms/article: median of runs':>31s} {'p95':>7s} {'runs min-max':>14s} {'wall':>7s}")
    runs: dict[str, list[tuple[float, float, list[float]]]] = {name: [] for name in parts}
    for _ in range(args.repeat):
        for name, (fn, xs) in parts.items():
            runs[name].append(_run(fn, xs))
    for name, got in runs.items():
        cpu, p95, lo, hi, wall = _summary(got)
        print(f"{name:40s} {cpu:31.2f} {p95:7.2f} {lo:6.2f}-{hi:6.2f} {wall:7.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
