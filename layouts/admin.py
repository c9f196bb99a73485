"""/admin — 系统设置: where an admin starts (roster → campaign → accounts → ledger) and the
set-up pages."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Admin
from dashboard.ids import AdminIndex as Ids
from data.campaign_view import SetupProgress
from layouts.common import search_from_query

TITLE = "系统设置"
PAGE = dict(path="/admin", name=TITLE, title=f"{TITLE} · 评议督导")

# (what, where, how it is counted) of the four first steps.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("导入评议单位名册", "/admin/units", "units"),
    ("建立本年度评议活动", "/admin/campaign", "campaigns"),
    ("建立单位填报账号", "/admin/users", "unit_accounts"),
    ("导入问题整改台账", "/import", "problems"),
)
STEP_NOTES = {
    "units": "个评议单位",
    "campaigns": "个评议活动",
    "unit_accounts": "个单位账号",
    "problems": "件问题",
}
PAGES: tuple[tuple[str, str, str], ...] = (
    (
        "评议活动设置",
        "/admin/campaign",
        "建立年度评议活动；调整阶段日期、评议大会、阶段任务和计分设置",
    ),
    ("评议单位", "/admin/units", "新增、改名、调整类型和乡镇、填写办案量、停用单位"),
    (
        "用户账号",
        "/admin/users",
        "添加账号、分配角色和单位、停用、解锁、重置密码、批量建立单位账号",
    ),
    ("数据导入", "/import", "导入名册、问题整改台账、满意度测评、民评代表；导出报表"),
)


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )


def setup_steps(progress: SetupProgress) -> dbc.Card:
    """The four first steps as links, each ticked off when done."""
    items = []
    for number, (what, href, key) in enumerate(STEPS, start=1):
        count = getattr(progress, key)
        done = count > 0
        items.append(
            html.Li(
                [
                    html.Span("✓" if done else str(number), className="setup-step-mark me-2"),
                    dcc.Link(what, href=href, className="fw-semibold"),
                    html.Span(
                        f"　已有 {count} {STEP_NOTES[key]}" if done else "　未完成",
                        className="small text-muted",
                    ),
                ],
                className=f"setup-step {'setup-step-done' if done else 'setup-step-todo'} mb-2",
                id=f"setup-step-{key}",
            )
        )
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong("开始使用：四步建立本局的评议工作")),
            dbc.CardBody(
                [
                    html.Ol(items, className="list-unstyled mb-2"),
                    html.P(
                        "名册和台账可以是 Excel（.xlsx）或 CSV 文件，"
                        "列名见“数据导入”页的格式说明。",
                        className="small text-muted mb-0",
                    ),
                ]
            ),
        ],
        className="mb-3 setup-steps",
        id=Admin.STEPS,
    )


def admin_index(progress: SetupProgress) -> html.Div:
    """The steps, then a card for each set-up page."""
    cards = [
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [
                        dcc.Link(html.H5(name, className="card-title"), href=href),
                        html.P(text, className="small text-muted mb-0"),
                    ]
                ),
                className="h-100",
            ),
            xs=12,
            md=6,
            lg=3,
            className="mb-3",
        )
        for name, href, text in PAGES
    ]
    return html.Div([setup_steps(progress), dbc.Row(cards)])
