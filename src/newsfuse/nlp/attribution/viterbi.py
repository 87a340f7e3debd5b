"""Viterbi decoding of a first-order CRF over an article's paragraphs, compiled by numba.

The decoding is a loop over tokens, labels and previous labels (7 x 7 a token); written with numpy, each
token costs several array calls whose overhead, at these sizes, is the whole cost (about 1.8 ms an
article, a fifth of the attribution step). numba compiles the plain loop once (cached on disk beside
this file, so a later process only loads it) and runs it in about 0.1 ms.

The sums are made in the order CRFsuite's tagger and the numpy decoding made them, and a tie goes to the
first best label, so the labels are CRFsuite's own (`tests/test_attribution.py`).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def viterbi(scores: np.ndarray, transitions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The best label id of every token: `scores` (tokens x labels) state scores, `transitions` (from x
    to), each paragraph [starts[p], ends[p]) decoded on its own; tokens outside every paragraph get 0."""
    n_labels = transitions.shape[0]
    out = np.zeros(scores.shape[0], dtype=np.int64)
    longest = 0
    for p in range(starts.shape[0]):
        longest = max(longest, ends[p] - starts[p])
    best = np.empty((max(longest, 1), n_labels))
    for p in range(starts.shape[0]):
        a, b = starts[p], ends[p]
        if b <= a:
            continue
        for j in range(n_labels):
            best[0, j] = scores[a, j]
        for t in range(1, b - a):
            for j in range(n_labels):
                e = scores[a + t, j]
                m = best[t - 1, 0] + (transitions[0, j] + e)
                for i in range(1, n_labels):
                    c = best[t - 1, i] + (transitions[i, j] + e)
                    if c > m:
                        m = c
                best[t, j] = m
        y = 0
        for j in range(1, n_labels):
            if best[b - a - 1, j] > best[b - a - 1, y]:
                y = j
        out[b - 1] = y
        # walk back: the label the successor's label was best reached from
        for t in range(b - a - 1, 0, -1):
            k = 0
            m = best[t - 1, 0] + transitions[0, y]
            for i in range(1, n_labels):
                c = best[t - 1, i] + transitions[i, y]
                if c > m:
                    m = c
                    k = i
            y = k
            out[a + t - 1] = y
    return out
