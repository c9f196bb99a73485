"""Every figure of DOMAIN.md, computed once and aggregated in SQL, for a campaign at an as-of date.

The dashboard, the exports and `dashboard stats --json` all read their numbers from here.
Each function runs a fixed number of GROUP BY queries whatever the number of units; problem
rows are never loaded into Python. The scope (which units and problems count) and the problem
predicates are in data.scope; the evaluation built on these figures is in data.evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, select, true
from sqlalchemy.orm import Session

from data.cache import cached
from data.models import Campaign, Problem, TaskTemplate, Unit, UnitCaseload, UnitTask
from data.reference import COMPLAINT_CHANNELS, KIND_GROUP, Channel, PhaseCode, UnitGroup, UnitKind
from data.scope import (
    CampaignScope,
    ProblemConditions,
    count_where,
    load_campaign,
    problem_conditions,
    problem_scope,
    unit_conditions,
)
from data.workdays import DayCounter, day_counter

PHASES: tuple[str, ...] = tuple(code.value for code in PhaseCode)
CHANNELS: tuple[str, ...] = tuple(code.value for code in Channel)
KIND_ORDER: dict[str, int] = {kind.value: i for i, kind in enumerate(UnitKind)}
GROUP_ORDER: dict[str, int] = {group.value: i for i, group in enumerate(UnitGroup)}


@dataclass(frozen=True)
class Filters:
    """Which units a figure covers; an empty field means no restriction."""

    kinds: tuple[str, ...] = ()
    townships: tuple[str, ...] = ()
    group: str | None = None
    unit_ids: tuple[int, ...] = ()


@dataclass
class UnitFigures:
    """The figures of one unit (DOMAIN.md "The figures, defined once")."""

    unit_id: int
    unit: str
    kind: str
    township: str | None
    group: str
    problems: int
    unfounded: int
    rectified: int
    rectification_rate: float | None
    due: int
    on_time: int
    on_time_rate: float | None
    overdue_problems: int
    max_days_overdue: int | None
    complaints: int
    cases: int | None
    complaints_per_100: float | None
    phase_progress: dict[str, float | None]
    tasks_done: int
    tasks_total: int
    overdue_tasks: int
    serious_open: int

    @property
    def overdue(self) -> bool:
        """Whether this is an overdue unit (an overdue problem or an overdue task)."""
        return self.overdue_problems > 0 or self.overdue_tasks > 0

    def to_json(self) -> dict[str, Any]:
        """The unit's entry of `by_unit` in `dashboard stats --json`."""
        return {
            "unit": self.unit,
            "kind": self.kind,
            "township": self.township,
            "problems": self.problems,
            "unfounded": self.unfounded,
            "rectified": self.rectified,
            "rectification_rate": self.rectification_rate,
            "due": self.due,
            "on_time": self.on_time,
            "overdue_problems": self.overdue_problems,
            "max_days_overdue": self.max_days_overdue,
            "complaints": self.complaints,
            "phase_progress": dict(self.phase_progress),
        }


@dataclass
class CampaignFigures:
    """The figures of a campaign at an as-of date over the filtered units."""

    campaign: int
    as_of: dt.date
    problems: int
    unfounded: int
    rectified: int
    rectification_rate: float | None
    due: int
    on_time: int
    on_time_rate: float | None
    overdue_problems: int
    complaints: int
    overdue_tasks: int
    overdue_units: list[str]
    by_channel: dict[str, int]
    complaints_by_month: dict[str, int]
    phase_progress: dict[str, float | None]
    by_unit: list[UnitFigures]
    current_phase: str | None
    days_left: int | None  # of the current phase, the as-of date and its last day both counted
    phase_windows: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def phase_ended(self, phase: str) -> bool:
        """Whether a phase's window ended before the as-of date."""
        window = self.phase_windows.get(phase)
        return window is not None and window[1] < self.as_of

    @property
    def not_started(self) -> tuple[str, ...]:
        """The phases whose window starts after the as-of date (counted in no rate or score)."""
        return phases_not_started(self.phase_windows, self.as_of)

    def phase_started(self, phase: str) -> bool:
        """Whether a phase had started by the as-of date (a phase without a window counts)."""
        return phase not in self.not_started

    def to_json(self) -> dict[str, Any]:
        """The object `dashboard stats --json` prints (INTERFACES.md)."""
        return {
            "campaign": self.campaign,
            "as_of": self.as_of.isoformat(),
            "problems": self.problems,
            "unfounded": self.unfounded,
            "rectified": self.rectified,
            "rectification_rate": self.rectification_rate,
            "due": self.due,
            "on_time": self.on_time,
            "on_time_rate": self.on_time_rate,
            "overdue_problems": self.overdue_problems,
            "complaints": self.complaints,
            "overdue_units": list(self.overdue_units),
            "by_channel": dict(self.by_channel),
            "complaints_by_month": dict(self.complaints_by_month),
            "phase_progress": dict(self.phase_progress),
            "by_unit": [unit.to_json() for unit in self.by_unit],
        }


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return numerator / denominator if denominator else None


