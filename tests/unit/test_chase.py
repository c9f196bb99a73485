"""The reminder ladder (data/chase.py): each step on its day across National Day 2024, once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from data.chain import verify
from data.chase import ChaseResult, Leaders, run_chase
from data.chase_settings import ChaseSettings, save_chase_settings
from data.db import Database
from data.models import (
    Campaign,
    ChangeLog,
    ChaseNotice,
    ChaseRun,
    ChaseStep,
    DataVersion,
    MeetingQuestion,
    Phase,
    Problem,
    TaskTemplate,
    Unit,
    UnitTask,
)
from tests.factories import PASSWORD, make_campaign, make_problem, make_task, make_unit

D = dt.date


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every day from first to last."""
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


@dataclass
class County:
    """A small county: a problem, a follow-up question and a task, each due around 国庆."""

    campaign_id: int
    unit_id: int
    problem_id: int
    question_id: int
    bureau_question_id: int
    task_id: int
    leader_id: int


def seed(db: Database, mode: str = "working") -> County:
    """Problem due 9/30, question due 9/27 (a Friday before the holiday), the rectify phase
    ending 10/7 (inside the holiday) with one task; a leader in charge of 司法所."""
    from data.users import add_user

    with db.write("test") as s:
        save_chase_settings(s, ChaseSettings(day_count=mode))
        campaign = make_campaign(s, 2024)
        rectify = s.scalars(
            select(Phase).where(Phase.campaign_id == campaign.id, Phase.code == "rectify")
        ).one()
        rectify.ends_on = D(2024, 10, 7)
        unit = make_unit(s, "城关司法所", kind="judicial_office")
        make_unit(s, "某律师事务所", kind="law_firm")  # owes nothing: no task applies
        problem = make_problem(
            s,
            campaign,
            unit,
            found_on=D(2024, 9, 1),
            deadline=D(2024, 9, 30),
            complainant_name="张三",
            complainant_phone="13900000000",
        )
        question = MeetingQuestion(
            campaign_id=campaign.id,
            unit_id=unit.id,
            asker="李代表",
            question="调解协议履行情况？",
            asked_on=D(2024, 9, 10),
            answer_mode="follow_up",
            reply_deadline=D(2024, 9, 27),
        )
        bureau_question = MeetingQuestion(
            campaign_id=campaign.id,
            unit_id=None,
            asker="王代表",
            question="全局的法律援助覆盖面？",
            asked_on=D(2024, 9, 10),
            answer_mode="follow_up",
            reply_deadline=D(2024, 9, 27),
        )
        s.add_all([question, bureau_question])
        task = make_task(s, campaign, unit, phase="rectify", name="整改方案")
        s.scalars(select(TaskTemplate).where(TaskTemplate.id == task.template_id)).one().kinds = [
            "judicial_office"
        ]
        leader = add_user(s, "fenguan", PASSWORD, "leader", display_name="赵副局长")
        leader.in_charge_of = ["judicial_office"]
        s.flush()
        return County(
            campaign.id,
            unit.id,
            problem.id,
            question.id,
            bureau_question.id,
            task.id,
            leader.id,
        )


def steps(db: Database) -> dict[tuple[str, int, str], ChaseStep]:
    """Every step by (item kind, item id, step)."""
    with db.read() as s:
        return {(r.item_kind, r.item_id, r.step): r for r in s.scalars(select(ChaseStep))}


