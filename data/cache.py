"""A cache for the figures, keyed on the data version that every write moves (data/history.py).

The key holds the database, the function, its arguments and the version read from the database
in the caller's own session, before the figures are computed: a write committed since then has
moved the version, so its readers ask for a new key and never get figures from before it.
Values are stored pickled, so a caller changing its result cannot change what the next caller
gets.

Two tiers (#13 item 6): each process keeps the entries it used last in memory (bounded, least
recently used go first), and every entry is also written to the database's `shared_cache`
table, which all gunicorn workers and all app servers on that database see — so a repeat view
is warm whichever worker answers. Measured for a 200 KB answer (bench/cache_store.py): memory
< 0.01 ms; the SQLite table 0.37 ms to read, 2.5 ms to write; PostgreSQL 3.9 / 2.7 ms; a
diskcache directory 0.11 / 1.0 ms but shared only by the workers of one machine; recomputing a
page 25 ms to 1.5 s. The database is the one store every server already has, so it is the one
used. An entry of an older data version can never be asked for again and is deleted when a
newer one is stored. The shared tier never fails a page: an error (a locked SQLite file, a lost
connection) only costs the recomputation, and on SQLite it waits for the write lock at most
SHARED_BUSY_MS. A write session never stores to it (it would wait for its own lock).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from data.db import BUSY_TIMEOUT_MS, WRITING
from data.history import WROTE
from data.models import DataVersion, SharedCacheEntry

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

MAX_BYTES = 64 * 1024 * 1024
SHARED_MAX_BYTES = 16 * 1024 * 1024  # a larger answer is kept in memory only
SHARED_BUSY_MS = 100

_lock = threading.Lock()
_entries: OrderedDict[Hashable, bytes] = OrderedDict()
_size = 0
stats = {"hits": 0, "misses": 0, "shared_hits": 0, "shared_errors": 0}
_shared_on = True
_shared_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def data_version(session: Session) -> int:
    """The current data version, read in the caller's transaction."""
    return session.scalar(select(DataVersion.n).where(DataVersion.id == 1)) or 0


def use_shared(on: bool) -> None:
    """Turn the shared tier on or off for this process (Settings.shared_cache)."""
    global _shared_on
    _shared_on = on


def clear(memory_only: bool = False) -> None:
    """Forget every entry: this process's and, unless `memory_only`, the shared table of every
    database used so far (benchmarks measure cold callbacks with it)."""
    global _size
    with _lock:
        _entries.clear()
        _size = 0
    if not memory_only:
        for engine in list(_shared_engines):
            try:
                with engine.begin() as conn:
                    conn.execute(delete(SharedCacheEntry))
            except SQLAlchemyError as error:
                log.warning("shared cache not cleared: %s", error)


