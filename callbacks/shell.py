"""The shell: keep the filter bar and the URL's query string in step; keep it on nav links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import Input, Output, State, callback, ctx, no_update

from dashboard.context import get_db, today
from dashboard.ids import Shell
from dashboard.state import ViewState, parse_state, to_search
from data.catalog import campaign_titles, townships

FILTER_OUTPUTS = (Shell.CAMPAIGN, Shell.AS_OF, Shell.KIND, Shell.TOWNSHIP)


@callback(
    Output(Shell.URL, "search"),
    Output(Shell.CAMPAIGN, "value"),
    Output(Shell.AS_OF, "value"),
    Output(Shell.KIND, "value"),
    Output(Shell.TOWNSHIP, "value"),
    Output(Shell.CAMPAIGN, "options"),
    Output(Shell.TOWNSHIP, "options"),
    Input(Shell.URL, "search"),
    Input(Shell.CAMPAIGN, "value"),
    Input(Shell.AS_OF, "value"),
    Input(Shell.KIND, "value"),
    Input(Shell.TOWNSHIP, "value"),
)
def sync_filters(
    search: str | None,
    campaign: int | None,
    as_of: str | None,
    kinds: list[str] | None,
    chosen_townships: list[str] | None,
) -> tuple[Any, ...]:
    """URL → filters when the address changes; filters → URL when the user picks a filter."""
    current = parse_state(search)
    if ctx.triggered_id in FILTER_OUTPUTS:
        try:
            as_of_date = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            as_of_date = current.as_of
        state = ViewState(
            campaign=int(campaign) if campaign else None,
            as_of=as_of_date,
            kinds=tuple(kinds or ()),
            townships=tuple(chosen_townships or ()),
            extra=current.extra,
        )
        new_search = to_search(state)
        if new_search == to_search(current):
            return (no_update,) * 7
        return (new_search,) + (no_update,) * 6
    with get_db().read() as session:
        titles = campaign_titles(session)
        towns = townships(session)
    year = current.campaign if current.campaign in titles else next(iter(titles), None)
    return (
        no_update,
        year,
        current.resolved_as_of(today()).isoformat(),
        list(current.kinds),
        list(current.townships),
        [{"label": title, "value": y} for y, title in titles.items()],
        [{"label": town, "value": town} for town in towns],
    )


@callback(
    Output(Shell.nav(), "href"),
    Input(Shell.URL, "search"),
    State(Shell.nav(), "id"),
)
def keep_filters_on_links(search: str | None, ids: list[dict[str, str]]) -> list[str]:
    """Nav links carry the shared filters (not a page's own parameters)."""
    state = parse_state(search)
    shared = to_search(ViewState(state.campaign, state.as_of, state.kinds, state.townships))
    return [f"{item['path']}{shared}" for item in ids]
