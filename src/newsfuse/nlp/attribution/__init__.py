"""Attribution: who said what. `extract_quotes(text, sentences, mentions)` is the entry point."""

from newsfuse.nlp.attribution.rules import CUE_FORMS, extract_quotes

__all__ = ["CUE_FORMS", "extract_quotes"]
