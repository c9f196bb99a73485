"""/units/<id> — one unit, everything about it."""

from __future__ import annotations

from typing import Any

from dash import html

from layouts.common import under_construction

TITLE = "单位详情"

PAGE = dict(path_template="/units/<unit_id>", name=TITLE, title=f"{TITLE} · 评议督导")


def layout(unit_id: str | None = None, **_query: Any) -> html.Div:
    """The page (a later release fills it)."""
    return under_construction(TITLE)
