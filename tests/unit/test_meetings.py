"""评议大会 questions: adding, answering (当场答复 / 会后反馈), follow-up problems, the counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data.db import Database
from data.edits import ConflictError
from data.figures import campaign_figures
from data.forms import FormError
from data.meetings import (
    FOLLOW_UP_PREFIX,
    add_question,
    answer_form,
    answer_question,
    deck_data,
    list_questions,
    question_form,
    question_summary,
)
from data.models import ChangeLog, MeetingQuestion, Problem, Representative
from data.voiding import void_problem
from tests.factories import make_campaign, make_unit

MEETING = dt.date(2024, 8, 20)


@pytest.fixture
def seeded(db: Database) -> dict[str, int]:
    """A 2024 campaign, a 司法所, a law firm and one representative."""
    with db.write("test") as s:
        make_campaign(s, 2024, meeting_date=MEETING)
        office = make_unit(s, name="城关镇司法所")
        firm = make_unit(s, name="正义律师事务所", kind="law_firm")
        rep = Representative(name="王代表", sector="人大代表", active=True)
        s.add(rep)
        s.flush()
        return {"office": office.id, "firm": firm.id, "rep": rep.id}


def _ask(db: Database, unit_id: int | None, rep_id: int | None = None, **raw: object) -> int:
    form = question_form(
        {"representative_id": rep_id, "unit_id": unit_id, "question": "窗口排队太久怎么办？", **raw}
    )
    with db.write("duban", 7) as s:
        return add_question(s, 2024, form, MEETING).id


def test_a_question_waits_for_its_answer_and_takes_the_representatives_name(
    db: Database, seeded: dict[str, int]
) -> None:
    qid = _ask(db, seeded["office"], seeded["rep"])
    with db.read() as s:
        question = s.get(MeetingQuestion, qid)
        assert question is not None
        assert (question.answer_mode, question.asker, question.asked_on) == (
            "pending",
            "王代表",
            MEETING,
        )
        rows = list_questions(s, 2024, MEETING)
        assert [(r.id, r.state, r.unit) for r in rows] == [(qid, "pending", "城关镇司法所")]
        history = s.scalars(select(ChangeLog).where(ChangeLog.entity == "meeting_question")).all()
    assert [(h.action, h.actor) for h in history] == [("create", "duban")]


def test_on_the_spot_answer_creates_no_problem(db: Database, seeded: dict[str, int]) -> None:
    qid = _ask(db, seeded["office"], asker="李群众")
    form = answer_form({"mode": "on_the_spot", "answer": "立即增设窗口"})
    with db.write("duban") as s:
        question, problem = answer_question(s, qid, form, version=1)
    assert problem is None
    with db.read() as s:
        assert s.get(MeetingQuestion, qid).answer_mode == "on_the_spot"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(Problem)) == 0
        summary = question_summary(s, 2024, MEETING)
    assert (summary.total, summary.on_the_spot, summary.pending) == (1, 1, 0)


def test_follow_up_answer_files_a_meeting_problem_with_the_deadline(
    db: Database, seeded: dict[str, int]
) -> None:
    qid = _ask(db, seeded["office"], seeded["rep"])
    deadline = dt.date(2024, 9, 20)
    form = answer_form({"mode": "follow_up", "deadline": "2024-09-20", "criterion_code": "style"})
    with db.write("duban", 7) as s:
        _, problem = answer_question(s, qid, form, version=1)
        assert problem is not None
        problem_id = problem.id
    with db.read() as s:
        problem = s.get(Problem, problem_id)
        assert problem is not None
        assert (problem.channel, problem.deadline, problem.status, problem.unit_id) == (
            "meeting",
            deadline,
            "pending",
            seeded["office"],
        )
        assert problem.question_id == qid and problem.found_on == MEETING
        assert problem.description.startswith(FOLLOW_UP_PREFIX)
        question = s.get(MeetingQuestion, qid)
        assert question is not None and question.reply_deadline == deadline
        logged = s.scalar(
            select(ChangeLog.actor).where(
                ChangeLog.entity == "problem", ChangeLog.entity_id == str(problem_id)
            )
        )
        assert logged == "duban"
        # Counted like any other problem: the campaign's figures include it.
        figures = campaign_figures(s, 2024, dt.date(2024, 10, 1))
        assert figures.problems == 1 and figures.overdue_problems == 1
        assert figures.by_channel["meeting"] == 1
        late = question_summary(s, 2024, dt.date(2024, 10, 1))
        assert (late.follow_up, late.overdue, late.follow_up_problems) == (1, 1, 1)
        row = list_questions(s, 2024, dt.date(2024, 10, 1))[0]
        assert (row.state, row.follow_ups, row.follow_ups_rectified) == ("overdue", 1, 0)


def test_follow_up_on_a_general_question_keeps_only_the_deadline(
    db: Database, seeded: dict[str, int]
) -> None:
    qid = _ask(db, None, asker="赵群众")
    form = answer_form({"mode": "follow_up", "deadline": "2024-09-01"})
    with db.write("duban") as s:
        _, problem = answer_question(s, qid, form, version=1)
    assert problem is None
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Problem)) == 0


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"mode": "on_the_spot"}, "answer", "请填写答复内容"),
        ({"mode": "follow_up"}, "deadline", "会后反馈须填写反馈时限"),
        ({"mode": "follow_up", "deadline": "2024-02-30"}, "deadline", "日期不存在：2024-02-30"),
        ({"mode": "maybe"}, "mode", "请选择有效的选项"),
    ],
)
def test_answer_form_names_the_field(raw: dict, field: str, message: str) -> None:
    with pytest.raises(FormError) as caught:
        answer_form(raw)
    assert caught.value.errors[field] == message


def test_question_form_needs_who_and_what() -> None:
    with pytest.raises(FormError) as caught:
        question_form({"representative_id": None, "asker": " ", "question": "  "})
    assert caught.value.errors == {
        "question": "必填",
        "representative_id": "请选择提问的民评代表或填写提问人",
    }


@pytest.mark.parametrize(
    ("unit", "raw", "field", "message"),
    [
        (
            "office",
            {"deadline": "2024-08-01", "criterion_code": "style"},
            "deadline",
            "反馈时限不能早于提问日期",
        ),
        ("office", {"deadline": "2024-09-01"}, "criterion_code", "请选择该问题对应的评议内容"),
        (
            "firm",
            {"deadline": "2024-09-01", "criterion_code": "style"},
            "criterion_code",
            "“改进作风”不适用于该单位",
        ),
    ],
)
def test_refused_follow_up_writes_nothing(
    db: Database, seeded: dict[str, int], unit: str, raw: dict, field: str, message: str
) -> None:
    qid = _ask(db, seeded[unit], seeded["rep"])
    form = answer_form({"mode": "follow_up", **raw})
    with pytest.raises(FormError) as caught, db.write("duban") as s:
        answer_question(s, qid, form, version=1)
    assert caught.value.errors[field] == message
    with db.read() as s:
        assert s.get(MeetingQuestion, qid).answer_mode == "pending"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(Problem)) == 0


def test_a_question_is_answered_once_and_stale_versions_conflict(
    db: Database, seeded: dict[str, int]
) -> None:
    qid = _ask(db, seeded["office"], seeded["rep"])
    spot = answer_form({"mode": "on_the_spot", "answer": "马上改"})
    with db.write("duban") as s:
        answer_question(s, qid, spot, version=1)
    with pytest.raises(ConflictError), db.write("admin") as s:
        answer_question(s, qid, spot, version=1)
    with pytest.raises(FormError) as caught, db.write("admin") as s:
        answer_question(s, qid, spot, version=2)
    assert caught.value.errors == {"question_id": "该问题已经答复"}


def test_unknown_representative_or_unit_is_refused(db: Database, seeded: dict[str, int]) -> None:
    form = question_form({"representative_id": 999, "unit_id": 998, "question": "问题"})
    with pytest.raises(FormError) as caught, db.write("duban") as s:
        add_question(s, 2024, form, MEETING)
    assert caught.value.errors == {"representative_id": "民评代表不存在", "unit_id": "单位不存在"}


def test_questions_after_the_snapshot_date_are_left_out(
    db: Database, seeded: dict[str, int]
) -> None:
    _ask(db, seeded["office"], seeded["rep"])
    with db.read() as s:
        before = deck_data(s, 2024, MEETING - dt.timedelta(days=1))
        on_the_day = deck_data(s, 2024, MEETING)
    assert (before.summary.total, before.questions) == (0, [])
    assert on_the_day.summary.total == 1 and on_the_day.meeting_date == MEETING
    assert on_the_day.title == "2024年司法民主评议"


def test_a_voided_follow_up_leaves_the_question_counts(
    db: Database, seeded: dict[str, int]
) -> None:
    qid = _ask(db, seeded["office"], seeded["rep"])
    form = answer_form({"mode": "follow_up", "deadline": "2024-09-20", "criterion_code": "style"})
    with db.write("duban", 7) as s:
        _, problem = answer_question(s, qid, form, version=1)
        assert problem is not None
        problem_id = problem.id
    as_of = dt.date(2024, 10, 1)
    with db.read() as s:
        assert question_summary(s, 2024, as_of).follow_up_problems == 1
        assert list_questions(s, 2024, as_of)[0].follow_ups == 1
    with db.write("admin", 1) as s:
        void_problem(s, problem_id, "重复录入", dt.datetime(2024, 9, 1, 9, 0), 1)
    with db.read() as s:
        # Voided problems drop out of every figure, these included (DOMAIN.md).
        assert question_summary(s, 2024, as_of).follow_up_problems == 0
        assert list_questions(s, 2024, as_of)[0].follow_ups == 0
        assert campaign_figures(s, 2024, as_of).problems == 0


def test_the_deck_carries_every_question(db: Database, seeded: dict[str, int]) -> None:
    asked = [_ask(db, seeded["office"], asker=f"群众{n}") for n in range(12)]
    with db.read() as s:
        deck = deck_data(s, 2024, MEETING)
    assert deck.summary.total == 12
    assert sorted(q.id for q in deck.questions) == sorted(asked)  # none left for a slide to drop
