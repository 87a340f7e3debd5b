"""The newsroom view over HTTP: a JSON API under /api/ and server-rendered pages, one FastAPI app.

Every failure answers `{"error": {"code", "message", "detail"}}` (pages: an HTML page saying the same);
a user's mistake is a 4xx. Write routes need the token when one is set. Pages are Jinja2 templates with
autoescaping, and a Content-Security-Policy that allows only this server's own script and stylesheet.
"""

from __future__ import annotations

import hmac
import itertools
import logging
import urllib.parse
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse import __version__
from newsfuse.errors import NewsfuseError, NotFoundError
from newsfuse.report.html import render_html
from newsfuse.report.jinja import css, render, static_file
from newsfuse.serialize import CONTRACT_VERSION, article_to_dict
from newsfuse.serve.newsroom import MEDIA_FORMATS, Newsroom, TooManyArticles
from newsfuse.serve.schemas import (
    ArticleOut,
    ArticleRecord,
    ClaimOut,
    ClaimPageOut,
    ErrorOut,
    HealthOut,
    IngestOut,
    QuoteOut,
    QuotePageOut,
    RejectedOut,
    RejectedPageOut,
    StoryListingOut,
    StoryPageOut,
    TouchedStory,
)
from newsfuse.store.pages import decompress
from newsfuse.store.queries import MAX_PAGE
from newsfuse.types import Rejected, Story, StoryFilter, StoryListing

log = logging.getLogger("newsfuse.serve")

# Pages load only this server's stylesheet and script; nothing inline runs, even if escaping failed.
PAGE_SECURITY = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_STATIC = {"style.css": "text/css", "story.js": "text/javascript"}
_STATUS_CODES = {
    400: "bad-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": code} for status, code in _STATUS_CODES.items()
}


# Module level: the route signatures are read with this module's globals.
_BEARER = HTTPBearer(auto_error=False, description="the token `newsfuse serve --token` was given")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


def _error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": jsonable_encoder(detail)}}


def _listing_out(s: StoryListing) -> StoryListingOut:
    return StoryListingOut(**asdict(s), url=f"/stories/{urllib.parse.quote(s.id, safe='')}")


def _rejected_out(r: Rejected) -> RejectedOut:
    return RejectedOut(source=r.source, code=str(r.code), reason=r.reason, advice=r.code.advice)


