"""Grouping embeddings compared: CPU per article and grouping quality, MiniLM (shipped) against the model2vec
static model of fuse/sentence_model (distilled from MiniLM), padded into MiniLM's halves.

    python benchmarks/grouping_embeddings.py NEUS.jsonl [minilm] [static] [--thresholds 0.35 0.55]

NEUS.jsonl comes from `newsfuse eval convert neus ../shared/data/neus_allsides_mds/val.source NEUS.jsonl`.
Prints CPU ms per giveme5w1h article of the embedding (one torch thread, as in a worker) and B-cubed scores.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from newsfuse.cluster import features
from newsfuse.config import load_settings
from newsfuse.evaluate.clustering import evaluate_cluster_file, evaluate_giveme5w1h
from newsfuse.fuse.align import embed_sentences
from newsfuse.pipeline import read_articles

GIVEME = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"


def _static(texts, batch_size=32):  # noqa: ANN001, ANN202 - the signature of features.embed
    vectors = embed_sentences([t[: features._EMBED_CHARS] for t in texts])
    out = np.zeros((len(texts), features.MODEL_DIM), dtype=np.float32)
    out[:, : vectors.shape[1]] = vectors
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("neus")
    parser.add_argument("models", nargs="*", default=["minilm", "static"])
    parser.add_argument("--thresholds", nargs="+", type=float, default=[0.35])
    args = parser.parse_args()
    torch.set_num_threads(1)
    embedders = {"minilm": features.embed, "static": _static}
    articles = list(read_articles([GIVEME], progress=False).articles)
    for name in args.models:
        features.embed = embedders[name]
        features.article_embeddings(articles[:4])  # load the model outside the timing
        cpu = time.process_time()
        features.article_embeddings(articles)
        print(f"{name}: {1000 * (time.process_time() - cpu) / len(articles):.1f} ms CPU per article")
        for threshold in args.thresholds:
            settings = load_settings(cluster_threshold=threshold)
            for label, scores in (
                ("giveme5w1h", evaluate_giveme5w1h(GIVEME, settings)),
                ("neus", evaluate_cluster_file(args.neus, settings)),
            ):
                print(
                    f"  threshold {threshold}: {label} B-cubed P {scores['precision']:.3f} "
                    f"R {scores['recall']:.3f} F1 {scores['f1']:.3f}, {scores['stories']} stories"
                )


if __name__ == "__main__":
    main()
