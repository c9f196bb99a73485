"""The unit page: its data (masked, bounded in queries, as of a date), its builders and grids."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import plotly
import pytest
from dash import Dash
from dash.exceptions import PreventUpdate
from sqlalchemy import event

from callbacks.unit import parse_unit_id, pressed_row, render_unit
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.dash_private import output_parts
from dashboard.ids import UnitPage as Ids
from data.db import Database
from data.evaluation import evaluation_results
from data.figures import Filters, campaign_figures
from data.models import ArchiveItem, MeetingQuestion
from data.unit_detail import question_state, task_state, unit_detail, unit_header
from layouts.unit import unit_body
from tests.components import by_id, texts
from tests.factories import (
    login,
    make_campaign,
    make_problem,
    make_survey,
    make_task,
    make_unit,
    make_user,
    make_visit,
    set_caseload,
)

AS_OF = dt.date(2024, 11, 15)


def _json(component: Any) -> str:
    """The component tree as the browser receives it."""
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


@contextmanager
def count_queries(db: Database) -> Iterator[list[int]]:
    """Count the SQL statements run inside the block."""
    counter = [0]

    def count(*_: Any) -> None:
        counter[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_complainants_are_masked_in_the_data_and_in_what_the_browser_gets(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        set_caseload(s, campaign, unit, 80)
        make_problem(
            s,
            campaign,
            unit,
            channel="hotline",
            complainant_name="张三丰",
            complainant_phone="13812345678",
            found_on=dt.date(2024, 6, 3),
        )
        make_problem(s, campaign, unit, found_on=dt.date(2024, 11, 20))  # after the as-of date
        unit_id = unit.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
        header = unit_header(s, unit_id, 2024)
    assert detail is not None and header is not None and header.cases == 80
    assert len(detail.problems) == 1
    problem = detail.problems[0]
    assert (problem.complainant_name, problem.complainant_phone) == ("张**", "138****5678")
    assert problem.overdue and problem.days_overdue == (AS_OF - dt.date(2024, 7, 3)).days
    sent = _json(unit_body(detail, "", may_edit=True, may_log_visit=True))
    assert "13812345678" not in sent and "张三丰" not in sent
    assert "138****5678" in sent


def test_figures_are_the_units_stats_entry(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        other = make_unit(s)
        make_problem(s, campaign, unit, status="done", completed_on=dt.date(2024, 6, 20))
        make_problem(s, campaign, unit, status="unfounded")
        make_problem(s, campaign, unit, channel="referral", found_on=dt.date(2024, 8, 2))
        make_problem(s, campaign, other)
        unit_id = unit.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
        stats = campaign_figures(s, 2024, AS_OF).to_json()["by_unit"]
    assert detail is not None and detail.figures is not None
    entry = next(u for u in stats if u["unit"] == detail.header.name)
    assert detail.figures.to_json() == entry
    assert entry["problems"] == 3 and len(detail.problems) == 3
    assert detail.complaints_by_month["2024-08"] == 1
    assert sum(detail.complaints_by_month.values()) == 1


def test_a_problem_rectified_after_the_date_was_open_then(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        make_problem(
            s,
            campaign,
            unit,
            found_on=dt.date(2024, 6, 10),
            deadline=dt.date(2024, 7, 10),
            status="verified",
            completed_on=dt.date(2024, 11, 20),
        )
        unit_id = unit.id
    with db.read() as s:
        then = unit_detail(s, 2024, unit_id, AS_OF)
        later = unit_detail(s, 2024, unit_id, dt.date(2024, 12, 1))
    assert then is not None and later is not None and then.figures is not None
    row = then.problems[0]
    assert (row.rectified, row.overdue, row.completed_on) == (False, True, None)
    assert then.figures.rectified == 0
    days = (AS_OF - dt.date(2024, 7, 10)).days
    assert f"未整改 · 逾期 {days} 天" in texts(unit_body(then, ""))
    assert later.problems[0].completed_on == dt.date(2024, 11, 20)
    assert "已销号" in texts(unit_body(later, ""))


def test_visits_newest_first_with_ratings_and_follow_ups(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        other = make_unit(s)
        older = make_visit(
            s,
            campaign,
            unit,
            ratings={"integrity": "nonconform", "disclosure": "conform"},
            visited_on=dt.date(2024, 11, 2),
            findings="台账不全",
            next_visit_on=dt.date(2024, 11, 12),
        )
        newer = make_visit(s, campaign, unit, visited_on=dt.date(2024, 11, 12), kind="focus")
        make_visit(s, campaign, unit, visited_on=dt.date(2024, 11, 30))  # after as-of
        make_visit(s, campaign, other, visited_on=dt.date(2024, 11, 5))
        make_problem(
            s,
            campaign,
            unit,
            channel="supervision",
            found_on=dt.date(2024, 11, 2),
            deadline=dt.date(2024, 11, 10),
            visit_id=older.id,
        )
        make_problem(
            s,
            campaign,
            unit,
            channel="supervision",
            found_on=dt.date(2024, 11, 2),
            deadline=dt.date(2024, 11, 30),
            status="done",
            completed_on=dt.date(2024, 11, 8),
            visit_id=older.id,
        )
        unit_id, older_id, newer_id = unit.id, older.id, newer.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    assert [v.id for v in detail.visits] == [newer_id, older_id]
    visit = detail.visits[1]
    assert visit.ratings == [("disclosure", "conform"), ("integrity", "nonconform")]
    assert visit.findings == "台账不全" and visit.next_visit_on == dt.date(2024, 11, 12)
    late, done = visit.follow_ups
    assert (late.overdue, late.rectified) == (True, False)
    assert (done.overdue, done.rectified, done.completed_on) == (False, True, dt.date(2024, 11, 8))
    assert detail.visits[0].follow_ups == [] and detail.visits[0].kind == "focus"
    shown = texts(unit_body(detail, ""))
    assert "不符合" in shown and "符合" in shown and "重点督查" in shown


@pytest.mark.parametrize(
    ("mode", "deadline", "replied", "state"),
    [
        ("on_the_spot", None, None, "on_the_spot"),
        ("pending", None, None, "pending"),
        ("follow_up", dt.date(2024, 9, 30), dt.date(2024, 9, 20), "replied"),
        ("follow_up", dt.date(2024, 9, 30), dt.date(2024, 10, 3), "replied_late"),
        ("follow_up", dt.date(2024, 9, 30), None, "overdue"),
        ("follow_up", dt.date(2024, 11, 30), None, "waiting"),
        ("follow_up", AS_OF, None, "waiting"),  # the deadline day itself is not late
    ],
)
def test_question_state(
    mode: str, deadline: dt.date | None, replied: dt.date | None, state: str
) -> None:
    assert question_state(mode, deadline, replied, AS_OF) == state


def test_meeting_questions_of_the_unit_as_of_the_date(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        other = make_unit(s)
        meeting = dt.date(2024, 8, 20)

        def ask(unit_id: int | None, **kw: Any) -> None:
            s.add(
                MeetingQuestion(
                    campaign_id=campaign.id,
                    unit_id=unit_id,
                    asker="李代表",
                    question=f"问题{kw.get('answer_mode')}",
                    asked_on=kw.pop("asked_on", meeting),
                    **kw,
                )
            )

        ask(unit.id, answer_mode="on_the_spot", answer="当场答复")
        ask(
            unit.id,
            answer_mode="follow_up",
            reply_deadline=dt.date(2024, 9, 10),
            replied_on=dt.date(2024, 11, 20),  # after the as-of date: not yet replied then
            answer="书面反馈",
        )
        ask(unit.id, answer_mode="pending", asked_on=dt.date(2024, 12, 1))  # after as-of
        ask(other.id, answer_mode="on_the_spot")
        ask(None, answer_mode="on_the_spot")
        s.flush()
        unit_id = unit.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    states = sorted((q.answer_mode, q.state, q.replied_on, q.answer) for q in detail.questions)
    assert states == [
        ("follow_up", "overdue", None, None),
        ("on_the_spot", "on_the_spot", None, "当场答复"),
    ]
    assert "逾期未反馈" in texts(unit_body(detail, ""))


def test_archive_completeness_and_satisfaction(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        other = make_unit(s)
        for name, in_archive, uploaded in (
            ("实施方案", True, True),
            ("动员大会照片", True, False),
            ("工作总结", False, False),
        ):
            s.add(
                ArchiveItem(
                    campaign_id=campaign.id,
                    unit_id=unit.id,
                    name=name,
                    category="document",
                    in_archive=in_archive,
                    uploaded=uploaded,
                )
            )
        s.add(ArchiveItem(campaign_id=campaign.id, unit_id=other.id, name="x", category="photo"))
        make_survey(s, campaign, unit, "服务对象", satisfied=6, basically_satisfied=2, unknown=5)
        make_survey(s, campaign, unit, "民评代表", satisfied=1, dissatisfied=1)
        unit_id = unit.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    archive = detail.archive
    assert (archive.total, archive.in_archive, archive.uploaded) == (3, 2, 1)
    assert [item.name for item in archive.items] == ["实施方案", "动员大会照片", "工作总结"]
    satisfaction = detail.satisfaction
    assert [r.respondent_type for r in satisfaction.rows] == ["民评代表", "服务对象"]
    assert satisfaction.total.valid == 10 and satisfaction.total.unknown == 5
    assert satisfaction.total.rate == pytest.approx(0.9)
    assert satisfaction.score == pytest.approx((7 * 100 + 2 * 70 + 1 * 30) / 10)
    shown = texts(unit_body(detail, ""))
    assert "已归档 2/3 项" in shown and "已上传纠风网站 1/3 项" in shown
    assert "90.0%" in shown


@pytest.mark.parametrize(
    ("completed", "state"),
    [
        (dt.date(2024, 5, 20), "done"),
        (dt.date(2024, 11, 20), "overdue"),  # done only after the as-of date
        (None, "overdue"),
    ],
)
def test_task_state_of_an_ended_phase(completed: dt.date | None, state: str) -> None:
    window = (dt.date(2024, 4, 1), dt.date(2024, 5, 31))
    assert task_state(completed, window, AS_OF) == state


def test_task_state_of_running_and_future_phases() -> None:
    window = (dt.date(2024, 11, 1), dt.date(2024, 12, 31))
    assert task_state(None, window, AS_OF) == "open"
    assert task_state(None, window, dt.date(2024, 10, 1)) == "upcoming"
    assert task_state(None, window, dt.date(2024, 12, 31)) == "open"  # the last day: not late
    # Done early, before its phase starts: counted nowhere yet, as in the figures (#19 item 7).
    assert task_state(dt.date(2024, 9, 1), window, dt.date(2024, 10, 1)) == "upcoming"


def test_tasks_by_phase(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        make_task(s, campaign, unit, "assess", "上传纠风网站")
        make_task(s, campaign, unit, "mobilize", "实施方案", dt.date(2024, 4, 20))
        make_task(s, campaign, unit, "mobilize", "动员大会", dt.date(2024, 11, 30))
        unit_id = unit.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    rows = [(t.phase, t.name, t.state, t.completed_on) for t in detail.tasks]
    assert rows == [
        ("mobilize", "实施方案", "done", dt.date(2024, 4, 20)),
        ("mobilize", "动员大会", "overdue", None),
        ("assess", "上传纠风网站", "open", None),
    ]
    assert detail.figures is not None and detail.figures.overdue_tasks == 1


def test_rank_is_within_the_whole_group(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        offices = [make_unit(s, township=t) for t in ("城关镇", "东湖镇", "西山乡")]
        firm = make_unit(s, kind="law_firm")
        for i, unit in enumerate([*offices, firm]):
            make_survey(s, campaign, unit, satisfied=10 - i * 3, dissatisfied=i * 3)
            make_task(s, campaign, unit, "mobilize", "实施方案", dt.date(2024, 4, 20))
        target = offices[2].id
    with db.read() as s:
        detail = unit_detail(s, 2024, target, AS_OF)
        filtered = evaluation_results(s, 2024, AS_OF, Filters(unit_ids=(target,)))
    assert detail is not None and detail.evaluation is not None
    assert detail.evaluation.rank == filtered[0].rank == 3
    assert detail.group_ranked == 3  # the law firm is not ranked against the offices
    assert "第 3 名 / 3（司法行政机关）" in texts(unit_body(detail, ""))


def test_a_fixed_number_of_queries_whatever_the_unit_holds(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        small, big = make_unit(s), make_unit(s)
        make_problem(s, campaign, small)
        for day in range(1, 21):
            visit = make_visit(
                s, campaign, big, ratings={"lawful": "basic"}, visited_on=dt.date(2024, 11, 1)
            )
            make_problem(s, campaign, big, found_on=dt.date(2024, 7, day), visit_id=visit.id)
            make_task(s, campaign, big, "mobilize", f"任务{day}")
        small_id, big_id = small.id, big.id
    with db.read() as s:
        with count_queries(db) as small_queries:
            unit_detail(s, 2024, small_id, AS_OF)
        with count_queries(db) as big_queries:
            detail = unit_detail(s, 2024, big_id, AS_OF)
    assert detail is not None and len(detail.visits) == 20 and len(detail.problems) == 20
    assert big_queries[0] <= small_queries[0] + 2  # visits' ratings and follow-ups: one each
    assert big_queries[0] <= 35


def test_unknown_unit_and_unit_retired_before_the_campaign(db: Database) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
        retired = make_unit(s, retired_on=dt.date(2023, 12, 31))
        retired_id = retired.id
    with db.read() as s:
        assert unit_detail(s, 2024, 12345, AS_OF) is None
        assert unit_header(s, 12345, 2024) is None
        detail = unit_detail(s, 2024, retired_id, AS_OF)
    assert detail is not None and detail.figures is None
    assert any("不在本年度的评议对象中" in t for t in texts(unit_body(detail, "")))


def test_long_names_and_the_visit_link_keep_the_view(db: Database) -> None:
    name = "青山县城关镇人民调解与法律服务中心第二基层法律服务所"
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit_id = make_unit(s, name=name, kind="legal_service_center").id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    search = "?as_of=2024-11-15&campaign=2024&kind=law_firm"
    body = unit_body(detail, search, may_log_visit=True)
    link = by_id(body, "unit-log-visit")
    assert link.children == "记录督导检查"
    assert link.href == f"/supervision?campaign=2024&as_of=2024-11-15&unit={unit_id}"
    assert by_id(body, "unit-name").children == name
    assert by_id(unit_body(detail, search), "unit-log-visit").children == "查看督导记录"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("abc", None), ("", None), (None, None), ("1e3", None), ("１２", None)],
)
def test_parse_unit_id(text: str | None, expected: int | None) -> None:
    assert parse_unit_id(text) == expected
    assert parse_unit_id("9" * 30) is None  # too large for the database: no such unit


@pytest.fixture
def app(db_url: str) -> Dash:
    return create_app(Settings(database_url=db_url, secret_key="t", fixed_today=AS_OF))


@pytest.mark.parametrize("unit", ["999999", "abc", "9" * 30, None])
def test_callback_says_the_unit_does_not_exist(app: Dash, db: Database, unit: str | None) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
    with app.server.app_context():
        body = render_unit({"unit": unit, "search": "?campaign=2024"})
    assert any("单位不存在" in t for t in texts(body))


def test_callback_renders_a_unit(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_problem(s, campaign, unit)
        unit_id = unit.id
    with app.server.app_context():
        body = render_unit({"unit": str(unit_id), "search": "?campaign=2024&as_of=2024-11-15"})
        empty = render_unit({"unit": str(unit_id), "search": "?campaign=2024&as_of=2024-01-01"})
    assert by_id(body, "unit-name").children == "城关镇司法所"
    assert by_id(body, "unit-problems").children == "1"
    assert by_id(empty, "unit-problems").children == "0"


def test_callback_on_an_empty_database(app: Dash) -> None:
    with app.server.app_context():
        body = render_unit({"unit": "1", "search": ""})
    assert any("还没有评议活动" in t for t in texts(body))


def _grid(body: Any, grid_id: str) -> Any:
    """The dash-ag-grid table inside the box layouts.grid.grid builds with this id."""
    grid = by_id(body, grid_id)
    assert grid is not None and type(grid).__name__ == "AgGrid", grid_id
    return grid


def _buttons(grid: Any) -> list[str]:
    """The grid's button columns (layouts/grid.py BUTTON), in order."""
    return [c["field"] for c in grid.columnDefs if c.get("cellRenderer") == "PingyiButton"]