def count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# The ladder in working days around 国庆 2024 (10/1–10/7 off; Sunday 9/29 and Saturday 10/12
# worked; Saturday 9/28 off): remind 3 working days before, chase the first working day after,
# escalate 5 working days after the chase day, focus 10 after it.
WORKING = {
    # deadline Monday 9/30: 9/29 (Sunday, worked) 9/27 9/26 before it; 10/8 first after it
    "problem": {
        "remind": D(2024, 9, 26),
        "chase": D(2024, 10, 8),
        "escalate": D(2024, 10, 14),  # 9, 10, 11, 12 (Saturday, worked), 14
        "focus": D(2024, 10, 21),  # 15, 16, 17, 18, 21
    },
    # deadline Friday 9/27: the first working day after it is Sunday 9/29
    "question": {
        "remind": D(2024, 9, 24),
        "chase": D(2024, 9, 29),
        "escalate": D(2024, 10, 11),  # 9/30, 10/8, 9, 10, 11
        "focus": D(2024, 10, 17),  # 12, 14, 15, 16, 17
    },
    # deadline 10/7 (a holiday): 9/30 9/29 9/27 before it, 10/8 after it
    "task": {
        "remind": D(2024, 9, 27),
        "chase": D(2024, 10, 8),
        "escalate": D(2024, 10, 14),
        "focus": D(2024, 10, 21),
    },
}
CALENDAR = {
    "problem": {
        "remind": D(2024, 9, 27),
        "chase": D(2024, 10, 1),
        "escalate": D(2024, 10, 6),
        "focus": D(2024, 10, 11),
    },
    "question": {
        "remind": D(2024, 9, 24),
        "chase": D(2024, 9, 28),
        "escalate": D(2024, 10, 3),
        "focus": D(2024, 10, 8),
    },
    "task": {
        "remind": D(2024, 10, 4),
        "chase": D(2024, 10, 8),
        "escalate": D(2024, 10, 13),
        "focus": D(2024, 10, 18),
    },
}


@pytest.mark.parametrize(("mode", "expected"), [("working", WORKING), ("calendar", CALENDAR)])
def test_each_step_on_its_day(
    db: Database, mode: str, expected: dict[str, dict[str, dt.date]]
) -> None:
    county = seed(db, mode)
    ids = {"problem": county.problem_id, "question": county.question_id, "task": county.task_id}
    made_on: dict[tuple[str, str], dt.date] = {}
    for day in days(D(2024, 9, 15), D(2024, 10, 31)):
        result = run_chase(db, day)
        for (kind, step), n in result.created.items():
            made_on.setdefault((kind, step), day)
            if kind != "question":
                assert n == 1, (kind, step, day)
    for kind, ladder in expected.items():
        for step, day in ladder.items():
            assert made_on[(kind, step)] == day, (mode, kind, step)
            row = steps(db)[(kind, ids[kind], step)]
            assert (row.due_on, row.created_on, row.ended_on) == (day, day, None)
    # One step per item and step: 4 for each of the four items, nothing for the law firm.
    assert count(db, ChaseStep) == 16
    with db.read() as s:
        assert verify(s).ok


def test_recipients_and_notices(db: Database) -> None:
    county = seed(db)
    run_chase(db, D(2024, 10, 31))  # everything due at once (catch-up)
    made = steps(db)
    unit_steps = {k: v for k, v in made.items() if k[1] != county.bureau_question_id}
    problem = made[("problem", county.problem_id, "chase")]
    assert problem.recipient == "城关司法所" and problem.leader_id is None
    escalate = made[("problem", county.problem_id, "escalate")]
    assert (escalate.recipient, escalate.leader_id) == ("赵副局长", county.leader_id)
    assert made[("task", county.task_id, "focus")].recipient == "纠风办"
    # The question put to the bureau: answered by the bureau, escalated to 局领导, no notice.
    bureau = {k[2]: v for k, v in made.items() if k[1] == county.bureau_question_id}
    assert bureau["chase"].recipient == "局机关"
    assert bureau["escalate"].recipient == "局领导" and bureau["escalate"].leader_id is None
    assert all(v.notice_id is None for v in bureau.values())
    # Caught up after the deadline: no reminder for anything.
    assert not any(step == "remind" for _, _, step in made)
    with db.read() as s:
        notices = {n.kind: n for n in s.scalars(select(ChaseNotice))}
    assert set(notices) == {"chase", "escalate"}
    assert all(n.number == 1 and n.year == 2024 for n in notices.values())
    assert all(n.unit_id == county.unit_id for n in notices.values())
    for (_, _, step), row in unit_steps.items():
        kind = {"chase": "chase", "escalate": "escalate"}.get(step)
        assert row.notice_id == (notices[kind].id if kind else None)


