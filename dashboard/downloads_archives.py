"""Download routes of #18's archives (registered by dashboard.downloads.init_exports)."""

from __future__ import annotations

from flask import Flask


def init(server: Flask) -> None:
    """Register this part's download routes under /download (authorised in each route)."""
