"""/progress: task completion and overdue tasks on a hand-made county, builders, callback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dash import Dash

from callbacks.progress import render_progress
from dashboard.app import create_app
from dashboard.charts.progress import heatmap_figure, timeline_figure
from dashboard.colors import HEX
from dashboard.config import Settings
from dashboard.ids import Progress as Ids
from dashboard.state import parse_state
from data.db import Database
from data.figures import Filters, campaign_figures
from data.progress import Cell, OverdueTask, completion_by, overdue_tasks
from layouts.progress import SHOWN, overdue_table
from tests.factories import make_campaign, make_task, make_unit
from tests.unit.test_rectification import by_id, texts

AS_OF = dt.date(2024, 9, 15)  # mobilize and investigate ended; rectify running
FILTERS = [Filters(), Filters(kinds=("law_firm",)), Filters(townships=("青龙镇",))]


def d(month: int, day: int) -> dt.date:
    """A date in 2024."""
    return dt.date(2024, month, day)


@pytest.fixture
def county(db: Database) -> Database:
    """A 司法所 (城关镇) and a law firm (青龙镇) with tasks in three phases."""
    with db.write("test") as s:
        c = make_campaign(s, 2024)
        office = make_unit(s, "城关镇司法所", "judicial_office", "城关镇")
        firm = make_unit(s, "正大律师事务所" * 4, "law_firm", "青龙镇")
        make_task(s, c, office, "mobilize", "动员大会", completed_on=d(5, 10))
        make_task(s, c, firm, "mobilize", "动员大会", completed_on=d(9, 20))  # after as-of
        make_task(s, c, office, "investigate", "问卷调查", completed_on=None)
        make_task(s, c, firm, "investigate", "问卷调查", completed_on=d(8, 1))
        make_task(s, c, office, "rectify", "整改清单", completed_on=None)  # not ended
        make_task(s, c, firm, "rectify", "整改清单", completed_on=d(9, 10))
    return db


def test_completion_counts_tasks_done_by_as_of(county: Database) -> None:
    with county.read() as s:
        cells = completion_by(s, 2024, AS_OF, Filters(), "kind")
    got = {(c.row, c.phase): (c.done, c.total) for c in cells}
    assert got == {
        ("judicial_office", "investigate"): (0, 1),
        ("judicial_office", "mobilize"): (1, 1),
        ("judicial_office", "rectify"): (0, 1),
        ("law_firm", "investigate"): (1, 1),
        ("law_firm", "mobilize"): (0, 1),  # completed after the as-of date
        ("law_firm", "rectify"): (1, 1),
    }


def test_overdue_tasks_exclude_running_phases(county: Database) -> None:
    with county.read() as s:
        tasks = overdue_tasks(s, 2024, AS_OF, Filters())
    assert [(t.task, t.phase, t.days_overdue) for t in tasks] == [
        ("动员大会", "mobilize", (AS_OF - d(5, 31)).days),
        ("问卷调查", "investigate", (AS_OF - d(8, 31)).days),
    ]
    assert tasks[0].unit.startswith("正大律师事务所")
    with county.read() as s:
        assert overdue_tasks(s, 2024, d(5, 20), Filters()) == []  # no phase ended yet


@pytest.mark.parametrize("as_of", [d(5, 1), d(6, 1), AS_OF, d(11, 5), dt.date(2025, 2, 1)])
@pytest.mark.parametrize("filters", FILTERS)
def test_totals_equal_campaign_figures(county: Database, as_of: dt.date, filters: Filters) -> None:
    with county.read() as s:
        figures = campaign_figures(s, 2024, as_of, filters)
        overdue = overdue_tasks(s, 2024, as_of, filters)
        for column in ("kind", "township"):
            cells = completion_by(s, 2024, as_of, filters, column)
            assert sum(c.done for c in cells) == sum(u.tasks_done for u in figures.by_unit)
            assert sum(c.total for c in cells) == sum(u.tasks_total for u in figures.by_unit)
            for phase, rate in figures.phase_progress.items():
                done = sum(c.done for c in cells if c.phase == phase)
                total = sum(c.total for c in cells if c.phase == phase)
                assert (done / total if total else None) == rate
    assert len(overdue) == figures.overdue_tasks


def test_filters_restrict_units(county: Database) -> None:
    with county.read() as s:
        cells = completion_by(s, 2024, AS_OF, Filters(townships=("青龙镇",)), "township")
        tasks = overdue_tasks(s, 2024, AS_OF, Filters(kinds=("judicial_office",)))
    assert {c.row for c in cells} == {"青龙镇"}
    assert [t.unit for t in tasks] == ["城关镇司法所"]


# --- pure builders -----------------------------------------------------------------------


def test_heatmap_rates_and_missing_cells() -> None:
    cells = [Cell("a", "mobilize", 1, 2), Cell("a", "assess", 0, 0), Cell("b", "mobilize", 3, 3)]
    fig = heatmap_figure(cells, {"a": "公证处", "b": "司法所"}, "单位类型")
    trace: Any = fig.data[0]
    assert list(trace.x) == ["动员部署", "工作考评"]
    assert list(trace.y) == ["公证处", "司法所"]
    assert [list(r) for r in trace.text] == [["50.0%", "—"], ["100.0%", "—"]]
    assert trace.z[0][1] is None
    assert "完成 1 / 2 项" in trace.customdata[0][0]


def test_timeline_labels_phases_with_rates() -> None:
    windows = {"mobilize": (d(4, 1), d(5, 31)), "investigate": (d(6, 1), d(8, 31))}
    fig = timeline_figure(windows, {"mobilize": 1.0, "investigate": None}, AS_OF)
    assert [t.text[0] for t in fig.data] == ["动员部署 100.0%", "调查评议 —"]
    assert fig.layout.shapes[0].x0 == AS_OF.isoformat()


def _task(i: int) -> OverdueTask:
    return OverdueTask(i, f"单位{i}", "任务", "mobilize", d(5, 31), 3)


def test_overdue_table_shows_first_rows_and_a_show_all_link() -> None:
    tasks = [_task(i) for i in range(SHOWN + 5)]
    state = parse_state("?campaign=2024&township=城关镇")
    short = overdue_table(tasks, state)
    assert len(by_id(short, Ids.OVERDUE).children[1].children) == SHOWN
    link = by_id(short, Ids.SHOW_ALL)
    assert link.children == f"显示全部 {SHOWN + 5} 条"
    assert "tasks=all" in link.href and "township=" in link.href
    full = overdue_table(tasks, parse_state(link.href.split("/progress")[1]))
    assert len(by_id(full, Ids.OVERDUE).children[1].children) == SHOWN + 5
    assert "逾期未完成任务 25 项" in texts(full)


# --- the callback ------------------------------------------------------------------------


@pytest.fixture
def app(db_url: str) -> Dash:
    return create_app(Settings(database_url=db_url, secret_key="t", fixed_today=AS_OF))


def test_callback_on_an_empty_database(app: Dash) -> None:
    with app.server.app_context():
        body = render_progress("")
    assert any("还没有评议活动" in t for t in texts(body))


def test_callback_counts_overdue_tasks(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_progress("?campaign=2024&as_of=2024-09-15")
    assert by_id(body, Ids.OVERDUE_COUNT).children == "逾期未完成任务 2 项"
    assert by_id(body, Ids.TIMELINE) is not None


def test_timeline_colours_only_ended_phases() -> None:
    windows = {"mobilize": (d(4, 1), d(5, 31)), "rectify": (d(9, 1), d(10, 31))}
    fig = timeline_figure(windows, {"mobilize": 0.5, "rectify": 0.1}, AS_OF)
    assert [t.marker.color for t in fig.data] == [HEX["bad"], HEX["neutral"]]
