"""待办 (#15): a unit's open items with the step each reached, a leader's escalations, the
纠风办's day, and the navbar's number — one cheap statement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from callbacks.todo import render_todo, show_nav_count, show_overview_line
from dashboard.auth import Account
from dashboard.ids import Todo as Ids
from data.chase_settings import ChaseSettings, save_chase_settings
from data.db import Database
from data.models import (
    ChaseNotice,
    ChaseRun,
    ChaseStep,
    MeetingQuestion,
    OutboxMessage,
    TaskTemplate,
    UnitTask,
    User,
)
from data.todo import (
    day_steps,
    escalation_counts,
    escalation_units,
    escalations,
    focus_list,
    last_run,
    outbox_log,
    step_counts,
    title,
    todo_count,
    todo_rows,
)
from tests.components import by_id, texts
from tests.conftest import MakeApp, signed_in
from tests.factories import make_campaign, make_problem, make_task, make_unit, make_user

AS_OF = dt.date(2024, 10, 20)
NAME, PHONE = "张三丰", "13812345678"
DESCRIPTION = f"{NAME}反映窗口未公示收费标准，电话{PHONE}"
# As lists show it: the complainant's name and phone masked (data.notices.scrub).
LATE = title(DESCRIPTION, NAME, PHONE)


def test_titles_never_carry_the_complainant() -> None:
    assert "窗口未公示收费标准" in LATE
    assert NAME not in LATE and PHONE not in LATE


def d(month: int, day: int) -> dt.date:
    """A date in 2024."""
    return dt.date(2024, month, day)


@dataclass
class County:
    """Ids of what the tests look at."""

    office: int
    firm: int
    late: int  # the office's problem chased up to 督办
    ahead: int  # the office's problem due later
    question: int
    task: int  # the office's 实施方案 (mobilize)
    accounts: dict[str, Account]


def step(
    s: Session,
    campaign_id: int,
    kind: str,
    item_id: int,
    unit_id: int | None,
    name: str,
    deadline: dt.date,
    on: dt.date,
    ended: dt.date | None = None,
) -> None:
    """A chase_step row as the daily job makes it."""
    s.add(
        ChaseStep(
            campaign_id=campaign_id,
            item_kind=kind,
            item_id=item_id,
            unit_id=unit_id,
            step=name,
            deadline=deadline,
            due_on=on,
            created_on=on,
            recipient="城关镇司法所" if name in ("remind", "chase") else "局领导",
            ended_on=ended,
        )
    )


def add_ladder(s: Session, campaign_id: int, c: County, firm_problem: int) -> None:
    """The steps of the county's items (as run_chase would make them, ended ones included)."""
    step(s, campaign_id, "problem", c.late, c.office, "remind", d(10, 8), d(9, 26))
    step(s, campaign_id, "problem", c.late, c.office, "chase", d(10, 8), d(10, 9))
    step(s, campaign_id, "problem", c.late, c.office, "escalate", d(10, 8), d(10, 14))
    step(s, campaign_id, "question", c.question, c.office, "chase", d(10, 15), d(10, 16))
    step(s, campaign_id, "task", c.task, c.office, "chase", d(5, 31), d(6, 1))
    step(s, campaign_id, "task", c.task, c.office, "escalate", d(5, 31), d(6, 6))
    step(s, campaign_id, "task", c.task, c.office, "focus", d(5, 31), d(6, 11))
    # The firm's problem reached 督办; its reminder for an older deadline was ended.
    step(s, campaign_id, "problem", firm_problem, c.firm, "remind", d(9, 1), d(8, 29), d(9, 2))
    step(s, campaign_id, "problem", firm_problem, c.firm, "chase", d(9, 20), d(9, 21))
    step(s, campaign_id, "problem", firm_problem, c.firm, "escalate", d(9, 20), d(9, 26))


def account(s: Session, username: str) -> Account:
    """The signed-in value of a user."""
    u = s.scalars(select(User).where(User.username == username)).one()
    return Account(u.id, u.username, u.display_name, u.role, u.unit_id)


