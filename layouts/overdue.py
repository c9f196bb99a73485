"""/overdue — 逾期单位: overdue units ranked, their overdue problems and tasks, focus candidates.

Every list is a grid (layouts/grid.py) holding all its rows: the browser draws only the rows in
view, so a leader can scroll, sort and filter every overdue unit and problem of a city.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from dashboard.colors import BAD, NEUTRAL, count_level, rate_level
from dashboard.ids import Overdue as Ids
from dashboard.state import ViewState, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_int, fmt_rate
from data.evaluation import FocusCandidate
from data.figures import UnitFigures
from data.labels import PROBLEM
from data.overdue import OverdueData, OverdueProblem, OverdueTask
from data.reference import (
    CHANNEL_NAMES,
    KIND_NAMES,
    PHASE_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    Severity,
)
from layouts.common import download_bar, page_skeleton, unit_href
from layouts.grid import LEVEL, LINK, NUMBER, Column, grid

TITLE = T["overdue_title"]

PAGE = dict(path="/overdue", name=TITLE, title=f"{TITLE} · {T['brand']}")


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for the URL's campaign, date and filters."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def shared_search(state: ViewState) -> str:
    """The query string of the shared filters only (for links to other pages)."""
    return to_search(ViewState(state.campaign, state.as_of, state.kinds, state.townships))


def supervision_href(unit_id: int, state: ViewState) -> str:
    """The address for logging a 重点督查 visit to a unit, in the same campaign and date."""
    pairs: list[tuple[str, str]] = []
    if state.campaign is not None:
        pairs.append(("campaign", str(state.campaign)))
    if state.as_of is not None:
        pairs.append(("as_of", state.as_of.isoformat()))
    pairs += [("unit", str(unit_id)), ("kind", "focus")]
    return f"/supervision?{urlencode(pairs)}"


def _none(text: str) -> html.Div:
    """What a section shows when it has nothing to list."""
    return html.Div(text, className="empty-state text-center py-3")


def _card(title: str, note: str, body: Any) -> dbc.Card:
    """A titled section with a line saying what it lists."""
    return dbc.Card(
        [
            dbc.CardHeader(html.H6(title, className="mb-0")),
            dbc.CardBody([html.Div(note, className="small text-muted mb-2"), body]),
        ],
        className="mb-3 h-100",
    )


def _unit_column(min_width: int = 200) -> Column:
    """A unit's name, linking to its page (a long name wraps rather than being cut)."""
    return Column(
        "unit",
        T["overdue_col_unit"],
        LINK,
        href_field="href",
        min_width=min_width,
        flex=2,
        wrap=True,
    )


def _days_column() -> Column:
    """Days overdue: sorted and filtered as a number, always red."""
    return Column(
        "days",
        T["overdue_col_days"],
        NUMBER,
        text_field="days_text",
        level_field="days_level",
        width=110,
    )


def summary_badges(data: OverdueData) -> html.Div:
    """The counts the page is about, each red when not zero."""
    items = [
        (T["overdue_summary_units"], len(data.units)),
        (T["overdue_summary_problems"], data.figures.overdue_problems),
        (T["overdue_summary_tasks"], data.figures.overdue_tasks),
        (T["overdue_summary_focus"], len(data.focus)),
    ]
    return html.Div(
        [
            html.Span(
                text.format(n=fmt_int(n)),
                className=f"badge rounded-pill border me-2 mb-1 bg-white level-{count_level(n)}",
            )
            for text, n in items
        ],
        id=Ids.SUMMARY,
        className="overdue-summary mb-3",
    )


