"""/overdue: overdue problems and tasks against the campaign figures, and the page's tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from dash import Dash

from callbacks.overdue import render_overdue
from dashboard.ids import Overdue as Ids
from dashboard.state import ViewState
from data.db import Database
from data.figures import Filters, campaign_figures
from data.overdue import (
    OverdueData,
    OverdueProblem,
    overdue_data,
    overdue_problems,
    overdue_tasks,
)
from layouts.overdue import overdue_body, supervision_href
from tests.components import by_id, grid_cells, texts
from tests.factories import make_campaign, make_problem, make_task, make_unit

AS_OF = dt.date(2024, 9, 15)
FILTERS = [
    Filters(),
    Filters(group="agency"),
    Filters(kinds=("law_firm",)),
    Filters(townships=("城关镇",)),
]
AS_OFS = [
    dt.date(2024, 5, 31),  # mobilize ends today: its open tasks are not overdue yet
    dt.date(2024, 6, 1),
    dt.date(2024, 9, 1),
    AS_OF,
    dt.date(2025, 1, 5),
]


def d(month: int, day: int) -> dt.date:
    """A date in 2024."""
    return dt.date(2024, month, day)


@pytest.fixture
def county(db: Database) -> Database:
    """A 司法所 with two overdue problems, a law firm with one, a unit late only with a task."""
    with db.write("test") as s:
        c = make_campaign(s, 2024)
        office = make_unit(s, "城关镇司法所", "judicial_office", "城关镇")
        firm = make_unit(s, "正大律师事务所", "law_firm", "青龙镇")
        late = make_unit(s, "青龙镇公证处", "notary_office", "青龙镇")
        tidy = make_unit(s, "白沙镇司法所", "judicial_office", "白沙镇")
        # tasks: mobilize ended 5-31, investigate 8-31, rectify ends 10-31
        make_task(s, c, office, "mobilize", "实施方案")  # never done
        make_task(s, c, office, "investigate", "自查自纠", completed_on=d(9, 20))  # done late
        make_task(s, c, office, "rectify", "整改方案")  # phase still running at AS_OF
        make_task(s, c, firm, "mobilize", "实施方案", completed_on=d(5, 1))
        make_task(s, c, firm, "investigate", "自查自纠")
        make_task(s, c, late, "investigate", "问卷调查")
        make_task(s, c, tidy, "mobilize", "实施方案", completed_on=d(5, 2))
        # problems
        make_problem(
            s,
            c,
            office,
            found_on=d(8, 1),
            deadline=d(9, 1),
            owner="张主任",
            channel="hotline",
            description="窗口服务态度差",
            severity="serious",
            complainant_name="李投诉",
            complainant_phone="13812345678",
        )
        make_problem(s, c, office, found_on=d(8, 1), deadline=d(9, 14), status="in_progress")
        make_problem(s, c, office, found_on=d(8, 1), deadline=AS_OF)  # due today: not overdue
        make_problem(
            s,
            c,
            firm,
            found_on=d(7, 1),
            deadline=d(8, 1),
            status="done",
            completed_on=d(9, 20),
            criterion_code="honest_service",
        )
        make_problem(s, c, firm, found_on=d(6, 1), deadline=d(7, 1), status="unfounded")
        make_problem(
            s, c, tidy, found_on=d(6, 1), deadline=d(7, 1), status="done", completed_on=d(6, 20)
        )
    return db


@pytest.mark.parametrize("as_of", AS_OFS)
@pytest.mark.parametrize("filters", FILTERS)
def test_overdue_lists_match_the_campaign_figures(
    county: Database, as_of: dt.date, filters: Filters
) -> None:
    with county.read() as s:
        figures = campaign_figures(s, 2024, as_of, filters)
        problems = overdue_problems(s, 2024, as_of, filters)
        tasks = overdue_tasks(s, 2024, as_of, filters)
        data = overdue_data(s, 2024, as_of, filters)
    assert len(problems) == figures.overdue_problems
    assert len(tasks) == figures.overdue_tasks
    assert [u.unit for u in data.units] == figures.overdue_units
    for unit in figures.by_unit:
        assert sum(p.unit_id == unit.unit_id for p in problems) == unit.overdue_problems
        assert sum(t.unit_id == unit.unit_id for t in tasks) == unit.overdue_tasks


def test_overdue_problems_longest_first_with_days(county: Database) -> None:
    with county.read() as s:
        problems = overdue_problems(s, 2024, AS_OF)
    assert [(p.unit, p.deadline, p.days_overdue) for p in problems] == [
        ("正大律师事务所", d(8, 1), 45),  # done after as-of: still overdue at as-of
        ("城关镇司法所", d(9, 1), 14),
        ("城关镇司法所", d(9, 14), 1),
    ]
    assert problems[1].owner == "张主任" and problems[1].severity == "serious"


def test_overdue_problems_carry_no_complainant_fields() -> None:
    names = {f.name for f in dataclasses.fields(OverdueProblem)}
    assert not {n for n in names if "complainant" in n or "phone" in n or "feedback" in n}


def test_overdue_tasks_days_from_the_phase_end(county: Database) -> None:
    with county.read() as s:
        tasks = overdue_tasks(s, 2024, AS_OF)
    assert [(t.unit, t.task, t.phase, t.days_overdue) for t in tasks] == [
        ("城关镇司法所", "实施方案", "mobilize", 107),
        ("城关镇司法所", "自查自纠", "investigate", 15),
        ("正大律师事务所", "自查自纠", "investigate", 15),
        ("青龙镇公证处", "问卷调查", "investigate", 15),
    ]


def test_units_ranked_by_overdue_problems_then_days(county: Database) -> None:
    with county.read() as s:
        data = overdue_data(s, 2024, AS_OF)
    assert [
        (u.unit, u.overdue_problems, u.max_days_overdue, u.overdue_tasks) for u in data.units
    ] == [
        ("城关镇司法所", 2, 14, 2),
        ("正大律师事务所", 1, 45, 1),
        ("青龙镇公证处", 0, None, 1),
    ]
    assert [c.unit for c in data.focus] == ["城关镇司法所", "正大律师事务所"]


# --- the page ----------------------------------------------------------------------------


def rows_of(node: Any, grid_id: str) -> list[list[str]]:
    """What each row of a grid shows, column by column, by the grid's id."""
    return grid_cells(by_id(node, grid_id))