@pytest.fixture
def county(db: Database) -> County:
    """A 司法所 with every kind of open item and some closed ones, a law firm chased to 督办."""
    with db.write("test") as s:
        c = make_campaign(s, 2024)
        office = make_unit(s, "城关镇司法所", "judicial_office", "城关镇")
        firm = make_unit(s, "正大律师事务所", "law_firm", "青龙镇")
        late = make_problem(
            s,
            c,
            office,
            description=DESCRIPTION,
            deadline=d(10, 8),
            complainant_name=NAME,
            complainant_phone=PHONE,
            channel="hotline",
            ledger_key="2024-0001",
        )
        ahead = make_problem(s, c, office, description="调解卷宗不规范", deadline=d(11, 30))
        make_problem(s, c, office, status="done", completed_on=d(9, 1), deadline=d(9, 5))
        make_problem(s, c, office, status="unfounded", deadline=d(9, 5))
        voided = make_problem(s, c, office, deadline=d(9, 5))
        voided.voided_at = dt.datetime(2024, 9, 1, 9)
        make_problem(s, c, office, found_on=d(10, 25), deadline=d(11, 5))  # after the as-of date
        firm_problem = make_problem(s, c, firm, description="收费不透明", deadline=d(9, 20))
        question = MeetingQuestion(
            campaign_id=c.id,
            unit_id=office.id,
            asker="李代表",
            question="调解室何时开放周末服务？",
            asked_on=d(8, 25),
            answer_mode="follow_up",
            reply_deadline=d(10, 15),
        )
        answered = MeetingQuestion(
            campaign_id=c.id,
            unit_id=office.id,
            asker="王代表",
            question="当场答复的问题",
            asked_on=d(8, 25),
            answer_mode="on_the_spot",
        )
        s.add_all([question, answered])
        task = make_task(s, c, office, "mobilize", "实施方案")
        make_task(s, c, office, "investigate", "自查自纠", completed_on=d(8, 20))
        # Owed without a unit_task row yet; not owed: another kind's, retired, derived.
        s.add(TaskTemplate(campaign_id=c.id, phase_code="assess", name="整理工作档案"))
        s.add(
            TaskTemplate(campaign_id=c.id, phase_code="assess", name="执业公示", kinds=["law_firm"])
        )
        s.add(
            TaskTemplate(
                campaign_id=c.id,
                phase_code="assess",
                name="旧任务",
                retired_at=dt.datetime(2024, 5, 1),
            )
        )
        s.add(
            TaskTemplate(
                campaign_id=c.id, phase_code="assess", name="上传纠风网站", derived_from="upload"
            )
        )
        s.flush()
        make_user(s, "unit01", "unit", unit_name="城关镇司法所")
        make_user(s, "unit02", "unit", unit_name="正大律师事务所")
        make_user(s, "leader", "leader")
        make_user(s, "fenguan", "leader")
        s.scalars(select(User).where(User.username == "fenguan")).one().in_charge_of = ["law_firm"]
        make_user(s, "admin", "admin")
        make_user(s, "duban", "supervisor")
        s.flush()
        names = ("unit01", "unit02", "leader", "fenguan", "admin", "duban")
        county = County(
            office=office.id,
            firm=firm.id,
            late=late.id,
            ahead=ahead.id,
            question=question.id,
            task=task.id,
            accounts={n: account(s, n) for n in names},
        )
        add_ladder(s, c.id, county, firm_problem.id)
    return county


def test_a_unit_sees_its_open_items_nearest_deadline_first(db: Database, county: County) -> None:
    with db.read() as s:
        rows = todo_rows(s, county.accounts["unit01"], AS_OF)
    assert [(r.kind, r.title, r.deadline, r.step) for r in rows] == [
        ("task", "实施方案", d(5, 31), "focus"),
        ("problem", LATE, d(10, 8), "escalate"),
        ("question", "调解室何时开放周末服务？", d(10, 15), "chase"),
        ("problem", "调解卷宗不规范", d(11, 30), None),
        ("task", "整理工作档案", d(12, 31), None),
    ]
    assert [r.days_left for r in rows] == [-142, -12, -5, 41, 72]
    assert rows[1].number == "2024-0001" and rows[1].item_id == county.late
    assert rows[1].step_on == d(10, 14) and rows[1].overdue
    assert rows[4].item_id is None  # owed, though the unit has not begun it
    assert all(NAME not in repr(r) and PHONE not in repr(r) for r in rows)


def test_an_earlier_date_shows_the_steps_reached_by_then(db: Database, county: County) -> None:
    with db.read() as s:
        rows = {r.title: r for r in todo_rows(s, county.accounts["unit01"], d(10, 10))}
    assert rows[LATE].step == "chase"
    assert rows["调解室何时开放周末服务？"].step is None
    assert rows[LATE].days_left == -2


