"""The unit page's callbacks: URL (unit id + filters) → everything about the unit; rectification."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate

from callbacks.common import resolve_view
from dashboard.auth import current_account, deny, require_role
from dashboard.context import get_db, today
from dashboard.ids import UnitActions as Act
from dashboard.ids import UnitPage as Ids
from dashboard.ids import UnitRect as Rect
from dashboard.state import to_search
from dashboard.text import T
from data.edits import ConflictError
from data.forms import FormError, RectificationForm, TaskForm, clean_text, validate
from data.models import Problem, TaskTemplate, UnitTask
from data.rectification_updates import (
    NotAllowed,
    complete_task,
    problem_snapshot,
    task_snapshot,
    update_rectification,
)
from data.reference import Role
from data.unit_detail import problem_record, unit_detail
from data.voiding import problem_history, reveal_complainant, void_problem
from layouts.unit import problem_detail, unit_body, unit_message

MAX_ID_DIGITS = 9  # beyond a database integer: no such unit, rather than an overflow error


def parse_unit_id(text: Any) -> int | None:
    """The unit id of the path (`/units/12` → 12); None for anything that is not a plain id."""
    text = str(text or "")
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
        return None
    return int(text)


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_unit(state: dict[str, Any] | None) -> Any:
    """Fill the unit page for the unit in the path and the campaign and date in the URL."""
    state = state or {}
    unit_id = parse_unit_id(state.get("unit"))
    if unit_id is None:
        return unit_message(T["unit_not_found"])
    with get_db().read() as session:
        view = resolve_view(session, state.get("search"), today())
        if view is None:
            return unit_message(T["no_campaign"])
        # Unit staff see their own unit only (resolve_view's restriction); others see any unit.
        if view.filters.unit_ids and unit_id not in view.filters.unit_ids:
            return unit_message(T["unit_not_found"])
        detail = unit_detail(session, view.year, unit_id, view.as_of)
    if detail is None:
        return unit_message(T["unit_not_found"])
    account = current_account()
    search = to_search(replace(view.state, extra={}))
    return unit_body(
        detail,
        search,
        _may_edit(account, unit_id),
        _may_log_visit(account),
        may_void=account.role in VOIDERS,
    )


@callback(
    Output(Rect.MODAL, "is_open"),
    Output(Rect.META, "data"),
    Output(Rect.TITLE, "children"),
    Output(Rect.STATUS, "value"),
    Output(Rect.MEASURES, "value"),
    Output(Rect.OWNER, "value"),
    Output(Rect.COMPLETED, "value"),
    Output(Rect.EVIDENCE, "value"),
    Output(Rect.PUBLISHED, "value"),
    Output(Rect.REPORTED, "value"),
    Output(Rect.MESSAGE, "children", allow_duplicate=True),
    Input({"type": Rect.OPEN, "index": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def open_rectification(clicks: list[int | None]) -> tuple[Any, ...]:
    """Open the form for the problem whose 填报 button was pressed, as it is now."""
    if not ctx.triggered_id or not any(clicks):
        raise PreventUpdate
    account = current_account()
    with get_db().read() as session:
        problem = session.get(Problem, ctx.triggered_id["index"])
        if problem is None or not _may_edit(account, problem.unit_id):
            raise PreventUpdate
        seen = problem_snapshot(problem)
        meta = {"problem_id": problem.id, "version": problem.version, "seen": seen}
        title = f"填报整改情况：{problem.description[:40]}"
    return (
        True,
        meta,
        title,
        seen["status"],
        seen["measures"],
        seen["owner"],
        seen["completed_on"],
        seen["evidence"],
        seen["published"],
        seen["reported"],
        None,
    )


def _may_log_visit(account: Any) -> bool:
    """Supervisors and admins log 督导检查 visits; others only read them."""
    return account.role in (Role.SUPERVISOR, Role.ADMIN)


def _may_edit(account: Any, unit_id: int) -> bool:
    """Supervisors and admins report any unit's rectification, unit staff their own unit's."""
    return account.role in (Role.SUPERVISOR, Role.ADMIN) or (
        account.role == Role.UNIT and account.unit_id == unit_id
    )


@callback(
    Output(Rect.MESSAGE, "children"),
    Output(Rect.MODAL, "is_open", allow_duplicate=True),
    Output(Ids.STATE, "data", allow_duplicate=True),
    Input(Rect.SAVE, "n_clicks"),
    State(Rect.META, "data"),
    State(Rect.STATUS, "value"),
    State(Rect.MEASURES, "value"),
    State(Rect.OWNER, "value"),
    State(Rect.COMPLETED, "value"),
    State(Rect.EVIDENCE, "value"),
    State(Rect.PUBLISHED, "value"),
    State(Rect.REPORTED, "value"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def save_rectification(
    clicks: int | None,
    meta: dict | None,
    status: str | None,
    measures: str | None,
    owner: str | None,
    completed_on: str | None,
    evidence: str | None,
    published: bool | None,
    reported: bool | None,
    state: dict | None,
) -> tuple[Any, ...]:
    """Check the role and the unit on the server, validate, save; refused saves keep the form."""
    if not clicks:
        raise PreventUpdate
    account = require_role(Role.UNIT, Role.SUPERVISOR, Role.ADMIN)
    meta = meta or {}
    # A field the user emptied is absent, not an empty text (which would read as "必填").
    raw = {
        "status": status,
        "measures": clean_text(measures),
        "owner": clean_text(owner),
        "completed_on": clean_text(completed_on),
        "evidence": clean_text(evidence),
        "published": bool(published),
        "reported": bool(reported),
    }
    try:
        form = validate(RectificationForm, raw)
        with get_db().write(account.username, account.id) as session:
            update_rectification(
                session,
                int(meta.get("problem_id") or 0),
                form,
                account.role,
                account.unit_id,
                today(),
                meta.get("version"),
                meta.get("seen"),
            )
    except NotAllowed as exc:
        deny(account, str(exc))
    except FormError as exc:
        items = [html.Li(f"{RECT_LABELS.get(k, k)}：{v}") for k, v in exc.errors.items()]
        return (
            dbc.Alert(
                [html.Div("请修改以下内容后再保存："), html.Ul(items)],
                color="danger",
                id="unit-rect-errors",
            ),
            no_update,
            no_update,
        )
    except ConflictError as exc:
        items = [
            html.Li(
                f"{RECT_LABELS.get(k, k)}：您打开时为“{a if a is not None else '空'}”，"
                f"现在为“{b if b is not None else '空'}”"
            )
            for k, (a, b) in exc.changes.items()
        ]
        return (
            dbc.Alert(
                [
                    "保存失败：该问题在您打开后已被他人修改。请关闭后重新打开再填报。",
                    html.Ul(items),
                ],
                color="warning",
                id="unit-rect-conflict",
            ),
            no_update,
            no_update,
        )
    return None, False, {**(state or {}), "saved": clicks}


VOIDERS = (Role.SUPERVISOR, Role.ADMIN)


def _may_read(account: Any, unit_id: int) -> bool:
    """Unit staff read their own unit only; every other role reads every unit."""
    return account.role != Role.UNIT or account.unit_id == unit_id


def _alert(errors: dict[str, str], element_id: str) -> dbc.Alert:
    """A refused save's messages, each naming its field."""
    items = [html.Li(f"{RECT_LABELS.get(k, k)}：{v}") for k, v in errors.items()]
    return dbc.Alert(
        [html.Div("请修改以下内容后再保存："), html.Ul(items)], color="danger", id=element_id
    )


