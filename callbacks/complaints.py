"""The /complaints page's callbacks: URL state → heatmaps; controls → URL; cell click → problems."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, ctx, html, no_update
from sqlalchemy.orm import Session

from callbacks.access import refused
from callbacks.content import read_view, with_view
from dashboard import params
from dashboard.auth import current_account
from dashboard.ids import Complaints as Ids
from dashboard.ids import Shell
from dashboard.state import parse_state
from dashboard.text import T
from dashboard.view import View, may_read_unit
from data.complaints import GRIDS, cell_problems, complaint_grid
from layouts.complaints import (
    GRID_IDS,
    cell_grid,
    cell_title,
    channels_of,
    complaints_body,
    with_options,
)
from layouts.overdue import shared_search


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_complaints(session: Session, view: View) -> html.Div:
    """Fill the page for the campaign, date, units and channels in the URL."""
    channels = channels_of(view.state)
    grids = {
        name: complaint_grid(session, view.year, view.as_of, view.filters, channels, name)
        for name in GRIDS
    }
    return complaints_body(grids, view.state, view.as_of)


@callback(
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(Ids.CHANNELS, "value"),
    Input(Ids.PER100, "value"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def choose_options(channels: list[str] | None, normalise: bool | None, search: str | None) -> Any:
    """Put the chosen channel set and per-100 switch in the URL (so the view can be bookmarked)."""
    chosen = params.items(channels, params.text)
    new_search = with_options(parse_state(search), chosen, bool(normalise))
    return no_update if new_search == params.search(search) else new_search


def clicked_cell(click: dict[str, Any] | None) -> tuple[str, str] | None:
    """The clicked cell's (row key, column key): the heatmap's axes hold the keys."""
    points = params.mapping(click).get("points")
    if not isinstance(points, list) or not points:
        return None
    point = params.mapping(points[0])
    row, column = point.get("y"), point.get("x")
    if row is None or column is None:
        return None
    return str(row), str(column)


@callback(
    Output(Ids.MODAL, "is_open"),
    Output(Ids.MODAL_TITLE, "children"),
    Output(Ids.MODAL_BODY, "children"),
    *(Input(graph_id, "clickData") for graph_id in GRID_IDS.values()),
    Input(Ids.MODAL_CLOSE, "n_clicks"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def open_cell(*args: Any) -> tuple[Any, Any, Any]:
    """List every problem behind the clicked cell (the same filters as the heatmap); a unit's
    row of another unit than their own is refused to unit staff in words."""
    *clicks, _close, search = args
    trigger = ctx.triggered_id
    if trigger == Ids.MODAL_CLOSE:
        return False, no_update, no_update
    graphs = list(GRID_IDS.values())
    if trigger not in graphs:
        return no_update, no_update, no_update
    name = list(GRID_IDS)[graphs.index(trigger)]
    cell = clicked_cell(clicks[graphs.index(trigger)])
    if cell is None or (GRIDS[name][0] == "unit" and not cell[0].isdigit()):
        return no_update, no_update, no_update
    row, column = cell
    account = current_account()
    if GRIDS[name][0] == "unit" and not may_read_unit(account, int(row)):
        return True, T["access_refused_title"], refused(account, "unit", row)
    with read_view(search) as (session, view):
        if view is None:
            return no_update, no_update, no_update
        problems = cell_problems(
            session,
            view.year,
            view.as_of,
            view.filters,
            channels_of(view.state),
            name,
            row,
            column,
            limit=None,  # every problem of the cell: the grid holds them all
        )
    body = cell_grid(problems, shared_search(view.state))
    return True, cell_title(problems.row_name, column, problems.total), body
