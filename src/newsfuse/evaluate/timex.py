"""Scores `newsfuse.nlp.timex.find_timexes` against TimeML gold files, as TempEval-3 (Task A) does.

Each `.tml` document gives its text (the TEXT element with its tags removed) and its creation time (the
DCT's TIMEX3 value), which anchors the relative expressions in place of a publication date.

* extraction: a system expression matches a gold one strictly when the extents are identical, relaxed
  when they overlap (one-to-one, in text order); precision, recall and F1 for each;
* type and value accuracy: correct attributes over the relaxed matches; value F1 is value accuracy times
  relaxed F1 (TempEval-3 ranks systems by it).

The development set is split by a fixed rule so that rules are tuned on one part and reported on the
other: the documents sorted by their path under DIR, the even-numbered ones (0, 2, ...) are `tuning`,
the odd-numbered ones `held-out`.

Run: `newsfuse eval timex DIR [--part all|tuning|held-out] [--json]` or
`python -m newsfuse.evaluate.timex DIR ...`.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsfuse.errors import NewsfuseError
from newsfuse.nlp.timex import find_timexes

PARTS = ("all", "tuning", "held-out")
_TAG_OR_ENTITY = re.compile(r"<(/?)(\w+)([^>]*)>|&(#?\w+);")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_DCT = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.S)


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    name: str
    text: str
    creation: date
    timexes: tuple[GoldTimex, ...]


def read_tml(path: Path) -> GoldDocument:
    """A TimeML file's text, creation date and TIMEX3s. Raises ValueError naming what is missing."""
    raw = path.read_text(encoding="utf-8")
    dct = _DCT.search(raw)
    if dct is None:
        raise ValueError("no <DCT><TIMEX3 .../> creation time")
    dct_value = dict(_ATTRIBUTE.findall(dct.group(1))).get("value", "")
    try:
        creation = date.fromisoformat(dct_value[:10])
    except ValueError:
        raise ValueError(f"creation time {dct_value!r} is not a date") from None
    start_tag, end_tag = raw.find("<TEXT>"), raw.find("</TEXT>")
    if start_tag < 0 or end_tag < 0:
        raise ValueError("no <TEXT> element")
    body = raw[start_tag + len("<TEXT>") : end_tag]
    pieces: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes = []
    last = 0
    for m in _TAG_OR_ENTITY.finditer(body):
        chunk = body[last : m.start()]
        pieces.append(chunk)
        length += len(chunk)
        last = m.end()
        if m.group(4) is not None:  # an entity: &amp; -> &
            char = html.unescape(m.group(0))
            pieces.append(char)
            length += len(char)
        elif m.group(2) == "TIMEX3":
            if m.group(1):
                if open_timex is not None:
                    begin, attributes = open_timex
                    timexes.append(
                        GoldTimex(begin, length, attributes.get("type", ""), attributes.get("value", ""))
                    )
                open_timex = None
            else:
                open_timex = (length, dict(_ATTRIBUTE.findall(m.group(3))))
    pieces.append(body[last:])
    return GoldDocument(path.stem, "".join(pieces), creation, tuple(timexes))


def split(paths: Sequence[Path], root: Path, part: str) -> list[Path]:
    """The documents of one part: sorted by path under `root`, even positions tuning, odd held-out."""
    ordered = sorted(paths, key=lambda p: p.relative_to(root).as_posix())
    if part == "all":
        return ordered
    return ordered[0 if part == "tuning" else 1 :: 2]


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_documents(documents: Sequence[GoldDocument]) -> dict[str, Any]:
    gold_total = system_total = strict = relaxed = type_ok = value_ok = 0
    for doc in documents:
        system = find_timexes(doc.text, anchor=(doc.creation, "published"))
        gold_total += len(doc.timexes)
        system_total += len(system)
        used: set[int] = set()
        for g in doc.timexes:
            for i, s in enumerate(system):
                if i in used or s.end <= g.start or s.start >= g.end:
                    continue
                used.add(i)
                relaxed += 1
                strict += s.start == g.start and s.end == g.end
                type_ok += s.type == g.type
                value_ok += s.value == g.value
                break
    result: dict[str, Any] = {"extraction": {}}
    for name, matched in (("strict", strict), ("relaxed", relaxed)):
        p, r = _ratio(matched, system_total), _ratio(matched, gold_total)
        result["extraction"][name] = {"p": round(p, 4), "r": round(r, 4), "f1": round(_f1(p, r), 4)}
    relaxed_f1 = _f1(_ratio(relaxed, system_total), _ratio(relaxed, gold_total))
    type_accuracy, value_accuracy = _ratio(type_ok, relaxed), _ratio(value_ok, relaxed)
    result["type"] = {"accuracy": round(type_accuracy, 4), "f1": round(type_accuracy * relaxed_f1, 4)}
    result["value"] = {"accuracy": round(value_accuracy, 4), "f1": round(value_accuracy * relaxed_f1, 4)}
    result["documents"] = len(documents)
    result["gold"], result["system"] = gold_total, system_total
    return result


def evaluate(directory: str | Path, part: str = "all") -> dict[str, Any]:
    """Scores on the `.tml` files under `directory` (searched recursively); unreadable files are listed
    under `skipped` with the reason. Raises NewsfuseError when there is no such folder or no file."""
    root = Path(directory)
    if part not in PARTS:
        raise NewsfuseError(f"part must be one of {', '.join(PARTS)}, got {part!r}")
    if not root.is_dir():
        raise NewsfuseError(f"no folder at {root}")
    paths = split(list(root.rglob("*.tml")), root, part)
    if not paths:
        raise NewsfuseError(f"no .tml files under {root}")
    documents, skipped = [], []
    for path in paths:
        try:
            documents.append(read_tml(path))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            skipped.append(f"{path}: {exc}")
    result = score_documents(documents)
    result["part"] = part
    if skipped:
        result["skipped"] = skipped
    return result


def format_scores(result: dict[str, Any]) -> str:
    lines = [f"{result['documents']} documents ({result['part']}), {result['gold']} gold and "
             f"{result['system']} system time expressions"]  # fmt: skip
    for name in ("strict", "relaxed"):
        e = result["extraction"][name]
        lines.append(f"extraction {name:<8} P {e['p']:.3f}  R {e['r']:.3f}  F1 {e['f1']:.3f}")
    lines.append(f"type       accuracy {result['type']['accuracy']:.3f}  F1 {result['type']['f1']:.3f}")
    lines.append(f"value      accuracy {result['value']['accuracy']:.3f}  F1 {result['value']['f1']:.3f}")
    lines += [f"skipped {s}" for s in result.get("skipped", ())]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsfuse.evaluate.timex", description=__doc__.split("\n")[0]
    )
    parser.add_argument("directory", metavar="DIR", help="folder of TimeML .tml files (searched recursively)")
    parser.add_argument("--part", choices=PARTS, default="all", help="the development split to score")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.directory, args.part)
    except NewsfuseError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else format_scores(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
