"""Engine and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL by URL."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

import data.history  # noqa: F401  (registers the history listeners on every Session)

DEFAULT_SQLITE = Path("instance") / "campaign.db"
BUSY_TIMEOUT_MS = 15_000
# Server engines made in this process, so a test (or a forked worker) can close their pools.
_SERVER_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def database_url(url: str | None = None) -> str:
    """The database URL: the argument, else DATABASE_URL, else SQLite at instance/campaign.db."""
    url = url or os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{DEFAULT_SQLITE.resolve()}"


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout on every SQLite connection; BEGIN IMMEDIATE for writes."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so writers can BEGIN IMMEDIATE and wait
        # for the lock up front instead of failing when a read transaction upgrades.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Set in the info of every session Database.write opens: on SQLite it holds the write lock from
# its first statement, so nothing it calls may wait for that lock on a second connection.
WRITING = "writing"


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def json_text(value: Any) -> str:
    """JSON columns (history, settings) as compact UTF-8 text; dates in ISO form."""
    return orjson.dumps(value, default=_json_default, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create the engine for a URL, creating the SQLite file's folder when needed."""
    url = database_url(url)
    kwargs.setdefault("json_serializer", json_text)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _sqlite_pragmas(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _SERVER_ENGINES.add(engine)
    return engine


def dispose_engines(database: str | None = None) -> None:
    """Close the pooled connections of every server engine (of one database name, if given)."""
    for engine in list(_SERVER_ENGINES):
        if database is None or engine.url.database == database:
            engine.dispose()


@dataclass
class Database:
    """One engine with a read session factory and a write session factory."""

    engine: Engine
    _read: sessionmaker[Session] = field(init=False)
    _write: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(sqlite_immediate=True)
        self._write = sessionmaker(writer, expire_on_commit=False)
        if not self.is_sqlite:
            # A Database dropped without dispose() (a CLI command, a test's app) closes its
            # server connections cleanly instead of leaving them to the garbage collector.
            weakref.finalize(self, self.engine.dispose)

    @classmethod
    def from_url(cls, url: str | None = None) -> Database:
        """A Database for a URL (or DATABASE_URL, or the default SQLite file)."""
        return cls(make_engine(url))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closing it ends its transaction (loaded objects stay readable)."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self, actor: str, user_id: int | None = None) -> Iterator[Session]:
        """A session whose changes are committed together, recorded in the history as `actor`."""
        with self._write() as session:
            session.info[WRITING] = True
            session.info["actor"] = actor
            session.info["user_id"] = user_id
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
