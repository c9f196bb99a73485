"""/units/<id> — one unit, all of it: figures, tasks, problems, visits, meeting, satisfaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts.base import graph
from dashboard.charts.unit import complaints_figure
from dashboard.colors import BAD, GOOD, NEUTRAL, WARN, count_level, rate_level
from dashboard.ids import DETAIL_DIALOG, RECT_DIALOG, TASK_DIALOG, VOID_DIALOG
from dashboard.ids import UnitActions as Act
from dashboard.ids import UnitPage as Ids
from dashboard.ids import UnitRect as Rect
from dashboard.state import parse_state, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_int, fmt_rate
from data.evaluation import UnitEvaluation
from data.figures import UnitFigures
from data.reference import (
    ANSWER_MODE_NAMES,
    CHANNEL_NAMES,
    CRITERIA,
    FEEDBACK_NAMES,
    GROUP_NAMES,
    KIND_GROUP,
    KIND_NAMES,
    PHASE_NAMES,
    RATING_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    VISIT_KIND_NAMES,
    Rating,
)
from data.unit_detail import (
    Archive,
    FollowUpRow,
    ProblemRecord,
    ProblemRow,
    QuestionRow,
    Satisfaction,
    SurveyRow,
    TaskRow,
    UnitDetail,
    UnitHeader,
    VisitItem,
    VoidedRow,
)
from data.voiding import MAX_REASON, HistoryEntry
from layouts.common import empty_state, search_from_query
from layouts.evaluation import grade_level
from layouts.forms import dialog
from layouts.overview import stat_card

TITLE = T["unit_title"]
PAGE = dict(path_template="/units/<unit_id>", name=TITLE, title=f"{TITLE} · 评议督导")

RATING_LEVEL = {Rating.CONFORM: GOOD, Rating.BASIC: WARN, Rating.NONCONFORM: BAD}
TASK_LEVEL = {"done": GOOD, "overdue": BAD, "open": NEUTRAL, "upcoming": NEUTRAL}
QUESTION_LEVEL = {
    "on_the_spot": GOOD,
    "replied": GOOD,
    "replied_late": WARN,
    "overdue": BAD,
    "waiting": NEUTRAL,
    "pending": NEUTRAL,
}
ARCHIVE_CATEGORY = {
    "document": T["unit_archive_document"],
    "photo": T["unit_archive_photo"],
    "material": T["unit_archive_material"],
}
SECTIONS = (
    (Ids.EVALUATION, "unit_sec_evaluation"),
    (Ids.TASKS, "unit_sec_tasks"),
    (Ids.PROBLEMS, "unit_sec_problems"),
    (Ids.VISITS, "unit_sec_visits"),
    (Ids.QUESTIONS, "unit_sec_questions"),
    (Ids.ARCHIVE, "unit_sec_archive"),
)


def layout(unit_id: str | None = None, **query: Any) -> html.Div:
    """The unit page skeleton; the state carries the unit id and the shared filters."""
    return html.Div(
        [
            dcc.Store(id=Ids.STATE, data={"unit": unit_id, "search": search_from_query(query)}),
            dcc.Loading(html.Div(id=Ids.CONTENT, className="page-body"), delay_show=300),
            rectification_modal(),
            detail_modal(),
            void_modal(),
            task_modal(),
        ]
    )


def detail_modal() -> dbc.Modal:
    """A problem's record and its history (filled when a 详情 button is pressed)."""
    body = [html.Div(id=Act.DETAIL_BODY)]
    return dialog(DETAIL_DIALOG, T["detail_button"], body, size="lg", scrollable=True)


def void_modal() -> dbc.Modal:
    """作废: a problem is voided with a reason, never deleted."""
    body = [
        html.Div(T["void_note"], className="small text-muted mb-2"),
        dbc.Label(T["void_reason"], html_for=Act.VOID_REASON),
        dbc.Textarea(
            id=Act.VOID_REASON, rows=3, maxLength=MAX_REASON, placeholder=T["void_reason_hint"]
        ),
    ]
    return dialog(VOID_DIALOG, T["void_button"], body, T["void_save"], color="danger")


def task_modal() -> dbc.Modal:
    """A phase task marked done: completion date and evidence (kept when refused)."""
    body = [
        dbc.Label(T["task_completed"], html_for=Act.TASK_COMPLETED),
        dbc.Input(id=Act.TASK_COMPLETED, type="date"),
        dbc.Label(T["task_evidence"], html_for=Act.TASK_EVIDENCE, className="mt-2"),
        dbc.Textarea(
            id=Act.TASK_EVIDENCE, rows=3, maxLength=1000, placeholder=T["task_evidence_hint"]
        ),
    ]
    return dialog(TASK_DIALOG, T["task_button"], body, T["task_save"])


