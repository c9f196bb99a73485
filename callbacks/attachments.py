"""The attachment panel's callbacks (layouts/attachments.py): fill the list when a panel is
shown, save an uploaded file, remove one. Every upload and removal is authorised here on the
server (data/attachments.py checks the role and the unit); a refusal is said in the panel and
recorded as a denial."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, callback, clientside_callback, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import select

from dashboard import params
from dashboard.auth import Account, current_account, log_denial
from dashboard.context import get_db
from dashboard.ids import DETAIL_DIALOG, RECT_DIALOG, TASK_DIALOG, Inspections
from dashboard.text import T, fmt_date
from data.attachments import (
    MAX_BYTES,
    STAGES,
    AttachmentError,
    AttachmentNotFound,
    AttachmentRefused,
    AttachmentRow,
    attachments_of,
    may_read,
    may_write,
    owner_record,
    remove_attachment,
    save_attachment,
)
from data.labels import INSPECTION_MODE_NAMES
from data.models import Inspection, Unit
from layouts.attachments import (
    DETAIL_SLOT,
    FILE,
    INSPECTION_SLOT,
    LIST,
    MESSAGE,
    RECT_SLOT,
    REFRESH,
    REMOVE,
    TASK_SLOT,
    UPLOAD,
    attachment_panel,
    file_list,
)


def _id(kind: str) -> dict[str, Any]:
    return {"type": kind, "owner": MATCH, "oid": MATCH, "stage": MATCH, "place": MATCH}


def _alert(text: str, color: str = "danger") -> html.Div:
    return html.Div(text, className=f"alert alert-{color} py-1 px-2 small mb-1 att-alert")


def decode(contents: Any) -> bytes | None:
    """The bytes of a `data:…;base64,…` URL (None if it is not one)."""
    if not isinstance(contents, str) or "," not in contents:
        return None
    header, _, body = contents.partition(",")
    if not header.startswith("data:") or ";base64" not in header:
        return None
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None


# The browser checks the size first: a file over the limit never reaches the server (a Dash
# upload is base64 in one request, and the server takes at most 20 MB per request).
clientside_callback(
    f"""function(contents, filename) {{
        var no = window.dash_clientside.no_update;
        if (!contents) {{ return [no, no]; }}
        var limit = {MAX_BYTES};
        var size = Math.floor((contents.length - contents.indexOf(",") - 1) * 3 / 4);
        if (size > limit) {{
            var mb = function(n) {{ return (n / 1048576).toFixed(1) + " MB"; }};
            var words = {json.dumps(T["att_too_large_client"])}
                .replace("{{name}}", filename || "")
                .replace("{{size}}", mb(size)).replace("{{limit}}", mb(limit));
            return [no, {{props: {{children: words,
                className: "alert alert-danger py-1 px-2 small mb-1 att-alert"}},
                type: "Div", namespace: "dash_html_components"}}];
        }}
        return [{{name: filename, contents: contents, at: Date.now()}}, ""];
    }}""",
    Output(_id(FILE), "data"),
    Output(_id(MESSAGE), "children", allow_duplicate=True),
    Input(_id(UPLOAD), "contents"),
    Input(_id(UPLOAD), "filename"),
    prevent_initial_call=True,
)


def _record(value: Any) -> int:
    """A record's id from the browser (ValueError for anything that cannot be one)."""
    parsed = params.record_id(value)
    if parsed is None:
        raise ValueError(value)
    return parsed