def test_notices_numbered_per_year_and_kind(db: Database) -> None:
    county = seed(db)
    run_chase(db, D(2024, 10, 8))  # problem and task chased: one 催办通知书, number 1
    with db.write("test") as s:
        campaign = s.get(Campaign, county.campaign_id)
        other = make_unit(s, "城南司法所")
        make_problem(s, campaign, other, found_on=D(2024, 9, 1), deadline=D(2024, 10, 8))
    result = run_chase(db, D(2024, 10, 9))  # the other unit: number 2; the first none new
    assert result.notices == {"chase": 1}
    with db.read() as s:
        numbers = {
            (n.unit_id, n.issued_on): n.number
            for n in s.scalars(select(ChaseNotice).where(ChaseNotice.kind == "chase"))
        }
    assert numbers[(county.unit_id, D(2024, 10, 8))] == 1
    assert sorted(numbers.values()) == [1, 2]


def test_an_issued_notice_says_what_it_said_and_a_later_run_that_day_adds_on_record(
    db: Database,
) -> None:
    from data.notices import notice_context

    county = seed(db)
    run_chase(db, D(2024, 10, 8))  # the problem, question and task chased: 催字第 1 号
    with db.read() as s:
        notice = s.scalars(select(ChaseNotice)).one()
        issued = notice_context(s, notice.id)
    assert issued is not None and issued["item_count"] == 3
    assert issued["number"] == "〔2024〕催字第 1 号"
    # The problem's words and the way days are counted change afterwards: the numbered
    # document does not.
    with db.write("test") as s:
        s.get(Problem, county.problem_id).description = "改写后的问题描述"
        save_chase_settings(s, ChaseSettings(day_count="calendar"))
    with db.read() as s:
        assert notice_context(s, notice.id) == issued
    # A run by hand later that day, after a new overdue problem: the same notice gains it, and
    # the history says so.
    with db.write("test") as s:
        campaign = s.get(Campaign, county.campaign_id)
        unit = s.get(Unit, county.unit_id)
        make_problem(s, campaign, unit, found_on=D(2024, 9, 1), deadline=D(2024, 10, 7))
    run_chase(db, D(2024, 10, 8))
    with db.read() as s:
        now = notice_context(s, notice.id)
        updates = s.scalars(
            select(ChangeLog)
            .where(
                ChangeLog.entity == "chase_notice",
                ChangeLog.entity_id == str(notice.id),
                ChangeLog.action == "update",
            )
            .order_by(ChangeLog.id)
        ).all()
        assert verify(s).ok
    assert now is not None and now["item_count"] == 4 and now["number"] == issued["number"]
    # Fixed when issued, rewritten by the later run: both on record.
    assert [u.note for u in updates] == ["催办：通知书内容"] * 2
    assert updates[0].before == {"content": None} and updates[1].before == {"content": issued}


def test_running_twice_changes_nothing(db: Database) -> None:
    seed(db)
    first = run_chase(db, D(2024, 10, 14))
    assert first.total > 0
    with db.read() as s:
        version = s.scalar(select(DataVersion.n))
        history = s.scalar(select(func.count()).select_from(ChangeLog))
    again = run_chase(db, D(2024, 10, 14))
    assert not again.changed and again.notices == {}
    assert again.lines()[-1] == "没有需要新建或结束的催办步骤"
    with db.read() as s:
        assert s.scalar(select(DataVersion.n)) == version  # the figures cache stays warm
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == history
        run = s.get(ChaseRun, D(2024, 10, 14))
    assert run is not None and run.finished_at is not None and run.created == first.total


def test_dry_run_writes_nothing(db: Database) -> None:
    seed(db)
    with db.read() as s:
        history = s.scalar(select(func.count()).select_from(ChangeLog))
    dry = run_chase(db, D(2024, 10, 14), dry_run=True)
    assert dry.dry_run and dry.total > 0 and dry.notices
    assert "试运行" in dry.lines()[0] and any(line.startswith("将催办") for line in dry.lines())
    assert count(db, ChaseStep) == count(db, ChaseNotice) == count(db, ChaseRun) == 0
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == history
    real = run_chase(db, D(2024, 10, 14))
    assert real.created == dry.created and real.notices == dry.notices