def rectification_modal() -> dbc.Modal:
    """The form in which a unit reports a problem's rectification (kept open when refused)."""
    statuses = [{"label": name, "value": code} for code, name in STATUS_NAMES.items()]
    body = [
        dbc.Label(LABELS["status"], html_for=Rect.STATUS),
        dbc.Select(id=Rect.STATUS, options=statuses),
        dbc.Label(LABELS["measures"], html_for=Rect.MEASURES, className="mt-2"),
        dbc.Textarea(id=Rect.MEASURES, rows=3, maxLength=5000),
        dbc.Label(LABELS["owner"], html_for=Rect.OWNER, className="mt-2"),
        dbc.Input(id=Rect.OWNER, maxLength=100),
        dbc.Label(LABELS["completed_on"], html_for=Rect.COMPLETED, className="mt-2"),
        dbc.Input(id=Rect.COMPLETED, type="date"),
        dbc.Label(LABELS["evidence"], html_for=Rect.EVIDENCE, className="mt-2"),
        dbc.Textarea(id=Rect.EVIDENCE, rows=2, maxLength=5000, placeholder="文件名、照片说明等"),
        dbc.Checkbox(id=Rect.PUBLISHED, label="已公开整改", className="mt-2"),
        dbc.Checkbox(id=Rect.REPORTED, label="已上报纠风办"),
    ]
    return dialog(RECT_DIALOG, "填报整改情况", body, "保存")


def _day(value: dt.date | None) -> str:
    """A date in a dense table: `2024-06-03`, or `—`."""
    return MISSING if value is None else value.isoformat()


def level_badge(text: str, level: str, **kw: Any) -> html.Span:
    """A small badge in the shared good / warn / bad / neutral colours."""
    return html.Span(text, className=f"badge unit-badge bg-level-{level}", **kw)


def section(section_id: str, title: Any, body: Any, extra: Any = None) -> dbc.Card:
    """A titled card the section menu can jump to."""
    head = html.Div(
        [html.H5(title, className="mb-0 unit-section-title"), extra],
        className="d-flex justify-content-between align-items-center gap-2 flex-wrap",
    )
    return dbc.Card(
        [dbc.CardHeader(head), dbc.CardBody(body)],
        id=section_id,
        className="mb-3 unit-section",
    )


def visit_href(search: str, **params: str) -> str:
    """The supervision page with some of its own parameters, keeping campaign and as-of."""
    state = parse_state(search)
    shared = replace(state, kinds=(), townships=(), extra=dict(params))
    return f"/supervision{to_search(shared)}"


def header(unit: UnitHeader, search: str, may_log_visit: bool) -> html.Div:
    """Name, kind, group, township, caseload and the way to log a visit."""
    facts = [
        KIND_NAMES[unit.kind],
        GROUP_NAMES[KIND_GROUP[unit.kind]],
        unit.township or T["unit_no_township"],
        T["unit_cases"].format(n=fmt_int(unit.cases))
        if unit.cases is not None
        else T["unit_cases_unknown"],
    ]
    if unit.retired_on:
        facts.append(T["unit_retired"].format(date=fmt_date(unit.retired_on)))
    label = T["unit_log_visit"] if may_log_visit else T["unit_view_visits"]
    return html.Div(
        [
            html.Div(
                [
                    html.H4(unit.name, className="page-title mt-2 mb-1 unit-name", id=Ids.NAME),
                    dcc.Link(
                        label,
                        href=visit_href(search, unit=str(unit.id)),
                        className="btn btn-primary btn-sm mt-2 text-nowrap",
                        id=Ids.LOG_VISIT,
                    ),
                ],
                className="d-flex justify-content-between align-items-start gap-2",
            ),
            html.Div(" · ".join(facts), className="text-muted mb-3", id=Ids.FACTS),
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
            f"#{Ids.PROBLEMS}",
            "neutral",
        ),
        stat_card(
            "unit-rectification-rate",
            T["card_rectification_rate"],
            fmt_rate(f.rectification_rate),
            T["rectified_of"].format(rectified=f.rectified, base=f.problems - f.unfounded),
            f"#{Ids.PROBLEMS}",
            rate_level(f.rectification_rate),
        ),
        stat_card(
            "unit-on-time-rate",
            T["card_on_time_rate"],
            fmt_rate(f.on_time_rate),
            T["on_time_of"].format(on_time=f.on_time, due=f.due),
            f"#{Ids.PROBLEMS}",
            rate_level(f.on_time_rate),
        ),
        stat_card(
            "unit-overdue",
            T["card_overdue_problems"],
            fmt_int(f.overdue_problems),
            T["unit_overdue_note"].format(days=f.max_days_overdue, tasks=f.overdue_tasks)
            if f.max_days_overdue is not None
            else T["unit_overdue_tasks"].format(tasks=f.overdue_tasks),
            f"/overdue{search}",
            count_level(f.overdue_problems + f.overdue_tasks),
        ),
        stat_card(
            "unit-complaints",
            T["card_complaints"],
            fmt_int(f.complaints),
            T["unit_per_100"].format(n=f"{f.complaints_per_100:.1f}")
            if f.complaints_per_100 is not None
            else T["unit_no_caseload"],
            f"/complaints{search}",
            "neutral",
        ),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True, className="mb-3") for c in cards])


