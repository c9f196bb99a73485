"""/progress: task grid, completion and overdue tasks on a hand-made county; builders (the
unit × task grid and the overdue tasks as dash-ag-grid tables); callback."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from sqlalchemy.orm import Session

from callbacks.progress import render_progress
from dashboard.charts.progress import heatmap_figure, timeline_figure
from dashboard.colors import HEX
from dashboard.ids import Progress as Ids
from dashboard.state import parse_state
from dashboard.text import fmt_rate
from data.db import Database
from data.figures import Filters, campaign_figures, rate
from data.progress import (
    GridCell,
    GridTask,
    GridUnit,
    OverdueTask,
    PhaseCompletion,
    TaskGrid,
    overdue_tasks,
    phase_completion,
    task_grid,
    task_status,
)
from data.reference import PHASE_NAMES
from layouts.overview import days_left_note, phase_progress_panel
from layouts.progress import cell_state, grid_legend, overdue_table, task_grid_table
from tests.components import by_id, grid_cells, texts
from tests.factories import make_campaign, make_task, make_unit

AS_OF = dt.date(2024, 9, 15)  # mobilize and investigate ended; rectify running
FILTERS = [Filters(), Filters(kinds=("law_firm",)), Filters(townships=("青龙镇",))]
ROOT = Path(__file__).resolve().parents[2]


def d(month: int, day: int) -> dt.date:
    """A date in 2024."""
    return dt.date(2024, month, day)


@pytest.fixture
def county(db: Database) -> Database:
    """A 司法所 (城关镇), a law firm (青龙镇) with tasks in three phases, a unit without tasks."""
    with db.write("test") as s:
        c = make_campaign(s, 2024)
        office = make_unit(s, "城关镇司法所", "judicial_office", "城关镇")
        firm = make_unit(s, "正大律师事务所" * 4, "law_firm", "青龙镇")
        make_unit(s, "白沙公证处", "notary_office", None)  # no tasks at all
        make_task(s, c, office, "mobilize", "动员大会", completed_on=d(5, 10))
        make_task(s, c, firm, "mobilize", "动员大会", completed_on=d(9, 20))  # after as-of
        make_task(s, c, office, "investigate", "问卷调查", completed_on=None)
        make_task(s, c, firm, "investigate", "问卷调查", completed_on=d(8, 1))
        make_task(s, c, office, "rectify", "整改清单", completed_on=None)  # not ended
        make_task(s, c, firm, "rectify", "整改清单", completed_on=d(9, 10))
        make_task(s, c, firm, "investigate", "走访座谈", completed_on=None)  # the firm's only
    return db


# --- task status and the grid ------------------------------------------------------------


def test_task_status_follows_the_overdue_definition() -> None:
    assert task_status(d(9, 15), d(5, 31), AS_OF) == GridCell("done", completed_on=d(9, 15))
    assert task_status(d(9, 16), d(5, 31), AS_OF) == GridCell("overdue", days_overdue=107)
    assert task_status(None, d(9, 14), AS_OF) == GridCell("overdue", days_overdue=1)
    assert task_status(None, AS_OF, AS_OF).status == "open"  # the phase ends today
    assert task_status(None, None, AS_OF).status == "open"  # a phase the campaign lacks


def test_task_grid_cells(county: Database) -> None:
    with county.read() as s:
        grid = task_grid(s, 2024, AS_OF, Filters())
        figures = campaign_figures(s, 2024, AS_OF)
    assert [u.unit_id for u in grid.units] == [u.unit_id for u in figures.by_unit]
    assert [(t.phase, t.name) for t in grid.tasks] == [
        ("mobilize", "动员大会"),
        ("investigate", "问卷调查"),
        ("investigate", "走访座谈"),
        ("rectify", "整改清单"),
    ]
    states = {
        (u.unit[:4], t.name): grid.cell(u.unit_id, t.template_id)
        for u in grid.units
        for t in grid.tasks
    }
    assert states == {
        ("城关镇司", "动员大会"): GridCell("done", completed_on=d(5, 10)),
        ("城关镇司", "问卷调查"): GridCell("overdue", days_overdue=15),
        ("城关镇司", "走访座谈"): None,
        ("城关镇司", "整改清单"): GridCell("open"),
        ("正大律师", "动员大会"): GridCell("overdue", days_overdue=107),  # done after as-of
        ("正大律师", "问卷调查"): GridCell("done", completed_on=d(8, 1)),
        ("正大律师", "走访座谈"): GridCell("overdue", days_overdue=15),
        ("正大律师", "整改清单"): GridCell("done", completed_on=d(9, 10)),
        ("白沙公证", "动员大会"): None,
        ("白沙公证", "问卷调查"): None,
        ("白沙公证", "走访座谈"): None,
        ("白沙公证", "整改清单"): None,
    }
    assert (grid.count("done"), grid.count("open"), grid.count("overdue")) == (3, 1, 3)


def test_task_grid_filters_units(county: Database) -> None:
    with county.read() as s:
        grid = task_grid(s, 2024, AS_OF, Filters(kinds=("judicial_office",)))
    assert [u.unit for u in grid.units] == ["城关镇司法所"]
    assert {key[0] for key in grid.cells} == {grid.units[0].unit_id}
    assert len(grid.tasks) == 4  # the campaign's templates whatever the filter


def test_empty_campaign(db: Database) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
    with db.read() as s:
        grid = task_grid(s, 2024, AS_OF, Filters())
        assert (grid.units, grid.tasks, grid.cells) == ([], [], {})
        assert phase_completion(s, 2024, AS_OF, Filters(), by="kind") == []
        assert overdue_tasks(s, 2024, AS_OF, Filters()) == []


# --- completion and overdue tasks --------------------------------------------------------


def test_completion_counts_tasks_done_by_as_of(county: Database) -> None:
    with county.read() as s:
        cells = phase_completion(s, 2024, AS_OF, Filters(), by="kind")
    got = {(c.row, c.phase): (c.done, c.total) for c in cells}
    assert got == {
        ("judicial_office", "investigate"): (0, 1),
        ("judicial_office", "mobilize"): (1, 1),
        ("judicial_office", "rectify"): (0, 1),
        ("law_firm", "investigate"): (1, 2),
        ("law_firm", "mobilize"): (0, 1),  # completed after the as-of date
        ("law_firm", "rectify"): (1, 1),
    }


def test_overdue_tasks_most_days_first_then_unit(county: Database) -> None:
    with county.read() as s:
        tasks = overdue_tasks(s, 2024, AS_OF, Filters())
    assert [(t.unit[:4], t.task, t.phase, t.phase_end, t.days_overdue) for t in tasks] == [
        ("正大律师", "动员大会", "mobilize", d(5, 31), 107),
        ("城关镇司", "问卷调查", "investigate", d(8, 31), 15),
        ("正大律师", "走访座谈", "investigate", d(8, 31), 15),
    ]
    with county.read() as s:
        assert overdue_tasks(s, 2024, d(5, 31), Filters()) == []  # no phase ended yet


@pytest.mark.parametrize("as_of", [d(5, 1), d(6, 1), AS_OF, d(11, 5), dt.date(2025, 2, 1)])
@pytest.mark.parametrize("filters", FILTERS)
def test_totals_equal_campaign_figures(county: Database, as_of: dt.date, filters: Filters) -> None:
    with county.read() as s:
        figures = campaign_figures(s, 2024, as_of, filters)
        overdue = overdue_tasks(s, 2024, as_of, filters)
        grid = task_grid(s, 2024, as_of, filters)
        for by in ("kind", "township"):
            cells = phase_completion(s, 2024, as_of, filters, by=by)  # type: ignore[arg-type]
            assert sum(c.done for c in cells) == sum(u.tasks_done for u in figures.by_unit)
            assert sum(c.total for c in cells) == sum(u.tasks_total for u in figures.by_unit)
            for phase, rate in figures.phase_progress.items():
                done = sum(c.done for c in cells if c.phase == phase)
                total = sum(c.total for c in cells if c.phase == phase)
                assert (done / total if total else None) == rate
    assert len(overdue) == figures.overdue_tasks == grid.count("overdue")
    assert grid.count("done") == sum(u.tasks_done for u in figures.by_unit)
    # The grid lists every task; the figures count only those of phases started by as-of.
    assert len(grid.cells) - grid.count("upcoming") == sum(u.tasks_total for u in figures.by_unit)
    assert grid.not_started == figures.not_started


def test_filters_restrict_units(county: Database) -> None:
    with county.read() as s:
        cells = phase_completion(s, 2024, AS_OF, Filters(townships=("青龙镇",)), by="township")
        tasks = overdue_tasks(s, 2024, AS_OF, Filters(kinds=("judicial_office",)))
    assert {c.row for c in cells} == {"青龙镇"}
    assert [t.unit for t in tasks] == ["城关镇司法所"]


# --- pure builders: the grid -------------------------------------------------------------


def _known_grid() -> TaskGrid:
    """3 units × 4 tasks (two phases) with every state, one unit missing one task."""
    tasks = [
        GridTask(10, "mobilize", "动员大会"),
        GridTask(11, "mobilize", "实施方案"),
        GridTask(20, "investigate", "问卷调查"),
        GridTask(21, "investigate", "走访座谈"),
    ]
    units = [
        GridUnit(1, "城关镇司法所", "judicial_office", "城关镇"),
        GridUnit(2, "长" * 40, "law_firm", None),
        GridUnit(3, "白沙公证处", "notary_office", "白沙镇"),
    ]
    done, open_ = GridCell("done", completed_on=d(5, 20)), GridCell("open")
    late = GridCell("overdue", days_overdue=12)
    cells = {
        (1, 10): done, (1, 11): done, (1, 20): open_, (1, 21): open_,
        (2, 10): late, (2, 11): done, (2, 20): open_,
        (3, 10): late, (3, 11): late, (3, 20): done, (3, 21): done,
    }  # fmt: skip
    return TaskGrid(AS_OF, tasks, units, cells)


KNOWN_TOTALS = {1: (2, 4), 2: (1, 3), 3: (2, 4)}  # done / counted, as CampaignFigures has them


def the_grid(component: Any) -> Any:
    """The unit × task grid inside a built component."""
    return by_id(component, Ids.GRID)


def leaf_columns(grid: Any) -> list[dict[str, Any]]:
    """The grid's columns, the phase groups opened up, left to right."""
    return [c for d in grid.columnDefs for c in d.get("children", [d])]


