"""Throttling of log-ins, by account name and address and by address alone, in the database.

A wrong password counts against the account name from that address, and against the address
for every name. Past a free number of failures each further one locks that pair (or the address)
for a growing while, capped at the last of LOCK_MINUTES: a stranger failing an account's
password locks only their own address out of it, and even the owner's own address is never
locked for long. An account's count from an address is forgotten a day after its last failure,
an address's own count after an hour (an office's staff share one gateway and mistype now and
then). The counts live in the database, so every worker and every app server sees the same ones;
they are written without the history and without moving the data version (no one's cache is
emptied by a guessed password).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Executable, and_, case, delete, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data.models import LoginFailure

ANY_ACCOUNT = ""  # the username of an address's failures across every account name
ACCOUNT_FREE = 5  # failures of one name from one address before a delay
ADDRESS_FREE = 30  # failures from one address, all names together, before a delay
ACCOUNT_FORGET = dt.timedelta(days=1)  # a count starts again this long after its last failure
ADDRESS_FORGET = dt.timedelta(hours=1)
LOCK_MINUTES = (1, 5, 15)  # the delay after each further failure; the last one repeats
NAME_LENGTH = 100
SOURCE_LENGTH = 64

_table = LoginFailure.__table__


def lock_for(failures: int, free: int) -> dt.timedelta | None:
    """The delay after the `failures`-th failure in a row, None while still under `free`."""
    if failures < free:
        return None
    step = min(failures - free, len(LOCK_MINUTES) - 1)
    return dt.timedelta(minutes=LOCK_MINUTES[step])


def _key(username: str, source: str) -> tuple[str, str]:
    return username[:NAME_LENGTH], source[:SOURCE_LENGTH]


def _buckets(username: str, source: str) -> list[tuple[str, str, int, dt.timedelta]]:
    """(name, address, free failures, forgotten after) of the two counts an attempt touches."""
    name, address = _key(username, source)
    return [
        (name, address, ACCOUNT_FREE, ACCOUNT_FORGET),
        (ANY_ACCOUNT, address, ADDRESS_FREE, ADDRESS_FORGET),
    ]


def _where(name: str, address: str) -> Any:
    return and_(_table.c.username == name, _table.c.source == address)


def locked_for(session: Session, username: str, source: str, now: dt.datetime) -> dt.timedelta:
    """How long log-ins of `username` from `source` must still wait (zero: go ahead)."""
    pairs = [_where(name, address) for name, address, _, _ in _buckets(username, source)]
    until = session.scalar(
        select(_table.c.locked_until)
        .where(or_(*pairs), _table.c.locked_until > now)
        .order_by(_table.c.locked_until.desc())
        .limit(1)
    )
    return until - now if until is not None else dt.timedelta(0)


def _upsert(
    session: Session, name: str, address: str, now: dt.datetime, forget: dt.timedelta
) -> Executable:
    """One more failure of (name, address): counted from 1 again `forget` after the last."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(_table).values(
        username=name, source=address, failures=1, last_failed_at=now, locked_until=None
    )
    forgotten = _table.c.last_failed_at < now - forget
    return statement.on_conflict_do_update(
        index_elements=["username", "source"],
        set_={
            "failures": case((forgotten, 1), else_=_table.c.failures + 1),
            "last_failed_at": now,
        },
    ).returning(_table.c.failures)


def failed(session: Session, username: str, source: str, now: dt.datetime) -> None:
    """Count a wrong password (or an unknown name) from `source`; lock what is over its free
    failures. Core statements on the session's connection: no history, no data version."""
    connection = session.connection()
    connection.execute(delete(_table).where(_table.c.last_failed_at < now - ACCOUNT_FORGET))
    for name, address, free, forget in _buckets(username, source):
        failures = connection.execute(_upsert(session, name, address, now, forget)).scalar_one()
        delay = lock_for(failures, free)
        if delay is not None:
            connection.execute(
                update(_table).where(_where(name, address)).values(locked_until=now + delay)
            )


def succeeded(session: Session, username: str, source: str) -> None:
    """Forget the account's failures from this address (the address's own count stays)."""
    name, address = _key(username, source)
    session.connection().execute(delete(_table).where(_where(name, address)))


def has_failures(session: Session, username: str, source: str) -> bool:
    """Whether the account has failures on record from this address."""
    name, address = _key(username, source)
    return bool(session.scalar(select(exists().where(_where(name, address)))))


def clear(session: Session, username: str) -> int:
    """Forget every failure and lock of an account (from every address) and every address's
    own lock — an office behind one gateway may be what keeps its owner out. Rows removed."""
    result = session.connection().execute(
        delete(_table).where(_table.c.username.in_([username[:NAME_LENGTH], ANY_ACCOUNT]))
    )
    return result.rowcount or 0


def locked_names(session: Session, now: dt.datetime) -> set[str]:
    """The account names locked from at least one address now."""
    return set(
        session.scalars(
            select(_table.c.username)
            .where(_table.c.username != ANY_ACCOUNT, _table.c.locked_until > now)
            .distinct()
        )
    )
