"""What every page and download does first: resolve the URL state to a campaign, date and filters
— and who may read which unit's records, the one rule every callback that returns them checks.

Shared by the page callbacks and the download routes (dashboard/downloads.py), so it lives here
rather than in callbacks/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dashboard.auth import Account, current_account, log_denial
from dashboard.state import ViewState, parse_state
from dashboard.text import T
from data.figures import Filters, campaign_years
from data.reference import Role

# The roles that read every unit's records (unit staff read their own unit's only).
EVERY_UNIT = (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
# Who sees a covert inspection's schedule and team (data/inspections.py: never unit staff).
COVERT_READERS = (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


def reads_every_unit(account: Account) -> bool:
    """Whether the account reads the records of every unit."""
    return account.role in EVERY_UNIT


def may_read_unit(account: Account, unit_id: int | None) -> bool:
    """Whether the account may read the records of unit `unit_id` (None: of no unit)."""
    if reads_every_unit(account):
        return True
    return account.role == Role.UNIT and unit_id is not None and account.unit_id == unit_id


def readable_units(account: Account) -> tuple[int, ...]:
    """The units a view is limited to for the account (empty: every unit)."""
    return () if reads_every_unit(account) else (account.unit_id or -1,)


def may_see_covert(account: Account) -> bool:
    """Whether the account sees covert inspections ahead and who made them."""
    return account.role in COVERT_READERS


def refuse_read(account: Account, entity: str, record_id: int | str, words: str = "") -> str:
    """Record a refused read of another unit's record (`entity`, id) and the words to show
    (`words`, or the general ones)."""
    log_denial(account, T["access_read_denied_note"], action="read", target=(entity, record_id))
    return words or T["access_read_denied"]


@dataclass(frozen=True)
class View:
    """A resolved view: which campaign, at which date, for which units."""

    year: int
    as_of: dt.date
    filters: Filters
    state: ViewState


def resolve_view(session: Session, search: str | None, today: dt.date) -> View | None:
    """The view a query string asks for, defaulting to the latest campaign; None if none exists."""
    state = parse_state(search)
    years = campaign_years(session)
    if not years:
        return None
    year = state.campaign if state.campaign in years else years[0]
    # Unit staff see their own unit only, whatever the URL asks for.
    unit_ids = readable_units(current_account())
    filters = Filters(kinds=state.kinds, townships=state.townships, unit_ids=unit_ids)
    return View(year, state.resolved_as_of(today), filters, state)
