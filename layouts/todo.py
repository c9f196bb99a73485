"""/todo — 待办 (#15 催办): a unit's open items nearest deadline first with the ladder step each
has reached; the escalations (督办) for leaders; the day's steps and notices for the 纠风办."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.colors import BAD, NEUTRAL, WARN
from dashboard.ids import Shell, UnitPage
from dashboard.ids import Todo as Ids
from dashboard.state import ViewState, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_int
from data.labels import LIST_SEPARATOR
from data.notices import ITEM_KIND_NAMES, STEP_NAMES
from data.reference import KIND_NAMES
from data.todo import MessageRow, RunRow, StepRow, TodoRow, UnitSteps
from layouts.common import page_skeleton, unit_href
from layouts.grid import LEVEL, LINK, NUMBER, Column, grid
from layouts.overdue import supervision_href

TITLE = T["todo_title"]
PAGE = dict(path="/todo", name=TITLE, title=f"{TITLE} · {T['brand']}")
TIME_FORMAT = "%Y-%m-%d %H:%M"

# Where on the unit's page each kind of item is done.
ITEM_SECTIONS: dict[str, str] = {
    "problem": UnitPage.PROBLEMS,
    "question": UnitPage.QUESTIONS,
    "task": UnitPage.TASKS,
}
# How loud a step is: a reminder is a warning, every later step is late.
STEP_LEVELS: dict[str, str] = {"remind": WARN, "chase": BAD, "escalate": BAD, "focus": BAD}


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for the signed-in account and the URL's date."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def day_unit(working: bool) -> str:
    """天 or 个工作日, as the bureau counts days."""
    return T["todo_unit_working"] if working else T["todo_unit_calendar"]


def days_text(days_left: int, working: bool) -> str:
    """`剩余 3 个工作日`, `今日到期` or `逾期 5 天`."""
    unit = day_unit(working)
    if days_left > 0:
        return T["todo_days_left"].format(n=fmt_int(days_left), unit=unit)
    if days_left == 0:
        return T["todo_due_today"]
    return T["todo_days_overdue"].format(n=fmt_int(-days_left), unit=unit)


def days_level(days_left: int, remind_before: int) -> str:
    """Red once overdue, amber within the reminder's reach, else plain."""
    if days_left < 0:
        return BAD
    return WARN if days_left <= remind_before else NEUTRAL


def year_search(state: ViewState, year: int) -> str:
    """The shared filters' query string for the campaign of `year` (an item's own campaign)."""
    return to_search(ViewState(year, state.as_of, state.kinds, state.townships))


def item_href(kind: str, unit_id: int | None, search: str) -> str | None:
    """Where the item is done: its section of the unit's page (None: no unit)."""
    if unit_id is None:
        return None
    return f"{unit_href(unit_id, search)}#{ITEM_SECTIONS[kind]}"


def step_name(step: str | None) -> str:
    """提醒 / 催办 / 督办 / 重点督查, or — when not chased."""
    return STEP_NAMES.get(step, step) if step else T["todo_not_chased"]


def _none(text: str, element_id: str) -> html.Div:
    """What a section shows when it has nothing to list (in place of the list `element_id`)."""
    return html.Div(text, className="empty-state text-center py-3", id=element_id)


def _card(title: str, note: str | None, body: Any) -> dbc.Card:
    """A titled section with a line saying what it lists."""
    return dbc.Card(
        [
            dbc.CardHeader(html.H6(title, className="mb-0")),
            dbc.CardBody(
                [html.Div(note, className="small text-muted mb-2") if note else None, body]
            ),
        ],
        className="mb-3",
    )


def _summary(text: str) -> html.Div:
    """The line that says what the page holds."""
    return html.Div(text, id=Ids.SUMMARY, className="todo-summary fw-semibold mb-2")


# ---- a unit's list ------------------------------------------------------------------------------


def todo_columns() -> list[Column]:
    """A unit's list: what, its deadline, the days left or overdue, the step reached."""
    return [
        Column("kind", T["todo_col_kind"], width=110),
        Column("number", T["todo_col_number"], width=120),
        Column(
            "item", T["todo_col_item"], LINK, href_field="href", min_width=240, flex=3, wrap=True
        ),
        Column("deadline", T["todo_col_deadline"], text_field="deadline_text", width=150),
        Column(
            "days",
            T["todo_col_days"],
            NUMBER,
            text_field="days_text",
            level_field="days_level",
            width=150,
        ),
        Column("step", T["todo_col_step"], LEVEL, level_field="step_level", width=120),
        Column("step_on", T["todo_col_step_on"], text_field="step_on_text", width=150),
        Column("year", T["todo_col_year"], NUMBER, width=90),
    ]


