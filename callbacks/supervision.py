"""督导检查 callbacks: fill the page from the URL, build the form, save a visit (checked here)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, Patch, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import select

from callbacks.common import resolve_view
from dashboard.auth import current_account, require_role
from dashboard.context import get_db, today
from dashboard.ids import Shell
from dashboard.ids import Supervision as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import T
from data.edits import ConflictError
from data.forms import FormError, VisitForm, validate
from data.history import history_of
from data.models import Unit
from data.reference import CRITERIA, Role
from data.supervision import (
    applicable_criteria,
    count_visits,
    list_visits,
    save_visit,
    unit_open_problems,
    units_for_selection,
    visit_calendar,
    visit_detail,
)
from layouts.common import empty_state
from layouts.supervision import (
    WRITERS,
    follow_up_row,
    history_card,
    month_calendar,
    month_start,
    open_problems_panel,
    ratings_block,
    show_all_visits,
    visit_detail_card,
    visit_limit,
    visit_table,
)

LABELS = {
    "unit_id": T["sup_unit"],
    "visited_on": T["sup_date"],
    "supervisors": T["sup_supervisors"],
    "kind": T["sup_kind"],
    "findings": T["sup_findings"],
    "notes": T["sup_notes"],
    "next_visit_on": T["sup_next_visit"],
    "description": T["sup_follow_up_desc"],
    "criterion_code": "评议内容",
    "deadline": T["sup_follow_up_deadline"],
    "owner": T["sup_follow_up_owner"],
    "severity": "严重程度",
    "campaign": "评议年度",
    "visit": "督导记录",
}


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def field_label(path: str) -> str:
    """A field path such as `follow_ups.0.deadline` in words: 第1项整改事项·整改时限."""
    parts = path.split(".")
    if parts[0] == "ratings" and len(parts) == 2:
        return f"评议内容评定·{CRITERIA.get(parts[1], (parts[1],))[0]}"
    if parts[0] == "follow_ups" and len(parts) == 3:
        return f"第{int(parts[1]) + 1}项整改事项·{LABELS.get(parts[2], parts[2])}"
    return LABELS.get(parts[0], path)


def _criteria_of(unit_id: int | None) -> list[tuple[str, str]]:
    """(code, name) of the criteria that apply to a unit."""
    if unit_id is None:
        return []
    with get_db().read() as session:
        kind = session.scalar(select(Unit.kind).where(Unit.id == unit_id))
    if kind is None:
        return []
    return [(code, CRITERIA[code][0]) for code in applicable_criteria(kind)]


def _visible(detail_unit: int, unit_ids: tuple[int, ...]) -> bool:
    return not unit_ids or detail_unit in unit_ids


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_content(search: str | None) -> Any:
    """The visits (list and calendar), the chosen visit and the chosen unit's open problems."""
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        if view is None:
            return empty_state(T["no_campaign"])
        extra = view.state.extra
        unit_id, visit_id = _int(extra.get("unit")), _int(extra.get("visit"))
        if view.filters.unit_ids and unit_id not in view.filters.unit_ids:
            unit_id = None
        limit = visit_limit(extra)
        rows = list_visits(
            session, view.year, view.as_of, view.filters, unit_id=unit_id, limit=limit
        )
        total = count_visits(session, view.year, view.filters, unit_id=unit_id)
        days = visit_calendar(session, view.year, month_start(view.as_of), view.filters)
        detail = visit_detail(session, visit_id, view.as_of) if visit_id else None
        history = history_of(session, "supervision_visit", visit_id) if detail else []
        unit = session.get(Unit, unit_id) if unit_id else None
        open_problems = unit_open_problems(session, view.year, unit_id, view.as_of) if unit else []
    shared = to_search(replace(view.state, extra={}))
    parts: list[Any] = []
    if extra.get("saved") and detail is not None:
        parts.append(dbc.Alert(T["sup_saved"], color="success", id="sup-saved"))
    if visit_id:
        if detail is None or not _visible(detail.unit_id, view.filters.unit_ids):
            parts.append(dbc.Alert(T["sup_not_found"], color="warning"))
        else:
            account = current_account()
            parts.append(visit_detail_card(detail, search or "", account.role in WRITERS))
            parts.append(history_card(history))
    if unit is not None:
        parts.append(open_problems_panel(unit.name, open_problems))
        parts.append(
            html.Div(
                [
                    html.Strong(T["sup_for_unit"].format(unit=unit.name)),
                    " ",
                    html.A(T["sup_all_units"], href=f"/supervision{shared}", className="small"),
                ],
                className="mb-2",
            )
        )
    parts.append(
        dbc.Tabs(
            [
                dbc.Tab(
                    [visit_table(rows, shared), show_all_visits(search or "", len(rows), total)],
                    label=f"{T['sup_list']}（{total}）",
                    tab_id="list",
                ),
                dbc.Tab(
                    month_calendar(month_start(view.as_of), days),
                    label=T["sup_calendar"],
                    tab_id="calendar",
                ),
            ],
            active_tab="list",
        )
    )
    return parts