def problem_total(detail: UnitDetail) -> int:
    """How many problems the unit has in all (the page lists the newest PROBLEM_LIMIT)."""
    return detail.figures.problems if detail.figures else len(detail.problems)


def section_menu(detail: UnitDetail) -> html.Nav:
    """Links to the page's sections, with how much each holds."""
    counts = {
        Ids.PROBLEMS: problem_total(detail),
        Ids.VISITS: len(detail.visits),
        Ids.QUESTIONS: len(detail.questions),
    }
    links = []
    for section_id, key in SECTIONS:
        label = T[key]
        if section_id in counts:
            label = f"{label}（{counts[section_id]}）"
        links.append(html.A(label, href=f"#{section_id}", className="unit-menu-link"))
    return html.Nav(links, className="unit-menu mb-3", id=Ids.MENU)


# ---- 阶段任务 ---------------------------------------------------------------------------


def _task_item(task: TaskRow, may_edit: bool = False) -> html.Li:
    """One task: done with its date, open, upcoming or overdue."""
    if task.state == "done":
        status = T["unit_task_done"].format(date=fmt_date(task.completed_on))
    elif task.state == "overdue":
        status = T["unit_task_overdue"].format(date=fmt_date(task.phase_ends_on))
    else:
        status = T[f"unit_task_{task.state}"]
    mark = {"done": "✓", "overdue": "!"}.get(task.state, "○")
    return html.Li(
        [
            html.Span(mark, className=f"unit-task-mark level-{TASK_LEVEL[task.state]}"),
            html.Span(task.name, className="unit-task-name"),
            html.Span(status, className=f"unit-task-status level-{TASK_LEVEL[task.state]}"),
            dbc.Button(
                T["task_edit_button"] if task.state == "done" else T["task_button"],
                id=Act.task_button(task.id),
                size="sm",
                color="link",
                className="unit-task-button p-0",
            )
            if may_edit and task.id is not None
            else None,
        ],
        className=f"unit-task unit-task-{task.state}",
    )


def tasks_section(tasks: list[TaskRow], figures: UnitFigures, may_edit: bool = False) -> dbc.Card:
    """The unit's tasks phase by phase, each done (with its date), open or overdue."""
    if not tasks:
        return section(Ids.TASKS, T["unit_sec_tasks"], empty_state(T["unit_no_tasks"]))
    blocks = []
    for phase, name in PHASE_NAMES.items():
        items = [task for task in tasks if task.phase == phase]
        if not items:
            continue
        done = sum(task.state == "done" for task in items)
        progress = figures.phase_progress.get(phase)
        blocks.append(
            dbc.Col(
                [
                    html.Div(
                        [
                            html.Strong(name),
                            html.Span(
                                T["unit_phase_done"].format(
                                    done=done, total=len(items), rate=fmt_rate(progress)
                                ),
                                className="text-muted small",
                                id=f"{Ids.TASKS}-{phase}",
                            ),
                        ],
                        className="d-flex justify-content-between",
                    ),
                    html.Ul(
                        [_task_item(task, may_edit) for task in items], className="unit-task-list"
                    ),
                ],
                xs=12,
                md=6,
                className="unit-phase",
            )
        )
    return section(Ids.TASKS, T["unit_sec_tasks"], dbc.Row(blocks, className="gy-2"))


# ---- 评议结果 + 满意度 -------------------------------------------------------------------


def _score(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f}"