def _code_version() -> str:
    """What the answers were made by: a digest of the application's code and assets and the
    versions of the libraries that draw them. The shared table outlives a process, so an answer
    drawn by the release before an upgrade must not be served by the one after it; every server
    running the same release computes the same digest."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in ("data", "dashboard", "layouts", "callbacks", "assets"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".js", ".css") and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    for package in ("dash", "plotly", "dash-ag-grid", "dash-bootstrap-components", "sqlalchemy"):
        try:
            digest.update(f"{package}=={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def _digest(key: Hashable) -> str:
    """The shared table's key: a digest of the release and the key's text (the same in every
    process for the values keys hold: strings, numbers, dates, tuples, frozen dataclasses)."""
    return hashlib.sha256(repr((CODE_VERSION, key)).encode()).hexdigest()


def _shareable(engine: Engine | None) -> bool:
    if engine is None or not _shared_on:
        return False
    # An in-memory SQLite database lives in one process: nothing to share.
    return not (engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"))


def _shared_get(engine: Engine, key: Hashable) -> bytes | None:
    # A read: never BEGIN IMMEDIATE, even when the caller's bind is a write session's engine
    # (that would wait for the write lock the caller itself holds).
    reader = engine.execution_options(sqlite_immediate=False)
    try:
        with reader.connect() as conn:
            value = conn.scalar(
                select(SharedCacheEntry.value).where(SharedCacheEntry.key == _digest(key))
            )
    except SQLAlchemyError as error:
        stats["shared_errors"] += 1
        log.warning("shared cache not read: %s", error)
        return None
    return None if value is None else bytes(value)


def _shared_put(engine: Engine, key: Hashable, version: int, value: bytes) -> None:
    _shared_engines.add(engine)
    sqlite = engine.dialect.name == "sqlite"
    writer = engine.execution_options(sqlite_immediate=True) if sqlite else engine
    try:
        with writer.connect() as conn:
            if sqlite:  # wait briefly for a writer, never as long as a page's own write may
                conn.connection.dbapi_connection.execute(f"PRAGMA busy_timeout = {SHARED_BUSY_MS}")
            try:
                with conn.begin():
                    # Entries of older versions can never be asked for again.
                    conn.execute(delete(SharedCacheEntry).where(SharedCacheEntry.version < version))
                    conn.execute(
                        insert(SharedCacheEntry).values(
                            key=_digest(key),
                            version=version,
                            value=value,
                            stored_at=dt.datetime.now(),
                        )
                    )
            except IntegrityError:
                pass  # another worker stored the same answer first
            finally:
                if sqlite:
                    conn.connection.dbapi_connection.execute(
                        f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"
                    )
    except SQLAlchemyError as error:
        stats["shared_errors"] += 1
        log.warning("shared cache not written: %s", error)


def lookup(key: Hashable, engine: Engine | None = None) -> bytes | None:
    """Bytes stored under `key` (dashboard/response_cache.py keeps whole responses here): from
    this process's memory, else from the shared table of `engine`'s database."""
    value = _get(key)
    if value is None and _shareable(engine):
        assert engine is not None
        value = _shared_get(engine, key)
        if value is not None:
            stats["shared_hits"] += 1
            _put(key, value)
    return value


def store(
    key: Hashable, value: bytes, engine: Engine | None = None, version: int | None = None
) -> None:
    """Keep `value` under `key`: in this process's memory, within its size bound, and (given
    the database and the data version the key holds) in the shared table."""
    _put(key, value)
    if version is not None and len(value) <= SHARED_MAX_BYTES and _shareable(engine):
        assert engine is not None
        _shared_put(engine, key, version, value)


def _get(key: Hashable) -> bytes | None:
    with _lock:
        value = _entries.get(key)
        if value is not None:
            _entries.move_to_end(key)
            stats["hits"] += 1
        else:
            stats["misses"] += 1
        return value


def _put(key: Hashable, value: bytes) -> None:
    global _size
    if len(value) > MAX_BYTES // 4:
        return
    with _lock:
        old = _entries.pop(key, None)
        if old is not None:
            _size -= len(old)
        _entries[key] = value
        _size += len(value)
        while _size > MAX_BYTES and _entries:
            _, dropped = _entries.popitem(last=False)
            _size -= len(dropped)


def cached(function: F) -> F:
    """Cache `function(session, *args, **kwargs)` on (database, arguments, data version)."""

    @functools.wraps(function)
    def wrapper(session: Session, *args: Any, **kwargs: Any) -> Any:
        if session.info.get(WROTE):  # this transaction's own, uncommitted writes
            return function(session, *args, **kwargs)
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else None
        version = data_version(session)
        try:
            key: Hashable = (
                function.__module__,
                function.__qualname__,
                str(bind.url),
                version,
                args,
                tuple(sorted(kwargs.items())),
            )
            hash(key)
        except TypeError:  # an unhashable argument (a list): compute without the cache
            return function(session, *args, **kwargs)
        stored = lookup(key, engine)
        if stored is not None:
            return pickle.loads(stored)
        value = function(session, *args, **kwargs)
        # A write session (a snapshot, a briefing computing its figures before it writes) keeps
        # its answers in memory only: storing to the shared table takes a second connection,
        # which on SQLite waits for the write lock this very session holds.
        shared = None if session.info.get(WRITING) else engine
        store(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), shared, version)
        return value

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
