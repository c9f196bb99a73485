"""The unit page's sections on its work: phase tasks, evaluation and satisfaction, complaints
by month, meeting questions, archive; and the parts all the page's sections share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts.base import graph
from dashboard.charts.unit import complaints_figure
from dashboard.colors import BAD, GOOD, NEUTRAL, WARN, rate_level
from dashboard.ids import Archives as ArchivesIds
from dashboard.ids import UnitActions as Act
from dashboard.ids import UnitPage as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_int, fmt_rate
from data.evaluation import UnitEvaluation
from data.figures import UnitFigures
from data.labels import ARCHIVE_ITEM, QUESTION, SURVEY, value_name
from data.reference import CRITERIA, GROUP_NAMES, PhaseCode
from data.topics import TopicRow
from data.unit_detail import Archive, QuestionRow, Satisfaction, SurveyRow, TaskRow, UnitDetail
from layouts.common import empty_state
from layouts.evaluation import grade_level
from layouts.grid import LEVEL, Column, grid
from layouts.topics import topic_href

TASK_LEVEL = {"done": GOOD, "overdue": BAD, "open": NEUTRAL, "upcoming": NEUTRAL}
QUESTION_LEVEL = {
    "on_the_spot": GOOD,
    "replied": GOOD,
    "replied_late": WARN,
    "overdue": BAD,
    "waiting": NEUTRAL,
    "pending": NEUTRAL,
}


def short_date(value: dt.date | None) -> str:
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


# ---- 阶段任务 ---------------------------------------------------------------------------


def _task_action(task: TaskRow, may_edit: bool, archive_href: str | None) -> Any:
    """What follows a task: a task that follows the archive checklist (#18) the link to where
    it is kept (由工作档案确定), never a button; else the button for those who mark tasks."""
    if task.derived_from is not None:
        return dcc.Link(
            T["finish_task_derived"],
            href=archive_href or "/archives",
            title=T["finish_task_derived_title"],
            className="unit-task-derived small text-nowrap",
        )
    if not may_edit or task.id is None:
        return None
    return dbc.Button(
        T["task_edit_button"] if task.state == "done" else T["task_button"],
        id=Act.task_button(task.id),
        size="sm",
        color="link",
        className="unit-task-button p-0",
    )


def _task_item(task: TaskRow, may_edit: bool = False, archive_href: str | None = None) -> html.Li:
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
            _task_action(task, may_edit, archive_href),
        ],
        className=f"unit-task unit-task-{task.state}",
    )


def tasks_section(
    tasks: list[TaskRow],
    figures: UnitFigures,
    may_edit: bool = False,
    archive_href: str | None = None,
) -> dbc.Card:
    """The unit's tasks phase by phase, each done (with its date), open or overdue; a task
    that follows the archive checklist links to it (`archive_href`)."""
    if not tasks:
        return section(Ids.TASKS, T["unit_sec_tasks"], empty_state(T["unit_no_tasks"]))
    blocks = []
    for phase in PhaseCode:
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
                            html.Strong(value_name("phase", "code", phase)),
                            html.Span(
                                T["progress_phase_future"]
                                if all(task.state == "upcoming" for task in items)
                                else T["unit_phase_done"].format(
                                    done=done, total=len(items), rate=fmt_rate(progress)
                                ),
                                className="text-muted small",
                                id=f"{Ids.TASKS}-{phase}",
                            ),
                        ],
                        className="d-flex justify-content-between",
                    ),
                    html.Ul(
                        [_task_item(task, may_edit, archive_href) for task in items],
                        className="unit-task-list",
                    ),
                ],
                xs=12,
                md=6,
                className="unit-phase",
            )
        )
    return section(Ids.TASKS, T["unit_sec_tasks"], dbc.Row(blocks, className="gy-2"))


# ---- 评议选题 (#18) -------------------------------------------------------------------------


def _topic_item(topic: TopicRow, search: str) -> html.Li:
    """One topic: its title (opens it), its criterion, its completeness n/4 and its problems."""
    done = topic.completeness.done
    level = GOOD if done == 4 else (BAD if done == 0 else WARN)
    criterion = CRITERIA[topic.criterion_code][0] if topic.criterion_code else None
    return html.Li(
        [
            dcc.Link(topic.title, href=topic_href(topic.id, search), className="unit-topic-title"),
            level_badge(T["finish_topic_completeness"].format(n=done), level),
            html.Span(criterion, className="small text-muted") if criterion else None,
            html.Span(
                T["finish_topic_problems"].format(n=topic.problems, done=topic.rectified),
                className="small text-muted",
            ),
        ],
        className="unit-topic d-flex flex-wrap align-items-center gap-2 mb-1",
    )


def topics_section(topics: Sequence[TopicRow], search: str) -> dbc.Card:
    """The unit's 评议选题 (not withdrawn) with their completeness, each opening its page."""
    link = dcc.Link(T["finish_unit_topics_all"], href=f"/topics{search}", className="small")
    body: Any = (
        html.Ul([_topic_item(t, search) for t in topics], className="list-unstyled mb-0")
        if topics
        else empty_state(T["finish_unit_topics_none"])
    )
    return section(Ids.TOPICS, T["finish_unit_topics"].format(n=len(topics)), body, link)


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
        *(SURVEY[n] for n in ("satisfied", "basically_satisfied", "dissatisfied", "unknown")),
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


def complaints_section(detail: UnitDetail) -> dbc.Card:
    """The unit's complaints month by month."""
    return section(
        Ids.COMPLAINTS_CARD,
        T["unit_sec_complaints"],
        graph(
            Ids.COMPLAINTS,
            complaints_figure(detail.complaints_by_month),
            T["unit_complaints_file"].format(unit=detail.header.name),
        ),
    )


# ---- 评议大会 ---------------------------------------------------------------------------


def question_status(q: QuestionRow) -> tuple[str, str]:
    """Where the answer stands, in words, and its level."""
    return T[f"unit_question_{q.state}"], QUESTION_LEVEL[q.state]


def _answer_mode(mode: str | None) -> str:
    """How the question is answered, or `—`."""
    return value_name("meeting_question", "answer_mode", mode) if mode else MISSING


def question_columns() -> list[Column]:
    """The meeting questions' columns: who asked, what, the answer and where it stands."""
    return [
        Column("asker", QUESTION["asker"], width=110),
        Column("question", T["unit_question_col_question"], min_width=220, flex=2, wrap=True),
        Column("answer", QUESTION["answer"], min_width=160, flex=1, wrap=True),
        Column("answer_mode", QUESTION["answer_mode"], width=110),
        Column("reply_deadline", QUESTION["reply_deadline"], width=118),
        Column("replied_on", QUESTION["replied_on"], width=118),
        Column("state", T["unit_question_col_state"], LEVEL, level_field="level", width=120),
    ]


def question_row(q: QuestionRow) -> dict[str, Any]:
    """One question as the grid holds it."""
    state, level = question_status(q)
    return {
        "asker": q.asker,
        "question": q.question,
        "answer": q.answer or MISSING,
        "answer_mode": _answer_mode(q.answer_mode),
        "reply_deadline": short_date(q.reply_deadline),
        "replied_on": short_date(q.replied_on),
        "state": state,
        "level": level,
    }


def questions_section(questions: list[QuestionRow]) -> dbc.Card:
    """The 评议大会 questions concerning the unit and the state of their answers, every one."""
    body: Any = (
        grid(Ids.QUESTION_GRID, question_columns(), [question_row(q) for q in questions])
        if questions
        else empty_state(T["unit_no_questions"])
    )
    return section(Ids.QUESTIONS, T["unit_questions_count"].format(n=len(questions)), body)


# ---- 工作档案 ---------------------------------------------------------------------------


def _mark(value: bool) -> html.Span:
    return html.Span("✓" if value else "✗", className=f"level-{GOOD if value else BAD} fw-bold")


def archive_section(archive: Archive, href: str | None = None) -> dbc.Card:
    """The unit's 工作档案: what is in the archive and what is uploaded, item by item (`href`:
    the unit's checklist on /archives, where it is kept)."""
    link = (
        dcc.Link(T["archives_unit_open"], href=href, id=ArchivesIds.UNIT_LINK, className="small")
        if href
        else None
    )
    if not archive.items:
        return section(Ids.ARCHIVE, T["unit_sec_archive"], empty_state(T["unit_no_archive"]), link)
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
                    value_name("archive_item", "category", item.category), className="text-nowrap"
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
                html.Th(ARCHIVE_ITEM["name"]),
                html.Th(ARCHIVE_ITEM["category"], className="text-nowrap"),
                html.Th(ARCHIVE_ITEM["in_archive"], className="text-center text-nowrap"),
                html.Th(ARCHIVE_ITEM["uploaded"], className="text-center text-nowrap"),
            ]
        )
    )
    table = dbc.Table([head, html.Tbody(rows)], size="sm", className="mb-0")
    return section(
        Ids.ARCHIVE,
        T["unit_sec_archive"],
        [summary, html.Div(table, className="table-responsive")],
        link,
    )
