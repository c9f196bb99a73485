"""The shell: keep the filter bar and the URL's query string in step; keep it on nav links;
open and close the menu on a narrow screen."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Input, Output, State, callback, clientside_callback, ctx, no_update

from dashboard import params
from dashboard.context import get_db, today
from dashboard.ids import Shell
from dashboard.state import ViewState, parse_state, to_search
from data.catalog import campaign_titles, townships
from data.reference import KIND_NAMES
from layouts.shell import COLLAPSE, TOGGLER

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
        state = ViewState(
            campaign=params.year(campaign),
            as_of=params.day(as_of) if as_of else None,
            kinds=tuple(params.chosen(kinds, KIND_NAMES)),
            townships=tuple(params.items(chosen_townships, params.text)),
            extra=current.extra,
        )
        if as_of and state.as_of is None:  # a date that does not exist: the one shown stays
            state = replace(state, as_of=current.as_of)
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
def keep_filters_on_links(search: str | None, _ids: list[dict[str, str]]) -> list[str]:
    """Nav links carry the shared filters (not a page's own parameters)."""
    state = parse_state(search)
    shared = to_search(ViewState(state.campaign, state.as_of, state.kinds, state.townships))
    # One href per link the browser has (its outputs), whatever the `_ids` state says.
    links = [params.mapping(output).get("id") for output in ctx.outputs_list]
    return [f"{params.mapping(link).get('path', '')}{shared}" for link in links]


# The menu button opens and closes the page links on a narrow screen; going to a page closes them.
clientside_callback(
    f"""function(clicks, path, open) {{
        const fired = dash_clientside.callback_context.triggered.map(t => t.prop_id);
        return fired.includes("{TOGGLER}.n_clicks") ? !open : false;
    }}""",
    Output(COLLAPSE, "is_open"),
    Input(TOGGLER, "n_clicks"),
    Input(Shell.URL, "pathname"),
    State(COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
