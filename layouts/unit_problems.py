"""The unit page's problems and their rectification, and its 督导检查 visits with their
follow-up problems: the problems' grid with its buttons, the problems voided, the visits."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.colors import BAD, GOOD, NEUTRAL, WARN
from dashboard.ids import UnitPage as Ids
from dashboard.text import MISSING, T, fmt_date
from data.labels import NO, PROBLEM, YES, value_name
from data.reference import Rating
from data.unit_detail import FollowUpRow, ProblemRow, UnitDetail, VisitItem, VoidedRow
from layouts.common import empty_state
from layouts.grid import BUTTON, LEVEL, Column, grid
from layouts.unit_sections import level_badge, section, short_date, visit_href

RATING_LEVEL = {Rating.CONFORM: GOOD, Rating.BASIC: WARN, Rating.NONCONFORM: BAD}
# The problems' button columns: a click sets the grid's cellRendererData to
# {"colId": <column>, "value": <problem id>, …}; callbacks/unit.py opens that column's dialog.
RECT_COLUMN = "rect"
DETAIL_COLUMN = "detail"
VOID_COLUMN = "void"
BUTTON_WIDTH = 72  # a two-character button and the cell's padding


def problem_total(detail: UnitDetail) -> int:
    """How many problems the unit has in all (every one of them is in the grid)."""
    return detail.figures.problems if detail.figures else len(detail.problems)


# ---- 问题与整改 ---------------------------------------------------------------------------


def status_text(row: ProblemRow | FollowUpRow) -> tuple[str, str]:
    """The status at the as-of date and its level: rectified good, overdue bad, else neutral.

    A problem rectified only after the as-of date was still open then and reads 未整改.
    """
    name = (
        T["unit_status_open"]
        if row.rectified_later
        else value_name("problem", "status", row.status)
    )
    if row.overdue:
        return T["unit_status_overdue"].format(status=name, days=row.days_overdue), BAD
    return name, GOOD if row.rectified else NEUTRAL


def status_badge(row: ProblemRow | FollowUpRow) -> html.Span:
    """The status at the as-of date as a badge in its level's colour."""
    return level_badge(*status_text(row))


def yes_no(value: bool) -> str:
    """是 or 否."""
    return YES if value else NO


def _button(column: str, header: str, **kw: Any) -> Column:
    """A button column, first in its row, where a wide table shows it before any scrolling (not
    pinned: on a phone two or three pinned buttons would leave the row no room)."""
    return Column(column, header, BUTTON, width=BUTTON_WIDTH, **kw)


def problem_columns(may_report: bool = False, may_void: bool = False) -> list[Column]:
    """The problems' columns (some heads shortened to fit), after the buttons the user may
    press: 填报 when some problem is theirs to report, 详情 always, 作废 for those who void."""
    buttons = [
        _button(RECT_COLUMN, T["unit_rect_button"], text_field="rect_label")
        if may_report
        else None,
        _button(DETAIL_COLUMN, T["detail_button"], label=T["detail_button"]),
        _button(VOID_COLUMN, T["void_button"], label=T["void_button"]) if may_void else None,
    ]
    return [
        *(b for b in buttons if b is not None),
        Column("found_on", PROBLEM["found_on"], width=112),
        Column("channel", T["unit_problem_col_channel"], width=100),
        Column("criterion", PROBLEM["criterion_code"], width=120),
        Column("description", PROBLEM["description"], min_width=240, flex=1, wrap=True),
        Column(
            "severity",
            T["unit_problem_col_severity"],
            LEVEL,
            level_field="severity_level",
            width=84,
        ),
        Column("deadline", PROBLEM["deadline"], width=112),
        Column(
            "status",
            T["unit_problem_col_status"],
            LEVEL,
            level_field="status_level",
            min_width=140,
            wrap=True,
        ),
        Column("completed_on", PROBLEM["completed_on"], width=112),
        Column("published", T["unit_problem_col_published"], width=76),
        Column("reported", T["unit_problem_col_reported"], width=76),
        Column("feedback", PROBLEM["feedback"], width=104),
        Column("complainant", PROBLEM["complainant_name"], width=140),
    ]