def data_of(node: Any, grid_id: str) -> list[dict[str, Any]]:
    """The rows a grid holds, as sent to the browser."""
    return by_id(node, grid_id).rowData


def column(node: Any, grid_id: str, field: str) -> dict[str, Any]:
    """One column definition of a grid."""
    return next(c for c in by_id(node, grid_id).columnDefs if c["field"] == field)


def state_of(**extra: str) -> ViewState:
    return ViewState(campaign=2024, as_of=AS_OF, townships=("城关镇", "青龙镇"), extra=extra)


@pytest.fixture
def data(county: Database) -> OverdueData:
    with county.read() as s:
        return overdue_data(s, 2024, AS_OF)


@pytest.fixture
def body(data: OverdueData) -> Any:
    return overdue_body(data, state_of())


@pytest.fixture
def unit_ids(data: OverdueData) -> dict[str, int]:
    return {u.unit: u.unit_id for u in data.figures.by_unit}


SEARCH = (
    "?campaign=2024&as_of=2024-09-15"
    "&township=%E5%9F%8E%E5%85%B3%E9%95%87&township=%E9%9D%92%E9%BE%99%E9%95%87"
)


def test_units_grid_rows_link_to_the_unit_pages_keeping_the_filters(
    body: Any, unit_ids: dict[str, int]
) -> None:
    rows = rows_of(body, Ids.UNITS)
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert [row[1] for row in rows] == ["城关镇司法所", "正大律师事务所", "青龙镇公证处"]
    assert data_of(body, Ids.UNITS)[0]["href"] == f"/units/{unit_ids['城关镇司法所']}{SEARCH}"
    assert column(body, Ids.UNITS, "unit")["cellRenderer"] == "PingyiLink"
    assert rows[0][2:] == ["司法所", "城关镇", "2", "14", "2", "0.0%"]
    # a unit late only with a task: no overdue problem, max days "—", rate "—" (no problems)
    assert rows[2][4:] == ["0", "—", "1", "—"]


def test_units_grid_sorts_figures_as_numbers_with_colour_cues(body: Any) -> None:
    for field in ("rank", "problems", "max_days", "tasks", "rate"):
        assert column(body, Ids.UNITS, field)["filter"] == "agNumberColumnFilter"
    rows = data_of(body, Ids.UNITS)
    assert rows[2]["max_days"] is None and rows[2]["rate"] is None  # sorted as blanks, not "—"
    assert rows[0]["problems_level"] == "bad"  # 2 overdue problems
    assert rows[2]["problems_level"] == "good"  # none
    assert rows[2]["max_days_level"] == "neutral"  # max days "—"
    assert rows[0]["rate_level"] == "bad"  # 0.0 %
    assert rows[2]["rate_level"] == "neutral"  # "—"
    # the cell takes its level as a class (no renderer per cell)
    assert "params.data.rate_level" in column(body, Ids.UNITS, "rate")["cellClass"]["function"]


def test_focus_rows_link_to_log_a_focus_visit(body: Any, unit_ids: dict[str, int]) -> None:
    rows = data_of(body, Ids.FOCUS)
    office = unit_ids["城关镇司法所"]
    assert [row["unit"] for row in rows] == ["城关镇司法所", "正大律师事务所"]
    assert rows[0]["href"] == f"/units/{office}{SEARCH}"
    assert rows[0]["log"] == "记录督导"
    assert (
        rows[0]["log_href"]
        == f"/supervision?campaign=2024&as_of=2024-09-15&unit={office}&kind=focus"
    )
    log = column(body, Ids.FOCUS, "log")
    assert log["cellRenderer"] == "PingyiLink" and log["cellRendererParams"]["href"] == "log_href"
    assert "逾期问题 2 件，最长逾期 14 天" in rows[0]["reasons"]


