"""评议单位 callbacks: draw the roster for admins, fill the edit form when a unit is chosen, and
the saves (add; save, retire, restore) — each checked for the admin role on the server, refused
at the field with nothing written, recorded in history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.common import resolve_view
from callbacks.forms import feedback_names, form_values, save_form
from dashboard.auth import current_account
from dashboard.context import get_db, today
from dashboard.ids import AdminUnits as Ids
from dashboard.text import fmt_date
from data.figures import campaign_years
from data.forms import FormError
from data.models import Unit
from data.reference import Role
from data.units import (
    add_unit,
    deactivate_unit,
    reactivate_unit,
    set_caseload,
    unit_rows,
    update_unit,
)
from layouts.admin_campaign import admin_only
from layouts.admin_units import (
    ADD,
    EDIT,
    EDIT_FIELDS,
    EXTRA_LABELS,
    RESTORE,
    RETIRE,
    add_fields,
    edit_fields,
    edit_meta,
    edit_values,
    units_page,
)
from layouts.forms import labels_of

ADMIN = (Role.ADMIN,)
NO_CAMPAIGN = "还没有评议活动，无法填写办案量"
UNIT_FIELDS = ("name", "kind", "township")  # the edit form's fields that UnitForm checks


@callback(
    Output(Ids.CONTENT, "children"),
    Input(Ids.STATE, "data"),
    Input(Ids.REFRESH, "data"),
)
def render_units_admin(search: str | None, refresh: dict | None) -> Any:
    """Every unit with the caseload of the campaign in the shell's filter, for admins."""
    account = current_account()
    if account.role != Role.ADMIN:
        return admin_only("维护评议单位", account.role_name)
    refresh = refresh or {}
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        year = view.year if view is not None else None
        rows = unit_rows(session, year)
    return units_page(rows, year, dict(refresh.get("notices") or {}), refresh.get("unit"))


def _redraw(prefix: str, notice: str, unit_id: int | None = None) -> dict[str, Any]:
    """The REFRESH store's value after a save: redraw the page with a notice on that form (and
    the edit form still open on the unit just saved)."""
    return {"at": dt.datetime.now().isoformat(), "notices": {prefix: notice}, "unit": unit_id}


@callback(
    *(Output(EDIT.field(name), "value") for name in EDIT_FIELDS),
    Output(EDIT.meta, "data"),
    Output(RETIRE, "disabled"),
    Output(RESTORE, "disabled"),
    Output(EDIT.message, "children", allow_duplicate=True),
    Output(EDIT.feedbacks(), "children", allow_duplicate=True),
    Input(EDIT.field("unit"), "value"),
    State(EDIT.meta, "data"),
    prevent_initial_call=True,
)
def choose_unit(unit_id: int | None, meta: dict | None) -> tuple[Any, ...]:
    """Fill the edit form with the chosen unit as it is now, and remember its version."""
    if current_account().role != Role.ADMIN:  # the form is only drawn for admins
        raise PreventUpdate
    year = (meta or {}).get("year")
    row = None
    if unit_id is not None:
        with get_db().read() as session:
            row = next((r for r in unit_rows(session, year) if r.id == unit_id), None)
    values = edit_values(row)
    retired = row is not None and row.retired_on is not None
    return (
        *(values[name] for name in EDIT_FIELDS),
        edit_meta(row, year),
        row is None or retired,
        row is None or not retired,
        None,
        [None] * len(feedback_names(position=8)),
    )


