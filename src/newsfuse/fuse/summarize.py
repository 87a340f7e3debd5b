"""Step 5 of fusion: the summary, a few source sentences that together say what the story is.

Extractive: every summary sentence is one source sentence, word for word, citing it first and then every
other sentence of its claim. Sentences are chosen from the claims (`align`'s groups):

- **importance**: how central the sentence is to the story (TF-IDF cosine with the centroid of all its
  sentences), how close it is to the story's headlines (each outlet's own view of its main point), its
  place in its article (news puts the main fact first), and its claim's independent origins
  (corroboration);
- **coverage of origins**: while some independent origin has no sentence in the summary, the next
  sentence is one that brings a new origin in, so each origin's main point comes before a second
  sentence of one origin;
- **no redundancy**: maximal marginal relevance over `align`'s sentence similarities, and a candidate
  whose TF-IDF cosine with a chosen sentence reaches `redundancy` is left out;
- **never**: a sentence of a `contested` claim (sources disagree: it is not stated as settled), page
  furniture (a sentence that two pages of one outlet share, such as a gallery caption or a promo: it
  is the outlet's template, not corroboration), a sentence that leans on the one before it ("He said
  ...", "But ...") or asks a question;
- **neutral voice**: a sentence whose own words, outside quotation marks, carry evaluative wording
  (`loaded_words`) gives way to a neutral sentence of its claim; when its claim has none, it counts for
  less, and if it is still chosen its outlet is named (`SummarySentence.voice`: "Breitbart: ...").

Loaded wording is read from the subjectivity lexicon of Pattern (De Smedt and Daelemans, "Pattern for
Python", JMLR 2012) as TextBlob ships it (`textblob/en/en-sentiment.xml`: about 2,900 English adjectives
scored for polarity and subjectivity by hand): a word is loaded when its mean subjectivity is at least
0.8 and its mean polarity at least 0.5 either way, less the few such words that news uses to describe
rather than judge (`DESCRIPTIVE`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from newsfuse.errors import ConfigError
from newsfuse.fuse.align import embed_sentences
from newsfuse.nlp.terms import terms, tfidf
from newsfuse.types import Claim, SummarySentence

# A summary sentence must make sense without the sentence before it in its article.
_LEANS_ON_CONTEXT = re.compile(
    r"^[\"“‘'(]*(?:he|she|they|it|this|that|these|those|his|her|their|its|but|and|or|so|also|however|meanwhile"
    r"|still|yet|then|there)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

LOADED_SUBJECTIVITY = 0.8
LOADED_POLARITY = 0.5
# Words the lexicon scores as strongly subjective that news writing uses to describe, not to judge.
DESCRIPTIVE = frozenset(
    "own latest sexual deadly violent rose base cold guilty popular prominent sure kind ill sick favored "
    "fair happy famous experienced difficult complicated".split()
)
# Two sentences of two pages of one outlet at this TF-IDF cosine are one text (the outlet's template).
SHARED_TEXT = 0.9
# ... unless the two pages share more than this share of the smaller one's sentences: then they are
# versions of one report, and what they share is the report.
VERSIONS_SHARE = 0.5


# A sentence that is nothing but a quotation: who said it is in another sentence.
_ONLY_QUOTE = re.compile(r"^\s*[\"“][^\"“”]*[\"”]\s*$")


def reads_alone(sentence: str) -> bool:
    """False for a sentence that leans on its context (opens with a pronoun or a connective, is a bare
    quotation, asks) or was cut short (a bracket left open)."""
    return not (
        _LEANS_ON_CONTEXT.match(sentence)
        or _ONLY_QUOTE.match(sentence)
        or sentence.rstrip("\"”’' ").endswith("?")
        or sentence.count("[") > sentence.count("]")
        or sentence.count("(") > sentence.count(")")
    )


@cache
def _lexicon() -> dict[str, tuple[float, float]]:
    """Pattern's subjectivity lexicon: word -> (mean polarity, mean subjectivity) over its senses."""
    # The file is found without importing textblob, whose import (nltk's) takes seconds.
    spec = find_spec("textblob")
    try:
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("textblob is not installed")
        path = Path(next(iter(spec.submodule_search_locations))) / "en" / "en-sentiment.xml"
        root = ElementTree.fromstring(path.read_bytes())
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ConfigError(f"the subjectivity lexicon is missing ({exc}); run `make install`") from None
    senses: dict[str, list[tuple[float, float]]] = {}
    for word in root.iter("word"):
        form = (word.get("form") or "").lower()
        senses.setdefault(form, []).append(
            (float(word.get("polarity") or 0), float(word.get("subjectivity") or 0))
        )
    return {
        form: (sum(p for p, _ in values) / len(values), sum(s for _, s in values) / len(values))
        for form, values in senses.items()
    }