def phases_not_started(
    windows: dict[str, tuple[dt.date, dt.date]], as_of: dt.date
) -> tuple[str, ...]:
    """The phases whose window starts after the as-of date, in phase order.

    Such a phase has not started: its tasks count in no rate or score (phase progress, task
    completion, work score), and its progress is None like any rate without a denominator.
    """
    return tuple(code for code in PHASES if code in windows and windows[code][0] > as_of)


def started_tasks(campaign: CampaignScope, as_of: dt.date) -> ColumnElement[bool]:
    """Task templates of phases that had started by the as-of date (a SQL condition)."""
    future = phases_not_started(campaign.phases, as_of)
    return TaskTemplate.phase_code.not_in(future) if future else true()


def campaign_phases_not_started(session: Session, year: int, as_of: dt.date) -> tuple[str, ...]:
    """The phases of the campaign of `year` not yet started at the as-of date."""
    return phases_not_started(load_campaign(session, year).phases, as_of)


def campaign_years(session: Session) -> list[int]:
    """The years that have a campaign, newest first."""
    return list(session.scalars(select(Campaign.year).order_by(Campaign.year.desc())))


def latest_campaign_year(session: Session) -> int | None:
    """The newest campaign's year, or None when there is none."""
    return session.scalar(select(func.max(Campaign.year)))


def _count_columns(c: ProblemConditions) -> list[Any]:
    """The per-group counts shared by every problem breakdown."""
    return [
        func.count().label("problems"),
        count_where(c.unfounded).label("unfounded"),
        count_where(c.rectified).label("rectified"),
        count_where(c.due).label("due"),
        count_where(c.on_time).label("on_time"),
        count_where(c.overdue).label("overdue_problems"),
        func.min(case((c.overdue, Problem.deadline))).label("oldest_overdue_deadline"),
        count_where(c.complaint).label("complaints"),
        count_where(c.serious_open).label("serious_open"),
    ]


def _problem_counts(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> dict[int, Any]:
    """Per unit id: the problem counts and the earliest deadline of its overdue problems."""
    query = (
        select(Problem.unit_id, *_count_columns(problem_conditions(as_of)))
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*problem_scope(campaign, as_of), *unit_conditions(campaign, filters))
        .group_by(Problem.unit_id)
    )
    return {row.unit_id: row for row in session.execute(query)}


@dataclass
class BreakdownRow:
    """The problem figures of one group (a channel, a criterion, a township, a month …)."""

    key: tuple[Any, ...]
    problems: int
    unfounded: int
    rectified: int
    rectification_rate: float | None
    due: int
    on_time: int
    on_time_rate: float | None
    overdue_problems: int
    max_days_overdue: int | None
    complaints: int
    serious_open: int


def month_of(column: Any) -> tuple[Any, Any]:
    """(year, month) SQL expressions of a date column, portable across SQLite and PostgreSQL."""
    return extract("year", column), extract("month", column)


def problem_breakdown(
    session: Session,
    year: int,
    as_of: dt.date,
    keys: list[Any],
    filters: Filters = Filters(),
    channels: tuple[str, ...] = (),
) -> list[BreakdownRow]:
    """The problem figures grouped by any columns (e.g. Problem.channel, Unit.township).

    Same definitions as campaign_figures; `channels` limits the problems counted.
    """
    campaign = load_campaign(session, year)
    conditions = [*problem_scope(campaign, as_of), *unit_conditions(campaign, filters)]
    if channels:
        conditions.append(Problem.channel.in_(channels))
    query = (
        select(*keys, *_count_columns(problem_conditions(as_of)))
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*conditions)
        .group_by(*keys)
    )
    counter = day_counter(session)
    rows = []
    for row in session.execute(query):
        values = row._mapping
        key = tuple(row[: len(keys)])
        oldest = values["oldest_overdue_deadline"]
        rows.append(
            BreakdownRow(
                key=key,
                problems=int(values["problems"]),
                unfounded=int(values["unfounded"]),
                rectified=int(values["rectified"]),
                rectification_rate=rate(
                    int(values["rectified"]), int(values["problems"]) - int(values["unfounded"])
                ),
                due=int(values["due"]),
                on_time=int(values["on_time"]),
                on_time_rate=rate(int(values["on_time"]), int(values["due"])),
                overdue_problems=int(values["overdue_problems"]),
                max_days_overdue=None if oldest is None else counter.between(oldest, as_of),
                complaints=int(values["complaints"]),
                serious_open=int(values["serious_open"]),
            )
        )
    return rows


