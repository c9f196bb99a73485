"""The notice-template panel's callbacks (layouts/notices.py, on /admin/chase): say which
template each kind uses, keep an uploaded replacement, go back to the built-in one. Every change
is authorised here on the server (data/notices.py refuses all but the admin); a refusal or a bad
file is said in the panel, and a refusal is recorded as a denial."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate

from callbacks.access import refused_write
from callbacks.attachments import decode
from dashboard.auth import current_account
from dashboard.context import get_db
from dashboard.ids import Notices as Ids
from dashboard.text import T
from data.notices import (
    KINDS,
    NoticeError,
    NoticeRefused,
    remove_notice_template,
    save_notice_template,
    template_status,
)
from data.reference import Role
from layouts.notices import template_status as status_words


def _alert(text: str, color: str = "danger") -> html.Div:
    return html.Div(text, className=f"alert alert-{color} py-1 px-2 small mb-0 notices-tpl-alert")


@callback(
    Output(Ids.template("status"), "children"),
    Output(Ids.template("remove"), "disabled"),
    Output(Ids.template("message"), "children"),
    # The chosen file is emptied once handled, so a later 恢复内置模板 does not send it again.
    Output(Ids.template("upload"), "contents"),
    Input(Ids.template("refresh"), "data"),
    Input(Ids.template("upload"), "contents"),
    Input(Ids.template("remove"), "n_clicks"),
    State(Ids.template("upload"), "filename"),
)
def notice_template_update(
    _refresh: Any, contents: Any, _remove: Any, filename: Any
) -> tuple[Any, Any, Any, Any]:
    """Show a kind's template in use; first keep an uploaded one or remove it when asked."""
    account = current_account()
    kind = (ctx.outputs_list[0]["id"] or {}).get("kind")
    if kind not in KINDS:
        raise PreventUpdate
    trigger = ctx.triggered_id if isinstance(ctx.triggered_id, dict) else {}
    part = str(trigger.get("type", "")).removeprefix("notices-tpl-")
    message: Any = None
    emptied: Any = no_update
    db = get_db()
    if part == "upload" and contents:
        emptied = None
        data = decode(contents)
        if not data:
            message = _alert(T["notices_tpl_unreadable"])
        else:
            name = filename if isinstance(filename, str) else None
            try:
                with db.write(account.username, account.id) as session:
                    saved = save_notice_template(session, account, kind, name, data)
                message = _alert(T["notices_tpl_saved"].format(name=saved.filename), "success")
            except NoticeRefused as error:
                words = refused_write(account, str(error), "upload", ("notice_template", kind))
                message = _alert(words)
            except NoticeError as error:
                message = _alert(str(error))
    elif part == "remove" and ctx.triggered and ctx.triggered[0].get("value"):
        try:
            with db.write(account.username, account.id) as session:
                removed = remove_notice_template(session, account, kind)
            message = _alert(T["notices_tpl_removed"].format(name=removed), "success")
        except NoticeRefused as error:
            message = _alert(
                refused_write(account, str(error), "remove", ("notice_template", kind))
            )
        except NoticeError as error:
            message = _alert(str(error), "warning")
    if account.role != Role.ADMIN:
        return T["notices_template_refused"], True, message, emptied
    with db.read() as session:
        info = template_status(session)[kind]
    return status_words(info), info is None, message, emptied
