"""The /overdue page's callback: URL state → overdue units, problems, tasks → tables."""

from __future__ import annotations

from dash import Input, Output, callback, html

from callbacks.common import resolve_view
from dashboard.context import get_db, today
from dashboard.ids import Overdue as Ids
from dashboard.text import T
from data.overdue import overdue_data
from layouts.common import empty_state
from layouts.overdue import list_limits, overdue_body


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_overdue(search: str | None) -> html.Div:
    """Fill the page for the campaign, date and units in the URL."""
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        if view is None:
            return empty_state(T["no_campaign"])
        problems, tasks = list_limits(view.state)
        data = overdue_data(session, view.year, view.as_of, view.filters, problems, tasks)
    return overdue_body(data, view.state)
