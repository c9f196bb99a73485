"""/admin/chase — 催办设置 (#15): how days are counted, the ladder, the leaders in charge, the
holiday calendar the library does not know yet, the notice templates, the outgoing channels."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.ids import AdminChase as Ids
from dashboard.text import T
from layouts.common import search_from_query

TITLE = T["chase_admin_title"]
PAGE = dict(path="/admin/chase", name=TITLE, title=f"{TITLE} · {T['brand']}")


def layout(**query: Any) -> html.Div:
    """The page skeleton; callbacks fill it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )
