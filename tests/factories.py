"""Factories for test data: campaigns with their phases, units, problems, tasks, visits."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

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
from data.reference import PHASE_DEFAULT_WINDOWS

_seq = itertools.count(1)


def make_campaign(session: Session, year: int = 2024, **kw: Any) -> Campaign:
    """A campaign with the four phases in their default windows."""
    campaign = Campaign(year=year, title=kw.pop("title", f"{year}年司法民主评议"), **kw)
    for code, ((m1, d1), (m2, d2)) in PHASE_DEFAULT_WINDOWS.items():
        campaign.phases.append(
            Phase(code=code, starts_on=dt.date(year, m1, d1), ends_on=dt.date(year, m2, d2))
        )
    session.add(campaign)
    session.flush()
    return campaign


def make_unit(
    session: Session,
    name: str | None = None,
    kind: str = "judicial_office",
    township: str | None = "城关镇",
    **kw: Any,
) -> Unit:
    """A unit (default: a 司法所)."""
    unit = Unit(name=name or f"测试单位{next(_seq)}", kind=kind, township=township, **kw)
    session.add(unit)
    session.flush()
    return unit


def make_problem(session: Session, campaign: Campaign, unit: Unit, **kw: Any) -> Problem:
    """A problem with sensible defaults; pass any field to override."""
    found = kw.pop("found_on", dt.date(campaign.year, 6, 10))
    fields: dict[str, Any] = {
        "channel": "self_inspection",
        "criterion_code": "lawful",
        "description": f"测试问题{next(_seq)}",
        "severity": "normal",
        "deadline": found + dt.timedelta(days=30),
        "status": "pending",
    }
    fields.update(kw)
    problem = Problem(campaign_id=campaign.id, unit_id=unit.id, found_on=found, **fields)
    session.add(problem)
    session.flush()
    return problem


def make_task(
    session: Session,
    campaign: Campaign,
    unit: Unit,
    phase: str = "mobilize",
    name: str | None = None,
    completed_on: dt.date | None = None,
) -> UnitTask:
    """A unit task, creating its template when needed."""
    name = name or f"任务{next(_seq)}"
    template = (
        session.query(TaskTemplate)
        .filter_by(campaign_id=campaign.id, phase_code=phase, name=name)
        .one_or_none()
    )
    if template is None:
        template = TaskTemplate(campaign_id=campaign.id, phase_code=phase, name=name)
        session.add(template)
        session.flush()
    task = UnitTask(template_id=template.id, unit_id=unit.id, completed_on=completed_on)
    session.add(task)
    session.flush()
    return task


def make_visit(
    session: Session,
    campaign: Campaign,
    unit: Unit,
    ratings: dict[str, str] | None = None,
    **kw: Any,
) -> SupervisionVisit:
    """A supervision visit with ratings by criterion code."""
    visit = SupervisionVisit(
        campaign_id=campaign.id,
        unit_id=unit.id,
        visited_on=kw.pop("visited_on", dt.date(campaign.year, 11, 10)),
        supervisors=kw.pop("supervisors", "王督导"),
        **kw,
    )
    for code, rating in (ratings or {}).items():
        visit.ratings.append(SupervisionRating(criterion_code=code, rating=rating))
    session.add(visit)
    session.flush()
    return visit


def make_survey(
    session: Session,
    campaign: Campaign,
    unit: Unit,
    respondent_type: str = "民评代表",
    **counts: int,
) -> SatisfactionSurvey:
    """Satisfaction answers for one unit and respondent type."""
    survey = SatisfactionSurvey(
        campaign_id=campaign.id,
        unit_id=unit.id,
        respondent_type=respondent_type,
        satisfied=counts.get("satisfied", 0),
        basically_satisfied=counts.get("basically_satisfied", 0),
        dissatisfied=counts.get("dissatisfied", 0),
        unknown=counts.get("unknown", 0),
    )
    session.add(survey)
    session.flush()
    return survey


def set_caseload(session: Session, campaign: Campaign, unit: Unit, cases: int) -> None:
    """Record a unit's caseload for a campaign."""
    session.add(UnitCaseload(campaign_id=campaign.id, unit_id=unit.id, cases=cases))
    session.flush()


def set_evaluation_settings(session: Session, **values: float) -> None:
    """Store evaluation-setting overrides under the `evaluation` key."""
    from data.models import Setting

    session.merge(Setting(key="evaluation", value=values))
    session.flush()


PASSWORD = "correct-horse-1"


def make_user(session: Session, username: str, role: str, unit_name: str | None = None) -> int:
    """A user with the password PASSWORD; returns the user's id."""
    from data.users import add_user

    return add_user(session, username, PASSWORD, role, unit_name=unit_name).id


def login(client: Any, username: str, password: str = PASSWORD) -> Any:
    """Sign a Flask test client in through the /login form; returns the response."""
    return client.post("/login", data={"username": username, "password": password})