def todo_row(row: TodoRow, state: ViewState, working: bool, remind_before: int) -> dict[str, Any]:
    """One open item as the grid holds it (its link to its own campaign's unit page)."""
    search = year_search(state, row.year)
    return {
        "id": f"{row.kind}-{row.item_id or row.title}",
        "kind": ITEM_KIND_NAMES[row.kind],
        "number": row.number or MISSING,
        "item": row.title,
        "href": item_href(row.kind, row.unit_id, search),
        "deadline": row.deadline.isoformat(),
        "deadline_text": fmt_date(row.deadline),
        "days": row.days_left,
        "days_text": days_text(row.days_left, working),
        "days_level": days_level(row.days_left, remind_before),
        "step": step_name(row.step),
        "step_level": STEP_LEVELS.get(row.step or "", NEUTRAL),
        "step_on": row.step_on.isoformat() if row.step_on else "",
        "step_on_text": fmt_date(row.step_on) if row.step_on else MISSING,
        "year": row.year,
    }


def unit_body(
    rows: Sequence[TodoRow],
    as_of: dt.date,
    state: ViewState,
    *,
    working: bool,
    remind_before: int,
    has_unit: bool = True,
    notices: Any = None,
) -> html.Div:
    """A unit's 待办: how many, how many late and chased, the list; and the notices the unit
    has been sent (`notices`: NOTICES' list, or None)."""
    if not has_unit:
        return html.Div(_none(T["todo_no_unit"], Ids.LIST))
    date = T["todo_as_of"].format(date=fmt_date(as_of))
    if rows:
        summary = T["todo_unit_summary"].format(
            n=len(rows),
            overdue=sum(1 for r in rows if r.overdue),
            chased=sum(1 for r in rows if r.step is not None),
        )
        parts = [
            _summary(f"{date} · {summary}"),
            html.Div(T["todo_unit_note"], className="small text-muted mb-2"),
            grid(
                Ids.LIST,
                todo_columns(),
                [todo_row(r, state, working, remind_before) for r in rows],
                row_id="id",
            ),
        ]
    else:
        parts = [html.Div(date, className="text-muted"), _none(T["todo_unit_empty"], Ids.LIST)]
    if notices is not None:
        parts.append(
            html.Div(
                _card(T["todo_unit_notices"], None, html.Div(notices, className="todo-notices")),
                id=Ids.NOTICES,
                className="mt-3",
            )
        )
    return html.Div(parts)


# ---- steps: a leader's escalations, the bureau's day and focus list -----------------------------


def step_columns(*, focus_log: bool = False) -> list[Column]:
    """Steps by unit: the unit (to its page), the item, its deadline and days overdue, the step."""
    columns = [
        Column(
            "unit",
            T["todo_col_unit"],
            LINK,
            href_field="unit_href",
            min_width=180,
            flex=2,
            wrap=True,
        ),
    ]
    if focus_log:
        columns.append(
            Column("log", T["todo_focus_log"], LINK, href_field="log_href", width=110, filter=False)
        )
    columns += [
        Column("step", T["todo_col_step"], LEVEL, level_field="step_level", width=120),
        Column("kind", T["todo_col_kind"], width=110),
        Column("number", T["todo_col_number"], width=120),
        Column(
            "item", T["todo_col_item"], LINK, href_field="href", min_width=220, flex=3, wrap=True
        ),
        Column("deadline", T["todo_col_deadline"], text_field="deadline_text", width=150),
        Column(
            "days",
            T["todo_col_overdue"],
            NUMBER,
            text_field="days_text",
            level_field="days_level",
            width=130,
        ),
        Column("due_on", T["todo_col_step_on"], text_field="due_on_text", width=150),
        Column("recipient", T["todo_col_recipient"], min_width=120, flex=1, wrap=True),
    ]
    return columns


def step_row(row: StepRow, state: ViewState, working: bool, focus_log: bool) -> dict[str, Any]:
    """One step as the grid holds it (links to its own campaign's pages; `focus_log`: with
    the way to log a 重点督查 visit)."""
    unit = row.unit or T["todo_bureau_question"]
    search = year_search(state, row.year)
    data = {
        "id": row.step_id,
        "unit": unit,
        "unit_href": unit_href(row.unit_id, search) if row.unit_id is not None else None,
        "step": step_name(row.step),
        "step_level": STEP_LEVELS.get(row.step, NEUTRAL),
        "kind": ITEM_KIND_NAMES[row.kind],
        "number": row.number or MISSING,
        "item": row.title,
        "href": item_href(row.kind, row.unit_id, search),
        "deadline": row.deadline.isoformat(),
        "deadline_text": fmt_date(row.deadline),
        "days": row.days_overdue,
        "days_text": days_text(-row.days_overdue, working) if row.days_overdue else MISSING,
        "days_level": BAD if row.days_overdue else NEUTRAL,
        "due_on": row.due_on.isoformat(),
        "due_on_text": fmt_date(row.due_on),
        "recipient": row.recipient,
    }
    if focus_log and row.unit_id is not None:
        data["log"] = T["todo_focus_log"]
        data["log_href"] = supervision_href(row.unit_id, replace(state, campaign=row.year))
    return data