@callback(
    Output(Ids.META, "data"),
    Output(Ids.FORM_TITLE, "children"),
    Output(Ids.UNIT, "options"),
    Output(Ids.UNIT, "value"),
    Output(Ids.DATE, "value"),
    Output(Ids.SUPERVISORS, "value"),
    Output(Ids.KIND, "value"),
    Output(Ids.FINDINGS, "value"),
    Output(Ids.NOTES, "value"),
    Output(Ids.NEXT_VISIT, "value"),
    Input(Ids.FORM_CARD, "id"),
    State(Ids.STATE, "data"),
)
def init_form(_card: str, search: str | None) -> tuple[Any, ...]:
    """Start the form empty, for the unit in the URL, or from the visit being edited."""
    account = current_account()
    state = parse_state(search)
    extra = state.extra
    raw = (search or "").lstrip("?")
    focus = extra.get("visit_kind") == "focus" or "kind=focus" in raw.split("&")
    with get_db().read() as session:
        units = units_for_selection(session)
        options = [{"label": name, "value": uid} for uid, name, _kind in units]
        visit_id = _int(extra.get("visit"))
        if extra.get("edit") and visit_id:
            detail = visit_detail(session, visit_id, state.resolved_as_of(today()))
            if detail is not None:
                meta = {
                    "visit_id": detail.id,
                    "version": detail.version,
                    "seen": detail.seen,
                    "ratings": detail.ratings,
                    "unit_id": detail.unit_id,
                    "campaign": detail.campaign,
                }
                return (
                    meta,
                    T["sup_form_edit"],
                    options,
                    detail.unit_id,
                    detail.visited_on.isoformat(),
                    detail.supervisors,
                    detail.kind,
                    detail.findings,
                    detail.notes,
                    detail.next_visit_on.isoformat() if detail.next_visit_on else None,
                )
    day = min(today(), state.as_of) if state.as_of else today()
    return (
        {},
        T["sup_form_new"],
        options,
        _int(extra.get("unit")),
        day.isoformat(),
        account.display_name,
        "focus" if focus else "routine",
        None,
        None,
        None,
    )


@callback(
    Output(Ids.RATINGS, "children"),
    Output({"type": Ids.FU_CRITERION, "index": ALL}, "options"),
    Input(Ids.UNIT, "value"),
    State(Ids.META, "data"),
    State({"type": Ids.FU_CRITERION, "index": ALL}, "id"),
)
def show_ratings(unit_id: int | None, meta: dict | None, follow_up_ids: list[dict]) -> Any:
    """The criteria to rate (and to file follow-ups under) are the ones of the unit's group."""
    criteria = _criteria_of(unit_id)
    values = (meta or {}).get("ratings", {}) if (meta or {}).get("unit_id") == unit_id else {}
    options = [{"label": name, "value": code} for code, name in criteria]
    return ratings_block(criteria, values), [options for _ in follow_up_ids]


@callback(
    Output(Ids.FOLLOW_UPS, "children"),
    Input(Ids.FOLLOW_UP_ADD, "n_clicks"),
    State(Ids.UNIT, "value"),
    prevent_initial_call=True,
)
def add_follow_up(n_clicks: int, unit_id: int | None) -> Patch:
    """Add one more follow-up row."""
    rows = Patch()
    rows.append(follow_up_row(n_clicks, _criteria_of(unit_id)))
    return rows


def _follow_ups(
    descs: list, criteria: list, deadlines: list, owners: list, serious: list
) -> tuple[list[dict[str, Any]], list[int]]:
    """The follow-up rows the user filled, and their positions (wholly empty rows are skipped)."""
    rows, positions = [], []
    for position, (desc, crit, deadline, owner, grave) in enumerate(
        zip(descs, criteria, deadlines, owners, serious, strict=True)
    ):
        if not (desc or "").strip() and not crit and not deadline and not (owner or "").strip():
            continue
        rows.append(
            {
                "description": desc,
                "criterion_code": crit,
                "deadline": deadline,
                "owner": owner,
                "severity": "serious" if grave else "normal",
            }
        )
        positions.append(position)
    return rows, positions


