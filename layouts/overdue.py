"""/overdue — 逾期单位: overdue units ranked, their overdue problems and tasks, focus candidates.

Dash's renderer slows down sharply with the number of components on a page, so the tables are
lean (one component per cell, colours on the cell itself) and the two long lists show their
first LIST_LIMIT rows until the URL asks for all of them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

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
from layouts.common import download_bar, page_skeleton, unit_link

TITLE = T["overdue_title"]

PAGE = dict(path="/overdue", name=TITLE, title=f"{TITLE} · {T['brand']}")

LIST_LIMIT = 10
UNITS_LIMIT = 30  # the ranking's head; a city has hundreds of units
ALL_CAP = 500  # "show all" still stops here: the browser cannot draw tens of thousands of rows
SHOW_ALL = "all"
UNITS_PARAM = "units"
PROBLEMS_PARAM = "problems"
TASKS_PARAM = "tasks"
FOCUS_PARAM = "focus"

Cell = tuple[Any, str]  # (content, class name)


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


def _level(level: str, cls: str = "col-num") -> str:
    """The class names of a cell coloured by a level (good / warn / bad / neutral)."""
    return f"{cls} level-{level} fw-semibold"


def _table(
    table_id: str, header: list[Cell], rows: list[list[Cell]], row_class: str, scroll: bool = False
) -> html.Div:
    """A compact striped table: one component per cell; `scroll` boxes it with a sticky header."""
    return html.Div(
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th(text, className=cls) for text, cls in header])),
                html.Tbody(
                    [
                        html.Tr(
                            [html.Td(content, className=cls) for content, cls in row],
                            className=row_class,
                        )
                        for row in rows
                    ]
                ),
            ],
            striped=True,
            hover=True,
            size="sm",
            className="overdue-table mb-0",
            id=table_id,
        ),
        className="table-responsive table-scroll" if scroll else "table-responsive",
    )


def _card(title: str, note: str, body: Any, tools: Any = None) -> dbc.Card:
    """A titled section with a line saying what it lists."""
    return dbc.Card(
        [
            dbc.CardHeader(html.H6(title, className="mb-0")),
            dbc.CardBody([html.Div(note, className="small text-muted mb-2"), body, tools]),
        ],
        className="mb-3 h-100",
    )


def show_all_link(state: ViewState, param: str, shown: int, total: int) -> Any:
    """Under a shortened list: a link to the same view with the whole list (None if complete);
    under a list cut at ALL_CAP, where the whole list is (the download)."""
    if shown >= total:
        return None
    if state.extra.get(param) == SHOW_ALL:
        return html.Div(
            T["overdue_capped"].format(n=shown, total=total),
            className="small text-muted mt-2",
            id=f"{Ids.SHOW_ALL}-{param}",
        )
    extra = {**state.extra, param: SHOW_ALL}
    return html.Div(
        dcc.Link(
            T["overdue_show_all"].format(n=total),
            href=f"{PAGE['path']}{to_search(replace(state, extra=extra))}",
            id=f"{Ids.SHOW_ALL}-{param}",
        ),
        className="small mt-2",
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


def unit_cells(rank: int, unit: UnitFigures, search: str, threshold: float) -> list[Cell]:
    """One overdue unit's row: name linking to its page, its figures coloured by level."""
    days = unit.max_days_overdue
    return [
        (str(rank), "col-num text-muted"),
        (unit_link(unit.unit_id, unit.unit, search), "col-unit"),
        (KIND_NAMES.get(unit.kind, unit.kind), "col-nowrap"),
        (unit.township or MISSING, "col-nowrap"),
        (fmt_int(unit.overdue_problems), _level(count_level(unit.overdue_problems))),
        (fmt_int(days), _level(BAD if days is not None else NEUTRAL)),
        (fmt_int(unit.overdue_tasks), _level(count_level(unit.overdue_tasks))),
        (
            fmt_rate(unit.rectification_rate),
            _level(rate_level(unit.rectification_rate, threshold)),
        ),
    ]


