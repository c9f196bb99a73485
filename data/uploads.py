"""Import files waiting between their preview and their confirmation, kept in the database.

Behind several app servers a preview and its confirmation may reach different machines; the
database is what they share. A file is kept for its uploader only (the browser holds just a
random token), for a day at most. Not evaluation data: written without the history and without
moving the data version, so an upload empties no one's cached figures.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from data.models import PendingUpload

KEEP = dt.timedelta(hours=24)
TOKEN = re.compile(r"^[0-9a-f]{32}$")
NAME_LENGTH = 255

_table = PendingUpload.__table__


def save_upload(
    session: Session, user_id: int, filename: str, data: bytes, now: dt.datetime | None = None
) -> str:
    """Keep a file for its uploader, forgetting files older than KEEP; its random token."""
    now = now or dt.datetime.now()
    token = secrets.token_hex(16)
    connection = session.connection()
    connection.execute(delete(_table).where(_table.c.created_at < now - KEEP))
    connection.execute(
        insert(_table).values(
            token=token,
            user_id=user_id,
            filename=filename[:NAME_LENGTH],
            data=data,
            created_at=now,
        )
    )
    return token


def load_upload(
    session: Session, token: object, user_id: int, now: dt.datetime | None = None
) -> tuple[bytes, str] | None:
    """The file and its name behind a token, if it was uploaded by this user within KEEP."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    now = now or dt.datetime.now()
    row = session.execute(
        select(_table.c.data, _table.c.filename).where(
            _table.c.token == token,
            _table.c.user_id == user_id,
            _table.c.created_at >= now - KEEP,
        )
    ).one_or_none()
    return None if row is None else (bytes(row.data), row.filename)


def drop_upload(session: Session, token: object, user_id: int) -> None:
    """Forget a file of this user (imported, or replaced by a new upload)."""
    if isinstance(token, str) and TOKEN.match(token):
        session.connection().execute(
            delete(_table).where(_table.c.token == token, _table.c.user_id == user_id)
        )