def test_the_grid_holds_every_problem_however_many(app: Dash, db: Database) -> None:
    """No cap for drawing's sake: a unit with more problems than the page once listed (100)
    has every one in the grid, newest first, as many as its figures count."""
    many = 130
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        for n in range(many):
            make_problem(s, campaign, unit, found_on=dt.date(2024, 3, 1) + dt.timedelta(days=n))
        make_problem(s, campaign, unit, found_on=dt.date(2024, 11, 20))  # after the as-of date
        unit_id = unit.id
    with db.read() as s:
        figures = campaign_figures(s, 2024, AS_OF, Filters(unit_ids=(unit_id,))).by_unit[0]
    with app.server.app_context():
        body = render_unit({"unit": str(unit_id), "search": "?campaign=2024&as_of=2024-11-15"})
    rows = _grid(body, Ids.PROBLEM_GRID).rowData
    assert len(rows) == figures.problems == many
    days = [row["found_on"] for row in rows]
    assert days == sorted(days, reverse=True) and days[-1] == "2024-03-01"  # newest first
    shown = texts(body)
    assert f"问题与整改（{many} 件）" in shown and f"问题与整改（{many}）" in shown
    assert f"共 {many} 行（可点表头排序，在表头下方的框内筛选）" in shown
    assert not any("只列出最新" in t for t in shown)


