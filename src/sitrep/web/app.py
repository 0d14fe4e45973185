"""`sitrep serve`: the analyst's view over a live ledger (pages) and the JSON API behind it.

The pages are the report's app reading ``/api/bundle`` and ``/api/articles/{id}/view``
instead of embedded data; the API returns the library's shapes (``sitrep.views``). Reads are
open to whoever reaches the port (127.0.0.1 by default); a write (a correction) needs the
token the server printed at start, in an ``Authorization: Bearer`` header, and is refused when
the request comes from another origin. Request bodies, pages and exports are capped.
"""

from __future__ import annotations

import hmac
import io
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep.errors import SitrepError, UsageError
from sitrep.export.writers import neutralise_formula, write_records
from sitrep.ledger.store import Ledger
from sitrep.report.build import render_page
from sitrep.version import __version__
from sitrep.views import (
    Filters,
    IncidentCache,
    Page,
    add_correction,
    article_view,
    bundle,
    ensure_search_index,
    incident,
    iter_claims,
    iter_incidents,
    iter_mentions,
    list_articles,
    list_claims,
    list_incidents,
    list_mentions,
    list_reuse,
    list_signals,
    read_corrections,
    search_articles,
    show,
)

MAX_BODY = 64 * 1024  # bytes of one request body
MAX_BUNDLE = 5_000  # incidents the app page loads at once
MAX_EXPORT = 50_000  # records of one export
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# The page's own copy of the policy (a <meta> element cannot carry frame-ancestors).
PAGE_META_CSP = PAGE_CSP.replace("frame-ancestors 'none'; ", "")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CorrectionIn(BaseModel):
    """A correction as the web app (or any API client) sends it."""

    target_id: str = Field(max_length=80, description="ARTICLE-m3, ARTICLE-c2 or an incident id")
    action: str = Field(max_length=10, description="wrong, right, set, merge or split")
    field: str | None = Field(default=None, max_length=20)
    value: Any = None
    other_id: str | None = Field(default=None, max_length=80)
    who: str = Field(max_length=100)
    why: str = Field(max_length=2000)


