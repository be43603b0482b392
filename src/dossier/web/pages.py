"""One context, two faces: a view returns a :class:`Page`; it is served as HTML or, at the
same URL plus ``.json``, inside the one success envelope. Errors use the one error envelope.

    {"ok": true,  "data": {...}, "meta": {"path": ..., "html": ..., "version": ...}}
    {"ok": false, "error": {"status": 404, "message": "..."}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from .. import __version__

API_VERSION = 1


@dataclass(frozen=True)
class Page:
    """What a view found: ``data`` goes to JSON and HTML alike; ``extra`` only to HTML."""

    template: str
    title: str
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


class PageError(Exception):
    """An error a visitor can act on (bad parameter, unknown id): status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def html_path(request: Request) -> str:
    path = request.url.path.removesuffix(".json") or "/"
    return path + (f"?{request.url.query}" if request.url.query else "")


def json_path(request: Request) -> str:
    path = request.url.path.removesuffix(".json")
    path = (path if path != "/" else "/") + ".json"
    return path + (f"?{request.url.query}" if request.url.query else "")


def success(request: Request, page: Page, elapsed_ms: float) -> JSONResponse:
    meta = {
        "path": request.url.path,
        "html": html_path(request),
        "version": __version__,
        "api_version": API_VERSION,
        "elapsed_ms": round(elapsed_ms, 1),
    }
    return JSONResponse({"ok": True, "data": page.data, "meta": meta})


def failure(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error": {"status": status, "message": message}}, status_code=status
    )
