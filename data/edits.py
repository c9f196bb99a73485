"""Edits of existing records: refused, with what changed, when someone else saved in between."""

from __future__ import annotations

from typing import Any

from data.history import plain


class ConflictError(Exception):
    """The record changed since the user opened it; `changes` maps field → (seen, now)."""

    def __init__(self, changes: dict[str, tuple[Any, Any]]) -> None:
        super().__init__("记录已被他人修改")
        self.changes = changes


def check_version(obj: Any, expected_version: int | None, seen: dict[str, Any] | None) -> None:
    """Raise ConflictError when `obj` is not at the version the user edited."""
    if expected_version is None or obj.version == expected_version:
        return
    now = snapshot(obj, list((seen or {}).keys()))
    changes = {key: (seen.get(key), now[key]) for key in now if seen and seen.get(key) != now[key]}
    raise ConflictError(changes)


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The JSON-safe values of some fields of a record (what an edit form starts from)."""
    return {field: plain(getattr(obj, field)) for field in fields}
