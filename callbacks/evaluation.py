"""The 评议结果 page's callback: URL state → evaluation results → two ranked tables."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Input, Output, callback

from callbacks.common import resolve_view
from dashboard.context import get_db, today
from dashboard.ids import Evaluation as Ids
from dashboard.state import to_search
from dashboard.text import T
from data.figures import evaluation_results
from data.settings import load_settings
from layouts.common import empty_state
from layouts.evaluation import evaluation_body


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_evaluation(search: str | None) -> Any:
    """Fill the page for the campaign and date in the URL."""
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        if view is None:
            return empty_state(T["no_campaign"])
        rows = evaluation_results(session, view.year, view.as_of, view.filters)
        settings = load_settings(session)
    if not rows:
        return empty_state(T["eval_no_units"])
    return evaluation_body(rows, settings, to_search(replace(view.state, extra={})))
