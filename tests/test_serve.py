"""`newsfuse serve` as a client meets it: the server started as a process on a free localhost port over a
store of the example job, its JSON API checked against its own OpenAPI description, and its pages driven
in Debian's chromium (Playwright): citations, filters, an ingest that changes a story, hostile article text.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from conftest import REPO

import newsfuse
from newsfuse.cli import main
from newsfuse.serve.address import address_file
from newsfuse.types import Story

TOKEN = "test-token-7f3a"
MAX_BODY = 200_000
MAX_BATCH = 3
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Where the screenshots go: a test's own folder, or SCREENSHOTS_DIR (docs/ holds the README's).
SHOTS = os.environ.get("SCREENSHOTS_DIR")

# An article of the same event, hostile: markup in its title and body that would run if not escaped.
HOSTILE = {
    "id": "hostile-1",
    "title": 'Russia says Iran airspace deal stands <img src=x onerror="window.__pwned = 1">',
    "outlet": "Reuters",
    "url": "https://www.reuters.com/article/iran-russia-airspace-deal",
    "published": "2017-02-15T10:00:00Z",
    "text": (
        "MOSCOW (Reuters) - Russia said on Wednesday that Iran is allowing Russian warplanes to use its "
        "airspace for operations in Syria under an earlier agreement. <script>window.__pwned = 2</script> "
        "Iran's security council secretary Ali Shamkhani told Fars News that the cooperation with Russia "
        'is strategic. <b onmouseover="window.__pwned = 3">Russian jets</b> flew from the Hamadan air base '
        "last year, officials said."
    ),
}


@dataclass(frozen=True)
class Served:
    url: str
    db: Path
    story: Story
    process: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("serve")
    db = base / "news.duckdb"
    result = newsfuse.run([REPO / "examples" / "articles.jsonl"], db=db, progress=False)
    assert len(result.stories) == 1
    port = _free_port()
    log = base / "server.log"
    command = [sys.executable, "-m", "newsfuse", "serve", "--db", str(db), "--port", str(port)]
    command += ["--token", TOKEN, "--max-body", str(MAX_BODY), "--max-batch", str(MAX_BATCH)]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert process.poll() is None, f"the server exited: {log.read_text()}"
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"the server did not answer: {log.read_text()}"
            time.sleep(0.5)
        yield Served(url, db, result.stories[0], process, log)
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    assert not address_file(db).exists(), "the server's address record outlives it"


def _api(served: Served) -> httpx.Client:
    return httpx.Client(base_url=served.url, timeout=300)


# ---------------------------------------------------------------------------------------------- the API


def _schema_of(spec: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    answers = spec["paths"][path][method]["responses"]
    assert str(status) in answers, f"{method.upper()} {path} answered {status}, which it does not document"
    schema = answers[str(status)]["content"]["application/json"]["schema"]
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; their $refs point into the document's components.
    return {**schema, "components": spec["components"]}


def _check(spec: dict[str, Any], path: str, method: str, response: httpx.Response) -> Any:
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    body = response.json()
    jsonschema.Draft202012Validator(_schema_of(spec, path, method, response.status_code)).validate(body)
    return body


@pytest.mark.slow
def test_every_documented_route_answers_its_documented_schema(served: Served) -> None:
    with _api(served) as api:
        spec = api.get("/openapi.json").json()
        story_id = served.story.id
        article_id = served.story.articles[0].id
        calls: list[tuple[str, str, dict[str, Any], int]] = [
            ("/api/health", "get", {}, 200),
            ("/api/stories", "get", {}, 200),
            ("/api/stories", "get", {"params": {"q": "Russian airspace", "order": "coverage"}}, 200),
            ("/api/stories", "get", {"params": {"outlet": "newsweek", "since": "2017-01-01"}}, 200),
            ("/api/stories", "get", {"params": {"limit": 0}}, 422),
            ("/api/stories/{story_id}", "get", {"id": story_id}, 200),
            ("/api/stories/{story_id}", "get", {"id": "no-such-story"}, 404),
            ("/api/articles/{article_id}", "get", {"id": article_id}, 200),
            ("/api/articles/{article_id}", "get", {"id": "no-such-article"}, 404),
            ("/api/articles", "post", {"content": b"a text", "headers": {"content-type": "text/plain"}}, 401),
            ("/api/rejected", "get", {}, 200),
            ("/api/claims", "get", {"params": {"status": "relayed"}}, 200),
            ("/api/claims", "get", {"params": {"status": "likely"}}, 422),
            ("/api/quotes", "get", {"params": {"story": story_id}}, 200),
        ]
        called = set()
        for path, method, options, status in calls:
            url = path.replace("{story_id}", options.get("id", "")).replace(
                "{article_id}", options.get("id", "")
            )
            request = {k: v for k, v in options.items() if k != "id"}
            response = api.request(method.upper(), url, **request)
            assert response.status_code == status, (path, response.text[:300])
            body = _check(spec, path, method, response)
            called.add((path, method))
            if status >= 400:
                assert set(body) == {"error"} and body["error"]["message"]
        documented = {(p, m) for p, methods in spec["paths"].items() for m in methods}
        assert documented == called, f"documented routes without a check: {documented - called}"

        listed = api.get("/api/stories", params={"q": "Russian airspace"}).json()
        assert [s["id"] for s in listed["items"]] == [story_id]
        assert api.get("/api/stories", params={"q": "zebra crossing"}).json()["total"] == 0
        account = api.get(f"/api/stories/{story_id}").json()
        assert account["contract_version"] and account["claims"]
        article = api.get(f"/api/articles/{article_id}").json()
        text = article["article"]["text"]
        assert article["annotated"] and article["sentences"] and article["stories"] == [story_id]
        for sentence in article["sentences"]:
            assert 0 <= sentence["start"] < sentence["end"] <= len(text)
        quotes = api.get("/api/quotes", params={"story": story_id}).json()
        assert quotes["total"] == len(served.story.quotes)


@pytest.mark.slow
def test_a_users_mistake_is_a_4xx_in_the_one_error_shape(served: Served) -> None:
    with _api(served) as api:
        answers = {
            "unknown route": api.get("/api/nothing-here"),
            "wrong method": api.delete("/api/stories"),
            "bad date": api.get("/api/stories", params={"since": "yesterday"}),
            "no token": api.post("/api/articles", json=HOSTILE),
            "wrong token": api.post("/api/articles", json=HOSTILE, headers={"authorization": "Bearer nope"}),
        }
        auth = {"authorization": f"Bearer {TOKEN}"}
        answers["unknown media type"] = api.post(
            "/api/articles", content=b"%PDF", headers={**auth, "content-type": "application/pdf"}
        )
        answers["empty body"] = api.post(
            "/api/articles", content=b"", headers={**auth, "content-type": "text/plain"}
        )
        answers["body too large"] = api.post(
            "/api/articles", content=b"x" * (MAX_BODY + 1), headers={**auth, "content-type": "text/plain"}
        )
        answers["too many articles"] = api.post(
            "/api/articles",
            json=[{**HOSTILE, "id": f"n{i}", "text": f"{HOSTILE['text']} {i}"} for i in range(MAX_BATCH + 1)],
            headers=auth,
        )
        answers["bad json"] = api.post(
            "/api/articles",
            content=b'{"title": "x", "text": ',
            headers={**auth, "content-type": "application/json"},
        )
        expected = {
            "unknown route": 404,
            "wrong method": 405,
            "bad date": 422,
            "no token": 401,
            "wrong token": 401,
            "unknown media type": 415,
            "empty body": 400,
            "body too large": 413,
            "too many articles": 413,
            "bad json": 400,
        }
        for name, response in answers.items():
            assert response.status_code == expected[name], (name, response.text[:300])
            body = response.json()
            assert set(body) == {"error"}, name
            assert set(body["error"]) == {"code", "message", "detail"}, name
            assert body["error"]["message"] and "\n" not in body["error"]["message"], name
        assert "invalid JSON" in answers["bad json"].json()["error"]["message"]
        # Nothing a refused request held was stored.
        assert api.get("/api/health").json()["stories"] == 1


@pytest.mark.slow
def test_cli_read_commands_go_through_the_server_and_writes_say_it_is_busy(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stories", "--db", str(served.db), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in listed] == [served.story.id]
    assert main(["show", served.story.id, "--db", str(served.db)]) == 0
    assert capsys.readouterr().out.startswith("# ")
    assert main(["ingest", str(REPO / "examples" / "articles.jsonl"), "--db", str(served.db)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "held by the newsfuse server at http://127.0.0.1:" in error


def test_serve_refuses_a_reachable_host_without_a_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--db", str(tmp_path / "s.duckdb"), "--host", "0.0.0.0"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "without a token" in error
    assert not (tmp_path / "s.duckdb").exists()


# ---------------------------------------------------------------------------------------------- the pages

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "chromium is not installed: run `make test`, or deselect with -m 'not browser'", pytrace=False
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.browser
def test_a_citation_highlights_the_cited_words_in_the_cited_article(served: Served, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{served.url}/stories/{served.story.id}")
    assert page.title() == _flat(served.story.title)
    with _api(served) as api:  # the server holds the store: its texts come from the API
        texts = {
            r.id: api.get(f"/api/articles/{r.id}").json()["article"]["text"] for r in served.story.articles
        }
    checked = 0
    for index, sentence in enumerate(served.story.summary[:3]):
        marker = page.locator("#summary ol.summary > li").nth(index).locator(":scope > .cites > a.cite").last
        article_id = marker.get_attribute("data-article")
        start, end = int(marker.get_attribute("data-start")), int(marker.get_attribute("data-end"))
        citation = next(c for c in sentence.citations if c.article_id == article_id)
        assert (citation.start, citation.end) == (start, end)
        marker.click()
        column = page.locator("#compare .article.current")
        expect(column).to_have_count(1)
        assert column.get_attribute("data-article") == article_id
        highlighted = column.locator(".seg.hl")
        expect(highlighted.first).to_be_in_viewport()
        shown = "".join(highlighted.all_text_contents())
        assert shown == texts[article_id][start:end]
        assert page.locator("#compare .seg.hl").count() == highlighted.count()  # only in that article
        checked += 1
    assert checked
    # Each source sentence is marked by the claims it supports.
    assert page.locator("#compare .seg.mark-relayed").count() > 0
    assert page.locator("#compare .seg.mark-single_source").count() > 0
    assert page.errors == []


@pytest.mark.browser
def test_the_list_filters_by_outlet_entity_and_search(served: Served, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(served.url + "/")
    expect(page.locator("li.story-item")).to_have_count(1)
    page.fill("input[name=q]", "zebra crossing")
    page.click("form.filters button")
    expect(page.locator("li.story-item")).to_have_count(0)
    expect(page.locator("p.none")).to_have_text("No story matches.")
    page.fill("input[name=q]", "Russian planes airspace")
    page.select_option("select[name=outlet]", "Newsweek")
    page.click("form.filters button")
    expect(page.locator("li.story-item")).to_have_count(1)
    assert "outlet=Newsweek" in page.url
    page.locator("p.chips a.chip", has_text="Ali Shamkhani").click()
    expect(page.locator("li.story-item")).to_have_count(1)
    expect(page.locator("header .meta")).to_contain_text("naming Ali Shamkhani")
    page.locator("a.story-link").click()
    expect(page.locator("h1")).to_have_text(_flat(served.story.title))
    page.goto(served.url + "/?entity=Nobody%20Atall")
    expect(page.locator("li.story-item")).to_have_count(0)
    assert page.errors == []


# Before the ingest below, so the README's screenshots show the example's story as `make demo` makes it.
def _shoot(page: Any, url: str, name: str, width: int, folder: Path, cite: bool = False) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} overflows at {width}px"
    if cite:  # the side-by-side view with a summary sentence's cited words highlighted
        page.locator("#summary a.cite").first.click()
    path = folder / f"{name}-{width}.png"
    page.screenshot(path=path)
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert struct.unpack(">II", data[16:24])[0] == width
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes


@pytest.mark.browser
def test_screenshots_of_the_two_pages_on_a_desktop_and_a_phone(
    served: Served, page: Any, tmp_path: Path
) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        _shoot(page, served.url + "/", "list", width, folder)
        _shoot(page, f"{served.url}/stories/{served.story.id}", "story", width, folder)
    _shoot(page, f"{served.url}/stories/{served.story.id}", "story-cited", 1280, folder, cite=True)
    assert page.errors == []


@pytest.mark.browser
def test_an_ingested_hostile_article_joins_its_story_and_runs_nothing(served: Served, page: Any) -> None:
    from playwright.sync_api import expect

    story_url = f"{served.url}/stories/{served.story.id}"
    page.goto(story_url)
    before = page.locator("#sources li").count()
    answers: list[httpx.Response] = []

    def post() -> None:
        with _api(served) as api:
            answers.append(
                api.post("/api/articles", json=HOSTILE, headers={"authorization": f"Bearer {TOKEN}"})
            )

    writer = threading.Thread(target=post)
    writer.start()
    # Reads do not wait for the write: while the ingest runs (it loads the language models first,
    # tens of seconds), the story keeps being served from the last committed state.
    read_while_writing = 0
    with _api(served) as api:
        while writer.is_alive() and read_while_writing < 5:
            started = time.monotonic()
            assert api.get(f"/api/stories/{served.story.id}").status_code == 200
            if writer.is_alive() and time.monotonic() - started < 5:
                read_while_writing += 1
            time.sleep(0.5)
    writer.join(timeout=600)
    assert read_while_writing >= 1, "the ingest ended before any read could overlap it"
    (answer,) = answers
    assert answer.status_code == 200, answer.text
    with _api(served) as api:
        spec = api.get("/openapi.json").json()
        body = _check(spec, "/api/articles", "post", answer)
    assert body["read"] == 1 and len(body["new"]) == 1
    assert [s["id"] for s in body["stories"]] == [served.story.id]
    page.reload()
    expect(page.locator("#sources li")).to_have_count(before + 1)
    expect(page.locator("#sources li", has_text="Reuters")).to_have_count(1)
    # The markup is shown as the words it is, and none of it ran.
    expect(page.locator("#compare .article", has_text="<script>window.__pwned = 2</script>")).to_have_count(1)
    hover = "s => s.dispatchEvent(new MouseEvent('mouseover'))"
    page.evaluate(f"document.querySelectorAll('#compare .seg').forEach({hover})")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#compare script, #compare img, #compare b").count() == 0
    page.goto(served.url + "/")
    page.fill("input[name=q]", "Russia says Iran airspace deal stands")
    page.click("form.filters button")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img").count() == 0
    assert page.errors == []
