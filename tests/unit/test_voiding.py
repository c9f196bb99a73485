"""作废: a problem is voided with a reason, never deleted; it drops out of every figure."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data.db import Database
from data.edits import ConflictError
from data.figures import campaign_figures
from data.forms import FormError
from data.history import HistoryError
from data.models import ChangeLog, Problem
from data.unit_detail import unit_detail
from data.voiding import problem_history, void_problem
from tests.factories import make_campaign, make_problem, make_unit

AS_OF = dt.date(2024, 11, 20)
NOW = dt.datetime(2024, 11, 20, 9, 30)


@pytest.fixture
def problems(db: Database) -> dict[str, int]:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        kept = make_problem(s, campaign, unit, status="done", completed_on=dt.date(2024, 7, 1))
        duplicate = make_problem(s, campaign, unit, description="重复登记的问题")
        return {"unit": unit.id, "kept": kept.id, "duplicate": duplicate.id}


def test_a_voided_problem_leaves_the_figures(db: Database, problems: dict[str, int]) -> None:
    with db.read() as s:
        before = campaign_figures(s, 2024, AS_OF)
    assert (before.problems, before.rectified) == (2, 1)
    assert before.rectification_rate == pytest.approx(0.5)
    with db.write("duban") as s:
        void_problem(s, problems["duplicate"], "与已登记问题重复", NOW, 1)
    with db.read() as s:
        after = campaign_figures(s, 2024, AS_OF)
        detail = unit_detail(s, 2024, problems["unit"], AS_OF)
        still_there = s.get(Problem, problems["duplicate"])
    assert (after.problems, after.rectified) == (1, 1)
    assert after.rectification_rate == pytest.approx(1.0)
    assert after.by_unit[0].problems == 1
    assert detail is not None
    assert [p.id for p in detail.problems] == [problems["kept"]]
    assert [(v.id, v.reason) for v in detail.voided] == [
        (problems["duplicate"], "与已登记问题重复")
    ]
    assert still_there.voided_at == NOW  # voided, not deleted


def test_voiding_is_in_the_history(db: Database, problems: dict[str, int]) -> None:
    with db.write("duban", 7) as s:
        void_problem(s, problems["duplicate"], "  与已登记问题重复\u3000", NOW, 1)
    with db.read() as s:
        row = s.scalars(select(ChangeLog).where(ChangeLog.action == "void")).one()
        entries = problem_history(s, problems["duplicate"])
    assert (row.actor, row.user_id, row.entity, row.entity_id) == (
        "duban",
        7,
        "problem",
        str(problems["duplicate"]),
    )
    assert row.after["void_reason"] == "与已登记问题重复"
    assert row.before["voided_at"] is None
    assert [e.action for e in entries] == ["void", "create"]


@pytest.mark.parametrize(
    ("reason", "message"),
    [(None, "请填写作废原因"), ("  \u3000 ", "请填写作废原因"), ("长" * 501, "不能超过 500 个字")],
)
def test_a_reason_is_required(
    db: Database, problems: dict[str, int], reason: str | None, message: str
) -> None:
    with pytest.raises(FormError) as caught, db.write("duban") as s:
        void_problem(s, problems["duplicate"], reason, NOW)
    assert caught.value.errors["void_reason"] == message
    with db.read() as s:
        assert s.get(Problem, problems["duplicate"]).voided_at is None


def test_twice_or_stale_is_refused(db: Database, problems: dict[str, int]) -> None:
    with db.read() as s:
        version = s.get(Problem, problems["duplicate"]).version
    with db.write("admin") as s:
        s.get(Problem, problems["duplicate"]).measures = "已开始整改"
    with pytest.raises(ConflictError), db.write("duban") as s:
        void_problem(s, problems["duplicate"], "重复", NOW, expected_version=version)
    with db.write("duban") as s:
        void_problem(s, problems["duplicate"], "重复", NOW, expected_version=version + 1)
    with pytest.raises(FormError, match="已作废"), db.write("duban") as s:
        void_problem(s, problems["duplicate"], "再次作废", NOW)
    with db.read() as s:
        voids = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "void")
        )
    assert voids == 1


def test_deleting_instead_is_impossible(db: Database, problems: dict[str, int]) -> None:
    with pytest.raises(HistoryError), db.write("admin") as s:
        s.delete(s.get(Problem, problems["duplicate"]))
        s.flush()
