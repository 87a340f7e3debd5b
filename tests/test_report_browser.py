"""The story report page as a reader sees it: the example job's page opened in a real headless chromium.

Debian's chromium is used (`make test` installs it); Playwright's own browser download is not possible in CI.
"""

from __future__ import annotations

import shutil
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO
from playwright.sync_api import Browser, Page, expect, sync_playwright

import newsfuse
from newsfuse.report import story_file_stem
from newsfuse.types import Article, ArticleRef, Story

pytestmark = pytest.mark.browser

# No sandbox and no GPU in a root CI container; the rest keep chromium from reaching out on its own, so any
# request seen below comes from the page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1000, "height": 900}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def flat(text: str) -> str:
    """Text as a browser lays it out on one line: whitespace runs as one space."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Report:
    story: Story
    articles: dict[str, Article]
    refs: dict[str, ArticleRef]
    url: str


@dataclass(frozen=True)
class Opened:
    """A page showing the report, with every request it made and every error it logged."""

    page: Page
    requests: list[str]
    errors: list[str]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "chromium is not installed, so the report page cannot be opened: run `make test`, which installs "
            "it (apt-get install chromium), or deselect these tests with -m 'not browser'",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    base = tmp_path_factory.mktemp("browser-report")
    out = base / "out"
    result = newsfuse.run(
        [REPO / "examples" / "articles.jsonl"], db=base / "news.duckdb", out=out, progress=False
    )
    assert len(result.stories) == 1, "the two example articles report one event"
    story = result.stories[0]
    page = out / "stories" / f"{story_file_stem(story.id)}.html"
    return Report(
        story=story,
        articles={a.id: a for a in result.articles},
        refs={r.id: r for r in story.articles},
        url=page.as_uri(),
    )


@contextmanager
def _open(browser: Browser, url: str, viewport: dict[str, int]) -> Iterator[Opened]:
    context = browser.new_context(viewport=viewport, color_scheme="light")
    try:
        page = context.new_page()
        opened = Opened(page, [], [])
        # Listening before the page loads, so nothing the page does on load is missed.
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.goto(url)
        yield opened
    finally:
        context.close()


@pytest.fixture
def opened(browser: Browser, report: Report) -> Iterator[Opened]:
    with _open(browser, report.url, VIEWPORT) as shown:
        yield shown


def _source_entry(page: Page, href: str | None) -> str:
    """The id of the one Sources entry a marker's href names."""
    assert href and href.startswith("#"), f"marker href {href!r} is not an anchor on the page"
    target = href[1:]
    assert page.locator(f"[id='{target}']").count() == 1, f"{href} names no single element"
    assert page.locator(f"#sources li[id='{target}']").count() == 1, f"{href} is not a Sources entry"
    return target


def test_title_and_summary_are_the_storys(opened: Opened, report: Report) -> None:
    page = opened.page
    assert page.title() == flat(report.story.title)
    expect(page.locator("h1")).to_have_text(flat(report.story.title))
    items = page.locator("#summary ol.summary > li")
    assert items.count() == len(report.story.summary) > 0
    for item, sentence in zip(items.all(), report.story.summary, strict=True):
        expect(item.locator(":scope > .sentence")).to_have_text(flat(sentence.text))


def test_every_marker_links_to_a_source_entry_of_the_cited_outlet(opened: Opened) -> None:
    page = opened.page
    hrefs = page.locator("a.cite").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) > 10
    for href in set(hrefs):
        _source_entry(page, href)
    # Each line of a "cited words" list names its outlet: its marker must lead to that outlet's entry.
    lines = page.locator("ul.evidence > li").all()
    assert lines
    for line in lines:
        target = _source_entry(page, line.locator("a.cite").get_attribute("href"))
        outlet = page.locator(f"#{target} .outlet").text_content()
        assert line.locator(".outlet").text_content() == outlet


def test_summary_markers_scroll_to_each_cited_articles_source(opened: Opened, report: Report) -> None:
    page = opened.page
    items = page.locator("ol.summary > li")
    for item, sentence in zip(items.all(), report.story.summary, strict=True):
        cited = list(dict.fromkeys(c.article_id for c in sentence.citations))
        markers = item.locator(":scope > .cites > a.cite")
        assert markers.count() == len(cited)
        for marker, article_id in zip(markers.all(), cited, strict=True):
            target = _source_entry(page, marker.get_attribute("href"))
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            marker.click()
            entry = page.locator(":target")
            expect(entry).to_have_id(target)
            expect(entry).to_be_in_viewport()
            ref = report.refs[article_id]
            expect(entry.locator(".outlet")).to_have_text(ref.outlet or "")
            expect(entry).to_contain_text(flat(ref.title))


def test_cited_words_disclosure_shows_exactly_the_cited_text(opened: Opened, report: Report) -> None:
    page = opened.page
    first = report.story.summary[0]
    details = page.locator("ol.summary > li").first.locator(":scope > details")
    lines = details.locator("ul.evidence > li")
    assert lines.count() == len(first.citations)
    expect(lines.first).to_be_hidden()
    details.locator("summary").click()
    for line, citation in zip(lines.all(), first.citations, strict=True):
        expect(line).to_be_visible()
        article = report.articles[citation.article_id]
        shown = line.locator(".words").inner_text()
        # The words are set in quotation marks of their own; inside them, exactly the cited span.
        assert shown[0] + shown[-1] in {"“”", "‘’"}, shown
        assert shown[1:-1] == flat(article.text[citation.start : citation.end])
        assert line.locator(".outlet").inner_text() == report.refs[citation.article_id].outlet


def test_quotes_show_the_speaker_and_the_outlet_chain(opened: Opened, report: Report) -> None:
    page = opened.page
    expect(page.locator("#quotes .speaker", has_text="Shamkhani").first).to_be_visible()
    relayed = page.locator("#quotes li", has_text="via Fars News → Rudaw → Breitbart")
    expect(relayed).to_have_count(1)
    # The quote's marker sits far below the Sources list: following it must bring Breitbart's entry into view.
    marker = relayed.locator("a.cite")
    entry = page.locator(f"#{_source_entry(page, marker.get_attribute('href'))}")
    marker.scroll_into_view_if_needed()
    expect(entry).not_to_be_in_viewport()
    marker.click()
    expect(entry).to_be_in_viewport()
    expect(entry.locator(".outlet")).to_have_text("Breitbart")


def test_page_loads_nothing_but_itself_and_logs_no_errors(opened: Opened, report: Report) -> None:
    page = opened.page
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.locator("a.cite").last.click()
    assert opened.requests == [report.url]
    assert opened.errors == []


def test_screenshot_is_a_whole_readable_page(opened: Opened, tmp_path: Path) -> None:
    path = tmp_path / "story.png"
    opened.page.screenshot(path=path, full_page=True)
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # IHDR, the first chunk
    # A full-page shot is as wide as the content: the viewport's width means nothing overflows sideways.
    assert width == VIEWPORT["width"]
    assert VIEWPORT["height"] < height < 50_000
    assert len(data) > 50_000  # a blank page of this size compresses to a few kilobytes


def test_page_fits_a_phone_screen(browser: Browser, report: Report) -> None:
    with _open(browser, report.url, {"width": 360, "height": 740}) as opened:
        assert opened.page.evaluate("document.documentElement.scrollWidth") <= 360
