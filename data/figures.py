"""Every figure of DOMAIN.md, computed once and aggregated in SQL, for a campaign at an as-of date.

The dashboard, the exports and `dashboard stats --json` all read their numbers from here.
Each function runs a fixed number of GROUP BY queries whatever the number of units; problem
rows are never loaded into Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, or_, select
from sqlalchemy.orm import Session

from data.cache import cached
from data.models import (
    Campaign,
    Phase,
    Problem,
    SatisfactionSurvey,
    SupervisionRating,
    SupervisionVisit,
    TaskTemplate,
    Unit,
    UnitCaseload,
    UnitTask,
)
from data.reference import (
    COMPLAINT_CHANNELS,
    KIND_GROUP,
    RECTIFIED_STATUSES,
    Channel,
    PhaseCode,
    Severity,
    Status,
    UnitGroup,
    UnitKind,
)
from data.settings import SCORE_DECIMALS, EvaluationSettings, load_settings

PHASES: tuple[str, ...] = tuple(code.value for code in PhaseCode)
CHANNELS: tuple[str, ...] = tuple(code.value for code in Channel)
KIND_ORDER: dict[str, int] = {kind.value: i for i, kind in enumerate(UnitKind)}
GROUP_ORDER: dict[str, int] = {group.value: i for i, group in enumerate(UnitGroup)}


class CampaignNotFound(LookupError):
    """No campaign for the requested year."""

    def __init__(self, year: int) -> None:
        super().__init__(f"没有 {year} 年的评议活动")
        self.year = year


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
    days_left: int | None
    phase_windows: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def phase_ended(self, phase: str) -> bool:
        """Whether a phase's window ended before the as-of date."""
        window = self.phase_windows.get(phase)
        return window is not None and window[1] < self.as_of

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


@dataclass
class UnitEvaluation:
    """A unit's evaluation result (评议结果); scores are 0–100, rates 0–1, None when unknown."""

    unit_id: int
    unit: str
    kind: str
    group: str
    township: str | None
    valid_answers: int
    satisfaction_rate: float | None
    satisfaction_score: float | None
    tasks_share: float | None
    on_time_rate: float | None
    conformity: float | None
    work_score: float | None
    composite: float | None
    grade: str | None
    rank: int | None = None


@dataclass
class FocusCandidate:
    """A unit the work plan's 重点督查 should look at, with the reasons in Chinese."""

    unit_id: int
    unit: str
    kind: str
    township: str | None
    reasons: list[str] = field(default_factory=list)
    serious_open: int = 0
    overdue_problems: int = 0
    rectification_rate: float | None = None


@dataclass(frozen=True)
class _Campaign:
    """A campaign's id, year and phase windows (code -> (starts_on, ends_on))."""

    id: int
    year: int
    phases: dict[str, tuple[dt.date, dt.date]]

    @property
    def start(self) -> dt.date:
        """The first phase's start (1 January when the campaign has no phases)."""
        return min((s for s, _ in self.phases.values()), default=dt.date(self.year, 1, 1))

    @property
    def end(self) -> dt.date:
        """The last phase's end (31 December when the campaign has no phases)."""
        return max((e for _, e in self.phases.values()), default=dt.date(self.year, 12, 31))


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return numerator / denominator if denominator else None


def campaign_years(session: Session) -> list[int]:
    """The years that have a campaign, newest first."""
    return list(session.scalars(select(Campaign.year).order_by(Campaign.year.desc())))


def latest_campaign_year(session: Session) -> int | None:
    """The newest campaign's year, or None when there is none."""
    return session.scalar(select(func.max(Campaign.year)))


def _load_campaign(session: Session, year: int) -> _Campaign:
    """The campaign of `year` with its phase windows; CampaignNotFound when there is none."""
    rows = session.execute(
        select(Campaign.id, Phase.code, Phase.starts_on, Phase.ends_on)
        .outerjoin(Phase, Phase.campaign_id == Campaign.id)
        .where(Campaign.year == year)
        .order_by(Phase.starts_on)
    ).all()
    if not rows:
        raise CampaignNotFound(year)
    phases = {code: (start, end) for _, code, start, end in rows if code is not None}
    return _Campaign(id=rows[0][0], year=year, phases=phases)


