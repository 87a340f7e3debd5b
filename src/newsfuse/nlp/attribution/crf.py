"""The shipped CRF's weights as arrays, and Viterbi decoding over them: the tagger's run-time path.

CRFsuite trains the model (`train.py`) and stores it; tagging through python-crfsuite costs building a
list of feature strings for every token, converting each to C++ and looking it up in the model's string
table, which was most of the attribution step. A token's score is a sum of one weight row per feature,
and most features are the token's own word or its neighbours', so here each distinct word's rows are
summed once (per process) and a paragraph's scores are a few array sums; the decoding is Viterbi over
those scores with the model's transition weights (`viterbi.py`).

The features are the ones `tagger.features` builds as strings for training (each row here is read from
the weight of that string), so the two cannot drift apart; `tests/test_attribution.py` checks that the
labels are CRFsuite's own on real articles. The weights come from python-crfsuite's `Tagger.info()`,
which prints them to six decimals: a tie closer than that could break differently (none on PolNeAR dev).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from newsfuse.nlp.attribution.features import (
    AFTER_CUE,
    BEFORE_CUE,
    CONTEXT,
    FAR,
    NO_NEXT,
    NO_PREVIOUS,
    QUOTES,
    SENTENCE_START,
    cue_distances,
    entity_features,
    quoted,
    word_features,
)

_N_DIST = FAR + 1  # distance values 0 .. FAR


class CompiledCRF:
    """A first-order CRFsuite model as a weight row per feature, label ids in the model's order. The rows
    of each word are added the first time it is seen: one instance per process (as `tagger.load_model`
    keeps it), not shared by threads."""

    def __init__(self, tagger: Any) -> None:
        info = tagger.info()
        self.labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
        label_id = {lab: k for k, lab in enumerate(self.labels)}
        n = len(self.labels)
        self._rows: dict[bytes, np.ndarray] = {}
        for (attr, label), weight in info.state_features.items():
            self._rows.setdefault(attr.encode(), np.zeros(n))[label_id[label]] += weight
        self.transitions = np.zeros((n, n))
        for (a, b), weight in info.transitions.items():
            self.transitions[label_id[a], label_id[b]] = weight
        self._zero = np.zeros(n)
        self._context = np.array(
            [self.score(CONTEXT[q][lf][rt]) for q in (0, 1) for lf in range(_N_DIST) for rt in range(_N_DIST)]
        )
        self._bound_previous = self.score([NO_PREVIOUS])
        self._bound_next = self.score([NO_NEXT])
        self._cue_next, self._cue_previous, self._start = (
            self.score([BEFORE_CUE]),
            self.score([AFTER_CUE]),
            self.score([SENTENCE_START]),
        )
        # per distinct word: its own row sum, what it adds to the next token and to the previous one
        self._word_id: dict[str, int] = {}
        self._own = np.zeros((1024, n))
        self._as_previous = np.zeros((1024, n))
        self._as_next = np.zeros((1024, n))
        self._cue = np.zeros(1024, dtype=bool)
        self._quote = np.zeros(1024, dtype=bool)
        self._entities: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def score(self, feats: Iterable[bytes]) -> np.ndarray:
        """The summed weight rows of `feats` (a feature the model does not know adds nothing)."""
        out = self._zero.copy()
        for f in feats:
            row = self._rows.get(f)
            if row is not None:
                out += row
        return out

    def _add_word(self, token: str) -> int:
        k = len(self._word_id)
        if k == len(self._own):
            grow = ((0, k), (0, 0))
            self._own, self._as_previous, self._as_next = (
                np.pad(a, grow) for a in (self._own, self._as_previous, self._as_next)
            )
            self._cue = np.pad(self._cue, (0, k))
            self._quote = np.pad(self._quote, (0, k))
        w = word_features(token)
        self._own[k] = self.score(w.own)
        self._as_previous[k] = self.score([w.as_previous])
        self._as_next[k] = self.score([w.as_next])
        self._cue[k] = w.cue
        self._quote[k] = token in QUOTES
        self._word_id[token] = k
        return k

    def _entity(self, label: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = self._entities.get(label)
        if rows is None:
            own, for_previous, for_next = entity_features(label)
            rows = self._entities[label] = (
                self.score([own]),
                self.score([for_previous]),
                self.score([for_next]),
            )
        return rows

    def scores(
        self,
        words: Sequence[str],
        paras: Sequence[tuple[int, int]],
        firsts: Sequence[int],
        entities: Sequence[tuple[int, str]],
    ) -> np.ndarray:
        """Label scores (tokens x labels) of the article's tokens, with the features `tagger.features`
        gives each paragraph [a, b) of `paras`: `firsts` the sentence-opening token indices, `entities`
        (token index, BIO label) of the tokens in a mention."""
        known = self._word_id
        for w in set(words).difference(known):
            self._add_word(w)
        n = len(words)
        ids = np.fromiter(map(known.__getitem__, words), dtype=np.intp, count=n)
        out = self._own[ids]
        if not n or not paras:
            return out
        starts = np.array([a for a, _ in paras], dtype=np.intp)
        ends = np.array([b for _, b in paras], dtype=np.intp)
        # the word on the left, and the paragraph boundary "<>" at each paragraph's first token
        previous = self._as_previous[ids]
        out[1:] += previous[:-1]
        out[starts] += self._bound_previous
        inner = starts[starts > 0]
        out[inner] -= previous[inner - 1]
        following = self._as_next[ids]
        out[:-1] += following[1:]
        out[ends - 1] += self._bound_next
        inner = ends[ends < n]
        out[inner - 1] -= following[inner]
        # paragraph boundaries: no neighbour features across them
        opens = np.zeros(n + 1, dtype=bool)
        opens[starts] = True
        closes = np.zeros(n + 1, dtype=bool)
        closes[ends] = True
        # quotation state and distances to the nearest cue, within each paragraph's sentences
        cue_tokens = np.flatnonzero(self._cue[ids])
        cue_list = cue_tokens.tolist()
        mark_list = np.flatnonzero(self._quote[ids]).tolist()
        in_quote: list[int] = []
        left: list[int] = []
        right: list[int] = []
        fi = ci = mi = 0
        for a, b in paras:
            f0 = fi = bisect_left(firsts, a, fi)
            fi = bisect_left(firsts, b, fi)
            c0 = ci = bisect_left(cue_list, a, ci)
            ci = bisect_left(cue_list, b, ci)
            lf, rt = cue_distances(b - a, [c - a for c in cue_list[c0:ci]], [f - a for f in firsts[f0:fi]])
            m0 = mi = bisect_left(mark_list, a, mi)
            mi = bisect_left(mark_list, b, mi)
            in_quote += quoted(words[a:b], [m - a for m in mark_list[m0:mi]])
            left += lf
            right += rt
        covered = np.concatenate([np.arange(a, b) for a, b in paras])
        out[covered] += self._context[
            (np.array(in_quote) * _N_DIST + np.array(left)) * _N_DIST + np.array(right)
        ]
        before = cue_tokens[~opens[cue_tokens]]
        out[before - 1] += self._cue_next
        after = cue_tokens[~closes[cue_tokens + 1]]
        out[after + 1] += self._cue_previous
        if entities:  # (each token is in one mention at most: the indices are distinct)
            rows = [self._entity(label) for _, label in entities]
            at = np.array([i for i, _ in entities], dtype=np.intp)
            out[at] += np.array([r[0] for r in rows])
            keep = ~opens[at]
            out[at[keep] - 1] += np.array([r[1] for r in rows])[keep]
            keep = ~closes[at + 1]
            out[at[keep] + 1] += np.array([r[2] for r in rows])[keep]
        if firsts:
            out[np.array(firsts, dtype=np.intp)] += self._start
        return out

    def decode(self, scores: np.ndarray, paras: Sequence[tuple[int, int]]) -> list[list[str]]:
        """The best label sequence of each paragraph [a, b) of `scores` (Viterbi, `viterbi.py`)."""
        from newsfuse.nlp.attribution.viterbi import viterbi  # numba loads only where tagging runs

        starts = np.array([a for a, _ in paras], dtype=np.int64)
        ends = np.array([b for _, b in paras], dtype=np.int64)
        ids = viterbi(scores, self.transitions, starts, ends).tolist()
        names = self.labels
        return [[names[i] for i in ids[a:b]] for a, b in paras]
