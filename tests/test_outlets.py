"""The outlet registry: domains, subdomains and aliases of one outlet give one display name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsfuse.clean import clean_article
from newsfuse.clean.registry import outlet_from_domain, resolve_outlet
from newsfuse.types import Provenance, RawArticle

BODY = "The council approved the new budget on Tuesday after a long debate about school funding."


@pytest.mark.parametrize(
    ("given", "url", "name", "domain"),
    [
        ("edition.cnn.com", None, "CNN", "edition.cnn.com"),
        (None, "https://money.cnn.com/2017/05/01/x.html", "CNN", "money.cnn.com"),
        ("usa.chinadaily.com.cn", None, "China Daily", "usa.chinadaily.com.cn"),
        ("europe.chinadaily.com.cn", None, "China Daily", "europe.chinadaily.com.cn"),
        ("www.nytimes.com", None, "The New York Times", "nytimes.com"),
        ("nyt", None, "The New York Times", None),
        ("Associated Press", "https://apnews.com/article/x", "The Associated Press", "apnews.com"),
        ("www.bbc.co.uk", None, "BBC", "bbc.co.uk"),
        ("uk.reuters.com", None, "Reuters", "uk.reuters.com"),
        # Unlisted: every subdomain of one registered domain is one outlet, named after that domain.
        ("news.example-gazette.co.uk", None, "example-gazette.co.uk", "news.example-gazette.co.uk"),
        ("Harbour Times", "http://harbourtimes.example/a", "Harbour Times", "harbourtimes.example"),
        # Platforms that host many publishers: the publisher, not the platform.
        (None, "https://jane.substack.com/p/budget", "jane.substack.com", "jane.substack.com"),
        (None, "https://medium.com/@jane/budget-1234", "medium.com/@jane", "medium.com"),
        (None, "https://town-notes.blogspot.com/2017/01/x.html", "town-notes.blogspot.com", None),
        ("Reuters", "https://news.yahoo.com/budget-123.html", "Reuters", "news.yahoo.com"),
    ],
)
def test_resolve_outlet(given, url, name, domain):
    outlet = resolve_outlet(given, url)
    assert outlet is not None and outlet.name == name
    if domain is not None:
        assert outlet.domain == domain


def test_a_listed_site_domain_outranks_a_section_site_name():
    assert resolve_outlet("CNN Politics", "https://edition.cnn.com/2017/x").name == "CNN"


def test_a_string_without_a_public_suffix_is_no_domain():
    assert outlet_from_domain("not a host") is None


def _raw(outlet, url, body=BODY):
    return RawArticle(
        "Council passes budget", body, Provenance("t.jsonl", "jsonl", 0), url=url, outlet=outlet
    )


def test_cleaned_article_shows_the_registry_name_and_keeps_the_domain():
    article = clean_article(_raw("edition.cnn.com", "https://edition.cnn.com/2017/x"))
    assert (article.outlet, article.outlet_domain, article.outlet_evidence) == (
        "CNN",
        "edition.cnn.com",
        "record",
    )


def test_syndicated_copy_is_credited_to_the_wire_its_dateline_names():
    body = "WASHINGTON (Reuters) - " + BODY
    article = clean_article(_raw("news.yahoo.com", "https://news.yahoo.com/budget-123.html", body))
    assert (article.outlet, article.outlet_domain) == ("Reuters", "news.yahoo.com")
    assert (article.outlet_inferred, article.outlet_evidence) == (True, "wire dateline")


def test_two_cnn_subdomains_count_as_one_independent_source():
    from newsfuse.fuse import StoryFuser
    from newsfuse.nlp.pipeline import Annotator

    shared = "The council approved the new budget on Tuesday after a long debate about school funding."
    a = clean_article(
        _raw(
            "edition.cnn.com",
            "https://edition.cnn.com/a",
            shared
            + " Critics said the plan cuts too deep into library hours and park upkeep across the city.",
        )
    )
    # The same fact in other words: a word-for-word copy would be one origin whatever the outlets.
    paraphrase = (
        "The city council passed the new budget on Tuesday following a lengthy debate over funding "
        "for schools."
    )
    b = clean_article(
        _raw(
            "money.cnn.com",
            "https://money.cnn.com/b",
            paraphrase
            + " Bond markets shrugged, and the mayor's office expects its credit rating to hold steady.",
        )
    )
    annotated = list(Annotator(sentences="rules").annotate([a, b]))
    story = StoryFuser(0.2, 5, 0.5).fuse("s", annotated)
    assert all(claim.status == "single_source" for claim in story.claims)
    assert {o for claim in story.claims for o in claim.outlets} == {"CNN"}
    # Had the second come from another outlet, the two would have corroborated each other.
    other = replace(b, outlet="Fox News", outlet_domain="foxnews.com", url="https://www.foxnews.com/b")
    two = [annotated[0], replace(annotated[1], article=other)]
    assert any(c.status == "corroborated" for c in StoryFuser(0.2, 5, 0.5).fuse("s", two).claims)


def test_syndicated_copy_is_credited_to_the_outlet_its_byline_names():
    raw = RawArticle(
        "Council passes budget",
        BODY,
        Provenance("p.html", "html"),
        url="https://news.yahoo.com/budget-123.html",
        outlet="Yahoo News",
        authors=("The Associated Press",),
    )
    article = clean_article(raw)
    assert (article.outlet, article.outlet_evidence, article.outlet_domain) == (
        "The Associated Press",
        "byline",
        "news.yahoo.com",
    )


def test_an_article_stored_before_the_registry_reads_back_under_its_display_name(tmp_path):
    from newsfuse.store import Store

    article = clean_article(_raw("edition.cnn.com", "https://edition.cnn.com/2017/x"))
    old = replace(article, outlet="edition.cnn.com", outlet_domain=None)  # as an old store holds it
    with Store.open(tmp_path / "s.duckdb") as store:
        store.add_articles([old])
        (back,) = store.articles()
    assert (back.outlet, back.outlet_domain) == ("CNN", "edition.cnn.com")
