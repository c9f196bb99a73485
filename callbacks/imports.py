"""数据导入 callbacks: the form for admins, a preview of an uploaded file (kept in the database,
only a random token in the browser), and the confirmed import — each checked for the admin role
on the server, anyone else told so where the preview or the result would be."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from dash import Input, Output, State, callback, clientside_callback, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import select

from callbacks.access import refused_write
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import get_db, today
from dashboard.ids import Imports as Ids
from dashboard.text import T
from dashboard.view import resolve_view
from data import uploads
from data.figures import campaign_years
from data.import_files import ImportFailed
from data.import_plan import ImportResult
from data.imports import NEEDS_CAMPAIGN, run_import
from data.models import Unit
from data.reference import Role
from layouts.common import empty_state
from layouts.imports import (
    admin_only,
    done_view,
    export_card,
    failed_view,
    import_form,
    needs_campaign,
    ok_view,
)

MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_NAME = "upload"  # the name of a file sent without one


def _token(stored: Any) -> Any:
    """The token in the browser's Store (whatever a forged request put there)."""
    return stored.get("token") if isinstance(stored, dict) else None


def save_upload(data: bytes, filename: str, account: Account) -> dict[str, str]:
    """Keep an uploaded file in the database, where any app server can confirm it (previews
    older than a day are forgotten); the browser gets only its random token."""
    with get_db().write(account.username, account.id) as session:
        token = uploads.save_upload(session, account.id, filename, data)
    return {"token": token, "filename": filename}


def load_upload(stored: Any, account: Account) -> tuple[bytes, str] | None:
    """The file and name behind a token, if it exists and was uploaded by this user."""
    with get_db().read() as session:
        return uploads.load_upload(session, _token(stored), account.id)


def drop_upload(stored: Any, account: Account) -> None:
    """Forget an uploaded file of this user (once imported, or replaced by a new upload)."""
    token = _token(stored)
    if isinstance(token, str) and uploads.TOKEN.match(token):
        with get_db().write(account.username, account.id) as session:
            uploads.drop_upload(session, token, account.id)


def decode_upload(contents: Any) -> bytes:
    """The bytes of a dcc.Upload data URL (`data:…;base64,…`); empty for anything else."""
    if not isinstance(contents, str) or not contents.startswith("data:"):
        return b""
    try:
        return base64.b64decode(contents.split(",", 1)[-1], validate=False)
    except (binascii.Error, ValueError):
        return b""


def _size(n: int) -> str:
    """A byte count as `12.3 MB`."""
    return f"{n / 1024 / 1024:.1f} MB"


def refusal(account: Account) -> html.Div | None:
    """The words refusing the import to anyone but an admin (recorded), None for an admin (the
    form is drawn for admins only: a stale page or a forged request)."""
    if account.role == Role.ADMIN:
        return None
    words = refused_write(account, T["import_admin_only"], T["import_what"])
    return html.Div(words, className="alert alert-danger")


def _unit_names() -> dict[int, str]:
    """Unit id → name, to describe a change of 责任单位."""
    with get_db().read() as session:
        return dict(session.execute(select(Unit.id, Unit.name)).all())


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_import(search: str | None) -> Any:
    """The upload form for admins, a notice for everyone else; the exports for all."""
    account = current_account()
    with get_db().read() as session:
        years = campaign_years(session)
        view = resolve_view(session, search, today())
    exports = (
        export_card(params.search(search), account.may_reveal())
        if view is not None
        else empty_state(T["export_no_campaign"])
    )
    if account.role != Role.ADMIN:
        return html.Div([admin_only(), exports])
    return html.Div([import_form(years, view.year if view else None), exports])


def preview(kind: str, year: int | None, data: bytes, filename: str) -> tuple[Any, bool]:
    """The preview of a file as it would be imported: (components, whether it may be confirmed)."""
    if needs_campaign(kind) and year is None:
        return html.Div(T["import_pick_campaign"], className="alert alert-warning"), False
    with get_db().read() as session:
        try:
            result = run_import(session, kind, data, filename, year, dry_run=True)
        except ImportFailed as error:
            return failed_view(error), False
    return ok_view(result, _unit_names()), bool(result.created or result.updated)


