"""明查暗访 callbacks: the list (covert schedule and representatives withheld from unit staff
on the server) and the form, whose save checks the role here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.content import with_view
from callbacks.forms import (
    Refusals,
    filled_rows,
    register_row_removal,
    row_states,
    save_with_rows,
)
from dashboard import params
from dashboard.auth import Account, current_account, require_role
from dashboard.context import get_db, today
from dashboard.ids import Inspections as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import T
from dashboard.view import View, may_see_covert, resolve_view
from data.form_tokens import META_KEY, with_token
from data.forms import FormError, clean_text
from data.inspections import (
    MAX_UNITS,
    inspection_counts,
    inspection_form,
    list_inspections,
    representatives_for_selection,
    save_inspections,
)
from data.supervision import units_for_selection
from layouts.inspections import (
    FORM,
    LABELS,
    ROW_NAME,
    ROWS,
    WRITERS,
    finding_row,
    inspection_table,
)

REFUSALS = Refusals(LABELS, Ids.ERRORS, heading=T["insp_errors"], row=ROW_NAME)
MAX_OPTIONS = 5000  # units a selection offers, read back from the browser


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_content(session: Session, view: View) -> Any:
    """Every inspection the signed-in user may see (unit staff: no covert schedule or team:
    those rows and names are left out on the server, never sent to be hidden in the browser)."""
    hide_covert = not may_see_covert(current_account())
    day = today()
    rows = list_inspections(
        session,
        view.year,
        view.as_of,
        day,
        view.filters,
        hide_covert=hide_covert,
        limit=None,  # every row: the grid draws only those in view
    )
    counts = inspection_counts(session, view.year, day, view.filters, hide_covert=hide_covert)
    shared = to_search(replace(view.state, extra={}))
    return inspection_table(rows, counts, shared)


@callback(
    Output(Ids.UNITS, "options"),
    Output(Ids.REPS, "options"),
    Output(Ids.DATE, "value"),
    Output(Ids.META, "data"),
    Input(Ids.FORM_CARD, "id"),
)
def init_form(_card: str) -> tuple[Any, ...]:
    """The units and representatives to choose from (for those who may log inspections only),
    and the form's token (a double-clicked save makes one set of inspections)."""
    require_role(*WRITERS)
    with get_db().read() as session:
        units = units_for_selection(session)
        reps = representatives_for_selection(session)
    return (
        [{"label": name, "value": uid} for uid, name, _kind in units],
        [
            {"label": T["insp_rep_option"].format(name=name, sector=sector), "value": rid}
            for rid, name, sector in reps
        ],
        today().isoformat(),
        with_token(),
    )


def _chosen(options: Any, values: Any) -> list[dict[str, Any]]:
    """The options of the units chosen, in the order chosen (what is not a unit's id, as in a
    forged request, is left out)."""
    names: dict[int, str] = {}
    for option in params.items(options, params.mapping, MAX_OPTIONS):
        unit_id = params.record_id(option.get("value"))
        if unit_id is not None:
            names[unit_id] = params.text(option.get("label")) or str(unit_id)
    chosen = params.items(values, params.record_id, MAX_UNITS)
    return [{"label": names.get(v, str(v)), "value": v} for v in chosen]


@callback(
    Output(Ids.FOLLOW_UPS, "children"),
    Input(Ids.FOLLOW_UP_ADD, "n_clicks"),
    State(Ids.UNITS, "options"),
    State(Ids.UNITS, "value"),
    prevent_initial_call=True,
)
def add_finding(n_clicks: int, options: list[dict] | None, values: list[int] | None) -> Patch:
    """Add one more finding row."""
    row = params.clicks(n_clicks)
    if row is None:
        raise PreventUpdate
    rows = Patch()
    rows.append(finding_row(row, _chosen(options, values)))
    return rows


@callback(
    Output(ROWS.part("unit"), "options"),
    Input(Ids.UNITS, "value"),
    State(Ids.UNITS, "options"),
    prevent_initial_call=True,
)
def finding_units(values: list[int] | None, options: list[dict] | None) -> Any:
    """A finding belongs to one of the units inspected (one list per row the browser has: its
    outputs). A row added later is drawn with them already, so this runs on a change of the
    units only, never when a row comes or goes."""
    chosen = _chosen(options, values)
    return [chosen for _ in ctx.outputs_list]


remove_finding = register_row_removal(ROWS, Ids.FOLLOW_UPS)


@callback(
    Output(Ids.MESSAGE, "children"),
    Output(FORM.feedbacks(), "children"),
    Output(ROWS.feedback(), "children"),
    Output(Ids.STATE, "data", allow_duplicate=True),
    Output(Ids.FOLLOW_UPS, "children", allow_duplicate=True),
    Output(Ids.FINDINGS, "value"),
    Output(Ids.UNITS, "value"),
    Output(Ids.REPS, "value"),
    Output(Ids.META, "data", allow_duplicate=True),
    Input(Ids.SAVE, "n_clicks"),
    State(Ids.STATE, "data"),
    State(Ids.META, "data"),
    State(Ids.UNITS, "value"),
    State(Ids.DATE, "value"),
    State(Ids.MODE, "value"),
    State(Ids.REPS, "value"),
    State(Ids.FINDINGS, "value"),
    *row_states(ROWS),
    prevent_initial_call=True,
)
def save(
    clicks: int | None,
    search: str | None,
    meta: dict[str, Any] | None,
    unit_ids: list[int] | None,
    inspected_on: str | None,
    mode: str | None,
    rep_ids: list[int] | None,
    findings: str | None,
    *rows: list,
) -> tuple[Any, ...]:
    """Check the role on the server, validate every field, save all inspections in one go."""
    if not params.clicked(clicks):
        raise PreventUpdate
    raw: dict[str, Any] = {
        "unit_ids": unit_ids or [],
        "inspected_on": inspected_on,
        "mode": mode,
        "representative_ids": rep_ids or [],
        "findings": clean_text(findings),
    }
    raw["follow_ups"], positions = filled_rows(ROWS, rows)
    day = today()

    def write(session: Session, _account: Account) -> tuple[int, int]:
        view = resolve_view(session, search, day)
        if view is None:
            raise FormError({"campaign": T["no_campaign"]})
        form = inspection_form(raw)
        token = params.mapping(meta).get(META_KEY)  # the same form posted again saves nothing
        made = save_inspections(session, form, view.year, day, token)
        return len(made), len(form.follow_ups)

    outcome, at_rows = save_with_rows(WRITERS, REFUSALS, LABELS, positions, write, T["insp_save"])
    if not outcome.saved:
        return outcome.alert, outcome.messages, at_rows, *([no_update] * 6)
    count, problems = outcome.result
    state = parse_state(search)
    extra = {**state.extra, "saved": str(clicks)}
    message = dbc.Alert(
        T["insp_saved"].format(n=count, p=problems), color="success", id="insp-saved"
    )
    # Saved: the form starts over for the next inspection (same date and mode), a new token.
    return (
        message,
        outcome.messages,
        at_rows,
        to_search(replace(state, extra=extra)),
        [],
        None,
        None,
        None,
        with_token(),
    )
