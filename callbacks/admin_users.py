"""用户账号 callbacks: draw the page for admins; add, edit, disable, unlock, reset and the
one-step unit accounts — each checked for the admin role on the server and recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import Input, Output, State, callback, dcc, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.content import admin_content
from callbacks.forms import Action, Once, Write, redraw, register_form, save_form
from dashboard import params
from dashboard.auth import current_account
from dashboard.context import get_db, today
from dashboard.ids import AdminUsers as Ids
from dashboard.text import T
from data.catalog import unit_options, units_without_account
from data.forms import FormError
from data.labels import USER, pick
from data.models import Unit, User
from data.reference import ROLE_NAMES, Role
from data.users import (
    UserError,
    accounts_workbook,
    add_user,
    bulk_unit_accounts,
    end_sessions,
    list_users,
    one_time_password,
    reset_password,
    set_active,
    unlock,
    update_user,
)
from layouts.admin_users import ADD, BULK, EDIT, add_fields, bulk_result, users_page
from layouts.forms import labels_of

ADMIN = (Role.ADMIN,)
BULK_COLUMNS = 3  # user name, unit name, one-time password (data.users.bulk_unit_accounts)
ADD_LABELS = pick(USER, "username", "display_name", "role", "unit_id")
EDIT_LABELS = {**ADD_LABELS, "user": T["adm_users_account"]}


@admin_content(Ids.CONTENT, Ids.STATE, Ids.REFRESH, what=T["adm_users_what"])
def render_users(_search: str | None, refresh: dict | None) -> Any:
    """Every account and the forms, for admins."""
    with get_db().read() as session:
        users = list_users(session)
        units = unit_options(session)
        without = units_without_account(session)
    notices = params.mapping(params.mapping(refresh).get("notices"))
    if BULK.prefix in notices:  # the accounts just made, with their passwords, shown this once
        made = notices[BULK.prefix] if isinstance(notices[BULK.prefix], list) else []
        rows = [tuple(row) for row in made if isinstance(row, list) and len(row) == BULK_COLUMNS]
        notices[BULK.prefix] = bulk_result(rows)
    return users_page(users, units, without, notices)


def _int(value: Any) -> int | None:
    """A chosen record's id (None for anything that is not one)."""
    return params.record_id(value) if isinstance(value, int) else None


def _add(session: Session, raw: dict[str, Any], _meta: dict[str, Any]) -> tuple[str, str]:
    """Add an account with a one-time password; UserError becomes a message at its field."""
    username = str(raw.get("username") or "").strip()
    role = raw.get("role")
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = T["adm_users_required"]
    elif len(username) > 50:
        errors["username"] = T["adm_users_too_long"].format(n=50)
    if params.choice(role, ROLE_NAMES) is None:
        errors["role"] = T["adm_users_role_missing"]
    unit_id = _int(raw.get("unit_id"))
    unit_name = None
    if role == Role.UNIT:
        unit = session.get(Unit, unit_id) if unit_id is not None else None
        if unit is None:
            errors["unit_id"] = T["adm_users_unit_missing"]
        else:
            unit_name = unit.name
    if errors:
        raise FormError(errors)
    password = one_time_password()
    display = str(raw.get("display_name") or "").strip()[:50] or None
    try:
        add_user(session, username, password, str(role), unit_name, display, must_change=True)
    except UserError as exc:
        raise FormError({"username": str(exc)}) from None
    return username, password


def _added(result: tuple[str, str]) -> str:
    username, password = result
    return T["adm_users_added"].format(user=username, password=password)


def _added_again(session: Session, kept: dict[str, Any]) -> tuple[str, str]:
    """The same form posted again (a double click): the account the first post added, with a
    new one-time password — the browser shows the last answer, and no password is kept to
    show twice."""
    username = str(kept.get("username"))
    try:
        return username, reset_password(session, username)
    except UserError as exc:
        raise FormError({"username": str(exc)}) from None


add = register_form(
    ADD,
    Ids.REFRESH,
    labels_of(add_fields([])),
    {
        ADD.save: Action(
            T["adm_users_add"],
            _add,
            _added,
            once=Once("app_user", lambda result: {"username": result[0]}, _added_again),
        )
    },
)


def _chosen(session: Session, raw: dict[str, Any]) -> User:
    """The account chosen in the edit form (FormError at the chooser when none)."""
    user_id = _int(raw.get("user"))
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise FormError({"user": T["adm_users_choose_missing"]})
    return user