def test_done_items_leave_the_list_and_the_count(db: Database, county: County) -> None:
    with db.write("test") as s:
        task = s.get(UnitTask, county.task)
        task.completed_on = d(10, 18)
        for row in s.scalars(select(ChaseStep).where(ChaseStep.item_kind == "task")):
            row.ended_on = d(10, 19)
    with db.read() as s:
        unit01 = county.accounts["unit01"]
        titles = [r.title for r in todo_rows(s, unit01, AS_OF)]
        assert "实施方案" not in titles
        assert todo_count(s, unit01, AS_OF) == 2
        # Before it was done it was still owed, and chased.
        assert "实施方案" in [r.title for r in todo_rows(s, unit01, d(10, 17))]
        assert todo_count(s, unit01, d(10, 17)) == 3


def test_only_unit_accounts_have_a_todo_list(db: Database, county: County) -> None:
    with db.read() as s:
        firm = todo_rows(s, county.accounts["unit02"], AS_OF)
        # Every task of its kind is owed though the firm has begun none (no unit_task rows).
        assert [(r.title, r.step) for r in firm] == [
            ("实施方案", None),
            ("自查自纠", None),
            ("收费不透明", "escalate"),
            ("执业公示", None),
            ("整理工作档案", None),
        ]
        for name in ("leader", "admin", "duban"):
            assert todo_rows(s, county.accounts[name], AS_OF) == []


def test_leaders_see_the_escalations_of_the_kinds_in_their_charge(
    db: Database, county: County
) -> None:
    with db.read() as s:
        everyone = escalations(s, county.accounts["leader"], AS_OF)
        firm_only = escalations(s, county.accounts["fenguan"], AS_OF)
        unit = escalations(s, county.accounts["unit01"], AS_OF)
        assert escalation_counts(s, county.accounts["leader"], AS_OF) == {"escalate": 3, "focus": 1}
        assert escalation_counts(s, county.accounts["fenguan"], AS_OF) == {
            "escalate": 1,
            "focus": 0,
        }
        assert escalation_counts(s, county.accounts["unit01"], AS_OF) == {"escalate": 0, "focus": 0}
        # The page's filters narrow it.
        assert [
            r.unit for r in escalations(s, county.accounts["leader"], AS_OF, ("law_firm",))
        ] == ["正大律师事务所"]
        assert escalations(s, county.accounts["leader"], AS_OF, (), ("白沙镇",)) == []
    # One row an item: the task reached 重点督查, which stands for its 督办 too.
    assert [(r.unit, r.kind, r.step) for r in everyone] == [
        ("城关镇司法所", "task", "focus"),
        ("城关镇司法所", "problem", "escalate"),
        ("正大律师事务所", "problem", "escalate"),
    ]
    assert everyone[1].days_overdue == 12 and everyone[1].number == "2024-0001"
    assert everyone[1].title == LATE and everyone[1].year == 2024
    assert [(r.unit, r.title) for r in firm_only] == [("正大律师事务所", "收费不透明")]
    assert unit == []
    assert all(NAME not in repr(r) and PHONE not in repr(r) for r in everyone)


def test_escalations_are_counted_by_unit_and_a_long_list_keeps_the_longest_overdue(
    db: Database, county: County
) -> None:
    leader = county.accounts["leader"]
    with db.read() as s:
        everyone = escalations(s, leader, AS_OF)
        units = escalation_units(s, leader, AS_OF)
        two = escalations(s, leader, AS_OF, limit=2)
        firm = escalation_units(s, county.accounts["fenguan"], AS_OF)
        assert escalation_units(s, county.accounts["unit01"], AS_OF) == []
        assert escalation_units(s, leader, AS_OF, (), ("白沙镇",)) == []
    # The unit with the most first, with its items, those listed for 重点督查 and its
    # earliest deadline.
    assert [(u.unit, u.items, u.focus, u.year) for u in units] == [
        ("城关镇司法所", 2, 1, 2024),
        ("正大律师事务所", 1, 0, 2024),
    ]
    assert units[0].oldest == min(r.deadline for r in everyone if r.unit == "城关镇司法所")
    assert [(u.unit, u.items) for u in firm] == [("正大律师事务所", 1)]
    # Cut short, the list keeps the two earliest deadlines, still by unit.
    kept = sorted(everyone, key=lambda r: r.deadline)[:2]
    assert {r.step_id for r in two} == {r.step_id for r in kept}
    assert [r.unit for r in two] == sorted(r.unit or "" for r in two)