def loaded_words(text: str) -> list[str]:
    """The evaluative words of a sentence's own voice: in lower case outside quotation marks, strongly
    subjective and strongly positive or negative in Pattern's lexicon ("disastrous", "stunning")."""
    lexicon = _lexicon()
    found = []
    for word in _WORD.findall(_QUOTED.sub(" ", text)):
        if not word.islower():
            continue  # a capitalised word is a name ("Nice", "Hope"), or opens the sentence
        key = word
        scored = lexicon.get(key)
        if (
            scored is not None
            and key not in DESCRIPTIVE
            and scored[1] >= LOADED_SUBJECTIVITY
            and abs(scored[0]) >= LOADED_POLARITY
        ):
            found.append(word)
    return found


def loaded_headline_words(title: str) -> list[str]:
    """`loaded_words` of a headline; a headline in title case ("... This Is Disgusting") is read in
    lower case, at the cost of reading a name that is also a word ("Nice") as one."""
    words = _WORD.findall(title)
    capitalised = sum(1 for w in words if w[0].isupper())
    return loaded_words(title.lower() if words and capitalised > len(words) / 2 else title)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A claim that may enter the summary: its sentences (unit indices, representative first)."""

    claim: Claim
    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SummaryInputs:
    """What the summary step reads of the story's sentences (units) and articles."""

    texts: Sequence[str]  # each unit's words
    article_of: Sequence[int]  # each unit's article index
    position: Sequence[int]  # each unit's sentence index within its article
    origin_of: Sequence[str]  # each unit's origin id
    eligible: np.ndarray  # long enough to stand as a claim
    sims: np.ndarray  # alignment scores between units
    lexical: np.ndarray  # TF-IDF cosines between units
    outlet_keys: Sequence[str]  # per article: what makes two articles one outlet
    outlet_names: Sequence[str]  # per article: the outlet's display name
    titles: Sequence[str]  # per article
    centrality: np.ndarray  # each unit's TF-IDF cosine with the story's centroid


def shared_furniture(inputs: SummaryInputs) -> set[int]:
    """Units whose text another page of the same outlet also has (captions, promos, "Read more"), unless
    the two pages share so much that they are versions of one report."""
    by_outlet: dict[str, list[int]] = {}
    for article, key in enumerate(inputs.outlet_keys):
        by_outlet.setdefault(key, []).append(article)
    units_of: dict[int, list[int]] = {}
    for unit, article in enumerate(inputs.article_of):
        units_of.setdefault(article, []).append(unit)
    found: set[int] = set()
    for articles in by_outlet.values():
        for i, a in enumerate(articles):
            for b in articles[i + 1 :]:
                left, right = units_of.get(a, []), units_of.get(b, [])
                if not left or not right:
                    continue
                block = inputs.lexical[np.ix_(left, right)] >= SHARED_TEXT
                shared_left = [left[k] for k in np.flatnonzero(block.any(axis=1))]
                shared_right = [right[k] for k in np.flatnonzero(block.any(axis=0))]
                if not shared_left:
                    continue
                if len(shared_left) > VERSIONS_SHARE * min(len(left), len(right)):
                    continue  # one report filed twice
                found.update(shared_left)
                found.update(shared_right)
    return found