def test_done_items_end_their_steps_and_reopen(db: Database) -> None:
    county = seed(db)
    run_chase(db, D(2024, 10, 8))
    with db.write("test") as s:
        problem = s.get(Problem, county.problem_id)
        problem.status, problem.completed_on = "done", D(2024, 10, 9)
        s.get(UnitTask, county.task_id).completed_on = D(2024, 10, 9)
        question = s.get(MeetingQuestion, county.question_id)
        question.replied_on, question.answer = D(2024, 10, 9), "已书面答复"
    result = run_chase(db, D(2024, 10, 9))
    made = steps(db)
    for kind, item in (
        ("problem", county.problem_id),
        ("task", county.task_id),
        ("question", county.question_id),
    ):
        mine = [v for k, v in made.items() if k[:2] == (kind, item)]
        assert mine and all(v.ended_on == D(2024, 10, 9) for v in mine)
    assert result.ended == sum(1 for k in made if k[1] != county.bureau_question_id)
    # Done items get no further steps, even long after.
    run_chase(db, D(2024, 10, 31))
    assert ("problem", county.problem_id, "escalate") not in steps(db)
    # A problem set back to 整改中 takes its steps up again.
    with db.write("test") as s:
        problem = s.get(Problem, county.problem_id)
        problem.status, problem.completed_on = "in_progress", None
    again = run_chase(db, D(2024, 11, 1))
    assert again.reopened == 1  # its chase (made after the deadline: no reminder)
    assert steps(db)[("problem", county.problem_id, "chase")].ended_on is None
    assert again.created[("problem", "escalate")] == 1
    with db.read() as s:
        assert verify(s).ok


def test_changed_deadline_starts_a_new_ladder(db: Database) -> None:
    county = seed(db)
    run_chase(db, D(2024, 10, 8))
    with db.write("test") as s:
        s.get(Problem, county.problem_id).deadline = D(2024, 10, 31)
    result = run_chase(db, D(2024, 10, 9))
    mine = [v for v in steps_all(db) if v.item_kind == "problem" and v.item_id == county.problem_id]
    old = [v for v in mine if v.deadline == D(2024, 9, 30)]
    assert [v.step for v in old] == ["chase"]
    assert old[0].ended_on == D(2024, 10, 9)
    assert result.ended == 1
    assert not [v for v in mine if v.deadline == D(2024, 10, 31)]
    run_chase(db, D(2024, 10, 28))  # 3 working days before 10/31
    new = [
        v
        for v in steps_all(db)
        if v.item_id == county.problem_id
        and v.item_kind == "problem"
        and v.deadline == D(2024, 10, 31)
    ]
    assert [(v.step, v.due_on, v.ended_on) for v in new] == [("remind", D(2024, 10, 28), None)]


def steps_all(db: Database) -> list[ChaseStep]:
    with db.read() as s:
        return list(s.scalars(select(ChaseStep).order_by(ChaseStep.id)))


def test_unit_without_task_row_still_owes_it(db: Database) -> None:
    county = seed(db)
    with db.write("test") as s:
        newcomer = make_unit(s, "新设司法所")
        newcomer_id = newcomer.id
    result = run_chase(db, D(2024, 10, 8))
    assert result.tasks_added == 1
    with db.read() as s:
        task = s.scalars(select(UnitTask).where(UnitTask.unit_id == newcomer_id)).one()
        assert task.completed_on is None and task.version == 1
        assert verify(s).ok
    made = steps(db)
    assert made[("task", task.id, "chase")].recipient == "新设司法所"
    assert made[("task", county.task_id, "chase")].unit_id == county.unit_id


