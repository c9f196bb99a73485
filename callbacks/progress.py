"""The /progress page's callback: URL state → task data → timeline, heatmaps, grid, table."""

from __future__ import annotations

from dash import Input, Output, callback, html

from callbacks.common import resolve_view
from dashboard.context import get_db, today
from dashboard.ids import Progress as Ids
from dashboard.text import T
from data.figures import campaign_figures
from data.progress import overdue_tasks, phase_completion, task_grid
from layouts.common import empty_state
from layouts.progress import ProgressData, progress_body


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_progress(search: str | None) -> html.Div:
    """Fill the page for the campaign, date and units in the URL."""
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        if view is None:
            return empty_state(T["no_campaign"])
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
