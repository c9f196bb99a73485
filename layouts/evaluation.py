"""/evaluation — 评议结果: satisfaction, work score, composite, grade; ranked within group."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.colors import BAD, GOOD, NEUTRAL, WARN
from dashboard.ids import Evaluation as Ids
from dashboard.text import MISSING, fmt_rate
from data.figures import UnitEvaluation
from data.reference import GROUP_NAMES, KIND_NAMES, UnitGroup
from data.settings import EvaluationSettings
from layouts.common import page_skeleton, unit_link

TITLE = "评议结果"
PAGE = dict(path="/evaluation", name=TITLE, title=f"{TITLE} · 评议督导")
NUMERIC = {0, 3, 4, 5, 6}
GRADE_LEVEL = {"满意": GOOD, "比较满意": GOOD, "基本满意": WARN, "不满意": BAD}


def layout(**query: Any) -> Any:
    """The page skeleton; a callback fills it for the URL's campaign and date."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def _score(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f}"


def group_table(group: str, rows: list[UnitEvaluation], search: str) -> dbc.Card:
    """One group's units ranked within the group (never against the other group)."""
    head = ("名次", "单位", "类型", "满意率", "满意度得分", "工作得分", "综合得分", "等次")
    body = [
        html.Tr(
            [
                html.Td(str(e.rank) if e.rank else MISSING, className="text-end"),
                html.Td(unit_link(e.unit_id, e.unit, search)),
                html.Td(KIND_NAMES[e.kind], className="text-nowrap"),
                html.Td(fmt_rate(e.satisfaction_rate), className="text-end"),
                html.Td(_score(e.satisfaction_score), className="text-end"),
                html.Td(_score(e.work_score), className="text-end"),
                html.Td(_score(e.composite), className="text-end fw-semibold"),
                html.Td(
                    e.grade or MISSING,
                    className=f"level-{GRADE_LEVEL.get(e.grade or '', NEUTRAL)} fw-semibold",
                ),
            ]
        )
        for e in rows
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5(f"{GROUP_NAMES[group]}（{len(rows)} 个单位）"),
                html.Div(
                    dbc.Table(
                        [
                            html.Thead(
                                html.Tr(
                                    [
                                        html.Th(h, className="text-end" if i in NUMERIC else None)
                                        for i, h in enumerate(head)
                                    ]
                                )
                            ),
                            html.Tbody(body),
                        ],
                        size="sm",
                        hover=True,
                        className="eval-table",
                    ),
                    className="table-responsive",
                ),
            ]
        ),
        className="mb-3",
        id=f"eval-{group}",
    )


def formula_note(settings: EvaluationSettings) -> html.Div:
    """How the scores are made (the bureau's current settings)."""
    s = settings
    parts = [
        f"综合得分 = 满意度得分 × {s.satisfaction_weight:.0%} + 工作得分 × {s.work_weight:.0%}；",
        f"满意度得分 = (满意×{s.points_satisfied:g} + 基本满意×{s.points_basic:g} + ",
        f"不满意×{s.points_dissatisfied:g}) ÷ 有效答卷（“不了解”不计）；",
        f"工作得分 = 100 ×（阶段任务完成 {s.tasks_weight:.0%} + 按期整改率 ",
        f"{s.on_time_weight:.0%} + 督导评定 {s.conformity_weight:.0%}），缺项按比例折算。",
        f"等次：满意 ≥ {s.grade_satisfied:g}，比较满意 ≥ {s.grade_fairly_satisfied:g}，",
        f"基本满意 ≥ {s.grade_basic:g}。名次只在同一类别内排列。",
    ]
    return html.Div(
        "".join(parts),
        className="text-muted small mb-3",
        id="eval-formula",
    )


def evaluation_body(
    rows: list[UnitEvaluation], settings: EvaluationSettings, search: str
) -> html.Div:
    """Both groups' tables, each ranked within itself."""
    parts: list[Any] = [formula_note(settings)]
    for group in (UnitGroup.AGENCY, UnitGroup.LEGAL_SERVICE):
        members = [e for e in rows if e.group == group]
        if members:
            parts.append(group_table(group, members, search))
    return html.Div(parts)