def evaluation_section(
    evaluation: UnitEvaluation | None, ranked: int, group: str, search: str
) -> dbc.Card:
    """The unit's evaluation result, its parts, and its rank within its whole group."""
    link = dcc.Link(T["unit_all_results"], href=f"/evaluation{search}", className="small")
    if evaluation is None:
        return section(Ids.EVALUATION, T["unit_sec_evaluation"], MISSING, link)
    e = evaluation
    rank = (
        T["unit_rank"].format(rank=e.rank, n=ranked, group=GROUP_NAMES[group])
        if e.rank
        else T["unit_unranked"]
    )
    parts = [
        (T["unit_eval_satisfaction_rate"], fmt_rate(e.satisfaction_rate)),
        (T["unit_eval_satisfaction_score"], _score(e.satisfaction_score)),
        (T["unit_eval_work_score"], _score(e.work_score)),
        (T["unit_eval_tasks"], fmt_rate(e.tasks_share)),
        (T["unit_eval_on_time"], fmt_rate(e.on_time_rate)),
        (T["unit_eval_conformity"], fmt_rate(e.conformity)),
    ]
    level = grade_level(e.grade)
    body = [
        html.Div(
            [
                html.Div(
                    [
                        html.Div(T["unit_eval_composite"], className="stat-title"),
                        html.Div(
                            _score(e.composite),
                            className=f"stat-value level-{level}",
                            id=Ids.COMPOSITE,
                        ),
                    ]
                ),
                html.Div(
                    [
                        html.Div(T["unit_eval_grade"], className="stat-title"),
                        html.Div(e.grade or MISSING, className=f"unit-grade level-{level}"),
                    ]
                ),
                html.Div(
                    [
                        html.Div(T["unit_eval_rank"], className="stat-title"),
                        html.Div(rank, className="unit-rank", id=Ids.RANK),
                    ]
                ),
            ],
            className="d-flex flex-wrap gap-4 mb-2",
        ),
        html.Dl(
            [
                html.Div([html.Dt(label), html.Dd(value, className="mb-1")])
                for label, value in parts
            ],
            className="unit-eval-parts small mb-1",
        ),
        html.Div(T["unit_eval_note"], className="text-muted small"),
    ]
    return section(Ids.EVALUATION, T["unit_sec_evaluation"], body, link)


def _survey_cells(row: SurveyRow, header: bool = False) -> list[Any]:
    cell = html.Th if header else html.Td
    return [
        cell(row.respondent_type, className="text-nowrap"),
        *[
            html.Td(fmt_int(n), className="text-end")
            for n in (row.satisfied, row.basic, row.dissatisfied, row.unknown, row.valid)
        ],
        html.Td(fmt_rate(row.rate), className=f"text-end level-{rate_level(row.rate)}"),
    ]


def satisfaction_block(satisfaction: Satisfaction) -> html.Div:
    """满意度测评: answers per respondent type, the satisfaction rate and score."""
    if not satisfaction.rows:
        return empty_state(T["unit_no_surveys"])
    head = [
        T["unit_survey_type"],
        "满意",
        "基本满意",
        "不满意",
        "不了解",
        T["unit_survey_valid"],
        T["unit_eval_satisfaction_rate"],
    ]
    total = satisfaction.total
    return html.Div(
        [
            html.Div(
                dbc.Table(
                    [
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, className="text-end" if i else None)
                                    for i, h in enumerate(head)
                                ]
                            )
                        ),
                        html.Tbody(
                            [html.Tr(_survey_cells(r)) for r in satisfaction.rows]
                            + [html.Tr(_survey_cells(total, True), className="fw-semibold")]
                        ),
                    ],
                    size="sm",
                    className="mb-1",
                ),
                className="table-responsive",
            ),
            html.Div(
                T["unit_survey_summary"].format(
                    rate=fmt_rate(total.rate), score=_score(satisfaction.score)
                ),
                className="small text-muted",
            ),
        ]
    )


# ---- 问题与整改 ---------------------------------------------------------------------------


def status_badge(row: ProblemRow | FollowUpRow) -> html.Span:
    """The status at the as-of date: rectified green, overdue red, otherwise neutral.

    A problem rectified only after the as-of date was still open then and reads 未整改.
    """
    name = T["unit_status_open"] if row.rectified_later else STATUS_NAMES[row.status]
    if row.overdue:
        return level_badge(T["unit_status_overdue"].format(status=name, days=row.days_overdue), BAD)
    return level_badge(name, GOOD if row.rectified else NEUTRAL)


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _opener(label: str, button_id: dict[str, Any], color: str) -> dbc.Button:
    """A problem row's button that opens one of the page's dialogs on the problem."""
    return dbc.Button(
        label, id=button_id, size="sm", color=color, outline=True, className="text-nowrap"
    )


