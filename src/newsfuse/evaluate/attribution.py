"""Scores attribution (`newsfuse.nlp.attribution.extract_quotes`) against the PolNeAR corpus.

PolNeAR (Newell, Margolin and Ruths, LREC 2018) annotates, in brat standoff, every attribution relation
of US political news articles: Source (who), Cue (the verb or "according to") and Content (what, possibly
discontinuous). Articles annotated by several people are scored against the first annotation file.

Metrics, for the `source`, `cue` and `content` spans separately: precision, recall and F1 of the
predicted spans against the gold ones, each `exact` (the same characters, after trimming whitespace and
clause punctuation at both ends) and `overlap` (one-to-one matching of overlapping spans, largest overlap
first). Predicted quotes sharing one cue ("...," he said, "...") form one relation with a discontinuous
content, as PolNeAR annotates them; a span shared by several relations counts once. The speaker span
scored is the one as written (a pronoun is "he", its resolution is kept beside it).

Each figure is given over `all` relations and over `direct` quotes only (gold content holding a quotation
mark; predicted direct quotes or content holding one).

Run: `newsfuse eval attribution DIR [--json]` (or `python -m newsfuse.evaluate.attribution`), DIR being
one split folder (holding `text/` and `attributions/`) or the corpus folder holding `dev/`. As text it
scores the shipped extractor and the rules beside it; `--json` gives the shipped one only.
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
from newsfuse.nlp.attribution import ATTRIBUTION_METHODS, extract_quotes
from newsfuse.nlp.pipeline import load_spacy, spans_from_doc, with_time_mentions
from newsfuse.nlp.timex import find_timexes
from newsfuse.types import Quote


def _set(words: str) -> frozenset[str]:
    """A set of space-separated words (lexicons are written as plain text)."""
    return frozenset(words.split())


Span = tuple[int, int]
_QUOTE_CHARS = re.compile(r"[\"“”]|''|``")


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


_TRIM = " \t\n,.;:"


def _trim(text: str, spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans without surrounding whitespace and clause punctuation, so that "exact" means the same words."""
    out = []
    for a, b in spans:
        while a < b and text[a] in _TRIM:
            a += 1
        while b > a and text[b - 1] in _TRIM:
            b -= 1
        if b > a:
            out.append((a, b))
    return tuple(sorted(out))


def _overlap(xs: Iterable[Span], ys: Sequence[Span]) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in xs for c, d in ys)


def _matched(preds: Sequence[tuple[Span, ...]], golds: Sequence[tuple[Span, ...]], exact: bool) -> int:
    """How many predicted spans match a gold one: equal spans, or one-to-one overlapping ones (largest
    overlaps first)."""
    if exact:
        return len(set(preds) & set(golds))
    candidates = sorted(
        ((-ov, pi, gi) for pi, p in enumerate(preds) for gi, g in enumerate(golds) if (ov := _overlap(p, g))),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, pi, gi in candidates:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
    return len(used_p)


def _role_spans(
    text: str, relations: Iterable[tuple[tuple[Span, ...], ...]], role: int
) -> list[tuple[Span, ...]]:
    return list(dict.fromkeys(t for rel in relations if (t := _trim(text, rel[role]))))


def _prf(matched: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


ROLES = ("source", "cue", "content")


def score(articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Quote]]) -> dict[str, Any]:
    """Precision, recall and F1 of source, cue and content spans, exact and overlapping, over all
    relations and over direct quotes only."""
    counts = {
        (subset, role, how): [0, 0, 0]
        for subset in ("all", "direct")
        for role in ROLES
        for how in ("exact", "overlap")
    }
    for article, quotes in zip(articles, predictions, strict=True):
        preds = _group(article.text, quotes)
        pred_rels = {
            "all": [
                (tuple(p.content), (p.cue,) if p.cue[1] > p.cue[0] else (), (p.speaker,) if p.speaker else ())
                for p in preds
            ],
        }
        pred_rels["direct"] = [r for r, p in zip(pred_rels["all"], preds, strict=True) if p.direct]
        gold_rels = {"all": [(g.content, g.cue, g.source) for g in article.attributions]}
        gold_rels["direct"] = [
            r for r, g in zip(gold_rels["all"], article.attributions, strict=True) if g.direct
        ]
        for subset in ("all", "direct"):
            for ri, role in enumerate(ROLES):
                ps = _role_spans(article.text, pred_rels[subset], ri)
                gs = _role_spans(article.text, gold_rels[subset], ri)
                for how in ("exact", "overlap"):
                    c = counts[(subset, role, how)]
                    c[0] += _matched(ps, gs, how == "exact")
                    c[1] += len(ps)
                    c[2] += len(gs)
    result: dict[str, Any] = {}
    for (subset, role, how), (m, n_pred, n_gold) in counts.items():
        result.setdefault(subset, {}).setdefault(role, {})[how] = _prf(m, n_pred, n_gold)
    result["articles"] = len(articles)
    return result