def test_last_years_tasks_are_chased_until_the_new_campaign_begins(db: Database) -> None:
    """A phase task of 2024 left undone is chased into the winter; once the 2025 campaign's
    first phase begins (4/1) its steps end and no new one is made, while a 2024 problem still
    open goes on being chased."""
    county = seed(db)
    run_chase(db, D(2025, 3, 31))
    before = steps(db)
    assert before[("task", county.task_id, "focus")].ended_on is None
    assert before[("problem", county.problem_id, "focus")].ended_on is None
    with db.write("test") as s:
        make_campaign(s, 2025)
    run_chase(db, D(2025, 3, 31))  # the new campaign is set up but has not begun
    assert steps(db)[("task", county.task_id, "focus")].ended_on is None
    result = run_chase(db, D(2025, 4, 1))
    after = steps(db)
    assert all(
        row.ended_on == D(2025, 4, 1)
        for (kind, item, _), row in after.items()
        if kind == "task" and item == county.task_id
    )
    assert after[("problem", county.problem_id, "focus")].ended_on is None
    assert result.tasks_added == 0  # the 2025 tasks are not due yet
    assert not any(kind == "task" for kind, _ in result.created)


def test_voided_unfounded_and_retired_are_not_chased(db: Database) -> None:
    county = seed(db)
    with db.write("test") as s:
        campaign = s.get(Campaign, county.campaign_id)
        unit = s.get(Problem, county.problem_id).unit
        voided = make_problem(s, campaign, unit, deadline=D(2024, 9, 30))
        voided.voided_at, voided.void_reason = dt.datetime(2024, 9, 2), "重复录入"
        make_problem(s, campaign, unit, deadline=D(2024, 9, 30), status="unfounded")
        # Found after the run's day: not yet known then, although its reminder day is past.
        make_problem(s, campaign, unit, found_on=D(2024, 10, 20), deadline=D(2024, 10, 21))
        s.get(TaskTemplate, s.get(UnitTask, county.task_id).template_id).retired_at = dt.datetime(
            2024, 9, 1
        )
    run_chase(db, D(2024, 10, 8))
    run_chase(db, D(2024, 10, 18))
    kinds = {(k[0], k[1]) for k in steps(db)}
    assert ("problem", county.problem_id) in kinds
    assert sum(1 for kind, _ in kinds if kind == "problem") == 1  # only the open, known one
    assert not any(kind == "task" for kind, _ in kinds)


def test_leaders_of_several_kinds(db: Database) -> None:
    from data.users import add_user

    with db.write("test") as s:
        a = add_user(s, "a", PASSWORD, "leader", display_name="甲局长")
        a.in_charge_of = ["law_firm", "judicial_office"]
        b = add_user(s, "b", PASSWORD, "leader", display_name="乙局长")
        b.in_charge_of = ["judicial_office"]
        retired = add_user(s, "c", PASSWORD, "leader", display_name="丙局长")
        retired.in_charge_of, retired.active = ["notary_office"], False
        s.flush()
        leaders = Leaders.load(s)
        a_id = a.id
    assert leaders.by_kind == {
        "law_firm": (a_id, "甲局长"),
        "judicial_office": (a_id, "甲局长、乙局长"),
    }


