"""The unit page's callbacks: URL (unit id + filters) → everything about the unit; its dialogs
(rectification, a problem's detail and reveal, voiding, phase tasks), those on a problem opened
from the buttons of the problems' grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from dash import Input, Output, State, callback
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.access import refused, refused_write
from callbacks.commitments import unit_commitments_part
from callbacks.content import read_view
from callbacks.forms import (
    Refusals,
    answered_save,
    denied_alert,
    dialog_opener,
    dialog_saved,
    dialog_saver,
    pressed,
)
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import get_db, today
from dashboard.ids import DETAIL_DIALOG, RECT_DIALOG, TASK_DIALOG, VOID_DIALOG, ModalIds
from dashboard.ids import UnitActions as Act
from dashboard.ids import UnitPage as Ids
from dashboard.ids import UnitRect as Rect
from dashboard.state import to_search
from dashboard.text import T
from dashboard.view import may_read_unit, refuse_read
from data.archives import derived_refusal
from data.forms import RectificationForm, TaskForm, clean_text, validate
from data.labels import PROBLEM, TASK
from data.models import Problem, TaskTemplate, UnitTask
from data.rectification_updates import (
    BUREAU_ONLY,
    complete_task,
    problem_snapshot,
    status_choices,
    task_snapshot,
    update_rectification,
)
from data.reference import Role
from data.topics import list_topics
from data.unit_detail import ProblemRow, problem_record, unit_detail
from data.voiding import problem_history, reveal_complainant, void_problem
from layouts.archives import derived_task_alert
from layouts.unit import unit_body, unit_message
from layouts.unit_dialogs import problem_detail, status_options
from layouts.unit_problems import DETAIL_COLUMN, RECT_COLUMN, VOID_COLUMN


def parse_unit_id(text: Any) -> int | None:
    """The unit id of the path (`/units/12` → 12); None for anything that is not a plain id."""
    return params.record_id(text)


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_unit(state: dict[str, Any] | None) -> Any:
    """Fill the unit page for the unit in the path and the campaign and date in the URL (unit
    staff: their own unit's, and for another unit the words saying they may not read it)."""
    state = params.mapping(state)
    unit_id = parse_unit_id(state.get("unit"))
    if unit_id is None:
        return unit_message(T["unit_not_found"])
    account = current_account()
    if not may_read_unit(account, unit_id):  # the page's own words: no such unit, or not yours
        return unit_message(refuse_read(account, "unit", unit_id, T["unit_not_found"]))
    with read_view(state.get("search")) as (session, view):
        if view is None:
            return unit_message(T["no_campaign"])
        # Every problem: the grid draws only those in view (no cap for drawing's sake).
        detail = unit_detail(session, view.year, unit_id, view.as_of, limit=None)
        commitments = unit_commitments_part(session, view, unit_id)
        topics = list_topics(session, view.year, (unit_id,), as_of=view.as_of, bureau=False)
    if detail is None:
        return unit_message(T["unit_not_found"])
    search = to_search(replace(view.state, extra={}))
    may_edit = _may_edit(account, unit_id)
    return unit_body(
        detail,
        search,
        may_edit,
        _may_log_visit(account),
        may_void=account.role in VOIDERS,
        reportable=_reportable(account, detail.problems) if may_edit else (),
        commitments=commitments,
        topics=topics,
    )


Snapshot = Callable[[Any], dict[str, Any]]
EDITORS = (Role.UNIT, Role.SUPERVISOR, Role.ADMIN)  # further checked per unit in the data layer
VOIDERS = (Role.SUPERVISOR, Role.ADMIN)


def _refusals(
    ids: ModalIds, fields: Mapping[str, str], record: str, unchanged: str | None = None
) -> Refusals:
    """How a dialog answers a refused save, at its own alerts: `fields` names the fields of what
    it edits, and `record` (problem, task) is that itself, as the data layer's errors call it."""
    name = T[f"unit_record_{record}"]
    labels = {**fields, record: name}
    changed = T["unit_changed"].format(record=name)
    return Refusals(labels, ids.errors, ids.conflict, T["unit_refused"], changed, unchanged)


RECT_REFUSALS = _refusals(RECT_DIALOG, PROBLEM, "problem")
TASK_REFUSALS = _refusals(TASK_DIALOG, TASK, "task")
VOID_REFUSALS = _refusals(VOID_DIALOG, PROBLEM, "problem", unchanged=T["sup_conflict_none"])


def _may_log_visit(account: Any) -> bool:
    """Supervisors and admins log 督导检查 visits; others only read them."""
    return account.role in (Role.SUPERVISOR, Role.ADMIN)


def _may_edit(account: Any, unit_id: int) -> bool:
    """Supervisors and admins report any unit's rectification, unit staff their own unit's."""
    return account.role in EDITORS and may_read_unit(account, unit_id)


def _reportable(account: Account, problems: list[ProblemRow]) -> set[int]:
    """The problems whose rectification the account may report: any status it may give them
    (unit staff none on a problem the bureau has closed or found unfounded)."""
    return {row.id for row in problems if status_choices(account.role, row.status)}


class ReadRefused(Exception):
    """The record a dialog was asked to open is another unit's: the alert saying so."""

    def __init__(self, alert: Any) -> None:
        super().__init__()
        self.alert = alert


def _editable(
    session: Session, model: type[Problem | UnitTask], record_id: int, snapshot: Snapshot, key: str
) -> tuple[Any, dict[str, Any]]:
    """The problem or task a dialog opens on, and the dialog's meta (its id under `key`, its
    version and the values shown); ReadRefused when it is a unit the user may not read,
    PreventUpdate when one whose records they may not edit (no such button is drawn for them)."""
    account = current_account()
    record = session.get(model, record_id)
    if record is None:
        raise PreventUpdate
    if not may_read_unit(account, record.unit_id):
        raise ReadRefused(refused(account, model.__tablename__, record.id))
    if not _may_edit(account, record.unit_id):
        raise PreventUpdate
    return record, {key: record.id, "version": record.version, "seen": snapshot(record)}


def _refused_dialog(refusal: ReadRefused, fields: int) -> tuple[Any, ...]:
    """A dialog opened on a refused read: none of the record's values, the refusal where the
    form's messages go."""
    return (True, {}, T["access_refused_title"], *([None] * fields), refusal.alert)


def grid_opener(
    ids: ModalIds, grid_id: str, *fields: Output, form: bool = True, again: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Like callbacks.forms.dialog_opener, for the buttons of a grid (layouts/grid.py BUTTON
    columns): `(press) -> (True, meta, title, *fields[, None])` runs on the grid's
    cellRendererData. `again`: a second grid opening the same dialog (its outputs written by
    two callbacks; each grid needs its own, as an Input absent from the page stops a callback)."""
    outputs = [
        Output(ids.modal, "is_open"),
        Output(ids.meta, "data"),
        Output(ids.title, "children"),
    ]
    outputs += fields
    if again:
        outputs = [
            Output(o.component_id, o.component_property, allow_duplicate=True) for o in outputs
        ]
    message = [Output(ids.message, "children", allow_duplicate=True)] if form else []
    return callback(
        *outputs, *message, Input(grid_id, "cellRendererData"), prevent_initial_call=True
    )


def pressed_row(press: Any, column: str) -> int:
    """The problem id of a press of a grid's `column` button (the grid's cellRendererData:
    {"colId": column, "value": id, …}); PreventUpdate for another column's button, or for
    anything that names no record (a forged request)."""
    press = params.mapping(press)
    if press.get("colId") != column:
        raise PreventUpdate
    problem_id = params.record_id(press.get("value"))
    if problem_id is None:
        raise PreventUpdate
    return problem_id


def _version(meta: dict[str, Any], key: str) -> tuple[int, Any, Any]:
    """The id (under `key`), version and values seen of the record a dialog was opened on (a
    dialog's meta comes back from the browser: an id that is not one names no record)."""
    meta = params.mapping(meta)
    record = params.meta_id(meta.get(key)) or params.NO_RECORD
    return record, meta.get("version"), meta.get("seen")


# ---- 填报整改情况 ----------------------------------------------------------------------------

RECT_FIELDS = (
    Rect.STATUS,
    Rect.MEASURES,
    Rect.OWNER,
    Rect.COMPLETED,
    Rect.EVIDENCE,
    Rect.PUBLISHED,
    Rect.REPORTED,
)
RECT_SEEN = ("status", "measures", "owner", "completed_on", "evidence", "published", "reported")


@grid_opener(
    RECT_DIALOG,
    Ids.PROBLEM_GRID,
    Output(Rect.STATUS, "options"),
    *(Output(field, "value") for field in RECT_FIELDS),
)
def open_rectification(press: Any) -> tuple[Any, ...]:
    """Open the form for the problem whose 填报 button was pressed, as it is now, offering the
    statuses the user may give it (the server's own rule); a problem whose rectification the
    user may no longer report (closed since the page was drawn) opens saying why."""
    problem_id = pressed_row(press, RECT_COLUMN)
    with get_db().read() as session:
        try:
            problem, meta = _editable(session, Problem, problem_id, problem_snapshot, "problem_id")
        except ReadRefused as refusal:
            opened, meta, title, *values = _refused_dialog(refusal, len(RECT_FIELDS))
            return (opened, meta, title, [], *values)  # no statuses offered
        title = T["unit_rect_title_of"].format(desc=problem.description[:40])
        choices = status_choices(current_account().role, problem.status)
    message = None if choices else denied_alert(BUREAU_ONLY, RECT_DIALOG.errors)
    values = (meta["seen"][name] for name in RECT_SEEN)
    return (True, meta, title, status_options(choices), *values, message)


@dialog_saver(RECT_DIALOG, Ids.STATE, *(State(field, "value") for field in RECT_FIELDS))
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
    if not params.clicked(clicks):
        raise PreventUpdate
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
    problem_id, version, seen = _version(meta or {}, "problem_id")

    def write(session: Session, account: Account) -> None:
        form = validate(RectificationForm, raw)
        update_rectification(
            session, problem_id, form, account.role, account.unit_id, today(), version, seen
        )

    outcome = answered_save(EDITORS, RECT_REFUSALS, write, what=T["unit_rect_what"])
    return dialog_saved(outcome, state, saved=clicks)


# ---- 问题详情：记录、历史、查看投诉人 ------------------------------------------------------------


DETAIL_BODY = Output(Act.DETAIL_BODY, "children")


@grid_opener(DETAIL_DIALOG, Ids.PROBLEM_GRID, DETAIL_BODY, form=False)
def open_detail(press: Any) -> tuple[Any, ...]:
    """A problem's record and its history, from its 详情 button in the problems' grid."""
    return problem_detail_dialog(pressed_row(press, DETAIL_COLUMN))


@grid_opener(DETAIL_DIALOG, Ids.VOIDED_GRID, DETAIL_BODY, form=False, again=True)
def open_voided_detail(press: Any) -> tuple[Any, ...]:
    """A voided problem's record and its history, from its 详情 button in the voided ones' grid."""
    return problem_detail_dialog(pressed_row(press, DETAIL_COLUMN))


def problem_detail_dialog(problem_id: int) -> tuple[Any, ...]:
    """A problem's record and its history; complainant masked for every role, admins included.
    Another unit's problem (asked for by a forged request) opens on the words refusing it."""
    account = current_account()
    with get_db().read() as session:
        record = problem_record(session, problem_id)
        allowed = record is not None and may_read_unit(account, record.unit_id)
        history = problem_history(session, problem_id) if allowed else []
    if record is None or not allowed:
        return True, {}, T["access_refused_title"], refused(account, "problem", problem_id)
    title = T["detail_title"].format(desc=record.description[:40])
    body = problem_detail(record, history, account.may_reveal())
    return True, {"problem_id": problem_id}, title, body


@callback(
    Output(Act.REVEAL_VALUE, "children"),
    Input(Act.REVEAL, "n_clicks"),
    State(DETAIL_DIALOG.meta, "data"),
    prevent_initial_call=True,
)
def reveal(clicks: int | None, meta: dict | None) -> str:
    """Admins only: the complainant of the problem shown, recorded in the history first;
    anyone else is told so there (the button is drawn for admins only).

    The value goes to this output and nowhere else: no Store, no URL, no log line.
    """
    if not params.clicked(clicks):
        raise PreventUpdate
    account = current_account()
    problem_id = params.record_id(params.mapping(meta).get("problem_id")) or params.NO_RECORD
    if not account.may_reveal():
        reason = T["reveal_denied"].format(role=account.role_name)
        return refused_write(account, reason, T["reveal_button"], ("problem", problem_id))
    with get_db().write(account.username, account.id) as session:
        complainant = reveal_complainant(session, problem_id)
    if complainant is None:
        return T["reveal_none"]
    return " ".join(x for x in (complainant.name, complainant.phone) if x)


# ---- 作废 ---------------------------------------------------------------------------------


@grid_opener(VOID_DIALOG, Ids.PROBLEM_GRID, Output(Act.VOID_REASON, "value"))
def open_void(press: Any) -> tuple[Any, ...]:
    """The void form for the problem whose 作废 button was pressed."""
    problem_id = pressed_row(press, VOID_COLUMN)
    if current_account().role not in VOIDERS:
        raise PreventUpdate
    with get_db().read() as session:
        problem = session.get(Problem, problem_id)
        if problem is None or problem.voided_at is not None:
            raise PreventUpdate
        meta = {"problem_id": problem.id, "version": problem.version}
        title = T["void_title"].format(desc=problem.description[:40])
    return True, meta, title, None, None


@dialog_saver(VOID_DIALOG, Ids.STATE, State(Act.VOID_REASON, "value"))
def save_void(
    clicks: int | None, meta: dict | None, reason: str | None, state: dict | None
) -> tuple[Any, ...]:
    """Supervisors and admins void a problem with a reason (checked here, on the server)."""
    if not params.clicked(clicks):
        raise PreventUpdate
    problem_id, version, _seen = _version(meta or {}, "problem_id")

    def write(session: Session, _account: Account) -> None:
        void_problem(session, problem_id, params.string(reason), dt.datetime.now(), version)

    outcome = answered_save(VOIDERS, VOID_REFUSALS, write, what=T["void_what"])
    return dialog_saved(outcome, state, voided=clicks)


# ---- 阶段任务 ------------------------------------------------------------------------------


@dialog_opener(
    TASK_DIALOG,
    Act.task_button(),
    Output(Act.TASK_COMPLETED, "value"),
    Output(Act.TASK_EVIDENCE, "value"),
)
def open_task(clicks: list[int | None]) -> tuple[Any, ...]:
    """The form for the task whose button was pressed, as it is now (today when not done)."""
    with get_db().read() as session:
        task_id = pressed(clicks, "task")
        try:
            task, meta = _editable(session, UnitTask, task_id, task_snapshot, "task_id")
        except ReadRefused as refusal:
            return _refused_dialog(refusal, 2)  # completed, evidence
        template = session.get(TaskTemplate, task.template_id)
    seen = meta["seen"]
    completed = seen["completed_on"] or today().isoformat()
    # #18: a task that follows the archive checklist says so (and where to go) at once.
    message = (
        derived_task_alert(
            derived_refusal(template.derived_from), task.unit_id, TASK_DIALOG.errors, "info"
        )
        if template.derived_from is not None
        else None
    )
    title = T["task_title"].format(name=template.name)
    return True, meta, title, completed, seen["evidence"], message


@dialog_saver(
    TASK_DIALOG,
    Ids.STATE,
    State(Act.TASK_COMPLETED, "value"),
    State(Act.TASK_EVIDENCE, "value"),
)
def save_task(
    clicks: int | None,
    meta: dict | None,
    completed_on: str | None,
    evidence: str | None,
    state: dict | None,
) -> tuple[Any, ...]:
    """Unit staff mark their own unit's tasks done, supervisors and admins any (checked here)."""
    if not params.clicked(clicks):
        raise PreventUpdate
    raw = {"completed_on": clean_text(completed_on), "evidence": clean_text(evidence)}
    task_id, version, seen = _version(meta or {}, "task_id")
    derived: dict[str, Any] = {}

    def write(session: Session, account: Account) -> None:
        task = session.get(UnitTask, task_id)
        if task is not None and task.template.derived_from and _may_edit(account, task.unit_id):
            derived.update(unit=task.unit_id, words=derived_refusal(task.template.derived_from))
        form = validate(TaskForm, raw)
        complete_task(session, task_id, form, account.role, account.unit_id, today(), version, seen)

    outcome = answered_save(EDITORS, TASK_REFUSALS, write, what=T["task_what"])
    if derived and not outcome.saved:  # #18: refused in words, with the way to the checklist
        alert = derived_task_alert(derived["words"], derived["unit"], TASK_DIALOG.errors, "danger")
        outcome = replace(outcome, alert=alert)
    return dialog_saved(outcome, state, task_saved=clicks)