def test_supervision_link_without_a_date_keeps_only_the_campaign() -> None:
    assert (
        supervision_href(7, ViewState(campaign=2024))
        == "/supervision?campaign=2024&unit=7&kind=focus"
    )


def test_problem_rows_never_show_the_complainant(body: Any, unit_ids: dict[str, int]) -> None:
    rows = rows_of(body, Ids.PROBLEMS)
    assert [row[5] for row in rows] == ["45", "14", "1"]
    assert rows[1] == [
        "城关镇司法所",
        "窗口服务态度差",
        "严重",
        "投诉举报",
        "2024年9月1日",
        "14",
        "张主任",
        "待整改",
    ]
    held = data_of(body, Ids.PROBLEMS)
    assert held[1]["href"] == f"/units/{unit_ids['城关镇司法所']}{SEARCH}"
    # days sort as numbers, the deadline by its date (not by "2024年10月…" < "2024年9月…")
    assert [row["days"] for row in held] == [45, 14, 1]
    assert held[1]["deadline"] == "2024-09-01"
    assert column(body, Ids.PROBLEMS, "days")["filter"] == "agNumberColumnFilter"
    # a serious problem is red, the others plain; days overdue always red
    assert [row["severity_level"] for row in held] == [None, "bad", None]
    assert {row["days_level"] for row in held} == {"bad"}
    page = repr(body)
    assert "李投诉" not in page and "13812345678" not in page and "李*" not in page


def test_tasks_grid_lists_each_overdue_task(body: Any) -> None:
    rows = rows_of(body, Ids.TASKS)
    assert [row[1:] for row in rows] == [
        ["实施方案", "动员部署", "2024年5月31日", "107"],
        ["自查自纠", "调查评议", "2024年8月31日", "15"],
        ["自查自纠", "调查评议", "2024年8月31日", "15"],
        ["问卷调查", "调查评议", "2024年8月31日", "15"],
    ]
    assert [row["days"] for row in data_of(body, Ids.TASKS)] == [107, 15, 15, 15]


def test_every_grid_holds_every_row(data: OverdueData, body: Any) -> None:
    assert len(rows_of(body, Ids.UNITS)) == len(data.units) == 3
    assert len(rows_of(body, Ids.PROBLEMS)) == len(data.problems) == 3
    assert len(rows_of(body, Ids.TASKS)) == len(data.tasks) == 4
    assert len(rows_of(body, Ids.FOCUS)) == len(data.focus) == 2
    assert "共 3 行（可点表头排序，在表头下方的框内筛选）" in texts(body)
    # no "show all" link is left: the grids hold every row
    assert "显示全部" not in " ".join(texts(body))


def test_summary_counts(body: Any) -> None:
    summary = texts(by_id(body, Ids.SUMMARY))
    assert summary == ["逾期单位 3 个", "逾期问题 3 件", "逾期任务 4 项", "重点督查对象 2 个"]


def test_nothing_overdue_says_so(county: Database) -> None:
    with county.read() as s:
        data = overdue_data(s, 2024, d(5, 1))
    body = overdue_body(data, ViewState(campaign=2024, as_of=d(5, 1)))
    page = texts(body)
    assert "截至 2024年5月1日，所选范围内没有逾期单位。" in page
    assert "没有逾期问题。" in page and "没有逾期任务。" in page
    assert by_id(body, Ids.UNITS) is None and by_id(body, Ids.PROBLEMS) is None


# --- the callback ------------------------------------------------------------------------


def test_callback_applies_the_url_filters(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_overdue("?campaign=2024&as_of=2024-09-15&kind=law_firm")
    assert [row[1] for row in rows_of(body, Ids.UNITS)] == ["正大律师事务所"]


def test_callback_lists_every_row_of_the_data(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_overdue(f"?campaign=2024&as_of={AS_OF.isoformat()}")
    with county.read() as s:
        data = overdue_data(s, 2024, AS_OF)
    assert [row["id"] for row in data_of(body, Ids.PROBLEMS)] == [
        p.problem_id for p in data.problems
    ]
    assert [row["id"] for row in data_of(body, Ids.TASKS)] == [t.task_id for t in data.tasks]
    assert len(data.problems) == data.figures.overdue_problems
    assert len(data.tasks) == data.figures.overdue_tasks


@pytest.mark.parametrize("as_of", AS_OFS)
def test_the_data_can_read_the_first_rows_only(county: Database, as_of: dt.date) -> None:
    with county.read() as s:
        full = overdue_data(s, 2024, as_of)
        short = overdue_data(s, 2024, as_of, problems_limit=1, tasks_limit=2)
    assert short.problems == full.problems[:1] and short.tasks == full.tasks[:2]
    # The totals come from the figures: the same rows, counted.
    assert short.figures.overdue_problems == len(full.problems)
    assert short.figures.overdue_tasks == len(full.tasks)