def problem_row(row: ProblemRow, may_report: bool = False) -> dict[str, Any]:
    """One problem as the grid holds it: plain text (complainant already masked by the data
    layer, nothing else of theirs), its levels, and its id under each button's column (the 填报
    button only on a problem the user may report)."""
    status, level = status_text(row)
    return {
        "id": row.id,
        "found_on": short_date(row.found_on),
        "channel": value_name("problem", "channel", row.channel),
        "criterion": value_name("problem", "criterion_code", row.criterion),
        "description": row.description,
        "severity": value_name("problem", "severity", row.severity),
        "severity_level": BAD if row.severity == "serious" else "",
        "deadline": short_date(row.deadline),
        "status": status,
        "status_level": level,
        "completed_on": short_date(row.completed_on),
        "published": yes_no(row.published),
        "reported": yes_no(row.reported),
        "feedback": value_name("problem", "feedback", row.feedback) if row.feedback else MISSING,
        "complainant": " ".join(x for x in (row.complainant_name, row.complainant_phone) if x)
        or MISSING,
        RECT_COLUMN: row.id,
        "rect_label": T["unit_rect_button"] if may_report else "",
        DETAIL_COLUMN: row.id,
        VOID_COLUMN: row.id,
    }


def problem_table(
    rows: list[ProblemRow], reportable: Collection[int] = (), may_void: bool = False
) -> html.Div:
    """Every one of the unit's problems and their rectification, in a grid (complainants
    arrive masked); the problems `reportable` (by id) have a 填报 button."""
    if not rows:
        return html.Div(T["unit_no_problems"], className="empty-state py-3", id=Ids.PROBLEM_TABLE)
    may_report = any(r.id in reportable for r in rows)
    return html.Div(
        grid(
            Ids.PROBLEM_GRID,
            problem_columns(may_report, may_void),
            [problem_row(r, r.id in reportable) for r in rows],
            row_id="id",
        ),
        id=Ids.PROBLEM_TABLE,
    )


def voided_columns() -> list[Column]:
    """The voided problems' columns, and the 详情 button that opens their record and history."""
    return [
        _button(DETAIL_COLUMN, T["detail_button"], label=T["detail_button"]),
        Column("found_on", PROBLEM["found_on"], width=112),
        Column("description", PROBLEM["description"], min_width=220, flex=1, wrap=True),
        Column("voided_at", T["unit_voided_col_at"], width=150),
        Column("reason", T["unit_voided_col_reason"], min_width=180, flex=1, wrap=True),
    ]


def voided_row(row: VoidedRow) -> dict[str, Any]:
    """One voided problem as its grid holds it."""
    return {
        "id": row.id,
        "found_on": short_date(row.found_on),
        "description": row.description,
        "voided_at": row.voided_at.strftime("%Y-%m-%d %H:%M"),
        "reason": row.reason or MISSING,
        DETAIL_COLUMN: row.id,
    }


def voided_list(rows: list[VoidedRow]) -> html.Details | None:
    """The problems voided (never deleted), with their reasons, folded away."""
    if not rows:
        return None
    return html.Details(
        [
            html.Summary(T["unit_voided"].format(n=len(rows)), className="small mb-2"),
            grid(
                Ids.VOIDED_GRID,
                voided_columns(),
                [voided_row(r) for r in rows],
                row_id="id",
            ),
        ],
        className="mt-2",
        id=Ids.VOIDED,
    )


def problems_section(
    detail: UnitDetail, reportable: Collection[int] = (), may_void: bool = False
) -> dbc.Card:
    """Problems and their rectification, newest first, every one; complainants masked; a 填报
    button on the problems `reportable` (by id)."""
    parts: list[Any] = [
        problem_table(detail.problems, reportable, may_void),
        html.Div(T["unit_masked_note"], className="small text-muted mt-2"),
        voided_list(detail.voided),
    ]
    return section(Ids.PROBLEMS, T["unit_problems_count"].format(n=problem_total(detail)), parts)


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
                            criterion=value_name("problem", "criterion_code", f.criterion),
                            deadline=short_date(f.deadline),
                            done=short_date(f.completed_on),
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
            [
                value_name("supervision_rating", "criterion_code", code),
                " ",
                html.Strong(value_name("supervision_rating", "rating", value)),
            ],
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
                        value_name("supervision_visit", "kind", visit.kind),
                        BAD if visit.kind == "focus" else NEUTRAL,
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