def _actions(row: ProblemRow, may_edit: bool, may_void: bool) -> html.Td:
    """The row's buttons: 填报 (rectification), 详情 (record and history), 作废 (void)."""
    buttons = [
        _opener("填报", Rect.open_button(row.id), "primary") if may_edit else None,
        _opener(T["detail_button"], Act.detail_button(row.id), "secondary"),
        _opener(T["void_button"], Act.void_button(row.id), "danger") if may_void else None,
    ]
    return html.Td(html.Div(buttons, className="d-flex gap-1"))


def problem_table(
    rows: list[ProblemRow], may_edit: bool = False, may_void: bool = False
) -> html.Div:
    """The unit's problems and their rectification (complainants arrive masked)."""
    if not rows:
        return html.Div(
            T["unit_no_problems"], className="empty-state py-3", id="unit-problem-table"
        )
    head = (
        "发现日期",
        "来源",
        "评议内容",
        "问题描述",
        "程度",
        "整改时限",
        "状态",
        "完成日期",
        "公开",
        "上报",
        "群众反馈",
        "投诉人",
    )
    body = [
        html.Tr(
            [
                html.Td(_day(r.found_on), className="text-nowrap"),
                html.Td(CHANNEL_NAMES[r.channel], className="text-nowrap"),
                html.Td(CRITERIA[r.criterion][0], className="text-nowrap"),
                html.Td(r.description, className="pre-wrap unit-desc"),
                html.Td(
                    level_badge(SEVERITY_NAMES[r.severity], BAD)
                    if r.severity == "serious"
                    else SEVERITY_NAMES[r.severity],
                    className="text-nowrap",
                ),
                html.Td(_day(r.deadline), className="text-nowrap"),
                html.Td(status_badge(r), className="text-nowrap"),
                html.Td(_day(r.completed_on), className="text-nowrap"),
                html.Td(_yes_no(r.published)),
                html.Td(_yes_no(r.reported)),
                html.Td(FEEDBACK_NAMES.get(r.feedback or "", MISSING), className="text-nowrap"),
                html.Td(
                    " ".join(x for x in (r.complainant_name, r.complainant_phone) if x) or MISSING,
                    className="text-nowrap",
                ),
                _actions(r, may_edit, may_void),
            ]
        )
        for r in rows
    ]
    heads = [html.Th(h, className="text-nowrap") for h in head] + [html.Th("")]
    return html.Div(
        dbc.Table(
            [html.Thead(html.Tr(heads)), html.Tbody(body)],
            size="sm",
            hover=True,
            className="unit-problems mb-0",
        ),
        className="table-responsive",
        id="unit-problem-table",
    )


def voided_list(rows: list[VoidedRow]) -> html.Details | None:
    """The problems voided (never deleted), with their reasons, folded away."""
    if not rows:
        return None
    return html.Details(
        [
            html.Summary(T["unit_voided"].format(n=len(rows)), className="small"),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Span(f"{_day(r.found_on)} {r.description}", className="pre-wrap"),
                            html.Span(
                                T["unit_voided_meta"].format(
                                    at=r.voided_at.strftime("%Y-%m-%d %H:%M"),
                                    reason=r.reason or MISSING,
                                ),
                                className="text-muted ms-2",
                            ),
                            " ",
                            dbc.Button(
                                T["detail_button"],
                                id=Act.detail_button(r.id),
                                size="sm",
                                color="link",
                                className="p-0 align-baseline",
                            ),
                        ]
                    )
                    for r in rows
                ],
                className="small mb-0 unit-voided-list",
            ),
        ],
        className="mt-2",
        id="unit-voided",
    )


def problems_section(detail: UnitDetail, may_edit: bool, may_void: bool = False) -> dbc.Card:
    """Problems and their rectification, newest first; complainants masked."""
    total = problem_total(detail)
    parts: list[Any] = [problem_table(detail.problems, may_edit, may_void)]
    if total > len(detail.problems):
        parts.append(
            html.Div(
                T["unit_problems_first"].format(n=len(detail.problems), total=total),
                className="small text-muted mt-2",
            )
        )
    parts.append(html.Div(T["unit_masked_note"], className="small text-muted mt-2"))
    parts.append(voided_list(detail.voided))
    return section(Ids.PROBLEMS, T["unit_problems_count"].format(n=total), parts)


def complaints_section(detail: UnitDetail) -> dbc.Card:
    """The unit's complaints month by month."""
    return section(
        Ids.COMPLAINTS_CARD,
        T["unit_sec_complaints"],
        graph(
            Ids.COMPLAINTS,
            complaints_figure(detail.complaints_by_month),
            f"{detail.header.name}_投诉件数",
        ),
    )


