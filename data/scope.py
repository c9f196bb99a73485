"""Which units and problems a figure covers, and DOMAIN.md's problem predicates, as SQL.

Every query module builds on these: a campaign loaded with its phase windows, the units in it
(not retired before it starts, filtered), the problems that count at an as-of date, and the
predicates (rectified, due, overdue …) every figure on problems is built from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from data.models import Campaign, Phase, Problem, Unit
from data.reference import COMPLAINT_CHANNELS, KIND_GROUP, RECTIFIED_STATUSES, Severity, Status

if TYPE_CHECKING:  # data.figures imports this module; Filters is only an annotation here
    from data.figures import Filters


class CampaignNotFound(LookupError):
    """No campaign for the requested year."""

    def __init__(self, year: int) -> None:
        super().__init__(f"没有 {year} 年的评议活动")
        self.year = year


@dataclass(frozen=True)
class CampaignScope:
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


def load_campaign(session: Session, year: int) -> CampaignScope:
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
    return CampaignScope(id=rows[0][0], year=year, phases=phases)


def unit_conditions(campaign: CampaignScope, filters: Filters) -> list[ColumnElement[bool]]:
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


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def problem_scope(campaign: CampaignScope, as_of: dt.date) -> list[ColumnElement[bool]]:
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