def evaluate(
    data_dir: Path, split: str = "dev", nlp: Any = None, methods: Sequence[str] = (DEFAULTS.attribution,)
) -> dict[str, dict[str, Any]]:
    """Load the corpus, run spaCy once and each extractor in `methods`, and score each. Adds the
    extraction time per article (spaCy not counted) as `ms_per_article` beside each method's figures."""
    articles = load_polnear(data_dir, split)
    nlp = nlp or load_nlp()
    annotated = []
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        sentences, mentions = spans_from_doc(doc)
        # As the pipeline does: dates come from the time expressions, not from spaCy's DATE label.
        annotated.append((sentences, with_time_mentions(mentions, find_timexes(article.text))))
    out: dict[str, dict[str, Any]] = {}
    for method in methods:
        t0 = time.perf_counter()
        predictions = [
            extract_quotes(a.text, sents, mentions, method=method)
            for a, (sents, mentions) in zip(articles, annotated, strict=True)
        ]
        ms = 1000 * (time.perf_counter() - t0) / max(len(articles), 1)
        out[method] = score(articles, predictions) | {"ms_per_article": round(ms, 2)}
    return out


def _print(method: str, result: dict[str, Any]) -> None:
    print(
        f"{method}: {result['articles']} articles, {result['ms_per_article']:.2f} ms/article (spaCy excluded)"
    )
    print(f"  {'':8s} {'':8s} {'exact P':>8s} {'R':>6s} {'F1':>6s}   {'overlap P':>9s} {'R':>6s} {'F1':>6s}")
    for subset in ("all", "direct"):
        for role in ROLES:
            e, o = result[subset][role]["exact"], result[subset][role]["overlap"]
            print(
                f"  {subset:8s} {role:8s} {e['p']:8.3f} {e['r']:6.3f} {e['f1']:6.3f}   "
                f"{o['p']:9.3f} {o['r']:6.3f} {o['f1']:6.3f}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsfuse eval attribution", description=__doc__.split("\n")[0])
    parser.add_argument(
        "data_dir", type=Path, help="a PolNeAR split folder, or the corpus folder holding dev/"
    )
    parser.add_argument("--split", default="dev")
    parser.add_argument("--json", action="store_true", help="print the shipped extractor's figures as JSON")
    parser.add_argument(
        "--method",
        choices=ATTRIBUTION_METHODS,
        default=None,
        help="score one extractor only (default: the shipped one, and the rules beside it as text)",
    )
    args = parser.parse_args(argv)
    if not (_split_dir(args.data_dir, args.split) / "text").is_dir():
        print(f"no PolNeAR text/ folder under {args.data_dir}", file=sys.stderr)
        return 2
    if args.json:
        method = args.method or DEFAULTS.attribution
        result = evaluate(args.data_dir, args.split, methods=[method])[method]
        result.pop("ms_per_article")
        print(json.dumps(result, indent=2))
        return 0
    methods = (
        [args.method] if args.method else list(dict.fromkeys([DEFAULTS.attribution, *ATTRIBUTION_METHODS]))
    )
    for method, result in evaluate(args.data_dir, args.split, methods=methods).items():
        _print(method, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
