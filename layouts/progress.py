"""/progress — 阶段进度: phase timeline, completion heatmaps, unit × task grid, overdue tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from html import escape
from itertools import groupby
from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts.base import graph
from dashboard.charts.progress import heatmap_figure, timeline_figure
from dashboard.ids import Progress as Ids
from dashboard.state import ViewState, to_search
from dashboard.text import T, fmt_date
from data.figures import CampaignFigures
from data.labels import UNIT
from data.progress import STATUSES, GridCell, OverdueTask, PhaseCompletion, TaskGrid
from data.reference import KIND_NAMES, PHASE_NAMES
from layouts.common import empty_state, page_skeleton, unit_href, unit_link

TITLE = T["progress_title"]

PAGE = dict(path="/progress", name=TITLE, title=f"{TITLE} · {T['brand']}")

SHOWN = 20
TASKS_PARAM = "tasks"
TASKS_ALL = "all"

# What a grid cell shows besides its colour (so the state reads without colour too).
DONE_MARK = "✓"
NONE_MARK = "—"


@dataclass(frozen=True)
class ProgressData:
    """Everything the page shows."""

    as_of: dt.date
    figures: CampaignFigures
    by_kind: list[PhaseCompletion]
    by_township: list[PhaseCompletion]
    grid: TaskGrid
    overdue: list[OverdueTask]


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for the URL's campaign, date and filters."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def _card(title: str, body: Any, extra: Any = None) -> dbc.Card:
    """A titled card (optionally with something on the header's right)."""
    header = html.Div(
        [html.H6(title, className="mb-0 me-auto"), extra],
        className="d-flex flex-wrap align-items-center gap-2",
    )
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="mb-3")


def _shared_search(state: ViewState) -> str:
    """The shared filters (campaign, date, kind, township) without the page's own parameters."""
    return to_search(ViewState(state.campaign, state.as_of, state.kinds, state.townships))


# --- the unit × task grid ----------------------------------------------------------------


def cell_hover(unit: str, task: str, cell: GridCell | None) -> str:
    """The Chinese tooltip of a grid cell: unit / task / its state."""
    if cell is None:
        state = T["progress_status_none"]
    elif cell.status == "upcoming":
        state = T["progress_status_upcoming"]
    elif cell.status == "done":
        state = T["progress_hover_done"].format(date=fmt_date(cell.completed_on))
    elif cell.status == "overdue":
        state = T["progress_hover_overdue"].format(n=cell.days_overdue)
    else:
        state = T["progress_hover_open"]
    return f"{unit} / {task} / {state}"


def cell_mark(cell: GridCell | None) -> str:
    """The text in a grid cell: ✓ done, the days of an overdue task, blank while open or while
    its phase has not started."""
    if cell is None:
        return NONE_MARK
    if cell.status == "done":
        return DONE_MARK
    if cell.status == "overdue":
        return T["progress_days"].format(n=cell.days_overdue)
    return ""


def cell_class(cell: GridCell | None) -> str:
    """The cell's CSS class; its colour is the shared green / neutral / red (assets/app.css)."""
    return f"tg-cell tg-{cell.status if cell else 'none'}"


def grid_legend(grid: TaskGrid) -> html.Div:
    """Swatches in the cells' own classes, and how many cells have each state."""
    samples: list[tuple[GridCell | None, str]] = [
        (GridCell("done"), T["progress_status_done"]),
        (GridCell("open"), T["progress_status_open"]),
        (GridCell("overdue", days_overdue=3), T["progress_status_overdue"]),
        (None, T["progress_status_none"]),
    ]
    if grid.not_started:
        samples.insert(3, (GridCell("upcoming"), T["progress_status_upcoming"]))
    swatches = [
        html.Span(
            [html.Span(cell_mark(c), className=f"{cell_class(c)} tg-swatch"), label],
            className="tg-legend-item",
        )
        for c, label in samples
    ]
    counts = T["progress_grid_counts"].format(**{s: grid.count(s) for s in STATUSES})
    if grid.not_started:
        counts += T["progress_grid_upcoming"].format(n=grid.count("upcoming"))
    return html.Div(
        [
            html.Div(swatches, id=Ids.GRID_LEGEND, className="tg-legend"),
            html.Div(counts, id=Ids.GRID_COUNTS, className="tg-counts"),
        ],
        className="d-flex flex-wrap align-items-center gap-3 mb-2",
    )


