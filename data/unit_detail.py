"""One unit's page: who it is and its problems (complainants masked here, on the server)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.figures import _load_campaign, problem_conditions
from data.masking import mask_name, mask_phone
from data.models import Problem, Unit, UnitCaseload


@dataclass
class UnitHeader:
    """A unit's identity and its caseload in the campaign."""

    id: int
    name: str
    kind: str
    township: str | None
    retired_on: dt.date | None
    cases: int | None


@dataclass
class ProblemRow:
    """A problem as the unit page lists it; complainant fields already masked unless revealed."""

    id: int
    found_on: dt.date
    channel: str
    criterion: str
    description: str
    severity: str
    deadline: dt.date
    status: str
    completed_on: dt.date | None
    published: bool
    reported: bool
    feedback: str | None
    complainant_name: str | None
    complainant_phone: str | None
    overdue: bool


def unit_header(session: Session, unit_id: int, year: int) -> UnitHeader | None:
    """The unit with its caseload for the campaign, or None when there is no such unit."""
    campaign = _load_campaign(session, year)
    row = session.execute(
        select(Unit.id, Unit.name, Unit.kind, Unit.township, Unit.retired_on, UnitCaseload.cases)
        .outerjoin(
            UnitCaseload,
            (UnitCaseload.unit_id == Unit.id) & (UnitCaseload.campaign_id == campaign.id),
        )
        .where(Unit.id == unit_id)
    ).one_or_none()
    return UnitHeader(*row) if row else None


def unit_problems(
    session: Session,
    year: int,
    unit_id: int,
    as_of: dt.date,
    reveal: bool = False,
    limit: int = 300,
) -> list[ProblemRow]:
    """The unit's problems found by the as-of date, newest first (complainants masked)."""
    campaign = _load_campaign(session, year)
    overdue = problem_conditions(as_of).overdue
    p = Problem
    rows = session.execute(
        select(
            p.id,
            p.found_on,
            p.channel,
            p.criterion_code,
            p.description,
            p.severity,
            p.deadline,
            p.status,
            p.completed_on,
            p.published,
            p.reported,
            p.feedback,
            p.complainant_name,
            p.complainant_phone,
            overdue,
        )
        .where(
            p.campaign_id == campaign.id,
            p.unit_id == unit_id,
            p.voided_at.is_(None),
            p.found_on <= as_of,
        )
        .order_by(p.found_on.desc(), p.id.desc())
        .limit(limit)
    )
    result = []
    for row in rows:
        values = list(row)
        if not reveal:
            values[12], values[13] = mask_name(values[12]), mask_phone(values[13])
        values[14] = bool(values[14])
        result.append(ProblemRow(*values))
    return result
