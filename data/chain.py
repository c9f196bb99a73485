"""A history that proves itself (#14 item 4).

Every change_log row carries `digest` = SHA-256 over the previous row's digest and its own
content (time, actor, action, record, before, after, note); `history_head` holds the number of
rows and the last digest, so rows cut from the end are noticed too. Rows are only ever added
through `append`, which takes the chain's end under a lock (writers serialise on it; on
PostgreSQL the data-version row is locked first, in the order every writer takes it).

`verify` walks the chain and names the first row that does not match (edited, forged, or the
row after one deleted), checks the end, then replays each audited record's history and compares
it with the record as stored: a record changed by a direct UPDATE that wrote no history, or
deleted, or written without history at all, is named with the field.

The digests need no secret: anyone with write access to the database could recompute the whole
chain. What such a rewrite cannot change is a digest already printed or published elsewhere —
the published snapshots carry the chain's end at publication (#14 item 2), and
`dashboard verify` prints the current end so that it can be written down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from data.masking import PROTECTED_FIELDS
from data.models import Base, ChangeLog, DataVersion, HistoryHead, Snapshot

GENESIS = "0" * 64
CONTENT = ("at", "actor", "user_id", "action", "entity", "entity_id", "before", "after", "note")
# What a record's history sets: a create gives every field, an update or void the changed ones.
SETS_FIELDS = frozenset({"create", "update", "void"})
NOT_REPLAYED = frozenset({"version", "password_hash"})
# The history row of `dashboard demo --force`, which empties the evaluation tables (data/demo.py).
WIPED, WIPED_ENTITY = "demo_reset", "database"
BATCH = 5000


def _default(value: Any) -> Any:
    """What orjson cannot write itself (Decimal; the engine's serializer does the same)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def canonical(value: Any) -> bytes:
    """One byte form of a value, equal before it is stored and after it is read back: sorted
    keys, ISO dates, enums by their value."""
    return orjson.dumps(
        value, default=_default, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )


def _plain(value: Any) -> Any:
    """A value as the JSON columns hold it once read back (dates as ISO text, keys as text)."""
    return orjson.loads(canonical(value))


def _same(stored: Any, recorded: Any) -> bool:
    """Equal as recorded: numbers by value (90 and 90.0), everything else exactly."""
    numbers = (int, float)
    if isinstance(stored, numbers) and isinstance(recorded, numbers):
        both_bool = isinstance(stored, bool) and isinstance(recorded, bool)
        return stored == recorded if both_bool else float(stored) == float(recorded)
    return stored == recorded


def row_digest(previous: str, row: Mapping[str, Any]) -> str:
    """The digest of a history row that follows `previous`."""
    content = {name: row.get(name) for name in CONTENT}
    at = content["at"]
    if isinstance(at, dt.datetime):
        content["at"] = at.isoformat(timespec="microseconds")
    return hashlib.sha256(previous.encode() + b"\n" + canonical(content)).hexdigest()


def append(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add history rows at the end of the chain (the only way rows are added)."""
    if not rows:
        return
    connection = session.connection()
    # Lock order: the data-version row (every writer takes it first), then the chain's end.
    connection.execute(select(DataVersion.n).where(DataVersion.id == 1).with_for_update())
    head = connection.execute(
        select(HistoryHead.digest, HistoryHead.rows).where(HistoryHead.id == 1).with_for_update()
    ).one()
    previous, count = head.digest, head.rows
    stored = []
    for row in rows:
        previous = row_digest(previous, row)
        stored.append({**row, "digest": previous})
    connection.execute(insert(ChangeLog.__table__), stored)
    connection.execute(
        update(HistoryHead)
        .where(HistoryHead.id == 1)
        .values(digest=previous, rows=count + len(stored))
    )


@dataclass(frozen=True)
class Finding:
    """One thing that does not match: where it is and what is wrong (Chinese, for the CLI)."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}：{self.what}"


@dataclass(frozen=True)
class Verification:
    """What `verify` found: the chain's rows and end, and every mismatch."""

    rows: int
    head: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings


def _history_rows(session: Session) -> Iterator[Any]:
    """The history in chain order, fetched in batches (a server-side cursor on PostgreSQL,
    closed even when the walk stops early)."""
    columns = [ChangeLog.id, ChangeLog.digest, *(getattr(ChangeLog, c) for c in CONTENT)]
    query = select(*columns).order_by(ChangeLog.id).execution_options(yield_per=BATCH)
    with session.execute(query) as result:
        yield from result


def verify_chain(
    session: Session, marks: dict[int, str] | None = None
) -> tuple[int, str, list[Finding]]:
    """Walk the chain: (rows, the recomputed end, the first mismatch and the end's). `marks`
    maps row counts to the digest the chain must have had after that many rows (what a
    snapshot recorded); each is filled with the digest found there."""
    previous, count, findings = GENESIS, 0, []
    wanted = marks if marks is not None else {}
    found_at: dict[int, str] = {0: GENESIS} if 0 in wanted else {}
    rows = _history_rows(session)
    for row in rows:
        count += 1
        expected = row_digest(previous, row._mapping)
        if row.digest != expected:
            findings.append(
                Finding(
                    f"修改历史第 {row.id} 条",
                    "与前一条记录的链接不符：该条被改动、伪造，或其前面有记录被删除",
                )
            )
            rows.close()
            break
        previous = expected
        if count in wanted:
            found_at[count] = previous
    head = session.execute(select(HistoryHead.rows, HistoryHead.digest)).one_or_none()
    if not findings and (head is None or (head.rows, head.digest) != (count, previous)):
        recorded = "无" if head is None else f"{head.rows} 条"
        findings.append(
            Finding("修改历史末尾", f"记录的条数（{recorded}）与实有的 {count} 条或末尾摘要不符")
        )
    if marks is not None:
        marks.clear()
        marks.update(found_at)
    return count, previous, findings


def audited_tables() -> list[Any]:
    return [
        mapper.local_table
        for mapper in Base.registry.mappers
        if getattr(mapper.class_, "__audited__", False)
    ]


def recorded_states(
    session: Session, table: str, until: dt.datetime | None = None
) -> dict[str, dict[str, Any]]:
    """Each record of `table` as its history builds it (up to the moment `until`, if given):
    the create's fields, then each change; keyed by the record's id as the history writes it."""
    states: dict[str, dict[str, Any]] = {}
    query = (
        select(ChangeLog.action, ChangeLog.entity_id, ChangeLog.before, ChangeLog.after)
        .where(
            or_(
                and_(ChangeLog.entity == table, ChangeLog.action.in_(SETS_FIELDS)),
                and_(ChangeLog.entity == WIPED_ENTITY, ChangeLog.action == WIPED),
            )
        )
        .order_by(ChangeLog.id)
        .execution_options(yield_per=BATCH)
    )
    if until is not None:
        query = query.where(ChangeLog.at <= until)
    for action, entity_id, before, after in session.execute(query):
        if action == WIPED:
            # `dashboard demo --force` emptied these tables (their counts are the row's before).
            if table in (before or {}):
                states.clear()
            continue
        if entity_id is None or not after:
            continue
        if action == "create":
            states[entity_id] = dict(after)
        else:
            states.setdefault(entity_id, {}).update(after)
    return states


def _mismatch(name: str, stored: Any, recorded: Any) -> str:
    """A field that differs from its history; a complainant's values are never printed."""
    if name in PROTECTED_FIELDS:
        return f"字段 {name} 与修改历史记载不符（有未经记录的修改；投诉人信息不显示）"
    return f"字段 {name} 现为 {stored!r}，修改历史记载为 {recorded!r}（有未经记录的修改）"


def verify_records(session: Session) -> list[Finding]:
    """Replay each audited table's history and compare it with the rows as stored."""
    findings: list[Finding] = []
    for table in audited_tables():
        keys = [c.key for c in table.primary_key.columns]
        states = recorded_states(session, table.name)
        seen: set[str] = set()
        for row in session.execute(select(table).execution_options(yield_per=BATCH)):
            values = row._mapping
            entity_id = ",".join(str(values[k]) for k in keys)
            seen.add(entity_id)
            where = f"{table.name} #{entity_id}"
            state = states.get(entity_id)
            if state is None:
                findings.append(Finding(where, "该记录没有任何修改历史（未经本系统写入）"))
                continue
            for name, recorded in state.items():
                if name in NOT_REPLAYED or name not in values:
                    continue
                stored = _plain(values[name])
                if not _same(stored, recorded):
                    findings.append(Finding(where, _mismatch(name, stored, recorded)))
        for entity_id in states.keys() - seen:
            findings.append(Finding(f"{table.name} #{entity_id}", "修改历史中有此记录，但已被删除"))
    return findings


def verify(session: Session) -> Verification:
    """The chain, its end, every published snapshot, and every audited record against its
    history."""
    from data.snapshots import verify_snapshots

    marks = {rows: "" for rows in session.scalars(select(Snapshot.history_rows))}
    rows, head, findings = verify_chain(session, marks)
    findings.extend(verify_snapshots(session, marks))
    findings.extend(verify_records(session))
    return Verification(rows, head, tuple(findings))