def test_the_bureau_sees_the_day_the_focus_list_the_run_and_the_log(
    db: Database, county: County
) -> None:
    with db.write("test") as s:
        s.add(
            ChaseRun(
                run_on=d(10, 16),
                source="cli",
                started_at=dt.datetime(2024, 10, 16, 6),
                finished_at=dt.datetime(2024, 10, 16, 6, 1),
                created=1,
            )
        )
        s.add(
            OutboxMessage(
                channel="webhook",
                key="k1",
                recipient="group",
                subject="催办",
                body="…",
                created_at=dt.datetime(2024, 10, 16, 6, 1),
                attempts=2,
                last_error="HTTP 500",
            )
        )
    with db.read() as s:
        assert [(r.kind, r.step) for r in day_steps(s, d(10, 16))] == [("question", "chase")]
        assert day_steps(s, d(10, 17)) == []
        assert [(r.unit, r.title) for r in focus_list(s, AS_OF)] == [("城关镇司法所", "实施方案")]
        assert step_counts(s, d(10, 16)) == {"day": 1, "focus": len(focus_list(s, d(10, 16)))}
        assert step_counts(s, AS_OF) == {"day": len(day_steps(s, AS_OF)), "focus": 1}
        run = last_run(s)
        assert run is not None and run.run_on == d(10, 16) and run.created == 1
        log = outbox_log(s)
        assert [(m.channel, m.attempts, m.last_error) for m in log] == [("webhook", 2, "HTTP 500")]


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements run on the database meanwhile."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("unit01", 3), ("unit02", 1), ("leader", 3), ("fenguan", 1), ("admin", 1), ("duban", 1)],
)
def test_the_navbar_number_is_one_statement(
    db: Database, county: County, name: str, expected: int
) -> None:
    who = county.accounts[name]
    with db.read() as s:
        with statements(db) as seen:
            n = todo_count(s, who, AS_OF)
        assert n == expected
        assert len([q for q in seen if q.lstrip().upper().startswith("SELECT")]) == 1
        if who.role == "leader":
            assert n == len(escalations(s, who, AS_OF))


def test_days_are_counted_as_the_bureau_counts_them(db: Database, county: County) -> None:
    """Across National Day 2024 (10/1–10/7 off, 9/29 and 10/12 worked)."""
    with db.write("test") as s:
        save_chase_settings(s, ChaseSettings(day_count="working"))
    with db.read() as s:
        rows = {r.title: r for r in todo_rows(s, county.accounts["unit01"], d(9, 30))}
        late = rows[LATE]
        assert late.days_left == 1  # only 10/8 is a working day in (9/30, 10/8]
        overdue = escalations(s, county.accounts["leader"], d(10, 14))
        # (10/8, 10/14]: 10/9, 10/10, 10/11, 10/12 (a Saturday worked), 10/14
        assert {r.title: r.days_overdue for r in overdue}[LATE] == 5


# ---- the page, the navbar, the overview (callbacks called as plain functions) ------------------

SEARCH = f"?campaign=2024&as_of={AS_OF.isoformat()}"


@pytest.fixture
def app(make_app: MakeApp, county: County) -> Dash:
    """The dashboard on the county, today being AS_OF."""
    return make_app(today=AS_OF)


def test_a_unit_page_lists_its_items_with_links_to_where_they_are_done(
    app: Dash, db: Database, county: County
) -> None:
    with signed_in(app, db, "unit01"):
        content = render_todo(SEARCH)
    grid = by_id(content, Ids.LIST)
    rows = {row["item"]: row for row in grid.rowData}
    late = rows[LATE]
    assert late["step"] == "督办" and late["step_level"] == "bad"
    assert late["days_text"] == "逾期 12 天" and late["number"] == "2024-0001"
    assert late["href"] == f"/units/{county.office}{SEARCH}#unit-problems-section"
    assert rows["调解室何时开放周末服务？"]["href"].endswith("#unit-questions")
    assert rows["整理工作档案"]["step"] == "—"
    assert rows["调解卷宗不规范"]["days_text"] == "剩余 41 天"
    summary = " ".join(texts(by_id(content, Ids.SUMMARY)))
    assert "待办 5 项，其中已逾期 3 项、已被催办 3 项" in summary
    assert NAME not in " ".join(texts(content)) and PHONE not in " ".join(texts(content))


def test_a_unit_with_nothing_open_is_told_so(app: Dash, db: Database, county: County) -> None:
    with db.write("test") as s:
        unit = make_unit(s, "白沙镇公证处", "notary_office", "白沙镇")
        make_user(s, "unit03", "unit", unit_name=unit.name)
        for template in s.scalars(select(TaskTemplate)):
            s.add(UnitTask(template_id=template.id, unit_id=unit.id, completed_on=d(5, 1)))
    with signed_in(app, db, "unit03"):
        content = render_todo(SEARCH)
        count = show_nav_count("/todo")
    assert "没有待办事项" in " ".join(texts(content))
    assert count == ("", "d-none", "")


def test_the_leader_page_lists_the_escalations(app: Dash, db: Database, county: County) -> None:
    with signed_in(app, db, "fenguan"):
        content = render_todo(SEARCH)
    words = " ".join(texts(content))
    assert "分管单位类别：律师事务所" in words
    rows = by_id(content, Ids.ESCALATIONS).rowData
    assert [(r["unit"], r["step"], r["item"]) for r in rows] == [
        ("正大律师事务所", "督办", "收费不透明")
    ]
    assert rows[0]["unit_href"] == f"/units/{county.firm}{SEARCH}"
    units = by_id(content, Ids.ESCALATION_UNITS).rowData
    assert [(u["unit"], u["items"], u["focus"]) for u in units] == [("正大律师事务所", 1, 0)]
    assert units[0]["unit_href"] == rows[0]["unit_href"]
    assert "逾期最久" not in words  # the whole list is there


def test_a_long_list_says_it_shows_the_longest_overdue() -> None:
    from dashboard.state import ViewState
    from data.todo import StepRow
    from layouts.todo import steps_grid

    row = StepRow(
        step_id=1,
        step="escalate",
        kind="problem",
        item_id=7,
        unit_id=3,
        unit="城关镇司法所",
        year=2024,
        number="2024-0007",
        title="收费不透明",
        deadline=d(9, 30),
        days_overdue=12,
        due_on=d(10, 14),
        created_on=d(10, 14),
        recipient="分管领导",
        notice_id=None,
    )
    state = ViewState(2024, AS_OF, (), ())
    cut = steps_grid(Ids.ESCALATIONS, [row], state, True, "无", total=1234)
    whole = steps_grid(Ids.ESCALATIONS, [row], state, True, "无", total=1)
    assert "列出逾期最久的 1 项（共 1,234 项）" in " ".join(texts(cut))
    assert "逾期最久" not in " ".join(texts(whole))
    assert by_id(cut, Ids.ESCALATIONS).rowData == by_id(whole, Ids.ESCALATIONS).rowData


def test_the_bureau_page_shows_the_day(app: Dash, db: Database, county: County) -> None:
    with signed_in(app, db, "admin"):
        content = render_todo(f"?campaign=2024&as_of={d(10, 16).isoformat()}")
    assert [r["item"] for r in by_id(content, Ids.DAY).rowData] == ["调解室何时开放周末服务？"]
    focus = by_id(content, Ids.FOCUS).rowData
    assert [(r["item"], r["log"]) for r in focus] == [("实施方案", "记录督导")]
    assert "unit=" in focus[0]["log_href"] and "kind=focus" in focus[0]["log_href"]
    words = " ".join(texts(content))
    assert "催办程序还没有运行过" in words and "没有通知书" in words
    assert "还没有发出过消息" in words


@pytest.mark.parametrize(
    ("name", "shown", "line"),
    [
        ("unit01", "3", "本单位有 3 项事项已被催办"),
        ("leader", "3", "已报督办的事项 3 项，其中列入重点督查 1 项"),
        ("fenguan", "1", "已报督办的事项 1 项，其中列入重点督查 0 项"),
        ("admin", "1", "已报督办的事项 3 项，其中列入重点督查 1 项"),
    ],
)
def test_the_navbar_number_and_the_overview_line(
    app: Dash, db: Database, county: County, name: str, shown: str, line: str
) -> None:
    with signed_in(app, db, name):
        text, classes, title_ = show_nav_count("/")
        overview = show_overview_line(SEARCH)
    assert text == shown and "badge" in classes and shown in title_
    assert line in " ".join(texts(overview))
    assert by_id(overview, Ids.OVERVIEW_OPEN).href == f"/todo{SEARCH}"


def test_the_navbar_offers_todo_to_all_but_admins(app: Dash, db: Database, county: County) -> None:
    from layouts.shell import nav_links

    for name, offered in (("unit01", True), ("leader", True), ("duban", True), ("admin", False)):
        with signed_in(app, db, name):
            links = nav_links()
        assert (by_id(links, Ids.NAV_COUNT) is not None) is offered, name


def test_a_unit_page_lists_the_notices_sent_to_its_unit_only(
    app: Dash, db: Database, county: County
) -> None:
    with db.write("test") as s:
        for unit_id, number in ((county.office, 1), (county.firm, 2)):
            s.add(
                ChaseNotice(
                    year=2024, kind="chase", number=number, unit_id=unit_id, issued_on=d(10, 9)
                )
            )
    with signed_in(app, db, "unit01"):
        words = " ".join(texts(by_id(render_todo(SEARCH), Ids.NOTICES)))
    assert "〔2024〕催字第 1 号" in words and "〔2024〕催字第 2 号" not in words
