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
from dashboard.colors import BAD
from dashboard.ids import SUPERVISION_FORM, SUPERVISION_ROWS, Topics
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
from layouts.attachments import attachment_panel
from layouts.common import search_from_query, unit_href
from layouts.forms import (
    RowText,
    dropdown,
    follow_up_section,
    labelled,
    side_by_side,
    submit_area,
)
from layouts.forms import follow_up_row as shared_follow_up_row
from layouts.grid import LEVEL, LINK, NUMBER, Column, grid
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
                *field("unit_id", dropdown(id=Ids.UNIT, placeholder=UNIT_HINT), None),
                side_by_side(
                    field("visited_on", dbc.Input(id=Ids.DATE, type="date")),
                    field("kind", kind, html_for=False),
                ),
                *field(
                    "supervisors",
                    dbc.Input(id=Ids.SUPERVISORS, maxLength=100, placeholder=NAMES_HINT),
                ),
                *field(
                    "topic_ids",
                    dropdown(
                        id=Topics.VISIT_TOPICS,
                        multi=True,
                        placeholder=T["sup_topics_hint"],
                        className="form-dropdown",
                    ),
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
    """The form (for supervisors and admins) beside the visits, or for those who only read,
    the visits across the page; a callback fills them."""
    account = signed_in()
    may_write = account is not None and account.role in WRITERS
    content = dcc.Loading(html.Div(id=Ids.CONTENT), delay_show=300)
    if may_write:
        body = dbc.Row([dbc.Col(visit_form(), xs=12, lg=5), dbc.Col(content, xs=12, lg=7)])
    else:  # nothing to fill in: the visits take the page's width
        body = html.Div(
            [dbc.Alert(T["sup_readonly"], color="light", className="py-2 small"), content]
        )
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            dcc.Store(id=Ids.META, data={}),
            body,
        ]
    )


def visit_columns() -> list[Column]:
    """The visits' columns: the unit links to its page, 详情 opens the visit (and, for those
    who may, its 修改)."""
    return [
        Column("visited_on", T["sup_col_date"], text_field="date_text", width=128),
        Column(
            "unit",
            T["sup_col_unit"],
            LINK,
            href_field="unit_href",
            min_width=140,
            flex=2,
            wrap=True,
        ),
        Column("kind", T["sup_col_kind"], LEVEL, level_field="kind_level", width=100),
        Column("supervisors", VISIT["supervisors"], min_width=110, flex=1, wrap=True),
        Column(
            "open_follow_ups",
            T["sup_col_follow_ups"],
            NUMBER,
            text_field="follow_ups_text",
            width=112,
        ),
        Column("detail", "", LINK, href_field="detail_href", width=72, filter=False),
    ]


def visit_row(r: VisitRow, search: str) -> dict[str, Any]:
    """One visit as plain values: the ISO date sorts, the page's date is shown."""
    return {
        "id": r.id,
        "visited_on": r.visited_on.isoformat(),
        "date_text": fmt_date(r.visited_on),
        "unit": r.unit,
        "unit_href": unit_href(r.unit_id, search),
        "kind": VISIT_KIND_NAMES[r.kind],
        "kind_level": BAD if r.kind == "focus" else "",
        "supervisors": r.supervisors,
        "open_follow_ups": r.open_follow_ups,
        "follow_ups_text": f"{r.open_follow_ups} / {r.follow_ups}",
        "detail": T["sup_open_detail"],
        "detail_href": _with(search, visit=str(r.id)),
    }


def visit_grid(rows: list[VisitRow], search: str) -> html.Div:
    """Every visit, newest first, in a grid that sorts and filters; each opens its detail."""
    if not rows:
        return html.Div(T["sup_no_visits"], className="empty-state text-center py-4")
    return grid(
        Ids.GRID,
        visit_columns(),
        [visit_row(r, search) for r in rows],
        row_id="id",
        class_name="visit-grid mt-2",
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


def open_problem_columns() -> list[Column]:
    """The unit's open problems: what, whence, where it stands, by when, how late."""
    return [
        Column("description", PROBLEM["description"], min_width=180, flex=1, wrap=True),
        Column("severity", PROBLEM["severity"], LEVEL, level_field="severity_level", width=92),
        Column("channel", PROBLEM["channel"], width=100),
        Column("status", PROBLEM["status"], width=92),
        Column("deadline", PROBLEM["deadline"], text_field="deadline_text", width=125),
        Column(
            "days_overdue",
            T["sup_op_col_overdue"],
            NUMBER,
            text_field="overdue_text",
            level_field="overdue_level",
            width=96,
        ),
    ]


def open_problem_row(p: OpenProblem) -> dict[str, Any]:
    """One open problem as plain values (days overdue sorts as a number; none shows —)."""
    return {
        "id": p.id,
        "description": p.description,
        "severity": SEVERITY_NAMES[p.severity],
        "severity_level": BAD if p.severity == "serious" else "",
        "channel": CHANNEL_NAMES[p.channel],
        "status": STATUS_NAMES[p.status],
        "deadline": p.deadline.isoformat(),
        "deadline_text": fmt_date(p.deadline),
        "days_overdue": p.days_overdue,
        "overdue_text": MISSING if p.days_overdue is None else str(p.days_overdue),
        "overdue_level": BAD if p.days_overdue else "",
    }


def open_problems_panel(unit: str, problems: list[OpenProblem]) -> dbc.Card:
    """Every open problem of the unit, most overdue first, shown while logging a visit to it."""
    if not problems:
        body: Any = html.Div(T["sup_no_open_problems"], className="text-muted")
    else:
        body = grid(
            Ids.OPEN_GRID,
            open_problem_columns(),
            [open_problem_row(p) for p in problems],
            row_id="id",
            view_rows=10,
            auto_height_rows=10,
            class_name="open-problems",
        )
    return dbc.Card(
        dbc.CardBody([html.H6(T["sup_open_problems"].format(unit=unit)), body]), className="mb-3"
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
                html.Div(
                    [
                        html.Strong(T["topic_visit_topics"]),
                        *[
                            dcc.Link(title, href=f"/topics/{tid}", className="me-2")
                            for tid, title in detail.topics
                        ],
                    ],
                    className="small mb-2 visit-topics",
                )
                if detail.topics
                else None,
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
                # #18: the visit's files (the server checks again on every upload/removal).
                attachment_panel(
                    "visit", detail.id, can_upload=may_edit, title=T["att_visit"], place="visit"
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
