"""Edits of existing records: refused, with what changed, when someone else saved in between —
and refused when the save does not say which version it was opened at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from data.history import plain

CHANGED = "记录已被他人修改"
EXPIRED = "页面已过期，请刷新后再保存"


class ConflictError(Exception):
    """The record changed since the user opened it; `changes` maps field → (seen, now)."""

    def __init__(self, changes: dict[str, tuple[Any, Any]], message: str = CHANGED) -> None:
        super().__init__(message)
        self.changes = changes


class VersionMissing(ConflictError):
    """An edit that does not name the version it was opened at (a page older than the record's
    versions, or a hand-made request): refused, since it cannot be told from a stale one."""

    def __init__(self) -> None:
        super().__init__({}, EXPIRED)


def check_version(obj: Any, expected_version: int | None, seen: dict[str, Any] | None) -> None:
    """Raise ConflictError when `obj` is not at the version the user edited, VersionMissing when
    no version was given."""
    if expected_version is None or isinstance(expected_version, bool):
        raise VersionMissing
    if obj.version == expected_version:
        return
    # `seen` comes back from the browser: only the record's own columns are compared.
    seen = seen if isinstance(seen, dict) else {}
    state = inspect(obj, raiseerr=False)
    columns = set(state.mapper.columns.keys()) if state is not None else set()
    now = snapshot(obj, [key for key in seen if key in columns])
    changes = {key: (seen.get(key), now[key]) for key in now if seen.get(key) != now[key]}
    raise ConflictError(changes)


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The JSON-safe values of some fields of a record (what an edit form starts from)."""
    return {field: plain(getattr(obj, field)) for field in fields}
