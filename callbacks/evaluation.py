"""The 评议结果 page's callback: URL state → evaluation results → two ranked tables."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Input, Output, callback
from sqlalchemy.orm import Session

from callbacks.content import with_view
from dashboard.ids import Evaluation as Ids
from dashboard.state import to_search
from dashboard.text import T
from dashboard.view import View
from data.commitments import commitment_counts
from data.evaluation import evaluation_results
from data.figures import campaign_phases_not_started
from data.settings import load_settings
from layouts.common import empty_state
from layouts.evaluation import evaluation_body


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_evaluation(session: Session, view: View) -> Any:
    """Fill the page for the campaign and date in the URL."""
    rows = evaluation_results(session, view.year, view.as_of, view.filters)
    settings = load_settings(session)
    not_started = campaign_phases_not_started(session, view.year, view.as_of)
    if not rows:
        return empty_state(T["eval_no_units"])
    commitments = commitment_counts(session, view.year, view.as_of)
    search = to_search(replace(view.state, extra={}))
    return evaluation_body(rows, settings, search, not_started, commitments)