class BodyLimit:
    """ASGI middleware: a request body larger than ``limit`` bytes gets 413, streamed or not."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _plain(send, 413, "Request body too large.")
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLargeError
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLargeError:
            await _plain(send, 413, "Request body too large.")


class _TooLargeError(Exception):
    pass


async def _plain(send: Send, status: int, text: str) -> None:
    body = json.dumps({"detail": text}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _same_origin(request: Request) -> bool:
    """A browser names the page's origin on writes; it must be this server's own."""
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    if origin is None:
        return True  # not a browser (curl, the CLI, a script holding the token)
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


def _closing(ledger: Ledger) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ledger.close()

    return lifespan


def create_app(db: Path, token: str, *, allowed_hosts: tuple[str, ...] = ()) -> FastAPI:
    """The web app over the ledger at ``db``; writes need ``token``."""
    ledger = Ledger.open(db)
    ensure_search_index(ledger)
    cache = IncidentCache(ledger)
    lock = threading.Lock()
    web = resources.files("sitrep.resources").joinpath("web")
    app = FastAPI(
        title="sitrep",
        version=__version__,
        description="The evidence ledger: incidents, mentions, claims, signals, articles and "
        "reuse, with the spans behind them; corrections need the server's token.",
        docs_url=None,
        redoc_url=None,
        lifespan=_closing(ledger),
    )
    app.add_middleware(BodyLimit)
    app.mount("/static", StaticFiles(directory=str(web)), name="static")
    hosts = {"127.0.0.1", "localhost", "testserver", *allowed_hosts}

    @contextmanager
    def opened() -> Iterator[Ledger]:
        with lock:
            yield ledger

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        host = request.headers.get("host", "").rsplit(":", 1)[0].strip("[]")
        if host not in hosts:
            return JSONResponse({"detail": "Unknown host."}, status_code=400)
        if request.method not in SAFE_METHODS:
            if not _same_origin(request):
                return JSONResponse(
                    {"detail": "Cross-origin requests cannot change the ledger."}, status_code=403
                )
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return JSONResponse({"detail": "This needs the server's token."}, status_code=401)
            if request.headers.get("content-type", "").split(";")[0] != "application/json":
                return JSONResponse({"detail": "Send JSON."}, status_code=415)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        return response

    @app.exception_handler(SitrepError)
    async def sitrep_error(request: Request, exc: SitrepError) -> JSONResponse:
        status = 400 if isinstance(exc, UsageError) else 409
        return JSONResponse({"detail": str(exc)}, status_code=status)

    _pages(app)
    _reads(app, opened, cache)
    _writes(app, opened)

    return app


def _page() -> HTMLResponse:
    styles = "\n".join(
        f'<link rel="stylesheet" href="/static/{name}">'
        for name in (
            "vendor/leaflet/leaflet.css",
            "vendor/markercluster/MarkerCluster.css",
            "vendor/markercluster/MarkerCluster.Default.css",
            "app/app.css",
        )
    )
    scripts = "\n".join(
        f'<script src="/static/{name}"></script>'
        for name in (
            "vendor/leaflet/leaflet.js",
            "vendor/markercluster/leaflet.markercluster.js",
            "app/app.js",
        )
    )
    page = render_page(
        source="api", title="sitrep", csp=PAGE_META_CSP, styles=styles, scripts=scripts
    )
    return HTMLResponse(page)


def _pages(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def home() -> HTMLResponse:
        return _page()

    @app.get("/incidents/{incident_id}", include_in_schema=False)
    def incident_page(incident_id: str) -> HTMLResponse:
        return _page()

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        return _page()

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>sitrep API</title>"
            '<link rel="icon" href="data:,">'
            '<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>'
            '<body><div id="swagger-ui"></div>'
            '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>'
            '<script src="/static/app/docs.js"></script></body></html>'
        )


def _filters(
    date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    type: Annotated[str | None, Query(max_length=20, description="PLOVER type")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="actor code, any case")] = None,
    sector: Annotated[str | None, Query(max_length=10)] = None,
    province: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[str | None, Query(max_length=10)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    modality: Annotated[str | None, Query(max_length=20)] = None,
    stance: Annotated[str | None, Query(max_length=20)] = None,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    kind: Annotated[str | None, Query(max_length=100)] = None,
    precision: Annotated[str | None, Query(max_length=20)] = None,
    min_toll: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    min_articles: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    article: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=200, description="full-text search")] = None,
    all: Annotated[bool, Query(description="also mentions that are no events")] = False,
) -> Filters:
    return Filters.checked(
        date_from=date_from,
        date_to=date_to,
        type=type,
        actor=actor,
        sector=sector,
        province=province,
        country=country,
        outlet=outlet,
        modality=modality,
        stance=stance,
        speaker=speaker,
        kind=kind,
        precision=precision,
        min_toll=min_toll,
        min_articles=min_articles,
        article_id=article,
        q=q,
        include_all=all,
    )


def _page_params(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page:
    return Page.checked(limit, offset)


FiltersDep = Annotated[Filters, Depends(_filters)]
PageDep = Annotated[Page, Depends(_page_params)]
Opened = Callable[[], Any]


def _listing(total: int, page: Page, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total": total, "limit": page.limit, "offset": page.offset, "items": items}


def _reads(app: FastAPI, opened: Opened, cache: IncidentCache) -> None:
    @app.get("/api/incidents", summary="List incidents (filtered, paged)")
    def list_incidents_raw(filters: FiltersDep, page: PageDep) -> Response:
        # The cached records go out as the JSON text they are kept as (decoding and encoding
        # 50 widely told incidents took longer than finding them).
        with opened() as ledger:
            total, items = list_incidents(ledger, filters, page, cache=cache, raw=True)
        head = json.dumps({"total": total, "limit": page.limit, "offset": page.offset})
        body = head[:-1] + ', "items": [' + ",".join(items) + "]}"
        return Response(body, media_type="application/json")

    lists = {
        "mentions": list_mentions,
        "claims": list_claims,
        "signals": list_signals,
        "articles": list_articles,
        "reuse": list_reuse,
    }

    def make(reader: Any) -> Callable[[Filters, Page], dict[str, Any]]:
        def endpoint(filters: FiltersDep, page: PageDep) -> dict[str, Any]:
            with opened() as ledger:
                total, items = reader(ledger, filters, page)
            return _listing(total, page, items)

        return endpoint

    for name, reader in lists.items():
        endpoint = make(reader)
        endpoint.__name__ = f"list_{name}"
        app.get(f"/api/{name}", summary=f"List {name} (filtered, paged)")(endpoint)

    @app.get("/api/incidents/{incident_id}", summary="One incident with its accounts")
    def get_incident(incident_id: str) -> dict[str, Any]:
        with opened() as ledger:
            found = incident(ledger, incident_id[:80], cache)
        if found is None:
            raise HTTPException(404, "No such incident.")
        return found

    @app.get("/api/articles/{article_id}/view", summary="An article's text and its spans")
    def get_article_view(article_id: str) -> dict[str, Any]:
        with opened() as ledger:
            found = article_view(ledger, article_id[:40])
        if found is None:
            raise HTTPException(404, "No such article.")
        return found

    @app.get("/api/show/{identifier}", summary="Whatever an id names, with its spans")
    def get_any(identifier: str) -> dict[str, Any]:
        with opened() as ledger:
            found = show(ledger, identifier[:80])
        if found is None:
            raise HTTPException(404, "Nothing has this id.")
        return {"kind": found[0], "item": found[1]}

    @app.get("/api/search", summary="Full-text search over article text")
    def search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        with opened() as ledger:
            hits = search_articles(ledger, q, limit)
        return {"query": q, "items": hits}

    @app.get("/api/bundle", summary="The data the app's pages read (report shape)")
    def get_bundle(
        filters: FiltersDep, limit: Annotated[int, Query(ge=1, le=MAX_BUNDLE)] = MAX_BUNDLE
    ) -> dict[str, Any]:
        with opened() as ledger:
            return bundle(ledger, filters, limit=limit, with_articles=False, cache=cache)

    @app.get("/api/corrections", summary="Every correction, oldest first")
    def get_corrections() -> dict[str, Any]:
        with opened() as ledger:
            return {"items": [c.record() for c in read_corrections(ledger)]}

    @app.get("/api/export/{what}", summary="Export incidents, mentions or claims (capped)")
    def export(
        what: str,
        filters: FiltersDep,
        format: Annotated[str, Query(pattern="^(jsonl|csv|geojson)$")] = "jsonl",
    ) -> Response:
        readers = {"incidents": iter_incidents, "mentions": iter_mentions, "claims": iter_claims}
        if what not in readers:
            raise HTTPException(404, "Export incidents, mentions or claims.")
        with opened() as ledger:
            records = []
            for record in readers[what](ledger, filters):
                records.append(record)
                if len(records) >= MAX_EXPORT:
                    break
        if format == "csv":
            records = [{k: neutralise_formula(v) for k, v in r.items()} for r in records]
        out = io.StringIO()
        write_records(records, format, out)
        media = {
            "csv": "text/csv",
            "jsonl": "application/x-ndjson",
            "geojson": "application/geo+json",
        }
        return Response(
            out.getvalue(),
            media_type=media[format],
            headers={"Content-Disposition": f'attachment; filename="sitrep-{what}.{format}"'},
        )


def _writes(app: FastAPI, opened: Opened) -> None:
    @app.post("/api/corrections", status_code=201, summary="Record a correction (needs the token)")
    def post_correction(body: CorrectionIn) -> dict[str, Any]:
        with opened() as ledger:
            correction = add_correction(
                ledger,
                body.target_id,
                body.action,
                who=body.who,
                why=body.why,
                field=body.field,
                value=body.value,
                other_id=body.other_id,
            )
        return correction.record()