@callback(
    Output(ADD.message, "children"),
    Output(ADD.feedbacks(), "children"),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(ADD.save, "n_clicks"),
    State(ADD.fields(), "value"),
    State(ADD.fields(), "id"),
    prevent_initial_call=True,
)
def add(clicks: int | None, values: list, ids: list) -> tuple[Any, ...]:
    """Add a unit; it gets its tasks in every campaign at once."""
    if not clicks:
        raise PreventUpdate
    raw = form_values(values, ids)
    outcome = save_form(
        roles=ADMIN,
        what="新增评议单位",
        labels=labels_of(add_fields()),
        alert_id=Ids.ADD_ERRORS,
        names=feedback_names(),
        write=lambda s: (add_unit(s, raw).name, bool(campaign_years(s))),
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    name, has_campaigns = outcome.result
    if has_campaigns:
        notice = f"已新增单位“{name}”，已为其生成各评议活动的阶段任务。"
    else:
        notice = f"已新增单位“{name}”。建立评议活动时将为其生成阶段任务。"
    return None, outcome.messages, _redraw(ADD.prefix, notice)


def _chosen(raw: dict[str, Any]) -> int:
    """The id of the unit chosen in the edit form (FormError at the chooser when none)."""
    unit_id = raw.get("unit")
    if unit_id is None:
        raise FormError({"unit": "请选择单位"})
    return unit_id


def _save_unit(
    session: Session, raw: dict[str, Any], meta: dict[str, Any]
) -> tuple[int, str, str | None]:
    """Update the chosen unit and, when filled, its caseload (one transaction); returns its id,
    its name now and its former name when it was renamed."""
    unit_id = _chosen(raw)
    same = meta.get("unit_id") == unit_id
    found = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    before = found.name if found is not None else None
    unit = update_unit(
        session,
        unit_id,
        {name: raw.get(name) for name in UNIT_FIELDS},
        meta.get("version") if same else None,
        meta.get("seen") if same else None,
    )
    if raw.get("cases") not in (None, ""):
        year = meta.get("year")
        if not isinstance(year, int):
            raise FormError({"cases": NO_CAMPAIGN})
        set_caseload(session, year, unit.id, raw["cases"])
    return unit.id, unit.name, before if before != unit.name else None


def _retire(session: Session, raw: dict[str, Any]) -> tuple[int, str, str | None]:
    """Retire the chosen unit from today."""
    unit = deactivate_unit(session, _chosen(raw), today())
    return unit.id, unit.name, None


def _restore(session: Session, raw: dict[str, Any]) -> tuple[int, str, str | None]:
    """Bring the chosen unit back."""
    unit = reactivate_unit(session, _chosen(raw))
    return unit.id, unit.name, None


def _edit_notice(action: str, name: str, former: str | None) -> str:
    """What the edit form says after a save."""
    if action == RETIRE:
        return (
            f"已停用单位“{name}”（{fmt_date(today())}起）：历史记录全部保留，"
            "不再参加此后开始的评议活动。"
        )
    if action == RESTORE:
        return f"已恢复单位“{name}”，并为其补齐了各评议活动的阶段任务。"
    if former is not None:
        return (
            f"已保存。单位已改名为“{name}”，原名称“{former}”保留为曾用名，"
            "使用旧名称的台账仍可导入。"
        )
    return f"已保存单位“{name}”。"


EDIT_WHAT = {EDIT.save: "修改评议单位", RETIRE: "停用评议单位", RESTORE: "恢复评议单位"}


@callback(
    Output(EDIT.message, "children"),
    Output(EDIT.feedbacks(), "children"),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(EDIT.save, "n_clicks"),
    Input(RETIRE, "n_clicks"),
    Input(RESTORE, "n_clicks"),
    State(EDIT.fields(), "value"),
    State(EDIT.fields(), "id"),
    State(EDIT.meta, "data"),
    prevent_initial_call=True,
)
def edit(*args: Any) -> tuple[Any, ...]:
    """Save the chosen unit (name, kind, township, caseload), or retire or restore it."""
    *clicks, values, ids, meta = args
    action = ctx.triggered_id
    if action not in EDIT_WHAT or not any(clicks):
        raise PreventUpdate
    raw = form_values(values, ids)
    writes = {
        EDIT.save: lambda s: _save_unit(s, raw, meta or {}),
        RETIRE: lambda s: _retire(s, raw),
        RESTORE: lambda s: _restore(s, raw),
    }
    outcome = save_form(
        roles=ADMIN,
        what=EDIT_WHAT[action],
        labels={**labels_of(edit_fields([], (meta or {}).get("year"))), **EXTRA_LABELS},
        alert_id=Ids.EDIT_ERRORS,
        names=feedback_names(),
        write=writes[action],
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    unit_id, name, former = outcome.result
    notice = _edit_notice(action, name, former)
    return None, outcome.messages, _redraw(EDIT.prefix, notice, unit_id)