# ---- 督导检查 ---------------------------------------------------------------------------


def _follow_up_list(visit: VisitItem) -> html.Div:
    """The visit's follow-up problems and where their rectification stands."""
    if not visit.follow_ups:
        return html.Div(T["unit_no_follow_ups"], className="small text-muted")
    items = []
    for f in visit.follow_ups:
        badge = status_badge(f)
        items.append(
            html.Li(
                [
                    badge,
                    " ",
                    html.Span(f.description, className="pre-wrap"),
                    html.Span(
                        T["unit_follow_up_meta"].format(
                            criterion=CRITERIA[f.criterion][0],
                            deadline=_day(f.deadline),
                            done=_day(f.completed_on),
                        ),
                        className="text-muted small ms-2",
                    ),
                ]
            )
        )
    return html.Div(
        [
            html.Div(T["unit_follow_ups"].format(n=len(visit.follow_ups)), className="unit-label"),
            html.Ul(items, className="unit-follow-ups"),
        ]
    )


def visit_item(visit: VisitItem, search: str) -> html.Div:
    """One visit: when, who, kind; ratings per criterion; findings, notes; follow-ups."""
    ratings = [
        html.Span(
            [CRITERIA[code][0], " ", html.Strong(RATING_NAMES[value])],
            className=f"unit-rating rating-chip-{RATING_LEVEL[value]}",
        )
        for code, value in visit.ratings
    ]
    return html.Div(
        [
            html.Div(
                [
                    html.Strong(fmt_date(visit.visited_on)),
                    level_badge(
                        VISIT_KIND_NAMES[visit.kind], BAD if visit.kind == "focus" else NEUTRAL
                    ),
                    html.Span(
                        T["unit_supervisors"].format(names=visit.supervisors),
                        className="text-muted small",
                    ),
                    dcc.Link(
                        T["unit_visit_detail"],
                        href=visit_href(search, visit=str(visit.id)),
                        className="small ms-auto",
                    ),
                ],
                className="d-flex align-items-center gap-2 flex-wrap mb-1",
            ),
            html.Div(ratings or T["unit_no_ratings"], className="unit-ratings mb-1"),
            html.Dl(
                [
                    html.Dt(T["unit_findings"]),
                    html.Dd(visit.findings or MISSING, className="pre-wrap"),
                    html.Dt(T["unit_notes"]),
                    html.Dd(visit.notes or MISSING, className="pre-wrap"),
                    html.Dt(T["unit_next_visit"]),
                    html.Dd(fmt_date(visit.next_visit_on)),
                ],
                className="unit-visit-notes small mb-1",
            ),
            _follow_up_list(visit),
        ],
        className="unit-visit",
    )


def visits_section(visits: list[VisitItem], search: str) -> dbc.Card:
    """The unit's 督导检查 visits, newest first."""
    body = [visit_item(v, search) for v in visits] or empty_state(T["unit_no_visits"])
    return section(Ids.VISITS, T["unit_visits_count"].format(n=len(visits)), body)


# ---- 评议大会 ---------------------------------------------------------------------------


def question_status(q: QuestionRow) -> html.Span:
    """Where the answer stands, in words and colour."""
    text = T[f"unit_question_{q.state}"]
    return level_badge(text, QUESTION_LEVEL[q.state])


def questions_section(questions: list[QuestionRow]) -> dbc.Card:
    """The 评议大会 questions concerning the unit and the state of their answers."""
    if not questions:
        body: Any = empty_state(T["unit_no_questions"])
    else:
        head = ("提问人", "问题", "答复方式", "反馈时限", "反馈日期", "状态")
        rows = [
            html.Tr(
                [
                    html.Td(q.asker, className="text-nowrap"),
                    html.Td(
                        [
                            html.Div(q.question, className="pre-wrap"),
                            html.Div(q.answer, className="small text-muted pre-wrap")
                            if q.answer
                            else None,
                        ],
                        className="unit-desc",
                    ),
                    html.Td(ANSWER_MODE_NAMES.get(q.answer_mode, MISSING), className="text-nowrap"),
                    html.Td(_day(q.reply_deadline), className="text-nowrap"),
                    html.Td(_day(q.replied_on), className="text-nowrap"),
                    html.Td(question_status(q)),
                ]
            )
            for q in questions
        ]
        body = html.Div(
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th(h, className="text-nowrap") for h in head])),
                    html.Tbody(rows),
                ],
                size="sm",
                className="mb-0",
            ),
            className="table-responsive",
        )
    return section(Ids.QUESTIONS, T["unit_questions_count"].format(n=len(questions)), body)


