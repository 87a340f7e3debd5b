"""Cleaning: furniture goes, every real sentence stays byte for byte, outlets are inferred on evidence."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.clean import article_id, clean_article, normalize_body
from newsfuse.ingest import read_inputs
from newsfuse.types import Article, Provenance, RawArticle, RejectCode, Rejected

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BREITBART = "000_5f5afe9c6d78004b.txt"
NEWSWEEK = "002_d34f738958b095e5.txt"

# The body paragraphs of each seed as (first words, last words); each must survive exactly, and nothing else.
SEED_PARAGRAPHS = {
    BREITBART: [
        ("Iran is allowing Russian warplanes", "Bashar-al Assad in Syria."),
        ("“Iran’s cooperation with Russia is", "News, according to Rudaw."),
        ("“Iran’s national security chief also", "the Kurdish news outlet."),
        ("In February 2016, the Kremlin", "which also supports Assad."),
        ("“I am convinced that our", "able to fight them.”"),
        ("Besides the Iranian military, Russia", "and other Shiite jihadists."),
        ("Russia and Iran are working", "Syria at any cost."),
        ("Throughout most of the ongoing", "military assistance to Assad."),
        ("However, last month Russia, Iran,", "ending the Syria war."),
        ("Furthermore, Russian foreign\xa0minister Sergei Lavrov", "forces to be “terrorists.”"),
        ("“Russia, Iran, and Turkey have", "in late December 2016."),
        ("“Iran, Russia and Turkey are", "guarantor,” Mr. Lavrov said."),
    ],
    NEWSWEEK: [
        ("Iran has again allowed Russian", "as saying on Saturday."),
        ("In August, Russian aircraft for", "again if circumstances warranted."),
        ("Iran's Foreign Ministry said then", "and some Iranian lawmakers."),
        ("Ali Shamkhani, secretary of Iran's", 'strategic cooperation with Russia."'),
        ('"In the recent cases, Russian', 'refueling operations," Shamkhani added.'),
        ("The agency said Shamkhani was", "President Bashar al-Assad's government."),
        ("It was not immediately clear", "to the Turkish military."),
        ("The reports about Iran's cooperation", "regional or international conflicts."),
        ("The comment came after a", "between the two leaders."),
        ("A political commentator close to", "addressed the U.S.-Iranian tensions."),
        ("Iran has close ties with", "Iraqi forces battling ISIS."),
        ('"Iraq is very keen to', "according to state TV."),
        ("Trump said on Friday that", "threats would ''regret it.''"),
        ("The White House on Friday", "of the U.S. president."),
        ("Abadi's office on Friday also", "without specifically mentioning Iran."),
        ("Both readouts stressed the importance", "control in the country."),
        ("The United States has more", "the battle of Mosul."),
        ("Iran has also played a", "known as Popular Mobilization."),
        ('"The Iraqi prime minister Dr', "Shammari told state TV."),
        ("The Iraqi readout said Abadi", "to the United States."),
        ("U.S. courts suspended the restrictions", "trying to reinstate them."),
        ("Abadi resisted calls from influential", "for U.S. military support."),
        ("Washington last week ratcheted up", "a ballistic missile test."),
        ("Iran's dominant influence in Iraqi", "of Tehran, in 2014."),
    ],
}


def _seeds() -> dict[str, Article]:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is not present")
    articles = {}
    for raw in read_inputs([SEEDS]):
        assert isinstance(raw, RawArticle)
        article = clean_article(raw)
        assert isinstance(article, Article)
        articles[Path(raw.provenance.source).name] = article
    return articles


def _raw(body: str, title: str = "A headline for the test story", outlet: str | None = None) -> RawArticle:
    return RawArticle(title=title, body=body, provenance=Provenance("mem.jsonl", "jsonl", 3), outlet=outlet)


def _clean(body: str, **kwargs: str | None) -> Article:
    article = clean_article(_raw(body, **kwargs))
    assert isinstance(article, Article), article
    return article


# ---------------------------------------------------------------- the seeds


def test_seed_titles_are_first_lines():
    for name, article in _seeds().items():
        assert article.title == (SEEDS / name).read_text(encoding="utf-8").splitlines()[0]


def test_seed_furniture_is_gone():
    articles = _seeds()
    for article in articles.values():
        for furniture in (
            "Newsweek magazine delivered to your door",
            "Unlimited access",
            "Ad free experience",
            "Editor's pick",
            "Newsweek cover",
            "Handout via Reuters",
            "A still image taken from a video footage",
            "Sergey Lavrov, Mohammad Javad Zarif",
        ):
            assert furniture not in article.text
        assert "The Associated Press" not in article.text.split("\n")


def test_every_seed_body_paragraph_survives_byte_for_byte():
    for name, article in _seeds().items():
        source = (SEEDS / name).read_text(encoding="utf-8")
        paragraphs = article.text.split("\n\n")
        expected = SEED_PARAGRAPHS[name]
        assert len(paragraphs) == len(expected), name
        for paragraph, (start, end) in zip(paragraphs, expected, strict=True):
            assert paragraph.startswith(start) and paragraph.endswith(end), paragraph[:60]
            assert paragraph in source  # exactly as published, curly quotes and no-break spaces included


def test_seed_outlets_and_credits():
    articles = _seeds()
    newsweek, breitbart = articles[NEWSWEEK], articles[BREITBART]
    assert newsweek.outlet == "Newsweek"
    assert newsweek.outlet_inferred is True
    assert newsweek.outlet_evidence == "subscription block"
    assert "Reuters" in newsweek.credits
    # Breitbart ran an AP photo: the credit names the photographer's agency, not the publisher.
    assert breitbart.outlet is None
    assert breitbart.outlet_inferred is False and breitbart.outlet_evidence is None
    assert "The Associated Press" in breitbart.credits
    assert "Sergey Lavrov, Mohammad Javad Zarif\nThe Associated Press" in breitbart.removed
    assert any("Newsweek magazine delivered to your door" in block for block in newsweek.removed)


def test_seed_ids_are_content_derived_and_stable():
    first, second = _seeds(), _seeds()
    for name, article in first.items():
        assert article.id == second[name].id
        content = f"{article.outlet or ''}\n{article.title}\n{article.text}"
        digest = hashlib.sha256(content.encode()).hexdigest()
        assert article.id == digest[:16] == article_id(article.outlet, article.title, article.text)
    assert first[BREITBART].id != first[NEWSWEEK].id


def test_seed_text_is_canonical():
    for article in _seeds().values():
        assert article.text == article.text.strip()
        assert "\n\n\n" not in article.text
        assert "  " not in article.text and "\t" not in article.text


# ---------------------------------------------------------------- rules on small bodies


def test_common_furniture_lines_are_removed_and_sentences_kept():
    body = "\n\n".join(
        [
            "WASHINGTON (Reuters) - The Senate passed the bill on Tuesday after a long debate.",
            "Advertisement",
            "Read more: Five things to know about the bill",
            "Share this article",
            "Sign up for our newsletter",
            "Related: Senate leaders meet on budget",
            "Follow us on Twitter",
            "The vote was 52 to 48, Reuters reported, citing two aides.",
            "Copyright cases rose 20% last year, the agency said.",
            "Share prices fell 3% on Monday.",
            "Published in 1999, the book sold well, the senator told AFP.",
            "Copyright 2018 The Associated Press. All rights reserved. This material may not be published.",
        ]
    )
    article = _clean(body)
    assert article.text.split("\n\n") == [
        "WASHINGTON (Reuters) - The Senate passed the bill on Tuesday after a long debate.",
        "The vote was 52 to 48, Reuters reported, citing two aides.",
        "Copyright cases rose 20% last year, the agency said.",
        "Share prices fell 3% on Monday.",
        "Published in 1999, the book sold well, the senator told AFP.",
    ]
    assert len(article.removed) == 7
    assert article.credits == ("The Associated Press",)  # from the copyright notice


def test_wire_dateline_gives_the_outlet_when_the_record_has_none():
    article = _clean("WASHINGTON (Reuters) - The Senate passed the bill on Tuesday after a long debate.")
    assert article.outlet == "Reuters"
    assert (article.outlet_inferred, article.outlet_evidence) == (True, "wire dateline")
    bare = _clean("(CNN) North Korea fired a ballistic missile over Japan on Friday morning.")
    assert bare.outlet == "CNN"
    given_outlet = _clean("WASHINGTON (Reuters) - The Senate passed the bill.", outlet="HuffPost")
    assert (given_outlet.outlet, given_outlet.outlet_inferred, given_outlet.outlet_evidence) == (
        "HuffPost",
        False,
        "record",
    )


@pytest.mark.parametrize(
    ("first", "outlet"),
    [
        ("SEOUL/WASHINGTON (Reuters) - North Korea said on Wednesday it had tested a missile.", "Reuters"),
        (
            "ERIMO, Japan, Oct 19 (Reuters) - Ever since the missiles flew over, farmers have worried.",
            "Reuters",
        ),
        (
            "NEW YORK (AP) — Authorities say two subway work trains have collided in a tunnel.",
            "The Associated Press",
        ),
        ("NAPA COUNTY, Calif. (KGO) -- A plan to bring a resort to the lake is one step closer.", "KGO"),
        ("(Updated) The company said on Monday that it would close two plants next year.", None),
        ("The company (Apple) said on Monday that it would close two plants next year.", None),
        ("BEIJING -- China on Friday said it opposes ballistic missile launches by the DPRK.", None),
    ],
)
def test_only_a_wire_dateline_names_the_outlet(first, outlet):
    article = _clean(first)
    assert article.outlet == outlet
    assert article.outlet_inferred is (outlet is not None)


@pytest.mark.parametrize(
    ("offer", "outlet"),
    [
        ("• Subscribe to The Haitian Times.", "The Haitian Times"),
        ("• Subscribe to Newsweek Premium", "Newsweek"),
        ("• Subscribe to Updates", None),
        ("• Sign up for our newsletter", None),
    ],
)
def test_subscription_offers_name_the_publisher(offer, outlet):
    body = f"The council approved the new budget on Monday by a vote of seven to two.\n\nMembers\n{offer}"
    article = _clean(body)
    assert article.text == "The council approved the new budget on Monday by a vote of seven to two."
    assert article.outlet == outlet


def test_photo_credit_alone_is_not_an_outlet():
    body = (
        "Protesters gather outside parliament on Monday. (AP Photo/Jane Doe)\n\n"
        "Thousands of people marched through the capital on Monday to protest the new law."
    )
    article = _clean(body)
    assert article.outlet is None and article.outlet_inferred is False
    assert article.credits == ("The Associated Press",)
    assert article.text == "Thousands of people marched through the capital on Monday to protest the new law."


@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        ("The app was removed from the store on Thursday. Dado Ruvic/Reuters", "Reuters"),
        ("Officials meet in Geneva, Switzerland, November 6, 2017. REUTERS/Mike Blake", "Reuters"),
        ("Equifax chief testifies before the committee. (Photo by Alex Wong/Getty Images)", "Getty Images"),
        ("Rescue workers help an injured woman into an ambulance in Nice. AFP", "AFP"),
        ("Image copyright EPA Image caption The blast destroyed nearby buildings", "EPA"),
        ("Enlarge this image toggle caption Alastair Grant/AP Alastair Grant/AP", "The Associated Press"),
        ("Vjeran Pavic/The Verge", "The Verge"),
        ("Reuters - Ap - Afp", "Reuters"),
    ],
)
def test_captions_and_credits(caption, credit):
    article = _clean(f"{caption}\n\nThe main story begins here and it is a full sentence of news.")
    assert article.text == "The main story begins here and it is a full sentence of news."
    assert credit in article.credits


def test_news_please_body_one_paragraph_per_line():
    title = "China opposes DPRK's missile launch: FM spokesperson"
    body = (
        f"{title}\nXinhua | Updated: 2017-09-15 17:52\n"
        "BEIJING -- China on Friday said it opposes ballistic missile launches by the DPRK.\n"
        '"All parties concerned should exercise restraint," Hua said.\n'
        "jm/dm (AFP, dpa)"
    )
    article = _clean(body, title=title, outlet="africa.chinadaily.com.cn")
    assert article.text == (
        "BEIJING -- China on Friday said it opposes ballistic missile launches by the DPRK.\n\n"
        '"All parties concerned should exercise restraint," Hua said.'
    )
    assert article.credits == ("Xinhua", "AFP", "dpa")
    assert article.removed[0] == title  # the headline repeated as the first line


def test_promo_heading_takes_its_bullets_and_names_the_publisher():
    body = (
        "The council approved the new budget on Monday by a vote of seven to two.\n\n"
        "Subscriber benefits\n"
        "  • The Economist delivered to your door\n"
        "  • Unlimited digital access\n"
        "  • Cancel anytime"
    )
    article = _clean(body)
    assert article.text == "The council approved the new budget on Monday by a vote of seven to two."
    assert (article.outlet, article.outlet_evidence) == ("The Economist", "subscription block")


def test_bullets_that_sell_nothing_are_kept():
    body = (
        "The plan has three parts:\n"
        "• Cutting fares for students\n"
        "• Adding night buses\n"
        "• Repairing two bridges"
    )
    assert _clean(body).text == normalize_body(body)


def test_whitespace_is_normalised_and_characters_kept():
    body = "  First\t\tparagraph   with “curly” quotes and a\xa0no-break space.  \n\n\n\n  Second line.  "
    article = _clean(body)
    assert article.text == "First paragraph with “curly” quotes and a\xa0no-break space.\n\nSecond line."


def test_nothing_left_is_rejected_with_source_and_record():
    result = clean_article(_raw("Advertisement\n\nThe Associated Press\n\nRead more: Something else"))
    assert result == Rejected(
        "mem.jsonl#3",
        "no article text after cleaning (all 3 blocks were page furniture, e.g. 'Advertisement')",
        RejectCode.BOILERPLATE_ONLY,
    )
    short = RawArticle(title="T", body="Too short.", provenance=Provenance("a.txt", "txt"))
    assert clean_article(short) == Rejected("a.txt", "no article text after cleaning", RejectCode.NO_TEXT)


# ---------------------------------------------------------------- property: cleaning only removes

_LINES = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    st.sampled_from(
        [
            "",
            "   ",
            "\t",
            "Advertisement",
            "The Associated Press",
            "Sergey Lavrov, Mohammad Javad Zarif",
            "  • Newsweek magazine delivered to your door",
            "• Unlimited access to",
            "Editor's pick",
            "Read more: something",
            "A caption of a photo. Jane Doe/Reuters",
            "WASHINGTON (Reuters) - The Senate voted.",
            "The minister said on Tuesday that talks would resume next week in Geneva.",
            "“Quoted words,” she said.",
        ]
    ),
)


def _normalised_input(body: str) -> str:
    # Written out here rather than imported, so the property does not trust the code under test.
    # Control characters (NUL above all) are the one thing cleaning deletes inside a line.
    body = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", body)
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in lines)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINES, max_size=25), title=st.text(max_size=60))
def test_cleaning_only_removes(lines, title):
    body = "\n".join(lines)
    result = clean_article(RawArticle(title=title, body=body, provenance=Provenance("p.txt", "txt")))
    if isinstance(result, Rejected):
        assert result.source == "p.txt"
        return
    normalised = _normalised_input(body)
    assert result.text == result.text.strip()
    for paragraph in result.text.split("\n\n"):
        assert paragraph and paragraph == paragraph.strip()
        assert paragraph in normalised


def test_an_oversized_body_is_rejected_with_its_size():
    from newsfuse.clean import MAX_TEXT_CHARS

    body = ("A sentence of an endless page. " * (MAX_TEXT_CHARS // 30 + 10)).strip()
    raw = RawArticle(title="Dump", body=body, provenance=Provenance("dump.txt", "txt"))
    result = clean_article(raw)
    assert isinstance(result, Rejected) and "cap" in result.reason and result.source == "dump.txt"


@pytest.mark.parametrize(
    "furniture",
    [
        "USA TODAY 24 of 41 Skip in Skip x Embed x Share CLOSE WHAT YOU NEED TO KNOW ABOUT MUSK How well?",
        "CLOSE A potential mega-merger between two chipmakers is likely to face scrutiny, lawyers say.",
    ],
)
def test_video_player_furniture_is_removed(furniture):
    body = f"The launch went ahead on Tuesday as planned, officials said.\n\n{furniture}\n\nIt was the third."
    result = clean_article(RawArticle(title="Launch", body=body, provenance=Provenance("x.txt", "txt")))
    assert isinstance(result, Article)
    assert furniture not in result.text
    assert "officials said." in result.text and "It was the third." in result.text


def test_an_article_flattened_onto_one_line_is_never_dropped_as_a_caption():
    # news-please saves some pages as one line: caption furniture first, then the whole story.
    story = " ".join(
        f"Officials said the flood in the valley town had reached its {n}th street by the evening."
        for n in range(1, 12)
    )
    body = f"Image copyright EPA Image caption Water covered the main square {story}"
    result = clean_article(RawArticle(title="Flood", body=body, provenance=Provenance("bbc.json", "json")))
    assert isinstance(result, Article)
    assert story in result.text
