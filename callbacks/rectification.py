"""The /rectification page's callback: URL state → rectification data → charts."""

from __future__ import annotations

from dash import Input, Output, callback, html

from callbacks.common import resolve_view
from dashboard.context import get_db, today
from dashboard.ids import Rectification as Ids
from dashboard.text import T
from data.rectification import rectification_data
from layouts.common import empty_state
from layouts.rectification import rectification_body


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_rectification(search: str | None) -> html.Div:
    """Fill the page for the campaign, date and units in the URL."""
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        if view is None:
            return empty_state(T["no_campaign"])
        data = rectification_data(session, view.year, view.as_of, view.filters)
    return rectification_body(data, view.state)