def _key() -> tuple[str, int, str | None, str]:
    """The panel's record and place: (owner, owner id, stage, place) from its list's id."""
    outputs = ctx.outputs_list[0]["id"]
    try:  # the ids come back from the browser: anything but a record's id names none
        return (
            str(outputs["owner"]),
            _record(outputs["oid"]),
            str(outputs["stage"]) or None,
            str(outputs.get("place", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PreventUpdate from error


def _refuse(account: Account, error: AttachmentError, what: str, target: Any) -> html.Div:
    if isinstance(error, AttachmentRefused):
        log_denial(account, str(error), action=what, target=target)
    return _alert(str(error))


@callback(
    Output(_id(LIST), "children"),
    Output(_id(MESSAGE), "children"),
    # The chosen file is emptied once handled: later callbacks of the panel (a 移除) would
    # otherwise send its bytes to the server again.
    Output(_id(FILE), "data", allow_duplicate=True),
    Input(_id(REFRESH), "data"),
    Input(_id(FILE), "data"),
    Input(_id(REMOVE) | {"aid": ALL}, "n_clicks"),
    prevent_initial_call="initial_duplicate",
)
def attachment_panel_update(_refresh: Any, chosen: Any, _removes: Any) -> tuple[Any, Any, Any]:
    """Show a panel's files; first save a chosen file or remove one when that is what happened."""
    account = current_account()
    owner, owner_id, stage, place = _key()
    trigger = ctx.triggered_id
    message: Any = None
    emptied: Any = no_update
    db = get_db()
    if isinstance(trigger, dict) and trigger.get("type") == REMOVE:
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            raise PreventUpdate  # the list was drawn again: its buttons are new, not pressed
        try:
            attachment_id = _record(trigger["aid"])
        except (KeyError, TypeError, ValueError) as error:
            raise PreventUpdate from error
        try:
            with db.write(account.username, account.id) as session:
                row = remove_attachment(session, account, attachment_id)
            message = _alert(T["att_removed"].format(name=row.filename), "success")
        except AttachmentError as error:
            message = _refuse(account, error, "remove", ("attachment", attachment_id))
    elif isinstance(trigger, dict) and trigger.get("type") == FILE:
        if not isinstance(chosen, dict):
            raise PreventUpdate
        emptied = None
        data = decode(chosen.get("contents"))
        if not data:
            message = _alert(T["att_unreadable"])
        else:
            name = chosen.get("name") if isinstance(chosen.get("name"), str) else None
            try:
                with db.write(account.username, account.id) as session:
                    saved = save_attachment(session, account, owner, owner_id, name, data, stage)
                    saved_name = saved.filename
                message = _alert(T["att_saved"].format(name=saved_name), "success")
            except AttachmentError as error:
                message = _refuse(account, error, "upload", (owner, owner_id))
    return _list(account, owner, owner_id, stage, place), message, emptied


def _list(account: Account, owner: str, owner_id: int, stage: str | None, place: str) -> Any:
    """The panel's list as the account may see it (or the refusal, in words)."""
    rows: list[AttachmentRow]
    try:
        with get_db().read() as session:
            target = owner_record(session, owner, owner_id)
            rows = attachments_of(session, account, owner, owner_id, stage=stage)
    except AttachmentNotFound as error:
        return _alert(str(error), "warning")
    except AttachmentRefused as error:
        log_denial(account, str(error), action="read", target=(owner, owner_id))
        return _alert(str(error))
    return file_list(
        rows,
        may_remove=may_write(account, target),
        owner=owner,
        owner_id=owner_id,
        stage=stage,
        place=place,
    )


# ---- where the panels are shown ------------------------------------------------------------


def _panels(
    owner: str,
    owner_id: Any,
    stages: tuple[str | None, ...],
    place: str,
    heading: str | None = None,
) -> Any:
    """A record's panels for the signed-in account: nothing when it names no record, words when
    the account may not see its files (a covert inspection's, another unit's)."""
    record_id = params.record_id(owner_id)
    if record_id is None:
        return None
    account = current_account()
    try:
        with get_db().read() as session:
            target = owner_record(session, owner, record_id)
    except AttachmentNotFound:
        return None
    if not may_read(account, target.unit_id, target.covert):
        words = T["att_covert_only"] if target.covert else T["access_read_denied"]
        return html.Div(words, className="small text-muted att-hidden")
    can_upload = may_write(account, target)
    title = {"visit": T["att_visit"], "inspection": T["att_inspection"], "task": T["att_evidence"]}
    panels = [
        attachment_panel(
            owner,
            record_id,
            can_upload=can_upload,
            stage=stage,
            title=None if stage else heading or title.get(owner),
            place=place,
        )
        for stage in stages
    ]
    if len(panels) == 1:
        return panels[0]
    return dbc.Row([dbc.Col(panel, xs=12, md=6) for panel in panels], className="g-2")


def _meta_id(meta: Any, key: str) -> Any:
    return meta.get(key) if isinstance(meta, dict) else None


@callback(Output(TASK_SLOT, "children"), Input(TASK_DIALOG.meta, "data"))
def task_attachments(meta: Any) -> Any:
    """The task dialog's evidence files (the task its opener put in the dialog's meta)."""
    return _panels("task", _meta_id(meta, "task_id"), (None,), "task")


@callback(Output(RECT_SLOT, "children"), Input(RECT_DIALOG.meta, "data"))
def rectification_attachments(meta: Any) -> Any:
    """The rectification dialog's 整改前 and 整改后 photos."""
    return _panels("problem", _meta_id(meta, "problem_id"), STAGES, "rect")


@callback(Output(DETAIL_SLOT, "children"), Input(DETAIL_DIALOG.meta, "data"))
def detail_attachments(meta: Any) -> Any:
    """A problem's record (详情) shows its 整改前 and 整改后 photos (to read, for leaders too)."""
    return _panels("problem", _meta_id(meta, "problem_id"), STAGES, "detail")


@callback(
    Output(INSPECTION_SLOT, "children"),
    Input(Inspections.GRID, "cellClicked"),
    prevent_initial_call=True,
)
def inspection_attachments(cell: Any) -> Any:
    """The files of the inspection whose row was clicked."""
    inspection_id = params.record_id(cell.get("rowId") if isinstance(cell, dict) else None)
    if inspection_id is None:
        return None
    with get_db().read() as session:
        found = session.execute(
            select(Inspection.inspected_on, Inspection.mode, Unit.name)
            .join(Unit, Unit.id == Inspection.unit_id)
            .where(Inspection.id == inspection_id)
        ).one_or_none()
    heading = (
        T["att_inspection_of"].format(
            date=fmt_date(found.inspected_on),
            unit=found.name,
            mode=INSPECTION_MODE_NAMES.get(found.mode, found.mode),
        )
        if found is not None
        else None
    )
    return _panels("inspection", inspection_id, (None,), "inspection", heading)
