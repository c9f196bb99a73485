"""The append-only change history: every change to evaluation data, who, when, before, after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, event, inspect, literal, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from data.chain import append
from data.masking import mask_name, mask_phone
from data.models import (
    Campaign,
    ChangeLog,
    DataVersion,
    Problem,
    ReportBatch,
    Representative,
    SupervisionRating,
    Unit,
)

SKIPPED = frozenset({"version"})
# Secrets never enter the append-only history (it can never be cleaned): only that they changed.
REDACTED = frozenset({"password_hash"})
SECRET = "（已更改，不记录内容）"


class HistoryError(RuntimeError):
    """A write that the history rules forbid (no actor, or a delete of evaluation data)."""


def plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _columns(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    return {
        key: SECRET if key in REDACTED else plain(state.dict.get(key))
        for key in state.mapper.columns.keys()  # noqa: SIM118 (ColumnCollection) if key not in SKIPPED
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.attrs:
        if attr.key not in state.mapper.columns or attr.key in SKIPPED:
            continue
        hist = attr.history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old != new:
            secret = attr.key in REDACTED
            before[attr.key] = SECRET if secret else plain(old)
            after[attr.key] = SECRET if secret else plain(new)
    return before, after


def _entity_id(obj: Any) -> str:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in key)


def _actor(session: Session) -> tuple[str, int | None]:
    actor = session.info.get("actor")
    if not actor:
        raise HistoryError("评议数据的修改必须记明操作人")
    return actor, session.info.get("user_id")


@event.listens_for(Session, "before_flush")
def _refuse_deletes(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            raise HistoryError(f"评议数据不可删除，只能作废并注明原因：{type(obj).__name__}")


BUMP = update(DataVersion).where(DataVersion.id == 1).values(n=DataVersion.n + 1)


WROTE = "data_version_moved"


def lock_writers(session: Session) -> None:
    """Take the data-version row now, as the first flush would, so that what a write reads
    before it changes anything cannot be changed by another write meanwhile (PostgreSQL's
    READ COMMITTED; SQLite's write transactions are BEGIN IMMEDIATE and already alone)."""
    session.connection().execute(select(DataVersion.n).where(DataVersion.id == 1).with_for_update())


def bump_version(session: Session) -> None:
    """Move the data version in the write's own transaction (the key of data/cache.py).

    Until that transaction ends, the session holds changes no one else sees (and that may be
    rolled back), so data/cache.py neither reads nor stores figures for it."""
    session.info[WROTE] = True
    session.connection().execute(BUMP)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_statement(state: ORMExecuteState) -> None:
    """INSERT/UPDATE/DELETE through session.execute (bulk imports, record()) move the version."""
    if state.is_insert or state.is_update or state.is_delete:
        bump_version(state.session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_over(session: Session) -> None:
    session.info.pop(WROTE, None)


@event.listens_for(Session, "before_flush")
def _bump_before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    # Before the flush's own rows: every writer takes the version row's lock first, so on
    # PostgreSQL two writers always lock in the same order and cannot deadlock on it.
    if session.new or session.dirty or session.deleted:
        bump_version(session)


@event.listens_for(Session, "after_flush")
def _record(session: Session, _ctx: Any) -> None:
    rows: list[dict[str, Any]] = []
    now = dt.datetime.now()
    for obj in session.new:
        if getattr(obj, "__audited__", False):
            rows.append(_row(session, now, "create", obj, None, _columns(obj)))
    for obj in session.dirty:
        if not getattr(obj, "__audited__", False) or not session.is_modified(obj):
            continue
        before, after = _changes(obj)
        if after:
            action = "void" if "voided_at" in after and after["voided_at"] else "update"
            rows.append(_row(session, now, action, obj, before, after))
    if rows:
        append(session, rows)


def _row(
    session: Session,
    now: dt.datetime,
    action: str,
    obj: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    actor, user_id = _actor(session)
    return {
        "at": now,
        "actor": actor,
        "user_id": user_id,
        "action": action,
        "entity": type(obj).__tablename__,
        "entity_id": _entity_id(obj),
        "before": before,
        "after": after,
        "note": None,
    }


def record(
    session: Session,
    action: str,
    entity: str,
    entries: Iterable[tuple[Any, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    note: str | None = None,
) -> int:
    """Record changes made without the ORM (bulk imports, reveals); returns rows written."""
    actor, user_id = _actor(session)
    now = dt.datetime.now()
    # Values go to the JSON columns as they are: the engine's serializer (data/db.py) writes
    # dates and datetimes in the ISO form plain() gives, in C rather than a Python loop.
    rows = [
        {
            "at": now,
            "actor": actor,
            "user_id": user_id,
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "before": None if before is None else dict(before),
            "after": None if after is None else dict(after),
            "note": note,
        }
        for entity_id, before, after in entries
    ]
    if rows:
        bump_version(session)
        # Core, not the ORM's bulk path: the rows are plain values already.
        append(session, rows)
    return len(rows)


def history_of(session: Session, entity: str, entity_id: int | str, limit: int = 100) -> list[Any]:
    """A record's history, newest first (ChangeLog rows)."""
    return list(
        session.scalars(
            select(ChangeLog)
            .where(ChangeLog.entity == entity, ChangeLog.entity_id == str(entity_id))
            .order_by(ChangeLog.id.desc())
            .limit(limit)
        )
    )


# ---- the history as shown (修改历史) -------------------------------------------------------

# Complainants stay masked in every history view, whatever the role.
MASKS = {"complainant_name": mask_name, "complainant_phone": mask_phone}


@dataclass
class HistoryEntry:
    """One change of a record as shown on screen (complainant fields masked); `entity` is the
    kind of record its fields are named by, when not the history's own."""

    at: dt.datetime
    actor: str
    action: str
    note: str | None
    changes: list[tuple[str, Any, Any]]
    entity: str | None = None


@dataclass
class History:
    """A record's history as shown: its kind (ChangeLog.entity), the entries newest first, and
    the names of the units and campaigns its id fields point to (see data/labels.py)."""

    entity: str
    entries: list[HistoryEntry]
    lookups: dict[str, dict[Any, str]] = field(default_factory=dict)


def _masked(name: str, value: Any) -> Any:
    mask = MASKS.get(name)
    return mask(value) if mask is not None else value


def entry_of(row: Any) -> HistoryEntry:
    """A ChangeLog row as shown: each field's before and after, complainants masked; a reveal
    shows nothing of what was seen (its note says what happened)."""
    before, after = row.before or {}, row.after or {}
    changes = [
        (name, _masked(name, before.get(name)), _masked(name, value))
        for name, value in after.items()
        if name != "fields" and (row.action != "create" or value not in (None, False, ""))
    ]
    if row.action == "reveal":
        changes = []
    return HistoryEntry(row.at, row.actor, row.action, row.note, changes)


# The fields holding another record's id, and how to name that record (unit_id → its name).
NAMED_IDS: dict[str, tuple[Any, Any]] = {
    "unit_id": (Unit.id, Unit.name),
    "campaign_id": (Campaign.id, Campaign.year),
    "representative_id": (Representative.id, Representative.name),
    # A 纠风办 report batch by its number and date: 第2批（2024-09-20）.
    "report_batch_id": (
        ReportBatch.id,
        literal("第")
        + cast(ReportBatch.number, String)
        + literal("批（")
        + cast(ReportBatch.reported_on, String)
        + literal("）"),
    ),
}


def _lookups(session: Session, entries: list[HistoryEntry]) -> dict[str, dict[Any, str]]:
    """The names of the records the id fields of the entries point to (units by name, campaigns
    by year, representatives by name), one query per kind of record."""
    wanted: dict[str, set[int]] = {name: set() for name in NAMED_IDS}
    for entry in entries:
        for name, before, after in entry.changes:
            if name in wanted:
                wanted[name].update(v for v in (before, after) if isinstance(v, int))
    names: dict[str, dict[Any, str]] = {}
    for name, ids in wanted.items():
        key, label = NAMED_IDS[name]
        rows = session.execute(select(key, label).where(key.in_(ids))) if ids else []
        names[name] = {i: str(value) for i, value in rows}
    return names


def record_history(
    session: Session, entity: str, entity_id: int | str, limit: int = 100
) -> History:
    """A record's history as shown, newest first, with the names its id fields point to; a
    visit's includes its ratings and the follow-ups it filed (see visit_history)."""
    if entity == "supervision_visit":
        return visit_history(session, int(entity_id), limit)
    entries = [entry_of(row) for row in history_of(session, entity, entity_id, limit)]
    return History(entity, entries, _lookups(session, entries))


# ---- a visit's history: the visit, its ratings and its follow-ups as one ------------------

# A rating or a follow-up written within this long of a change of the visit, by the same
# person, was written by the same save (each flush stamps its own time).
SAME_SAVE = dt.timedelta(seconds=2)


def _children(session: Session, entity: str, ids: dict[str, Any], limit: int) -> list[Any]:
    """The ChangeLog rows of some records of one kind (by id), newest first."""
    if not ids:
        return []
    return list(
        session.scalars(
            select(ChangeLog)
            .where(ChangeLog.entity == entity, ChangeLog.entity_id.in_(list(ids)))
            .order_by(ChangeLog.id.desc())
            .limit(limit)
        )
    )


def _by_id(row: Any) -> int:
    return row.id


def _rating_entry(row: Any, criterion: str) -> HistoryEntry:
    """A rating's creation or change as a change of its visit: `ratings.<criterion>`."""
    before, after = row.before or {}, row.after or {}
    change = (f"ratings.{criterion}", before.get("rating"), after.get("rating"))
    return HistoryEntry(row.at, row.actor, "update", row.note, [change], "supervision_visit")


def _follow_up_entry(row: Any) -> HistoryEntry:
    """A follow-up the visit filed (a new problem) as a change of its visit."""
    change = ("follow_up", None, (row.after or {}).get("description"))
    return HistoryEntry(row.at, row.actor, "update", None, [change], "supervision_visit")


def merged(entries: list[HistoryEntry], children: list[HistoryEntry]) -> list[HistoryEntry]:
    """The record's entries with its children's changes each put into the entry of the same
    save (same person, within SAME_SAVE), or into an entry of their own; newest first."""
    shown = list(entries)
    for child in sorted(children, key=lambda e: e.at):
        home = next(
            (e for e in shown if e.actor == child.actor and abs(e.at - child.at) <= SAME_SAVE),
            None,
        )
        if home is None or home.action not in ("create", "update"):
            shown.append(child)
        else:
            home.changes.extend(child.changes)
    return sorted(shown, key=lambda e: e.at, reverse=True)


def visit_history(session: Session, visit_id: int, limit: int = 100) -> History:
    """A visit's history as shown: its own changes, its ratings given or changed, and the
    follow-ups it filed, each in the entry of the save that made it, in the visit's words."""
    own = [entry_of(row) for row in history_of(session, "supervision_visit", visit_id, limit)]
    criteria = {
        str(i): code
        for i, code in session.execute(
            select(SupervisionRating.id, SupervisionRating.criterion_code).where(
                SupervisionRating.visit_id == visit_id
            )
        )
    }
    follow_ups = {
        str(i): i for i in session.scalars(select(Problem.id).where(Problem.visit_id == visit_id))
    }
    # Oldest first: the ratings of one save are then listed in the order they were given.
    ratings = sorted(_children(session, "supervision_rating", criteria, limit), key=_by_id)
    filed = sorted(_children(session, "problem", follow_ups, limit), key=_by_id)
    children = [
        _rating_entry(row, criteria[row.entity_id])
        for row in ratings
        if row.after and "rating" in row.after
    ] + [_follow_up_entry(row) for row in filed if row.action == "create"]
    entries = merged(own, children)[:limit]
    return History("supervision_visit", entries, _lookups(session, entries))
