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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsfuse.nlp.attribution.document import Doc
from newsfuse.nlp.attribution.lexicon import CUE_FORMS, TOKEN
from newsfuse.types import Mention, Quote, Sentence

MODEL_FILE = "attribution.crfsuite"
ROLES = ("SOURCE", "CUE", "CONTENT")

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

    own: tuple[str, ...]  # bias, word, suffix, shape, and "cue" / "pron" when the word is one
    as_previous: str  # "w-1=" + lower case: what the next token sees of this one
    as_next: str  # "w+1=" + lower case: what the previous token sees of this one
    cue: bool


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> _Word:
    low = token.lower()
    cue, pronoun = low in _CUES, low in _PRONOUNS
    own = (
        ("b", "w=" + low, "s3=" + low[-3:], _shape(token))
        + (("cue",) if cue else ())
        + (("pron",) if pronoun else ())
    )
    return _Word(own, "w-1=" + low, "w+1=" + low, cue)


@lru_cache(maxsize=64)
def _entity(label: str) -> tuple[str, str, str]:
    """The features a BIO entity label gives its own token and the tokens either side."""
    return "e=" + label, "e+1=" + label, "e-1=" + label


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


def features(
    words: Sequence[str], starts: Sequence[int], sentence_starts: frozenset[int], ner: dict[int, str]
) -> list[list[str]]:
    """One feature list per token of a paragraph (its token strings and start offsets). This runs on
    every article: a token's own features are memoised per distinct string (`_word`), the context
    features come from a few passes, and the sparse ones (entities, cue neighbours, sentence starts) are
    added only where they occur."""
    info = [_word(t) for t in words]
    n = len(info)
    if not n:
        return []
    # quote state: inside a quotation, toggled by straight marks, opened and closed by curly ones
    quote_state = []
    state = False
    for t in words:
        if t in _QUOTES:
            state = True if t in _OPEN else False if t in _CLOSE else not state
            quote_state.append("q")
        else:
            quote_state.append("q" if state else "nq")
    firsts = [i for i, s in enumerate(starts) if s in sentence_starts]
    cues = [i for i, w in enumerate(info) if w.cue]
    # distance to the nearest lexicon cue before and after, within the sentence
    left = [_LEFT[0]] * n
    right = [_RIGHT[0]] * n
    if cues:
        bounds = [*firsts, n]
        for k, c in enumerate(cues):
            stop = bounds[bisect_right(bounds, c)]  # the next sentence start after the cue
            until = min(stop, cues[k + 1] + 1 if k + 1 < len(cues) else n)
            for i in range(c + 1, until):
                left[i] = _LEFT[min(i - c, _FAR)]
            start = bounds[bisect_right(bounds, c) - 1] if bisect_right(bounds, c) else 0
            since = max(start, cues[k - 1] if k else 0)
            for i in range(since, c):
                right[i] = _RIGHT[min(c - i, _FAR)]
    previous = ["w-1=<>", *(w.as_previous for w in info[:-1])]
    following = [*(w.as_next for w in info[1:]), "w+1=<>"]
    out = [
        [*w.own, q, lf, rt, p, f]
        for w, q, lf, rt, p, f in zip(info, quote_state, left, right, previous, following, strict=True)
    ]
    for i, s in enumerate(starts):
        label = ner.get(s)
        if label is not None:
            own, for_previous, for_next = _entity(label)
            out[i].append(own)
            if i:
                out[i - 1].append(for_previous)
            if i + 1 < n:
                out[i + 1].append(for_next)
    for c in cues:
        if c:
            out[c - 1].append("cue+1")
        if c + 1 < n:
            out[c + 1].append("cue-1")
    for i in firsts:
        out[i].append("ss")
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


def article_features(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], doc: Doc | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[list[list[str]]]]:
    """Tokens, paragraphs and the feature sequences of every paragraph. `doc` is the rules' view of the
    article when they ran first: its tokens are the ones tagged (one tokenisation for both)."""
    doc = doc or Doc(text, mentions)
    starts, words = doc.tok_start, doc.tok
    paras = paragraphs(starts, text)
    sentence_starts = frozenset(s.start for s in sentences)
    ner = ner_tags(mentions)
    feats = [features(words[a:b], starts[a:b], sentence_starts, ner) for a, b in paras]
    return list(zip(starts, doc.tok_end, strict=True)), paras, feats


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
    text: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    tagger: Any = None,
    doc: Doc | None = None,
) -> list[list[RoleSpan]]:
    """Role spans of every paragraph, in text order."""
    tagger = tagger or load_tagger()
    toks, paras, feats = article_features(text, sentences, mentions, doc)
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
    text: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    tagger: Any = None,
    doc: Doc | None = None,
) -> list[Quote]:
    """The tagger's attributions in `text` as Quote records, sorted by content start."""
    if not text.strip():
        return []
    quotes = relation_quotes(text, link(tag_spans(text, sentences, mentions, tagger, doc)))
    return sorted(quotes, key=lambda q: q.content_start)
