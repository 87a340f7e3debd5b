"""Content terms of a text: lowercased, stemmed words without stop words.

The shared lexical representation of grouping and fusing. A plain regular-expression tokenizer and the
Snowball stemmer keep it about a hundred times faster than running spaCy again, and stemming lets
"allowed"/"allowing"/"allows" meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sklearn
import snowballstemmer
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W_](?:[^\W_]|['’\-.](?=[^\W_])|,(?=\d))*")
_STEMMER = snowballstemmer.stemmer("english")
# Reporting verbs and news-page words carry no content: every sentence "said" something.
_EXTRA_STOP = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "tell",
        "added",
        "adds",
        "reported",
        "reports",
        "according",
        "also",
        "just",
        "like",
        "mr",
        "mrs",
        "ms",
        "dr",
        "year",
        "years",
        "week",
        "weeks",
        "day",
        "days",
        "time",
        "times",
        "new",
        "people",
    ]
)
_STOP = frozenset(w.lower() for w in STOP_WORDS) | _EXTRA_STOP


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str | None:
    if word in _STOP or len(word) < 2 or word.isdigit() and len(word) < 3:
        return None
    return str(_STEMMER.stemWord(word.replace("’", "'").removesuffix("'s")))


# Fusion asks for one sentence's terms several times (alignment, coverage, summary, timeline); sentences
# are cached, whole articles (long, asked for once) are not.
_CACHED_LENGTH = 1_000


def terms(text: str) -> list[str]:
    """The content terms of `text`, in order, repeats kept."""
    if len(text) <= _CACHED_LENGTH:
        return list(_sentence_terms(text))
    return _terms(text)


@lru_cache(maxsize=100_000)
def _sentence_terms(text: str) -> tuple[str, ...]:
    return tuple(_terms(text))


def _terms(text: str) -> list[str]:
    out = []
    for match in _WORD.finditer(text):
        stem = _stem(match.group().lower())
        if stem:
            out.append(stem)
    return out


def content_words(text: str) -> list[str]:
    """The lowercased words of `text` that `terms` keeps (unstemmed), in order, repeats kept."""
    return [w for m in _WORD.finditer(text) if _stem(w := m.group().lower())]


def tfidf(docs: list[list[str]]) -> csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf) for documents given as term lists; IDF from `docs` alone.

    Documents without terms get zero rows; so do all of them when no document has a term.
    """
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    try:
        # The parameters are ours and fixed: checking them on every call was a fifth of the fit's time.
        with sklearn.config_context(skip_parameter_validation=True):
            return vectorizer.fit_transform(docs).tocsr()
    except ValueError:  # an empty vocabulary: nothing but stop words
        return csr_matrix((len(docs), 1))


def _identity(doc: list[str]) -> list[str]:
    return doc
