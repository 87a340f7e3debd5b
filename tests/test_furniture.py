"""Page furniture that news-please and trafilatura leave in bodies, each case from a real crawled page."""

from __future__ import annotations

import pytest

from newsfuse.clean import clean_article
from newsfuse.types import Article, Provenance, RawArticle, Rejected

LEAD = "The council approved the new budget on Tuesday after a long debate about school funding."
TAIL = "The mayor said the plan would be reviewed again in the spring, when revenue figures are known."


def _clean(*lines: str) -> Article | Rejected:
    body = "\n".join(lines)
    return clean_article(RawArticle("Council passes budget", body, Provenance("t.json", "json")))


@pytest.mark.parametrize(
    "furniture",
    [
        # A CNN gallery flattened onto one line, longer than any other furniture.
        "Photos: Budget day: Scenes from the council A protester holds a sign outside city hall on Tuesday. "
        + " ".join(
            f"Hide Caption {i} of 25 Photos: Budget day: Scenes from the council Council members vote late on"
            " Tuesday night after hours of debate."
            for i in range(1, 9)
        ),
        "Photos: Budget day: Scenes from the council Council members vote. Hide Caption 3 of 25",
        "China: the new space superpower Read more",
        "The 10 greatest Super Bowl half-time shows - Ranked! Read more",
        "Re-enter zip code or sign up for digital access.",
        "Sorry, this zipcode is not in our deliverable area for this subscription service.",
        "Getty - Contributor Russia shares a 24-mile border with North Korea",
        "Cookie policy",
        "We use cookies to give you the best experience. By continuing you agree to our use of cookies.",
    ],
)
def test_furniture_line_is_removed_and_the_article_kept(furniture):
    article = _clean(LEAD, furniture, TAIL)
    assert isinstance(article, Article)
    assert article.text == f"{LEAD}\n\n{TAIL}"


def test_a_credit_run_into_a_caption_is_kept_as_a_credit():
    article = _clean(LEAD, "Getty - Contributor Hackers obtained partial credit card details", TAIL)
    assert isinstance(article, Article) and article.credits == ("Getty Images",)


def test_a_sentence_that_mentions_read_more_stays():
    article = _clean(LEAD, "Read more about the letter obtained by the NYT here.", TAIL)
    assert isinstance(article, Article) and "Read more about the letter" in article.text


@pytest.mark.parametrize(
    "lines",
    [
        ("Subscribe to our newsletter", "Cookie policy", "Breaking news alerts in your inbox"),
        (
            "Sorry, this zipcode is not in our deliverable area for this subscription service.",
            "Re-enter zip code or sign up for digital access.",
            "Get digital access",
        ),
        ("Most popular stories this week", "Watch the latest videos from our newsroom", "Terms of Service"),
    ],
)
def test_an_article_of_nothing_but_furniture_is_rejected(lines):
    result = _clean(*lines)
    assert isinstance(result, Rejected) and "after cleaning" in result.reason


@pytest.mark.parametrize(
    "furniture",
    [
        "Unfortunately, this video is not available in your region.",
        "Now watching",
        "Next video starts in : 7Play",
    ],
)
def test_video_player_notices_are_removed(furniture):
    article = _clean(LEAD, furniture, TAIL)
    assert isinstance(article, Article) and article.text == f"{LEAD}\n\n{TAIL}"


def test_a_highlights_box_goes_with_its_items():
    box = (
        "Story highlights Heavy winds forced the plane to change course",
        "The plane was a single-engine turboprop",
    )
    article = _clean(*box, LEAD, TAIL)
    assert isinstance(article, Article) and article.text == f"{LEAD}\n\n{TAIL}"
