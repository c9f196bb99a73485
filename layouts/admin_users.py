"""/admin/users — 用户账号: every account, adding one, changing its role and unit, disabling,
unlocking, ending its sessions, one-time passwords, and one account per unit in one step."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import AdminUsers as Ids
from dashboard.ids import FormIds
from dashboard.text import MISSING, T
from data.form_tokens import with_token
from data.labels import UNIT, USER
from data.reference import ROLE_NAMES
from data.users import PASSWORD_RULE, UserRow
from layouts.common import empty_state, page_skeleton
from layouts.forms import Button, Field, form_buttons, form_card

TITLE = T["adm_users_title"]
PAGE = dict(path="/admin/users", name=TITLE, title=f"{TITLE} · {T['brand']}")

ADD = FormIds(Ids.ADD)
EDIT = FormIds(Ids.EDIT)
BULK = FormIds(Ids.BULK)
ROLE_OPTIONS = tuple(ROLE_NAMES.items())


def add_fields(units: list[tuple[int, str]]) -> list[Field]:
    """A new account: user name, name, role, unit (for unit staff)."""
    return [
        Field(
            "username",
            USER["username"],
            required=True,
            width=4,
            placeholder=T["adm_users_username_hint"],
        ),
        Field("display_name", USER["display_name"], width=4),
        Field("role", USER["role"], "select", options=ROLE_OPTIONS, required=True, width=4),
        Field(
            "unit_id",
            T["adm_users_unit_required"].format(label=USER["unit_id"]),
            "select",
            options=units,
            width=12,
            placeholder=T["adm_users_unit_hint"],
        ),
    ]


def edit_fields(users: list[UserRow], units: list[tuple[int, str]]) -> list[Field]:
    """Choose an account, then its name, role and unit."""
    options = [
        (u.id, T["adm_users_option"].format(user=u.username, name=u.display_name, role=u.role_name))
        for u in users
    ]
    return [
        Field("user", T["adm_users_choose"], "select", options=options, required=True, width=12),
        Field("display_name", USER["display_name"], width=4),
        Field("role", USER["role"], "select", options=ROLE_OPTIONS, width=3),
        Field(
            "unit_id",
            USER["unit_id"],
            "select",
            options=units,
            width=5,
            placeholder=T["adm_users_unit_hint"],
        ),
    ]


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for admins."""
    stores = [dcc.Store(id=Ids.REFRESH), dcc.Download(id=Ids.DOWNLOAD)]
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT, stores)


def status_badges(user: UserRow) -> list[Any]:
    """正常 / 已停用 / 已锁定 / 须修改密码."""
    badges = []
    if not user.active:
        badges.append(dbc.Badge(T["adm_users_disabled"], color="secondary", className="me-1"))
    if user.locked:
        badges.append(dbc.Badge(T["adm_users_locked"], color="danger", className="me-1"))
    if user.must_change_password:
        badges.append(dbc.Badge(T["adm_users_must_change"], color="warning", text_color="dark"))
    return badges or [html.Span(T["adm_users_normal"], className="small")]


def user_table(users: list[UserRow]) -> Any:
    """Every account."""
    if not users:
        return empty_state(T["adm_users_none"])
    header = html.Tr(
        [
            html.Th(USER["username"]),
            html.Th(USER["display_name"]),
            html.Th(USER["role"]),
            html.Th(USER["unit_id"]),
            html.Th(USER["active"]),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Td(u.username, className="text-nowrap"),
                html.Td(u.display_name, className="text-break"),
                html.Td(u.role_name, className="text-nowrap"),
                html.Td(u.unit_name or MISSING, className="text-break"),
                html.Td(status_badges(u)),
            ],
            className=None if u.active else "text-muted",
        )
        for u in users
    ]
    return html.Div(
        dbc.Table([html.Thead(header), html.Tbody(rows)], size="sm", hover=True, id=Ids.TABLE),
        className="table-responsive",
    )


def bulk_result(rows: list[tuple[str, str, str]]) -> Any:
    """The accounts made in one step, with their initial passwords — shown this once."""
    if not rows:
        return dbc.Alert(T["adm_users_bulk_none"], color="info")
    body = [
        html.Tr([html.Td(u), html.Td(n, className="text-break"), html.Td(html.Code(p))])
        for u, n, p in rows
    ]
    return dbc.Alert(
        [
            html.Div(T["adm_users_bulk_done"].format(n=len(rows)), className="mb-2"),
            html.Div(
                dbc.Table(
                    [
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(USER["username"]),
                                    html.Th(UNIT["name"]),
                                    html.Th(USER["initial_password"]),
                                ]
                            )
                        ),
                        html.Tbody(body),
                    ],
                    size="sm",
                    className="mb-0 bg-white",
                    id="adm-user-bulk-table",
                ),
                className="table-responsive",
            ),
        ],
        color="success",
        id="adm-user-bulk-done",
    )


def users_page(
    users: list[UserRow],
    units: list[tuple[int, str]],
    units_without: int,
    notices: dict[str, Any],
) -> html.Div:
    """The whole page for an admin."""
    add = form_card(
        ADD,
        T["adm_users_add"],
        add_fields(units),
        submit=T["adm_users_add_submit"],
        meta=with_token(),  # a double-clicked 添加 adds the account once
        notice=notices.get(ADD.prefix),
        intro=html.P(
            T["adm_users_add_intro"].format(rule=PASSWORD_RULE), className="small text-muted"
        ),
    )
    edit = form_card(
        EDIT,
        T["adm_users_edit"],
        edit_fields(users, units),
        notice=notices.get(EDIT.prefix),
        extra=[
            form_buttons(
                [
                    Button(EDIT.button("disable"), T["adm_users_disable"]),
                    Button(EDIT.button("enable"), T["adm_users_enable"]),
                    Button(EDIT.button("unlock"), T["adm_users_unlock"]),
                    Button(EDIT.button("logout"), T["adm_users_logout"]),
                    Button(EDIT.button("reset"), T["adm_users_reset"], "outline-danger"),
                ]
            )
        ],
    )
    bulk = dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["adm_users_bulk"])),
            dbc.CardBody(
                [
                    html.P(
                        T["adm_users_bulk_intro"].format(
                            without=T["adm_users_bulk_without"].format(n=units_without)
                            if units_without
                            else T["adm_users_bulk_all"]
                        ),
                        className="small text-muted",
                    ),
                    dbc.Button(
                        T["adm_users_bulk_button"],
                        id=BULK.save,
                        color="primary",
                        disabled=units_without == 0,
                    ),
                    html.Div(id=BULK.message, className="mt-2"),
                    html.Div(notices.get(BULK.prefix), id=Ids.BULK_RESULT, className="mt-2"),
                ]
            ),
        ],
        className="mb-3",
    )
    return html.Div(
        dbc.Row(
            [
                dbc.Col(
                    dbc.Card(
                        [
                            dbc.CardHeader(html.Strong(T["adm_users_all"].format(n=len(users)))),
                            dbc.CardBody(user_table(users)),
                        ],
                        className="mb-3",
                    ),
                    lg=7,
                ),
                dbc.Col([bulk, add, edit], lg=5),
            ]
        )
    )
