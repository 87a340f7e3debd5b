"""The learned part of attribution: a linear-chain CRF that tags every token of a paragraph as part of a
Source, Cue or Content span (BIO), trained on PolNeAR (see `train.py`).

It reaches what a cue-verb lexicon cannot: reported speech framed by nouns and phrases ("a statement from
X", "X's view is that"), beliefs, intentions and findings, and sources far from their cue. The features
are in `features.py`; the model is a CRFsuite file shipped in this package (`attribution.crfsuite`),
decoded at run time from its weights by `crf.py`.

`tag_spans` returns role spans; `link` groups them into relations (each cue with the nearest source and
the content spans of its paragraph).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsfuse.nlp.attribution.crf import CompiledCRF
from newsfuse.nlp.attribution.document import Doc
from newsfuse.nlp.attribution.features import QUOTES, features
from newsfuse.nlp.attribution.lexicon import TOKEN
from newsfuse.types import Mention, Quote, Sentence

MODEL_FILE = "attribution.crfsuite"
ROLES = ("SOURCE", "CUE", "CONTENT")

_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A tagged span: `role` is SOURCE, CUE or CONTENT; offsets into the article text."""

    role: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Relation:
    """One attribution as the tagger found it. `cue` may be None (content with no cue in reach)."""

    content: tuple[RoleSpan, ...]
    cue: RoleSpan | None
    source: RoleSpan | None


def tokens(text: str) -> list[tuple[int, int]]:
    return list(map(re.Match.span, TOKEN.finditer(text)))


def paragraphs(tok_starts: Sequence[int], text: str) -> list[tuple[int, int]]:
    """Token index ranges [a, b) of the paragraphs (lines) of the text; `tok_starts` sorted."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        a = bisect_left(tok_starts, m.start())
        b = bisect_left(tok_starts, m.end())
        if b > a:
            out.append((a, b))
    return out


def ner_tags(mentions: Sequence[Mention]) -> dict[int, str]:
    """Token start offset -> BIO label of the mention it starts or lies in (computed per character)."""
    out: dict[int, str] = {}
    for m in mentions:
        out[m.start] = "B-" + m.type
        for t in TOKEN.finditer(m.text):
            if t.start():
                out[m.start + t.start()] = "I-" + m.type
    return out


def _token_indices(starts: Sequence[int], offsets: Iterable[int]) -> list[int]:
    """The sorted indices of the tokens starting at one of `offsets`."""
    out = []
    for off in offsets:
        i = bisect_left(starts, off)
        if i < len(starts) and starts[i] == off:
            out.append(i)
    return sorted(set(out))


@dataclass(frozen=True, slots=True)
class TaggerInput:
    """An article as the tagger sees it: its tokens (offsets and strings), its paragraphs as token index
    ranges [a, b), the indices of the tokens opening a sentence, and (index, BIO label) of the tokens in
    a mention."""

    toks: list[tuple[int, int]]
    words: Sequence[str]
    paras: list[tuple[int, int]]
    firsts: list[int]
    entities: list[tuple[int, str]]


def tagger_input(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], doc: Doc | None = None
) -> TaggerInput:
    """`doc` is the rules' view of the article when they ran first: its tokens are the ones tagged (one
    tokenisation for both)."""
    doc = doc or Doc(text, mentions)
    starts = doc.tok_start
    ner = ner_tags(mentions)
    return TaggerInput(
        list(zip(starts, doc.tok_end, strict=True)),
        doc.tok,
        paragraphs(starts, text),
        _token_indices(starts, (s.start for s in sentences)),
        [(i, ner[starts[i]]) for i in _token_indices(starts, ner)],
    )


def paragraph_features(inp: TaggerInput) -> list[list[list[bytes]]]:
    """The feature strings of every paragraph (what CRFsuite trains on)."""
    firsts, entities = inp.firsts, inp.entities
    entity_at = [i for i, _ in entities]
    feats = []
    for a, b in inp.paras:
        fa, fb = bisect_left(firsts, a), bisect_left(firsts, b)
        ea, eb = bisect_left(entity_at, a), bisect_left(entity_at, b)
        feats.append(
            features(
                inp.words[a:b], [i - a for i in firsts[fa:fb]], [(i - a, lab) for i, lab in entities[ea:eb]]
            )
        )
    return feats


def article_features(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], doc: Doc | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[list[list[bytes]]]]:
    """Tokens, paragraphs and the feature sequences of every paragraph."""
    inp = tagger_input(text, sentences, mentions, doc)
    return inp.toks, inp.paras, paragraph_features(inp)


@lru_cache(maxsize=4)
def load_tagger(path: str | None = None) -> Any:
    """The CRFsuite tagger from `path`, or the one shipped in this package."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path or str(model_path()))
    return tagger


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> CompiledCRF:
    """The CRF from `path`, or the one shipped in this package, as arrays for run-time decoding."""
    return CompiledCRF(load_tagger(path))