def unit_columns() -> list[Column]:
    """The ranking's columns: the figures sort as numbers and are coloured by level."""
    return [
        Column("rank", T["overdue_col_rank"], NUMBER, width=80, pinned=True),
        _unit_column(),
        Column("kind", T["overdue_col_kind"], min_width=120, flex=1),
        Column("township", T["overdue_col_township"], min_width=100, flex=1),
        Column(
            "problems",
            T["overdue_col_problems"],
            NUMBER,
            text_field="problems_text",
            level_field="problems_level",
            width=110,
        ),
        Column(
            "max_days",
            T["overdue_col_max_days"],
            NUMBER,
            text_field="max_days_text",
            level_field="max_days_level",
            width=140,
        ),
        Column(
            "tasks",
            T["overdue_col_tasks"],
            NUMBER,
            text_field="tasks_text",
            level_field="tasks_level",
            width=110,
        ),
        Column(
            "rate",
            T["overdue_col_rate"],
            NUMBER,
            text_field="rate_text",
            level_field="rate_level",
            width=120,
        ),
    ]


def unit_row(rank: int, unit: UnitFigures, search: str, threshold: float) -> dict[str, Any]:
    """One overdue unit: its rank, name (linking to its page) and figures with their levels."""
    days = unit.max_days_overdue
    return {
        "id": unit.unit_id,
        "rank": rank,
        "unit": unit.unit,
        "href": unit_href(unit.unit_id, search),
        "kind": KIND_NAMES.get(unit.kind, unit.kind),
        "township": unit.township or MISSING,
        "problems": unit.overdue_problems,
        "problems_text": fmt_int(unit.overdue_problems),
        "problems_level": count_level(unit.overdue_problems),
        "max_days": days,
        "max_days_text": fmt_int(days),
        "max_days_level": BAD if days is not None else NEUTRAL,
        "tasks": unit.overdue_tasks,
        "tasks_text": fmt_int(unit.overdue_tasks),
        "tasks_level": count_level(unit.overdue_tasks),
        "rate": unit.rectification_rate,
        "rate_text": fmt_rate(unit.rectification_rate),
        "rate_level": rate_level(unit.rectification_rate, threshold),
    }


def units_grid(units: list[UnitFigures], search: str, threshold: float, as_of: str) -> Any:
    """Every overdue unit in rank order (or a line saying there is none)."""
    if not units:
        return _none(T["overdue_none_units"].format(date=as_of))
    rows = [unit_row(rank, u, search, threshold) for rank, u in enumerate(units, start=1)]
    return grid(Ids.UNITS, unit_columns(), rows, row_id="id")


def problem_columns() -> list[Column]:
    """The overdue problems' columns (no complainant field is among them)."""
    return [
        _unit_column(160),
        Column("description", PROBLEM["description"], min_width=220, flex=2, wrap=True),
        Column("severity", PROBLEM["severity"], LEVEL, level_field="severity_level", width=100),
        Column("channel", PROBLEM["channel"], min_width=110, flex=1),
        Column("deadline", PROBLEM["deadline"], text_field="deadline_text", width=140),
        _days_column(),
        Column("owner", PROBLEM["owner"], min_width=90, flex=1),
        Column("status", PROBLEM["status"], min_width=120, flex=1, wrap=True),
    ]


def problem_row(problem: OverdueProblem, search: str) -> dict[str, Any]:
    """One overdue problem: the deadline sorts by its ISO date, the days as a number."""
    p = problem
    return {
        "id": p.problem_id,
        "unit": p.unit,
        "href": unit_href(p.unit_id, search),
        "description": p.description,
        "severity": SEVERITY_NAMES.get(p.severity, p.severity),
        "severity_level": BAD if p.severity == Severity.SERIOUS else None,
        "channel": CHANNEL_NAMES.get(p.channel, p.channel),
        "deadline": p.deadline.isoformat(),
        "deadline_text": fmt_date(p.deadline),
        "days": p.days_overdue,
        "days_text": fmt_int(p.days_overdue),
        "days_level": BAD,
        "owner": p.owner or MISSING,
        # The status at the page's date: 已整改 since then reads 截至该日未整改（…整改完成）.
        "status": p.status_at_date or STATUS_NAMES.get(p.status, p.status),
    }


def problems_grid(problems: list[OverdueProblem], search: str) -> Any:
    """Every overdue problem, longest overdue first."""
    if not problems:
        return _none(T["overdue_none_problems"])
    rows = [problem_row(p, search) for p in problems]
    return grid(Ids.PROBLEMS, problem_columns(), rows, row_id="id")


