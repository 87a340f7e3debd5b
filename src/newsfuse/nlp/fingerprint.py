"""An article's near-copy fingerprint: a MinHash signature (datasketch) over its word 5-shingles.

Part of the per-article analysis (computed in the executor's workers, stored in `article_fingerprints`);
fusion compares fingerprints to find copies of one text (`fuse/origins.py`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np

from newsfuse.types import Fingerprint

SHINGLE_WORDS = 5
MINHASH_PERMUTATIONS = 64


@cache
def _permutations() -> Any:
    from datasketch import MinHash

    # Drawing the permutations costs more than hashing an article: draw them once.
    return MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1).permutations


def fingerprint(text: str) -> Fingerprint:
    from datasketch import MinHash

    words = re.findall(r"\w+", text.casefold())
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    minhash = MinHash(num_perm=MINHASH_PERMUTATIONS, permutations=_permutations(), scheme="affine32")
    minhash.update_batch([s.encode() for s in shingles])
    return Fingerprint(np.asarray(minhash.hashvalues, dtype=np.uint64), len(shingles))
