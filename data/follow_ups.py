"""Follow-up problems: what a 督导检查 visit or a 明查暗访 inspection finds becomes a problem."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from data.forms import FollowUpForm
from data.models import Problem
from data.reference import CRITERIA, criterion_applies


def add_follow_up(
    session: Session,
    campaign_id: int,
    unit_id: int,
    channel: str,
    found_on: dt.date,
    follow_up: FollowUpForm,
    *,
    visit_id: int | None = None,
    inspection_id: int | None = None,
) -> Problem:
    """File one follow-up as a pending problem of `channel`, linked to where it was found."""
    problem = Problem(
        campaign_id=campaign_id,
        unit_id=unit_id,
        channel=channel,
        criterion_code=follow_up.criterion_code,
        found_on=found_on,
        description=follow_up.description,
        severity=follow_up.severity,
        deadline=follow_up.deadline,
        owner=follow_up.owner,
        status="pending",
        visit_id=visit_id,
        inspection_id=inspection_id,
    )
    session.add(problem)
    return problem


def follow_up_errors(
    follow_ups: list[FollowUpForm], unit_kind: str, found_on: dt.date, found_label: str
) -> dict[str, str]:
    """Per follow-up: its criterion must apply to the unit, its deadline not precede `found_on`."""
    errors: dict[str, str] = {}
    for i, follow_up in enumerate(follow_ups):
        if not criterion_applies(follow_up.criterion_code, unit_kind):
            name = CRITERIA[follow_up.criterion_code][0]
            errors[f"follow_ups.{i}.criterion_code"] = f"“{name}”不适用于该单位"
        if follow_up.deadline < found_on:
            errors[f"follow_ups.{i}.deadline"] = f"整改时限不能早于{found_label}"
    return errors
