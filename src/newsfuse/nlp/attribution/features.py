"""The attribution tagger's features: what CRFsuite is trained on (`train.py`) and what the run-time
scores (`crf.py`) are summed from, one definition for both.

Features are words, their suffixes and shapes, the cue lexicon of the rules, the quote state, NER labels
and the distance to the nearest lexicon cue. A token's own features are memoised per distinct string
(`word_features`), the context ones come from a few passes, and the sparse ones (entities, cue
neighbours, sentence starts) are added only where they occur.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsfuse.nlp.attribution.lexicon import CUE_FORMS

QUOTES = frozenset({'"', "“", "”", "``", "''", "‘‘", "’’"})
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
# the features of a paragraph's first and last token (no word before, no word after), of the tokens
# either side of a cue, and of a sentence's first token
NO_PREVIOUS, NO_NEXT = b"w-1=<>", b"w+1=<>"
BEFORE_CUE, AFTER_CUE = b"cue+1", b"cue-1"
SENTENCE_START = b"ss"
_PRONOUNS = frozenset("he she they we i you it him her them his their its who".split())


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
FAR = len(_BUCKETS)


def _distance_features(prefix: str) -> list[str]:
    return [prefix + b if b else "" for b in _BUCKETS] + [prefix + "far"]


# Context features by (inside a quotation, distance to the cue on the left, on the right), built once.
# The most common value of each (outside quotes, no cue in the sentence) gives no feature: with the bias
# always on, a feature for it would only cost CRFsuite a look-up per token.
CONTEXT = [
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
def word_features(token: str) -> _Word:
    low = token.lower()
    cue, pronoun = low in _CUES, low in _PRONOUNS
    # the suffix of a word of three characters or fewer is the word itself: no feature of its own
    suffix = "s3=" + low[-3:] if len(low) > 3 else ""
    own = ("b", "w=" + low, suffix, _shape(token), "cue" if cue else "", "pron" if pronoun else "")
    return _Word(tuple(f.encode() for f in own if f), ("w-1=" + low).encode(), ("w+1=" + low).encode(), cue)


@lru_cache(maxsize=64)
def entity_features(label: str) -> tuple[bytes, bytes, bytes]:
    """The features a BIO entity label gives its own token and the tokens either side."""
    return ("e=" + label).encode(), ("e+1=" + label).encode(), ("e-1=" + label).encode()


def quoted(words: Sequence[str], marks: Sequence[int] | None = None) -> list[int]:
    """1 for the tokens inside a quotation (marks included): straight marks toggle it, curly ones open
    and close it. `marks`: the indices of the quote marks among `words`, when the caller has them."""
    n = len(words)
    out = [0] * n
    state = False
    since = 0
    for i in [i for i, t in enumerate(words) if t in QUOTES] if marks is None else marks:
        if state:
            out[since:i] = [1] * (i - since)
        out[i] = 1
        t = words[i]
        state = True if t in _OPEN else False if t in _CLOSE else not state
        since = i + 1
    if state:
        out[since:] = [1] * (n - since)
    return out


def cue_distances(n: int, cues: Sequence[int], firsts: Sequence[int]) -> tuple[list[int], list[int]]:
    """For each of n tokens, the distance to the nearest cue before it and after it in its sentence
    (0: none; at most `FAR`). `cues` and `firsts` (sentence starts) are sorted token indices."""
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


# distances 1, 2, ... capped at FAR, for slicing
_RUN = [min(d, FAR) for d in range(1, 1025)]


def _run(n: int) -> list[int]:
    """The distances 1 .. n, each capped at `FAR`."""
    return _RUN[:n] if n <= len(_RUN) else _RUN + [FAR] * (n - len(_RUN))


def features(
    words: Sequence[str], firsts: Sequence[int], entities: Sequence[tuple[int, str]]
) -> list[list[bytes]]:
    """One feature list per token of a paragraph: `words` its token strings, `firsts` the indices of
    the tokens opening a sentence, `entities` (index, BIO label) of the tokens in a mention.

    This runs on every article: a token's own features are memoised per distinct string (`word_features`), the
    context ones come from a few passes, and the sparse ones (entities, cue neighbours, sentence starts)
    are added only where they occur."""
    info = list(map(word_features, words))
    n = len(info)
    if not n:
        return []
    cues = [i for i, w in enumerate(info) if w.cue]
    left, right = cue_distances(n, cues, firsts)
    previous = [NO_PREVIOUS] + [w.as_previous for w in info[:-1]]
    following = [w.as_next for w in info[1:]]
    following.append(NO_NEXT)
    ctx = CONTEXT
    out = [
        [*w.own, *ctx[q][lf][rt], p, f]
        for w, q, lf, rt, p, f in zip(info, quoted(words), left, right, previous, following, strict=True)
    ]
    for i, label in entities:
        own, for_previous, for_next = entity_features(label)
        out[i].append(own)
        if i:
            out[i - 1].append(for_previous)
        if i + 1 < n:
            out[i + 1].append(for_next)
    for c in cues:
        if c:
            out[c - 1].append(BEFORE_CUE)
        if c + 1 < n:
            out[c + 1].append(AFTER_CUE)
    for i in firsts:
        out[i].append(SENTENCE_START)
    return out
