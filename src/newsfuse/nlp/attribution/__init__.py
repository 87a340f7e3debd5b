"""Attribution: who said what, to whom, through which outlets.

`extract_quotes(text, sentences, mentions, method=...)` returns the article's `Quote` records. Its parts:

* `rules.py`: the cue-verb lexicon and the frames of direct quotes and of verb-framed reported speech,
  with the outlet chains ("told Fars, according to Rudaw");
* `tagger.py`: a CRF over tokens, trained on PolNeAR (`train.py`), for what a lexicon misses (reported
  speech framed by nouns and phrases, beliefs, intentions, findings);
* `speakers.py`: the speaker step, adding to each speaker span its kind and in-article resolution.

With method "model" the rules' quotes and outlet chains are kept and the tagger's relations fill in the
rest (those with a source or a clause-long content, that overlap no rule quote, and whose source is not
a pronoun the speaker step leaves unresolved); with "rules" the rules alone run.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.nlp.attribution.document import Doc
from newsfuse.nlp.attribution.lexicon import CUE_FORMS
from newsfuse.nlp.attribution.rules import rule_quotes
from newsfuse.nlp.attribution.speakers import resolve_speakers
from newsfuse.nlp.attribution.tagger import model_quotes
from newsfuse.types import Mention, Quote, Sentence

__all__ = ["ATTRIBUTION_METHODS", "CUE_FORMS", "extract_quotes"]

ATTRIBUTION_METHODS = ("model", "rules")


# A learned relation without a source whose content is this short is mostly a source tagged as content
# ("..., according to SpaceX's website").
MIN_SOURCELESS_CONTENT_WORDS = 6


def _combine(text: str, rules: Sequence[Quote], learned: Sequence[Quote]) -> list[Quote]:
    """Every rule quote, then every learned relation whose content overlaps none of them, unless it has
    no source and a short content. The rules are precise (P 0.97 on PolNeAR dev) and carry the outlet
    chains; the tagger adds what they miss. Taking the tagger's relations first, or the rules' direct
    quotes first, scored lower on dev (see README)."""
    kept = list(rules)
    taken = [(q.content_start, q.content_end) for q in kept]
    for q in learned:
        if (
            q.speaker is None
            and len(text[q.content_start : q.content_end].split()) < MIN_SOURCELESS_CONTENT_WORDS
        ):
            continue
        if not any(q.content_start < e and s < q.content_end for s, e in taken):
            kept.append(q)
            taken.append((q.content_start, q.content_end))
    return sorted(kept, key=lambda q: q.content_start)


def _unresolved_pronoun(q: Quote) -> bool:
    """A speaker that is a pronoun the speaker step could not name ("they", "we", "it", "you", "I").
    On giveme5w1h about half the tagger's relations with such a source are no attribution ("It boasted
    one of the fastest growth rates", "They didn't find the bird"); the rest name no one (see README)."""
    return q.speaker_kind == "pronoun" and q.speaker_name is None


def extract_quotes(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], method: str = "model"
) -> list[Quote]:
    """Quotes and other attributions in `text`, sorted by content start, speakers resolved in-article.

    `sentences` and `mentions` are character spans into `text`. A quote with no attribution has speaker
    None and an empty cue at its start.
    """
    if method not in ATTRIBUTION_METHODS:
        raise ValueError(f"attribution method must be one of {ATTRIBUTION_METHODS}, got {method!r}")
    doc = Doc(text, mentions)  # one tokenisation for the rules and the tagger
    quotes = rule_quotes(text, sentences, mentions, doc)
    if method == "rules" or not text.strip():
        return resolve_speakers(text, sentences, mentions, quotes)
    rule_spans = {(q.content_start, q.content_end) for q in quotes}
    quotes = _combine(text, quotes, model_quotes(text, sentences, mentions, doc=doc))
    return [
        q
        for q in resolve_speakers(text, sentences, mentions, quotes)
        if (q.content_start, q.content_end) in rule_spans or not _unresolved_pronoun(q)
    ]