def test_the_grid_rows_carry_complainants_masked(db: Database) -> None:
    """The rows sent to the browser (rowData, not only what a cell shows) hold the masked
    complainant and nothing else of theirs."""
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        make_problem(s, campaign, unit, complainant_name="李四光", complainant_phone="13900001111")
        make_problem(s, campaign, unit)
        unit_id = unit.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    rows = _grid(unit_body(detail, "", may_edit=True, may_void=True), Ids.PROBLEM_GRID).rowData
    assert sorted(row["complainant"] for row in rows) == ["—", "李** 139****1111"]
    sent = json.dumps(rows, ensure_ascii=False)
    assert "李四光" not in sent and "13900001111" not in sent


def test_a_report_button_only_on_the_problems_the_user_may_report(db: Database) -> None:
    """Issue 19: unit staff get no 填报 on a problem the bureau has closed (status_choices);
    作废 only for those who void; 详情 for everyone."""
    from callbacks.unit import _reportable
    from dashboard.auth import Account

    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        closed = make_problem(s, campaign, unit, status="verified", completed_on=AS_OF).id
        unfounded = make_problem(s, campaign, unit, status="unfounded").id
        open_ = make_problem(s, campaign, unit, status="in_progress").id
        unit_id = unit.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    staff = Account(1, "unit01", "填报员", "unit", unit_id)
    supervisor = Account(2, "duban", "督导员", "supervisor", None)
    assert _reportable(staff, detail.problems) == {open_}
    assert _reportable(supervisor, detail.problems) == {closed, unfounded, open_}

    grid = _grid(unit_body(detail, "", may_edit=True, reportable={open_}), Ids.PROBLEM_GRID)
    assert _buttons(grid) == ["rect", "detail"]  # no 作废 for unit staff
    labels = {row["id"]: row["rect_label"] for row in grid.rowData}
    assert labels == {open_: "填报", closed: "", unfounded: ""}  # no label: no button
    assert all(row["rect"] == row["detail"] == row["id"] for row in grid.rowData)

    assert _buttons(_grid(unit_body(detail, ""), Ids.PROBLEM_GRID)) == ["detail"]
    voider = _grid(unit_body(detail, "", may_void=True), Ids.PROBLEM_GRID)
    assert _buttons(voider) == ["detail", "void"]


