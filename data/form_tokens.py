"""Saves of new-record forms made once: a double-clicked 保存 — two posts of the same form in
quick succession — makes one record.

A form gets a random token when it is opened (`new_token`, kept in its meta), and its save runs
through `once` in the save's own transaction. The first save claims the token and keeps what it
made; a later save with the same token (the second click, the same post sent again) finds it
claimed and gets back what the first made, writing nothing. The token is the table's primary
key, so two saves at the same moment, even on two servers, cannot both claim it: the second
waits for the first's transaction and then finds its result. A refused save claims nothing (its
transaction is rolled back), so the corrected form saves. Tokens are forgotten after KEEP.

Not evaluation data: written without the history and without moving the data version.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from data.models import FormToken

KEEP = dt.timedelta(hours=24)
TOKEN = re.compile(r"^[0-9a-f]{32}$")
META_KEY = "token"  # where a form's meta keeps its token

Result = TypeVar("Result")
_table = FormToken.__table__


def new_token() -> str:
    """A fresh token for a form being opened."""
    return secrets.token_hex(16)


def with_token(meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """A new-record form's meta with a fresh token."""
    return {**(meta or {}), META_KEY: new_token()}


def once(
    session: Session,
    token: Any,
    form: str,
    save: Callable[[], Result],
    keep: Callable[[Result], dict[str, Any]],
    replay: Callable[[dict[str, Any]], Result],
    now: dt.datetime | None = None,
) -> Result:
    """`save()` once per token of `form`: the first call runs it and keeps `keep(result)`; a
    later one returns `replay(kept)` instead. Without a well-formed token (an older page, a
    hand-made request) every call saves."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return save()
    kept = _claim(session, token, form, now or dt.datetime.now())
    if kept is not None:
        return replay(kept)
    result = save()
    claimed = (_table.c.token == token) & (_table.c.form == form)
    session.connection().execute(update(_table).where(claimed).values(result=keep(result)))
    return result


def _claim(session: Session, token: str, form: str, now: dt.datetime) -> dict[str, Any] | None:
    """Claim `token` for this transaction (None), or what the save that claimed it kept (a
    token another form claimed, as a forged request may send, is not this form's: None)."""
    connection = session.connection()
    connection.execute(delete(_table).where(_table.c.created_at < now - KEEP))
    # ON CONFLICT DO NOTHING rather than catching the unique violation: on PostgreSQL a failed
    # statement aborts the whole transaction, so the look-up after it could not run.
    values = {"token": token, "form": form, "created_at": now}
    if connection.dialect.name == "postgresql":
        statement: Any = pg_insert(_table).values(**values).on_conflict_do_nothing()
    else:
        statement = sqlite_insert(_table).values(**values).on_conflict_do_nothing()
    if connection.execute(statement).rowcount == 1:
        return None
    row = connection.execute(
        select(_table.c.form, _table.c.result).where(_table.c.token == token)
    ).one_or_none()
    if row is not None and row.form == form and isinstance(row.result, dict):
        return row.result
    return None
