"""Overdue units (逾期单位): which units are late, with their overdue problems and tasks.

Overdue means what data.scope says it means: problems use `problem_conditions(as_of).overdue`,
tasks are the ones `campaign_figures` counts in `overdue_tasks`. Complainant fields are never
selected here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from data.evaluation import FocusCandidate, focus_candidates
from data.figures import CampaignFigures, Filters, UnitFigures, figures_for, overdue_order
from data.labels import status_at
from data.models import Phase, Problem, TaskTemplate, Unit, UnitTask
from data.scope import (
    CampaignScope,
    load_campaign,
    problem_conditions,
    problem_scope,
    unit_conditions,
)
from data.settings import load_settings
from data.workdays import day_counter


@dataclass(frozen=True)
class OverdueProblem:
    """A problem not rectified by the as-of date whose deadline has passed (days overdue
    counted as the bureau counts them: calendar or working days, data.workdays)."""

    problem_id: int
    unit_id: int
    unit: str
    description: str
    channel: str
    severity: str
    found_on: dt.date
    deadline: dt.date
    days_overdue: int
    owner: str | None
    status: str
    # The status as it stood at the as-of date, in words (data.labels.status_at): a problem
    # marked 已整改 since then was still open at that date.
    status_at_date: str = ""
    completed_later: dt.date | None = None


@dataclass(frozen=True)
class OverdueTask:
    """A unit task not completed by the as-of date in a phase that ended before it."""

    task_id: int
    unit_id: int
    unit: str
    task: str
    phase: str
    phase_ends_on: dt.date
    days_overdue: int


@dataclass
class OverdueData:
    """Everything the /overdue page shows for one campaign, date and set of units."""

    figures: CampaignFigures
    units: list[UnitFigures]
    problems: list[OverdueProblem]
    tasks: list[OverdueTask]
    focus: list[FocusCandidate]
    threshold: float


def overdue_units(figures: CampaignFigures) -> list[UnitFigures]:
    """The overdue units, most overdue problems first, then the longest overdue (as the CLI)."""
    return sorted((unit for unit in figures.by_unit if unit.overdue), key=overdue_order)


def _overdue_problems(
    session: Session,
    campaign: CampaignScope,
    as_of: dt.date,
    filters: Filters,
    limit: int | None = None,
) -> list[OverdueProblem]:
    """The overdue problems of a loaded campaign, longest overdue first (the first `limit`)."""
    p = Problem
    query = (
        select(
            p.id,
            p.unit_id,
            Unit.name,
            p.description,
            p.channel,
            p.severity,
            p.found_on,
            p.deadline,
            p.owner,
            p.status,
            p.completed_on,
        )
        .join(Unit, Unit.id == p.unit_id)
        .where(
            *problem_scope(campaign, as_of),
            *unit_conditions(campaign, filters),
            problem_conditions(as_of).overdue,
        )
        .order_by(p.deadline, Unit.name, p.id)
        .limit(limit)
    )
    counter = day_counter(session)
    return [
        OverdueProblem(
            problem_id=row.id,
            unit_id=row.unit_id,
            unit=row.name,
            description=row.description,
            channel=row.channel,
            severity=row.severity,
            found_on=row.found_on,
            deadline=row.deadline,
            days_overdue=counter.between(row.deadline, as_of),
            owner=row.owner,
            status=row.status,
            status_at_date=status_at(row.status, row.completed_on, as_of),
            completed_later=row.completed_on,
        )
        for row in session.execute(query)
    ]


def overdue_problems(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[OverdueProblem]:
    """Problems overdue at the as-of date, longest overdue first (no complainant fields)."""
    return _overdue_problems(session, load_campaign(session, year), as_of, filters)


def _overdue_tasks(
    session: Session,
    campaign: CampaignScope,
    as_of: dt.date,
    filters: Filters,
    limit: int | None = None,
) -> list[OverdueTask]:
    """The overdue tasks of a loaded campaign, longest overdue first (the first `limit`)."""
    query = (
        select(
            UnitTask.id,
            UnitTask.unit_id,
            Unit.name.label("unit"),
            TaskTemplate.name.label("task"),
            TaskTemplate.phase_code,
            Phase.ends_on,
        )
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .join(
            Phase,
            and_(
                Phase.campaign_id == TaskTemplate.campaign_id,
                Phase.code == TaskTemplate.phase_code,
            ),
        )
        .join(Unit, Unit.id == UnitTask.unit_id)
        .where(
            TaskTemplate.campaign_id == campaign.id,
            TaskTemplate.retired_at.is_(None),
            *unit_conditions(campaign, filters),
            Phase.ends_on < as_of,
            or_(UnitTask.completed_on.is_(None), UnitTask.completed_on > as_of),
        )
        .order_by(Phase.ends_on, Unit.name, TaskTemplate.sort_order, TaskTemplate.name)
        .limit(limit)
    )
    counter = day_counter(session)
    return [
        OverdueTask(
            task_id=row.id,
            unit_id=row.unit_id,
            unit=row.unit,
            task=row.task,
            phase=row.phase_code,
            phase_ends_on=row.ends_on,
            days_overdue=counter.between(row.ends_on, as_of),
        )
        for row in session.execute(query)
    ]


def overdue_tasks(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[OverdueTask]:
    """Unit tasks not done by the as-of date whose phase ended before it, longest overdue first.

    As many as CampaignFigures.overdue_tasks counts for the same arguments.
    """
    return _overdue_tasks(session, load_campaign(session, year), as_of, filters)


def overdue_data(
    session: Session,
    year: int,
    as_of: dt.date,
    filters: Filters = Filters(),
    problems_limit: int | None = None,
    tasks_limit: int | None = None,
) -> OverdueData:
    """The /overdue page's data for a campaign, date and set of units; the problem and task
    lists cut to their first `..._limit` rows in SQL (how many there are in all is in
    `figures`: overdue_problems and overdue_tasks count the same rows)."""
    campaign = load_campaign(session, year)
    figures = figures_for(session, campaign, as_of, filters)
    return OverdueData(
        figures=figures,
        units=overdue_units(figures),
        problems=_overdue_problems(session, campaign, as_of, filters, problems_limit),
        tasks=_overdue_tasks(session, campaign, as_of, filters, tasks_limit),
        focus=focus_candidates(session, year, as_of, filters),
        threshold=load_settings(session, year).focus_threshold,
    )
