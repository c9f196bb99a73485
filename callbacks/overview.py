"""The overview's one callback: URL state → figures → cards."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback, html
from sqlalchemy.orm import Session

from callbacks.content import read_view
from dashboard.auth import current_account
from dashboard.context import today
from dashboard.ids import Overview
from dashboard.state import ViewState, same_day_last_year, to_search
from dashboard.text import T
from data.campaign_view import setup_progress
from data.figures import Filters, campaign_figures, campaign_years
from data.reference import Role
from data.snapshots import compare, published_at_date
from layouts.admin import setup_steps
from layouts.common import empty_state
from layouts.overview import overview_body
from layouts.snapshots import published_notice


def _first_steps(session: Session) -> Any:
    """The four first steps, for an admin whose bureau is not set up yet (else None)."""
    if current_account().role != Role.ADMIN:
        return None
    progress = setup_progress(session)
    return None if progress.complete else setup_steps(progress)


@callback(Output(Overview.CONTENT, "children"), Input(Overview.STATE, "data"))
def render_overview(search: str | None) -> html.Div:
    """Fill the overview for the campaign and date in the URL; an admin whose bureau is not set
    up yet sees the four first steps above it."""
    with read_view(search) as (session, view):
        steps = _first_steps(session)
        if view is None:
            return html.Div([steps, empty_state(T["no_campaign"])])
        figures = campaign_figures(session, view.year, view.as_of, view.filters)
        # A date whose figures were published: say so, and whether they still hold.
        published = (
            published_at_date(session, view.year, view.as_of) if view.filters == Filters() else None
        )
        comparison = compare(session, published) if published is not None else None
        previous = None
        if view.year - 1 in campaign_years(session):
            previous = campaign_figures(
                session, view.year - 1, same_day_last_year(view.as_of), view.filters
            )
    shared = ViewState(
        view.state.campaign, view.state.as_of, view.state.kinds, view.state.townships
    )
    body = overview_body(figures, to_search(shared), today(), previous)
    notice = published_notice(comparison, to_search(shared)) if comparison is not None else None
    return html.Div([part for part in (steps, notice, body) if part is not None])