def shown_rows(grid: Any) -> list[list[str]]:
    """What each row shows, column by column: the row field a formatter names, else the value."""
    cols = leaf_columns(grid)
    return [
        [
            str(row[re.search(r"params\.data\.(\w+)", c["valueFormatter"]["function"]).group(1)])
            if "valueFormatter" in c
            else str(row[c["field"]])
            for c in cols
        ]
        for row in grid.rowData
    ]


def test_grid_shows_exactly_the_cell_states() -> None:
    known = _known_grid()
    table = task_grid_table(known, KNOWN_TOTALS, parse_state("?campaign=2024&kind=law_firm"))
    grid = the_grid(table)
    assert type(grid).__name__ == "AgGrid"
    unit, mobilize, investigate, rate_col = grid.columnDefs
    assert (unit["field"], unit["pinned"], unit["cellRenderer"]) == ("unit", "left", "PingyiLink")
    assert (mobilize["headerName"], investigate["headerName"]) == ("动员部署", "调查评议")
    tasks = [c["headerName"] for c in mobilize["children"] + investigate["children"]]
    assert tasks == ["动员大会", "实施方案", "问卷调查", "走访座谈"]
    assert (rate_col["headerName"], rate_col["type"]) == ("完成率", "numericColumn")
    assert [r[1:-1] for r in shown_rows(grid)] == [
        ["✓", "✓", "未完成", "未完成"],
        ["12天", "✓", "未完成", "—"],
        ["12天", "12天", "✓", "✓"],
    ]
    levels = [[row[f"t{t.template_id}_level"] for t in known.tasks] for row in grid.rowData]
    assert levels == [
        ["good", "good", "neutral", "neutral"],
        ["bad", "good", "neutral", None],
        ["bad", "bad", "good", "good"],
    ]
    assert [r[-1] for r in shown_rows(grid)] == ["50.0%", "33.3%", "50.0%"]
    assert rate_col["tooltipField"] == "rate_tip"
    assert grid.rowData[1]["rate_tip"] == "已完成 1 项，共 3 项（未开始的阶段不计）"
    assert [row["rate"] for row in grid.rowData] == [0.5, 1 / 3, 0.5]  # sorts by the number
    first, long = grid.rowData[0], grid.rowData[1]
    assert long["unit"] == "长" * 40
    assert long["href"] == "/units/2?campaign=2024&kind=law_firm"  # shared filters only
    # the tooltip and the column's filter read the state in words
    assert first["t20_state"] == "未完成" and long["t10_state"] == "逾期 12 天"
    assert first["t10_state"] == "已完成 2024年5月20日" and long["t21_state"] == "无此任务"
    col = leaf_columns(grid)[3]
    assert col["tooltipField"] == "t20_state"
    assert col["filterValueGetter"] == {"function": "params.data ? params.data.t20_state : ''"}
    assert "tg-phase-start" in col["cellClass"]["function"]  # the first task of 调查评议
    # sorting a task column puts the most days overdue at one end, done at the other
    assert [row["t10"] for row in grid.rowData] == [-2, 12, 12]
    counts = by_id(table, Ids.GRID_COUNTS).children
    assert counts == "已完成 5 项 · 未完成 3 项 · 逾期未完成 3 项"