def test_meeting_questions_and_voided_problems_are_grids(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        for n in range(20):
            s.add(
                MeetingQuestion(
                    campaign_id=campaign.id,
                    unit_id=unit.id,
                    asker=f"代表{n}",
                    question=f"问题{n}",
                    asked_on=dt.date(2024, 8, 20),
                    answer_mode="on_the_spot",
                    answer=f"答复{n}",
                )
            )
        voided = make_problem(s, campaign, unit)
        voided.voided_at, voided.void_reason = dt.datetime(2024, 9, 1, 10, 30), "重复登记"
        unit_id, voided_id = unit.id, voided.id
    with db.read() as s:
        detail = unit_detail(s, 2024, unit_id, AS_OF)
    assert detail is not None
    body = unit_body(detail, "")
    questions = _grid(body, Ids.QUESTION_GRID).rowData
    assert len(questions) == len(detail.questions) == 20
    assert {q["state"] for q in questions} == {"已当场答复"}
    voided_rows = _grid(body, Ids.VOIDED_GRID).rowData
    assert voided_rows == [
        {
            "id": voided_id,
            "found_on": "2024-06-10",
            "description": voided.description,
            "voided_at": "2024-09-01 10:30",
            "reason": "重复登记",
            "detail": voided_id,
        }
    ]
    assert by_id(body, Ids.PROBLEM_TABLE).children == "截至所选日期，该单位本年度没有登记问题。"


@pytest.mark.parametrize(
    ("press", "column", "expected"),
    [
        ({"colId": "rect", "value": 12, "rowId": "12", "timestamp": 1}, "rect", 12),
        ({"colId": "detail", "value": "12"}, "detail", 12),
        ({"colId": "detail", "value": 12}, "rect", None),  # another column's button
        ({"colId": "rect", "value": "abc"}, "rect", None),
        ({"colId": "rect", "value": "9" * 30}, "rect", None),
        ({"colId": "rect", "value": [12]}, "rect", None),
        ({"colId": "rect"}, "rect", None),
        (None, "rect", None),  # the grid was only drawn
        ("rect", "rect", None),
    ],
)
def test_a_grid_button_press_names_a_problem(press: Any, column: str, expected: int | None) -> None:
    if expected is None:
        with pytest.raises(PreventUpdate):
            pressed_row(press, column)
    else:
        assert pressed_row(press, column) == expected


def test_the_dialogs_open_from_the_grids_buttons(app: Dash, db: Database) -> None:
    """Each problem dialog opens on a grid's cellRendererData, none on per-row buttons."""
    with db.write("test") as s:
        make_user(s, "admin", "admin")
    client = app.server.test_client()
    login(client, "admin").close()
    deps = client.get("/_dash-dependencies").get_json()
    opened_by = sorted(
        (output_parts(d["output"])[0], d["inputs"][0]["id"], d["inputs"][0]["property"])
        for d in deps
        if d["inputs"][0]["id"] in (Ids.PROBLEM_GRID, Ids.VOIDED_GRID)
    )
    assert opened_by == [
        (("unit-detail-modal", "is_open"), Ids.PROBLEM_GRID, "cellRendererData"),
        (("unit-detail-modal", "is_open"), Ids.VOIDED_GRID, "cellRendererData"),
        (("unit-rect-modal", "is_open"), Ids.PROBLEM_GRID, "cellRendererData"),
        (("unit-void-modal", "is_open"), Ids.PROBLEM_GRID, "cellRendererData"),
    ]
    sent = json.dumps(deps)
    assert not any(old in sent for old in ("unit-rect-open", "unit-detail-open", "unit-void-open"))
