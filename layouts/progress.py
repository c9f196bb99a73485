"""/progress — 阶段进度: phase timeline, completion heatmaps, unit × task grid, overdue tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.charts.base import graph
from dashboard.charts.progress import heatmap_figure, timeline_figure
from dashboard.colors import BAD, GOOD, NEUTRAL
from dashboard.ids import Progress as Ids
from dashboard.state import ViewState, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_rate
from data.figures import CampaignFigures, rate
from data.labels import UNIT
from data.progress import (
    STATUSES,
    GridCell,
    GridTask,
    GridUnit,
    OverdueTask,
    PhaseCompletion,
    TaskGrid,
)
from data.reference import KIND_NAMES, PHASE_NAMES
from layouts.common import empty_state, page_skeleton, unit_href
from layouts.grid import LEVEL, LINK, NUMBER, Column, column_def
from layouts.grid import grid as data_grid

TITLE = T["progress_title"]

PAGE = dict(path="/progress", name=TITLE, title=f"{TITLE} · {T['brand']}")

# What a grid cell shows besides its colour (so the state reads without colour too).
DONE_MARK = "✓"
NONE_MARK = MISSING
# A task's column is never narrower than this (px); the tasks share what room is left.
TASK_MIN_WIDTH = 64


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

# A task's column sorts by the cell's state: no such task, done, not started, open, then the
# days overdue (most overdue first when sorted descending).
_STATUS_RANK = {"done": -2, "upcoming": -1, "open": 0}
_STATUS_LEVEL = {"done": GOOD, "open": NEUTRAL, "overdue": BAD, "upcoming": NEUTRAL}


def cell_state(cell: GridCell | None) -> str:
    """The cell's state in words: its tooltip, and what its column's filter searches."""
    if cell is None:
        return T["progress_status_none"]
    if cell.status == "upcoming":
        return T["progress_status_upcoming"]
    if cell.status == "done":
        return T["progress_hover_done"].format(date=fmt_date(cell.completed_on))
    if cell.status == "overdue":
        return T["progress_hover_overdue"].format(n=cell.days_overdue)
    return T["progress_hover_open"]


def cell_mark(cell: GridCell | None) -> str:
    """The text in a cell: ✓ done, the days of an overdue task, 未完成 while its phase runs,
    未开始 before it starts, — when the unit has no such task."""
    if cell is None:
        return NONE_MARK
    if cell.status == "done":
        return DONE_MARK
    if cell.status == "overdue":
        return T["progress_days"].format(n=cell.days_overdue)
    if cell.status == "upcoming":
        return T["progress_cell_upcoming"]
    return T["progress_hover_open"]


def cell_level(cell: GridCell | None) -> str | None:
    """The cell's colour level (the shared green / neutral / red); none without the task."""
    return None if cell is None else _STATUS_LEVEL[cell.status]


def cell_rank(cell: GridCell | None) -> int | None:
    """What the cell sorts by (see _STATUS_RANK)."""
    if cell is None:
        return None
    if cell.status == "overdue":
        return cell.days_overdue
    return _STATUS_RANK[cell.status]


def swatch_class(cell: GridCell | None) -> str:
    """A legend swatch's classes: the level class the cells carry, tinted as they are."""
    level = cell_level(cell)
    return f"tg-swatch level-{level}" if level else "tg-swatch"


def grid_legend(grid: TaskGrid) -> html.Div:
    """Swatches drawn as the cells are, and how many cells have each state."""
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
            [html.Span(cell_mark(c), className=swatch_class(c)), label],
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


def task_field(task: GridTask) -> str:
    """The row key of a task's column."""
    return f"t{task.template_id}"


UNIT_COLUMN = Column(
    "unit", T["progress_col_unit"], LINK, href_field="href", width=150, wrap=True, pinned=True
)
RATE_COLUMN = Column("rate", T["progress_col_rate"], NUMBER, text_field="rate_text", width=100)


def task_column(task: GridTask) -> Column:
    """A task's column: its mark (`<field>_text`) coloured by `<field>_level`."""
    field = task_field(task)
    return Column(
        field,
        task.name,
        LEVEL,
        text_field=f"{field}_text",
        level_field=f"{field}_level",
        min_width=TASK_MIN_WIDTH,
        flex=1,
    )


def _row_field(field: str) -> dict[str, str]:
    """Another field of the row, read by dash-ag-grid's own parser (no eval)."""
    return {"function": f"params.data ? params.data.{field} : ''"}


def task_column_def(task: GridTask, first_of_phase: bool) -> dict[str, Any]:
    """A task's column definition: filtered and hovered by the state in words, its header
    wrapping; the first task of a phase has a rule on its left."""
    field = task_field(task)
    start = " tg-phase-start" if first_of_phase else ""
    d = column_def(task_column(task), extra_class=f"tg-cell{start}")
    d["filterValueGetter"] = _row_field(f"{field}_state")
    d["tooltipField"] = f"{field}_state"
    d["headerTooltip"] = f"{PHASE_NAMES.get(task.phase, task.phase)} / {task.name}"
    # The state has its own search in the header's filter button; a box under each narrow
    # column would be too small to type in.
    d["floatingFilter"] = False
    d["wrapHeaderText"] = True
    d["autoHeaderHeight"] = True
    d["headerClass"] = f"tg-task{start}"
    return d


