"""Response hardening for production: security headers and gzip compression.

Installed by create_app (`init_security(app)`). Nothing here keeps state that several gunicorn
workers would need to share: the only memory is a cache of gzipped static files, keyed by the
file's ETag, which each worker fills for itself.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from typing import Any

from dash import Dash
from flask import Response, request

GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6
COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
)
STATIC_CACHE_ENTRIES = 64

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def content_security_policy(script_hashes: list[str]) -> str:
    """The policy: everything from this server only. Dash's inline start-up scripts are allowed
    by their hashes; plotly sets inline styles, so styles keep 'unsafe-inline'."""
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def _accepts_gzip() -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _compressible(response: Response) -> bool:
    """A whole 200 text body (a static file counts: it is read once and cached gzipped)."""
    return (
        response.status_code == 200
        and request.method != "HEAD"
        and "Content-Encoding" not in response.headers
        and (response.mimetype or "") in COMPRESSIBLE
        and (response.direct_passthrough or not response.is_streamed)
    )


class _StaticCache:
    """Gzipped bodies of static files (plotly.js is megabytes), by path and ETag."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def get(self, key: tuple[str, str]) -> bytes | None:
        body = self._items.get(key)
        if body is not None:
            self._items.move_to_end(key)
        return body

    def put(self, key: tuple[str, str], body: bytes) -> None:
        self._items[key] = body
        while len(self._items) > STATIC_CACHE_ENTRIES:
            self._items.popitem(last=False)


def gzip_response(response: Response, cache: _StaticCache) -> Response:
    """Gzip a text response over GZIP_MIN_BYTES when the client accepts it."""
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip() or not _compressible(response):
        return response
    etag = response.headers.get("ETag") or response.headers.get("Last-Modified")
    static = response.direct_passthrough
    key = (request.path, etag or "")
    body = cache.get(key) if static and etag else None
    if body is None:
        source = response.response
        response.direct_passthrough = False
        raw = response.get_data()
        if static and hasattr(source, "close"):
            source.close()
        if len(raw) < GZIP_MIN_BYTES:
            return response
        body = gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)
        if static and etag:
            cache.put(key, body)
    elif hasattr(response.response, "close"):
        response.response.close()
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(body))
    if etag and response.headers.get("ETag"):
        # A different body needs a different strong validator.
        tag, weak = response.get_etag()
        if tag:
            response.set_etag(f"{tag}-gz", weak=weak)
    return response


def init_security(app: Dash) -> None:
    """Add the security headers and gzip to every response of `app`'s server."""
    server = app.server
    state: dict[str, Any] = {"csp": None}
    cache = _StaticCache()

    def _policy() -> str:
        if state["csp"] is None:
            state["csp"] = content_security_policy(app.csp_hashes())
        return state["csp"]

    @server.after_request
    def _harden(response: Response) -> Response:
        for name, value in BASE_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", _policy())
        if response.mimetype in ("text/html", "application/json"):
            # Pages and callback answers carry complainants' data: never kept by a proxy.
            response.headers.setdefault("Cache-Control", "no-store")
        return gzip_response(response, cache)
