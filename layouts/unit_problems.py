"""The unit page's problems and their rectification, and its 督导检查 visits with their
follow-up problems: the tables, the rows' buttons and the problems voided."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.colors import BAD, GOOD, NEUTRAL, WARN
from dashboard.ids import UnitActions as Act
from dashboard.ids import UnitPage as Ids
from dashboard.ids import UnitRect as Rect
from dashboard.text import MISSING, T, fmt_date
from data.labels import NO, PROBLEM, YES, value_name
from data.reference import Rating
from data.unit_detail import FollowUpRow, ProblemRow, UnitDetail, VisitItem, VoidedRow
from layouts.common import empty_state
from layouts.unit_sections import level_badge, section, short_date, visit_href

RATING_LEVEL = {Rating.CONFORM: GOOD, Rating.BASIC: WARN, Rating.NONCONFORM: BAD}
PROBLEM_COLUMNS = (
    "found_on",
    "channel",
    "criterion_code",
    "description",
    "severity",
    "deadline",
    "status",
    "completed_on",
    "published",
    "reported",
    "feedback",
    "complainant_name",
)


def problem_total(detail: UnitDetail) -> int:
    """How many problems the unit has in all (the page lists the newest PROBLEM_LIMIT)."""
    return detail.figures.problems if detail.figures else len(detail.problems)


# ---- 问题与整改 ---------------------------------------------------------------------------


def status_badge(row: ProblemRow | FollowUpRow) -> html.Span:
    """The status at the as-of date: rectified green, overdue red, otherwise neutral.

    A problem rectified only after the as-of date was still open then and reads 未整改.
    """
    name = (
        T["unit_status_open"]
        if row.rectified_later
        else value_name("problem", "status", row.status)
    )
    if row.overdue:
        return level_badge(T["unit_status_overdue"].format(status=name, days=row.days_overdue), BAD)
    return level_badge(name, GOOD if row.rectified else NEUTRAL)


def yes_no(value: bool) -> str:
    """是 or 否."""
    return YES if value else NO


def problem_head() -> list[str]:
    """The problem table's column heads: the fields' names, some shortened to fit."""
    short = {
        "channel": T["unit_problem_col_channel"],
        "severity": T["unit_problem_col_severity"],
        "status": T["unit_problem_col_status"],
        "published": T["unit_problem_col_published"],
        "reported": T["unit_problem_col_reported"],
    }
    return [short.get(field, PROBLEM[field]) for field in PROBLEM_COLUMNS]


def _opener(label: str, button_id: dict[str, Any], color: str) -> dbc.Button:
    """A problem row's button that opens one of the page's dialogs on the problem."""
    return dbc.Button(
        label, id=button_id, size="sm", color=color, outline=True, className="text-nowrap"
    )


def _actions(row: ProblemRow, may_report: bool, may_void: bool) -> html.Td:
    """The row's buttons: 填报 (rectification), 详情 (record and history), 作废 (void)."""
    buttons = [
        _opener(T["unit_rect_button"], Rect.open_button(row.id), "primary") if may_report else None,
        _opener(T["detail_button"], Act.detail_button(row.id), "secondary"),
        _opener(T["void_button"], Act.void_button(row.id), "danger") if may_void else None,
    ]
    return html.Td(html.Div(buttons, className="d-flex gap-1"))


def _severity(severity: str) -> Any:
    """A problem's severity, a serious one as a red badge."""
    name = value_name("problem", "severity", severity)
    return level_badge(name, BAD) if severity == "serious" else name


def problem_table(
    rows: list[ProblemRow], reportable: Collection[int] = (), may_void: bool = False
) -> html.Div:
    """The unit's problems and their rectification (complainants arrive masked); the problems
    `reportable` (by id) have a 填报 button."""
    if not rows:
        return html.Div(T["unit_no_problems"], className="empty-state py-3", id=Ids.PROBLEM_TABLE)
    head = problem_head()
    body = [
        html.Tr(
            [
                html.Td(short_date(r.found_on), className="text-nowrap"),
                html.Td(value_name("problem", "channel", r.channel), className="text-nowrap"),
                html.Td(
                    value_name("problem", "criterion_code", r.criterion), className="text-nowrap"
                ),
                html.Td(r.description, className="pre-wrap unit-desc"),
                html.Td(_severity(r.severity), className="text-nowrap"),
                html.Td(short_date(r.deadline), className="text-nowrap"),
                html.Td(status_badge(r), className="text-nowrap"),
                html.Td(short_date(r.completed_on), className="text-nowrap"),
                html.Td(yes_no(r.published)),
                html.Td(yes_no(r.reported)),
                html.Td(
                    value_name("problem", "feedback", r.feedback) if r.feedback else MISSING,
                    className="text-nowrap",
                ),
                html.Td(
                    " ".join(x for x in (r.complainant_name, r.complainant_phone) if x) or MISSING,
                    className="text-nowrap",
                ),
                _actions(r, r.id in reportable, may_void),
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
        id=Ids.PROBLEM_TABLE,
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
                            html.Span(
                                f"{short_date(r.found_on)} {r.description}", className="pre-wrap"
                            ),
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


def problems_section(
    detail: UnitDetail, reportable: Collection[int] = (), may_void: bool = False
) -> dbc.Card:
    """Problems and their rectification, newest first; complainants masked; a 填报 button on
    the problems `reportable` (by id)."""
    total = problem_total(detail)
    parts: list[Any] = [problem_table(detail.problems, reportable, may_void)]
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