def grid_column_defs(grid: TaskGrid) -> list[dict[str, Any]]:
    """The unit (pinned left), the tasks grouped under their phases, the completion rate."""
    defs = [column_def(UNIT_COLUMN)]
    for phase, group in groupby(grid.tasks, key=lambda t: t.phase):
        name = PHASE_NAMES.get(phase, phase)
        if phase in grid.not_started:
            name = T["progress_phase_not_started"].format(phase=name)
        defs.append(
            {
                "headerName": name,
                "headerClass": "tg-phase tg-phase-start",
                "marryChildren": True,
                "children": [task_column_def(t, i == 0) for i, t in enumerate(group)],
            }
        )
    rate_def = column_def(RATE_COLUMN)
    rate_def["tooltipField"] = "rate_tip"
    defs.append(rate_def)
    return defs


def grid_row(
    unit: GridUnit, grid: TaskGrid, done_total: tuple[int, int], search: str
) -> dict[str, Any]:
    """One unit's row: its link, each task's sort key, mark, level and state, its rate."""
    done, total = done_total
    unit_rate = rate(done, total)
    row: dict[str, Any] = {
        "id": unit.unit_id,
        "unit": unit.unit,
        "href": unit_href(unit.unit_id, search),
        "rate": unit_rate,
        "rate_text": fmt_rate(unit_rate),
        "rate_tip": T["progress_rate_tip"].format(done=done, n=total),
    }
    for task in grid.tasks:
        cell = grid.cell(unit.unit_id, task.template_id)
        field = task_field(task)
        row[field] = cell_rank(cell)
        row[f"{field}_text"] = cell_mark(cell)
        row[f"{field}_level"] = cell_level(cell)
        row[f"{field}_state"] = cell_state(cell)
    return row


def task_grid_table(
    grid: TaskGrid, done_total: Mapping[int, tuple[int, int]], state: ViewState
) -> html.Div:
    """Every unit × every task as a grid, with its legend and counts.

    `done_total` is each unit's tasks done and counted (phases started by the as-of date) as
    CampaignFigures.by_unit has them; a unit missing from it has none.
    """
    if not grid.units:
        return empty_state(T["progress_no_units"])
    if not grid.tasks:
        return empty_state(T["progress_no_tasks"])
    shared = _shared_search(state)
    table = data_grid(
        Ids.GRID,
        [UNIT_COLUMN, *map(task_column, grid.tasks), RATE_COLUMN],
        [grid_row(u, grid, done_total.get(u.unit_id, (0, 0)), shared) for u in grid.units],
        row_id="id",
        class_name="tg-grid",
    )
    # The same columns, the tasks grouped under a header row of phases.
    table.children[0].columnDefs = grid_column_defs(grid)
    return html.Div(
        [grid_legend(grid), table, html.Div(T["progress_grid_hint"], className="form-text")]
    )


# --- overdue tasks -----------------------------------------------------------------------

OVERDUE_COLUMNS = [
    Column(
        "unit", T["progress_col_unit"], LINK, href_field="href", min_width=160, flex=2, wrap=True
    ),
    Column("task", T["progress_col_task"], min_width=120, flex=2, wrap=True),
    Column("phase", T["progress_col_phase"], width=120),
    Column("end", T["progress_col_end"], text_field="end_text", width=150),
    Column("days", T["progress_col_days"], NUMBER, level_field="level", width=120),
]


def overdue_row(task: OverdueTask, search: str) -> dict[str, Any]:
    """One overdue task: the end date sorts as ISO text and shows as 2024年5月31日."""
    return {
        "unit": task.unit,
        "href": unit_href(task.unit_id, search),
        "task": task.task,
        "phase": PHASE_NAMES.get(task.phase, task.phase),
        "end": task.phase_end.isoformat(),
        "end_text": fmt_date(task.phase_end),
        "days": task.days_overdue,
        "level": BAD,
    }


def overdue_table(tasks: list[OverdueTask], state: ViewState) -> html.Div:
    """Every overdue task in a grid (most days first), under their count."""
    count = html.Div(
        T["progress_overdue_count"].format(n=len(tasks)),
        id=Ids.OVERDUE_COUNT,
        className="fw-semibold mb-2" + (" level-bad" if tasks else ""),
    )
    if not tasks:
        return html.Div([count, empty_state(T["progress_no_overdue"])])
    shared = _shared_search(state)
    rows = [overdue_row(t, shared) for t in tasks]
    return html.Div([count, data_grid(Ids.OVERDUE, OVERDUE_COLUMNS, rows)])


# --- the page ----------------------------------------------------------------------------


def progress_body(data: ProgressData, state: ViewState) -> html.Div:
    """The filled page."""
    f = data.figures
    timeline = graph(
        Ids.TIMELINE, timeline_figure(f.phase_windows, f.phase_progress, data.as_of), TITLE
    )
    ended = {p for p in f.phase_windows if f.phase_ended(p)}
    not_started = f.not_started
    done_total = {u.unit_id: (u.tasks_done, u.tasks_total) for u in f.by_unit}
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
            _card(T["progress_grid"], task_grid_table(data.grid, done_total, state)),
            _card(T["progress_overdue"], overdue_table(data.overdue, state)),
        ]
    )
