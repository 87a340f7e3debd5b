"""Scores story summaries against human multi-source summaries, beside two published baselines.

Input: a JSONL file of clusters (`newsfuse.evaluate.summary_data`; `newsfuse eval convert neus-mds DIR
OUT.jsonl` writes NeuS / AllSides in that form). Each cluster's articles are read, cleaned and annotated
as `newsfuse run` would, then fused as one story. Three summaries per cluster, each cut to the same word
budget, are scored with ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 from `rouge-score` (Porter-stemmed, the
settings the published NeuS figures use):

- `newsfuse`: the story's headline (`Story.title`), then its summary sentences in order, each after its
  outlet's name when it is in that outlet's own voice (`SummarySentence.voice`) and the outlet is known;
- `lexrank`: LexRank (sumy's implementation, on newsfuse's sentence splits and a word tokenizer of ours,
  so nothing downloads NLTK data) over the cluster's headlines and sentences, best first;
- `lead`: the first report's headline, then the first sentence of each report, then the second of
  each, and so on.

Every system reads the headlines, because a reference (NeuS: the AllSides editor's neutral headline,
then a summary) opens with one; without them, on NeuS val, newsfuse's ROUGE-2 is about 0.6 lower.

ROUGE-Lsum reads a summary's sentence breaks; the reference is split at sentence-final punctuation.

Run: `newsfuse eval summarize FILE.jsonl [--dump OUT.jsonl] [--json] [--words 75]`, or
`python -m newsfuse.evaluate.summary FILE.jsonl ...` with the same options and `--limit N`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsfuse.config import Settings, load_settings
from newsfuse.errors import NewsfuseError
from newsfuse.evaluate.cluster_data import write_jsonl
from newsfuse.evaluate.summary_data import Cluster, read_clusters
from newsfuse.types import Annotated

WORD_BUDGET = 75
SYSTEMS = ("newsfuse", "lexrank", "lead")
METRICS = ("rouge1", "rouge2", "rougeLsum")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_REFERENCE_SENTENCE = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+")


class _WordTokenizer:
    """What sumy needs of a tokenizer: words of a sentence. Sentences are newsfuse's own."""

    @staticmethod
    def to_words(sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def lexrank_ranking(sentences: Sequence[str]) -> list[str]:
    """The sentences best first by LexRank (sumy; English Snowball stems, sumy's English stop words)."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _WordTokenizer()
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    ranked: list[Any] = []

    def keep_all(infos: list[Any]) -> list[Any]:  # sumy passes the sentences best first
        ranked.extend(infos)
        return infos

    summarizer(document, keep_all)
    return [str(info.sentence) for info in ranked]


def lead_order(per_article: Sequence[Sequence[str]]) -> list[str]:
    """The first sentence of each article, then the second of each, and so on."""
    depth = max(map(len, per_article), default=0)
    return [doc[d] for d in range(depth) for doc in per_article if d < len(doc)]


def budget(sentences: Sequence[str], words: int = WORD_BUDGET) -> list[str]:
    """The sentences in order until `words` words, the last one cut at the budget."""
    out: list[str] = []
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        if not tokens:
            continue
        out.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return out


class _Rouge:
    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)

    def __call__(self, summary: Sequence[str], reference: str) -> dict[str, float]:
        target = "\n".join(s for s in _REFERENCE_SENTENCE.split(reference.strip()) if s)
        scored = self._scorer.score(target, "\n".join(summary))
        return {m: scored[m].fmeasure for m in METRICS}


def summarise_clusters(
    clusters: Sequence[Cluster], settings: Settings | None = None
) -> list[dict[str, list[str]]]:
    """For each cluster, each system's sentences best first (newsfuse: the story's summary)."""
    from newsfuse.pipeline import Stages

    stages = Stages.from_settings(settings or load_settings())
    flat = [a for c in clusters for a in c.articles]
    annotated = {item.article.id: item for item in stages.annotator.annotate(flat)}
    out = []
    for cluster in clusters:
        items: list[Annotated] = [annotated[a.id] for a in cluster.articles]
        story = stages.fuser.fuse(cluster.id, items)
        per_article = [[i.article.text[s.start : s.end] for s in i.sentences] for i in items]
        titles = [a.title for a in cluster.articles if a.title.strip()]
        named = {a.id for a in cluster.articles if a.outlet}
        said = [
            f"{s.voice}: {s.text}" if s.voice and s.citations[0].article_id in named else s.text
            for s in story.summary
        ]
        out.append(
            {
                "newsfuse": [t for t in [story.title] if t.strip()] + said,
                "lexrank": lexrank_ranking(titles + [s for doc in per_article for s in doc]),
                "lead": titles[:1] + lead_order(per_article),
            }
        )
    return out


def evaluate_file(
    path: str | Path,
    words: int = WORD_BUDGET,
    dump: str | Path | None = None,
    settings: Settings | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Mean ROUGE F1 of each system over the clusters that have a reference; newsfuse's summaries, cut to
    `words`, written to `dump` as `{"id", "summary"}` lines when given."""
    clusters, rejected = read_clusters(path)
    clusters = clusters[:limit]
    summaries = summarise_clusters(clusters, settings)
    if dump is not None:
        write_jsonl(
            (
                {"id": c.id, "summary": " ".join(budget(s["newsfuse"], words))}
                for c, s in zip(clusters, summaries, strict=True)
            ),
            dump,
        )
    rouge = _Rouge()
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in SYSTEMS}
    for cluster, by_system in zip(clusters, summaries, strict=True):
        if not cluster.reference:
            continue
        for name in SYSTEMS:
            rows[name].append(rouge(budget(by_system[name], words), cluster.reference))
    scored = len(rows["newsfuse"])
    return {
        "clusters": len(clusters),
        "scored": scored,
        "rejected": [r.message for r in rejected],
        "word_budget": words,
        "systems": {
            name: {m: sum(r[m] for r in rows[name]) / scored for m in METRICS} if scored else {}
            for name in SYSTEMS
        },
    }


def format_scores(result: dict[str, Any]) -> str:
    lines = [
        f"{result['clusters']} clusters ({result['scored']} with a reference, "
        f"{len(result['rejected'])} articles rejected), summaries cut to {result['word_budget']} words"
    ]
    for name, s in result["systems"].items():
        if s:
            lines.append(
                f"{name:9s} ROUGE-1 {100 * s['rouge1']:.2f}  ROUGE-2 {100 * s['rouge2']:.2f}  "
                f"ROUGE-Lsum {100 * s['rougeLsum']:.2f}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score newsfuse summaries against reference summaries.")
    parser.add_argument("file", metavar="FILE.jsonl")
    parser.add_argument("--dump", metavar="OUT.jsonl")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--words", type=int, default=WORD_BUDGET)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    try:
        result = evaluate_file(args.file, args.words, args.dump, limit=args.limit)
    except NewsfuseError as exc:
        print(f"newsfuse: error: {exc}", file=sys.stderr)
        return 2
    for message in result["rejected"]:
        print(f"newsfuse: skipped {message}", file=sys.stderr)
    print(json.dumps(result, indent=2) if args.json else format_scores(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