class Summariser:
    """Chooses and orders the summary sentences of a story (see the module's docstring).

    max_sentences: most sentences in the summary.
    redundancy: a candidate this similar (TF-IDF cosine) to a chosen sentence is left out.
    lexical_weight: the TF-IDF share of a sentence's similarity to a headline, as in alignment.
    """

    HEADLINE_WEIGHT = 0.5  # best cosine with a headline of the story
    LEAD_WEIGHT = 0.15  # times 1 / sqrt(1 + sentence index)
    CORROBORATION_WEIGHT = 0.05  # per independent origin beyond the first
    LOADED_PENALTY = 0.1  # taken off a sentence in an outlet's own loaded wording
    CENTRALITY_WEIGHT = 1.0  # times the cosine with the story's TF-IDF centroid
    MMR_WEIGHT = 0.0  # times the best similarity to a chosen sentence

    def __init__(self, max_sentences: int, redundancy: float, lexical_weight: float) -> None:
        self.max_sentences = max_sentences
        self.redundancy = redundancy
        self.lexical_weight = lexical_weight

    def importance(self, inputs: SummaryInputs) -> np.ndarray:
        """Each unit's importance, before the claim-level parts (corroboration, voice)."""
        n = len(inputs.texts)
        if n == 0:
            return np.zeros(0)
        headline = np.zeros(n)
        titles = [t for t in inputs.titles if t.strip()]
        if titles:
            headline = self._similarity(list(inputs.texts), titles).max(axis=1)
        lead = 1.0 / np.sqrt(1.0 + np.asarray(inputs.position, dtype=float))
        return (
            self.HEADLINE_WEIGHT * headline
            + self.LEAD_WEIGHT * lead
            + self.CENTRALITY_WEIGHT * inputs.centrality
        )

    def summarise(self, candidates: Sequence[Candidate], inputs: SummaryInputs) -> list[SummarySentence]:
        """The summary: at most `max_sentences` sentences, in the order chosen."""
        if not candidates or not len(inputs.texts):
            return []
        furniture = shared_furniture(inputs)
        unit_score = self.importance(inputs)
        pool: list[tuple[float, int, Candidate, str | None]] = []
        for candidate in candidates:
            if candidate.claim.status == "contested":
                continue  # the sources disagree: never stated as settled
            usable = [
                m
                for m in candidate.members
                if m not in furniture and inputs.eligible[m] and reads_alone(inputs.texts[m])
            ]
            if not usable:
                continue
            # The claim's best sentence in a neutral voice, else its best sentence, attributed.
            neutral = [m for m in usable if not loaded_words(inputs.texts[m])]
            shown = max(neutral or usable, key=lambda m: (unit_score[m], -m))
            voice = None if neutral else inputs.outlet_names[inputs.article_of[shown]]
            score = float(unit_score[shown]) + self.CORROBORATION_WEIGHT * (len(candidate.claim.origins) - 1)
            if voice is not None:
                score -= self.LOADED_PENALTY
            pool.append((score, shown, candidate, voice))
        pool.sort(key=lambda p: (-p[0], p[1]))

        all_origins = {o for _, _, c, _ in pool for o in c.claim.origins}
        covered: set[str] = set()
        chosen: list[int] = []
        summary: list[SummarySentence] = []
        while pool and len(summary) < self.max_sentences:
            fresh = [p for p in pool if set(p[2].claim.origins) - covered] if all_origins - covered else []
            group = fresh or pool

            def value(entry: tuple[float, int, Candidate, str | None]) -> float:
                closest = max((float(inputs.sims[entry[1], c]) for c in chosen), default=0.0)
                return entry[0] - self.MMR_WEIGHT * closest

            best = max(group, key=value)
            pool.remove(best)
            _, shown, candidate, voice = best
            if any(inputs.lexical[shown, c] >= self.redundancy for c in chosen):
                continue
            chosen.append(shown)
            covered.update(candidate.claim.origins)
            citations = candidate.claim.citations
            first = candidate.members.index(shown)
            ordered = (citations[first],) + citations[:first] + citations[first + 1 :]
            summary.append(SummarySentence(inputs.texts[shown], ordered, voice))
        return summary

    def headline(self, inputs: SummaryInputs, summary: Sequence[SummarySentence]) -> int | None:
        """The article whose headline best states the story: closest to the other headlines and the
        summary, in a neutral voice where one is."""
        titled = [a for a, t in enumerate(inputs.titles) if t.strip()]
        if not titled:
            return None
        neutral = [a for a in titled if not loaded_headline_words(inputs.titles[a])] or titled
        score = self._similarity([inputs.titles[a] for a in neutral], list(inputs.texts)).mean(axis=1)
        return neutral[int(np.argmax(score))]

    def _similarity(self, left: list[str], right: list[str]) -> np.ndarray:
        """Alignment's score between each of `left` and each of `right` (TF-IDF over both, and the
        static embeddings)."""
        vectors = tfidf([terms(t) for t in left + right])
        lexical = (vectors[: len(left)] @ vectors[len(left) :].T).toarray()
        embedded = embed_sentences(left) @ embed_sentences(right).T
        return self.lexical_weight * lexical + (1 - self.lexical_weight) * embedded
