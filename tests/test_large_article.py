"""A very long article is annotated in pieces, so spaCy's memory stays bounded, with the same spans."""

from __future__ import annotations

from conftest import SEED_FILES

from newsfuse.nlp import pipeline as nlp_pipeline
from newsfuse.nlp.pipeline import Annotator, split_text
from newsfuse.pipeline import read_articles


def test_split_text_cuts_at_paragraph_breaks_and_covers_the_text():
    text = "\n\n".join(f"Paragraph {i} has a few words in it." for i in range(100))
    pieces = split_text(text, 200)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 200 for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    assert all(text.startswith("\n\n", offset) for offset, _ in pieces[1:])

    one_paragraph = "A sentence of some words. " * 40
    flat = split_text(one_paragraph, 100)
    assert "".join(p for _, p in flat) == one_paragraph and all(len(p) <= 100 for _, p in flat)
    assert all(p.endswith(". ") for _, p in flat[:-1])


def test_an_article_annotated_in_pieces_has_the_spans_it_has_whole(monkeypatch):
    (article, *_) = read_articles(SEED_FILES, progress=False).articles
    whole = next(Annotator().annotate([article]))
    monkeypatch.setattr(nlp_pipeline, "MAX_DOC_CHARS", 600)
    assert len(split_text(article.text, 600)) > 3
    pieces = list(Annotator().annotate([article, article]))
    for annotated in pieces:
        assert annotated.sentences == whole.sentences
        assert annotated.mentions == whole.mentions
        assert annotated.quotes == whole.quotes
