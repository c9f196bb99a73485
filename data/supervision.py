"""督导检查: saving visits with their ratings and follow-ups; lists, calendar, details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from data.edits import ConflictError, check_version, snapshot
from data.figures import Filters
from data.follow_ups import add_follow_up, follow_up_errors
from data.form_tokens import once
from data.forms import FormError, VisitForm
from data.models import Campaign, Problem, SupervisionRating, SupervisionVisit, Unit
from data.reference import CRITERIA, KIND_GROUP, criteria_for_group, criterion_applies
from data.scope import load_campaign, problem_conditions, unit_conditions
from data.topics import set_visit_topics, visit_topic_titles
from data.workdays import day_counter

VISIT_FORM = "supervision_visit"  # the new-visit form, as data/form_tokens.py names it
VISIT_FIELDS = [
    "unit_id",
    "visited_on",
    "supervisors",
    "kind",
    "findings",
    "notes",
    "next_visit_on",
]


def _campaign_id(session: Session, year: int) -> int:
    campaign_id = session.scalar(select(Campaign.id).where(Campaign.year == year))
    if campaign_id is None:
        raise FormError({"campaign": f"没有 {year} 年的评议活动"})
    return campaign_id


def _check_against_unit(form: VisitForm, unit: Unit | None) -> None:
    """Checks that need the unit: it exists, criteria apply to its group, dates in order."""
    errors: dict[str, str] = {}
    if unit is None:
        raise FormError({"unit_id": "单位不存在"})
    for code in form.ratings:
        if not criterion_applies(code, unit.kind):
            errors[f"ratings.{code}"] = f"“{CRITERIA[code][0]}”不适用于该单位"
    errors.update(follow_up_errors(form.follow_ups, unit.kind, form.visited_on, "督导日期"))
    if form.next_visit_on is not None and form.next_visit_on < form.visited_on:
        errors["next_visit_on"] = "下次督导日期不能早于本次督导日期"
    if errors:
        raise FormError(errors)


def save_visit(
    session: Session,
    form: VisitForm,
    year: int,
    visit_id: int | None = None,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
    token: Any = None,
) -> SupervisionVisit:
    """Create or update a visit; follow-ups become problems (channel 督导检查) in one go. A new
    visit is made once per `token` of its form (data/form_tokens.py): the same form saved
    again gets the visit it made."""
    if visit_id is None:
        return once(
            session,
            token,
            VISIT_FORM,
            lambda: _save_visit(session, form, year, None, None, None),
            lambda visit: {"id": visit.id},
            lambda kept: session.get_one(SupervisionVisit, kept["id"]),
        )
    return _save_visit(session, form, year, visit_id, expected_version, seen)


def _save_visit(
    session: Session,
    form: VisitForm,
    year: int,
    visit_id: int | None,
    expected_version: int | None,
    seen: dict[str, Any] | None,
) -> SupervisionVisit:
    """save_visit's writes."""
    campaign_id = _campaign_id(session, year)
    unit = session.get(Unit, form.unit_id)
    _check_against_unit(form, unit)
    if visit_id is None:
        visit = SupervisionVisit(campaign_id=campaign_id)
        session.add(visit)
    else:
        visit = session.get(SupervisionVisit, visit_id)
        if visit is None:
            raise FormError({"visit": "督导记录不存在"})
        check_version(visit, expected_version, seen)
    for name in VISIT_FIELDS:
        setattr(visit, name, getattr(form, name))
    existing = {rating.criterion_code: rating for rating in visit.ratings}
    for code, value in form.ratings.items():
        if code in existing:
            existing[code].rating = value
        else:
            visit.ratings.append(SupervisionRating(criterion_code=code, rating=value))
    own_columns_changed = session.is_modified(visit, include_collections=False)
    session.flush()
    if visit_id is not None and not own_columns_changed:
        _bump_version(session, visit)
    for follow_up in form.follow_ups:
        add_follow_up(
            session,
            campaign_id,
            form.unit_id,
            "supervision",
            form.visited_on,
            follow_up,
            visit_id=visit.id,
        )
    set_visit_topics(session, visit, form.topic_ids)
    session.flush()
    return visit