def _unit_conditions(campaign: _Campaign, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL conditions on `unit`: in the campaign (not retired before it starts) and filtered."""
    conditions: list[ColumnElement[bool]] = [
        or_(Unit.retired_on.is_(None), Unit.retired_on >= campaign.start)
    ]
    if filters.kinds:
        conditions.append(Unit.kind.in_(filters.kinds))
    if filters.group is not None:
        conditions.append(
            Unit.kind.in_([kind for kind, group in KIND_GROUP.items() if group == filters.group])
        )
    if filters.townships:
        conditions.append(Unit.township.in_(filters.townships))
    if filters.unit_ids:
        conditions.append(Unit.id.in_(filters.unit_ids))
    return conditions


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _problem_scope(campaign: _Campaign, as_of: dt.date) -> list[ColumnElement[bool]]:
    """The problems that count: this campaign's, not voided, found on or before the as-of date."""
    return [
        Problem.campaign_id == campaign.id,
        Problem.voided_at.is_(None),
        Problem.found_on <= as_of,
    ]


@dataclass(frozen=True)
class ProblemConditions:
    """DOMAIN.md's problem predicates at an as-of date, as SQL expressions (defined once)."""

    unfounded: ColumnElement[bool]
    rectified: ColumnElement[bool]
    open: ColumnElement[bool]
    due: ColumnElement[bool]
    on_time: ColumnElement[bool]
    overdue: ColumnElement[bool]
    complaint: ColumnElement[bool]
    serious_open: ColumnElement[bool]


def problem_conditions(as_of: dt.date) -> ProblemConditions:
    """The predicates every figure on problems is built from."""
    p = Problem
    unfounded = p.status == Status.UNFOUNDED
    rectified = and_(p.status.in_(RECTIFIED_STATUSES), p.completed_on <= as_of)
    open_ = and_(
        p.status != Status.UNFOUNDED,
        or_(p.status.not_in(RECTIFIED_STATUSES), p.completed_on.is_(None), p.completed_on > as_of),
    )
    due = and_(p.status != Status.UNFOUNDED, p.deadline <= as_of)
    return ProblemConditions(
        unfounded=unfounded,
        rectified=rectified,
        open=open_,
        due=due,
        on_time=and_(due, rectified, p.completed_on <= p.deadline),
        overdue=and_(open_, p.deadline < as_of),
        complaint=p.channel.in_(COMPLAINT_CHANNELS),
        serious_open=and_(open_, p.severity == Severity.SERIOUS),
    )


def _count_columns(c: ProblemConditions) -> list[Any]:
    """The per-group counts shared by every problem breakdown."""
    return [
        func.count().label("problems"),
        _count(c.unfounded).label("unfounded"),
        _count(c.rectified).label("rectified"),
        _count(c.due).label("due"),
        _count(c.on_time).label("on_time"),
        _count(c.overdue).label("overdue_problems"),
        func.min(case((c.overdue, Problem.deadline))).label("oldest_overdue_deadline"),
        _count(c.complaint).label("complaints"),
        _count(c.serious_open).label("serious_open"),
    ]


def _problem_counts(
    session: Session, campaign: _Campaign, as_of: dt.date, filters: Filters
) -> dict[int, Any]:
    """Per unit id: the problem counts and the earliest deadline of its overdue problems."""
    query = (
        select(Problem.unit_id, *_count_columns(problem_conditions(as_of)))
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*_problem_scope(campaign, as_of), *_unit_conditions(campaign, filters))
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
    campaign = _load_campaign(session, year)
    conditions = [*_problem_scope(campaign, as_of), *_unit_conditions(campaign, filters)]
    if channels:
        conditions.append(Problem.channel.in_(channels))
    query = (
        select(*keys, *_count_columns(problem_conditions(as_of)))
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*conditions)
        .group_by(*keys)
    )
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
                max_days_overdue=None if oldest is None else (as_of - oldest).days,
                complaints=int(values["complaints"]),
                serious_open=int(values["serious_open"]),
            )
        )
    return rows


