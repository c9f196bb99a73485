"""/todo — 待办 (#15 催办): a unit's open items nearest deadline first with the ladder step each
has reached; the escalations (督办) for leaders; the day's steps and notices for the 纠风办."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.ids import Todo as Ids
from dashboard.text import T
from layouts.common import search_from_query

TITLE = T["todo_title"]
PAGE = dict(path="/todo", name=TITLE, title=f"{TITLE} · {T['brand']}")


def layout(**query: Any) -> html.Div:
    """The page skeleton; callbacks fill it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )
