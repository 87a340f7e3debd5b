"""The learned part of attribution: a linear-chain CRF that tags every token of a paragraph as part of a
Source, Cue or Content span (BIO), trained on PolNeAR (see `train.py`).

It reaches what a cue-verb lexicon cannot: reported speech framed by nouns and phrases ("a statement from
X", "X's view is that"), beliefs, intentions and findings, and sources far from their cue. Features are
words, their shapes, the cue lexicon of the rules, the quote state, NER labels and the distance to the
nearest lexicon cue; the model is a CRFsuite file shipped in this package (`attribution.crfsuite`).

`tag_spans` returns role spans; `link` groups them into relations (each cue with the nearest source and
the content spans of its paragraph).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsfuse.nlp.attribution.lexicon import CUE_FORMS
from newsfuse.types import Mention, Quote, Sentence

MODEL_FILE = "attribution.crfsuite"
ROLES = ("SOURCE", "CUE", "CONTENT")

_TOKEN = re.compile(r"\w+(?:[’'`.&\-]\w+)*|``|''|[^\w\s]")
_PARAGRAPH = re.compile(r"[^\n]+")
_QUOTES = frozenset({'"', "“", "”", "``", "''", "‘‘", "’’"})
_OPEN = frozenset({"“", "``"})
_CLOSE = frozenset({"”", "''"})
# Cue words the rules' verb lexicon leaves out, frequent as PolNeAR cues (nouns and phrase heads).
_CUE_EXTRA = frozenset(
    "according statement statements believe believes believed want wants wanted hope hopes hoped "
    "expect expects expected think thinks thought feel feels felt know knows knew say says said "
    "accused acknowledge view views argument claims claim report reports reported learned learn "
    "showed shows found poll polls survey data according quoted wrote writes insists".split()
)
_CUES = CUE_FORMS | _CUE_EXTRA
_PRONOUNS = frozenset("he she they we i you it him her them his their its who".split())


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


def _shape(tok: str) -> str:
    if tok.isdigit():
        return "sh=d"
    if tok.isupper() and len(tok) > 1:
        return "sh=X"
    if tok[:1].isupper():
        return "sh=Xx"
    if tok.isalpha():
        return "sh=x"
    return "sh=p"


_BUCKETS = ["none", "1", "2"] + ["3-5"] * 3 + ["6-12"] * 7


def _bucket(d: int) -> str:
    """Distance 0 (no cue), 1, 2, 3-5, 6-12 or far."""
    return _BUCKETS[d] if d < len(_BUCKETS) else "far"


# the distance features as strings, built once: index d for distance d, the last for "far"
_LEFT = [*("cl=" + b for b in _BUCKETS), "cl=far"]
_RIGHT = [*("cr=" + b for b in _BUCKETS), "cr=far"]
_FAR = len(_BUCKETS)


@dataclass(frozen=True, slots=True)
class _Word:
    """What a token's features need from its own string, computed once per distinct string."""

    word: str  # "w=" + lower case
    suffix: str  # "s3=" + last three letters, lower case
    shape: str
    as_previous: str  # "w-1=" + lower case: what the next token sees of this one
    as_next: str  # "w+1=" + lower case: what the previous token sees of this one
    cue: bool
    pronoun: bool


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> _Word:
    low = token.lower()
    cue, pronoun = low in _CUES, low in _PRONOUNS
    return _Word("w=" + low, "s3=" + low[-3:], _shape(token), "w-1=" + low, "w+1=" + low, cue, pronoun)


def tokens(text: str) -> list[tuple[int, int]]:
    return list(map(re.Match.span, _TOKEN.finditer(text)))


