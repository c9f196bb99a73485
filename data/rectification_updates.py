"""Rectification reports on a problem and phase tasks marked done — who may, and what is valid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from data.edits import check_version, snapshot
from data.forms import FormError, RectificationForm, TaskForm
from data.models import Problem, UnitTask
from data.reference import RECTIFIED_STATUSES, Role, Status

PROBLEM_FIELDS = [
    "status",
    "measures",
    "owner",
    "completed_on",
    "evidence",
    "published",
    "reported",
]
TASK_FIELDS = ["completed_on", "evidence"]
MAX_EVIDENCE = 1000
# Closing a problem (已销号) or calling a complaint unfounded is the bureau's call, not the unit's.
BUREAU_STATUSES = (Status.VERIFIED, Status.UNFOUNDED)
BUREAU_ROLES = (Role.SUPERVISOR, Role.ADMIN)
UNIT_STATUSES = tuple(status for status in Status if status not in BUREAU_STATUSES)
BUREAU_ONLY = "“已销号”“不属实”须由督导员或管理员认定，单位不能更改"


class NotAllowed(PermissionError):
    """The user's role or unit does not allow this change (message in Chinese)."""


def status_choices(role: str, current: str) -> tuple[str, ...]:
    """The statuses `role` may give a problem whose status is `current` — what its form offers
    and all the server accepts; none when the role may not report on it at all (unit staff on
    a problem the bureau has closed or found unfounded)."""
    if role in BUREAU_ROLES:
        return tuple(Status)
    if role == Role.UNIT and current not in BUREAU_STATUSES:
        return UNIT_STATUSES
    return ()


def _may_touch(role: str, user_unit: int | None, unit_id: int) -> None:
    if role in (Role.SUPERVISOR, Role.ADMIN):
        return
    if role == Role.UNIT and user_unit == unit_id:
        return
    raise NotAllowed("只能填报本单位的整改情况")


def task_snapshot(task: UnitTask) -> dict[str, Any]:
    """The fields a task form starts from."""
    return snapshot(task, TASK_FIELDS)


def problem_snapshot(problem: Problem) -> dict[str, Any]:
    """The fields a rectification form starts from."""
    return snapshot(problem, PROBLEM_FIELDS)


def update_rectification(
    session: Session,
    problem_id: int,
    form: RectificationForm,
    role: str,
    user_unit: int | None,
    today: dt.date,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
) -> Problem:
    """Record a rectification report; refused when invalid, not allowed, or changed meanwhile."""
    problem = session.get(Problem, problem_id)
    if problem is None or problem.voided_at is not None:
        raise FormError({"problem": "问题不存在或已作废"})
    _may_touch(role, user_unit, problem.unit_id)
    if form.status not in status_choices(role, problem.status):
        raise NotAllowed(BUREAU_ONLY)
    errors: dict[str, str] = {}
    if form.status in RECTIFIED_STATUSES and form.completed_on is None:
        errors["completed_on"] = "已整改、已销号的问题必须填写完成日期"
    if form.completed_on is not None:
        if form.completed_on < problem.found_on:
            errors["completed_on"] = "完成日期不能早于发现日期"
        elif form.completed_on > today:
            errors["completed_on"] = "完成日期不能晚于今天"
    if problem.report_batch_id is not None and not form.reported:
        # A batch is a record of what went to the 纠风办 (data/report_batches.py).
        errors["reported"] = "该问题已编入上报批次报送纠风办，不能改为未上报"
    if errors:
        raise FormError(errors)
    check_version(problem, expected_version, seen)
    for name in PROBLEM_FIELDS:
        setattr(problem, name, getattr(form, name))
    session.flush()
    return problem


def complete_task(
    session: Session,
    task_id: int,
    form: TaskForm,
    role: str,
    user_unit: int | None,
    today: dt.date,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
) -> UnitTask:
    """Mark a phase task done on a date not after today, with its evidence where it needs one."""
    task = session.get(UnitTask, task_id)
    if task is None:
        raise FormError({"task": "任务不存在"})
    _may_touch(role, user_unit, task.unit_id)
    if task.template.derived_from is not None:  # #18: it follows the archive checklist
        from data.archives import derived_refusal

        raise NotAllowed(derived_refusal(task.template.derived_from))
    errors: dict[str, str] = {}
    if form.completed_on is None:
        errors["completed_on"] = "请填写完成日期"
    elif form.completed_on > today:
        errors["completed_on"] = "完成日期不能晚于今天"
    if task.template.needs_evidence and not form.evidence:
        errors["evidence"] = "请填写佐证材料（文件名或说明）"
    elif form.evidence is not None and len(form.evidence) > MAX_EVIDENCE:
        errors["evidence"] = f"佐证材料说明不能超过 {MAX_EVIDENCE} 个字"
    if errors:
        raise FormError(errors)
    check_version(task, expected_version, seen)
    task.completed_on = form.completed_on
    task.evidence = form.evidence
    session.flush()
    return task