@callback(
    Output(Ids.MESSAGE, "children"),
    Output({"type": Ids.FEEDBACK, "field": ALL}, "children"),
    Output({"type": "sup-fu-feedback", "index": ALL}, "children"),
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(Ids.SAVE, "n_clicks"),
    State(Ids.STATE, "data"),
    State(Ids.META, "data"),
    State(Ids.UNIT, "value"),
    State(Ids.DATE, "value"),
    State(Ids.SUPERVISORS, "value"),
    State(Ids.KIND, "value"),
    State({"type": Ids.RATING, "criterion": ALL}, "value"),
    State({"type": Ids.RATING, "criterion": ALL}, "id"),
    State(Ids.FINDINGS, "value"),
    State(Ids.NOTES, "value"),
    State(Ids.NEXT_VISIT, "value"),
    State({"type": Ids.FU_DESC, "index": ALL}, "value"),
    State({"type": Ids.FU_CRITERION, "index": ALL}, "value"),
    State({"type": Ids.FU_DEADLINE, "index": ALL}, "value"),
    State({"type": Ids.FU_OWNER, "index": ALL}, "value"),
    State({"type": Ids.FU_SERIOUS, "index": ALL}, "value"),
    prevent_initial_call=True,
)
def save(
    _clicks: int,
    search: str | None,
    meta: dict | None,
    unit_id: int | None,
    visited_on: str | None,
    supervisors: str | None,
    kind: str | None,
    rating_values: list[str | None],
    rating_ids: list[dict[str, str]],
    findings: str | None,
    notes: str | None,
    next_visit_on: str | None,
    fu_descs: list,
    fu_criteria: list,
    fu_deadlines: list,
    fu_owners: list,
    fu_serious: list,
) -> tuple[Any, ...]:
    """Check the role on the server, validate every field, save in one transaction."""
    if not _clicks:
        raise PreventUpdate
    account = require_role(Role.SUPERVISOR, Role.ADMIN)
    meta = meta or {}
    state = parse_state(search)
    field_ids = [o["id"]["field"] for o in ctx.outputs_list[1]]
    fu_indexes = [o["id"]["index"] for o in ctx.outputs_list[2]]
    raw = {
        "unit_id": unit_id,
        "visited_on": visited_on,
        "supervisors": supervisors,
        "kind": kind,
        "ratings": {i["criterion"]: v for i, v in zip(rating_ids, rating_values, strict=True) if v},
        "findings": findings,
        "notes": notes,
        "next_visit_on": next_visit_on,
    }
    raw["follow_ups"], positions = _follow_ups(
        fu_descs, fu_criteria, fu_deadlines, fu_owners, fu_serious
    )
    with get_db().read() as session:
        view = resolve_view(session, search, today())
    year = meta.get("campaign") or (view.year if view else None)
    try:
        if year is None:
            raise FormError({"campaign": T["no_campaign"]})
        form = validate(VisitForm, raw)
        with get_db().write(account.username, account.id) as session:
            visit = save_visit(
                session, form, year, meta.get("visit_id"), meta.get("version"), meta.get("seen")
            )
            visit_id = visit.id
    except FormError as exc:
        return _refused(exc.errors, field_ids, len(fu_indexes), positions)
    except ConflictError as exc:
        return (_conflict(exc), [None] * len(field_ids), [None] * len(fu_indexes), no_update)
    extra = {k: v for k, v in state.extra.items() if k not in ("edit", "visit", "saved")}
    extra.update(visit=str(visit_id), saved=str(_clicks), unit=str(form.unit_id))
    return (
        None,
        [None] * len(field_ids),
        [None] * len(fu_indexes),
        to_search(replace(state, extra=extra)),
    )


def _refused(
    errors: dict[str, str], field_ids: list[str], rows: int, positions: list[int]
) -> tuple[Any, ...]:
    """The messages of a refused save, next to each field and together above the button."""
    by_field = [errors.get(name) for name in field_ids]
    # Follow-up errors are numbered among the filled rows; put each under its row on screen.
    fu_messages: list[Any] = [None] * rows
    for path, message in errors.items():
        parts = path.split(".")
        if parts[0] == "follow_ups" and len(parts) == 3 and int(parts[1]) < len(positions):
            row = positions[int(parts[1])]
            if row < rows:
                previous = f"{fu_messages[row]}；" if fu_messages[row] else ""
                fu_messages[row] = f"{previous}{LABELS.get(parts[2], parts[2])}：{message}"
    alert = dbc.Alert(
        [
            html.Div(T["sup_errors"]),
            html.Ul([html.Li(f"{field_label(p)}：{m}") for p, m in errors.items()]),
        ],
        color="danger",
        id="sup-errors",
    )
    return alert, by_field, fu_messages, no_update


def _conflict(exc: ConflictError) -> dbc.Alert:
    """What someone else changed since the form was opened."""
    if not exc.changes:
        return dbc.Alert(T["sup_conflict_none"], color="warning", id="sup-conflict")
    items = [
        html.Li(f"{field_label(name)}：您打开时为“{seen or '空'}”，现在为“{now or '空'}”")
        for name, (seen, now) in exc.changes.items()
    ]
    return dbc.Alert(
        [html.Div(T["sup_conflict"]), html.Ul(items)], color="warning", id="sup-conflict"
    )