def test_cli_chase_run(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    from dashboard.cli import main

    seed(cli_db)
    assert main(["chase", "run", "--date", "2024-10-08", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "将催办" in out
    assert count(cli_db, ChaseStep) == 0
    assert main(["chase", "run", "--date", "2024-10-08"]) == 0
    out = capsys.readouterr().out
    assert "已催办：问题 1 件" in out and "已生成催办通知书 1 份" in out
    assert main(["chase", "run", "--date", "2024-10-08"]) == 0
    assert "没有需要新建或结束的催办步骤" in capsys.readouterr().out
    with cli_db.read() as s:
        assert s.get(ChaseRun, D(2024, 10, 8)).source == "cli"


def test_no_complainant_data_in_steps(db: Database) -> None:
    seed(db)
    run_chase(db, D(2024, 10, 31))
    with db.read() as s:
        rows = s.scalars(select(ChangeLog).where(ChangeLog.entity == "chase_step")).all()
        recipients = s.scalars(select(ChaseStep.recipient)).all()
    text = repr([r.after for r in rows]) + repr(recipients)
    assert "张三" not in text and "13900000000" not in text


def _result_in_thread(db_url: str, day: dt.date, barrier: threading.Barrier) -> ChaseResult:
    database = Database.from_url(db_url)
    try:
        barrier.wait()
        return run_chase(database, day, source="server")
    finally:
        database.engine.dispose()


def test_two_servers_at_once_make_each_step_once(db: Database, db_url: str) -> None:
    """Two runs of the same day at the same moment (on PostgreSQL: two connections racing on
    the unique constraints) make each step and each notice exactly once."""
    with db.write("test") as s:
        save_chase_settings(s, ChaseSettings(day_count="working"))
        campaign = make_campaign(s, 2024)
        units = [make_unit(s, f"并发司法所{i:02d}") for i in range(12)]
        for unit in units:
            for _ in range(5):
                make_problem(s, campaign, unit, found_on=D(2024, 9, 1), deadline=D(2024, 9, 30))
    made = notices = 0
    for day in (D(2024, 10, 8), D(2024, 10, 21)):
        barrier = threading.Barrier(3)
        results: list[ChaseResult] = []
        errors: list[BaseException] = []

        def run(
            barrier: threading.Barrier = barrier,
            day: dt.date = day,
            results: list[ChaseResult] = results,
            errors: list[BaseException] = errors,
        ) -> None:
            try:
                results.append(_result_in_thread(db_url, day, barrier))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        assert len(results) == 3
        made += sum(r.total for r in results)
        notices += sum(sum(r.notices.values()) for r in results)
        with db.read() as s:
            assert made == s.scalar(select(func.count()).select_from(ChaseStep))
            assert notices == s.scalar(select(func.count()).select_from(ChaseNotice))
    with db.read() as s:
        total = s.scalar(select(func.count()).select_from(ChaseStep))
        # 60 problems × chase, escalate, focus (caught up after the deadline: no remind).
        assert total == 60 * 3
        duplicates = s.execute(
            select(ChaseStep.item_id, ChaseStep.step, func.count())
            .group_by(ChaseStep.item_id, ChaseStep.step)
            .having(func.count() > 1)
        ).all()
        assert duplicates == []
        for kind in ("chase", "escalate"):
            numbers = sorted(s.scalars(select(ChaseNotice.number).where(ChaseNotice.kind == kind)))
            assert numbers == list(range(1, 13))
        assert verify(s).ok


def test_cli_sends_the_messages_due(
    cli_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import data.outbox
    from dashboard.cli import main

    answers = [data.outbox.SendResult(sent=2, retrying=1), data.outbox.SendResult()]
    calls: list[dt.datetime] = []

    def fake(database: Database, now: dt.datetime, **_: object) -> data.outbox.SendResult:
        calls.append(now)
        return answers.pop(0)

    monkeypatch.setattr(data.outbox, "send_due", fake)
    seed(cli_db)
    assert main(["chase", "run", "--date", "2024-10-08", "--dry-run"]) == 0
    assert main(["chase", "run", "--date", "2024-10-08", "--no-send"]) == 0
    assert calls == []
    capsys.readouterr()
    assert main(["chase", "run", "--date", "2024-10-08"]) == 0
    assert len(calls) == 2  # until nothing more is due
    assert "已发送消息 2 条，待重试 1 条，放弃 0 条" in capsys.readouterr().out
    # A message given up, or a channel down, is an exit status cron and systemd report.
    answers.append(data.outbox.SendResult(failed=1))
    answers.append(data.outbox.SendResult(error="无法连接邮件服务器"))
    assert main(["chase", "run", "--date", "2024-10-08"]) == 1
    out = capsys.readouterr().out
    assert "放弃 1 条" in out and "消息发送出错：无法连接邮件服务器" in out


def test_cli_refuses_a_day_after_today_unless_only_tried(
    cli_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.cli import main

    seed(cli_db)
    monkeypatch.setenv("DASHBOARD_TODAY", "2024-10-07")
    assert main(["chase", "run", "--date", "2024-10-08"]) == 1
    said = capsys.readouterr()
    assert "不能办理今天（2024-10-07）之后的日期 2024-10-08" in said.out + said.err
    assert count(cli_db, ChaseStep) == 0
    assert main(["chase", "run", "--date", "2024-10-08", "--dry-run"]) == 0
    assert count(cli_db, ChaseStep) == 0