def test_grid_cells_are_text_not_markup() -> None:
    evil = '<img src=x onerror="alert(1)">&所'
    known = TaskGrid(
        AS_OF,
        [GridTask(1, "mobilize", "<b>任务</b>")],
        [GridUnit(7, evil, "law_firm", None)],
        {(7, 1): GridCell("open")},
    )
    grid = the_grid(task_grid_table(known, {}, parse_state('?township="><script>')))
    (row,) = grid.rowData
    assert row["unit"] == evil  # sent as a value; the renderers put it in a text node
    assert "<" not in row["href"] and '"' not in row["href"]
    assert leaf_columns(grid)[1]["headerName"] == "<b>任务</b>"
    assert row["rate_text"] == "—"  # no task counted for it
    # Only the shared renderers draw cells; no string expression (CSP: no eval).
    cols = leaf_columns(grid)
    assert {c.get("cellRenderer") for c in cols} == {"PingyiLink", None}
    for col in cols:
        for key in ("valueFormatter", "filterValueGetter", "valueGetter", "cellClassRules"):
            assert key not in col or isinstance(col[key], dict)


def test_cell_state_in_chinese() -> None:
    assert cell_state(GridCell("done", completed_on=dt.date(2026, 5, 20))) == "已完成 2026年5月20日"
    assert cell_state(GridCell("overdue", days_overdue=9)) == "逾期 9 天"
    assert cell_state(GridCell("upcoming")) == "阶段未开始"
    assert cell_state(None) == "无此任务"


