"""Main text and bylines on Mozilla Readability's test pages, newsfuse against trafilatura alone.

The labels are Readability.js's own output (see the data set's PROVENANCE.md), so agreement means agreeing
with Readability. Text is scored as that file describes: 4-gram shingles over whitespace tokens, counted as
multisets; precision is the mean over pages with output, recall the mean over all pages, F1 of those
means. Bylines count when the extractor's, whitespace-collapsed, equals the labelled one ignoring case
(newsfuse's is its authors joined by ", "; trafilatura's its metadata author as it gives it).

English pages are chosen by the rule PROVENANCE.md gives, so the subset is the one its anchor figures use:
lorem-ipsum fixtures are set apart; a declared `lang` decides; otherwise text with more than 20% non-Latin
letters is not English, text under 30 tokens is too small to count, and the rest is English when at least
15% of its tokens are common English function words.

Run: `python -m newsfuse.evaluate.readability ../shared/data/readability_test_pages [--all] [--json]`
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import trafilatura

from newsfuse.clean import clean_article
from newsfuse.ingest.html import parse_html
from newsfuse.types import Rejected

_WS = re.compile(r"\s+")
SHINGLE = 4
_STOPWORDS = frozenset(
    "the of and to a in is it that for on was with as by at be this are from or an have not but which his"
    " her they you we he she has had were their its been will would can more one all there".split()
)


@dataclass(frozen=True, slots=True)
class Page:
    name: str
    html: bytes
    gold_text: str
    byline: str | None
    english: bool


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def load_pages(root: Path) -> list[Page]:
    pages = []
    for folder in sorted(p for p in root.iterdir() if (p / "source.html").exists()):
        expected = (folder / "expected.html").read_bytes().decode("utf-8")
        gold = _collapse(lxml.html.fromstring(expected).text_content()) if expected.strip() else ""
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        byline = meta.get("byline") or None
        pages.append(
            Page(folder.name, (folder / "source.html").read_bytes(), gold, byline, _english(gold, meta))
        )
    return pages


def _english(gold: str, meta: dict[str, Any]) -> bool:
    if "lorem ipsum" in gold.casefold():
        return False
    lang = meta.get("lang")
    if lang:
        return str(lang).casefold().startswith("en")
    letters = [ch for ch in gold if ch.isalpha()]
    if letters and sum(1 for ch in letters if ord(ch) > 0x24F) / len(letters) > 0.2:
        return False
    tokens = gold.split()
    if len(tokens) < 30:
        return False
    return sum(1 for t in tokens if t.casefold().strip(".,;:!?\"'()") in _STOPWORDS) / len(tokens) >= 0.15


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = text.split()
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def _byline_matches(found: str | None, gold: str | None) -> bool:
    return bool(found and gold) and _collapse(found or "").casefold() == _collapse(gold or "").casefold()


def newsfuse_output(page: Page) -> tuple[str, str | None]:
    """(main text, byline) as newsfuse reads and cleans the page."""
    raw = parse_html(page.html, page.name)
    if isinstance(raw, Rejected):
        return "", None
    article = clean_article(raw)
    if isinstance(article, Rejected):
        return "", None
    return article.text, ", ".join(article.authors) or None


def trafilatura_output(page: Page) -> tuple[str, str | None]:
    """(main text, byline) from trafilatura alone, called as the data set's anchor figures call it."""
    text = trafilatura.extract(page.html.decode("utf-8"), include_comments=False) or ""
    meta = trafilatura.extract_metadata(page.html.decode("utf-8"))
    return text, getattr(meta, "author", None) if meta is not None else None


def score(pages: list[Page], outputs: list[tuple[str, str | None]]) -> dict[str, Any]:
    """P, R, F1 (4-gram shingles, aggregated as described above), mean per-page F1, bylines right."""
    precisions, recalls, page_f1 = [], [], []
    for page, (text, _) in zip(pages, outputs, strict=True):
        gold, found = _shingles(page.gold_text), _shingles(_collapse(text))
        tp = sum((gold & found).values())
        p = tp / sum(found.values()) if found else None
        r = tp / sum(gold.values()) if gold else 0.0
        if p is not None:
            precisions.append(p)
        recalls.append(r)
        page_f1.append(2 * p * r / (p + r) if p and p + r else 0.0)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    with_byline = [(page, out) for page, out in zip(pages, outputs, strict=True) if page.byline]
    return {
        "pages": len(pages),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "mean_page_f1": sum(page_f1) / len(page_f1) if page_f1 else 0.0,
        "bylines": len(with_byline),
        "bylines_right": sum(_byline_matches(out[1], page.byline) for page, out in with_byline),
    }


def evaluate(data_dir: str | Path) -> dict[str, dict[str, dict[str, Any]]]:
    """{"english" | "all": {"newsfuse" | "trafilatura": scores}}; bylines are counted over all pages.

    Raises FileNotFoundError when the folder holds no test pages.
    """
    pages = load_pages(Path(data_dir))
    if not pages:
        raise FileNotFoundError(f"{data_dir}: no <page>/source.html folders")
    ours = [newsfuse_output(p) for p in pages]
    theirs = [trafilatura_output(p) for p in pages]
    english = [i for i, p in enumerate(pages) if p.english]
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for subset, indices in (("english", english), ("all", list(range(len(pages))))):
        chosen = [pages[i] for i in indices]
        result[subset] = {
            "newsfuse": score(chosen, [ours[i] for i in indices]),
            "trafilatura": score(chosen, [theirs[i] for i in indices]),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir", help="folder of <page>/source.html, expected.html, expected-metadata.json"
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    scores = evaluate(args.data_dir)
    if args.json:
        print(json.dumps(scores, indent=2))
        return 0
    for subset, by_system in scores.items():
        for system, s in by_system.items():
            print(
                f"{subset:>7} {system:>11}: {s['pages']} pages  P {s['precision']:.3f}  R {s['recall']:.3f}  "
                f"F1 {s['f1']:.3f}  mean page F1 {s['mean_page_f1']:.3f}  "
                f"bylines {s['bylines_right']}/{s['bylines']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