def _by_channel(
    session: Session, campaign: _Campaign, as_of: dt.date, filters: Filters
) -> dict[str, int]:
    """Problems per channel, every channel present (zero-filled) in reference order."""
    query = (
        select(Problem.channel, func.count())
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*_problem_scope(campaign, as_of), *_unit_conditions(campaign, filters))
        .group_by(Problem.channel)
    )
    counts = {channel: int(n) for channel, n in session.execute(query)}
    return {channel: counts.get(channel, 0) for channel in CHANNELS}


def _month_key(year: int, month: int) -> str:
    """'YYYY-MM'."""
    return f"{year:04d}-{month:02d}"


def _complaints_by_month(
    session: Session, campaign: _Campaign, as_of: dt.date, filters: Filters
) -> dict[str, int]:
    """Complaints per 'YYYY-MM' month, zero-filled over the campaign up to the as-of date."""
    year = extract("year", Problem.found_on)
    month = extract("month", Problem.found_on)
    query = (
        select(year, month, func.count())
        .join(Unit, Unit.id == Problem.unit_id)
        .where(
            *_problem_scope(campaign, as_of),
            Problem.channel.in_(COMPLAINT_CHANNELS),
            *_unit_conditions(campaign, filters),
        )
        .group_by(year, month)
    )
    counts = {_month_key(int(y), int(m)): int(n) for y, m, n in session.execute(query)}
    first = campaign.start.replace(day=1)
    last = min(as_of, campaign.end)
    months: dict[str, int] = {}
    current = first
    while current <= last:
        key = _month_key(current.year, current.month)
        months[key] = counts.get(key, 0)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    for key, n in counts.items():
        months.setdefault(key, n)
    return dict(sorted(months.items()))


def _task_counts(
    session: Session, campaign: _Campaign, as_of: dt.date, filters: Filters
) -> dict[int, dict[str, tuple[int, int]]]:
    """Per unit id and phase code: (tasks, tasks done by the as-of date)."""
    query = (
        select(
            UnitTask.unit_id,
            TaskTemplate.phase_code,
            func.count(),
            _count(UnitTask.completed_on <= as_of),
        )
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .join(Unit, Unit.id == UnitTask.unit_id)
        .where(
            TaskTemplate.campaign_id == campaign.id,
            TaskTemplate.retired_at.is_(None),
            *_unit_conditions(campaign, filters),
        )
        .group_by(UnitTask.unit_id, TaskTemplate.phase_code)
    )
    tasks: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for unit_id, phase, total, done in session.execute(query):
        tasks[unit_id][phase] = (int(total), int(done))
    return tasks


def _overdue_tasks(campaign: _Campaign, as_of: dt.date, phase: str, total: int, done: int) -> int:
    """Tasks not done by the as-of date in a phase that ended before it."""
    window = campaign.phases.get(phase)
    return total - done if window is not None and window[1] < as_of else 0


def _unit_figures(
    row: Any,
    problems: Any,
    tasks: dict[str, tuple[int, int]],
    campaign: _Campaign,
    as_of: dt.date,
) -> UnitFigures:
    """One unit's figures from its unit row, problem counts (or None) and task counts."""

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
        max_days_overdue=None if oldest is None else (as_of - oldest).days,
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


def _overdue_order(unit: UnitFigures) -> tuple[Any, ...]:
    """Most overdue problems first, then the longest overdue, then by name."""
    return (-unit.overdue_problems, -(unit.max_days_overdue or 0), unit.unit)


def _current_phase(campaign: _Campaign, as_of: dt.date) -> tuple[str | None, int | None]:
    """The phase whose window contains the as-of date and the days from as-of to its end."""
    for code, (start, end) in sorted(campaign.phases.items(), key=lambda kv: kv[1]):
        if start <= as_of <= end:
            return code, (end - as_of).days
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


