"""/supervision — 督导检查: log a visit (also on a phone on site), the visits, a calendar."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace
from functools import partial
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth import signed_in
from dashboard.ids import SUPERVISION_FORM, SUPERVISION_ROWS
from dashboard.ids import Supervision as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import MISSING, T, fmt_date
from data.history import History
from data.labels import PROBLEM, VISIT, VISIT_FOLLOW_UP
from data.reference import (
    CHANNEL_NAMES,
    CRITERIA,
    RATING_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    VISIT_KIND_NAMES,
    Role,
)
from data.supervision import CalendarDay, OpenProblem, VisitDetail, VisitRow
from layouts.common import search_from_query, unit_href
from layouts.forms import (
    RowText,
    follow_up_section,
    labelled,
    side_by_side,
    submit_area,
)
from layouts.forms import follow_up_row as shared_follow_up_row
from layouts.history import history_table

TITLE = T["sup_title"]
PAGE = dict(path="/supervision", name=TITLE, title=f"{TITLE} · {T['brand']}")
WRITERS = (Role.SUPERVISOR, Role.ADMIN)
FORM, ROWS = SUPERVISION_FORM, SUPERVISION_ROWS
# Every name the visit form gives a field (a visit's, and the parts of a follow-up row): on
# screen, and in the messages of a refused save.
LABELS = {**VISIT, **VISIT_FOLLOW_UP}
ROW_NAME = VISIT_FOLLOW_UP["description"]  # a row in messages: 第1项整改事项·整改时限
field = partial(labelled, FORM, LABELS)  # a field of the form, named from LABELS
UNIT_HINT = T["sup_unit_hint"]
NAMES_HINT = T["sup_supervisors_hint"]
ROW_TEXT = RowText(LABELS, T["sup_follow_up_serious"], compact=True)


def follow_up_row(index: int, criteria: list[tuple[str, str]]) -> dbc.Card:
    """One follow-up action: description, criterion, deadline, owner, severity."""
    options = [{"label": name, "value": code} for code, name in criteria]
    return shared_follow_up_row(ROWS, index, ROW_TEXT, options)


def ratings_block(criteria: list[tuple[str, str]], values: dict[str, str]) -> list[Any]:
    """A 符合 / 基本符合 / 不符合 choice for each criterion that applies to the unit."""
    if not criteria:
        return [html.Div(T["sup_ratings_hint"], className="text-muted small")]
    options = [{"label": name, "value": code} for code, name in RATING_NAMES.items()]
    return [
        dbc.Row(
            [
                dbc.Col(name, xs=12, sm=4, className="small fw-semibold"),
                dbc.Col(
                    dbc.RadioItems(
                        id=Ids.rating(code),
                        options=options,
                        value=values.get(code),
                        inline=True,
                        className="rating-choice",
                    ),
                    xs=12,
                    sm=8,
                ),
            ],
            className="align-items-center mb-1 rating-row",
        )
        for code, name in criteria
    ]


def visit_form() -> dbc.Card:
    """The form a supervisor fills in on site; values stay when a save is refused."""
    kinds = [{"label": name, "value": code} for code, name in VISIT_KIND_NAMES.items()]
    kind = dbc.RadioItems(id=Ids.KIND, options=kinds, value="routine", inline=True)
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5(T["sup_form_new"], id=Ids.FORM_TITLE, className="mb-3"),
                *field("unit_id", dcc.Dropdown(id=Ids.UNIT, placeholder=UNIT_HINT), None),
                side_by_side(
                    field("visited_on", dbc.Input(id=Ids.DATE, type="date")),
                    field("kind", kind, html_for=False),
                ),
                *field(
                    "supervisors",
                    dbc.Input(id=Ids.SUPERVISORS, maxLength=100, placeholder=NAMES_HINT),
                ),
                dbc.Label(LABELS["ratings"], className="mt-3"),
                html.Div(ratings_block([], {}), id=Ids.RATINGS),
                *field("findings", dbc.Textarea(id=Ids.FINDINGS, rows=3, maxLength=5000), "mt-3"),
                *field("notes", dbc.Textarea(id=Ids.NOTES, rows=2, maxLength=5000)),
                *follow_up_section(
                    LABELS["follow_ups"], Ids.FOLLOW_UPS, Ids.FOLLOW_UP_ADD, T["sup_follow_up_add"]
                ),
                *field("next_visit_on", dbc.Input(id=Ids.NEXT_VISIT, type="date"), "mt-2 d-block"),
                *submit_area(Ids.MESSAGE, Ids.SAVE, T["sup_save"]),
            ]
        ),
        id=Ids.FORM_CARD,
        className="mb-3 visit-form",
    )


def layout(**query: Any) -> html.Div:
    """The form (for supervisors and admins) beside the visits; a callback fills both."""
    account = signed_in()
    may_write = account is not None and account.role in WRITERS
    form = visit_form() if may_write else dbc.Alert(T["sup_readonly"], color="light")
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            dcc.Store(id=Ids.META, data={}),
            dbc.Row(
                [
                    dbc.Col(form, xs=12, lg=5),
                    dbc.Col(dcc.Loading(html.Div(id=Ids.CONTENT), delay_show=300), xs=12, lg=7),
                ]
            ),
        ]
    )


VISIT_LIMIT = 50  # the newest visits listed; the rest behind "show all"
VISITS_PARAM = "visits"
SHOW_ALL = "all"


def visit_limit(extra: dict[str, str]) -> int | None:
    """How many visits the list shows: VISIT_LIMIT, or all when the URL says so."""
    return None if extra.get(VISITS_PARAM) == SHOW_ALL else VISIT_LIMIT


def show_all_visits(search: str, shown: int, total: int) -> Any:
    """Under a shortened list of visits: a link to the whole list (None if complete)."""
    if shown >= total:
        return None
    return html.Div(
        dcc.Link(
            T["overdue_show_all"].format(n=total),
            href=_with(search, **{VISITS_PARAM: SHOW_ALL}),
            id=Ids.SHOW_ALL,
        ),
        className="small mt-2",
    )


def visit_table(rows: list[VisitRow], search: str) -> html.Div:
    """The visits, newest first; each opens its detail."""
    if not rows:
        return html.Div(T["sup_no_visits"], className="empty-state text-center py-4")
    body = [
        html.Tr(
            [
                html.Td(fmt_date(r.visited_on), className="text-nowrap"),
                html.Td(dcc.Link(r.unit, href=unit_href(r.unit_id, search), className="unit-link")),
                html.Td(
                    dbc.Badge(
                        VISIT_KIND_NAMES[r.kind], color="danger" if r.kind == "focus" else "info"
                    )
                ),
                html.Td(r.supervisors),
                html.Td(f"{r.open_follow_ups} / {r.follow_ups}", className="text-end"),
                html.Td(
                    dcc.Link(T["sup_open_detail"], href=_with(search, visit=str(r.id))),
                    className="text-nowrap",
                ),
            ]
        )
        for r in rows
    ]
    head = html.Thead(
        html.Tr(
            [
                html.Th(T["sup_col_date"]),
                html.Th(T["sup_col_unit"]),
                html.Th(T["sup_col_kind"]),
                html.Th(VISIT["supervisors"]),
                html.Th(T["sup_col_follow_ups"], className="text-end"),
                html.Th(""),
            ]
        )
    )
    return html.Div(
        dbc.Table([head, html.Tbody(body)], hover=True, size="sm", className="visit-table"),
        className="table-responsive",
    )


def _with(search: str, **params: str) -> str:
    """The supervision page address with some of its own parameters set."""
    state = parse_state(search)
    extra = {k: v for k, v in state.extra.items() if k not in ("visit", "saved", "edit")}
    extra.update(params)
    return f"/supervision{to_search(replace(state, extra=extra))}"


def month_calendar(month: dt.date, days: dict[dt.date, CalendarDay]) -> html.Div:
    """A month grid: visits made (重点督查 in red) and visits planned."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    header = html.Tr([html.Th(d) for d in T["sup_weekdays"]])
    rows = []
    for week in weeks:
        cells = []
        for day in week:
            info = days.get(day)
            marks = []
            if info and info.visits:
                marks.append(
                    dbc.Badge(
                        T["sup_cal_visits"].format(n=info.visits),
                        color="danger" if info.focus else "info",
                        className="me-1",
                    )
                )
            if info and info.planned:
                marks.append(
                    dbc.Badge(T["sup_cal_planned"].format(n=info.planned), color="secondary")
                )
            cells.append(
                html.Td(
                    [html.Div(str(day.day), className="cal-day"), *marks],
                    className="cal-cell" + ("" if day.month == month.month else " cal-other"),
                )
            )
        rows.append(html.Tr(cells))
    return html.Div(
        [
            html.H6(T["fmt_month"].format(year=month.year, month=month.month)),
            dbc.Table(
                [html.Thead(header), html.Tbody(rows)],
                bordered=True,
                size="sm",
                className="visit-calendar",
            ),
        ]
    )


