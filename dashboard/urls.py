"""Addresses of the download routes, for the layouts that link to them (no export code loaded)."""

from __future__ import annotations

from urllib.parse import quote

PREFIX = "/download"


def download_href(name: str, search: str = "", **extra: str) -> str:
    """The address of a download for a view's query string (e.g. `?campaign=2024`)."""
    query = search.lstrip("?")
    more = "&".join(f"{key}={quote(value)}" for key, value in extra.items())
    query = "&".join(part for part in (query, more) if part)
    return f"{PREFIX}/{name}" + (f"?{query}" if query else "")