# ---- 工作档案 ---------------------------------------------------------------------------


def _mark(value: bool) -> html.Span:
    return html.Span("✓" if value else "✗", className=f"level-{GOOD if value else BAD} fw-bold")


def archive_section(archive: Archive) -> dbc.Card:
    """The unit's 工作档案: what is in the archive and what is uploaded, item by item."""
    if not archive.items:
        return section(Ids.ARCHIVE, T["unit_sec_archive"], empty_state(T["unit_no_archive"]))
    summary = html.Div(
        [
            html.Span(
                T["unit_archive_in"].format(n=archive.in_archive, total=archive.total),
                className=f"me-3 level-{GOOD if archive.in_archive == archive.total else WARN}",
            ),
            html.Span(
                T["unit_archive_uploaded"].format(n=archive.uploaded, total=archive.total),
                className=f"level-{GOOD if archive.uploaded == archive.total else WARN}",
            ),
        ],
        className="fw-semibold mb-2",
        id=Ids.ARCHIVE_SUMMARY,
    )
    rows = [
        html.Tr(
            [
                html.Td(item.name, className="unit-desc"),
                html.Td(
                    ARCHIVE_CATEGORY.get(item.category, item.category), className="text-nowrap"
                ),
                html.Td(_mark(item.in_archive), className="text-center"),
                html.Td(_mark(item.uploaded), className="text-center"),
            ]
        )
        for item in archive.items
    ]
    head = html.Thead(
        html.Tr(
            [
                html.Th(T["unit_archive_item"]),
                html.Th(T["unit_archive_category"], className="text-nowrap"),
                html.Th(T["unit_archive_in_col"], className="text-center text-nowrap"),
                html.Th(T["unit_archive_uploaded_col"], className="text-center text-nowrap"),
            ]
        )
    )
    table = dbc.Table([head, html.Tbody(rows)], size="sm", className="mb-0")
    return section(
        Ids.ARCHIVE, T["unit_sec_archive"], [summary, html.Div(table, className="table-responsive")]
    )


# ---- the page ---------------------------------------------------------------------------


def unit_message(message: str) -> html.Div:
    """The page's title over an empty state (no such unit, no campaign, not allowed)."""
    return html.Div([html.H4(TITLE, className="page-title mt-2 mb-3"), empty_state(message)])


def unit_body(
    detail: UnitDetail,
    search: str,
    may_edit: bool = False,
    may_log_visit: bool = False,
    may_void: bool = False,
) -> html.Div:
    """Everything about one unit for one campaign."""
    top = header(detail.header, search, may_log_visit)
    if detail.figures is None:
        return html.Div([top, empty_state(T["unit_not_in_campaign"])])
    group = KIND_GROUP[detail.header.kind]
    return html.Div(
        [
            top,
            html.Div(
                T["as_of_caption"].format(date=fmt_date(detail.as_of)),
                className="text-muted small mb-2",
            ),
            figure_cards(detail.figures, search),
            section_menu(detail),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            evaluation_section(
                                detail.evaluation, detail.group_ranked, group, search
                            ),
                        ],
                        xs=12,
                        lg=5,
                    ),
                    dbc.Col(
                        section(
                            Ids.SATISFACTION,
                            T["unit_sec_satisfaction"],
                            satisfaction_block(detail.satisfaction),
                        ),
                        xs=12,
                        lg=7,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(tasks_section(detail.tasks, detail.figures, may_edit), xs=12, lg=7),
                    dbc.Col(complaints_section(detail), xs=12, lg=5),
                ]
            ),
            problems_section(detail, may_edit, may_void),
            visits_section(detail.visits, search),
            dbc.Row(
                [
                    dbc.Col(questions_section(detail.questions), xs=12, lg=7),
                    dbc.Col(archive_section(detail.archive), xs=12, lg=5),
                ]
            ),
        ],
        className="unit-page",
    )


# ---- 问题详情与历史 -------------------------------------------------------------------------