def _bump_version(session: Session, visit: SupervisionVisit) -> None:
    """Ratings and follow-ups belong to the visit: a save that changes only them still moves
    the visit's version, so a second editor's stale save is refused."""
    result = session.execute(
        update(SupervisionVisit)
        .where(SupervisionVisit.id == visit.id, SupervisionVisit.version == visit.version)
        .values(version=SupervisionVisit.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ConflictError({})
    session.expire(visit, ["version"])


def visit_snapshot(visit: SupervisionVisit) -> dict[str, Any]:
    """The fields an edit form starts from (compared on save to detect others' changes)."""
    return snapshot(visit, VISIT_FIELDS)


@dataclass
class VisitRow:
    """One visit in the list."""

    id: int
    unit_id: int
    unit: str
    visited_on: dt.date
    kind: str
    supervisors: str
    findings: str | None
    next_visit_on: dt.date | None
    follow_ups: int
    open_follow_ups: int


def list_visits(
    session: Session,
    year: int,
    as_of: dt.date,
    filters: Filters = Filters(),
    unit_id: int | None = None,
    limit: int | None = 200,
) -> list[VisitRow]:
    """Visits of a campaign, newest first (the first `limit`; None: all), with their
    follow-ups counted in SQL."""
    campaign = load_campaign(session, year)
    c = problem_conditions(as_of)
    counts = (
        select(
            Problem.visit_id.label("visit_id"),
            func.count().label("n"),
            func.coalesce(func.sum(case((c.open, 1), else_=0)), 0).label("open_n"),
        )
        .where(Problem.visit_id.is_not(None), Problem.voided_at.is_(None))
        .group_by(Problem.visit_id)
        .subquery()
    )
    query = (
        select(
            SupervisionVisit.id,
            SupervisionVisit.unit_id,
            Unit.name,
            SupervisionVisit.visited_on,
            SupervisionVisit.kind,
            SupervisionVisit.supervisors,
            SupervisionVisit.findings,
            SupervisionVisit.next_visit_on,
            func.coalesce(counts.c.n, 0),
            func.coalesce(counts.c.open_n, 0),
        )
        .join(Unit, Unit.id == SupervisionVisit.unit_id)
        .outerjoin(counts, counts.c.visit_id == SupervisionVisit.id)
        .where(*_visit_scope(campaign, filters, unit_id))
        .order_by(SupervisionVisit.visited_on.desc(), SupervisionVisit.id.desc())
        .limit(limit)
    )
    return [VisitRow(*row) for row in session.execute(query)]


def count_visits(
    session: Session,
    year: int,
    filters: Filters = Filters(),
    unit_id: int | None = None,
) -> int:
    """How many visits list_visits would give without its limit."""
    campaign = load_campaign(session, year)
    query = (
        select(func.count())
        .select_from(SupervisionVisit)
        .join(Unit, Unit.id == SupervisionVisit.unit_id)
        .where(*_visit_scope(campaign, filters, unit_id))
    )
    return int(session.scalar(query) or 0)


def _visit_scope(campaign: Any, filters: Filters, unit_id: int | None) -> list[Any]:
    """The campaign's visits to the units the filters (and `unit_id`, if given) select."""
    conditions = [SupervisionVisit.campaign_id == campaign.id, *unit_conditions(campaign, filters)]
    if unit_id is not None:
        conditions.append(SupervisionVisit.unit_id == unit_id)
    return conditions


@dataclass
class FollowUp:
    """A follow-up problem of a visit and where its rectification stands."""

    id: int
    description: str
    criterion: str
    deadline: dt.date
    owner: str | None
    status: str
    completed_on: dt.date | None
    overdue: bool


@dataclass
class VisitDetail:
    """One visit with its ratings, follow-ups and the values an edit form starts from."""

    id: int
    version: int
    campaign: int
    unit_id: int
    unit: str
    unit_kind: str
    visited_on: dt.date
    kind: str
    supervisors: str
    findings: str | None
    notes: str | None
    next_visit_on: dt.date | None
    ratings: dict[str, str]
    follow_ups: list[FollowUp]
    seen: dict[str, Any] = field(default_factory=dict)
    topics: list[tuple[int, str]] = field(default_factory=list)  # the 评议选题 it checked


def visit_detail(session: Session, visit_id: int, as_of: dt.date) -> VisitDetail | None:
    """A visit, its ratings and its follow-up problems (overdue as of `as_of`)."""
    row = session.execute(
        select(SupervisionVisit, Unit.name, Unit.kind, Campaign.year)
        .join(Unit, Unit.id == SupervisionVisit.unit_id)
        .join(Campaign, Campaign.id == SupervisionVisit.campaign_id)
        .where(SupervisionVisit.id == visit_id)
    ).one_or_none()
    if row is None:
        return None
    visit, unit_name, unit_kind, year = row
    overdue = problem_conditions(as_of).overdue
    follow_ups = [
        FollowUp(p_id, desc, CRITERIA[crit][0], deadline, owner, status, done, bool(late))
        for p_id, desc, crit, deadline, owner, status, done, late in session.execute(
            select(
                Problem.id,
                Problem.description,
                Problem.criterion_code,
                Problem.deadline,
                Problem.owner,
                Problem.status,
                Problem.completed_on,
                case((overdue, 1), else_=0),
            )
            .where(Problem.visit_id == visit_id, Problem.voided_at.is_(None))
            .order_by(Problem.id)
        )
    ]
    return VisitDetail(
        id=visit.id,
        version=visit.version,
        campaign=year,
        unit_id=visit.unit_id,
        unit=unit_name,
        unit_kind=unit_kind,
        visited_on=visit.visited_on,
        kind=visit.kind,
        supervisors=visit.supervisors,
        findings=visit.findings,
        notes=visit.notes,
        next_visit_on=visit.next_visit_on,
        ratings={r.criterion_code: r.rating for r in visit.ratings},
        follow_ups=follow_ups,
        seen=visit_snapshot(visit),
        topics=visit_topic_titles(session, visit.id),
    )


@dataclass
class CalendarDay:
    """What a day of the calendar holds: visits made and visits planned."""

    visits: int = 0
    focus: int = 0
    planned: int = 0


def visit_calendar(
    session: Session, year: int, month_start: dt.date, filters: Filters = Filters()
) -> dict[dt.date, CalendarDay]:
    """Per day of one month: visits made (of which 重点督查) and next visits planned."""
    campaign = load_campaign(session, year)
    month_end = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    v = SupervisionVisit
    days: dict[dt.date, CalendarDay] = {}
    made = (
        select(v.visited_on, func.count(), func.sum(case((v.kind == "focus", 1), else_=0)))
        .join(Unit, Unit.id == v.unit_id)
        .where(
            v.campaign_id == campaign.id,
            v.visited_on >= month_start,
            v.visited_on < month_end,
            *unit_conditions(campaign, filters),
        )
        .group_by(v.visited_on)
    )
    for day, n, focus in session.execute(made):
        days.setdefault(day, CalendarDay()).visits = int(n)
        days[day].focus = int(focus or 0)
    planned = (
        select(v.next_visit_on, func.count())
        .join(Unit, Unit.id == v.unit_id)
        .where(
            v.campaign_id == campaign.id,
            v.next_visit_on >= month_start,
            v.next_visit_on < month_end,
            *unit_conditions(campaign, filters),
        )
        .group_by(v.next_visit_on)
    )
    for day, n in session.execute(planned):
        days.setdefault(day, CalendarDay()).planned = int(n)
    return days


@dataclass
class OpenProblem:
    """A problem of a unit still to be rectified (shown when a visit is being logged)."""

    id: int
    description: str
    channel: str
    severity: str
    deadline: dt.date
    status: str
    days_overdue: int | None


def unit_open_problems(
    session: Session, year: int, unit_id: int, as_of: dt.date, limit: int | None = None
) -> list[OpenProblem]:
    """A unit's open problems, most overdue first (complainant fields are not selected)."""
    campaign = load_campaign(session, year)
    c = problem_conditions(as_of)
    rows = session.execute(
        select(
            Problem.id,
            Problem.description,
            Problem.channel,
            Problem.severity,
            Problem.deadline,
            Problem.status,
        )
        .where(
            Problem.campaign_id == campaign.id,
            Problem.unit_id == unit_id,
            Problem.voided_at.is_(None),
            Problem.found_on <= as_of,
            c.open,
        )
        .order_by(Problem.deadline, Problem.id)
        .limit(limit)
    )
    counter = day_counter(session)  # days overdue as the bureau counts them (#15)
    return [
        OpenProblem(i, d, ch, sev, dl, st, counter.between(dl, as_of) if dl < as_of else None)
        for i, d, ch, sev, dl, st in rows
    ]


def units_for_selection(
    session: Session, filters: Filters = Filters()
) -> list[tuple[int, str, str]]:
    """(id, name, kind) of units that are not retired, for the visit form's unit picker."""
    query = select(Unit.id, Unit.name, Unit.kind).where(Unit.retired_on.is_(None))
    if filters.unit_ids:
        query = query.where(Unit.id.in_(filters.unit_ids))
    return [tuple(row) for row in session.execute(query.order_by(Unit.kind, Unit.name))]


def applicable_criteria(kind: str) -> list[str]:
    """The criteria a visit rates for a unit of this kind."""
    return criteria_for_group(KIND_GROUP[kind])