def _tag(name: str, text: str, cls: str = "", title: str = "", **attrs: str | int) -> str:
    """One HTML element; every text and attribute value is escaped."""
    parts = [name]
    if cls:
        parts.append(f'class="{escape(cls)}"')
    if title:
        parts.append(f'title="{escape(title)}"')
    parts += [f'{key}="{escape(str(value))}"' for key, value in attrs.items()]
    return f"<{' '.join(parts)}>{text}</{name}>"


def task_grid_html(grid: TaskGrid, state: ViewState) -> str:
    """The grid as one escaped HTML table: units (rows) × tasks grouped by phase (columns).

    Shown in a sandboxed frame (task_grid_table): ~2,000 cells as Dash components take the
    browser tens of seconds, one HTML string a fraction of a second.
    """
    shared = _shared_search(state)
    first_of_phase: set[int] = set()
    head = [_tag("th", escape(T["progress_col_unit"]), "tg-unit tg-corner", rowspan=2)]
    for phase, group in groupby(grid.tasks, key=lambda t: t.phase):
        tasks = list(group)
        first_of_phase.add(tasks[0].template_id)
        name = PHASE_NAMES.get(phase, phase)
        if phase in grid.not_started:
            name = T["progress_phase_not_started"].format(phase=name)
        head.append(_tag("th", escape(name), "tg-phase tg-phase-start", colspan=len(tasks)))
    head.append(_tag("th", escape(T["progress_col_done"]), "tg-total tg-corner", rowspan=2))

    def start(template_id: int) -> str:
        return " tg-phase-start" if template_id in first_of_phase else ""

    names = [
        _tag(
            "th",
            escape(t.name),
            "tg-task" + start(t.template_id),
            f"{PHASE_NAMES.get(t.phase, t.phase)} / {t.name}",
        )
        for t in grid.tasks
    ]
    rows: list[str] = []
    for unit in grid.units:
        cells = [grid.cell(unit.unit_id, t.template_id) for t in grid.tasks]
        # A phase not yet started counts nowhere, as in the figures.
        counted = [c for c in cells if c is not None and c.status != "upcoming"]
        done = sum(1 for c in counted if c.status == "done")
        link = _tag(
            "a",
            escape(unit.unit),
            "unit-link",
            href=unit_href(unit.unit_id, shared),
            target="_top",
        )
        tds = [_tag("td", _tag("div", link, "tg-name"), "tg-unit")]
        tds += [
            _tag(
                "td",
                escape(cell_mark(cell)),
                cell_class(cell) + start(task.template_id),
                cell_hover(unit.unit, task.name, cell),
            )
            for task, cell in zip(grid.tasks, cells, strict=True)
        ]
        tds.append(_tag("td", f"{done}/{len(counted)}", "tg-total"))
        rows.append(_tag("tr", "".join(tds), **{"data-kind": unit.kind}))
    thead = _tag("thead", _tag("tr", "".join(head)) + _tag("tr", "".join(names)))
    return _tag("table", thead + _tag("tbody", "".join(rows)), "task-grid")


# The grid's frame may only navigate the page it sits in when the user clicks a unit (or open
# it in a new tab); it runs no script and has no access to the dashboard's cookies or storage.
GRID_SANDBOX = "allow-top-navigation-by-user-activation allow-popups allow-popups-to-escape-sandbox"
ASSETS = Path(__file__).resolve().parent.parent / "assets"


@cache
def _grid_css() -> str:
    """The shared colour levels and the grid's own styles, inlined into the grid's document."""
    return (ASSETS / "app.css").read_text("utf-8") + (ASSETS / "progress.css").read_text("utf-8")


def task_grid_document(grid: TaskGrid, state: ViewState) -> str:
    """The grid as a standalone HTML document for a sandboxed frame."""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{_grid_css()}</style></head>"
        f'<body class="tg-body">{task_grid_html(grid, state)}</body></html>'
    )