def model_path() -> Path:
    return Path(str(files("newsfuse.nlp.attribution").joinpath(MODEL_FILE)))


def tag_labels(inp: TaggerInput, model: CompiledCRF | None = None) -> list[list[str]]:
    """The BIO labels of every paragraph's tokens."""
    model = model or load_model()
    return model.decode(model.scores(inp.words, inp.paras, inp.firsts, inp.entities), inp.paras)


def spans_from_tags(toks: Sequence[tuple[int, int]], a: int, labels: Sequence[str]) -> list[RoleSpan]:
    """BIO labels of the tokens from index `a` -> role spans (an I- after O or another role opens one)."""
    out: list[RoleSpan] = []
    n = len(labels)
    i = 0
    while i < n:
        lab = labels[i]
        if lab == "O":
            i += 1
            continue
        role = lab[2:]
        inside = "I-" + role
        j = i + 1
        while j < n and labels[j] == inside:
            j += 1
        out.append(RoleSpan(role, toks[a + i][0], toks[a + j - 1][1]))
        i = j
    return out


def tag_spans(
    text: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    model: CompiledCRF | None = None,
    doc: Doc | None = None,
) -> list[list[RoleSpan]]:
    """Role spans of every paragraph, in text order."""
    inp = tagger_input(text, sentences, mentions, doc)
    return [
        spans_from_tags(inp.toks, p[0], labels)
        for p, labels in zip(inp.paras, tag_labels(inp, model), strict=True)
    ]


def _nearest(cues: Sequence[RoleSpan], span: RoleSpan) -> int:
    """Index of the cue nearest to `span` in characters (0 when they touch or overlap)."""
    return min(range(len(cues)), key=lambda k: max(cues[k].start - span.end, span.start - cues[k].end, 0))


def link(paragraph_spans: Sequence[Sequence[RoleSpan]]) -> list[Relation]:
    """Relations: each cue takes the nearest source of its paragraph and every content span nearer to it
    than to another cue. Content in a paragraph with no cue continues the previous paragraph's last
    relation when it is a quotation continuing one; otherwise it stands without a cue."""
    out: list[Relation] = []
    for spans in paragraph_spans:
        cues = [s for s in spans if s.role == "CUE"]
        sources = [s for s in spans if s.role == "SOURCE"]
        contents = [s for s in spans if s.role == "CONTENT"]
        if not cues:
            out.extend(Relation((c,), None, sources[0] if sources else None) for c in contents)
            continue

        by_cue: dict[int, list[RoleSpan]] = {}
        for c in contents:
            by_cue.setdefault(_nearest(cues, c), []).append(c)
        source_of: dict[int, RoleSpan] = {}
        for s in sources:
            source_of.setdefault(_nearest(cues, s), s)
        for k, cue in enumerate(cues):
            if k in by_cue or k in source_of:
                out.append(Relation(tuple(by_cue.get(k, ())), cue, source_of.get(k)))
    return out


def _is_direct(text: str, span: RoleSpan) -> bool:
    return any(q in text[max(0, span.start - 1) : span.end + 1] for q in QUOTES)


def relation_quotes(text: str, relations: Sequence[Relation]) -> list[Quote]:
    """Quote records of the relations: one per content span, sharing the relation's cue and source."""
    out = []
    for rel in relations:
        cue = rel.cue
        src = rel.source
        for c in rel.content:
            out.append(
                Quote(
                    c.start,
                    c.end,
                    text[cue.start : cue.end] if cue else "",
                    cue.start if cue else c.start,
                    cue.end if cue else c.start,
                    _is_direct(text, c),
                    speaker=text[src.start : src.end] if src else None,
                    speaker_start=src.start if src else None,
                    speaker_end=src.end if src else None,
                )
            )
    return out


def model_quotes(
    text: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    model: CompiledCRF | None = None,
    doc: Doc | None = None,
) -> list[Quote]:
    """The tagger's attributions in `text` as Quote records, sorted by content start."""
    if not text.strip():
        return []
    quotes = relation_quotes(text, link(tag_spans(text, sentences, mentions, model, doc)))
    return sorted(quotes, key=lambda q: q.content_start)
