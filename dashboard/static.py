"""How long a browser keeps what the server sends (#13 item 5): files whose address changes with
their content are kept for a year; other files are revalidated (a 304 when unchanged, gzipped or
not); pages and data are never kept (security.py sends them `no-store`).

Dash names its component bundles with the package version and file time
(`dash_renderer.v4_4_1m1796073401.min.js`) and appends `?m=<file time>` to /assets files;
Bootstrap is linked with `?v=<bootstrap-flask version>`. A new release or an edited asset gets a
new address, so the old one may be kept forever. plotly.min.js and Dash's other lazily loaded
chunks have fixed addresses: they are revalidated, which costs a round trip and no body.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

import flask_bootstrap
from dash.fingerprint import check_fingerprint

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

BOOTSTRAP_STATIC = Path(flask_bootstrap.__file__).resolve().parent / "static" / "bootstrap5"
VENDOR_PREFIX = "/vendor/bootstrap5"
BOOTSTRAP_CSS = f"{VENDOR_PREFIX}/css/bootstrap.min.css?v={version('bootstrap-flask')}"

_COMPONENTS = "/_dash-component-suites/"
_VERSIONED_FOLDERS = ("/assets/", f"{VENDOR_PREFIX}/")


def cache_control(path: str, args: Mapping[str, str]) -> str | None:
    """The Cache-Control for a static file's address, or None for anything else."""
    if path.startswith(_COMPONENTS):
        _, fingerprinted = check_fingerprint(path)
        return IMMUTABLE if fingerprinted else REVALIDATE
    if path.startswith(_VERSIONED_FOLDERS):
        return IMMUTABLE if args.get("m") or args.get("v") else REVALIDATE
    return None


def matches(if_none_match: str, etag: str) -> bool:
    """Whether a request's If-None-Match names `etag` (a quoted tag, weak or strong)."""
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or f'"{etag}"' in wanted
