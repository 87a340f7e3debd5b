"""Multi-document summarisation sets as JSONL clusters that `newsfuse eval summarize` scores.

One line per cluster: `{"id", "articles": [{"id", "title", "text", "outlet"?, "published"?}], "reference"}`,
where each article is a record our JSONL reader accepts and `reference` a human summary ("" when there is
none: then only the summaries are written).

- `neus_mds_clusters(folder)`: NeuS / AllSides `val.source` (three outlets' headline and lead per line,
  `TITLE=> ... ARTICLE=> ... [SEP] ...`) with the AllSides editor's neutral summary on the same line of
  `val.target` (`TITLE=> <neutral headline>. ARTICLE=> <summary>`, written as "<headline>. <summary>").
- `read_clusters(path)`: the clusters of such a file, each article read and cleaned like any input.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfuse.clean import clean_article
from newsfuse.errors import InputError
from newsfuse.evaluate.cluster_data import _TITLE, _neus_article, write_jsonl
from newsfuse.ingest.records import record_to_article
from newsfuse.types import Article, Rejected


@dataclass(frozen=True, slots=True)
class Cluster:
    """One cluster to summarise: its cleaned articles, in file order, and the human summary."""

    id: str
    articles: tuple[Article, ...]
    reference: str


def _lines(path: Path) -> list[str]:
    source = os.fspath(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except OSError as exc:
        raise InputError(source, f"cannot read file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    # split("\n"), not splitlines(): the leads may hold other line-break characters (U+2028 ...).
    lines = [line.rstrip("\r") for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _reference(line: str, source: str, index: int) -> str:
    """'TITLE=> <headline>. ARTICLE=> <summary>' as '<headline>. <summary>'; other text as it is."""
    if _TITLE not in line:
        return line.strip()
    title, body = _neus_article(line, source, index, 1)
    return f"{title}. {body}".strip()


def neus_mds_clusters(folder: str | Path, split: str = "val") -> Iterator[dict[str, Any]]:
    """One cluster record per line of `<split>.source`, with the reference from `<split>.target`.

    Articles keep the set's order and are named `neus-<split>-<line>-<n>`; an article with an empty lead
    is kept with an empty `text` (the reader rejects it and says so). The set names no outlets: each
    report is from a different one (left, centre, right), so none is invented here. Raises InputError
    naming the file and line when the two files do not pair up or a line does not follow the markup.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(os.fspath(folder), "no such folder" if not root.exists() else "not a folder")
    source_path, target_path = root / f"{split}.source", root / f"{split}.target"
    sources, targets = _lines(source_path), _lines(target_path)
    if len(sources) != len(targets):
        raise InputError(
            os.fspath(target_path), f"{len(targets)} lines for the {len(sources)} of {source_path.name}"
        )
    for index, (line, target) in enumerate(zip(sources, targets, strict=True)):
        articles = []
        for n, part in enumerate(line.split("[SEP]"), start=1):
            title, body = _neus_article(part, os.fspath(source_path), index, n)
            articles.append({"id": f"neus-{split}-{index}-{n}", "title": title, "text": body})
        reference = _reference(target, os.fspath(target_path), index)
        yield {"id": f"neus-{split}-{index}", "articles": articles, "reference": reference}


def convert_neus_mds(folder: str | Path, out_path: str | Path) -> int:
    """Write the NeuS / AllSides validation clusters at `folder` to JSONL at `out_path`; the count."""
    return write_jsonl(neus_mds_clusters(folder), out_path)


def read_clusters(path: str | Path) -> tuple[list[Cluster], list[Rejected]]:
    """The clusters of a JSONL file, and the articles that could not be read.

    Each article goes through the JSONL reader's record rules and cleaning, as `newsfuse run` would read
    it; one that fails (no text, a wrong field type, furniture only) is a Rejected naming the file, the
    line and the article, and its cluster goes on without it. A line that is not a JSON object with an
    `articles` list raises InputError naming the file and line.
    """
    source = os.fspath(path)
    file = Path(source)
    if file.is_dir():
        raise InputError(source, "is a folder; expected a .jsonl file of clusters")
    clusters: list[Cluster] = []
    rejected: list[Rejected] = []
    for lineno, line in enumerate(_lines(file), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                source, f"line {lineno}: invalid JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get("articles"), list):
            raise InputError(source, f"line {lineno}: expected an object with an 'articles' list")
        reference = record.get("reference") or ""
        if not isinstance(reference, str):
            raise InputError(source, f"line {lineno}: 'reference' is not text")
        cluster_id = str(record.get("id") if record.get("id") is not None else lineno)
        articles: list[Article] = []
        for k, item in enumerate(record["articles"]):
            raw = record_to_article(item, f"{source}:{lineno}", "jsonl", k, f"line {lineno}, article {k + 1}")
            result = raw if isinstance(raw, Rejected) else clean_article(raw)
            if isinstance(result, Rejected):
                rejected.append(result)
            elif all(a.id != result.id for a in articles):
                articles.append(result)
        clusters.append(Cluster(cluster_id, tuple(articles), reference.strip()))
    if not clusters:
        raise InputError(source, "no clusters (the file is empty)")
    return clusters, rejected


__all__ = ["Cluster", "convert_neus_mds", "neus_mds_clusters", "read_clusters"]
