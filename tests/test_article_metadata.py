"""Authors, publication dates with their evidence, and language, as cleaning reads them off the inputs."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from newsfuse.clean import clean_article
from newsfuse.clean.authors import parse_authors
from newsfuse.clean.language import detect_language, is_english, text_direction
from newsfuse.ingest.html import parse_html
from newsfuse.ingest.records import parse_jsonl
from newsfuse.store import Store
from newsfuse.types import Article, Provenance, RawArticle

LEAD = "The council approved the new budget on Tuesday after a long debate about school funding."


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("By JANE DOE and John Roe, Associated Press", ("Jane Doe", "John Roe")),
        ("Jane Doe; John Roe", ("Jane Doe", "John Roe")),
        (["Carrie Kahn", "carrie kahn"], ("Carrie Kahn",)),
        (["The Associated Press"], ("The Associated Press",)),
        ("By Ali al-Sayed, Senior Correspondent", ("Ali al-Sayed",)),
        ("Mary O’Neil with Luis de la Cruz", ("Mary O’Neil", "Luis de la Cruz")),
        ("By Lucas Nolan22 Dec 2016651", ()),
        ("Staff Writer", ()),
        (None, ()),
    ],
)
def test_parse_authors(value, names):
    assert parse_authors(value) == names


def _clean(body: str, **kwargs) -> Article:
    article = clean_article(RawArticle("Council passes budget", body, Provenance("t.txt", "txt"), **kwargs))
    assert isinstance(article, Article), article
    return article


def test_record_authors_are_read():
    line = {"title": "Council passes budget", "text": LEAD, "authors": ["Jane Doe", "John Roe"]}
    (raw,) = parse_jsonl(json.dumps(line).encode(), "a.jsonl")
    assert clean_article(raw).authors == ("Jane Doe", "John Roe")


def test_byline_in_the_text_gives_the_authors_and_is_removed():
    article = _clean(f"By Jane Doe and John Roe\n\n{LEAD}")
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.text == LEAD


def test_html_metadata_gives_author_and_date():
    page = (
        "<html><head><title>Council passes budget</title>"
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2017-05-04T09:30:00+00:00">'
        f"</head><body><article><h1>Council passes budget</h1><p>{LEAD}</p><p>{LEAD}</p></article>"
        "</body></html>"
    )
    article = clean_article(parse_html(page.encode(), "p.html"))
    assert article.authors == ("Jane Doe",)
    assert article.published.date().isoformat() == "2017-05-04"
    assert article.published_evidence == "html metadata"


@pytest.mark.parametrize(
    ("body", "when"),
    [
        (
            f"Published: 10:41 EST, 5 February 2018 | Updated: 12:59 EST, 6 February 2018\n{LEAD}",
            "2018-02-05",
        ),
        (f"Xinhua | Updated: 2017-09-15 17:52\n{LEAD}", "2017-09-15"),
        (f"CAIRO, Jan. 5, 2018 (Reuters) - {LEAD}", "2018-01-05"),
        (f"May 4, 2016 — {LEAD}", "2016-05-04"),
    ],
)
def test_a_date_the_record_lacks_comes_from_the_text(body, when):
    article = _clean(body)
    assert article.published.date().isoformat() == when
    assert article.published_evidence == "dateline"


def test_a_date_inside_a_sentence_is_no_dateline_and_a_record_date_wins():
    assert _clean(f"The council said on May 4, 2016 that it agreed. {LEAD}").published is None
    given = _clean(f"May 4, 2016 — {LEAD}", published=datetime(2016, 5, 5))
    assert (given.published, given.published_evidence) == (datetime(2016, 5, 5), "record")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (LEAD, "en"),
        ("Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt verabschiedet.", "de"),
        ("Le conseil municipal a adopté mardi le nouveau budget après un long débat.", "fr"),
        ("وافق مجلس المدينة يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل حول تمويل المدارس.", "ar"),
        ("המועצה אישרה ביום שלישי את התקציב החדש לאחר ויכוח ארוך על מימון בתי הספר.", "he"),
        ("Mossul: Irak-Armee rückt vor", None),  # too short to tell: treated as English
    ],
)
def test_language(text, code):
    assert detect_language(text) == code
    assert is_english(code) == (code in (None, "en"))


def test_direction():
    assert (text_direction("ar"), text_direction("he"), text_direction("en"), text_direction(None)) == (
        "rtl",
        "rtl",
        "ltr",
        "ltr",
    )


def test_store_keeps_the_new_fields(tmp_path):
    article = _clean(f"By Jane Doe\n\nMay 4, 2016 — {LEAD}", outlet="edition.cnn.com")
    with Store.open(tmp_path / "s.duckdb") as store:
        store.add_articles([article])
        (back,) = store.articles()
    assert (back.outlet, back.outlet_domain, back.authors) == ("CNN", "edition.cnn.com", ("Jane Doe",))
    assert (back.published_evidence, back.language) == ("dateline", "en")


def test_a_non_english_article_is_stored_and_listed_but_not_analysed(tmp_path):
    from newsfuse.pipeline import run

    german = (
        "Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt verabschiedet. Die Schulen "
        "bekommen mehr Geld, die Bibliotheken weniger. Der Bürgermeister sagte, der Plan werde im Frühjahr "
        "erneut geprüft, wenn die Steuereinnahmen bekannt seien."
    )
    records = [
        {"title": "Stadtrat beschließt Haushalt", "text": german, "outlet": "Lokalzeitung"},
        {"title": "Council passes budget", "text": f"{LEAD} Schools get more money.", "outlet": "Gazette"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    result = run([path], db=tmp_path / "s.duckdb", out=tmp_path / "out", progress=False)
    by_language = {a.language: a for a in result.articles}
    assert set(by_language) == {"de", "en"}
    assert result.notes == (
        f"{path}#0: the text is in 'de', not English; stored and listed in its story, "
        "without sentences, entities or quotes",
    )
    with Store.open(tmp_path / "s.duckdb") as store:
        (german_annotation,) = store.annotations([by_language["de"].id])
        (english_annotation,) = store.annotations([by_language["en"].id])
    assert german_annotation.sentences == () and german_annotation.mentions == ()
    assert english_annotation.sentences
    listed = {ref.id for story in result.stories for ref in story.articles}
    assert by_language["de"].id in listed


def test_a_page_in_a_right_to_left_language_is_laid_out_right_to_left(tmp_path):
    from newsfuse.pipeline import run

    arabic = (
        "وافق مجلس المدينة يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل حول تمويل المدارس. "
        "وقال رئيس البلدية إن الخطة ستراجع مرة أخرى في الربيع عندما تعرف أرقام الإيرادات."
    )
    path = tmp_path / "in.jsonl"
    record = {"title": "المجلس يقر الميزانية", "text": arabic, "outlet": "Al Jazeera"}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = run([path], db=tmp_path / "s.duckdb", out=tmp_path / "out", progress=False)
    (page,) = (tmp_path / "out" / "stories").glob("*.html")
    assert '<html lang="ar" dir="rtl">' in page.read_text(encoding="utf-8")
    assert result.articles[0].language == "ar"


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Joshua Sokol May", ("Joshua Sokol",)),
        ("Joe Wee Monday; February", ("Joe Wee",)),
        ("Nelson D Schwartz", ("Nelson D. Schwartz",)),
        ("Jeffrey Gettleman; JEFFREY GETTLEMAN", ("Jeffrey Gettleman",)),
    ],
)
def test_author_fields_as_page_metadata_gives_them(value, names):
    assert parse_authors(value) == names
