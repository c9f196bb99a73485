"""A cache for the figures, keyed on the data version that every write moves (data/history.py).

The key holds the database, the function, its arguments and the version read from the database
in the caller's own session, before the figures are computed: a write committed since then has
moved the version, so its readers ask for a new key and never get figures from before it. Each
gunicorn worker keeps its own entries; the version comes from the shared database, so workers
need no coordination. Values are stored pickled, so a caller changing its result cannot change
what the next caller gets; the total size is bounded (least recently used entries go first).
"""

from __future__ import annotations

import functools
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.history import WROTE
from data.models import DataVersion

F = TypeVar("F", bound=Callable[..., Any])

MAX_BYTES = 64 * 1024 * 1024

_lock = threading.Lock()
_entries: OrderedDict[Hashable, bytes] = OrderedDict()
_size = 0
stats = {"hits": 0, "misses": 0}


def data_version(session: Session) -> int:
    """The current data version, read in the caller's transaction."""
    return session.scalar(select(DataVersion.n).where(DataVersion.id == 1)) or 0


def clear() -> None:
    """Forget every entry (benchmarks measure cold callbacks with it)."""
    global _size
    with _lock:
        _entries.clear()
        _size = 0


def lookup(key: Hashable) -> bytes | None:
    """Bytes stored under `key` (dashboard/response_cache.py keeps whole responses here)."""
    return _get(key)


def store(key: Hashable, value: bytes) -> None:
    """Keep `value` under `key`, within the shared size bound."""
    _put(key, value)


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
        try:
            key: Hashable = (
                function.__module__,
                function.__qualname__,
                str(session.get_bind().url),
                data_version(session),
                args,
                tuple(sorted(kwargs.items())),
            )
            hash(key)
        except TypeError:  # an unhashable argument (a list): compute without the cache
            return function(session, *args, **kwargs)
        stored = _get(key)
        if stored is not None:
            return pickle.loads(stored)
        value = function(session, *args, **kwargs)
        _put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
