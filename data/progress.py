"""Phase progress: the unit × task grid, completion by phase × kind / township, overdue tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from data.figures import KIND_ORDER, PHASES, Filters, phases_not_started, started_tasks
from data.models import Phase, TaskTemplate, Unit, UnitTask
from data.scope import count_where, load_campaign, unit_conditions
from data.workdays import DayCounter, day_counter

TaskStatus = Literal["done", "open", "overdue", "upcoming"]
STATUSES: tuple[TaskStatus, ...] = ("done", "open", "overdue", "upcoming")


@dataclass(frozen=True)
class PhaseCompletion:
    """Tasks of one row (a unit kind or a township, None = no township) in one phase."""

    row: str | None
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


@dataclass(frozen=True)
class GridTask:
    """A column of the grid: one task template of the campaign."""

    template_id: int
    phase: str
    name: str


@dataclass(frozen=True)
class GridUnit:
    """A row of the grid: one unit in scope."""

    unit_id: int
    unit: str
    kind: str
    township: str | None


@dataclass(frozen=True)
class GridCell:
    """One unit's task at the as-of date; completed_on only when done, days only when overdue;
    `upcoming` when its phase had not started by the as-of date (counted nowhere)."""

    status: TaskStatus
    completed_on: dt.date | None = None
    days_overdue: int | None = None


@dataclass(frozen=True)
class TaskGrid:
    """Units × task templates; a unit without a row for a template has no cell there."""

    as_of: dt.date
    tasks: list[GridTask]
    units: list[GridUnit]
    cells: dict[tuple[int, int], GridCell]  # (unit_id, template_id) -> cell
    not_started: tuple[str, ...] = ()  # phases not started by the as-of date

    def cell(self, unit_id: int, template_id: int) -> GridCell | None:
        """The cell of a unit and a template, or None when the unit has no such task."""
        return self.cells.get((unit_id, template_id))

    def count(self, status: TaskStatus) -> int:
        """How many cells have this status."""
        return sum(1 for c in self.cells.values() if c.status == status)


def task_status(
    completed_on: dt.date | None,
    phase_end: dt.date | None,
    as_of: dt.date,
    phase_start: dt.date | None = None,
    counter: DayCounter | None = None,
) -> GridCell:
    """Upcoming when its phase starts after as_of; done by as_of; overdue when not done and its
    phase ended before as_of (days counted by `counter`, calendar days without one); else open."""
    if phase_start is not None and phase_start > as_of:
        return GridCell("upcoming")
    if completed_on is not None and completed_on <= as_of:
        return GridCell("done", completed_on=completed_on)
    if phase_end is not None and phase_end < as_of:
        days = counter.between(phase_end, as_of) if counter else (as_of - phase_end).days
        return GridCell("overdue", days_overdue=days)
    return GridCell("open")


def _done(as_of: dt.date) -> ColumnElement[bool]:
    """The task was completed on or before the as-of date."""
    return and_(UnitTask.completed_on.is_not(None), UnitTask.completed_on <= as_of)


def _unit_key(unit: GridUnit) -> tuple[int, bool, str, str]:
    """The order of `CampaignFigures.by_unit`: kind, township (none last), name."""
    return (
        KIND_ORDER.get(unit.kind, len(KIND_ORDER)),
        unit.township is None,
        unit.township or "",
        unit.unit,
    )


def task_grid(session: Session, year: int, as_of: dt.date, filters: Filters) -> TaskGrid:
    """Every unit in scope × every template (by phase, sort order, creation) with cell states."""
    campaign = load_campaign(session, year)
    phase_rank = {code: i for i, code in enumerate(campaign.phases)}
    phase_rank.update(
        {c: len(campaign.phases) + i for i, c in enumerate(PHASES) if c not in phase_rank}
    )
    templates = session.execute(
        select(
            TaskTemplate.id, TaskTemplate.phase_code, TaskTemplate.name, TaskTemplate.sort_order
        ).where(TaskTemplate.campaign_id == campaign.id, TaskTemplate.retired_at.is_(None))
    ).all()
    tasks = [
        GridTask(tid, phase, name)
        for tid, phase, name, _ in sorted(
            templates, key=lambda t: (phase_rank.get(t[1], len(phase_rank)), t[3], t[0])
        )
    ]
    conditions = unit_conditions(campaign, filters)
    units = sorted(
        (
            GridUnit(*row)
            for row in session.execute(
                select(Unit.id, Unit.name, Unit.kind, Unit.township).where(*conditions)
            )
        ),
        key=_unit_key,
    )
    rows = session.execute(
        select(
            UnitTask.unit_id, UnitTask.template_id, TaskTemplate.phase_code, UnitTask.completed_on
        )
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .join(Unit, Unit.id == UnitTask.unit_id)
        .where(
            TaskTemplate.campaign_id == campaign.id, TaskTemplate.retired_at.is_(None), *conditions
        )
    ).all()
    windows = campaign.phases
    counter = day_counter(session)
    cells = {
        (unit_id, tid): task_status(
            completed_on,
            windows[phase][1] if phase in windows else None,
            as_of,
            windows[phase][0] if phase in windows else None,
            counter,
        )
        for unit_id, tid, phase, completed_on in rows
    }
    return TaskGrid(as_of, tasks, units, cells, phases_not_started(windows, as_of))


def phase_completion(
    session: Session,
    year: int,
    as_of: dt.date,
    filters: Filters,
    by: Literal["kind", "township"],
) -> list[PhaseCompletion]:
    """Done/total tasks per (unit kind or township, phase) in one GROUP BY; phases not started
    by the as-of date have no rows (their tasks count in no rate)."""
    campaign = load_campaign(session, year)
    key = Unit.kind if by == "kind" else Unit.township
    rows = session.execute(
        select(
            key,
            TaskTemplate.phase_code,
            count_where(_done(as_of)),
            count_where(UnitTask.id.is_not(None)),
        )
        .select_from(UnitTask)
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .join(Unit, Unit.id == UnitTask.unit_id)
        .where(
            TaskTemplate.campaign_id == campaign.id,
            TaskTemplate.retired_at.is_(None),
            started_tasks(campaign, as_of),
            *unit_conditions(campaign, filters),
        )
        .group_by(key, TaskTemplate.phase_code)
    ).all()
    return [PhaseCompletion(r, p, int(d), int(t)) for r, p, d, t in rows]


def overdue_tasks(
    session: Session, year: int, as_of: dt.date, filters: Filters
) -> list[OverdueTask]:
    """Tasks not completed by as_of whose phase ended before as_of, most days overdue first."""
    campaign = load_campaign(session, year)
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
            TaskTemplate.retired_at.is_(None),
            *unit_conditions(campaign, filters),
            Phase.ends_on < as_of,
            or_(UnitTask.completed_on.is_(None), UnitTask.completed_on > as_of),
        )
        .order_by(Phase.ends_on, Unit.name, TaskTemplate.sort_order, TaskTemplate.name)
    ).all()
    return [
        OverdueTask(uid, unit, task, phase, end, (as_of - end).days)
        for uid, unit, task, phase, end in rows
    ]
