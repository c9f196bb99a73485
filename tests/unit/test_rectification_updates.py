"""Rectification reports and task completion: validation, who may, conflicts, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from data.db import Database
from data.edits import ConflictError
from data.forms import FormError, RectificationForm, TaskForm, validate
from data.models import ChangeLog, Problem
from data.rectification_updates import (
    NotAllowed,
    complete_task,
    problem_snapshot,
    status_choices,
    update_rectification,
)
from tests.factories import make_campaign, make_problem, make_task, make_unit

TODAY = dt.date(2024, 9, 1)


@pytest.fixture
def setup(db: Database) -> dict[str, int]:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        mine = make_unit(s, name="城关镇司法所")
        other = make_unit(s, name="东湖镇司法所")
        p = make_problem(s, campaign, mine, found_on=dt.date(2024, 6, 10))
        task = make_task(s, campaign, mine, "mobilize", "实施方案")
        return {"mine": mine.id, "other": other.id, "problem": p.id, "task": task.id}


def _form(**over: Any) -> RectificationForm:
    raw = {
        "status": "done",
        "measures": "已在窗口公示",
        "completed_on": "2024-08-01",
        "evidence": "公示照片.jpg",
        "published": True,
        "reported": True,
    }
    raw.update(over)
    return validate(RectificationForm, raw)


def test_unit_reports_its_own_rectification(db: Database, setup: dict) -> None:
    with db.write("unit01", 3) as s:
        update_rectification(s, setup["problem"], _form(), "unit", setup["mine"], TODAY, 1)
    with db.read() as s:
        p = s.get(Problem, setup["problem"])
        entry = s.scalars(select(ChangeLog).where(ChangeLog.action == "update")).one()
    assert p.status == "done" and p.completed_on == dt.date(2024, 8, 1) and p.published
    assert entry.actor == "unit01" and entry.before["status"] == "pending"


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"completed_on": None}, "completed_on", "必须填写完成日期"),
        ({"completed_on": "2024-06-01"}, "completed_on", "不能早于发现日期"),
        ({"completed_on": "2024-09-02"}, "completed_on", "不能晚于今天"),
    ],
)
def test_invalid_reports_change_nothing(
    db: Database, setup: dict, over: dict, field: str, message: str
) -> None:
    with pytest.raises(FormError) as exc, db.write("unit01") as s:
        update_rectification(s, setup["problem"], _form(**over), "unit", setup["mine"], TODAY)
    assert message in exc.value.errors[field]
    with db.read() as s:
        assert s.get(Problem, setup["problem"]).status == "pending"


def test_unit_may_not_touch_another_unit_or_close_problems(db: Database, setup: dict) -> None:
    with pytest.raises(NotAllowed), db.write("unit01") as s:
        update_rectification(s, setup["problem"], _form(), "unit", setup["other"], TODAY)
    with pytest.raises(NotAllowed, match="已销号"), db.write("unit01") as s:
        update_rectification(
            s, setup["problem"], _form(status="verified"), "unit", setup["mine"], TODAY
        )
    with db.write("duban") as s:
        update_rectification(
            s, setup["problem"], _form(status="verified"), "supervisor", None, TODAY, 1
        )
    with db.read() as s:
        assert s.get(Problem, setup["problem"]).status == "verified"


ALL = ("pending", "in_progress", "done", "verified", "unfounded")
OPEN = ("pending", "in_progress", "done")


@pytest.mark.parametrize(
    ("role", "current", "choices"),
    [
        *(("unit", current, OPEN) for current in OPEN),  # 已销号, 不属实: the bureau's call
        ("unit", "verified", ()),  # closed by the bureau: the unit may report nothing more
        ("unit", "unfounded", ()),
        *(("supervisor", current, ALL) for current in ALL),
        *(("admin", current, ALL) for current in ALL),
        ("leader", "pending", ()),  # reads only
        ("leader", "verified", ()),
        ("someone", "pending", ()),  # an unknown role: nothing
    ],
)
def test_status_choices_by_role(role: str, current: str, choices: tuple[str, ...]) -> None:
    assert status_choices(role, current) == choices


@pytest.mark.parametrize("role", ["unit", "supervisor"])
@pytest.mark.parametrize("current", ALL)
def test_the_server_accepts_exactly_the_choices_offered(
    db: Database, setup: dict, role: str, current: str
) -> None:
    """The form offers status_choices; the save refuses every other status with the reason."""
    unit = setup["mine"] if role == "unit" else None
    for chosen in ALL:
        with db.write("test") as s:
            problem = s.get(Problem, setup["problem"])
            problem.status, problem.completed_on = current, dt.date(2024, 8, 1)
        with db.read() as s:
            version = s.get(Problem, setup["problem"]).version
        form = _form(status=chosen)
        if chosen in status_choices(role, current):
            with db.write(role) as s:
                update_rectification(s, setup["problem"], form, role, unit, TODAY, version)
            continue
        with pytest.raises(NotAllowed, match="须由督导员或管理员认定"), db.write(role) as s:
            update_rectification(s, setup["problem"], form, role, unit, TODAY, version)
        with db.read() as s:
            assert s.get(Problem, setup["problem"]).status == current


def test_second_report_on_a_stale_copy_is_refused(db: Database, setup: dict) -> None:
    with db.read() as s:
        p = s.get(Problem, setup["problem"])
        version, seen = p.version, problem_snapshot(p)
    with db.write("a") as s:
        update_rectification(
            s,
            setup["problem"],
            _form(status="in_progress", completed_on=None),
            "supervisor",
            None,
            TODAY,
            version,
            seen,
        )
    with pytest.raises(ConflictError) as exc, db.write("b") as s:
        update_rectification(
            s, setup["problem"], _form(), "unit", setup["mine"], TODAY, version, seen
        )
    assert exc.value.changes["status"] == ("pending", "in_progress")


def test_task_needs_evidence_and_a_real_date(db: Database, setup: dict) -> None:
    with pytest.raises(FormError, match="佐证"), db.write("unit01") as s:
        complete_task(
            s,
            setup["task"],
            validate(TaskForm, {"completed_on": "2024-05-20"}),
            "unit",
            setup["mine"],
            TODAY,
        )
    with pytest.raises(FormError, match="日期不存在"):
        validate(TaskForm, {"completed_on": "2024-04-31"})
    with db.write("unit01") as s:
        task = complete_task(
            s,
            setup["task"],
            validate(TaskForm, {"completed_on": "2024-05-20", "evidence": "实施方案.pdf"}),
            "unit",
            setup["mine"],
            TODAY,
            1,
        )
        assert task.completed_on == dt.date(2024, 5, 20)
    with pytest.raises(NotAllowed), db.write("x") as s:
        complete_task(s, setup["task"], validate(TaskForm, {}), "leader", None, TODAY)