def test_grid_empty_states() -> None:
    state = parse_state("")
    no_units = TaskGrid(AS_OF, [GridTask(1, "mobilize", "动员大会")], [], {})
    assert "当前筛选范围内没有评议单位。" in texts(task_grid_table(no_units, {}, state))
    no_tasks = TaskGrid(AS_OF, [], [GridUnit(1, "甲所", "law_firm", None)], {})
    assert "当前筛选范围内没有任务。" in texts(task_grid_table(no_tasks, {}, state))


def test_legend_and_cells_share_the_level_colours() -> None:
    known = _known_grid()
    legend = by_id(grid_legend(known), Ids.GRID_LEGEND)
    swatches = [item.children[0] for item in legend.children]
    assert [s.children for s in swatches] == ["✓", "未完成", "3天", "—"]
    assert [s.className for s in swatches] == [
        "tg-swatch level-good",
        "tg-swatch level-neutral",
        "tg-swatch level-bad",
        "tg-swatch",
    ]
    # each swatch's level is the one its cells carry
    row = the_grid(task_grid_table(known, KNOWN_TOTALS, parse_state(""))).rowData[1]
    assert [row["t11_level"], row["t20_level"], row["t10_level"], row["t21_level"]] == [
        "good",
        "neutral",
        "bad",
        None,
    ]
    app_css = (ROOT / "assets" / "app.css").read_text(encoding="utf-8")
    css = (ROOT / "assets" / "progress.css").read_text(encoding="utf-8")
    for level in ("good", "bad", "neutral"):
        assert re.search(rf"--level-{level}:\s*{HEX[level]};", app_css)
        # a cell and its swatch get one tint
        assert re.search(rf"\.tg-cell\.level-{level}, \.tg-swatch\.level-{level} \{{", css)


# --- pure builders: charts and the overdue table -----------------------------------------


def test_heatmap_rates_missing_cells_and_running_phases() -> None:
    cells = [
        PhaseCompletion("a", "mobilize", 1, 2),
        PhaseCompletion(None, "mobilize", 0, 1),
        PhaseCompletion("a", "assess", 0, 0),
        PhaseCompletion("b", "mobilize", 3, 3),
        PhaseCompletion("b", "assess", 1, 4),
    ]
    fig = heatmap_figure(cells, {"a": "公证处", "b": "司法所"}, "单位类型", {"mobilize"})
    ended, running, future = fig.data
    assert all(v is None for row in future.z for v in row)  # every phase has started
    assert list(ended.x) == ["动员部署", "工作考评"]
    assert list(ended.y) == ["公证处", "司法所", "未填乡镇"]  # no township last
    assert [list(r) for r in ended.text] == [["50.0%", ""], ["100.0%", ""], ["0.0%", ""]]
    assert [list(r) for r in running.text] == [["", "—"], ["", "25.0%"], ["", "—"]]
    assert ended.z[0][1] is None and running.z[1][1] == 0.25
    assert "完成 1 / 2 项" in ended.customdata[0][0]
    ordered = heatmap_figure(cells, {}, "x", set(), order=["b", "a"])
    assert list(ordered.data[0].y)[:2] == ["b", "a"]