def _by_channel(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> dict[str, int]:
    """Problems per channel, every channel present (zero-filled) in reference order."""
    query = (
        select(Problem.channel, func.count())
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*problem_scope(campaign, as_of), *unit_conditions(campaign, filters))
        .group_by(Problem.channel)
    )
    counts = {channel: int(n) for channel, n in session.execute(query)}
    return {channel: counts.get(channel, 0) for channel in CHANNELS}


def month_key(year: int, month: int) -> str:
    """'YYYY-MM'."""
    return f"{year:04d}-{month:02d}"


def _complaints_by_month(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> dict[str, int]:
    """Complaints per 'YYYY-MM' month, zero-filled over the campaign up to the as-of date."""
    year = extract("year", Problem.found_on)
    month = extract("month", Problem.found_on)
    query = (
        select(year, month, func.count())
        .join(Unit, Unit.id == Problem.unit_id)
        .where(
            *problem_scope(campaign, as_of),
            Problem.channel.in_(COMPLAINT_CHANNELS),
            *unit_conditions(campaign, filters),
        )
        .group_by(year, month)
    )
    counts = {month_key(int(y), int(m)): int(n) for y, m, n in session.execute(query)}
    first = campaign.start.replace(day=1)
    last = min(as_of, campaign.end)
    months: dict[str, int] = {}
    current = first
    while current <= last:
        key = month_key(current.year, current.month)
        months[key] = counts.get(key, 0)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    for key, n in counts.items():
        months.setdefault(key, n)
    return dict(sorted(months.items()))


def _task_counts(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> dict[int, dict[str, tuple[int, int]]]:
    """Per unit id and phase code: (tasks, tasks done by the as-of date); phases not yet started
    at the as-of date are left out, so they count in no rate or score."""
    query = (
        select(
            UnitTask.unit_id,
            TaskTemplate.phase_code,
            func.count(),
            count_where(UnitTask.completed_on <= as_of),
        )
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .join(Unit, Unit.id == UnitTask.unit_id)
        .where(
            TaskTemplate.campaign_id == campaign.id,
            TaskTemplate.retired_at.is_(None),
            started_tasks(campaign, as_of),
            *unit_conditions(campaign, filters),
        )
        .group_by(UnitTask.unit_id, TaskTemplate.phase_code)
    )
    tasks: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for unit_id, phase, total, done in session.execute(query):
        tasks[unit_id][phase] = (int(total), int(done))
    return tasks


def _overdue_tasks(
    campaign: CampaignScope, as_of: dt.date, phase: str, total: int, done: int
) -> int:
    """Tasks not done by the as-of date in a phase that ended before it."""
    window = campaign.phases.get(phase)
    return total - done if window is not None and window[1] < as_of else 0


def _unit_figures(
    row: Any,
    problems: Any,
    tasks: dict[str, tuple[int, int]],
    campaign: CampaignScope,
    as_of: dt.date,
    counter: DayCounter,
) -> UnitFigures:
    """One unit's figures from its unit row, problem counts (or None) and task counts; days
    overdue counted as the bureau counts them (`counter`)."""

    def n(name: str) -> int:
        return 0 if problems is None else int(getattr(problems, name))

    oldest = None if problems is None else problems.oldest_overdue_deadline
    complaints = n("complaints")
    cases = row.cases
    return UnitFigures(
        unit_id=row.id,
        unit=row.name,
        kind=row.kind,
        township=row.township,
        group=str(KIND_GROUP[row.kind]),
        problems=n("problems"),
        unfounded=n("unfounded"),
        rectified=n("rectified"),
        rectification_rate=rate(n("rectified"), n("problems") - n("unfounded")),
        due=n("due"),
        on_time=n("on_time"),
        on_time_rate=rate(n("on_time"), n("due")),
        overdue_problems=n("overdue_problems"),
        max_days_overdue=None if oldest is None else counter.between(oldest, as_of),
        complaints=complaints,
        cases=cases,
        complaints_per_100=complaints * 100 / cases if cases else None,
        phase_progress={
            phase: rate(tasks[phase][1], tasks[phase][0]) if phase in tasks else None
            for phase in PHASES
        },
        tasks_done=sum(done for _, done in tasks.values()),
        tasks_total=sum(total for total, _ in tasks.values()),
        overdue_tasks=sum(
            _overdue_tasks(campaign, as_of, phase, total, done)
            for phase, (total, done) in tasks.items()
        ),
        serious_open=n("serious_open"),
    )


def _unit_order(unit: UnitFigures) -> tuple[Any, ...]:
    """Kind in reference order, then township (units without one last), then name."""
    return (
        KIND_ORDER.get(unit.kind, len(KIND_ORDER)),
        unit.township is None,
        unit.township or "",
        unit.unit,
    )


def overdue_order(unit: UnitFigures) -> tuple[Any, ...]:
    """Most overdue problems first, then the longest overdue, then by name."""
    return (-unit.overdue_problems, -(unit.max_days_overdue or 0), unit.unit)


def _current_phase(campaign: CampaignScope, as_of: dt.date) -> tuple[str | None, int | None]:
    """The phase whose window contains the as-of date and its days left, both days counted:
    1 on the phase's last day, the whole window on its first."""
    for code, (start, end) in sorted(campaign.phases.items(), key=lambda kv: kv[1]):
        if start <= as_of <= end:
            return code, (end - as_of).days + 1
    return None, None


def _pooled_progress(tasks: dict[int, dict[str, tuple[int, int]]]) -> dict[str, float | None]:
    """Phase progress over the tasks of all units together (done tasks / tasks)."""
    done = dict.fromkeys(PHASES, 0)
    total = dict.fromkeys(PHASES, 0)
    for phases in tasks.values():
        for phase, (n_total, n_done) in phases.items():
            if phase in total:
                total[phase] += n_total
                done[phase] += n_done
    return {phase: rate(done[phase], total[phase]) for phase in PHASES}


def figures_for(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> CampaignFigures:
    """The campaign's figures for an already loaded campaign."""
    unit_rows = session.execute(
        select(Unit.id, Unit.name, Unit.kind, Unit.township, UnitCaseload.cases)
        .outerjoin(
            UnitCaseload,
            and_(UnitCaseload.unit_id == Unit.id, UnitCaseload.campaign_id == campaign.id),
        )
        .where(*unit_conditions(campaign, filters))
    ).all()
    problems = _problem_counts(session, campaign, as_of, filters)
    tasks = _task_counts(session, campaign, as_of, filters)
    counter = day_counter(session)
    units = sorted(
        (
            _unit_figures(
                row, problems.get(row.id), tasks.get(row.id, {}), campaign, as_of, counter
            )
            for row in unit_rows
        ),
        key=_unit_order,
    )

    def total(name: str) -> int:
        return sum(getattr(unit, name) for unit in units)

    current_phase, days_left = _current_phase(campaign, as_of)
    return CampaignFigures(
        campaign=campaign.year,
        as_of=as_of,
        problems=total("problems"),
        unfounded=total("unfounded"),
        rectified=total("rectified"),
        rectification_rate=rate(total("rectified"), total("problems") - total("unfounded")),
        due=total("due"),
        on_time=total("on_time"),
        on_time_rate=rate(total("on_time"), total("due")),
        overdue_problems=total("overdue_problems"),
        complaints=total("complaints"),
        overdue_tasks=total("overdue_tasks"),
        overdue_units=[u.unit for u in sorted((u for u in units if u.overdue), key=overdue_order)],
        by_channel=_by_channel(session, campaign, as_of, filters),
        complaints_by_month=_complaints_by_month(session, campaign, as_of, filters),
        phase_progress=_pooled_progress(tasks),
        by_unit=units,
        current_phase=current_phase,
        days_left=days_left,
        phase_windows=dict(campaign.phases),
    )


@cached
def campaign_figures(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> CampaignFigures:
    """The figures of the campaign of `year` at `as_of` over the units `filters` keeps."""
    return figures_for(session, load_campaign(session, year), as_of, filters)
