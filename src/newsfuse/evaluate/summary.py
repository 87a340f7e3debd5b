"""Scores story summaries against human multi-source summaries (NeuS / AllSides).

Each line of `val.source` holds three outlets' reports of one event (headline and lead); the same line of
`val.target` holds a neutral summary written by an AllSides editor. The three reports are annotated and
fused as one story, and the summary's sentences, cut to the same word budget as the baselines, are scored
with ROUGE-1, ROUGE-2 and ROUGE-L F1 (lowercased words, no stemming). Baselines: the lead sentences of
the three reports in turn (lead), and the first report's lead alone (first lead).

Run: `python -m newsfuse.evaluate.summary DATA_DIR [--json] [--limit N]`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from newsfuse.config import Settings, load_settings
from newsfuse.types import Annotated, Article, Provenance

WORD_BUDGET = 75
_TOKEN = re.compile(r"[a-z0-9]+")
_DOC = re.compile(r"TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", re.DOTALL)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / predicted, overlap / reference
    return 2 * p * r / (p + r)


def rouge_n(predicted: Sequence[str], reference: Sequence[str], n: int) -> float:
    grams = lambda toks: Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))  # noqa: E731
    p, r = grams(predicted), grams(reference)
    return _f1(sum((p & r).values()), sum(p.values()), sum(r.values()))


def rouge_l(predicted: Sequence[str], reference: Sequence[str]) -> float:
    # Longest common subsequence by dynamic programming over one row at a time.
    previous = [0] * (len(reference) + 1)
    for a in predicted:
        current = [0]
        for j, b in enumerate(reference):
            current.append(previous[j] + 1 if a == b else max(previous[j + 1], current[j]))
        previous = current
    return _f1(previous[-1], len(predicted), len(reference))


def scores(predicted: str, reference: str) -> dict[str, float]:
    p, r = tokens(predicted), tokens(reference)
    return {"rouge1": rouge_n(p, r, 1), "rouge2": rouge_n(p, r, 2), "rougeL": rouge_l(p, r)}


def budget(sentences: Sequence[str], words: int = WORD_BUDGET) -> str:
    """The sentences in order, cut at `words` words."""
    out: list[str] = []
    for sentence in sentences:
        out.extend(sentence.split())
        if len(out) >= words:
            break
    return " ".join(out[:words])


def load_clusters(data_dir: str | Path) -> list[tuple[list[Article], str]]:
    """(the cluster's articles, the reference summary) per line of val.source / val.target."""
    folder = Path(data_dir)
    sources = (folder / "val.source").read_text(encoding="utf-8").splitlines()
    targets = (folder / "val.target").read_text(encoding="utf-8").splitlines()
    clusters = []
    for line_no, (source, target) in enumerate(zip(sources, targets, strict=True)):
        articles = []
        for k, part in enumerate(source.split("[SEP]")):
            match = _DOC.search(part)
            if not match or not match.group(2).strip():
                continue
            title, text = match.group(1).strip(), match.group(2).strip()
            # Each report is from a different outlet (left, centre, right), unnamed in the data.
            articles.append(
                Article(
                    id=f"{line_no}-{k}",
                    title=title,
                    text=text,
                    provenance=Provenance(f"val.source#{line_no}", "neus"),
                    outlet=f"outlet {k + 1}",
                )
            )
        reference = _DOC.sub(lambda m: f"{m.group(1)} {m.group(2)}", target)
        clusters.append((articles, reference))
    return clusters


def evaluate(data_dir: str | Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    """Mean ROUGE of newsfuse and the baselines over the clusters, with the given (or loaded) settings."""
    from newsfuse.pipeline import Stages

    stages = Stages.from_settings(settings or load_settings())
    clusters = load_clusters(data_dir)[:limit]
    flat = [a for articles, _ in clusters for a in articles]
    annotated = {item.article.id: item for item in stages.annotator.annotate(flat)}
    fuser = stages.fuser
    systems: dict[str, list[dict[str, float]]] = {"newsfuse": [], "lead": [], "first lead": []}
    for n, (articles, reference) in enumerate(clusters):
        items: list[Annotated] = [annotated[a.id] for a in articles]
        story = fuser.fuse(f"neus-{n}", items)
        sentences = [[i.article.text[s.start : s.end] for s in i.sentences] for i in items]
        # Lead: the first sentence of each report, then the second of each, and so on.
        depth = max(map(len, sentences), default=0)
        leads = [doc[d] for d in range(depth) for doc in sentences if d < len(doc)]
        systems["newsfuse"].append(scores(budget([s.text for s in story.summary]), reference))
        systems["lead"].append(scores(budget(leads), reference))
        systems["first lead"].append(scores(budget(sentences[0] if sentences else []), reference))
    mean = lambda rows, key: sum(r[key] for r in rows) / len(rows)  # noqa: E731
    return {
        "clusters": len(clusters),
        "word_budget": WORD_BUDGET,
        "systems": {
            name: {key: mean(rows, key) for key in ("rouge1", "rouge2", "rougeL")}
            for name, rows in systems.items()
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score newsfuse summaries on NeuS / AllSides.")
    parser.add_argument("data_dir")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    if not (Path(args.data_dir) / "val.source").exists():
        print(f"newsfuse: error: {args.data_dir}: no val.source here", file=sys.stderr)
        return 2
    result = evaluate(args.data_dir, args.limit)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"NeuS / AllSides: {result['clusters']} clusters, summaries cut to {result['word_budget']} words")
    for name, s in result["systems"].items():
        print(f"{name:12s} ROUGE-1 {s['rouge1']:.3f}  ROUGE-2 {s['rouge2']:.3f}  ROUGE-L {s['rougeL']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