def test_timeline_labels_phases_with_rates_and_the_as_of_date() -> None:
    windows = {"mobilize": (d(4, 1), d(5, 31)), "investigate": (d(6, 1), d(8, 31))}
    fig = timeline_figure(windows, {"mobilize": 1.0, "investigate": None}, AS_OF)
    assert [t.text[0] for t in fig.data] == ["动员部署 100.0%", "调查评议 —"]
    assert fig.layout.shapes[0].x0 == AS_OF.isoformat()
    assert fig.layout.annotations[0].text == "数据截至 2024年9月15日"
    far = timeline_figure(windows, {}, dt.date(2026, 11, 20))
    assert far.layout.shapes == ()  # no line stretching the axis over two years
    assert far.layout.annotations[0].text == "数据截至 2026年11月20日"


def test_timeline_colours_only_ended_phases() -> None:
    windows = {"mobilize": (d(4, 1), d(5, 31)), "rectify": (d(9, 1), d(10, 31))}
    fig = timeline_figure(windows, {"mobilize": 0.5, "rectify": 0.1}, AS_OF)
    assert [t.marker.color for t in fig.data] == [HEX["bad"], HEX["neutral"]]


def _task(i: int) -> OverdueTask:
    return OverdueTask(i, f"单位{i}", "任务", "mobilize", d(5, 31), 3 + i)


def test_overdue_table_holds_every_task() -> None:
    tasks = [_task(i) for i in range(45)]
    table = overdue_table(tasks, parse_state("?campaign=2024&township=城关镇&tasks=all"))
    grid = by_id(table, Ids.OVERDUE)
    assert type(grid).__name__ == "AgGrid"
    rows = grid_cells(grid)
    assert len(rows) == 45  # no cut: the grid draws what is in view
    assert rows[0] == ["单位0", "任务", "动员部署", "2024年5月31日", "3"]
    first = grid.rowData[0]
    assert first["href"] == "/units/0?campaign=2024&township=%E5%9F%8E%E5%85%B3%E9%95%87"
    assert (first["end"], first["level"]) == ("2024-05-31", "bad")  # sorts by the ISO date
    assert "逾期未完成任务 45 项" in texts(table)
    empty = overdue_table([], parse_state(""))
    assert by_id(empty, Ids.OVERDUE) is None
    assert "没有逾期未完成的任务。" in texts(empty)


# --- the callback ------------------------------------------------------------------------


