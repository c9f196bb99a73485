"""Phase progress: task completion by phase × kind / township, and overdue tasks (SQL)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from data.figures import Filters, _count, _load_campaign, _unit_conditions
from data.models import Phase, TaskTemplate, Unit, UnitTask


@dataclass(frozen=True)
class Cell:
    """Tasks of one row (kind or township) in one phase."""

    row: str
    phase: str
    done: int
    total: int


@dataclass(frozen=True)
class OverdueTask:
    """A task not done by the as-of date in a phase that ended before it."""

    unit_id: int
    unit: str
    task: str
    phase: str
    phase_end: dt.date
    days_overdue: int


def _done(as_of: dt.date) -> ColumnElement[bool]:
    """The task was completed on or before the as-of date."""
    return and_(UnitTask.completed_on.is_not(None), UnitTask.completed_on <= as_of)


def completion_by(
    session: Session, year: int, as_of: dt.date, filters: Filters, column: str
) -> list[Cell]:
    """Done/total tasks per (unit kind or township, phase) in one GROUP BY."""
    campaign = _load_campaign(session, year)
    key = Unit.kind if column == "kind" else Unit.township
    rows = session.execute(
        select(key, TaskTemplate.phase_code, _count(_done(as_of)), _count(UnitTask.id.is_not(None)))
        .select_from(UnitTask)
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .join(Unit, Unit.id == UnitTask.unit_id)
        .where(TaskTemplate.campaign_id == campaign.id, *_unit_conditions(campaign, filters))
        .group_by(key, TaskTemplate.phase_code)
        .order_by(key, TaskTemplate.phase_code)
    ).all()
    return [Cell(str(r), p, int(d), int(t)) for r, p, d, t in rows]


def overdue_tasks(
    session: Session, year: int, as_of: dt.date, filters: Filters
) -> list[OverdueTask]:
    """Tasks not completed by as_of whose phase ended before as_of, most overdue first."""
    campaign = _load_campaign(session, year)
    rows = session.execute(
        select(Unit.id, Unit.name, TaskTemplate.name, TaskTemplate.phase_code, Phase.ends_on)
        .select_from(UnitTask)
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .join(Unit, Unit.id == UnitTask.unit_id)
        .join(
            Phase,
            and_(Phase.campaign_id == campaign.id, Phase.code == TaskTemplate.phase_code),
        )
        .where(
            TaskTemplate.campaign_id == campaign.id,
            *_unit_conditions(campaign, filters),
            Phase.ends_on < as_of,
            or_(UnitTask.completed_on.is_(None), UnitTask.completed_on > as_of),
        )
        .order_by(Phase.ends_on, Unit.name, TaskTemplate.sort_order, TaskTemplate.name)
    ).all()
    return [
        OverdueTask(uid, unit, task, phase, end, (as_of - end).days)
        for uid, unit, task, phase, end in rows
    ]
