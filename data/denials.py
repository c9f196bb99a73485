"""Refused attempts in the history: at most one `denied` row per account, place and minute.

A refusal changes no data, so its row does not move the data version (every user's cached
figures stay), and a script repeating a refused call many times a second appends one row a
minute instead of one per call; the application log still has every attempt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from data.chain import append
from data.models import ChangeLog

WINDOW = dt.timedelta(minutes=1)
ENTITY = "access"  # the row's entity when the record refused is not known
PLACE = "place"  # the key of `after` naming where the refusal happened
# Matches the partial index ix_change_log_denied (a literal, so every planner can use it).
_DENIED = text("change_log.action = 'denied'")


def recently_denied(session: Session, user_id: int | None, place: str, now: dt.datetime) -> bool:
    """Whether the account was refused at `place` (a callback's outputs, or a path) within
    the last WINDOW."""
    rows = session.scalars(
        select(ChangeLog.after).where(
            _DENIED, ChangeLog.user_id == user_id, ChangeLog.at > now - WINDOW
        )
    )
    return any((after or {}).get(PLACE) == place for after in rows)


def record_denied(
    session: Session,
    place: str,
    details: Mapping[str, Any],
    reason: str,
    target: tuple[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Append a `denied` row for the session's actor at `place`, naming the record `target`
    (entity, id) when known — unless one was written within WINDOW. Whether a row was written."""
    now = now or dt.datetime.now()
    actor, user_id = session.info.get("actor"), session.info.get("user_id")
    if recently_denied(session, user_id, place, now):
        return False
    entity, entity_id = target if target is not None else (ENTITY, None)
    row = {
        "at": now,
        "actor": actor,
        "user_id": user_id,
        "action": "denied",
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": None,
        "after": {PLACE: place, **details},
        "note": reason,
    }
    # Core on the session's connection, not data.history.record: no data version move.
    append(session, [row])
    return True