def steps_grid(
    grid_id: str,
    rows: Sequence[StepRow],
    state: ViewState,
    working: bool,
    empty: str,
    focus_log: bool = False,
    total: int | None = None,
) -> Any:
    """Steps by unit (or the words saying there is none); `total`: how many there are when
    `rows` are only the longest overdue of them (said above the list)."""
    if not rows:
        return _none(empty, grid_id)
    table = grid(
        grid_id,
        step_columns(focus_log=focus_log),
        [step_row(r, state, working, focus_log) for r in rows],
        row_id="id",
    )
    if total is None or total <= len(rows):
        return table
    limited = T["todo_limited"].format(shown=fmt_int(len(rows)), total=fmt_int(total))
    return html.Div([html.Div(limited, className="small text-warning-emphasis mb-2"), table])


def unit_steps_columns() -> list[Column]:
    """A leader's escalations by unit."""
    return [
        Column(
            "unit",
            T["todo_col_unit"],
            LINK,
            href_field="unit_href",
            min_width=200,
            flex=2,
            wrap=True,
        ),
        Column("items", T["todo_col_items"], NUMBER, width=130),
        Column("focus", T["todo_col_focus"], NUMBER, level_field="focus_level", width=150),
        Column("oldest", T["todo_col_oldest"], text_field="oldest_text", width=150),
    ]


def unit_steps_row(row: UnitSteps, state: ViewState) -> dict[str, Any]:
    """One unit's escalations as the grid holds them."""
    search = year_search(state, row.year)
    return {
        "id": str(row.unit_id) if row.unit_id is not None else "bureau",
        "unit": row.unit or T["todo_bureau_question"],
        "unit_href": unit_href(row.unit_id, search) if row.unit_id is not None else None,
        "items": row.items,
        "focus": row.focus,
        "focus_level": BAD if row.focus else NEUTRAL,
        "oldest": row.oldest.isoformat(),
        "oldest_text": fmt_date(row.oldest),
    }


def charge_line(kinds: Sequence[str]) -> str:
    """Which unit kinds the leader's list covers."""
    if not kinds:
        return T["todo_charge_all"]
    return T["todo_charge"].format(kinds=LIST_SEPARATOR.join(KIND_NAMES.get(k, k) for k in kinds))


def escalation_summary(units: Sequence[UnitSteps]) -> str:
    """`督办 3 项，其中列入重点督查 1 项，涉及 2 个单位` (from the counts by unit)."""
    return T["todo_escalations_summary"].format(
        escalate=fmt_int(sum(u.items for u in units)),
        focus=fmt_int(sum(u.focus for u in units)),
        units=fmt_int(len(units)),
    )


def leader_body(
    units: Sequence[UnitSteps],
    rows: Sequence[StepRow],
    kinds: Sequence[str],
    as_of: dt.date,
    state: ViewState,
    working: bool,
) -> html.Div:
    """A leader's escalations counted by unit, then item by item (`rows`: the longest overdue
    of them when there are many)."""
    date = T["todo_as_of"].format(date=fmt_date(as_of))
    parts: list[Any] = [
        _summary(f"{date} · {escalation_summary(units)}"),
        html.Div(charge_line(kinds), className="small text-muted mb-2"),
    ]
    if units:
        parts.append(
            _card(
                T["todo_escalation_units"],
                T["todo_escalation_units_note"],
                grid(
                    Ids.ESCALATION_UNITS,
                    unit_steps_columns(),
                    [unit_steps_row(u, state) for u in units],
                    row_id="id",
                ),
            )
        )
    total = sum(u.items for u in units)
    parts.append(
        _card(
            T["todo_escalations"],
            T["todo_escalations_note"],
            steps_grid(
                Ids.ESCALATIONS, rows, state, working, T["todo_escalations_empty"], total=total
            ),
        )
    )
    return html.Div(parts)


# ---- the bureau's day ---------------------------------------------------------------------------


def run_line(run: RunRow | None) -> str:
    """When the daily job last ran, from where, and what it made."""
    if run is None:
        return T["todo_run_never"]
    sources = {"cli": T["todo_run_source_cli"], "server": T["todo_run_source_server"]}
    finished = (
        T["todo_run_finished"].format(at=run.finished_at.strftime(TIME_FORMAT))
        if run.finished_at
        else T["todo_run_running"]
    )
    return T["todo_run_last"].format(
        day=fmt_date(run.run_on),
        source=sources.get(run.source, run.source),
        started=run.started_at.strftime(TIME_FORMAT),
        finished=finished,
        n=fmt_int(run.created),
    )