def paragraphs(toks: Sequence[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Token index ranges [a, b) of the paragraphs (lines) of the text."""
    starts = [s for s, _ in toks]
    out = []
    for m in _PARAGRAPH.finditer(text):
        a = bisect_right(starts, m.start() - 1)
        b = bisect_right(starts, m.end() - 1)
        if b > a:
            out.append((a, b))
    return out


def features(
    text: str,
    toks: Sequence[tuple[int, int]],
    para: tuple[int, int],
    sentence_starts: frozenset[int],
    ner: dict[int, str],
) -> list[list[str]]:
    """One feature list per token of `para` (token indices [a, b)). This runs on every article: a token's
    own features are memoised per distinct string (`_word`), the rest come from a few passes."""
    a, b = para
    span = toks[a:b]
    tokens_ = [text[s:e] for s, e in span]
    info = [_word(t) for t in tokens_]
    n = len(info)
    cue = [w.cue for w in info]
    # quote state: inside a quotation, toggled by straight marks, opened and closed by curly ones
    inside = [False] * n
    state = False
    for i, t in enumerate(tokens_):
        if t in _QUOTES:
            state = True if t in _OPEN else False if t in _CLOSE else not state
            inside[i] = True
        else:
            inside[i] = state
    ents = [ner.get(s, "O") for s, _ in span]
    sent_first = [s in sentence_starts for s, _ in span]
    # distance to the nearest lexicon cue before and after, within the sentence
    left = [0] * n
    last = -1
    for i in range(n):
        if sent_first[i]:
            last = -1
        if last >= 0:
            left[i] = min(i - last, _FAR)
        if cue[i]:
            last = i
    right = [0] * n
    nxt = -1
    for i in range(n - 1, -1, -1):
        if nxt >= 0:
            right[i] = min(nxt - i, _FAR)
        if cue[i]:
            nxt = i
        if sent_first[i]:
            nxt = -1
    out = []
    last_i = n - 1
    for i, w in enumerate(info):
        f = [
            "b",
            w.word,
            w.suffix,
            w.shape,
            "q" if inside[i] else "nq",
            _LEFT[left[i]],
            _RIGHT[right[i]],
            info[i - 1].as_previous if i else "w-1=<>",
            info[i + 1].as_next if i < last_i else "w+1=<>",
        ]
        e = ents[i]
        if e != "O":
            f.append("e=" + e)
        if i and ents[i - 1] != "O":
            f.append("e-1=" + ents[i - 1])
        if i < last_i and ents[i + 1] != "O":
            f.append("e+1=" + ents[i + 1])
        if cue[i]:
            f.append("cue")
        if i and cue[i - 1]:
            f.append("cue-1")
        if i < last_i and cue[i + 1]:
            f.append("cue+1")
        if w.pronoun:
            f.append("pron")
        if sent_first[i]:
            f.append("ss")
        out.append(f)
    return out


def ner_tags(mentions: Sequence[Mention]) -> dict[int, str]:
    """Token start offset -> BIO label of the mention it starts or lies in (computed per character)."""
    out: dict[int, str] = {}
    for m in mentions:
        out[m.start] = "B-" + m.type
        for t in _TOKEN.finditer(m.text):
            if t.start():
                out[m.start + t.start()] = "I-" + m.type
    return out


def article_features(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[list[list[str]]]]:
    """Tokens, paragraphs and the feature sequences of every paragraph."""
    toks = tokens(text)
    paras = paragraphs(toks, text)
    starts = frozenset(s.start for s in sentences)
    ner = ner_tags(mentions)
    return toks, paras, [features(text, toks, p, starts, ner) for p in paras]


@lru_cache(maxsize=4)
def load_tagger(path: str | None = None) -> Any:
    """The CRFsuite tagger from `path`, or the one shipped in this package."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path or str(files("newsfuse.nlp.attribution").joinpath(MODEL_FILE)))
    return tagger


def model_path() -> Path:
    return Path(str(files("newsfuse.nlp.attribution").joinpath(MODEL_FILE)))


def spans_from_tags(toks: Sequence[tuple[int, int]], a: int, labels: Sequence[str]) -> list[RoleSpan]:
    """BIO labels of the tokens from index `a` -> role spans (an I- after O or another role opens one)."""
    out: list[RoleSpan] = []
    role = None
    start = end = 0
    for i, lab in enumerate(labels):
        s, e = toks[a + i]
        kind = lab[2:] if lab != "O" else None
        if kind is not None and lab.startswith("I-") and kind == role:
            end = e
            continue
        if role is not None:
            out.append(RoleSpan(role, start, end))
        role, start, end = kind, s, e
    if role is not None:
        out.append(RoleSpan(role, start, end))
    return out


def tag_spans(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], tagger: Any = None
) -> list[list[RoleSpan]]:
    """Role spans of every paragraph, in text order."""
    tagger = tagger or load_tagger()
    toks, paras, feats = article_features(text, sentences, mentions)
    return [spans_from_tags(toks, p[0], tagger.tag(f)) for p, f in zip(paras, feats, strict=True)]


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
    return any(q in text[max(0, span.start - 1) : span.end + 1] for q in _QUOTES)


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
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], tagger: Any = None
) -> list[Quote]:
    """The tagger's attributions in `text` as Quote records, sorted by content start."""
    if not text.strip():
        return []
    quotes = relation_quotes(text, link(tag_spans(text, sentences, mentions, tagger)))
    return sorted(quotes, key=lambda q: q.content_start)