# ---- 问题详情：记录、历史、查看投诉人 ------------------------------------------------------------


@callback(
    Output(Act.DETAIL_MODAL, "is_open"),
    Output(Act.DETAIL_META, "data"),
    Output(Act.DETAIL_TITLE, "children"),
    Output(Act.DETAIL_BODY, "children"),
    Input({"type": Act.DETAIL_OPEN, "problem": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def open_detail(clicks: list[int | None]) -> tuple[Any, ...]:
    """A problem's record and its history; complainant masked for every role, admins included."""
    if not ctx.triggered_id or not any(clicks):
        raise PreventUpdate
    account = current_account()
    problem_id = int(ctx.triggered_id["problem"])
    with get_db().read() as session:
        record = problem_record(session, problem_id)
        allowed = record is not None and _may_read(account, record.unit_id)
        history = problem_history(session, problem_id) if allowed else []
    if record is None or not allowed:
        deny(account, "查看无权访问的问题")
    title = T["detail_title"].format(desc=record.description[:40])
    body = problem_detail(record, history, account.may_reveal())
    return True, {"problem_id": problem_id}, title, body


@callback(
    Output(Act.REVEAL_VALUE, "children"),
    Input(Act.REVEAL, "n_clicks"),
    State(Act.DETAIL_META, "data"),
    prevent_initial_call=True,
)
def reveal(clicks: int | None, meta: dict | None) -> str:
    """Admins only: the complainant of the problem shown, recorded in the history first.

    The value goes to this output and nowhere else: no Store, no URL, no log line.
    """
    if not clicks:
        raise PreventUpdate
    account = require_role(Role.ADMIN)
    problem_id = int((meta or {}).get("problem_id") or 0)
    with get_db().write(account.username, account.id) as session:
        complainant = reveal_complainant(session, problem_id)
    if complainant is None:
        return T["reveal_none"]
    return " ".join(x for x in (complainant.name, complainant.phone) if x)


# ---- 作废 ---------------------------------------------------------------------------------


@callback(
    Output(Act.VOID_MODAL, "is_open"),
    Output(Act.VOID_META, "data"),
    Output(Act.VOID_TITLE, "children"),
    Output(Act.VOID_REASON, "value"),
    Output(Act.VOID_MESSAGE, "children", allow_duplicate=True),
    Input({"type": Act.VOID_OPEN, "problem": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def open_void(clicks: list[int | None]) -> tuple[Any, ...]:
    """The void form for the problem whose 作废 button was pressed."""
    if not ctx.triggered_id or not any(clicks):
        raise PreventUpdate
    account = current_account()
    if account.role not in VOIDERS:
        raise PreventUpdate
    with get_db().read() as session:
        problem = session.get(Problem, int(ctx.triggered_id["problem"]))
        if problem is None or problem.voided_at is not None:
            raise PreventUpdate
        meta = {"problem_id": problem.id, "version": problem.version}
        title = T["void_title"].format(desc=problem.description[:40])
    return True, meta, title, None, None


@callback(
    Output(Act.VOID_MESSAGE, "children"),
    Output(Act.VOID_MODAL, "is_open", allow_duplicate=True),
    Output(Ids.STATE, "data", allow_duplicate=True),
    Input(Act.VOID_SAVE, "n_clicks"),
    State(Act.VOID_META, "data"),
    State(Act.VOID_REASON, "value"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def save_void(
    clicks: int | None, meta: dict | None, reason: str | None, state: dict | None
) -> tuple[Any, ...]:
    """Supervisors and admins void a problem with a reason (checked here, on the server)."""
    if not clicks:
        raise PreventUpdate
    account = require_role(*VOIDERS)
    meta = meta or {}
    try:
        with get_db().write(account.username, account.id) as session:
            void_problem(
                session,
                int(meta.get("problem_id") or 0),
                reason,
                dt.datetime.now(),
                meta.get("version"),
            )
    except FormError as exc:
        return _alert(exc.errors, "unit-void-errors"), no_update, no_update
    except ConflictError:
        return (
            dbc.Alert(T["sup_conflict_none"], color="warning", id="unit-void-conflict"),
            no_update,
            no_update,
        )
    return None, False, {**(state or {}), "voided": clicks}


# ---- 阶段任务 ------------------------------------------------------------------------------


@callback(
    Output(Act.TASK_MODAL, "is_open"),
    Output(Act.TASK_META, "data"),
    Output(Act.TASK_TITLE, "children"),
    Output(Act.TASK_COMPLETED, "value"),
    Output(Act.TASK_EVIDENCE, "value"),
    Output(Act.TASK_MESSAGE, "children", allow_duplicate=True),
    Input({"type": Act.TASK_OPEN, "task": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def open_task(clicks: list[int | None]) -> tuple[Any, ...]:
    """The form for the task whose button was pressed, as it is now (today when not done)."""
    if not ctx.triggered_id or not any(clicks):
        raise PreventUpdate
    account = current_account()
    with get_db().read() as session:
        task = session.get(UnitTask, int(ctx.triggered_id["task"]))
        if task is None or not _may_edit(account, task.unit_id):
            raise PreventUpdate
        seen = task_snapshot(task)
        name = session.get(TaskTemplate, task.template_id).name
        meta = {"task_id": task.id, "version": task.version, "seen": seen}
    return (
        True,
        meta,
        T["task_title"].format(name=name),
        seen["completed_on"] or today().isoformat(),
        seen["evidence"],
        None,
    )


@callback(
    Output(Act.TASK_MESSAGE, "children"),
    Output(Act.TASK_MODAL, "is_open", allow_duplicate=True),
    Output(Ids.STATE, "data", allow_duplicate=True),
    Input(Act.TASK_SAVE, "n_clicks"),
    State(Act.TASK_META, "data"),
    State(Act.TASK_COMPLETED, "value"),
    State(Act.TASK_EVIDENCE, "value"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def save_task(
    clicks: int | None,
    meta: dict | None,
    completed_on: str | None,
    evidence: str | None,
    state: dict | None,
) -> tuple[Any, ...]:
    """Unit staff mark their own unit's tasks done, supervisors and admins any (checked here)."""
    if not clicks:
        raise PreventUpdate
    account = require_role(Role.UNIT, Role.SUPERVISOR, Role.ADMIN)
    meta = meta or {}
    try:
        raw = {"completed_on": clean_text(completed_on), "evidence": clean_text(evidence)}
        form = validate(TaskForm, raw)
        with get_db().write(account.username, account.id) as session:
            complete_task(
                session,
                int(meta.get("task_id") or 0),
                form,
                account.role,
                account.unit_id,
                today(),
                meta.get("version"),
                meta.get("seen"),
            )
    except NotAllowed as exc:
        deny(account, str(exc))
    except FormError as exc:
        return _alert(exc.errors, "unit-task-errors"), no_update, no_update
    except ConflictError as exc:
        items = [
            html.Li(
                f"{RECT_LABELS.get(k, k)}：您打开时为“{a if a is not None else '空'}”，"
                f"现在为“{b if b is not None else '空'}”"
            )
            for k, (a, b) in exc.changes.items()
        ]
        return (
            dbc.Alert(
                [
                    "保存失败：该任务在您打开后已被他人修改。请关闭后重新打开再填报。",
                    html.Ul(items),
                ],
                color="warning",
                id="unit-task-conflict",
            ),
            no_update,
            no_update,
        )
    return None, False, {**(state or {}), "task_saved": clicks}


RECT_LABELS = {
    "status": "整改状态",
    "measures": "整改措施",
    "owner": "责任人",
    "completed_on": "完成日期",
    "evidence": "佐证材料",
    "published": "是否公开",
    "reported": "是否上报纠风办",
    "problem": "问题",
    "task": "任务",
    "void_reason": "作废原因",
}
