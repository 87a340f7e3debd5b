"""The Markdown and HTML reports and the output folder, on a small hand-built story."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import datetime

from newsfuse.report import render_html, render_markdown, story_file_stem, write_outputs
from newsfuse.serialize import article_from_dict, story_from_dict
from newsfuse.types import (
    Article,
    ArticleRef,
    Citation,
    Claim,
    Entity,
    Provenance,
    SpeakerRef,
    Story,
    StoryQuote,
    SummarySentence,
    Support,
)

BREITBART_TEXT = (
    "Iran tested a new ballistic missile on Sunday, officials said.\n\n"
    '"We will not ask anyone for permission," Defence Minister Hossein Dehghan told Fars News.'
)
AP_TEXT = "Iran test-fired a ballistic missile on Sunday. The launch drew a warning from Washington & allies."


def _cite(article: Article, words: str) -> Citation:
    start = article.text.index(words)
    return Citation(article.id, start, start + len(words))


def _articles() -> dict[str, Article]:
    breitbart = Article(
        id="a1",
        title="Iran Tests Missile <script>alert(1)</script>",
        text=BREITBART_TEXT,
        provenance=Provenance("feed.jsonl", "jsonl", 0),
        url="https://www.breitbart.com/iran-missile?a=1&b=2",
        outlet="Breitbart",
        published=datetime(2017, 2, 14, 9, 30),
    )
    anonymous = Article(
        id="a2",
        title="Missile launch",
        text=AP_TEXT,
        provenance=Provenance("wire.txt", "txt"),
        published=datetime(2017, 2, 14),
        credits=("The Associated Press",),
    )
    return {a.id: a for a in (breitbart, anonymous)}


def _story(articles: dict[str, Article]) -> Story:
    a1, a2 = articles["a1"], articles["a2"]
    quote = _cite(a1, "We will not ask anyone for permission,")
    return Story(
        id="story-1",
        title="Iran <script>alert('x')</script> missile test",
        articles=tuple(ArticleRef(a.id, a.outlet, a.title, a.url, a.published) for a in (a1, a2)),
        summary=(
            SummarySentence(
                "Iran tested a new ballistic missile on Sunday.",
                (_cite(a1, "Iran tested a new ballistic missile on Sunday"), _cite(a2, "Iran test-fired")),
            ),
            SummarySentence(
                "The launch drew a warning from Washington & allies.",
                (_cite(a2, "The launch drew a warning from Washington & allies."),),
            ),
        ),
        claims=(
            Claim(
                "Iran tested a new ballistic missile on Sunday",
                "corroborated",
                (
                    Support(
                        _cite(a1, "Iran tested a new ballistic missile on Sunday"),
                        "agrees",
                        "outlet:breitbart",
                    ),
                    Support(_cite(a2, "Iran test-fired"), "agrees", "wire:ap"),
                ),
                ("Breitbart", "The Associated Press"),
                ("outlet:breitbart", "wire:ap"),
            ),
            Claim(
                "The launch drew a warning from Washington & allies.",
                "single_source",
                (
                    Support(
                        _cite(a2, "The launch drew a warning from Washington & allies."), "agrees", "wire:ap"
                    ),
                ),
                ("The Associated Press",),
                ("wire:ap",),
            ),
        ),
        quotes=(
            StoryQuote(
                speaker=SpeakerRef("Hossein Dehghan", "name", 0, 15, "Hossein Dehghan", "as written"),
                cue="told",
                text=a1.text[quote.start : quote.end],
                article_id="a1",
                start=quote.start,
                end=quote.end,
                direct=True,
                via=("Fars News", "Rudaw"),
            ),
        ),
        entities=(
            Entity("Hossein Dehghan", "PERSON", ("Dehghan",), (_cite(a1, "Hossein Dehghan"),)),
            Entity("Iran", "PLACE", (), (_cite(a1, "Iran"), _cite(a2, "Iran"))),
            Entity("Fars News", "ORG", ("Fars",), (_cite(a1, "Fars News"),)),
        ),
    )


def test_html_is_one_complete_self_contained_page() -> None:
    articles = _articles()
    story = _story(articles)
    page = render_html(story, articles)
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    for tag in ("<head>", "</head>", "<body>", "</body>", "<style>", "<title>"):
        assert tag in page
    # Nothing is loaded from elsewhere: no scripts, stylesheets or images, and every http(s) address on
    # the page is an article's own link.
    assert "<script" not in page
    assert "<link" not in page and "<img" not in page and "@import" not in page
    addresses = re.findall(r"https?://[^\s\"'<>]+", page)
    assert addresses
    assert set(addresses) == {html.escape(articles["a1"].url, quote=True)}
    assert all(f'href="{a}"' in page for a in addresses)


def test_html_escapes_titles_and_text() -> None:
    articles = _articles()
    page = render_html(_story(articles), articles)
    # Jinja2's autoescape (markupsafe) writes ' as &#39; and " as &#34;.
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # an article title in the source list
    assert "Washington &amp; allies" in page
    assert "Washington & allies" not in page


def test_html_shows_every_summary_sentence_with_its_cited_words_and_source_anchor() -> None:
    articles = _articles()
    story = _story(articles)
    page = render_html(story, articles)
    for sentence in story.summary:
        assert html.escape(sentence.text) in page
        for citation in sentence.citations:
            cited = articles[citation.article_id].text[citation.start : citation.end]
            assert html.escape(cited) in page
    assert 'id="source-1"' in page and 'id="source-2"' in page
    assert 'href="#source-1"' in page and 'href="#source-2"' in page
    assert "unknown outlet" in page  # a2 has no outlet
    assert "2017-02-14" in page


def test_html_groups_claims_and_shows_quote_chain_and_entities() -> None:
    articles = _articles()
    page = render_html(_story(articles), articles)
    assert page.index("Corroborated by independent sources") < page.index("Reported by one source")
    assert "via Fars News → Rudaw → Breitbart" in page
    assert "“We will not ask anyone for permission,”" in page
    assert page.index("People") < page.index("Organisations") < page.index("Places")
    assert "(also Dehghan)" in page


def test_markdown_is_readable_and_cites_exact_words() -> None:
    articles = _articles()
    story = _story(articles)
    text = render_markdown(story, articles)
    assert text.startswith("# Iran \\<script\\>alert('x')\\</script\\> missile test\n")
    assert "1. Iran tested a new ballistic missile on Sunday. [[1]](#source-1) [[2]](#source-2)" in text
    assert "   - [[1]](#source-1) Breitbart: “Iran tested a new ballistic missile on Sunday”" in text
    assert "[[2]](#source-2) unknown outlet: “Iran test-fired”" in text
    assert "### Corroborated by independent sources" in text
    assert "### Reported by one source" in text
    assert "via Fars News → Rudaw → Breitbart" in text
    assert "“We will not ask anyone for permission,”" in text
    assert "](<https://www.breitbart.com/iran-missile?a=1&b=2>)" in text
    assert '<a id="source-2"></a>**unknown outlet**' in text


def test_missing_article_is_reported_not_raised() -> None:
    articles = _articles()
    story = _story(articles)
    only_first = {"a1": articles["a1"]}
    assert "cited words unavailable: article not provided" in render_html(story, only_first)
    assert "cited words unavailable: article not provided" in render_markdown(story, only_first)
    off = replace(story, summary=(SummarySentence("x", (Citation("a1", 5, 10_000),)),))
    assert "cited words unavailable: span outside the article text" in render_html(off, articles)


def test_a_multiline_citation_is_shown_on_one_line() -> None:
    articles = _articles()
    a1 = articles["a1"]
    start = a1.text.index("officials said.")
    end = a1.text.index("Hossein")
    story = Story(
        "s",
        "t",
        (ArticleRef("a1", "Breitbart", a1.title, a1.url, a1.published),),
        summary=(SummarySentence("x", (Citation("a1", start, end),)),),
    )
    assert (
        "“officials said. &#34;We will not ask anyone for permission,&#34; Defence Minister”"
        in render_html(story, articles)
    )


def test_write_outputs_writes_json_and_a_page_pair_per_story(tmp_path) -> None:
    articles = _articles()
    story = _story(articles)
    odd = Story(id="../escape", title="Odd id", articles=())
    out = tmp_path / "out"
    paths = write_outputs(out, [story, odd], list(articles.values()))
    assert paths[:2] == [out / "stories.json", out / "articles.json"]
    assert set(paths[2:]) == {
        out / "stories" / "story-1.md",
        out / "stories" / "story-1.html",
        out / "stories" / f"{story_file_stem('../escape')}.md",
        out / "stories" / f"{story_file_stem('../escape')}.html",
    }
    assert all(p.is_file() and p.resolve().is_relative_to(out.resolve()) for p in paths)
    assert not list(out.rglob("*.tmp"))

    stories = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    assert isinstance(stories, list)
    assert [story_from_dict(d) for d in stories] == [story, odd]
    written_articles = json.loads((out / "articles.json").read_text(encoding="utf-8"))
    assert [article_from_dict(d) for d in written_articles] == list(articles.values())
    assert written_articles[0]["published"] == "2017-02-14T09:30:00"

    # Writing again replaces the files in place.
    assert write_outputs(out, [story], articles) == paths[:4]


def test_according_to_reads_before_its_source():
    from newsfuse.report._common import attribution

    assert attribution("the Turkish military", "according to") == "According to the Turkish military"
    assert attribution("Ali Shamkhani", "told") == "Ali Shamkhani told"
    assert attribution("An unnamed speaker", "") == "An unnamed speaker"


def test_an_unwritable_output_folder_is_an_output_error(tmp_path):
    import pytest

    from newsfuse.errors import OutputError

    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the stories folder should go", encoding="utf-8")
    with pytest.raises(OutputError, match="blocker"):
        write_outputs(blocker / "out", [], [])


def test_the_output_folder_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    import pytest

    from newsfuse.errors import OutputError
    from newsfuse.report import write
    from newsfuse.report.write import write_outputs_atomically

    articles = _articles()
    story = _story(articles)
    out = tmp_path / "out"
    old = replace(story, id="s-old-story")
    write_outputs_atomically(out, [old, story], articles)
    assert (out / "stories" / "s-old-story.html").exists()

    # A page that fails half way: nothing in the folder changes, and no staging folder is left behind.
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "render_html", broken)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs_atomically(out, [story], articles)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    # Once it succeeds, the folder holds exactly what was given: the old story's pages are gone.
    monkeypatch.undo()
    written = write_outputs_atomically(out, [story], articles)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == sorted(
        str(p.relative_to(out)) for p in written
    )
    assert not (out / "stories" / "s-old-story.html").exists()
    assert [s["id"] for s in json.loads((out / "stories.json").read_text(encoding="utf-8"))] == [story.id]
