"""Runs spaCy over article bodies and turns its output into project records.

Speed shapes this module: spaCy's dependency parser, tagger and lemmatizer are excluded (they cost about
40% of the time on news articles), sentence boundaries come from the small statistical `senter` (or
punctuation rules, by setting). It runs in one process: the executors (newsfuse/execute/) spread articles
over worker processes, each with its own Annotator (`for_worker`). Attribution works
(rules and a CRF tagger) over the tokens, sentence and entity spans (see `attribution`), so it needs
nothing else from spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsfuse.config import DEFAULTS
from newsfuse.errors import ConfigError
from newsfuse.nlp.attribution import extract_quotes
from newsfuse.nlp.timex import find_timexes
from newsfuse.types import Annotated, Article, Mention, Sentence, TimeExpression

# spaCy labels kept, and the entity type each becomes. NORP ("Iranian"), CARDINAL etc. are not entities here,
# nor DATE: dates are time expressions (nlp/timex), with resolved values.
LABEL_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
}
EXCLUDED_COMPONENTS = ["parser", "tagger", "attribute_ruler", "lemmatizer"]
# Longest text given to spaCy as one document: its memory grows with a document's length (see annotate).
MAX_DOC_CHARS = 10_000

_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_PARAGRAPH_BREAK = re.compile(r"(\n\s*\n)")
# Common words that the small model tags as part of names when a sentence is in title case.
_NOT_NAME_WORDS = frozenset(
    [
        "use",
        "uses",
        "allow",
        "allows",
        "says",
        "say",
        "said",
        "report",
        "reports",
        "new",
        "more",
        "after",
        "over",
        "into",
        "with",
        "from",
        "about",
    ]
)


def load_spacy(model: str, sentences: str = "model") -> Any:
    """Load the spaCy package `model` configured for this pipeline. Raises ConfigError when missing.

    sentences="model" uses the statistical sentence recogniser; "rules" uses punctuation rules and skips
    the shared token-to-vector layer, about 35% faster at a cost of two points of speaker accuracy on
    PolNeAR (see README).
    """
    import spacy

    if sentences not in ("model", "rules"):
        raise ConfigError(f"setting 'nlp_sentences' must be 'model' or 'rules', got {sentences!r}")
    exclude = EXCLUDED_COMPONENTS + (["tok2vec", "senter"] if sentences == "rules" else [])
    try:
        nlp = spacy.load(model, exclude=exclude)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed ({exc.__class__.__name__}); run `make install`"
        ) from None
    if sentences == "model" and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp


# Platforms the small model labels PERSON ("on Twitter", "Instagram said"): organisations here.
PLATFORMS = frozenset(
    "twitter instagram facebook youtube tiktok snapchat whatsapp reddit linkedin telegram tumblr".split()
)
# Name particles after which a name goes on across a line break or a mention boundary ("Ursula von der" /
# "Leyen").
_PARTICLES = frozenset("von der van den de del da di du la le al el bin ibn".split())


def _keep_mention(text: str, label: str) -> bool:
    if label not in LABEL_TYPES or not _HAS_LETTER_OR_DIGIT.search(text):
        return False
    if label in ("PERSON", "ORG"):
        words = text.split()
        # A name is capitalised; "Use Airspace" style fragments of headline-case text are not names.
        if not words[0][:1].isupper() or any(w.lower() in _NOT_NAME_WORDS for w in words):
            return False
    if label == "PERSON" and (text.startswith(("@", "#")) or any(c.isdigit() for c in text)):
        return False  # a handle or a number is not a person
    return "\n" not in text


def _entity_type(text: str, label: str) -> str:
    if label == "PERSON" and text.lower() in PLATFORMS:
        return "ORG"
    return LABEL_TYPES[label]


def _join_split_names(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join a PERSON mention ending in a name particle with the capitalised name right after it, across
    spaces or one line break ("Ursula von der" + "Leyen"); the NER model splits such names."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in ents:
        if out:
            p_start, p_end, p_label = out[-1]
            gap = text[p_end:start]
            last = text[p_start:p_end].split()[-1].lower()
            if (
                p_label == "PERSON"
                and last in _PARTICLES
                and not gap.strip()
                and gap.count("\n") <= 1
                and text[start : start + 1].isupper()
            ):
                out[-1] = (p_start, end, "PERSON")
                continue
        out.append((start, end, label))
    return out


def spans_from_doc(doc: Any) -> tuple[tuple[Sentence, ...], tuple[Mention, ...]]:
    """Sentence and mention spans of a spaCy Doc, trimmed of surrounding whitespace."""
    sentences = []
    for sent in doc.sents:
        # spaCy keeps paragraph breaks inside sentences; a sentence never crosses a blank line here.
        start = sent.start_char
        # With a capturing group, odd pieces are the blank-line separators.
        for i, piece in enumerate(_PARAGRAPH_BREAK.split(sent.text)):
            stripped = piece.strip()
            if stripped and i % 2 == 0:
                offset = start + len(piece) - len(piece.lstrip())
                sentences.append(Sentence(offset, offset + len(stripped)))
            start += len(piece)
    whole = doc.text  # spaCy joins every token's text on each read of Doc.text: read it once
    ents = _join_split_names(whole, [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    mentions = []
    for start, end, label in ents:
        # a name joined across a line break keeps its span; its text is written on one line
        text = whole[start:end]
        if "\n" in text and label == "PERSON" and text.count("\n") == 1:
            text = " ".join(text.split())
            if _keep_mention(text, label):
                mentions.append(Mention(start, end, text, "PERSON", label))
        elif _keep_mention(text, label):
            mentions.append(Mention(start, end, text, _entity_type(text, label), label))
    return tuple(sentences), tuple(mentions)


def with_time_mentions(mentions: Sequence[Mention], timexes: Sequence[TimeExpression]) -> tuple[Mention, ...]:
    """The entity mentions plus a DATE mention (label TIMEX) for each date or time expression, in text
    order: the quote rules step over "said on Friday" with them. They are not stored as entities."""
    dates = [Mention(t.start, t.end, t.text, "DATE", "TIMEX") for t in timexes if t.type in ("DATE", "TIME")]
    return tuple(sorted((*mentions, *dates), key=lambda m: (m.start, m.end)))


class Annotator:
    """Annotates articles: sentences, entity mentions, time expressions, quotes (`attribution`: "model" or
    "rules").

    Parameters are stored unchanged; the spaCy pipeline loads on first use so that building an
    Annotator is cheap. It annotates in the calling process; an executor runs one per worker.
    """

    def __init__(
        self,
        model: str = DEFAULTS.spacy_model,
        batch_size: int = DEFAULTS.nlp_batch_size,
        sentences: str = DEFAULTS.nlp_sentences,
        attribution: str = DEFAULTS.attribution,
    ):
        self.model = model
        self.sentences = sentences
        self.attribution = attribution
        self.batch_size = batch_size
        self._nlp: Any = None

    def for_worker(self) -> Annotator:
        """An Annotator with the same settings whose models are not loaded yet, annotating in the process
        it is sent to (executors send it to their workers; a loaded spaCy pipeline is not worth pickling)."""
        return Annotator(self.model, self.batch_size, self.sentences, self.attribution)

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = load_spacy(self.model, self.sentences)
        return self._nlp

    def annotate(self, articles: Sequence[Article]) -> Iterator[Annotated]:
        """Yield one Annotated per article, in input order.

        A text longer than MAX_DOC_CHARS goes to spaCy in pieces cut at paragraph breaks, and the spans
        are shifted back: spaCy's memory grows with the length of one document (a 947,718-character
        article peaked at 3.35 GB whole), and no sentence or kept entity crosses a blank line anyway.
        """
        pieces = [
            (i, offset, piece)
            for i, a in enumerate(articles)
            for offset, piece in split_text(a.text, MAX_DOC_CHARS)
        ]
        texts: Iterable[str] = (piece for _, _, piece in pieces)
        docs = self.nlp.pipe(texts, batch_size=self.batch_size)
        current = 0
        sentences: list[Sentence] = []
        mentions: list[Mention] = []
        for (index, offset, _), doc in zip(pieces, docs, strict=True):
            while current < index:  # pieces come in article order: the articles before are complete
                yield self._finish(articles[current], sentences, mentions)
                sentences, mentions = [], []
                current += 1
            found_sentences, found_mentions = spans_from_doc(doc)
            sentences += [Sentence(x.start + offset, x.end + offset) for x in found_sentences]
            mentions += [
                Mention(m.start + offset, m.end + offset, m.text, m.type, m.label) for m in found_mentions
            ]
        while current < len(articles):
            yield self._finish(articles[current], sentences, mentions)
            sentences, mentions = [], []
            current += 1

    def _finish(self, article: Article, sentences: list[Sentence], mentions: list[Mention]) -> Annotated:
        timexes = find_timexes(article.text, article.published)
        found = tuple(mentions)
        # The quote rules step over "said on Friday" by its DATE mention, made here from the time expressions.
        quotes = tuple(
            extract_quotes(
                article.text,
                tuple(sentences),
                with_time_mentions(found, timexes),
                method=self.attribution,
            )
        )
        return Annotated(article, tuple(sentences), found, quotes, timexes)


def split_text(text: str, limit: int = MAX_DOC_CHARS) -> list[tuple[int, str]]:
    """`text` as (offset, piece) pieces of at most `limit` characters, cut at paragraph breaks; a
    paragraph longer than `limit` is cut after a sentence's full stop, else at a space."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        cut = text.rfind("\n\n", start, start + limit)
        if cut <= start:
            stop, space = text.rfind(". ", start, start + limit), text.rfind(" ", start, start + limit)
            cut = stop + 2 if stop > start else space + 1 if space > start else start + limit
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces
