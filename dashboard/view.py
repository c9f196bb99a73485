"""What every page and download does first: resolve the URL state to a campaign, date and filters.

Shared by the page callbacks and the download routes (dashboard/downloads.py), so it lives here
rather than in callbacks/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dashboard.auth import current_account
from dashboard.state import ViewState, parse_state
from data.figures import Filters, campaign_years
from data.reference import Role


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
    account = current_account()
    # Unit staff see their own unit only, whatever the URL asks for.
    unit_ids = (account.unit_id or -1,) if account.role == Role.UNIT else ()
    filters = Filters(kinds=state.kinds, townships=state.townships, unit_ids=unit_ids)
    return View(year, state.resolved_as_of(today), filters, state)
