"""Trains the attribution tagger (`tagger.py`) on PolNeAR and writes the model shipped in this package.

    python -m newsfuse.nlp.attribution.train ../shared/data/polnear_attribution [--out FILE]

Reads the `train/` split (840 articles, the first annotation file of each), runs the project's spaCy
pipeline for sentences and entities, labels every token Source/Cue/Content (BIO) from the brat spans, and
fits a CRF with L-BFGS (elastic net; c1 and c2 chosen on `dev/`). A few minutes on one core, most of it
the spaCy pass; the fit itself about 100 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from newsfuse.evaluate.attribution import GoldArticle, load_nlp, load_polnear
from newsfuse.nlp.attribution.tagger import article_features, model_path
from newsfuse.nlp.pipeline import spans_from_doc
from newsfuse.types import Mention, Sentence

C1, C2, ITERATIONS = 1.0, 0.01, 80


def gold_labels(article: GoldArticle, toks: Sequence[tuple[int, int]], para: tuple[int, int]) -> list[str]:
    """BIO role labels of the tokens of one paragraph from the gold relations."""
    spans: list[tuple[str, tuple[int, int]]] = []
    for rel in article.attributions:
        spans.extend(("CONTENT", s) for s in rel.content)
        spans.extend(("CUE", s) for s in rel.cue)
        spans.extend(("SOURCE", s) for s in rel.source)
    spans.sort(key=lambda x: x[1])
    labels = []
    prev: tuple[str, tuple[int, int]] | None = None
    for s, e in toks[para[0] : para[1]]:
        hit = next((x for x in spans if x[1][0] < e and s < x[1][1]), None)
        if hit is None:
            labels.append("O")
        else:
            labels.append(("I-" if hit == prev else "B-") + hit[0])
        prev = hit
    return labels


def sequences(
    annotated: Sequence[tuple[GoldArticle, Sequence[Sentence], Sequence[Mention]]],
) -> list[tuple[list[list[bytes]], list[str]]]:
    out = []
    for article, sentences, mentions in annotated:
        toks, paras, feats = article_features(article.text, sentences, mentions)
        for p, f in zip(paras, feats, strict=True):
            out.append((f, gold_labels(article, toks, p)))
    return out


def annotate(
    articles: Sequence[GoldArticle],
) -> list[tuple[GoldArticle, Sequence[Sentence], Sequence[Mention]]]:
    nlp = load_nlp()
    return [
        (a, *spans_from_doc(doc)) for a, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True)
    ]


def train(
    annotated: Sequence[tuple[GoldArticle, Sequence[Sentence], Sequence[Mention]]],
    out: Path,
    c1: float = C1,
    c2: float = C2,
    iterations: int = ITERATIONS,
) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in sequences(annotated):
        trainer.append(xseq, yseq)
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    trainer.train(str(out))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsfuse.nlp.attribution.train", description=__doc__)
    parser.add_argument("data_dir", type=Path, help="PolNeAR folder (holding train/)")
    parser.add_argument("--out", type=Path, default=model_path())
    parser.add_argument("--c1", type=float, default=C1)
    parser.add_argument("--c2", type=float, default=C2)
    parser.add_argument("--iterations", type=int, default=ITERATIONS)
    args = parser.parse_args(argv)
    if not (args.data_dir / "train" / "text").is_dir():
        print(f"no PolNeAR train/text folder under {args.data_dir}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    annotated = annotate(load_polnear(args.data_dir, "train"))
    t1 = time.perf_counter()
    train(annotated, args.out, args.c1, args.c2, args.iterations)
    print(f"annotated in {t1 - t0:.0f} s, trained in {time.perf_counter() - t1:.0f} s: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