@callback(
    Output(Ids.TOKEN, "data"),
    Output(Ids.PREVIEW, "children"),
    Output(Ids.CONFIRM, "disabled"),
    Output(Ids.UPLOAD, "contents"),
    Output(Ids.RESULT, "children"),
    Input(Ids.UPLOAD, "contents"),
    Input(Ids.KIND, "value"),
    Input(Ids.CAMPAIGN, "value"),
    State(Ids.UPLOAD, "filename"),
    State(Ids.TOKEN, "data"),
    prevent_initial_call=True,
)
def preview_upload(
    contents: str | None,
    kind: str,
    year: int | None,
    filename: str | None,
    stored: dict[str, Any] | None,
) -> tuple[Any, ...]:
    """Keep a new upload on the server and preview it (again when the kind or year changes)."""
    account = current_account()
    refused = refusal(account)
    if refused is not None:
        return None, refused, True, None, None
    kind, year = params.text(kind) or "", params.year(year)
    if contents:
        data = decode_upload(contents)
        if not data:  # not a file's data URL, or an empty file: nothing is kept
            alert = html.Div(T["import_unreadable"], className="alert alert-danger")
            return None, alert, True, None, None
        if len(data) > MAX_UPLOAD:
            message = T["import_too_large"].format(size=_size(len(data)))
            alert = html.Div(message, className="alert alert-danger", id="import-too-large")
            return None, alert, True, None, None
        drop_upload(stored, account)
        name = params.text(filename, params.MAX_TEXT * 5) or UPLOAD_NAME
        stored = save_upload(data, name, account)
    elif not stored:
        raise PreventUpdate
    loaded = load_upload(stored, account)
    if loaded is None:
        return (
            None,
            html.Div(T["import_expired"], className="alert alert-warning"),
            True,
            None,
            None,
        )
    body, may_confirm = preview(kind, year, *loaded)
    return stored, body, not may_confirm, None, None


@callback(
    Output(Ids.RESULT, "children", allow_duplicate=True),
    Output(Ids.TOKEN, "data", allow_duplicate=True),
    Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
    Output(Ids.PREVIEW, "children", allow_duplicate=True),
    Input(Ids.CONFIRM, "n_clicks"),
    State(Ids.TOKEN, "data"),
    State(Ids.KIND, "value"),
    State(Ids.CAMPAIGN, "value"),
    prevent_initial_call=True,
)
def confirm_import(
    n_clicks: int | None, stored: dict[str, Any] | None, kind: str, year: int | None
) -> tuple[Any, ...]:
    """Write the previewed file (all or nothing), as the signed-in admin."""
    if not params.clicked(n_clicks):
        raise PreventUpdate
    account = current_account()
    refused = refusal(account)
    if refused is not None:
        return refused, no_update, True, None
    loaded = load_upload(stored, account)
    if loaded is None:
        return html.Div(T["import_expired"], className="alert alert-warning"), None, True, None
    data, filename = loaded
    kind, year = params.text(kind) or "", params.year(year)
    try:
        with get_db().write(account.username, account.id) as session:
            result: ImportResult = run_import(session, kind, data, filename, year)
    except ImportFailed as error:
        return failed_view(error), no_update, True, None
    drop_upload(stored, account)
    return done_view(result, _unit_names()), None, True, None


clientside_callback(
    f"""function(contents) {{
        return contents && contents.length > {MAX_UPLOAD * 4 // 3 + 1024}
            ? {json.dumps(T["import_too_large_client"])} : "";
    }}""",
    Output(Ids.SIZE_WARNING, "children"),
    Input(Ids.UPLOAD, "contents"),
)


clientside_callback(
    f"""function(kind) {{ return !{json.dumps(list(NEEDS_CAMPAIGN))}.includes(kind); }}""",
    Output(Ids.CAMPAIGN, "disabled"),
    Input(Ids.KIND, "value"),
)
