"""How a callback answers what it refuses, in words where the user is looking and recorded
(never a silent empty answer or 403): a read of another unit's records (the check is
dashboard/view.py's `may_read_unit`), and a write outside a form (a form's save says its
refusals through callbacks/forms.py's answered_save)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc

from dashboard.auth import Account, log_denial
from dashboard.view import refuse_read

REFUSED = "access-refused"  # the id of the alert, wherever a page shows it


def refused(account: Account, entity: str, record_id: int | str) -> dbc.Alert:
    """Record a refused read of another unit's record (`entity`, id) and the alert saying so."""
    reason = refuse_read(account, entity, record_id)
    return dbc.Alert(reason, color="danger", id=REFUSED, className="py-2")


def refused_write(
    account: Account, reason: str, what: str, target: tuple[str, Any] | None = None
) -> str:
    """Record a refused write (`what`, of the record `target` when known); its words."""
    log_denial(account, reason, action=what, target=target)
    return reason
