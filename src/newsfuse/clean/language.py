"""Which language an article is written in: py3langid, whose model ships inside the package.

What matters downstream is English or not, so the answer is kept when that much is clear: the top
language when English is all but ruled out (Arabic scores 0.6 against Persian and Urdu, but English near 0),
"en" when English leads. A short or mixed text gives None ("not determined"), which the pipeline treats as
English, so a terse English brief is never shut out of the analysis by a shaky guess.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The opening of the text decides; the rest only costs time (benchmarks/language_detection.py).
SAMPLE_CHARS = 1000
MIN_CONFIDENCE = 0.5  # for the top language
MAX_ENGLISH_LEFT = 0.02  # English's share when another language is named
# Written right to left: pages show these with dir="rtl".
RTL_LANGUAGES = frozenset(("ar", "he", "fa", "ur", "ps", "yi", "dv", "ug", "ku", "sd"))


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language ("en", "de", "ar"), or None when not confident."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    ranked = _identifier().rank(sample)
    code, confidence = ranked[0]
    if confidence < MIN_CONFIDENCE:
        return None
    if code != "en" and dict(ranked).get("en", 0.0) > MAX_ENGLISH_LEFT:
        return None
    return str(code)


def text_direction(language: str | None) -> str:
    """ "rtl" for a language written right to left, else "ltr"."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def is_english(language: str | None) -> bool:
    """True when the English analysis applies: English, or a language not determined."""
    return language in (None, "en")
