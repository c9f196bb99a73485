"""/units/<id> — one unit: its figures, problems and rectification, 督导检查 visits, evaluation."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.colors import count_level, rate_level
from dashboard.ids import UnitPage as Ids
from dashboard.ids import UnitRect as Rect
from dashboard.text import MISSING, T, fmt_date, fmt_int, fmt_rate
from data.figures import UnitEvaluation, UnitFigures
from data.reference import (
    CHANNEL_NAMES,
    CRITERIA,
    FEEDBACK_NAMES,
    GROUP_NAMES,
    KIND_GROUP,
    KIND_NAMES,
    PHASE_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
)
from data.supervision import VisitRow
from data.unit_detail import ProblemRow, UnitHeader
from layouts.common import search_from_query
from layouts.overview import stat_card
from layouts.supervision import visit_table

TITLE = "单位详情"
PAGE = dict(path_template="/units/<unit_id>", name=TITLE, title=f"{TITLE} · 评议督导")


def layout(unit_id: str | None = None, **query: Any) -> html.Div:
    """The unit page skeleton; the state carries the unit id and the shared filters."""
    return html.Div(
        [
            dcc.Store(id=Ids.STATE, data={"unit": unit_id, "search": search_from_query(query)}),
            dcc.Loading(html.Div(id=Ids.CONTENT, className="page-body"), delay_show=300),
            rectification_modal(),
        ]
    )


def rectification_modal() -> dbc.Modal:
    """The form in which a unit reports a problem's rectification (kept open when refused)."""
    statuses = [{"label": name, "value": code} for code, name in STATUS_NAMES.items()]
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("填报整改情况", id=Rect.TITLE)),
            dbc.ModalBody(
                [
                    dcc.Store(id=Rect.META, data={}),
                    dbc.Label("整改状态", html_for=Rect.STATUS),
                    dbc.Select(id=Rect.STATUS, options=statuses),
                    dbc.Label("整改措施", html_for=Rect.MEASURES, className="mt-2"),
                    dbc.Textarea(id=Rect.MEASURES, rows=3, maxLength=5000),
                    dbc.Label("责任人", html_for=Rect.OWNER, className="mt-2"),
                    dbc.Input(id=Rect.OWNER, maxLength=100),
                    dbc.Label("完成日期", html_for=Rect.COMPLETED, className="mt-2"),
                    dbc.Input(id=Rect.COMPLETED, type="date"),
                    dbc.Label("佐证材料", html_for=Rect.EVIDENCE, className="mt-2"),
                    dbc.Textarea(
                        id=Rect.EVIDENCE, rows=2, maxLength=5000, placeholder="文件名、照片说明等"
                    ),
                    dbc.Checkbox(id=Rect.PUBLISHED, label="已公开整改", className="mt-2"),
                    dbc.Checkbox(id=Rect.REPORTED, label="已上报纠风办"),
                    html.Div(id=Rect.MESSAGE, className="mt-2"),
                ]
            ),
            dbc.ModalFooter(dbc.Button("保存", id=Rect.SAVE, color="primary")),
        ],
        id=Rect.MODAL,
        is_open=False,
    )


def header(unit: UnitHeader, search: str) -> html.Div:
    """Name, kind, group, township, caseload and the way to log a visit."""
    group = KIND_GROUP[unit.kind]
    facts = [
        KIND_NAMES[unit.kind],
        GROUP_NAMES[group],
        unit.township or "未填乡镇",
        f"办案量 {fmt_int(unit.cases)} 件",
    ]
    if unit.retired_on:
        facts.append(f"已于 {fmt_date(unit.retired_on)} 撤销")
    sep = "&" if search else "?"
    return html.Div(
        [
            html.Div(
                [
                    html.H4(unit.name, className="page-title mt-2 mb-1 unit-name", id="unit-name"),
                    dcc.Link(
                        "记录督导检查",
                        href=f"/supervision{search}{sep}unit={unit.id}",
                        className="btn btn-primary btn-sm mt-2",
                        id="unit-log-visit",
                    ),
                ],
                className="d-flex justify-content-between align-items-start gap-2",
            ),
            html.Div(" · ".join(facts), className="text-muted mb-3"),
        ]
    )


