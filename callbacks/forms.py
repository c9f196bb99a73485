"""The server side of the shared form machinery (layouts/forms.py): read a form's fields, answer
a refused save at each field and above the button, say why a role may not write, and record it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dash_bootstrap_components as dbc
from dash import ctx, html
from flask import has_request_context, request
from sqlalchemy.orm import Session

from dashboard.auth import Account, current_account
from dashboard.context import get_db
from data.edits import ConflictError
from data.forms import FormError
from data.history import record
from data.reference import ROLE_NAMES

log = logging.getLogger(__name__)

EMPTY = "空"


def form_values(values: Sequence[Any], ids: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The values of a form's fields by name (from `State(ids.fields(), "value"/"id")`)."""
    return {str(i.get("field")): v for i, v in zip(ids, values, strict=False)}


def feedback_names(position: int = 1) -> list[str]:
    """The field names of the message slots of output `position` of the running callback."""
    outputs = ctx.outputs_list[position]
    return [str(o["id"]["field"]) for o in outputs]


def field_messages(errors: Mapping[str, str], names: Sequence[str]) -> list[str | None]:
    """Each slot's message (None where its field is fine)."""
    return [errors.get(name) for name in names]


def label_of(path: str, labels: Mapping[str, str]) -> str:
    """A field path in words (`mobilize.starts_on` → 动员部署·开始日期 when both are known)."""
    if path in labels:
        return labels[path]
    head, _, rest = path.partition(".")
    if head in labels and rest:
        return f"{labels[head]}·{labels.get(rest, rest)}"
    return labels.get(head, path)


def refusal_alert(errors: Mapping[str, str], labels: Mapping[str, str], alert_id: str) -> Any:
    """Every reason a save was refused, each naming its field."""
    items = [html.Li(f"{label_of(k, labels)}：{v}" if k else v) for k, v in errors.items()]
    return dbc.Alert(
        [html.Div("未保存，请修改以下内容后再保存："), html.Ul(items, className="mb-0")],
        color="danger",
        id=alert_id,
        className="py-2",
    )


def conflict_alert(exc: ConflictError, labels: Mapping[str, str], alert_id: str) -> Any:
    """What someone else changed since the form was opened (nothing was saved)."""
    items = [
        html.Li(
            f"{label_of(k, labels)}：您打开时为“{EMPTY if a in (None, '') else a}”，"
            f"现在为“{EMPTY if b in (None, '') else b}”"
        )
        for k, (a, b) in exc.changes.items()
    ]
    return dbc.Alert(
        [
            html.Div("未保存：您打开后，他人已修改了这些内容。请刷新页面查看最新内容后再修改。"),
            html.Ul(items, className="mb-0"),
        ],
        color="warning",
        id=alert_id,
        className="py-2",
    )


def denied_alert(reason: str, alert_id: str) -> Any:
    """A refusal shown where the user is looking (never a silent 403)."""
    return dbc.Alert(reason, color="danger", id=alert_id, className="py-2")


def record_denial(account: Account, reason: str, what: str) -> None:
    """Log and record a refused write (who, which action), without ending the request."""
    path = request.path if has_request_context() else ""
    log.warning("denied: %s (%s) %s: %s", account.username, account.role, what, reason)
    with get_db().write(account.username, account.id) as session:
        record(
            session,
            "denied",
            "access",
            [(None, None, {"path": path, "action": what, "role": account.role})],
            note=reason,
        )


@dataclass
class Outcome:
    """What a form's save came to: the message above the button, each field's message, and
    the write's result (None when nothing was written)."""

    alert: Any
    messages: list[str | None]
    result: Any = None

    @property
    def saved(self) -> bool:
        return self.alert is None


def save_form(
    *,
    roles: Sequence[str],
    what: str,
    labels: Mapping[str, str],
    alert_id: str,
    names: Sequence[str],
    write: Callable[[Session], Any],
) -> Outcome:
    """Check the role on the server, run `write` in one transaction as the signed-in user, and
    turn every refusal into words at the field and above the button (nothing written then)."""
    account = current_account()
    blank: list[str | None] = [None] * len(names)
    if account.role not in roles:
        allowed = "、".join(ROLE_NAMES[r] for r in roles)
        reason = f"只有{allowed}可以{what}（您的角色：{account.role_name}），未保存。"
        record_denial(account, reason, what)
        return Outcome(denied_alert(reason, alert_id), blank)
    try:
        with get_db().write(account.username, account.id) as session:
            result = write(session)
    except FormError as exc:
        return Outcome(
            refusal_alert(exc.errors, labels, alert_id), field_messages(exc.errors, names)
        )
    except ConflictError as exc:
        return Outcome(conflict_alert(exc, labels, alert_id), blank)
    return Outcome(None, blank, result)
