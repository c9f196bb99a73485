"""Response hardening for production: security headers, HTTPS, trusted proxies, gzip.

Installed by create_app (`init_security(app, trusted_proxies)`). Nothing here keeps state that
several gunicorn workers would need to share: the only memory is a cache of gzipped static
files, keyed by the file's ETag, which each worker fills for itself.

Over HTTPS the session cookie is `Secure` and responses carry HSTS. Behind a reverse proxy the
request's scheme and client address are those the proxy forwards (`X-Forwarded-Proto`,
`X-Forwarded-For`), but only when the request comes from one of the configured trusted proxies:
anyone else could send those headers to pass for another address or for HTTPS.
"""

from __future__ import annotations

import gzip
import ipaddress
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from dash import Dash
from flask import Flask, Response, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.static import cache_control, matches

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
HSTS = "max-age=31536000"  # a year; sent over HTTPS only, where browsers heed it

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


def _not_modified(response: Response, etag: str, weak: bool) -> Response:
    """A 304 for a file the browser already holds gzipped (its ETag is the `-gz` one)."""
    if hasattr(response.response, "close"):
        response.response.close()
    answer = Response(status=304)
    answer.set_etag(etag, weak=weak)
    answer.vary.add("Accept-Encoding")
    return answer


def gzip_response(response: Response, cache: _StaticCache) -> Response:
    """Gzip a text response over GZIP_MIN_BYTES when the client accepts it; a 304 when the
    client already holds the gzipped body (the file's own handler compares only the plain ETag)."""
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip() or not _compressible(response):
        return response
    tag, weak = response.get_etag()
    if tag and matches(request.headers.get("If-None-Match", ""), f"{tag}-gz"):
        return _not_modified(response, f"{tag}-gz", weak)
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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def proxy_networks(proxies: Iterable[str]) -> list[Network]:
    """The trusted proxies' addresses or networks (`10.0.0.5`, `10.0.1.0/24`, `::1`)."""
    return [ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies]


class TrustedProxies:
    """WSGI middleware: a request from a trusted proxy gets the client address and scheme the
    proxy forwards (werkzeug's ProxyFix, one proxy deep); any other keeps its own."""

    def __init__(self, wsgi_app: Any, proxies: Sequence[str]) -> None:
        self.wsgi_app = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1)
        self.networks = proxy_networks(proxies)

    def trusted(self, address: str | None) -> bool:
        """Whether a peer address is one of the trusted proxies."""
        try:
            peer = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(peer in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.wsgi_app(environ, start_response)


class HttpsSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is `Secure` whenever the request came over HTTPS
    (or SESSION_COOKIE_SECURE says so always)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def init_https(server: Flask, trusted_proxies: Sequence[str] = ()) -> None:
    """Secure session cookies over HTTPS, and forwarded headers from the trusted proxies only."""
    server.session_interface = HttpsSessionInterface()
    if trusted_proxies:
        server.wsgi_app = TrustedProxies(server.wsgi_app, trusted_proxies)  # type: ignore[method-assign]


def init_security(app: Dash, trusted_proxies: Sequence[str] = ()) -> None:
    """Add the security headers, HTTPS handling and gzip to every response of `app`'s server."""
    server = app.server
    init_https(server, trusted_proxies)
    state: dict[str, Any] = {"csp": None}
    cache = _StaticCache()

    def _policy() -> str:
        if state["csp"] is None:
            state["csp"] = content_security_policy(app.csp_hashes())
        return state["csp"]

    @server.after_request
    def _harden(response: Response) -> Response:
        response = gzip_response(response, cache)
        policy = cache_control(request.path, request.args)
        if policy is not None and response.status_code in (200, 304):
            response.headers["Cache-Control"] = policy
        for name, value in BASE_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", _policy())
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if response.mimetype in ("text/html", "application/json"):
            # Pages and callback answers carry complainants' data: never kept by a proxy.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