def figure_cards(f: UnitFigures, search: str) -> dbc.Row:
    """The unit's headline figures (the same as its entry in `dashboard stats`)."""
    cards = [
        stat_card(
            "unit-problems",
            T["card_problems"],
            fmt_int(f.problems),
            T["unfounded_note"].format(n=f.unfounded),
            "#unit-problem-table",
            "neutral",
        ),
        stat_card(
            "unit-rectification-rate",
            T["card_rectification_rate"],
            fmt_rate(f.rectification_rate),
            T["rectified_of"].format(rectified=f.rectified, base=f.problems - f.unfounded),
            "#unit-problem-table",
            rate_level(f.rectification_rate),
        ),
        stat_card(
            "unit-on-time-rate",
            T["card_on_time_rate"],
            fmt_rate(f.on_time_rate),
            T["on_time_of"].format(on_time=f.on_time, due=f.due),
            "#unit-problem-table",
            rate_level(f.on_time_rate),
        ),
        stat_card(
            "unit-overdue",
            T["card_overdue_problems"],
            fmt_int(f.overdue_problems),
            f"逾期任务 {f.overdue_tasks} 项",
            f"/overdue{search}",
            count_level(f.overdue_problems + f.overdue_tasks),
        ),
        stat_card(
            "unit-complaints",
            T["card_complaints"],
            fmt_int(f.complaints),
            f"每百件办案量 {f.complaints_per_100:.1f} 件"
            if f.complaints_per_100 is not None
            else "办案量未知",
            f"/complaints{search}",
            "neutral",
        ),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True, className="mb-3") for c in cards])


def phase_list(f: UnitFigures) -> html.Div:
    """Task completion per phase."""
    return html.Div(
        [
            html.Span(f"{PHASE_NAMES[code]} {fmt_rate(rate)}", className="me-3")
            for code, rate in f.phase_progress.items()
        ],
        className="mb-3 small",
        id="unit-phases",
    )


def problem_table(rows: list[ProblemRow], may_edit: bool = False) -> html.Div:
    """The unit's problems and their rectification (complainants arrive masked)."""
    if not rows:
        return html.Div("本年度该单位没有登记问题。", className="empty-state py-3")
    head = (
        "发现日期",
        "来源",
        "评议内容",
        "问题描述",
        "程度",
        "整改时限",
        "状态",
        "完成日期",
        "公开/上报",
        "群众反馈",
        "投诉人",
        "",
    )
    body = [
        html.Tr(
            [
                html.Td(fmt_date(r.found_on), className="text-nowrap"),
                html.Td(CHANNEL_NAMES[r.channel], className="text-nowrap"),
                html.Td(CRITERIA[r.criterion][0], className="text-nowrap"),
                html.Td(r.description, className="pre-wrap"),
                html.Td(SEVERITY_NAMES[r.severity], className="text-nowrap"),
                html.Td(fmt_date(r.deadline), className="text-nowrap"),
                html.Td(
                    dbc.Badge(
                        STATUS_NAMES[r.status] + ("（逾期）" if r.overdue else ""),
                        color="danger" if r.overdue else "secondary",
                    )
                ),
                html.Td(fmt_date(r.completed_on), className="text-nowrap"),
                html.Td(f"{'是' if r.published else '否'}/{'是' if r.reported else '否'}"),
                html.Td(FEEDBACK_NAMES.get(r.feedback or "", MISSING)),
                html.Td(
                    " ".join(x for x in (r.complainant_name, r.complainant_phone) if x) or MISSING,
                    className="text-nowrap",
                ),
                html.Td(
                    dbc.Button(
                        "填报",
                        id={"type": Rect.OPEN, "index": r.id},
                        size="sm",
                        color="primary",
                        outline=True,
                        className="text-nowrap",
                    )
                    if may_edit
                    else None
                ),
            ]
        )
        for r in rows
    ]
    return html.Div(
        dbc.Table(
            [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
            size="sm",
            hover=True,
            className="unit-problems",
        ),
        className="table-responsive",
        id="unit-problem-table",
    )


def evaluation_line(e: UnitEvaluation | None) -> html.Div:
    """The unit's evaluation result, ranked within its group."""
    if e is None:
        return html.Div(MISSING)
    rank = f"第 {e.rank} 名（{GROUP_NAMES[e.group]}内）" if e.rank else MISSING
    score = f"{e.composite:.1f}" if e.composite is not None else MISSING
    return html.Div(
        [
            html.Span(f"满意率 {fmt_rate(e.satisfaction_rate)}", className="me-3"),
            html.Span(f"综合得分 {score}", className="me-3"),
            html.Span(f"等次 {e.grade or MISSING}", className="me-3"),
            html.Span(f"排名 {rank}"),
        ],
        id="unit-evaluation",
    )


def unit_body(
    unit: UnitHeader,
    figures: UnitFigures,
    problems: list[ProblemRow],
    visits: list[VisitRow],
    evaluation: UnitEvaluation | None,
    search: str,
    may_edit: bool = False,
) -> html.Div:
    """Everything about one unit for one campaign."""
    return html.Div(
        [
            header(unit, search),
            figure_cards(figures, search),
            phase_list(figures),
            dbc.Card(
                dbc.CardBody([html.H6("评议结果"), evaluation_line(evaluation)]), className="mb-3"
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H6(f"问题与整改（{len(problems)} 件）"),
                        problem_table(problems, may_edit),
                    ]
                ),
                className="mb-3",
            ),
            dbc.Card(
                dbc.CardBody([html.H6("督导检查记录（新的在前）"), visit_table(visits, search)]),
                className="mb-3",
            ),
        ]
    )