def _validation_message(errors: list[dict[str, Any]]) -> str:
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def create_app(
    newsroom: Newsroom, *, token: str | None = None, max_body_bytes: int = 8 << 20, max_articles: int = 100
) -> FastAPI:
    """The app over a Newsroom. `token`: the secret write routes require (None: none needed)."""
    newsroom.max_articles = max_articles
    app = FastAPI(
        title="newsfuse",
        version=__version__,
        description="Stories fused from many outlets' reports, each statement cited to its source words.",
        docs_url=None,
        redoc_url=None,
    )
    uploads = itertools.count(1)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")

    def error_response(
        request: Request, status: int, code: str, message: str, detail: Any = None
    ) -> Response:
        if wants_html(request):
            page = render("error.html", served=True, status=status, message=message)
            return HTMLResponse(page, status_code=status, headers=PAGE_SECURITY)
        return JSONResponse(_error_body(code, message, detail), status_code=status)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.code, exc.message, exc.detail)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return error_response(request, 404, "not-found", str(exc).split(" in ")[0])

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{k: v for k, v in e.items() if k != "ctx" and k != "url"} for e in exc.errors()]
        return error_response(request, 422, "invalid-request", _validation_message(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "http-error")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404:
            message = f"no such page or route: {request.url.path}"
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        status, code = (503, "store-error") if isinstance(exc, NewsfuseError) else (500, "internal")
        return error_response(request, status, code, f"the server failed: {exc}".splitlines()[0])

    def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
    ) -> None:
        if token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(
                401,
                "unauthorized",
                "this route needs the server's token: send `Authorization: Bearer TOKEN`"
                if not given
                else "the token given is not the server's",
            )

    # ------------------------------------------------------------------ JSON API

    @app.get("/api/health", response_model=HealthOut, tags=["api"], responses=ERRORS)
    def health() -> HealthOut:
        return HealthOut(
            status="ok",
            version=__version__,
            contract_version=CONTRACT_VERSION,
            stories=newsroom.reads.story_count(),
            ingest_ready=newsroom.ingest_ready,
        )

    @app.get("/api/stories", response_model=StoryPageOut, tags=["api"], responses=ERRORS)
    def list_stories(
        q: Annotated[str | None, Query(max_length=500, description="words that must all occur")] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        entity: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[datetime | None, Query(description="latest article at or after")] = None,
        until: Annotated[datetime | None, Query(description="first article at or before")] = None,
        order: Literal["newest", "coverage"] = "newest",
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> StoryPageOut:
        where = StoryFilter(q or None, outlet or None, entity or None, since, until)
        page = newsroom.reads.stories(where, order, offset, limit)
        return StoryPageOut(
            items=[_listing_out(s) for s in page.items], total=page.total, offset=offset, limit=page.limit
        )

    @app.get(
        "/api/stories/{story_id}",
        response_model=Story,
        tags=["api"],
        responses=ERRORS,
        description="One story's account, as stories.json has it (contract "
        f"{CONTRACT_VERSION}); a merged story's old id gives the story it went into.",
    )
    def get_story(story_id: str) -> Response:
        return Response(newsroom.reads.story_json(story_id), media_type="application/json")

    @app.get("/api/articles/{article_id}", response_model=ArticleOut, tags=["api"], responses=ERRORS)
    def get_article(article_id: str) -> ArticleOut:
        view = newsroom.reads.article(article_id)
        a = view.annotation
        return ArticleOut(
            article=ArticleRecord(**article_to_dict(view.article)),
            annotated=a is not None,
            sentences=list(a.sentences) if a else [],
            mentions=list(a.mentions) if a else [],
            quotes=list(a.quotes) if a else [],
            timexes=list(a.timexes) if a else [],
            stories=list(view.stories),
        )

    @app.post(
        "/api/articles",
        response_model=IngestOut,
        tags=["api"],
        responses=ERRORS,
        dependencies=[Depends(require_token)],
        description="Add articles: one JSON object or a list of them (`id`, `title`, `text`, `url`, "
        "`published`, `outlet`, `authors`, or news-please's fields), JSON Lines, an HTML page, or a text "
        "(headline on the first line). They are cleaned, annotated, grouped into the story stream and "
        "fused; the answer names the stories they belong to now.",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"anyOf": [{"type": "object"}, {"type": "array"}]}},
                    "application/x-ndjson": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                    "text/plain": {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def ingest(request: Request) -> IngestOut:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in MEDIA_FORMATS:
            raise ApiError(
                415,
                "unsupported-media-type",
                f"cannot read a body of type {media or '(none)'!r}; send one of {', '.join(MEDIA_FORMATS)}",
            )
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_body_bytes:
            raise _too_large(int(declared), max_body_bytes)
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > max_body_bytes:
                raise _too_large(len(data), max_body_bytes)
        if not data.strip():
            raise ApiError(400, "bad-request", "the request body is empty; send the articles in it")
        source = f"upload-{next(uploads)}"
        try:
            result = await run_in_threadpool(newsroom.ingest, bytes(data), media, source)
        except TooManyArticles as exc:
            raise ApiError(413, "too-large", str(exc), {"articles": exc.count, "limit": exc.limit}) from None
        if not result.articles:
            reasons = "; ".join(r.message for r in result.rejected[:3])
            raise ApiError(
                400,
                "no-article",
                f"no article could be read from the request: {reasons}",
                [_rejected_out(r).model_dump() for r in result.rejected],
            )
        return IngestOut(
            read=len(result.articles),
            new=list(result.new),
            articles=[a.id for a in result.articles],
            rejected=[_rejected_out(r) for r in result.rejected],
            stories=[
                TouchedStory(
                    id=s.id,
                    title=s.title,
                    articles=len(s.articles),
                    url=f"/stories/{urllib.parse.quote(s.id, safe='')}",
                )
                for s in result.stories
            ],
        )

    @app.get("/api/rejected", response_model=RejectedPageOut, tags=["api"], responses=ERRORS)
    def list_rejected(
        offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50
    ) -> RejectedPageOut:
        page = newsroom.reads.rejected(offset, limit)
        return RejectedPageOut(
            items=[_rejected_out(r) for r in page.items], total=page.total, offset=offset, limit=page.limit
        )

    @app.get("/api/claims", response_model=ClaimPageOut, tags=["api"], responses=ERRORS)
    def list_claims(
        status: Literal["corroborated", "relayed", "single_source", "contested", "updated"] | None = None,
        story: Annotated[str | None, Query(max_length=200)] = None,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> ClaimPageOut:
        page = newsroom.reads.claims(status, story, offset, limit)
        return ClaimPageOut(
            items=[ClaimOut(**asdict(c)) for c in page.items],
            total=page.total,
            offset=offset,
            limit=page.limit,
        )

    @app.get("/api/quotes", response_model=QuotePageOut, tags=["api"], responses=ERRORS)
    def list_quotes(
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        story: Annotated[str | None, Query(max_length=200)] = None,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> QuotePageOut:
        page = newsroom.reads.quotes(speaker, story, offset, limit)
        return QuotePageOut(
            items=[QuoteOut(**asdict(x)) for x in page.items],
            total=page.total,
            offset=offset,
            limit=page.limit,
        )

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def story_list(
        request: Request,
        q: Annotated[str | None, Query(max_length=500)] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        entity: Annotated[str | None, Query(max_length=200)] = None,
        order: Literal["newest", "coverage"] = "newest",
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        where = StoryFilter(q or None, outlet or None, entity or None)

        def link(at: int) -> str:
            params = {"q": q, "outlet": outlet, "entity": entity, "order": order, "offset": at}
            return "/?" + urllib.parse.urlencode({k: v for k, v in params.items() if v})

        def rendered() -> str:
            page = newsroom.reads.stories(where, order, offset, 30)
            outlets, entities = newsroom.facets()
            return render(
                "list.html",
                served=True,
                f=where,
                order=order,
                page=page,
                outlets=outlets,
                entities=entities,
                filtered=bool(q or outlet or entity),
                prev_url=link(max(0, offset - page.limit)) if offset > 0 else None,
                next_url=link(offset + page.limit) if offset + page.limit < page.total else None,
            )

        # Kept by the exact query asked (the list and its searches change only when this process writes).
        return HTMLResponse(newsroom.page(link(offset), rendered), headers=PAGE_SECURITY)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, request: Request) -> Response:
        reads = newsroom.reads
        current, stored = newsroom.stored_page(story_id)  # rendered as the story was stored (store/pages.py)
        if current != story_id:
            return RedirectResponse(f"/stories/{urllib.parse.quote(current, safe='')}", status_code=308)
        if stored is not None:
            return _stored_page(stored, request)
        # Not stored with it (a store from before pages were, or another renderer's): render it here.

        def rendered() -> str:
            story = reads.story(story_id)
            articles = {a.id: a for a in reads.articles([r.id for r in story.articles])}
            return render_html(story, articles, served=True)

        return HTMLResponse(newsroom.page(request.url.path, rendered), headers=PAGE_SECURITY)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC:
            raise ApiError(404, "not-found", f"no such file: {name}")
        body = css() if name == "style.css" else static_file(name)
        return Response(body, media_type=_STATIC[name], headers={"Cache-Control": "max-age=300"})

    return app


def _stored_page(gzipped: bytes, request: Request) -> Response:
    """A stored page as it is when the client takes gzip (browsers and httpx do), else unpacked."""
    headers = {**PAGE_SECURITY, "Vary": "Accept-Encoding"}
    if _takes_gzip(request.headers.get("accept-encoding", "")):
        return Response(
            gzipped, media_type="text/html; charset=utf-8", headers={**headers, "Content-Encoding": "gzip"}
        )
    return HTMLResponse(decompress(gzipped), headers=headers)


def _takes_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (named, or `*`, without q=0)."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            weight = params.strip()
            if not weight.startswith("q="):
                return True
            try:
                return float(weight[2:]) > 0
            except ValueError:
                return False
    return False


def _too_large(size: int, limit: int) -> ApiError:
    return ApiError(
        413,
        "too-large",
        f"the request body is {size:,} bytes or more; at most {limit:,} are taken (split the batch)",
        {"limit_bytes": limit},
    )