def task_grid_table(grid: TaskGrid, state: ViewState) -> html.Div:
    """The grid in a scrolling frame with sticky headers, its legend and counts.

    The ~2,000 cells would take the Dash renderer tens of seconds as components, so the table
    is one HTML string (every value escaped by _tag) shown in an iframe sandboxed without
    scripts: even a name that escaped escaping could not run there.
    """
    if not grid.units:
        return empty_state(T["progress_no_units"])
    if not grid.tasks:
        return empty_state(T["progress_no_tasks"])
    return html.Div(
        [
            grid_legend(grid),
            html.Iframe(
                srcDoc=task_grid_document(grid, state),
                sandbox=GRID_SANDBOX,
                id=Ids.GRID,
                className="task-grid-frame",
                title=T["progress_grid"],
            ),
            html.Div(T["progress_grid_hint"], className="form-text"),
        ]
    )


# --- overdue tasks -----------------------------------------------------------------------


def overdue_table(tasks: list[OverdueTask], state: ViewState) -> html.Div:
    """The overdue tasks, first SHOWN unless the URL asks for all, with a show-all link."""
    shared = _shared_search(state)
    show_all = state.extra.get(TASKS_PARAM) == TASKS_ALL
    count = html.Div(
        T["progress_overdue_count"].format(n=len(tasks)),
        id=Ids.OVERDUE_COUNT,
        className="fw-semibold mb-2" + (" level-bad" if tasks else ""),
    )
    if not tasks:
        return html.Div([count, empty_state(T["progress_no_overdue"])])
    shown = tasks if show_all else tasks[:SHOWN]
    head = html.Thead(
        html.Tr(
            [
                html.Th(T["progress_col_unit"]),
                html.Th(T["progress_col_task"]),
                html.Th(T["progress_col_phase"]),
                html.Th(T["progress_col_end"]),
                html.Th(T["progress_col_days"]),
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(unit_link(t.unit_id, t.unit, shared), className="text-break"),
                    html.Td(t.task, className="text-break"),
                    html.Td(PHASE_NAMES.get(t.phase, t.phase)),
                    html.Td(fmt_date(t.phase_end)),
                    html.Td(str(t.days_overdue), className="text-end level-bad"),
                ]
            )
            for t in shown
        ]
    )
    parts: list[Any] = [
        count,
        dbc.Table(
            [head, body], size="sm", striped=True, hover=True, responsive=True, id=Ids.OVERDUE
        ),
    ]
    if len(tasks) > SHOWN:
        extra = {k: v for k, v in state.extra.items() if k != TASKS_PARAM}
        if show_all:
            label = T["progress_show_first"].format(n=SHOWN)
        else:
            label = T["progress_show_all"].format(n=len(tasks))
            extra[TASKS_PARAM] = TASKS_ALL
        parts.append(
            dcc.Link(
                label,
                id=Ids.SHOW_ALL,
                href=f"{PAGE['path']}{to_search(replace(state, extra=extra))}",
            )
        )
    return html.Div(parts)


# --- the page ----------------------------------------------------------------------------


def progress_body(data: ProgressData, state: ViewState) -> html.Div:
    """The filled page."""
    f = data.figures
    timeline = graph(
        Ids.TIMELINE, timeline_figure(f.phase_windows, f.phase_progress, data.as_of), TITLE
    )
    ended = {p for p in f.phase_windows if f.phase_ended(p)}
    not_started = f.not_started
    if data.by_kind:
        by_kind = graph(
            Ids.BY_KIND,
            heatmap_figure(
                data.by_kind, KIND_NAMES, UNIT["kind"], ended, list(KIND_NAMES), not_started
            ),
            T["progress_file_by_kind"],
        )
        by_township = graph(
            Ids.BY_TOWNSHIP,
            heatmap_figure(
                data.by_township, {}, T["progress_axis_township"], ended, (), not_started
            ),
            T["progress_file_by_township"],
        )
    else:
        # No task counts: none in scope, or no phase started by the as-of date.
        empty = T["progress_none_started"] if data.grid.tasks and not_started else None
        by_kind = by_township = empty_state(empty or T["progress_no_tasks"])
    return html.Div(
        [
            _card(T["progress_timeline"], timeline),
            dbc.Row(
                [
                    dbc.Col(_card(T["progress_by_kind"], by_kind), lg=6),
                    dbc.Col(_card(T["progress_by_township"], by_township), lg=6),
                ]
            ),
            _card(T["progress_grid"], task_grid_table(data.grid, state)),
            _card(T["progress_overdue"], overdue_table(data.overdue, state)),
        ]
    )
