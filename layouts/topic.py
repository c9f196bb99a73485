"""/topics/<topic_id> — 选题详情 (#18)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.ids import Topic as Ids
from dashboard.text import T
from layouts.common import search_from_query

TITLE = T["topic_title"]
PAGE = dict(path_template="/topics/<topic_id>", name=TITLE, title=f"{TITLE} · {T['brand']}")


def layout(topic_id: str | None = None, **query: Any) -> html.Div:
    """The page skeleton; a callback fills it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )
