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
from layouts import overdue as overdue_layout
from layouts.overdue import overdue_body, supervision_href
from tests.components import by_id, texts
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


def rows_of(node: Any, table_id: str) -> list[list[Any]]:
    """The cells' contents of each body row of a table, by its id."""
    tbody = by_id(node, table_id).children[1]
    return [[cell.children for cell in row.children] for row in tbody.children]


def cell_class(node: Any, table_id: str, row: int, col: int) -> str:
    """The class names of one body cell."""
    return by_id(node, table_id).children[1].children[row].children[col].className


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


def test_units_table_rows_link_to_the_unit_pages_keeping_the_filters(
    body: Any, unit_ids: dict[str, int]
) -> None:
    rows = rows_of(body, Ids.UNITS)
    assert [row[0] for row in rows] == ["1", "2", "3"]
    links = [row[1] for row in rows]
    assert [link.children for link in links] == ["城关镇司法所", "正大律师事务所", "青龙镇公证处"]
    assert links[0].href == f"/units/{unit_ids['城关镇司法所']}{SEARCH}"
    assert rows[0][2:] == ["司法所", "城关镇", "2", "14", "2", "0.0%"]
    # a unit late only with a task: no overdue problem, max days "—", rate "—" (no problems)
    assert rows[2][4:] == ["0", "—", "1", "—"]


def test_units_table_colour_cues(body: Any) -> None:
    assert "level-bad" in cell_class(body, Ids.UNITS, 0, 4)  # 2 overdue problems
    assert "level-good" in cell_class(body, Ids.UNITS, 2, 4)  # none
    assert "level-neutral" in cell_class(body, Ids.UNITS, 2, 5)  # max days "—"
    assert "level-bad" in cell_class(body, Ids.UNITS, 0, 7)  # 0.0 %
    assert "level-neutral" in cell_class(body, Ids.UNITS, 2, 7)  # "—"


def test_focus_rows_link_to_log_a_focus_visit(body: Any, unit_ids: dict[str, int]) -> None:
    rows = rows_of(body, Ids.FOCUS)
    office = unit_ids["城关镇司法所"]
    assert [row[0].children for row in rows] == ["城关镇司法所", "正大律师事务所"]
    assert rows[0][0].href == f"/units/{office}{SEARCH}"
    log = rows[0][3]
    assert log.children == "记录督导"
    assert log.href == f"/supervision?campaign=2024&as_of=2024-09-15&unit={office}&kind=focus"
    assert "逾期问题 2 件，最长逾期 14 天" in rows[0][2]


def test_supervision_link_without_a_date_keeps_only_the_campaign() -> None:
    assert (
        supervision_href(7, ViewState(campaign=2024))
        == "/supervision?campaign=2024&unit=7&kind=focus"
    )


def test_problem_rows_never_show_the_complainant(body: Any) -> None:
    rows = rows_of(body, Ids.PROBLEMS)
    assert [row[5] for row in rows] == ["45", "14", "1"]
    assert rows[1][1:] == [
        "窗口服务态度差",
        "严重",
        "投诉举报",
        "2024年9月1日",
        "14",
        "张主任",
        "待整改",
    ]
    page = repr(body)
    assert "李投诉" not in page and "13812345678" not in page and "李*" not in page


def test_tasks_table_lists_each_overdue_task(body: Any) -> None:
    rows = rows_of(body, Ids.TASKS)
    assert [row[1:] for row in rows] == [
        ["实施方案", "动员部署", "2024年5月31日", "107"],
        ["自查自纠", "调查评议", "2024年8月31日", "15"],
        ["自查自纠", "调查评议", "2024年8月31日", "15"],
        ["问卷调查", "调查评议", "2024年8月31日", "15"],
    ]


