"""The /rectification page's callbacks: URL state → rectification data → charts and grids; a
unit's bar opens that unit's page (in the grids, a unit's name is a link of its own)."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, html, no_update
from sqlalchemy import select
from sqlalchemy.orm import Session

from callbacks.content import with_view
from dashboard import params
from dashboard.context import get_db
from dashboard.ids import Rectification as Ids
from dashboard.ids import Shell
from dashboard.state import parse_state
from dashboard.view import View
from data.models import Unit
from data.rectification import rectification_data
from layouts.common import unit_href
from layouts.rectification import UNITS_CHART, rectification_body, shared_search


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_rectification(session: Session, view: View) -> html.Div:
    """Fill the page for the campaign, date and units in the URL."""
    data = rectification_data(session, view.year, view.as_of, view.filters)
    return rectification_body(data, view.state)


def unit_page_of_click(click: dict[str, Any] | None, search: str | None) -> str | Any:
    """The page of the unit whose bar was clicked (bars are keyed by the unique unit name),
    keeping the page's filters; nothing when the click is not on a known unit."""
    points = params.mapping(click).get("points")
    name = params.mapping(points[0]).get("y") if isinstance(points, list) and points else None
    if not isinstance(name, str):
        return no_update
    with get_db().read() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.name == name))
    if unit_id is None:
        return no_update
    return unit_href(unit_id, shared_search(parse_state(search)))


# One callback per group's chart: a filter may leave a group, and so its chart, off the page.
for _chart in UNITS_CHART.values():
    callback(
        Output(Shell.URL, "href", allow_duplicate=True),
        Input(_chart, "clickData"),
        State(Ids.STATE, "data"),
        prevent_initial_call=True,
    )(unit_page_of_click)
