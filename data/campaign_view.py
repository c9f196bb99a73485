"""What the set-up pages and `dashboard campaign show` read: a campaign's phases, deliverables
(with how many units have done them), archive checklist and settings; a bureau's first steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.campaigns import PHASE_ORDER, campaign_by_year, campaign_settings, member_of
from data.models import ArchiveTemplate, Campaign, Phase, TaskTemplate, Unit, UnitTask
from data.reference import ARCHIVE_CATEGORY_NAMES
from data.settings import EvaluationSettings


@dataclass(frozen=True)
class PhaseWindow:
    """One phase of a campaign as the set-up pages show it."""

    code: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class TemplateRow:
    """A deliverable with how many units have it and how many have done it."""

    id: int
    phase_code: str
    name: str
    kinds: tuple[str, ...] | None
    retired: bool
    tasks: int
    done: int


@dataclass(frozen=True)
class CampaignSetup:
    """Everything the set-up page and `campaign show` show of one campaign."""

    id: int
    year: int
    title: str
    meeting_date: dt.date | None
    phases: tuple[PhaseWindow, ...]
    templates: tuple[TemplateRow, ...]
    archive: tuple[tuple[str, str], ...]
    settings: EvaluationSettings
    units: int
    unit_tasks: int

    def to_json(self) -> dict[str, Any]:
        """The set-up as JSON (`dashboard campaign show --json`)."""
        return {
            "year": self.year,
            "title": self.title,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "phases": {
                p.code: {"starts_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat()}
                for p in self.phases
            },
            "templates": [
                {
                    "phase": t.phase_code,
                    "name": t.name,
                    "kinds": list(t.kinds) if t.kinds else None,
                    "retired": t.retired,
                    "tasks": t.tasks,
                    "done": t.done,
                }
                for t in self.templates
            ],
            "archive": [{"name": n, "category": c} for n, c in self.archive],
            "settings": self.settings.to_dict(),
            "units": self.units,
            "unit_tasks": self.unit_tasks,
        }


def campaign_setup(session: Session, year: int) -> CampaignSetup:
    """A campaign's phases, deliverables (with counts), checklist and settings."""
    campaign = campaign_by_year(session, year)
    phases = tuple(
        PhaseWindow(p.code, p.starts_on, p.ends_on)
        for p in session.scalars(
            select(Phase).where(Phase.campaign_id == campaign.id).order_by(Phase.starts_on)
        )
    )
    counts = select(
        UnitTask.template_id,
        func.count().label("tasks"),
        func.count(UnitTask.completed_on).label("done"),
    ).group_by(UnitTask.template_id)
    counted = counts.subquery()
    rows = session.execute(
        select(TaskTemplate, counted.c.tasks, counted.c.done)
        .outerjoin(counted, counted.c.template_id == TaskTemplate.id)
        .where(TaskTemplate.campaign_id == campaign.id)
    ).all()
    order = {code: i for i, code in enumerate(PHASE_ORDER)}
    templates = tuple(
        sorted(
            (
                TemplateRow(
                    t.id,
                    t.phase_code,
                    t.name,
                    tuple(t.kinds) if t.kinds else None,
                    t.retired_at is not None,
                    int(tasks or 0),
                    int(done or 0),
                )
                for t, tasks, done in rows
            ),
            key=lambda t: (order.get(t.phase_code, 9), t.retired, t.id),
        )
    )
    archive = tuple(
        (name, category)
        for name, category in session.execute(
            select(ArchiveTemplate.name, ArchiveTemplate.category)
            .where(ArchiveTemplate.campaign_id == campaign.id)
            .order_by(ArchiveTemplate.sort_order, ArchiveTemplate.id)
        )
    )
    units = session.scalar(select(func.count()).select_from(Unit).where(member_of(campaign)))
    return CampaignSetup(
        id=campaign.id,
        year=campaign.year,
        title=campaign.title,
        meeting_date=campaign.meeting_date,
        phases=phases,
        templates=templates,
        archive=archive,
        settings=campaign_settings(session, year),
        units=int(units or 0),
        unit_tasks=sum(t.tasks for t in templates if not t.retired),
    )


def campaign_list(session: Session) -> list[tuple[int, str, dt.date | None, dt.date | None]]:
    """(year, title, first day, last day) of every campaign, newest first."""
    rows = session.execute(
        select(Campaign.year, Campaign.title, func.min(Phase.starts_on), func.max(Phase.ends_on))
        .outerjoin(Phase, Phase.campaign_id == Campaign.id)
        .group_by(Campaign.id, Campaign.year, Campaign.title)
        .order_by(Campaign.year.desc())
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def category_name(code: str) -> str:
    """文件 / 资料 / 照片."""
    return ARCHIVE_CATEGORY_NAMES.get(code, code)


@dataclass(frozen=True)
class SetupProgress:
    """How far a bureau has come from an empty database (the admin's four first steps)."""

    units: int
    campaigns: int
    unit_accounts: int
    problems: int

    @property
    def complete(self) -> bool:
        return bool(self.units and self.campaigns and self.unit_accounts and self.problems)


def setup_progress(session: Session) -> SetupProgress:
    """Counts of active units, campaigns, unit accounts and problems (one query)."""
    from data.models import Problem, User

    def count(model: Any, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = session.execute(
        select(
            count(Unit, Unit.retired_on.is_(None)),
            count(Campaign),
            count(User, User.role == "unit", User.active.is_(True)),
            count(Problem, Problem.voided_at.is_(None)),
        )
    ).one()
    return SetupProgress(*(int(n or 0) for n in row))
