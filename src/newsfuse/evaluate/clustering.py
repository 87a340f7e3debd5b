"""Clustering scores: B-cubed precision/recall/F1 and pairwise F1 of predicted against gold groups.

One scoring path: `evaluate_cluster_file` groups a labelled JSONL file (records with `gold_story`, see
`newsfuse.evaluate.cluster_data` for converters) and scores it; `newsfuse eval cluster FILE.jsonl` runs it.
`python -m newsfuse.evaluate.clustering DATA_DIR [--json]` scores the giveme5w1h_news_cluster folder
(converted on the fly).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import zlib
from collections import Counter
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from newsfuse.config import Settings, load_settings
from newsfuse.errors import InputError, NewsfuseError
from newsfuse.evaluate.cluster_data import giveme5w1h_records, write_jsonl

if TYPE_CHECKING:
    from newsfuse.pipeline import ReadResult


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
    return {f"{r['id']}.json": r["gold_story"] for r in giveme5w1h_records(folder)}


def grouping_scores(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 and pairwise F1 of `predicted` over the items of `gold`."""
    scores = bcubed(predicted, gold)
    scores["pairwise_f1"] = pairwise_f1(predicted, gold)
    return scores


def evaluate_cluster_file(path: str | Path, settings: Settings | None = None) -> dict[str, float | int]:
    """Group the articles of a labelled JSONL file with `settings` and score them against the gold stories.

    Each line is a record our JSONL reader accepts (`title`, `text`, ...) plus `gold_story`, the label of
    its story (a string or an integer; labels compare as text, so 7 and "7" are one story). The file is
    read and cleaned like any input; each kept article takes the gold story of its line. Lines the reader
    rejects (no text, broken JSON) are counted under `rejected` and not scored. Lines that clean to the
    same article id (a repeated article) are scored once, under the gold story of the first such line;
    how many were folded is `duplicates`.

    Returns `precision`, `recall`, `f1` (B-cubed), `pairwise_f1`, `articles` (scored), `rejected`,
    `duplicates`, `stories` (predicted) and `gold_stories`. Raises InputError for a missing or non-JSONL
    file, a JSON object without `gold_story` (naming its line), or a file with no readable article.
    """
    from newsfuse.pipeline import Stages

    read, gold, records = labelled_articles(path)
    settings = settings or load_settings()
    predicted = Stages.from_settings(settings).grouper.group(read.articles)
    scores: dict[str, float | int] = dict(grouping_scores(predicted, gold))
    scores.update(
        articles=len(read.articles),
        rejected=len(read.rejected),
        duplicates=max(0, records - len(read.articles) - len(read.rejected)),
        stories=len({predicted[a] for a in gold}),
        gold_stories=len(set(gold.values())),
    )
    return scores


def labelled_articles(path: str | Path) -> tuple[ReadResult, dict[str, str], int]:
    """A labelled JSONL file read like any input: the read, each kept article's gold story, the records.

    Raises InputError as `evaluate_cluster_file` describes.
    """
    source = os.fspath(path)
    gold_by_record, records = read_gold_stories(source)  # first: a wrong path fails fast

    from newsfuse.pipeline import read_articles

    read = read_articles([source], progress=False)
    if not read.articles:
        why = f" ({read.rejected[0].reason})" if len(read.rejected) == 1 else ""
        raise InputError(source, f"no article could be read from the file{why}")
    gold: dict[str, str] = {}
    for article in read.articles:
        index = article.provenance.record
        if index is None or index not in gold_by_record:  # not from this file's lines: a reader change
            raise InputError(source, f"article {article.id} has no line number to find its gold story by")
        gold[article.id] = gold_by_record[index]
    return read, gold, records


def read_gold_stories(path: str | Path) -> tuple[dict[int, str], int]:
    """The gold story of each record of a labelled JSONL file, by record index, and the record count.

    Indexes count non-blank lines from 0, as the JSONL reader numbers records (`Provenance.record`).
    A line that is not a JSON object is left to the reader, which rejects it; a JSON object without a
    usable `gold_story` raises InputError naming the file and line. `.jsonl.gz` files are read too.
    """
    source = os.fspath(path)
    file = Path(source)
    if not file.exists():
        raise InputError(source, "no such file")
    if file.is_dir():
        raise InputError(source, "is a folder; expected a .jsonl file with a 'gold_story' field per line")
    suffixes = [s.lower() for s in file.suffixes]
    compressed = suffixes[-1:] == [".gz"]
    if (suffixes[:-1] if compressed else suffixes)[-1:] != [".jsonl"]:
        raise InputError(source, "expected a .jsonl file (one JSON record a line, with 'gold_story')")
    try:
        data = file.read_bytes()
        if compressed:
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, f"cannot read file ({getattr(exc, 'strerror', None) or exc})") from None
    gold: dict[int, str] = {}
    index = 0
    for lineno, raw_line in enumerate(data.splitlines(), start=1):
        if not raw_line.strip():
            continue
        try:
            record = json.loads(raw_line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            record = None  # the reader rejects the line and says why
        if isinstance(record, Mapping):
            gold[index] = _gold_label(record, source, lineno)
        index += 1
    return gold, index


def _gold_label(record: Mapping[str, object], source: str, lineno: int) -> str:
    if "gold_story" not in record:
        raise InputError(source, f"line {lineno}: no 'gold_story' field (the label of the article's story)")
    label = record["gold_story"]
    if isinstance(label, bool) or not isinstance(label, (str, int)) or not str(label).strip():
        raise InputError(source, f"line {lineno}: 'gold_story' must be a non-empty string or an integer")
    return str(label).strip()


def evaluate_giveme5w1h(folder: str | Path, settings: Settings | None = None) -> dict[str, float | int]:
    """Convert the giveme5w1h_news_cluster folder to a labelled JSONL stream and score it like any file."""
    with tempfile.TemporaryDirectory(prefix="newsfuse-eval-") as tmp:
        path = Path(tmp) / "giveme5w1h.jsonl"
        write_jsonl(giveme5w1h_records(folder), path)
        return evaluate_cluster_file(path, settings)


def format_scores(s: Mapping[str, float | int]) -> str:
    """The scores as two lines of text."""
    return (
        f"{s['articles']} articles ({s['rejected']} rejected), {s['stories']} stories "
        f"(gold {s['gold_stories']})\nB-cubed P {s['precision']:.3f} R {s['recall']:.3f} "
        f"F1 {s['f1']:.3f}; pairwise F1 {s['pairwise_f1']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score story grouping on giveme5w1h_news_cluster.")
    parser.add_argument("data_dir")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        s = evaluate_giveme5w1h(args.data_dir)
    except NewsfuseError as exc:
        print(f"newsfuse: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(s, indent=2) if args.json else format_scores(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
