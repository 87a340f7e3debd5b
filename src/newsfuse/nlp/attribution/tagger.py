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
from collections.abc import Iterable, Sequence
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
    """The token's shape; a lower-case word, the most common, has none (the bias stands for it)."""
    if tok.isdigit():
        return "sh=d"
    if tok.isupper() and len(tok) > 1:
        return "sh=X"
    if tok[:1].isupper():
        return "sh=Xx"
    if tok.isalpha():
        return ""
    return "sh=p"


# Distance to the nearest lexicon cue: index d for distance d (0: none in the sentence), then "far".
_BUCKETS = ["", "1", "2"] + ["3-5"] * 3 + ["6-12"] * 7
_FAR = len(_BUCKETS)


def _distance_features(prefix: str) -> list[str]:
    return [prefix + b if b else "" for b in _BUCKETS] + [prefix + "far"]


# Context features by (inside a quotation, distance to the cue on the left, on the right), built once.
# The most common value of each (outside quotes, no cue in the sentence) gives no feature: with the bias
# always on, a feature for it would only cost CRFsuite a look-up per token.
_CONTEXT = [
    [
        [tuple(f.encode() for f in (q, left, right) if f) for right in _distance_features("cr=")]
        for left in _distance_features("cl=")
    ]
    for q in ("", "q")
]


@dataclass(frozen=True, slots=True)
class _Word:
    """What a token's features need from its own string, computed once per distinct string."""

    own: tuple[bytes, ...]  # bias, word, suffix, shape, and "cue" / "pron" when the word is one
    as_previous: bytes  # "w-1=" + lower case: what the next token sees of this one
    as_next: bytes  # "w+1=" + lower case: what the previous token sees of this one
    cue: bool


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> _Word:
    low = token.lower()
    cue, pronoun = low in _CUES, low in _PRONOUNS
    # the suffix of a word of three characters or fewer is the word itself: no feature of its own
    suffix = "s3=" + low[-3:] if len(low) > 3 else ""
    own = ("b", "w=" + low, suffix, _shape(token), "cue" if cue else "", "pron" if pronoun else "")
    return _Word(tuple(f.encode() for f in own if f), ("w-1=" + low).encode(), ("w+1=" + low).encode(), cue)


@lru_cache(maxsize=64)
def _entity(label: str) -> tuple[bytes, bytes, bytes]:
    """The features a BIO entity label gives its own token and the tokens either side."""
    return ("e=" + label).encode(), ("e+1=" + label).encode(), ("e-1=" + label).encode()


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


def _quoted(words: Sequence[str]) -> list[int]:
    """1 for the tokens inside a quotation (marks included): straight marks toggle it, curly ones open
    and close it."""
    n = len(words)
    out = [0] * n
    state = False
    since = 0
    for i in [i for i, t in enumerate(words) if t in _QUOTES]:
        if state:
            out[since:i] = [1] * (i - since)
        out[i] = 1
        t = words[i]
        state = True if t in _OPEN else False if t in _CLOSE else not state
        since = i + 1
    if state:
        out[since:] = [1] * (n - since)
    return out


def _cue_distances(n: int, cues: Sequence[int], firsts: Sequence[int]) -> tuple[list[int], list[int]]:
    """For each of n tokens, the distance to the nearest cue before it and after it in its sentence
    (0: none; at most `_FAR`). `cues` and `firsts` (sentence starts) are sorted token indices."""
    left = [0] * n
    right = [0] * n
    bounds = [*firsts, n]
    for k, c in enumerate(cues):
        at = bisect_right(bounds, c)
        stop = bounds[at]  # the next sentence start after the cue
        until = min(stop, cues[k + 1] + 1 if k + 1 < len(cues) else n)
        left[c + 1 : until] = _run(until - c - 1)
        start = bounds[at - 1] if at else 0
        since = max(start, cues[k - 1] if k else 0)
        right[since:c] = _run(c - since)[::-1]
    return left, right


# distances 1, 2, ... capped at _FAR, for slicing
_RUN = [min(d, _FAR) for d in range(1, 1025)]


def _run(n: int) -> list[int]:
    """The distances 1 .. n, each capped at `_FAR`."""
    return _RUN[:n] if n <= len(_RUN) else _RUN + [_FAR] * (n - len(_RUN))


def features(
    words: Sequence[str], firsts: Sequence[int], entities: Sequence[tuple[int, str]]
) -> list[list[bytes]]:
    """One feature list per token of a paragraph: `words` its token strings, `firsts` the indices of
    the tokens opening a sentence, `entities` (index, BIO label) of the tokens in a mention.

    This runs on every article: a token's own features are memoised per distinct string (`_word`), the
    context ones come from a few passes, and the sparse ones (entities, cue neighbours, sentence starts)
    are added only where they occur."""
    info = list(map(_word, words))
    n = len(info)
    if not n:
        return []
    cues = [i for i, w in enumerate(info) if w.cue]
    left, right = _cue_distances(n, cues, firsts)
    previous = [b"w-1=<>"] + [w.as_previous for w in info[:-1]]
    following = [w.as_next for w in info[1:]]
    following.append(b"w+1=<>")
    ctx = _CONTEXT
    out = [
        [*w.own, *ctx[q][lf][rt], p, f]
        for w, q, lf, rt, p, f in zip(info, _quoted(words), left, right, previous, following, strict=True)
    ]
    for i, label in entities:
        own, for_previous, for_next = _entity(label)
        out[i].append(own)
        if i:
            out[i - 1].append(for_previous)
        if i + 1 < n:
            out[i + 1].append(for_next)
    for c in cues:
        if c:
            out[c - 1].append(b"cue+1")
        if c + 1 < n:
            out[c + 1].append(b"cue-1")
    for i in firsts:
        out[i].append(b"ss")
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


def article_features(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], doc: Doc | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[list[list[bytes]]]]:
    """Tokens, paragraphs and the feature sequences of every paragraph. `doc` is the rules' view of the
    article when they ran first: its tokens are the ones tagged (one tokenisation for both)."""
    doc = doc or Doc(text, mentions)
    starts, words = doc.tok_start, doc.tok
    paras = paragraphs(starts, text)
    firsts = _token_indices(starts, (s.start for s in sentences))
    ner = ner_tags(mentions)
    entities = [(i, ner[starts[i]]) for i in _token_indices(starts, ner)]
    entity_at = [i for i, _ in entities]
    feats = []
    for a, b in paras:
        fa, fb = bisect_left(firsts, a), bisect_left(firsts, b)
        ea, eb = bisect_left(entity_at, a), bisect_left(entity_at, b)
        feats.append(
            features(words[a:b], [i - a for i in firsts[fa:fb]], [(i - a, lab) for i, lab in entities[ea:eb]])
        )
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
