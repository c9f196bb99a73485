"""The /progress page's callback: URL state → task data → timeline, heatmaps, grid, table."""

from __future__ import annotations

from dash import Input, Output, callback, html
from sqlalchemy.orm import Session

from callbacks.content import with_view
from dashboard.ids import Progress as Ids
from dashboard.view import View
from data.figures import campaign_figures
from data.progress import overdue_tasks, phase_completion, task_grid
from layouts.progress import ProgressData, progress_body


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_progress(session: Session, view: View) -> html.Div:
    """Fill the page for the campaign, date and units in the URL."""
    args = (session, view.year, view.as_of, view.filters)
    data = ProgressData(
        as_of=view.as_of,
        figures=campaign_figures(*args),
        by_kind=phase_completion(*args, by="kind"),
        by_township=phase_completion(*args, by="township"),
        grid=task_grid(*args),
        overdue=overdue_tasks(*args),
    )
    return progress_body(data, view.state)