def open_problems_panel(unit: str, problems: list[OpenProblem]) -> dbc.Card:
    """The unit's open problems, shown while logging a visit to it."""
    if not problems:
        body: Any = html.Div(T["sup_no_open_problems"], className="text-muted")
    else:
        body = html.Ul(
            [
                html.Li(
                    [
                        dbc.Badge(SEVERITY_NAMES["serious"], color="danger", className="me-1")
                        if p.severity == "serious"
                        else None,
                        p.description,
                        html.Span(open_problem_meta(p), className="text-muted small"),
                    ]
                )
                for p in problems
            ],
            className="mb-0 open-problems",
        )
    return dbc.Card(
        dbc.CardBody([html.H6(T["sup_open_problems"].format(unit=unit)), body]), className="mb-3"
    )


def open_problem_meta(p: OpenProblem) -> str:
    """`（投诉举报 · 待整改 · 时限 2024年6月3日 · 逾期 5 天）` after an open problem."""
    overdue = T["sup_open_overdue"].format(days=p.days_overdue) if p.days_overdue else ""
    return T["sup_open_meta"].format(
        channel=CHANNEL_NAMES[p.channel],
        status=STATUS_NAMES[p.status],
        deadline=fmt_date(p.deadline),
        overdue=overdue,
    )


