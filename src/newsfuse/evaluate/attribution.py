"""Scores `newsfuse.nlp.quotes.extract_quotes` against the PolNeAR attribution corpus.

PolNeAR (Newell, Margolin and Ruths, LREC 2018) annotates, in brat standoff, every attribution relation
of US political news articles: Source (who), Cue (the verb or "according to") and Content (what, possibly
discontinuous). Articles annotated by several people are scored against the first annotation file.

Metrics:

* content detection: a predicted statement matches a gold one when their content overlaps by at least
  half of the shorter of the two (one-to-one, greedy by overlap). Predicted quotes sharing one cue
  ("...," he said, "...") form one statement, as PolNeAR annotates them.
* speaker accuracy, over matched pairs whose gold relation has a Source: the predicted speaker span
  overlaps it, or the predicted speaker contains the Source's head word. Gold pronoun sources ("he") are
  rarely matched because the extractor resolves pronouns to names; `speaker_accuracy_named` leaves them out.
* cue accuracy, over matched pairs: the predicted cue span overlaps the gold cue, or the predicted cue
  contains the gold cue's head verb.

Each figure is given over all relations and over direct quotes only (gold content holding a quotation
mark; predicted direct quotes or content holding one).

Run: `python -m newsfuse.evaluate.attribution DATA_DIR [--json]`, DATA_DIR being the corpus folder
(holding `dev/`) or one split folder (holding `text/` and `attributions/`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfuse.config import DEFAULTS
from newsfuse.nlp.pipeline import load_spacy, spans_from_doc
from newsfuse.nlp.attribution import extract_quotes
from newsfuse.types import Quote


def _set(words: str) -> frozenset[str]:
    """A set of space-separated words (lexicons are written as plain text)."""
    return frozenset(words.split())


Span = tuple[int, int]
_QUOTE_CHARS = re.compile(r"[\"“”]|''|``")
_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
_PRONOUNS = _set("he she they it we i you him her them who which that his its their")
_HEAD_CUT = _set("of by for at in from with on who which that")
_CUE_AUX = _set("has have had is was were are be been will would could can may might also did does do")


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated relation. Spans are character offsets into the article text."""

    content: tuple[Span, ...]
    cue: tuple[Span, ...]
    cue_text: str
    source: tuple[Span, ...]
    source_text: str
    direct: bool


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


# ---------------------------------------------------------------- reading the corpus


def _split_dir(data_dir: Path, split: str) -> Path:
    if (data_dir / "text").is_dir():
        return data_dir
    return data_dir / split


def _parse_spans(field: str) -> tuple[Span, ...]:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in field.split(";")))


def _parse_ann(path: Path, text: str) -> tuple[GoldAttribution, ...]:
    spans: dict[str, tuple[str, tuple[Span, ...], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            kind, _, where = cols[1].partition(" ")
            spans[cols[0]] = (kind, _parse_spans(where), cols[2] if len(cols) > 2 else "")
        elif line.startswith("E") and len(cols) >= 2:
            events.append(dict(arg.split(":", 1) for arg in cols[1].split() if ":" in arg))
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""))
        if content is None:
            continue
        cue = spans.get(ev.get("Cue", ""), ("", (), ""))
        source = spans.get(ev.get("Source", ""), ("", (), ""))
        content_text = " ".join(text[a:b] for a, b in content[1])
        out.append(
            GoldAttribution(
                content=content[1],
                cue=cue[1],
                cue_text=cue[2],
                source=source[1],
                source_text=source[2],
                direct=bool(_QUOTE_CHARS.search(content_text)),
            )
        )
    return tuple(out)


def load_polnear(data_dir: Path, split: str = "dev") -> list[GoldArticle]:
    """Articles of one PolNeAR split with the relations of their first annotation file (by name)."""
    root = _split_dir(Path(data_dir), split)
    articles = []
    for txt in sorted((root / "text").glob("*.txt")):
        # annotation files are <article>_<annotator>.ann; the annotator id holds no underscore
        anns = sorted(
            p
            for p in (root / "attributions").glob(f"{txt.stem}_*.ann")
            if "_" not in p.stem[len(txt.stem) + 1 :]
        )
        if not anns:
            continue
        text = txt.read_text(encoding="utf-8")
        articles.append(GoldArticle(txt.stem, text, _parse_ann(anns[0], text)))
    return articles


# ---------------------------------------------------------------- running the extractor


def load_nlp(model: str = DEFAULTS.spacy_model) -> Any:
    """The spaCy pipeline exactly as the project runs it."""
    return load_spacy(model)


def predict(articles: Sequence[GoldArticle], nlp: Any = None) -> tuple[list[list[Quote]], float]:
    """Quotes for every article, and the mean extraction time in milliseconds (spaCy not counted)."""
    nlp = nlp or load_nlp()
    out: list[list[Quote]] = []
    spent = 0.0
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        sentences, mentions = spans_from_doc(doc)
        t0 = time.perf_counter()
        out.append(extract_quotes(article.text, sentences, mentions))
        spent += time.perf_counter() - t0
    return out, 1000 * spent / max(len(articles), 1)


# ---------------------------------------------------------------- scoring


@dataclass(slots=True)
class _Pred:
    content: list[Span]
    speaker: Span | None
    speaker_text: str
    cue: Span
    cue_text: str
    direct: bool