FIELD_NAMES = {
    "unit_id": "单位",
    "channel": "问题来源",
    "criterion_code": "评议内容",
    "found_on": "发现日期",
    "description": "问题描述",
    "severity": "严重程度",
    "deadline": "整改时限",
    "measures": "整改措施",
    "owner": "责任人",
    "status": "整改状态",
    "completed_on": "完成日期",
    "published": "是否公开",
    "reported": "是否上报纠风办",
    "complainant_name": "投诉人",
    "complainant_phone": "联系电话",
    "feedback": "群众反馈",
    "evidence": "佐证材料",
    "voided_at": "作废时间",
    "void_reason": "作废原因",
    "ledger_key": "台账编号",
}
# The names of a problem's fields in its dialogs and in the messages of a refused save.
LABELS = {**FIELD_NAMES, "problem": "问题", "task": "任务"}
ACTIONS = {
    "create": "新建",
    "update": "修改",
    "void": "作废",
    "reveal": "查看投诉人",
    "import": "导入",
}
VALUE_NAMES: dict[str, dict[Any, str]] = {
    "status": dict(STATUS_NAMES),
    "channel": dict(CHANNEL_NAMES),
    "severity": dict(SEVERITY_NAMES),
    "feedback": dict(FEEDBACK_NAMES),
    "criterion_code": {code: name for code, (name, _g, _o) in CRITERIA.items()},
    "published": {True: "是", False: "否"},
    "reported": {True: "是", False: "否"},
}


def _value(field: str, value: Any) -> str:
    if value is None or value == "":
        return "空"
    return VALUE_NAMES.get(field, {}).get(value, str(value))


def history_table(entries: list[HistoryEntry]) -> Any:
    """Who changed the problem, when, and what it was before and after (append-only)."""
    if not entries:
        return html.P(T["detail_no_history"], className="text-muted small")
    rows = []
    for entry in entries:
        changes = [
            html.Li(
                f"{FIELD_NAMES.get(k, k)}：{_value(k, before)} → {_value(k, after)}"
                if entry.action != "create"
                else f"{FIELD_NAMES.get(k, k)}：{_value(k, after)}"
            )
            for k, before, after in entry.changes
            if k in FIELD_NAMES and k not in ("unit_id",)
        ]
        if entry.note:
            changes.append(html.Li(entry.note, className="text-muted"))
        rows.append(
            html.Tr(
                [
                    html.Td(entry.at.strftime("%Y-%m-%d %H:%M"), className="text-nowrap"),
                    html.Td(entry.actor),
                    html.Td(ACTIONS.get(entry.action, entry.action), className="text-nowrap"),
                    html.Td(html.Ul(changes, className="mb-0 small ps-3")),
                ]
            )
        )
    return html.Div(
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th(h) for h in ("时间", "操作人", "操作", "内容")])),
                html.Tbody(rows),
            ],
            size="sm",
            className="history-table mb-0",
        ),
        className="table-responsive",
        id="unit-problem-history",
    )


def problem_detail(record: ProblemRecord, history: list[HistoryEntry], may_reveal: bool) -> Any:
    """A problem's record (complainant masked), the reveal button for admins, its history."""
    complainant = (
        " ".join(x for x in (record.complainant_name, record.complainant_phone) if x) or MISSING
    )
    facts = [
        ("问题来源", CHANNEL_NAMES[record.channel]),
        ("评议内容", CRITERIA[record.criterion][0]),
        ("发现日期", _day(record.found_on)),
        ("整改时限", _day(record.deadline)),
        ("严重程度", SEVERITY_NAMES[record.severity]),
        ("整改状态", STATUS_NAMES[record.status]),
        ("整改措施", record.measures or MISSING),
        ("责任人", record.owner or MISSING),
        ("完成日期", _day(record.completed_on)),
        ("佐证材料", record.evidence or MISSING),
    ]
    if record.voided_at is not None:
        facts.append(
            ("作废", f"{record.voided_at.strftime('%Y-%m-%d %H:%M')} · {record.void_reason}")
        )
    reveal: list[Any] = []
    if may_reveal and record.has_complainant:
        reveal = [
            dbc.Button(
                T["reveal_button"],
                id=Act.REVEAL,
                size="sm",
                color="warning",
                outline=True,
                className="ms-2",
            ),
            html.Span(id=Act.REVEAL_VALUE, className="ms-2 fw-semibold"),
            html.Div(T["reveal_note"], className="small text-muted"),
        ]
    return [
        html.P(record.description, className="pre-wrap"),
        html.Dl(
            [
                html.Div([html.Dt(label), html.Dd(value, className="pre-wrap mb-1")])
                for label, value in facts
            ],
            className="unit-visit-notes small",
        ),
        html.Div(
            [html.Strong(T["detail_complainant"]), " ", html.Span(complainant), *reveal],
            className="mb-3",
            id="unit-detail-complainant",
        ),
        html.H6(T["detail_history"]),
        history_table(history),
    ]
