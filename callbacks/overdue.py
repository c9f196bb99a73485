"""The /overdue page's callback: URL state → overdue units, problems, tasks → grids."""

from __future__ import annotations

from dash import Input, Output, callback, html
from sqlalchemy.orm import Session

from callbacks.content import with_view
from dashboard.ids import Overdue as Ids
from dashboard.view import View
from data.overdue import overdue_data
from layouts.overdue import overdue_body


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_overdue(session: Session, view: View) -> html.Div:
    """Fill the page for the campaign, date and units in the URL: every overdue row."""
    data = overdue_data(session, view.year, view.as_of, view.filters)
    return overdue_body(data, view.state)