def units_table(units: list[UnitFigures], search: str, threshold: float) -> Any:
    """Every overdue unit in rank order."""
    if not units:
        return None
    header = [
        (T["overdue_col_rank"], "col-num"),
        (T["overdue_col_unit"], "col-unit"),
        (T["overdue_col_kind"], "col-nowrap"),
        (T["overdue_col_township"], "col-nowrap"),
        (T["overdue_col_problems"], "col-num"),
        (T["overdue_col_max_days"], "col-num"),
        (T["overdue_col_tasks"], "col-num"),
        (T["overdue_col_rate"], "col-num"),
    ]
    rows = [unit_cells(rank, u, search, threshold) for rank, u in enumerate(units, start=1)]
    return _table(Ids.UNITS, header, rows, Ids.UNIT_ROW)


def problem_cells(problem: OverdueProblem, search: str) -> list[Cell]:
    """One overdue problem's row (no complainant field is read)."""
    p = problem
    return [
        (unit_link(p.unit_id, p.unit, search), "col-unit"),
        (p.description, "col-desc"),
        (
            SEVERITY_NAMES.get(p.severity, p.severity),
            _level(BAD, "col-nowrap") if p.severity == Severity.SERIOUS else "col-nowrap",
        ),
        (CHANNEL_NAMES.get(p.channel, p.channel), "col-nowrap"),
        (fmt_date(p.deadline), "col-nowrap"),
        (fmt_int(p.days_overdue), _level(BAD)),
        (p.owner or MISSING, "col-nowrap"),
        # The status at the page's date: 已整改 since then reads 截至该日未整改（…整改完成）.
        (p.status_at_date or STATUS_NAMES.get(p.status, p.status), "col-status"),
    ]


def problems_table(problems: list[OverdueProblem], search: str, limit: int | None) -> Any:
    """Overdue problems, longest overdue first (the first `limit`, or all when None)."""
    if not problems:
        return _none(T["overdue_none_problems"])
    header = [
        (T["overdue_col_unit"], "col-unit"),
        (PROBLEM["description"], "col-desc"),
        (PROBLEM["severity"], "col-nowrap"),
        (PROBLEM["channel"], "col-nowrap"),
        (PROBLEM["deadline"], "col-nowrap"),
        (T["overdue_col_days"], "col-num"),
        (PROBLEM["owner"], "col-nowrap"),
        (PROBLEM["status"], "col-nowrap"),
    ]
    rows = [problem_cells(p, search) for p in problems[:limit]]
    return _table(Ids.PROBLEMS, header, rows, "overdue-problem-row", scroll=True)


def task_cells(task: OverdueTask, search: str) -> list[Cell]:
    """One overdue task's row."""
    return [
        (unit_link(task.unit_id, task.unit, search), "col-unit"),
        (task.task, "col-nowrap"),
        (PHASE_NAMES.get(task.phase, task.phase), "col-nowrap"),
        (fmt_date(task.phase_ends_on), "col-nowrap"),
        (fmt_int(task.days_overdue), _level(BAD)),
    ]


def tasks_table(tasks: list[OverdueTask], search: str, limit: int | None) -> Any:
    """Overdue phase tasks, longest overdue first (the first `limit`, or all when None)."""
    if not tasks:
        return _none(T["overdue_none_tasks"])
    header = [
        (T["overdue_col_unit"], "col-unit"),
        (T["overdue_col_task"], "col-nowrap"),
        (T["overdue_col_phase"], "col-nowrap"),
        (T["overdue_col_phase_end"], "col-nowrap"),
        (T["overdue_col_days"], "col-num"),
    ]
    rows = [task_cells(t, search) for t in tasks[:limit]]
    return _table(Ids.TASKS, header, rows, "overdue-task-row", scroll=True)


