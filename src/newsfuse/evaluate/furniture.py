"""Furniture removal on news-please records, scored line by line against a hand-labelled sample.

`labels/furniture_lines.json` beside this file names, for 20 randomly drawn giveme5w1h_news_cluster files,
which of each text's lines are furniture (it holds line numbers, not text). A line counts as removed
when cleaning drops it, or when the whole article is rejected. Precision: of the lines removed, how many
are furniture; recall: of the furniture lines, how many are removed.

Run: `python -m newsfuse.evaluate.furniture ../shared/data/giveme5w1h_news_cluster`
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from newsfuse.clean import clean_article, split_lines
from newsfuse.ingest.records import record_to_article
from newsfuse.types import Rejected


def _labels() -> dict[str, dict[str, Any]]:
    text = resources.files("newsfuse.evaluate").joinpath("labels/furniture_lines.json").read_text("utf-8")
    articles: dict[str, dict[str, Any]] = json.loads(text)["articles"]
    return articles


def removed_lines(record: dict[str, Any], source: str) -> tuple[int, set[int]]:
    """(number of lines, indices of the lines cleaning removed) for one news-please record."""
    raw = record_to_article(record, source, "json", None, "record")
    if isinstance(raw, Rejected):
        raise ValueError(f"{source}: {raw.reason}")
    lines = split_lines(raw.body)
    article = clean_article(raw)
    if isinstance(article, Rejected):
        return len(lines), set(range(len(lines)))
    kept_text = article.text
    # Cleaning removes whole lines and keeps the rest in order: walk the kept text line by line.
    kept, position = set(), 0
    for i, line in enumerate(lines):
        found = kept_text.find(line.text, position)
        if found >= 0 and kept_text[position:found].strip() == "":
            kept.add(i)
            position = found + len(line.text)
    return len(lines), set(range(len(lines))) - kept


def score_furniture(data_dir: str | Path) -> dict[str, Any]:
    """{"articles", "lines", "furniture", "removed", "tp", "precision", "recall", "misses", "wrong"}.

    `misses` lists "<file>:<line>" of furniture kept, `wrong` of article lines removed.
    Raises FileNotFoundError when a labelled file is missing, ValueError when its line count changed.
    """
    root = Path(data_dir)
    tp = furniture_total = removed_total = line_total = 0
    misses: list[str] = []
    wrong: list[str] = []
    labels = _labels()
    for stem, label in labels.items():
        path = root / f"{stem}.json"
        count, removed = removed_lines(json.loads(path.read_text(encoding="utf-8")), str(path))
        if count != label["lines"]:
            raise ValueError(f"{path}: {count} lines, the labels expect {label['lines']}")
        furniture = set(label["furniture"])
        tp += len(furniture & removed)
        furniture_total += len(furniture)
        removed_total += len(removed)
        line_total += count
        misses += [f"{stem[:16]}:{i}" for i in sorted(furniture - removed)]
        wrong += [f"{stem[:16]}:{i}" for i in sorted(removed - furniture)]
    return {
        "articles": len(labels),
        "lines": line_total,
        "furniture": furniture_total,
        "removed": removed_total,
        "tp": tp,
        "precision": tp / removed_total if removed_total else 1.0,
        "recall": tp / furniture_total if furniture_total else 1.0,
        "misses": misses,
        "wrong": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", help="the giveme5w1h_news_cluster folder")
    args = parser.parse_args(argv)
    scores = score_furniture(args.data_dir)
    for key, value in scores.items():
        shown = (
            f"{value:.3f}"
            if isinstance(value, float)
            else ", ".join(value)
            if isinstance(value, list)
            else value
        )
        print(f"{key:>9}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
