"""/present — 评议大会."""

from __future__ import annotations

from typing import Any

from dash import html

from layouts.common import under_construction

TITLE = "评议大会"

PAGE = dict(path="/present", name=TITLE, title=f"{TITLE} · 评议督导")


def layout(**_query: Any) -> html.Div:
    """The page (a later release fills it)."""
    return under_construction(TITLE)
