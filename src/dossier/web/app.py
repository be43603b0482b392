"""The web face: a Starlette app serving every page as HTML and, at ``.json``, as data.

``create_app("dossier.db")`` returns an ASGI app; serve it with uvicorn on 127.0.0.1.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__
from ..catalog import Catalog
from . import openapi, params, views
from .memo import Memo
from .pages import Page, PageError, failure, html_path, json_path, success, wants_json
from .pool import CatalogPool
from .security import SecurityHeaders, external_url

HERE = Path(__file__).parent
View = Callable[[Request, Catalog], Page]
PAGES: list[tuple[str, View]] = [
    ("/", views.index),
    ("/countries/{code}", views.country),
    ("/actors/{actor_id:int}", views.actor),
    ("/articles/{article_id}", views.article),
    ("/search", views.search),
    ("/outlets", views.outlets),
    ("/outlets/{outlet_id:int}", views.outlet),
]


def create_app(db: str | Path, *, pool_size: int = 4) -> Starlette:
    """The app for the catalog at ``db`` (which must exist); it only reads from it."""
    pool = CatalogPool(db, size=pool_size)
    templates = _templates()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    routes: list[BaseRoute] = [Route("/openapi.json", _openapi)]
    for path, view in PAGES:
        endpoint = _endpoint(view, pool, templates)
        routes.append(Route(path + ".json", endpoint))
        routes.append(Route(path, endpoint))
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: _http_error(templates),
            PageError: _page_error(templates),
        },
        lifespan=lifespan,
    )
    app.state.memo = Memo()
    app.add_middleware(SecurityHeaders)
    return app


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["external_url"] = external_url
    env.globals.update(link=params.link, version=__version__)
    return Jinja2Templates(env=env)


def _endpoint(
    view: View, pool: CatalogPool, templates: Jinja2Templates
) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        with pool.catalog() as catalog:
            page = view(request, catalog)
        moved = _moved(request, page)
        if moved:
            return RedirectResponse(moved, status_code=301)
        if wants_json(request):
            return success(request, page, (time.perf_counter() - started) * 1000)
        context = {"page": page, "data": page.data, **page.extra, "json_url": json_path(request)}
        return templates.TemplateResponse(request, page.template, context)

    return endpoint


def _moved(request: Request, page: Page) -> str | None:
    """The canonical URL when an article was asked for by an id prefix."""
    canonical = page.extra.get("canonical")
    wanted = request.path_params.get("article_id")
    if not canonical or wanted == canonical:
        return None
    suffix = ".json" if wants_json(request) else ""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/articles/{canonical}{suffix}{query}"


def _openapi(request: Request) -> Response:
    return JSONResponse(openapi.describe(__version__))


def _error_response(
    templates: Jinja2Templates, request: Request, status: int, message: str
) -> Response:
    if wants_json(request) or request.url.path.startswith("/static/"):
        return failure(status, message)
    context = {
        "status": status,
        "message": message,
        "json_url": json_path(request),
        "html_url": html_path(request),
    }
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def _http_error(templates: Jinja2Templates) -> Callable[[Request, Exception], Any]:
    def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return _error_response(templates, request, exc.status_code, message)

    return handle


def _page_error(templates: Jinja2Templates) -> Callable[[Request, Exception], Any]:
    def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return _error_response(templates, request, exc.status, exc.message)

    return handle
