"""Sentences, named entities, attributions and content terms, as character spans into the article text.

`pipeline` is the only module that runs spaCy; `quotes` and `terms` work on plain text and spans.
"""
