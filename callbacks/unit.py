"""The unit page's callback: URL (unit id + filters) → one unit's figures, problems, visits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Input, Output, callback

from callbacks.common import resolve_view
from dashboard.context import get_db, today
from dashboard.ids import UnitPage as Ids
from dashboard.state import to_search
from dashboard.text import T
from data.figures import Filters, campaign_figures, evaluation_results
from data.supervision import list_visits
from data.unit_detail import unit_header, unit_problems
from layouts.common import empty_state
from layouts.unit import unit_body

NOT_FOUND = "单位不存在，或您无权查看该单位。"


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_unit(state: dict[str, Any] | None) -> Any:
    """Fill the unit page for the unit in the path and the campaign and date in the URL."""
    state = state or {}
    text = str(state.get("unit") or "")
    if not text.isdigit():
        return empty_state(NOT_FOUND)
    unit_id = int(text)
    with get_db().read() as session:
        view = resolve_view(session, state.get("search"), today())
        if view is None:
            return empty_state(T["no_campaign"])
        if view.filters.unit_ids and unit_id not in view.filters.unit_ids:
            return empty_state(NOT_FOUND)
        unit = unit_header(session, unit_id, view.year)
        if unit is None:
            return empty_state(NOT_FOUND)
        only = Filters(unit_ids=(unit_id,))
        figures = campaign_figures(session, view.year, view.as_of, only)
        if not figures.by_unit:
            return empty_state("该单位不在本年度的评议对象中。")
        # Masked for every role here; revealing is an explicit, recorded action of its own.
        problems = unit_problems(session, view.year, unit_id, view.as_of)
        visits = list_visits(session, view.year, view.as_of, only, unit_id=unit_id)
        evaluation = next(iter(evaluation_results(session, view.year, view.as_of, only)), None)
    search = to_search(replace(view.state, extra={}))
    return unit_body(unit, figures.by_unit[0], problems, visits, evaluation, search)