def _figures(
    session: Session, campaign: _Campaign, as_of: dt.date, filters: Filters
) -> CampaignFigures:
    """The campaign's figures for an already loaded campaign."""
    unit_rows = session.execute(
        select(Unit.id, Unit.name, Unit.kind, Unit.township, UnitCaseload.cases)
        .outerjoin(
            UnitCaseload,
            and_(UnitCaseload.unit_id == Unit.id, UnitCaseload.campaign_id == campaign.id),
        )
        .where(*_unit_conditions(campaign, filters))
    ).all()
    problems = _problem_counts(session, campaign, as_of, filters)
    tasks = _task_counts(session, campaign, as_of, filters)
    units = sorted(
        (
            _unit_figures(row, problems.get(row.id), tasks.get(row.id, {}), campaign, as_of)
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
        overdue_units=[u.unit for u in sorted((u for u in units if u.overdue), key=_overdue_order)],
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
    return _figures(session, _load_campaign(session, year), as_of, filters)


def satisfaction_score(
    satisfied: int, basic: int, dissatisfied: int, settings: EvaluationSettings
) -> float | None:
    """The satisfaction score (满意度得分) of valid answers, None without any."""
    valid = satisfied + basic + dissatisfied
    if not valid:
        return None
    points = (
        settings.points_satisfied * satisfied
        + settings.points_basic * basic
        + settings.points_dissatisfied * dissatisfied
    )
    return points / valid


def work_score(
    tasks_share: float | None,
    on_time_rate: float | None,
    conformity: float | None,
    settings: EvaluationSettings,
) -> float | None:
    """100 × the weighted parts that have data, weights rescaled to sum to 1; None without any."""
    parts = [
        (settings.tasks_weight, tasks_share),
        (settings.on_time_weight, on_time_rate),
        (settings.conformity_weight, conformity),
    ]
    known = [(weight, value) for weight, value in parts if value is not None]
    weights = sum(weight for weight, _ in known)
    if not known or weights <= 0:
        return None
    return 100 * sum(weight * value for weight, value in known) / weights


def composite_score(
    satisfaction: float | None, work: float | None, settings: EvaluationSettings
) -> float | None:
    """Weighted satisfaction and work scores; None when either is missing (no partial composite)."""
    if satisfaction is None or work is None:
        return None
    return settings.satisfaction_weight * satisfaction + settings.work_weight * work


def rank_within_groups(evaluations: list[UnitEvaluation]) -> None:
    """Set each evaluation's rank among its group (1 = best composite; ties share a rank)."""
    groups: dict[str, list[UnitEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        evaluation.rank = None
        if evaluation.composite is not None:
            groups[evaluation.group].append(evaluation)
    for members in groups.values():
        members.sort(key=lambda e: -round(e.composite or 0.0, SCORE_DECIMALS))
        previous: float | None = None
        rank = 0
        for position, evaluation in enumerate(members, start=1):
            key = round(evaluation.composite or 0.0, SCORE_DECIMALS)
            if key != previous:
                rank, previous = position, key
            evaluation.rank = rank


def _survey_counts(session: Session, campaign: _Campaign) -> dict[int, tuple[int, int, int]]:
    """Per unit id: (满意, 基本满意, 不满意) answers over all respondent types."""
    s = SatisfactionSurvey
    query = (
        select(
            s.unit_id,
            func.sum(s.satisfied),
            func.sum(s.basically_satisfied),
            func.sum(s.dissatisfied),
        )
        .where(s.campaign_id == campaign.id)
        .group_by(s.unit_id)
    )
    return {
        unit_id: (int(a or 0), int(b or 0), int(c or 0))
        for unit_id, a, b, c in session.execute(query)
    }


def _conformity(
    session: Session, campaign: _Campaign, as_of: dt.date, settings: EvaluationSettings
) -> dict[int, float]:
    """Per unit id: the average rating value of its supervision visits up to the as-of date."""
    query = (
        select(SupervisionVisit.unit_id, SupervisionRating.rating, func.count())
        .join(SupervisionVisit, SupervisionVisit.id == SupervisionRating.visit_id)
        .where(SupervisionVisit.campaign_id == campaign.id, SupervisionVisit.visited_on <= as_of)
        .group_by(SupervisionVisit.unit_id, SupervisionRating.rating)
    )
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for unit_id, rating, n in session.execute(query):
        sums[unit_id][0] += settings.rating_value(rating) * int(n)
        sums[unit_id][1] += int(n)
    return {unit_id: value / n for unit_id, (value, n) in sums.items() if n}


def _evaluate(
    unit: UnitFigures,
    answers: tuple[int, int, int],
    conformity: float | None,
    settings: EvaluationSettings,
) -> UnitEvaluation:
    """One unit's evaluation result before ranking."""
    satisfied, basic, dissatisfied = answers
    valid = satisfied + basic + dissatisfied
    tasks_share = rate(unit.tasks_done, unit.tasks_total)
    sat_score = satisfaction_score(satisfied, basic, dissatisfied, settings)
    work = work_score(tasks_share, unit.on_time_rate, conformity, settings)
    composite = composite_score(sat_score, work, settings)
    return UnitEvaluation(
        unit_id=unit.unit_id,
        unit=unit.unit,
        kind=unit.kind,
        group=unit.group,
        township=unit.township,
        valid_answers=valid,
        satisfaction_rate=rate(satisfied + basic, valid),
        satisfaction_score=sat_score,
        tasks_share=tasks_share,
        on_time_rate=unit.on_time_rate,
        conformity=conformity,
        work_score=work,
        composite=composite,
        grade=settings.grade(composite),
    )


@cached
def evaluation_results(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[UnitEvaluation]:
    """The evaluation result (评议结果) of each filtered unit, ranked within its group.

    The composite is None when either the satisfaction score (no valid answers) or the work
    score (no part with data) is missing; such units get no grade and no rank. Ranks are
    county-wide within the group: filters choose which units are listed, never whom a unit
    is ranked against. Ordered by group, rank (unranked last), then kind, township and name.
    """
    campaign = _load_campaign(session, year)
    settings = load_settings(session, year)
    figures = _figures(session, campaign, as_of, Filters())
    answers = _survey_counts(session, campaign)
    conformity = _conformity(session, campaign, as_of, settings)
    evaluations = [
        _evaluate(
            unit, answers.get(unit.unit_id, (0, 0, 0)), conformity.get(unit.unit_id), settings
        )
        for unit in figures.by_unit
    ]
    rank_within_groups(evaluations)
    if filters != Filters():
        kept = set(session.scalars(select(Unit.id).where(*_unit_conditions(campaign, filters))))
        evaluations = [e for e in evaluations if e.unit_id in kept]
    position = {unit.unit_id: i for i, unit in enumerate(figures.by_unit)}
    return sorted(
        evaluations,
        key=lambda e: (
            GROUP_ORDER.get(e.group, len(GROUP_ORDER)),
            e.rank is None,
            e.rank or 0,
            position[e.unit_id],
        ),
    )


def _percent(value: float) -> str:
    """A threshold such as 0.8 as `80%` (decimals only where needed)."""
    return f"{value * 100:g}%"


@cached
def focus_candidates(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[FocusCandidate]:
    """Units with an unresolved serious problem, an overdue problem or a low rectification rate.

    Ordered by unresolved serious problems, then overdue problems (most first), then the
    lowest rectification rate.
    """
    settings = load_settings(session, year)
    figures = campaign_figures(session, year, as_of, filters)
    candidates: list[FocusCandidate] = []
    for unit in figures.by_unit:
        reasons: list[str] = []
        if unit.serious_open:
            reasons.append(f"有未整改的严重问题 {unit.serious_open} 件")
        if unit.overdue_problems:
            reasons.append(
                f"逾期问题 {unit.overdue_problems} 件，最长逾期 {unit.max_days_overdue} 天"
            )
        rectification = unit.rectification_rate
        if rectification is not None and rectification < settings.focus_threshold:
            reasons.append(
                f"整改完成率 {rectification * 100:.1f}%，低于 {_percent(settings.focus_threshold)}"
            )
        if reasons:
            candidates.append(
                FocusCandidate(
                    unit_id=unit.unit_id,
                    unit=unit.unit,
                    kind=unit.kind,
                    township=unit.township,
                    reasons=reasons,
                    serious_open=unit.serious_open,
                    overdue_problems=unit.overdue_problems,
                    rectification_rate=rectification,
                )
            )
    # sorted() is stable, so equal candidates keep the by_unit order.
    return sorted(
        candidates,
        key=lambda c: (
            -c.serious_open,
            -c.overdue_problems,
            1.0 if c.rectification_rate is None else c.rectification_rate,
        ),
    )
