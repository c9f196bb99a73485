"""How a callback answers a read it refuses: the check is dashboard/view.py's `may_read_unit`,
the answer an alert in words where the user is looking (never a silent empty answer or 403)."""

from __future__ import annotations

import dash_bootstrap_components as dbc

from dashboard.auth import Account
from dashboard.view import refuse_read

REFUSED = "access-refused"  # the id of the alert, wherever a page shows it


def refused(account: Account, entity: str, record_id: int | str) -> dbc.Alert:
    """Record a refused read of another unit's record (`entity`, id) and the alert saying so."""
    reason = refuse_read(account, entity, record_id)
    return dbc.Alert(reason, color="danger", id=REFUSED, className="py-2")