def task_columns() -> list[Column]:
    """The overdue tasks' columns."""
    return [
        _unit_column(160),
        Column("task", T["overdue_col_task"], min_width=120, flex=1),
        Column("phase", T["overdue_col_phase"], width=110),
        Column("phase_end", T["overdue_col_phase_end"], text_field="phase_end_text", width=140),
        _days_column(),
    ]


def task_row(task: OverdueTask, search: str) -> dict[str, Any]:
    """One overdue task."""
    return {
        "id": task.task_id,
        "unit": task.unit,
        "href": unit_href(task.unit_id, search),
        "task": task.task,
        "phase": PHASE_NAMES.get(task.phase, task.phase),
        "phase_end": task.phase_ends_on.isoformat(),
        "phase_end_text": fmt_date(task.phase_ends_on),
        "days": task.days_overdue,
        "days_text": fmt_int(task.days_overdue),
        "days_level": BAD,
    }


def tasks_grid(tasks: list[OverdueTask], search: str) -> Any:
    """Every overdue phase task, longest overdue first."""
    if not tasks:
        return _none(T["overdue_none_tasks"])
    return grid(Ids.TASKS, task_columns(), [task_row(t, search) for t in tasks], row_id="id")


def focus_columns() -> list[Column]:
    """The 重点督查 candidates' columns: beside the unit, a link to the focus-visit form (in
    reach on a phone, where the grid scrolls sideways)."""
    return [
        _unit_column(160),
        Column(
            "log",
            T["overdue_focus_log"],
            LINK,
            href_field="log_href",
            width=110,
            filter=False,
        ),
        Column("kind", T["overdue_col_kind"], min_width=140, flex=1, wrap=True),
        Column("reasons", T["overdue_col_reasons"], min_width=220, flex=2, wrap=True),
    ]


def focus_row(candidate: FocusCandidate, state: ViewState) -> dict[str, Any]:
    """One 重点督查 candidate: why it is listed and where to log a visit."""
    c = candidate
    kind = KIND_NAMES.get(c.kind, c.kind)
    if c.township:
        kind = T["overdue_kind_township"].format(kind=kind, township=c.township)
    return {
        "id": c.unit_id,
        "unit": c.unit,
        "href": unit_href(c.unit_id, shared_search(state)),
        "kind": kind,
        "reasons": T["overdue_reasons_sep"].join(c.reasons),
        "log": T["overdue_focus_log"],
        "log_href": supervision_href(c.unit_id, state),
    }


def focus_grid(focus: list[FocusCandidate], state: ViewState) -> Any:
    """Every 重点督查 candidate, most serious first."""
    if not focus:
        return _none(T["overdue_none_focus"])
    return grid(Ids.FOCUS, focus_columns(), [focus_row(c, state) for c in focus], row_id="id")


def overdue_body(data: OverdueData, state: ViewState) -> html.Div:
    """The whole page for one campaign's overdue data."""
    search = shared_search(state)
    as_of = fmt_date(data.figures.as_of)
    caption = html.Div(T["as_of_caption"].format(date=as_of), className="text-muted small mb-1")
    return html.Div(
        [
            caption,
            download_bar(search, [("overdue.xlsx", T["export_overdue"])], "overdue"),
            summary_badges(data),
            html.Div(
                _card(
                    T["overdue_units"],
                    T["overdue_units_note"],
                    units_grid(data.units, search, data.threshold, as_of),
                ),
                className="mb-3",
            ),
            html.Div(
                _card(
                    T["overdue_problems"],
                    T["overdue_problems_note"],
                    problems_grid(data.problems, search),
                ),
                className="mb-3",
            ),
            # Side by side the tasks' dates and days did not fit: each list takes the width.
            html.Div(
                _card(T["overdue_tasks"], T["overdue_tasks_note"], tasks_grid(data.tasks, search)),
                className="mb-3",
            ),
            html.Div(
                _card(T["overdue_focus"], T["overdue_focus_note"], focus_grid(data.focus, state)),
                className="mb-3",
            ),
        ]
    )
