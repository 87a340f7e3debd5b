"""How well the HTML reader and the cleaner find a page's main text, scored as trafilatura scores itself.

The data folder holds `evaldata_en.json` ({url: {"file", "with", "without", ...}}) and `html/<file>.gz`.
For every page, each `with` snippet found in the article text counts as a true positive (missing: a false
negative), each `without` snippet found as a false positive (absent: a true negative). Matching is on
whitespace-normalised text. A page that cannot be read or is rejected scores as an empty text.

Run: `python -m newsfuse.evaluate.extraction ../shared/data/trafilatura_eval_en [--raw | --trafilatura]`
(`--raw`: the HTML reader's body before cleaning; `--trafilatura`: `trafilatura.extract` alone).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

import trafilatura

from newsfuse.clean import clean_article
from newsfuse.ingest.html import parse_html
from newsfuse.types import Rejected

_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def trafilatura_text(data: bytes, url: str | None = None) -> str | None:
    """The main text trafilatura alone finds, called as its own evaluation calls it."""
    try:
        return trafilatura.extract(data.decode("utf-8", errors="replace"), url=url, include_comments=False)
    except Exception:  # a page trafilatura cannot parse scores as an empty text
        return None


def extract_text(data: bytes, source: str, url: str | None = None, clean: bool = True) -> str | None:
    """The article text newsfuse keeps for one HTML page (the reader's body when `clean` is False)."""
    raw = parse_html(data, source, url=url)
    if isinstance(raw, Rejected):
        return None
    if not clean:
        return raw.body
    article = clean_article(raw)
    return None if isinstance(article, Rejected) else article.text


def score_html_extraction(
    data_dir: str | Path, clean: bool = True, trafilatura_alone: bool = False
) -> dict[str, Any]:
    """Precision, recall, F1 and accuracy over the snippets of the evaluation set in `data_dir`.

    Returns {"precision", "recall", "f1", "accuracy", "tp", "fp", "fn", "tn", "pages", "failed"}, where
    `failed` counts pages that gave no text. Raises FileNotFoundError when the annotations are missing.
    """
    root = Path(data_dir)
    pages = json.loads((root / "evaldata_en.json").read_text(encoding="utf-8"))
    tp = fp = fn = tn = failed = 0
    for url, item in pages.items():
        page = root / "html" / f"{item['file']}.gz"
        try:
            html = gzip.decompress(page.read_bytes())
            if trafilatura_alone:
                text = trafilatura_text(html, url=url)
            else:
                text = extract_text(html, str(page), url=url, clean=clean)
        except OSError:
            text = None
        found = _norm(text) if text else ""
        failed += not found
        with_hits = sum(1 for s in item.get("with", []) if found and _norm(s) in found)
        without_hits = sum(1 for s in item.get("without", []) if found and _norm(s) in found)
        tp += with_hits
        fn += len(item.get("with", [])) - with_hits
        fp += without_hits
        tn += len(item.get("without", [])) - without_hits
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    total = tp + fp + fn + tn
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "accuracy": (tp + tn) / total if total else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "pages": len(pages),
        "failed": failed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", help="folder with evaldata_en.json and html/*.gz")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--raw", action="store_true", help="score the reader's body before cleaning")
    which.add_argument("--trafilatura", action="store_true", help="score trafilatura.extract alone")
    args = parser.parse_args(argv)
    scores = score_html_extraction(args.data_dir, clean=not args.raw, trafilatura_alone=args.trafilatura)
    for key, value in scores.items():
        print(f"{key:>9}: {value:.4f}" if isinstance(value, float) else f"{key:>9}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
