"""Look-ups of master data for selectors: campaigns, townships, units."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import Campaign, Unit


@dataclass(frozen=True)
class UnitRef:
    """A unit as selectors and links show it."""

    id: int
    name: str
    kind: str
    township: str | None


def townships(session: Session) -> list[str]:
    """Every township that has a unit, sorted."""
    rows = session.scalars(
        select(Unit.township).where(Unit.township.is_not(None)).distinct().order_by(Unit.township)
    )
    return list(rows)


def campaign_titles(session: Session) -> dict[int, str]:
    """Campaign titles by year, newest first."""
    rows = session.execute(select(Campaign.year, Campaign.title).order_by(Campaign.year.desc()))
    return {year: title for year, title in rows}


def unit_ref(session: Session, unit_id: int) -> UnitRef | None:
    """One unit's reference, or None."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        return None
    return UnitRef(unit.id, unit.name, unit.kind, unit.township)


def unit_options(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every active unit, by name, for selectors."""
    rows = session.execute(
        select(Unit.id, Unit.name).where(Unit.retired_on.is_(None)).order_by(Unit.name)
    )
    return [(unit_id, name) for unit_id, name in rows]


def units_without_account(session: Session) -> int:
    """How many active units have no unit-staff account yet."""
    from sqlalchemy import exists, func

    from data.models import User

    has_account = exists().where(User.unit_id == Unit.id, User.role == "unit")
    query = select(func.count()).select_from(Unit).where(Unit.retired_on.is_(None), ~has_account)
    return int(session.scalar(query) or 0)
