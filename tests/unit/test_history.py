"""Every change to evaluation data lands in the history; deletes and anonymous writes fail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data.db import Database
from data.history import HistoryError
from data.models import ChangeLog, Problem, Unit
from tests.factories import make_campaign, make_problem, make_unit


def _log(db: Database, entity: str) -> list[ChangeLog]:
    with db.read() as s:
        return list(
            s.scalars(select(ChangeLog).where(ChangeLog.entity == entity).order_by(ChangeLog.id))
        )


def test_create_and_update_are_recorded(db: Database) -> None:
    with db.write("王督导", user_id=7) as s:
        campaign = make_campaign(s)
        unit = make_unit(s, name="城关镇司法所")
        problem = make_problem(s, campaign, unit)
        problem_id = problem.id
    with db.write("李所长", user_id=9) as s:
        p = s.get(Problem, problem_id)
        p.status = "in_progress"
        p.measures = "制定整改方案"
    entries = _log(db, "problem")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].actor == "王督导" and entries[0].user_id == 7
    assert entries[0].after["description"].startswith("测试问题")
    assert entries[1].actor == "李所长"
    assert entries[1].before == {"status": "pending", "measures": None}
    assert entries[1].after == {"status": "in_progress", "measures": "制定整改方案"}
    assert entries[1].entity_id == str(problem_id)


def test_unchanged_assignment_records_nothing(db: Database) -> None:
    with db.write("a") as s:
        unit_id = make_unit(s, name="甲").id
    with db.write("b") as s:
        s.get(Unit, unit_id).name = "甲"
    assert [e.action for e in _log(db, "unit")] == ["create"]


def test_delete_is_refused(db: Database) -> None:
    with db.write("a") as s:
        unit_id = make_unit(s).id
    with pytest.raises(HistoryError, match="不可删除"), db.write("a") as s:
        s.delete(s.get(Unit, unit_id))
    with db.read() as s:
        assert s.get(Unit, unit_id) is not None


def test_write_without_actor_is_refused(db: Database) -> None:
    with pytest.raises(HistoryError, match="操作人"), db.write("") as s:
        make_unit(s)
