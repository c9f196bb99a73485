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