def _on_account(change: Callable[[Session, User, dict[str, Any]], str]) -> Write:
    """An edit-form action on the chosen account; a UserError becomes the chooser's message."""

    def write(session: Session, raw: dict[str, Any], _meta: dict[str, Any]) -> str:
        user = _chosen(session, raw)
        try:
            return change(session, user, raw)
        except UserError as exc:
            raise FormError({"user": str(exc)}) from None

    return write


def _update(session: Session, raw: dict[str, Any], meta: dict[str, Any]) -> str:
    """Change the chosen account at the version the form was filled at (fill_edit's meta)."""
    user = _chosen(session, raw)
    same = meta.get("user_id") == user.id
    update_user(
        session,
        user.id,
        role=str(raw.get("role") or user.role),
        unit_id=_int(raw.get("unit_id")),
        display_name=str(raw.get("display_name") or user.display_name),
        expected_version=meta.get("version") if same else None,
        seen=meta.get("seen") if same else None,
    )
    return T["adm_users_saved"].format(user=user.username)


def _disable(session: Session, user: User, _raw: dict[str, Any]) -> str:
    set_active(session, user.id, False)
    return T["adm_users_disabled_notice"].format(user=user.username)


def _enable(session: Session, user: User, _raw: dict[str, Any]) -> str:
    set_active(session, user.id, True)
    return T["adm_users_enabled_notice"].format(user=user.username)


def _unlock(session: Session, user: User, _raw: dict[str, Any]) -> str:
    unlock(session, user.id)
    return T["adm_users_unlocked_notice"].format(user=user.username)


def _reset(session: Session, user: User, _raw: dict[str, Any]) -> str:
    password = reset_password(session, user.id)
    return T["adm_users_reset_notice"].format(user=user.username, password=password)


def _end_sessions(session: Session, user: User, _raw: dict[str, Any]) -> str:
    end_sessions(session, user.id)
    return T["adm_users_logout_notice"].format(user=user.username)


# Each action's write returns its notice.
edit = register_form(
    EDIT,
    Ids.REFRESH,
    EDIT_LABELS,
    {
        EDIT.save: Action(T["adm_users_edit"], _update, str),
        EDIT.button("disable"): Action(T["adm_users_disable_what"], _on_account(_disable), str),
        EDIT.button("enable"): Action(T["adm_users_enable_what"], _on_account(_enable), str),
        EDIT.button("unlock"): Action(T["adm_users_unlock_what"], _on_account(_unlock), str),
        EDIT.button("reset"): Action(T["adm_users_reset"], _on_account(_reset), str),
        EDIT.button("logout"): Action(T["adm_users_logout_what"], _on_account(_end_sessions), str),
    },
)


@callback(
    Output(EDIT.fields(), "value"),
    Output(EDIT.meta, "data"),
    Input(EDIT.field("user"), "value"),
    State(EDIT.fields(), "id"),
    prevent_initial_call=True,
)
def fill_edit(user_id: Any, ids: list) -> tuple[list[Any], dict[str, Any]]:
    """The chosen account's name, role and unit in the edit form, and in its meta the version
    and values shown (a save over someone else's change is refused)."""
    user_id = _int(user_id)
    if user_id is None or current_account().role != Role.ADMIN:
        raise PreventUpdate
    with get_db().read() as session:
        user = session.get(User, user_id)
        if user is None:
            raise PreventUpdate
        values = {
            "user": user.id,
            "display_name": user.display_name,
            "role": user.role,
            "unit_id": user.unit_id,
        }
        seen = {name: values[name] for name in ("display_name", "role", "unit_id")}
        meta = {"user_id": user.id, "version": user.version, "seen": seen}
    return [values.get(i["field"]) for i in ids], meta


@callback(
    Output(BULK.message, "children"),
    Output(Ids.DOWNLOAD, "data"),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(BULK.save, "n_clicks"),
    prevent_initial_call=True,
)
def bulk(clicks: int | None) -> tuple[Any, ...]:
    """One account per unit without one; the passwords shown once and downloaded once."""
    if not params.clicked(clicks):
        raise PreventUpdate
    outcome = save_form(
        roles=ADMIN,
        what=T["adm_users_bulk_what"],
        labels={},
        alert_id=BULK.errors,
        names=[],
        write=bulk_unit_accounts,
    )
    if not outcome.saved:
        return outcome.alert, no_update, no_update
    rows = outcome.result
    download = (
        dcc.send_bytes(
            accounts_workbook(rows), T["adm_users_bulk_file"].format(date=f"{today():%Y%m%d}")
        )
        if rows
        else no_update
    )
    return None, download, redraw(BULK.prefix, [list(row) for row in rows])