def test_callback_counts_overdue_tasks(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_progress("?campaign=2024&as_of=2024-09-15")
        office = render_progress("?campaign=2024&as_of=2024-09-15&kind=judicial_office")
    assert by_id(body, Ids.OVERDUE_COUNT).children == "逾期未完成任务 3 项"
    assert len(by_id(body, Ids.OVERDUE).rowData) == 3
    assert by_id(body, Ids.TIMELINE) is not None
    assert [r[0] for r in shown_rows(the_grid(office))] == ["城关镇司法所"]
    assert by_id(office, Ids.OVERDUE_COUNT).children == "逾期未完成任务 1 项"


def test_grid_holds_every_unit_and_every_task(app: Dash, county: Database) -> None:
    with county.read() as s:
        figures = campaign_figures(s, 2024, AS_OF)
        tasks = task_grid(s, 2024, AS_OF, Filters())
    with app.server.app_context():
        grid = the_grid(render_progress("?campaign=2024&as_of=2024-09-15"))
    assert [row["unit"] for row in grid.rowData] == [u.unit for u in figures.by_unit]
    columns = [c["headerName"] for c in leaf_columns(grid)]
    assert columns == ["单位", *(t.name for t in tasks.tasks), "完成率"]
    # each unit's rate is the figures' tasks done / counted
    assert [(row["rate"], row["rate_tip"]) for row in grid.rowData] == [
        (
            rate(u.tasks_done, u.tasks_total),
            f"已完成 {u.tasks_done} 项，共 {u.tasks_total} 项（未开始的阶段不计）",
        )
        for u in figures.by_unit
    ]
    assert [r[-1] for r in shown_rows(grid)] == [
        fmt_rate(rate(u.tasks_done, u.tasks_total)) for u in figures.by_unit
    ]


# --- phases not started at the as-of date (issue #19, item 7) ------------------------------


def test_task_status_of_a_phase_not_started() -> None:
    assert task_status(None, d(10, 31), AS_OF, d(9, 16)) == GridCell("upcoming")
    assert task_status(d(9, 1), d(10, 31), AS_OF, d(9, 16)).status == "upcoming"  # early: not yet
    assert task_status(None, d(10, 31), AS_OF, AS_OF) == GridCell("open")  # starts today


def test_grid_marks_phases_not_started_and_leaves_them_out_of_totals() -> None:
    known = TaskGrid(
        AS_OF,
        [GridTask(10, "rectify", "整改方案"), GridTask(20, "assess", "接受督导检查")],
        [GridUnit(1, "城关镇司法所", "judicial_office", "城关镇")],
        {(1, 10): GridCell("done", completed_on=d(9, 10)), (1, 20): GridCell("upcoming")},
        ("assess",),
    )
    table = task_grid_table(known, {1: (1, 1)}, parse_state("?campaign=2024"))
    grid = the_grid(table)
    assert [c["headerName"] for c in grid.columnDefs[1:-1]] == ["落实整改", "工作考评（未开始）"]
    (row,) = grid.rowData
    assert (row["t20_text"], row["t20_level"], row["t20_state"]) == (
        "未开始",
        "neutral",
        "阶段未开始",
    )
    assert (row["rate_text"], row["rate_tip"]) == (
        "100.0%",
        "已完成 1 项，共 1 项（未开始的阶段不计）",
    )
    assert "阶段未开始" in texts(by_id(table, Ids.GRID_LEGEND))
    assert by_id(table, Ids.GRID_COUNTS).children.endswith("阶段未开始 1 项（不计入完成率）")


def test_heatmap_and_timeline_say_not_started() -> None:
    cells = [PhaseCompletion("a", "mobilize", 1, 2), PhaseCompletion("a", "investigate", 0, 4)]
    fig = heatmap_figure(cells, {"a": "司法所"}, "单位类型", {"mobilize"}, (), ("rectify",))
    ended, running, future = fig.data
    assert list(future.x) == ["动员部署", "调查评议", "落实整改"]
    assert [list(r) for r in future.text] == [["", "", "未开始"]]
    assert [list(r) for r in running.text] == [["", "0.0%", ""]]
    assert future.customdata[0][2].endswith("落实整改（未开始）<br>不计入完成率")
    windows = {"investigate": (d(6, 1), d(8, 31)), "rectify": (d(9, 1), d(10, 31))}
    timeline = timeline_figure(windows, {"investigate": 0.25, "rectify": None}, d(7, 15))
    assert [t.text[0] for t in timeline.data] == ["调查评议 25.0%", "落实整改 未开始"]
    assert "任务完成率 未开始" in timeline.data[1].hovertemplate


def test_overview_panel_says_not_started(session: Session) -> None:
    campaign = make_campaign(session, 2024)
    unit = make_unit(session, "城关镇司法所")
    make_task(session, campaign, unit, "investigate", "自查自纠", completed_on=d(7, 1))
    make_task(session, campaign, unit, "rectify", "整改方案")
    figures = campaign_figures(session, 2024, d(7, 15))
    panel = phase_progress_panel(figures, "")
    shown = {code: texts(by_id(panel, f"overview-phase-{code}")) for code in PHASE_NAMES}
    assert shown == {
        "mobilize": ["—"],  # started, but no task: no denominator
        "investigate": ["100.0%"],
        "rectify": ["未开始"],
        "assess": ["未开始"],
    }


@pytest.mark.parametrize(
    ("days", "as_of", "expected"),
    [
        (92, d(6, 1), "按2024年6月1日计，本阶段剩余 92 天"),
        (48, d(7, 15), "按2024年7月15日计，本阶段剩余 48 天"),
        (1, d(8, 31), "2024年8月31日是本阶段最后一天"),
        (2, AS_OF, "剩余 2 天"),  # the as-of date is today
        (1, AS_OF, "今天是本阶段最后一天"),
    ],
)
def test_days_left_are_said_of_the_as_of_date(days: int, as_of: dt.date, expected: str) -> None:
    assert days_left_note(days, as_of, today=AS_OF) == expected
