"""Rectification (整改情况): rates by unit / channel / criterion, progress over time, days taken.

Every count comes from the predicates of data.scope (problem_conditions, the problem scope),
so the numbers here are the ones `dashboard stats` prints for the same campaign and date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from data.figures import (
    BreakdownRow,
    CampaignFigures,
    Filters,
    UnitFigures,
    figures_for,
    problem_breakdown,
)
from data.models import Problem, Unit
from data.reference import UnitGroup
from data.scope import (
    CampaignScope,
    load_campaign,
    problem_conditions,
    problem_scope,
    unit_conditions,
)
from data.settings import load_settings

# Days from finding a problem to its rectification: (low, high) inclusive, None = open-ended.
DAY_BINS: tuple[tuple[int, int | None], ...] = ((0, 7), (8, 15), (16, 30), (31, 60), (61, None))
GROUPS: tuple[str, ...] = tuple(group.value for group in UnitGroup)


class days_between(FunctionElement[int]):
    """Whole days from `earlier` to `later` (two DATE expressions), on SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


@dataclass(frozen=True)
class TimelinePoint:
    """Problems found and problems rectified on or before one day."""

    day: dt.date
    found: int
    rectified: int


@dataclass
class Timeline:
    """Cumulative found / rectified by day, and the campaign's phase windows for context."""

    points: list[TimelinePoint]
    phases: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)


@dataclass(frozen=True)
class DaysBin:
    """Rectified problems that took between `low` and `high` days (high None: no upper end)."""

    low: int
    high: int | None
    count: int


@dataclass
class DaysToRectify:
    """How long rectified problems took (completed_on − found_on), binned, with median and mean."""

    bins: list[DaysBin]
    total: int
    median: float | None
    mean: float | None


@dataclass
class RectificationData:
    """Everything the /rectification page shows for one campaign, date and set of units."""

    figures: CampaignFigures
    by_channel: list[BreakdownRow]
    by_criterion: list[BreakdownRow]
    timeline: Timeline
    days: DaysToRectify
    threshold: float

    def units_of(self, group: str) -> list[UnitFigures]:
        """The units of one group (司法行政机关 or 法律服务行业), never mixed."""
        return [unit for unit in self.figures.by_unit if unit.group == group]


def _scoped(campaign: CampaignScope, as_of: dt.date, filters: Filters) -> list[ColumnElement[bool]]:
    """The counted problems of the filtered units."""
    return [*problem_scope(campaign, as_of), *unit_conditions(campaign, filters)]


def _timeline_end(campaign: CampaignScope, as_of: dt.date, last_event: dt.date | None) -> dt.date:
    """Up to the as-of date; for a finished campaign, up to its end or its last rectification."""
    if as_of <= campaign.end:
        return as_of
    return max(campaign.end, last_event or campaign.end)


def _timeline(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> Timeline:
    """Cumulative problems found and rectified, one point a day, for a loaded campaign."""
    scope = _scoped(campaign, as_of, filters)
    found = dict(
        session.execute(
            select(Problem.found_on, func.count())
            .join(Unit, Unit.id == Problem.unit_id)
            .where(*scope)
            .group_by(Problem.found_on)
        ).all()
    )
    rectified = dict(
        session.execute(
            select(Problem.completed_on, func.count())
            .join(Unit, Unit.id == Problem.unit_id)
            .where(*scope, problem_conditions(as_of).rectified)
            .group_by(Problem.completed_on)
        ).all()
    )
    if not found:
        return Timeline([], dict(campaign.phases))
    start = min(campaign.start, min(found))
    end = _timeline_end(campaign, as_of, max(rectified, default=None))
    points: list[TimelinePoint] = []
    n_found = sum(n for day, n in found.items() if day < start)
    n_rectified = sum(n for day, n in rectified.items() if day < start)
    day = start
    while day <= end:
        n_found += found.get(day, 0)
        n_rectified += rectified.get(day, 0)
        points.append(TimelinePoint(day, n_found, n_rectified))
        day += dt.timedelta(days=1)
    return Timeline(points, dict(campaign.phases))


def found_rectified_timeline(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> Timeline:
    """Problems found / rectified on or before each day of the campaign, up to the as-of date.

    The last point equals CampaignFigures.problems / .rectified for the same arguments.
    """
    return _timeline(session, load_campaign(session, year), as_of, filters)


def _bin_case(days: Any) -> Any:
    """SQL CASE giving the index into DAY_BINS of a number of days.

    Literal numbers rather than bound parameters, so that PostgreSQL sees the SELECT and the
    GROUP BY expression as the same.
    """
    whens = [
        (days <= literal_column(str(high)), literal_column(str(i)))
        for i, (_low, high) in enumerate(DAY_BINS)
        if high is not None
    ]
    return case(*whens, else_=literal_column(str(len(DAY_BINS) - 1)))


def _median(counts: dict[int, int]) -> float | None:
    """The median of a distribution given as value -> count."""
    total = sum(counts.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    values: list[int] = []
    seen = 0
    for value in sorted(counts):
        for position in middle:
            if seen <= position < seen + counts[value]:
                values.append(value)
        seen += counts[value]
    return sum(values) / len(values)


def _days_to_rectify(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> DaysToRectify:
    """The days rectified problems took, for a loaded campaign."""
    days = days_between(Problem.completed_on, Problem.found_on)
    scope = [*_scoped(campaign, as_of, filters), problem_conditions(as_of).rectified]
    bin_index = _bin_case(days).label("bin")
    binned = {
        int(index): (int(n), int(total or 0))
        for index, n, total in session.execute(
            select(bin_index, func.count(), func.sum(days))
            .join(Unit, Unit.id == Problem.unit_id)
            .where(*scope)
            .group_by(bin_index)
        )
    }
    per_day = {
        int(value): int(n)
        for value, n in session.execute(
            select(days.label("days"), func.count())
            .join(Unit, Unit.id == Problem.unit_id)
            .where(*scope)
            .group_by(days)
        )
    }
    count = sum(n for n, _ in binned.values())
    day_sum = sum(total for _, total in binned.values())
    return DaysToRectify(
        bins=[
            DaysBin(low, high, binned.get(i, (0, 0))[0]) for i, (low, high) in enumerate(DAY_BINS)
        ],
        total=count,
        median=_median(per_day),
        mean=day_sum / count if count else None,
    )


def days_to_rectify(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> DaysToRectify:
    """Rectified problems by the days they took (DAY_BINS), with the median and mean days."""
    return _days_to_rectify(session, load_campaign(session, year), as_of, filters)


def rectification_data(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> RectificationData:
    """The /rectification page's data for a campaign, date and set of units."""
    campaign = load_campaign(session, year)
    return RectificationData(
        figures=figures_for(session, campaign, as_of, filters),
        by_channel=problem_breakdown(session, year, as_of, [Problem.channel], filters),
        by_criterion=problem_breakdown(session, year, as_of, [Problem.criterion_code], filters),
        timeline=_timeline(session, campaign, as_of, filters),
        days=_days_to_rectify(session, campaign, as_of, filters),
        threshold=load_settings(session, year).focus_threshold,
    )
