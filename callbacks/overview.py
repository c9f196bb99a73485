"""The overview's one callback: URL state → figures → cards."""

from __future__ import annotations

from dash import Input, Output, callback, html

from callbacks.common import resolve_view
from dashboard.context import get_db, today
from dashboard.ids import Overview
from dashboard.state import ViewState, same_day_last_year, to_search
from dashboard.text import T
from data.figures import campaign_figures, campaign_years
from layouts.common import empty_state
from layouts.overview import overview_body


@callback(Output(Overview.CONTENT, "children"), Input(Overview.STATE, "data"))
def render_overview(search: str | None) -> html.Div:
    """Fill the overview for the campaign and date in the URL."""
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        if view is None:
            return empty_state(T["no_campaign"])
        figures = campaign_figures(session, view.year, view.as_of, view.filters)
        previous = None
        if view.year - 1 in campaign_years(session):
            previous = campaign_figures(
                session, view.year - 1, same_day_last_year(view.as_of), view.filters
            )
    shared = ViewState(
        view.state.campaign, view.state.as_of, view.state.kinds, view.state.townships
    )
    return overview_body(figures, to_search(shared), previous)
