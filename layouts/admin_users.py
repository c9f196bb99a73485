"""/admin/users — 用户账号: every account, adding one, changing its role and unit, disabling,
unlocking, one-time passwords, and one account per unit in one step."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import AdminUsers as Ids
from dashboard.ids import FormIds
from data.reference import ROLE_NAMES
from data.users import PASSWORD_RULE, UserRow
from layouts.common import empty_state, page_skeleton
from layouts.forms import Button, Field, form_buttons, form_card

TITLE = "用户账号"
PAGE = dict(path="/admin/users", name=TITLE, title=f"{TITLE} · 评议督导")

ADD = FormIds(Ids.ADD)
EDIT = FormIds(Ids.EDIT)
BULK = FormIds(Ids.BULK)
ROLE_OPTIONS = tuple(ROLE_NAMES.items())


def add_fields(units: list[tuple[int, str]]) -> list[Field]:
    """A new account: user name, name, role, unit (for unit staff)."""
    return [
        Field("username", "用户名", required=True, width=4, placeholder="登录用，如 zhangsan"),
        Field("display_name", "姓名", width=4),
        Field("role", "角色", "select", options=ROLE_OPTIONS, required=True, width=4),
        Field(
            "unit_id",
            "所属单位（单位填报员必选）",
            "select",
            options=units,
            width=12,
            placeholder="选择单位",
        ),
    ]


def edit_fields(users: list[UserRow], units: list[tuple[int, str]]) -> list[Field]:
    """Choose an account, then its name, role and unit."""
    options = [(u.id, f"{u.username}（{u.display_name}，{u.role_name}）") for u in users]
    return [
        Field("user", "选择账号", "select", options=options, required=True, width=12),
        Field("display_name", "姓名", width=4),
        Field("role", "角色", "select", options=ROLE_OPTIONS, width=3),
        Field("unit_id", "所属单位", "select", options=units, width=5, placeholder="选择单位"),
    ]


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for admins."""
    stores = [dcc.Store(id=Ids.REFRESH), dcc.Download(id=Ids.DOWNLOAD)]
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT, stores)


def status_badges(user: UserRow) -> list[Any]:
    """正常 / 已停用 / 已锁定 / 须修改密码."""
    badges = []
    if not user.active:
        badges.append(dbc.Badge("已停用", color="secondary", className="me-1"))
    if user.locked:
        badges.append(dbc.Badge("已锁定", color="danger", className="me-1"))
    if user.must_change_password:
        badges.append(dbc.Badge("待修改初始密码", color="warning", text_color="dark"))
    return badges or [html.Span("正常", className="small")]


def user_table(users: list[UserRow]) -> Any:
    """Every account."""
    if not users:
        return empty_state("还没有账号")
    header = html.Tr(
        [html.Th("用户名"), html.Th("姓名"), html.Th("角色"), html.Th("所属单位"), html.Th("状态")]
    )
    rows = [
        html.Tr(
            [
                html.Td(u.username, className="text-nowrap"),
                html.Td(u.display_name, className="text-break"),
                html.Td(u.role_name, className="text-nowrap"),
                html.Td(u.unit_name or "—", className="text-break"),
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
        return dbc.Alert("所有在用单位都已有单位填报账号，没有新建账号。", color="info")
    body = [
        html.Tr([html.Td(u), html.Td(n, className="text-break"), html.Td(html.Code(p))])
        for u, n, p in rows
    ]
    return dbc.Alert(
        [
            html.Div(
                f"已为 {len(rows)} 个单位建立账号。初始密码只显示这一次，已同时下载为 Excel 文件；"
                "请分发给各单位，首次登录时须修改密码。",
                className="mb-2",
            ),
            html.Div(
                dbc.Table(
                    [
                        html.Thead(
                            html.Tr([html.Th("用户名"), html.Th("单位名称"), html.Th("初始密码")])
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
        "添加账号",
        add_fields(units),
        submit="添加",
        notice=notices.get(ADD.prefix),
        intro=html.P(
            "系统生成一次性初始密码，只显示一次；对方首次登录时须改为自己的密码。"
            + PASSWORD_RULE
            + "。",
            className="small text-muted",
        ),
    )
    edit = form_card(
        EDIT,
        "修改账号",
        edit_fields(users, units),
        notice=notices.get(EDIT.prefix),
        extra=[
            form_buttons(
                [
                    Button(EDIT.button("disable"), "停用"),
                    Button(EDIT.button("enable"), "启用"),
                    Button(EDIT.button("unlock"), "解除锁定"),
                    Button(EDIT.button("reset"), "重置密码", "outline-danger"),
                ]
            )
        ],
    )
    bulk = dbc.Card(
        [
            dbc.CardHeader(html.Strong("一键建立单位账号")),
            dbc.CardBody(
                [
                    html.P(
                        "为每个还没有单位填报账号的在用单位建立一个账号"
                        + (
                            f"（目前 {units_without} 个单位没有）"
                            if units_without
                            else "（目前所有在用单位都已有账号）"
                        )
                        + "，用户名为 dw 加单位编号；"
                        "初始密码只显示一次并下载为 Excel，系统不保存明文。",
                        className="small text-muted",
                    ),
                    dbc.Button(
                        "建立单位账号并下载初始密码",
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
                            dbc.CardHeader(html.Strong(f"全部账号（{len(users)}）")),
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