@pytest.mark.parametrize("param, table_id", [("problems", Ids.PROBLEMS), ("tasks", Ids.TASKS)])
def test_long_lists_show_their_first_rows_until_asked_for_all(
    data: OverdueData, monkeypatch: pytest.MonkeyPatch, param: str, table_id: str
) -> None:
    monkeypatch.setattr(overdue_layout, "LIST_LIMIT", 2)
    total = len(data.problems if param == "problems" else data.tasks)
    short = overdue_body(data, state_of())
    assert len(rows_of(short, table_id)) == 2
    link = by_id(short, f"{Ids.SHOW_ALL}-{param}")
    assert link.children == f"显示全部 {total} 条"
    assert link.href == f"/overdue{SEARCH}&{param}=all"
    full = overdue_body(data, state_of(**{param: "all"}))
    assert len(rows_of(full, table_id)) == total
    assert by_id(full, f"{Ids.SHOW_ALL}-{param}") is None


def test_summary_counts(body: Any) -> None:
    summary = texts(by_id(body, Ids.SUMMARY))
    assert summary == ["逾期单位 3 个", "逾期问题 3 件", "逾期任务 4 项", "重点督查对象 2 个"]


def test_nothing_overdue_says_so(county: Database) -> None:
    with county.read() as s:
        data = overdue_data(s, 2024, d(5, 1))
    page = texts(overdue_body(data, ViewState(campaign=2024, as_of=d(5, 1))))
    assert "截至 2024年5月1日，所选范围内没有逾期单位。" in page
    assert "没有逾期问题。" in page and "没有逾期任务。" in page


# --- the callback ------------------------------------------------------------------------


def test_callback_applies_the_url_filters(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_overdue("?campaign=2024&as_of=2024-09-15&kind=law_firm")
    assert [row[1].children for row in rows_of(body, Ids.UNITS)] == ["正大律师事务所"]


@pytest.mark.parametrize("as_of", AS_OFS)
def test_the_page_reads_only_the_rows_it_shows(county: Database, as_of: dt.date) -> None:
    with county.read() as s:
        full = overdue_data(s, 2024, as_of)
        short = overdue_data(s, 2024, as_of, problems_limit=1, tasks_limit=2)
    assert short.problems == full.problems[:1] and short.tasks == full.tasks[:2]
    # The totals the "show all" links name come from the figures: the same rows, counted.
    assert short.figures.overdue_problems == len(full.problems)
    assert short.figures.overdue_tasks == len(full.tasks)


def test_callback_lists_the_first_rows_and_names_the_total(
    app: Dash, county: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overdue_layout, "LIST_LIMIT", 2)
    with app.server.app_context():
        body = render_overdue(f"?campaign=2024&as_of={AS_OF.isoformat()}")
    assert len(rows_of(body, Ids.PROBLEMS)) == 2
    assert by_id(body, f"{Ids.SHOW_ALL}-problems").children == "显示全部 3 条"
    assert by_id(body, f"{Ids.SHOW_ALL}-tasks").children == "显示全部 4 条"


def test_the_ranking_shows_its_head_until_asked_for_all(
    data: OverdueData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overdue_layout, "UNITS_LIMIT", 1)
    short = overdue_body(data, state_of())
    assert len(rows_of(short, Ids.UNITS)) == 1
    assert by_id(short, f"{Ids.SHOW_ALL}-units").children == f"显示全部 {len(data.units)} 条"
    full = overdue_body(data, state_of(units="all"))
    assert len(rows_of(full, Ids.UNITS)) == len(data.units) == 3
    assert [str(row[0]) for row in rows_of(full, Ids.UNITS)] == ["1", "2", "3"]


def test_all_stops_at_the_cap_and_points_to_the_download(
    data: OverdueData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overdue_layout, "ALL_CAP", 2)
    body = overdue_body(data, state_of(problems="all"))
    assert len(rows_of(body, Ids.PROBLEMS)) == 2
    note = by_id(body, f"{Ids.SHOW_ALL}-problems")
    assert note.children == "页面最多列出 2 条（共 3 条）；完整清单请点击上方“逾期单位清单”下载。"