def message_state(m: MessageRow) -> tuple[str, str]:
    """A message's state in words and its level."""
    if m.sent_at is not None:
        return T["todo_state_sent"].format(at=m.sent_at.strftime(TIME_FORMAT)), NEUTRAL
    if m.failed_at is not None:
        return T["todo_state_failed"].format(at=m.failed_at.strftime(TIME_FORMAT)), BAD
    if m.attempts:
        return T["todo_state_retrying"], WARN
    return T["todo_state_pending"], NEUTRAL


def outbox_columns() -> list[Column]:
    """The messages' log."""
    return [
        Column("created", T["todo_col_created"], width=160),
        Column("channel", T["todo_col_channel"], width=110),
        Column("to", T["todo_col_to"], min_width=160, flex=1, wrap=True),
        Column("subject", T["todo_col_subject"], min_width=200, flex=2, wrap=True),
        Column("state", T["todo_col_state"], LEVEL, level_field="level", width=190),
        Column("attempts", T["todo_col_attempts"], NUMBER, width=110),
        Column("error", T["todo_col_error"], min_width=160, flex=1, wrap=True),
    ]


def outbox_row(m: MessageRow) -> dict[str, Any]:
    """One message as the grid holds it."""
    channels = {"email": T["todo_channel_email"], "webhook": T["todo_channel_webhook"]}
    state, level = message_state(m)
    return {
        "id": m.message_id,
        "created": m.created_at.strftime(TIME_FORMAT),
        "channel": channels.get(m.channel, m.channel),
        "to": m.recipient,
        "subject": m.subject,
        "state": state,
        "level": level,
        "attempts": m.attempts,
        "error": m.last_error or "",
    }


def outbox_grid(messages: Sequence[MessageRow]) -> Any:
    """The latest messages (or the words saying none was sent)."""
    if not messages:
        return _none(T["todo_outbox_empty"], Ids.OUTBOX)
    return grid(Ids.OUTBOX, outbox_columns(), [outbox_row(m) for m in messages], row_id="id")


def bureau_body(
    *,
    day: dt.date,
    steps: Sequence[StepRow],
    focus: Sequence[StepRow],
    counts: dict[str, int],
    notices: Any,
    run: RunRow | None,
    messages: Sequence[MessageRow],
    state: ViewState,
    working: bool,
) -> html.Div:
    """The 纠风办's and supervisors' page: the day's steps and notices, the 重点督查 list, the
    last run and the messages' log (`counts`: data.todo.step_counts, how many steps and
    items there are when the lists hold only the longest overdue)."""
    return html.Div(
        [
            _summary(
                T["todo_day_summary"].format(
                    date=fmt_date(day),
                    steps=fmt_int(counts["day"]),
                    focus=fmt_int(counts["focus"]),
                )
            ),
            html.Div(run_line(run), id=Ids.RUN, className="small text-muted mb-3"),
            _card(
                T["todo_day"].format(date=fmt_date(day)),
                T["todo_day_note"],
                steps_grid(
                    Ids.DAY, steps, state, working, T["todo_day_empty"], total=counts["day"]
                ),
            ),
            _card(
                T["todo_notices"], None, html.Div(notices, id=Ids.NOTICES, className="todo-notices")
            ),
            _card(
                T["todo_focus"],
                T["todo_focus_note"],
                steps_grid(
                    Ids.FOCUS,
                    focus,
                    state,
                    working,
                    T["todo_focus_empty"],
                    True,
                    total=counts["focus"],
                ),
            ),
            _card(T["todo_outbox"], T["todo_outbox_note"], outbox_grid(messages)),
        ]
    )


# ---- elsewhere: the navbar's number, the overview's line ----------------------------------------


def nav_count(n: int) -> tuple[str, str, str]:
    """The navbar badge's text, classes and title (hidden at zero)."""
    if n <= 0:
        return "", "d-none", ""
    return (
        fmt_int(n),
        "badge rounded-pill bg-danger ms-1 todo-badge",
        T["todo_nav_count"].format(n=n),
    )


def overview_line(text: str, search: str) -> html.Div:
    """The overview's way to the escalations (or to the unit's list)."""
    return html.Div(
        [
            html.Span(text, className="me-2"),
            dcc.Link(T["todo_overview_open"], href=f"/todo{search}", id=Ids.OVERVIEW_OPEN),
        ],
        className="alert alert-warning py-2 mb-2 small",
    )


def todo_nav_item() -> dbc.NavItem:
    """The navbar's 待办 link with its number (filled by callbacks/todo.py)."""
    return dbc.NavItem(
        dbc.NavLink(
            [TITLE, html.Span(id=Ids.NAV_COUNT, className="d-none")],
            href=PAGE["path"],
            active="exact",
            id=Shell.nav(PAGE["path"]),
        )
    )