def _group(text: str, quotes: Iterable[Quote]) -> list[_Pred]:
    """Quotes sharing a cue are one statement."""
    groups: dict[tuple[int, int, int], _Pred] = {}
    for i, q in enumerate(quotes):
        key = (q.cue_start, q.cue_end, -1) if q.cue else (q.content_start, q.content_end, i)
        direct = q.direct or bool(_QUOTE_CHARS.search(text[q.content_start : q.content_end]))
        if key in groups:
            groups[key].content.append((q.content_start, q.content_end))
            groups[key].direct |= direct
            continue
        speaker = (
            None if q.speaker_start is None or q.speaker_end is None else (q.speaker_start, q.speaker_end)
        )
        groups[key] = _Pred(
            [(q.content_start, q.content_end)],
            speaker,
            q.speaker or "",
            (q.cue_start, q.cue_end),
            q.cue,
            direct,
        )
    return list(groups.values())


def _length(spans: Iterable[Span]) -> int:
    return sum(b - a for a, b in spans)


def _overlap(xs: Iterable[Span], ys: Sequence[Span]) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in xs for c, d in ys)


def _words(s: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(s)]


def _source_head(source_text: str) -> str | None:
    """The head word of a gold source: the last word before a comma, preposition or relative pronoun."""
    words: list[str] = []
    for w in _words(source_text.split(",")[0]):
        if w in _HEAD_CUT and words:
            break
        words.append(w)
    return words[-1] if words else None


def _cue_head(cue_text: str) -> str | None:
    words = [w for w in _words(cue_text) if w not in _CUE_AUX]
    return words[0] if words else None


def _match(preds: Sequence[_Pred], golds: Sequence[GoldAttribution]) -> list[tuple[_Pred, GoldAttribution]]:
    candidates = []
    for pi, p in enumerate(preds):
        lp = _length(p.content)
        for gi, g in enumerate(golds):
            ov = _overlap(p.content, g.content)
            if ov and ov >= 0.5 * min(lp, _length(g.content)):
                candidates.append((ov, pi, gi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, pi, gi in candidates:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            pairs.append((preds[pi], golds[gi]))
    return pairs


def _speaker_ok(p: _Pred, g: GoldAttribution) -> bool:
    if p.speaker is not None and _overlap([p.speaker], g.source):
        return True
    head = _source_head(g.source_text)
    return head is not None and head in _words(p.speaker_text)


def _cue_ok(p: _Pred, g: GoldAttribution) -> bool:
    if p.cue[1] > p.cue[0] and _overlap([p.cue], g.cue):
        return True
    head = _cue_head(g.cue_text)
    return head is not None and head in _words(p.cue_text)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _figures(pairs: list[tuple[_Pred, GoldAttribution]], n_pred: int, n_gold: int) -> dict[str, Any]:
    with_source = [(p, g) for p, g in pairs if g.source]
    named = [(p, g) for p, g in with_source if (_source_head(g.source_text) or "") not in _PRONOUNS]
    precision, recall = _ratio(len(pairs), n_pred), _ratio(len(pairs), n_gold)
    return {
        "predicted": n_pred,
        "gold": n_gold,
        "matched": len(pairs),
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * len(pairs), n_pred + n_gold),
        "speaker_pairs": len(with_source),
        "speaker_accuracy": _ratio(sum(_speaker_ok(p, g) for p, g in with_source), len(with_source)),
        "speaker_pairs_named": len(named),
        "speaker_accuracy_named": _ratio(sum(_speaker_ok(p, g) for p, g in named), len(named)),
        "cue_accuracy": _ratio(sum(_cue_ok(p, g) for p, g in pairs), len(pairs)),
    }


def score(articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Quote]]) -> dict[str, Any]:
    """Overall and direct-quote figures for `predictions` (one list of quotes per article)."""
    totals: dict[str, list[Any]] = {"overall": [[], 0, 0], "direct": [[], 0, 0]}
    for article, quotes in zip(articles, predictions, strict=True):
        preds = _group(article.text, quotes)
        golds = list(article.attributions)
        for name, ps, gs in (
            ("overall", preds, golds),
            ("direct", [p for p in preds if p.direct], [g for g in golds if g.direct]),
        ):
            totals[name][0].extend(_match(ps, gs))
            totals[name][1] += len(ps)
            totals[name][2] += len(gs)
    return {name: _figures(*t) for name, t in totals.items()}


def evaluate(data_dir: Path, split: str = "dev", nlp: Any = None) -> dict[str, Any]:
    """Load the corpus, run spaCy and the extractor, and score. Adds article count and timing."""
    articles = load_polnear(data_dir, split)
    predictions, ms = predict(articles, nlp)
    result = score(articles, predictions)
    result["articles"] = len(articles)
    result["extract_ms_per_article"] = ms
    return result


def _print(result: dict[str, Any]) -> None:
    ms = result["extract_ms_per_article"]
    print(f"PolNeAR attribution: {result['articles']} articles, extraction {ms:.2f} ms/article")
    for name in ("overall", "direct"):
        r = result[name]
        print(
            f"{name:8s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
            f"(pred {r['predicted']}, gold {r['gold']}, matched {r['matched']})  "
            f"speaker {r['speaker_accuracy']:.3f} (n={r['speaker_pairs']}; "
            f"named {r['speaker_accuracy_named']:.3f}, n={r['speaker_pairs_named']})  "
            f"cue {r['cue_accuracy']:.3f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsfuse.evaluate.attribution", description=__doc__.split("\n")[0]
    )
    parser.add_argument("data_dir", type=Path, help="PolNeAR folder (holding dev/) or a split folder")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not (_split_dir(args.data_dir, args.split) / "text").is_dir():
        print(f"no PolNeAR text folder under {args.data_dir}", file=sys.stderr)
        return 2
    result = evaluate(args.data_dir, args.split)
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        _print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
