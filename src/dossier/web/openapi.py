"""The OpenAPI description of the JSON face (written by hand: the pages are few)."""

from __future__ import annotations

from typing import Any

PAGE = {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}


def _query(name: str, description: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": {"type": kind}}


def _path(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


SEARCH_PARAMS = [
    _query("q", 'FTS5 query: words, "phrases", AND/OR/NOT, prefix*; accents folded'),
    _query("country", "ISO 3166 alpha-2 code (XK for Kosovo) of an actor mentioned"),
    _query("actor", "id of an actor mentioned", "integer"),
    _query("outlet", "id of the outlet that published it", "integer"),
    _query("technique", "a persuasion technique used (when techniques are analysed)"),
    _query("since", "first date, YYYY-MM-DD, inclusive"),
    _query("until", "last date, YYYY-MM-DD, inclusive"),
    PAGE,
]

ROUTES: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("/.json", "Countries with flags, actor and article counts; catalog statistics", []),
    (
        "/countries/{code}.json",
        "A country's actors grouped by kind ('none': no country)",
        [_path("code")],
    ),
    (
        "/actors/{actor_id}.json",
        "An actor: profile, timeline, outlets, co-mentioned, articles",
        [_path("actor_id", "integer"), PAGE],
    ),
    (
        "/articles/{article_id}.json",
        "An article: clean text, sources, debris, near-duplicates and its layers (mentions,"
        " quotes, techniques: null until analysed) as character offsets into text",
        [_path("article_id")],
    ),
    ("/search.json", "Full-text search with facets and paging", SEARCH_PARAMS),
    ("/outlets.json", "Every outlet with its article count", []),
    (
        "/outlets/{outlet_id}.json",
        "An outlet: articles (paged), top actors, technique profile",
        [_path("outlet_id", "integer"), PAGE],
    ),
]

SCHEMAS = {
    "Success": {
        "type": "object",
        "required": ["ok", "data", "meta"],
        "properties": {
            "ok": {"const": True},
            "data": {"type": "object"},
            "meta": {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "html": {"type": "string", "description": "the same page as HTML"},
                    "version": {"type": "string"},
                    "api_version": {"type": "integer"},
                    "elapsed_ms": {"type": "number"},
                },
            },
        },
    },
    "Error": {
        "type": "object",
        "required": ["ok", "error"],
        "properties": {
            "ok": {"const": False},
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
            },
        },
    },
}


def _operation(summary: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    def ref(name: str) -> dict[str, Any]:
        return {
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
        }

    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "success envelope", **ref("Success")},
                "400": {"description": "bad parameter", **ref("Error")},
                "404": {"description": "not found", **ref("Error")},
            },
        }
    }


def describe(version: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dossier",
            "version": version,
            "description": "Read-only JSON face of a dossier catalog. Every HTML page answers"
            " as JSON at the same URL plus .json.",
        },
        "paths": {path: _operation(summary, ps) for path, summary, ps in ROUTES},
        "components": {"schemas": SCHEMAS},
    }