def visit_detail_card(detail: VisitDetail, search: str, may_edit: bool) -> dbc.Card:
    """One visit: ratings, findings, notes, follow-ups and where their rectification stands."""
    ratings = [
        html.Li(
            T["sup_rating"].format(criterion=CRITERIA[code][0], rating=RATING_NAMES[value]),
            className=f"rating-{value}",
        )
        for code, value in sorted(detail.ratings.items(), key=lambda kv: CRITERIA[kv[0]][2])
    ]
    follow_ups = [
        html.Tr(
            [
                html.Td(f.description),
                html.Td(f.criterion),
                html.Td(fmt_date(f.deadline), className="text-nowrap"),
                html.Td(f.owner or MISSING),
                html.Td(
                    dbc.Badge(
                        T["sup_status_overdue"].format(status=STATUS_NAMES[f.status])
                        if f.overdue
                        else STATUS_NAMES[f.status],
                        color="danger"
                        if f.overdue
                        else ("success" if f.completed_on else "warning"),
                    )
                ),
            ]
        )
        for f in detail.follow_ups
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.H5(
                            [
                                dcc.Link(detail.unit, href=unit_href(detail.unit_id, search)),
                                " ",
                                dbc.Badge(
                                    VISIT_KIND_NAMES[detail.kind],
                                    color="danger" if detail.kind == "focus" else "info",
                                ),
                            ],
                            className="mb-1",
                        ),
                        dcc.Link(
                            T["sup_edit"],
                            href=_with(search, visit=str(detail.id), edit="1"),
                            className="btn btn-outline-primary btn-sm",
                        )
                        if may_edit
                        else None,
                    ],
                    className="d-flex justify-content-between align-items-start",
                ),
                html.Div(
                    T["sup_detail_meta"].format(
                        date=fmt_date(detail.visited_on),
                        supervisors=detail.supervisors,
                        next=fmt_date(detail.next_visit_on),
                    ),
                    className="text-muted small mb-2",
                ),
                html.H6(VISIT["ratings"]),
                html.Ul(ratings or [html.Li(MISSING)], className="ratings-list"),
                html.H6(VISIT["findings"]),
                html.P(detail.findings or MISSING, className="pre-wrap"),
                html.H6(VISIT["notes"]),
                html.P(detail.notes or MISSING, className="pre-wrap"),
                html.H6(T["sup_follow_ups_count"].format(n=len(detail.follow_ups))),
                _table(
                    (
                        T["sup_fu_col_item"],
                        PROBLEM["criterion_code"],
                        T["sup_fu_col_deadline"],
                        PROBLEM["owner"],
                        T["sup_fu_col_status"],
                    ),
                    follow_ups,
                    "follow-up-table",
                ),
            ]
        ),
        className="mb-3 visit-detail",
        id="sup-detail",
    )


def _table(head: tuple[str, ...], rows: list[Any], class_name: str) -> Any:
    """A small table under its head, or `—` when it has no rows."""
    if not rows:
        return html.P(MISSING)
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
        size="sm",
        className=class_name,
    )


def month_start(day: dt.date) -> dt.date:
    """The first day of a date's month."""
    return day.replace(day=1)


def history_card(history: History) -> dbc.Card:
    """Who changed the visit, when, and what it was before and after (append-only)."""
    return dbc.Card(
        dbc.CardBody([html.H6(T["sup_history"]), history_table(history)]),
        className="mb-3",
        id="sup-history",
    )