def focus_cells(candidate: FocusCandidate, state: ViewState) -> list[Cell]:
    """One 重点督查 candidate: why it is listed and where to log a visit."""
    c = candidate
    kind = KIND_NAMES.get(c.kind, c.kind)
    if c.township:
        kind = T["overdue_kind_township"].format(kind=kind, township=c.township)
    return [
        (unit_link(c.unit_id, c.unit, shared_search(state)), "col-unit"),
        (kind, "small"),
        (T["overdue_reasons_sep"].join(c.reasons), "small focus-reasons"),
        (
            dcc.Link(
                T["overdue_focus_log"],
                href=supervision_href(c.unit_id, state),
                className="btn btn-sm btn-outline-primary focus-log",
            ),
            "col-nowrap",
        ),
    ]


def focus_table(focus: list[FocusCandidate], state: ViewState, limit: int | None) -> Any:
    """重点督查 candidates, most serious first (the first `limit`, or all when None)."""
    if not focus:
        return _none(T["overdue_none_focus"])
    header = [
        (T["overdue_col_unit"], "col-unit"),
        (T["overdue_col_kind"], ""),
        (T["overdue_col_reasons"], ""),
        ("", ""),
    ]
    rows = [focus_cells(c, state) for c in focus[:limit]]
    return _table(Ids.FOCUS, header, rows, "overdue-focus-row", scroll=True)


def _limit(state: ViewState, param: str, default: int | None = None) -> int:
    """How many rows a long list shows: LIST_LIMIT (or `default`), or up to ALL_CAP when the
    URL asks for all."""
    if state.extra.get(param) == SHOW_ALL:
        return ALL_CAP
    return LIST_LIMIT if default is None else default


def list_limits(state: ViewState) -> tuple[int, int]:
    """How many overdue problems and tasks the page shows (data/overdue.py reads no more)."""
    return _limit(state, PROBLEMS_PARAM), _limit(state, TASKS_PARAM)


def overdue_body(data: OverdueData, state: ViewState) -> html.Div:
    """The whole page for one campaign's overdue data."""
    search = shared_search(state)
    as_of = fmt_date(data.figures.as_of)
    caption = html.Div(T["as_of_caption"].format(date=as_of), className="text-muted small mb-1")
    units_limit = _limit(state, UNITS_PARAM, UNITS_LIMIT)
    units = units_table(data.units[:units_limit], search, data.threshold)
    if units is not None:
        units = html.Div(
            [
                units,
                show_all_link(state, UNITS_PARAM, len(data.units[:units_limit]), len(data.units)),
            ]
        )
    if units is None:
        units = _none(T["overdue_none_units"].format(date=as_of))
    problems_limit = _limit(state, PROBLEMS_PARAM)
    tasks_limit = _limit(state, TASKS_PARAM)
    focus_limit = _limit(state, FOCUS_PARAM)
    problems_shown = len(data.problems[:problems_limit])
    tasks_shown = len(data.tasks[:tasks_limit])
    focus_shown = len(data.focus[:focus_limit])
    return html.Div(
        [
            caption,
            download_bar(search, [("overdue.xlsx", T["export_overdue"])], "overdue"),
            summary_badges(data),
            html.Div(_card(T["overdue_units"], T["overdue_units_note"], units), className="mb-3"),
            html.Div(
                _card(
                    T["overdue_problems"],
                    T["overdue_problems_note"],
                    problems_table(data.problems, search, problems_limit),
                    show_all_link(
                        state, PROBLEMS_PARAM, problems_shown, data.figures.overdue_problems
                    ),
                ),
                className="mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _card(
                            T["overdue_tasks"],
                            T["overdue_tasks_note"],
                            tasks_table(data.tasks, search, tasks_limit),
                            show_all_link(
                                state, TASKS_PARAM, tasks_shown, data.figures.overdue_tasks
                            ),
                        ),
                        xs=12,
                        xl=5,
                        className="mb-3",
                    ),
                    dbc.Col(
                        _card(
                            T["overdue_focus"],
                            T["overdue_focus_note"],
                            focus_table(data.focus, state, focus_limit),
                            show_all_link(state, FOCUS_PARAM, focus_shown, len(data.focus)),
                        ),
                        xs=12,
                        xl=7,
                        className="mb-3",
                    ),
                ]
            ),
        ]
    )
