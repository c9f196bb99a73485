"""The /progress page's callback: URL state → task data → timeline, heatmaps, table."""

from __future__ import annotations

from dash import Input, Output, callback, html

from callbacks.common import resolve_view
from dashboard.context import get_db, today
from dashboard.ids import Progress as Ids
from dashboard.text import T
from data.figures import campaign_figures
from data.progress import completion_by, overdue_tasks
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
            by_kind=completion_by(*args, "kind"),
            by_township=completion_by(*args, "township"),
            overdue=overdue_tasks(*args),
        )
    return progress_body(data, view.state)
