"""明查暗访 callbacks: the list (covert schedule and representatives withheld from unit staff
on the server) and the form, whose save checks the role here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, Patch, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate

from callbacks.common import resolve_view
from dashboard.auth import current_account, require_role
from dashboard.context import get_db, today
from dashboard.ids import Inspections as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import T
from data.forms import FormError, clean_text
from data.inspections import (
    inspection_counts,
    inspection_form,
    list_inspections,
    representatives_for_selection,
    save_inspections,
)
from data.reference import Role
from data.supervision import units_for_selection
from layouts.common import empty_state
from layouts.inspections import FIRST, SHOW_ALL_LIMIT, finding_row, inspection_table

LABELS = {
    "unit_ids": T["insp_units"],
    "inspected_on": T["insp_date"],
    "mode": T["insp_mode"],
    "representative_ids": T["insp_reps"],
    "findings": T["insp_findings"],
    "follow_ups": T["insp_follow_ups"],
    "description": T["insp_fu_desc"],
    "unit_id": T["insp_fu_unit"],
    "criterion_code": T["insp_fu_criterion"],
    "deadline": T["insp_fu_deadline"],
    "owner": T["insp_fu_owner"],
    "severity": "严重程度",
    "campaign": "评议年度",
}
WRITERS = (Role.SUPERVISOR, Role.ADMIN)


def field_label(path: str) -> str:
    """A field path such as `follow_ups.0.deadline` in words: 第1项问题·整改时限."""
    parts = path.split(".")
    if parts[0] == "follow_ups" and len(parts) == 3 and parts[1].isdigit():
        return f"第{int(parts[1]) + 1}项问题·{LABELS.get(parts[2], parts[2])}"
    return LABELS.get(parts[0], path)


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_content(search: str | None) -> Any:
    """The inspections the signed-in user may see (unit staff: no covert schedule or team)."""
    account = current_account()
    hide_covert = account.role not in (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
    day = today()
    with get_db().read() as session:
        view = resolve_view(session, search, day)
        if view is None:
            return empty_state(T["no_campaign"])
        show_all = view.state.extra.get("all") == "1"
        rows = list_inspections(
            session,
            view.year,
            view.as_of,
            day,
            view.filters,
            hide_covert=hide_covert,
            limit=SHOW_ALL_LIMIT if show_all else FIRST,
        )
        counts = inspection_counts(session, view.year, day, view.filters, hide_covert=hide_covert)
    shared = to_search(replace(view.state, extra={}))
    everything = to_search(replace(view.state, extra={"all": "1"}))
    return inspection_table(rows, counts, shared, "" if show_all else f"/inspections{everything}")


@callback(
    Output(Ids.UNITS, "options"),
    Output(Ids.REPS, "options"),
    Output(Ids.DATE, "value"),
    Input(Ids.FORM_CARD, "id"),
)
def init_form(_card: str) -> tuple[Any, ...]:
    """The units and representatives to choose from (for those who may log inspections only)."""
    require_role(*WRITERS)
    with get_db().read() as session:
        units = units_for_selection(session)
        reps = representatives_for_selection(session)
    return (
        [{"label": name, "value": uid} for uid, name, _kind in units],
        [{"label": f"{name}（{sector}）", "value": rid} for rid, name, sector in reps],
        today().isoformat(),
    )


def _chosen(options: list[dict] | None, values: list[int] | None) -> list[dict[str, Any]]:
    """The options of the units chosen, in the order chosen."""
    names = {o["value"]: o["label"] for o in options or []}
    return [{"label": names.get(v, str(v)), "value": v} for v in values or []]


@callback(
    Output(Ids.FOLLOW_UPS, "children"),
    Input(Ids.FOLLOW_UP_ADD, "n_clicks"),
    State(Ids.UNITS, "options"),
    State(Ids.UNITS, "value"),
    prevent_initial_call=True,
)
def add_finding(n_clicks: int, options: list[dict] | None, values: list[int] | None) -> Patch:
    """Add one more finding row."""
    rows = Patch()
    rows.append(finding_row(n_clicks, _chosen(options, values)))
    return rows


@callback(
    Output({"type": Ids.FU_UNIT, "index": ALL}, "options"),
    Input(Ids.UNITS, "value"),
    State(Ids.UNITS, "options"),
    State({"type": Ids.FU_UNIT, "index": ALL}, "id"),
)
def finding_units(values: list[int] | None, options: list[dict] | None, rows: list) -> Any:
    """A finding belongs to one of the units inspected."""
    chosen = _chosen(options, values)
    return [chosen for _ in rows]


def _findings(
    descs: list, units: list, criteria: list, deadlines: list, owners: list, serious: list
) -> tuple[list[dict[str, Any]], list[int]]:
    """The finding rows the user filled, and their positions (wholly empty rows are skipped)."""
    rows, positions = [], []
    for position, (desc, unit, crit, deadline, owner, grave) in enumerate(
        zip(descs, units, criteria, deadlines, owners, serious, strict=True)
    ):
        if not (desc or "").strip() and not crit and not deadline and not (owner or "").strip():
            continue
        rows.append(
            {
                "description": desc,
                "unit_id": unit,
                "criterion_code": crit,
                "deadline": clean_text(deadline),
                "owner": clean_text(owner),
                "severity": "serious" if grave else "normal",
            }
        )
        positions.append(position)
    return rows, positions


@callback(
    Output(Ids.MESSAGE, "children"),
    Output({"type": Ids.FEEDBACK, "field": ALL}, "children"),
    Output({"type": Ids.FU_FEEDBACK, "index": ALL}, "children"),
    Output(Ids.STATE, "data", allow_duplicate=True),
    Output(Ids.FOLLOW_UPS, "children", allow_duplicate=True),
    Output(Ids.FINDINGS, "value"),
    Output(Ids.UNITS, "value"),
    Output(Ids.REPS, "value"),
    Input(Ids.SAVE, "n_clicks"),
    State(Ids.STATE, "data"),
    State(Ids.UNITS, "value"),
    State(Ids.DATE, "value"),
    State(Ids.MODE, "value"),
    State(Ids.REPS, "value"),
    State(Ids.FINDINGS, "value"),
    State({"type": Ids.FU_DESC, "index": ALL}, "value"),
    State({"type": Ids.FU_UNIT, "index": ALL}, "value"),
    State({"type": Ids.FU_CRITERION, "index": ALL}, "value"),
    State({"type": Ids.FU_DEADLINE, "index": ALL}, "value"),
    State({"type": Ids.FU_OWNER, "index": ALL}, "value"),
    State({"type": Ids.FU_SERIOUS, "index": ALL}, "value"),
    prevent_initial_call=True,
)
def save(
    clicks: int | None,
    search: str | None,
    unit_ids: list[int] | None,
    inspected_on: str | None,
    mode: str | None,
    rep_ids: list[int] | None,
    findings: str | None,
    fu_descs: list,
    fu_units: list,
    fu_criteria: list,
    fu_deadlines: list,
    fu_owners: list,
    fu_serious: list,
) -> tuple[Any, ...]:
    """Check the role on the server, validate every field, save all inspections in one go."""
    if not clicks:
        raise PreventUpdate
    account = require_role(*WRITERS)
    field_ids = [o["id"]["field"] for o in ctx.outputs_list[1]]
    rows = len(ctx.outputs_list[2])
    raw: dict[str, Any] = {
        "unit_ids": unit_ids or [],
        "inspected_on": inspected_on,
        "mode": mode,
        "representative_ids": rep_ids or [],
        "findings": clean_text(findings),
    }
    raw["follow_ups"], positions = _findings(
        fu_descs, fu_units, fu_criteria, fu_deadlines, fu_owners, fu_serious
    )
    day = today()
    try:
        with get_db().read() as session:
            view = resolve_view(session, search, day)
        if view is None:
            raise FormError({"campaign": T["no_campaign"]})
        form = inspection_form(raw)
        with get_db().write(account.username, account.id) as session:
            saved = save_inspections(session, form, view.year, day)
            count = len(saved)
    except FormError as exc:
        return _refused(exc.errors, field_ids, rows, positions)
    state = parse_state(search)
    extra = {**state.extra, "saved": str(clicks)}
    message = dbc.Alert(
        T["insp_saved"].format(n=count, p=len(form.follow_ups)), color="success", id="insp-saved"
    )
    # Saved: the form starts over for the next inspection (same date and mode).
    return (
        message,
        [None] * len(field_ids),
        [None] * rows,
        to_search(replace(state, extra=extra)),
        [],
        None,
        None,
        None,
    )


def _refused(
    errors: dict[str, str], field_ids: list[str], rows: int, positions: list[int]
) -> tuple[Any, ...]:
    """A refused save: each message next to its field and all of them above the button."""
    by_field = [errors.get(name) for name in field_ids]
    row_messages: list[Any] = [None] * rows
    for path, message in errors.items():
        parts = path.split(".")
        if parts[0] == "follow_ups" and len(parts) == 3 and int(parts[1]) < len(positions):
            row = positions[int(parts[1])]
            if row < rows:
                previous = f"{row_messages[row]}；" if row_messages[row] else ""
                row_messages[row] = f"{previous}{LABELS.get(parts[2], parts[2])}：{message}"
    alert = dbc.Alert(
        [
            html.Div(T["insp_errors"]),
            html.Ul([html.Li(f"{field_label(p)}：{m}") for p, m in errors.items()]),
        ],
        color="danger",
        id="insp-errors",
    )
    return alert, by_field, row_messages, *([no_update] * 5)
