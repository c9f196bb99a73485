"""Published snapshots of the figures (#14 item 2).

A leader or admin publishes (发布) the figures of a campaign at a date — for the 评议大会, for
each report to the 纠风办. The snapshot keeps the stats JSON of that moment and every figure
the pages and the report read, who published it and when, the history chain's end at that
moment (data/chain.py) and a SHA-256 over all of it; the database refuses to change it.

For a published date the live computation may later differ — a completion backdated, a problem
found 不属实. `compare` names each figure that moved and the recorded changes since publication
that explain it: which problem, which field, who changed it and when.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import Session

from data import cache
from data.chain import Finding, canonical
from data.figures import CampaignFigures, UnitFigures, campaign_figures
from data.forms import FormError
from data.history import HistoryError, record
from data.labels import describe_changes
from data.meetings import Deck, Published, deck_data
from data.models import (
    Campaign,
    ChangeLog,
    DataVersion,
    HistoryHead,
    Problem,
    Snapshot,
    TaskTemplate,
    UnitTask,
)
from data.recorded import recorded_session

PURPOSE_MAX = 100
DEFAULT_PURPOSE = "评议大会"
# The figures compared, in the order a reader meets them, with their names.
FIGURE_NAMES: dict[str, str] = {
    "problems": "问题总数",
    "unfounded": "其中经核查不属实",
    "rectified": "已整改",
    "rectification_rate": "整改完成率",
    "due": "到期问题",
    "on_time": "按期整改",
    "on_time_rate": "按期整改率",
    "overdue_problems": "逾期问题",
    "complaints": "投诉件数",
}
UNIT_FIGURES = ("problems", "unfounded", "rectified", "overdue_problems", "complaints")
# The fields whose change can move a figure at an as-of date.
MOVING_FIELDS: dict[str, frozenset[str]] = {
    "problem": frozenset(
        {
            "status",
            "completed_on",
            "deadline",
            "found_on",
            "voided_at",
            "channel",
            "unit_id",
            "campaign_id",
        }
    ),
    "unit_task": frozenset({"completed_on"}),
}


# ---- the figures as a record, and back ---------------------------------------------------------


def figures_record(figures: CampaignFigures) -> dict[str, Any]:
    """Every field of the figures as JSON values (dates as ISO text)."""
    return orjson_plain(asdict(figures))


def orjson_plain(value: Any) -> Any:
    """A value as the JSON column gives it back."""
    import orjson

    return orjson.loads(canonical(value))


def figures_from_record(data: dict[str, Any]) -> CampaignFigures:
    """The figures a snapshot keeps, as the pages and the report read them."""
    fields = dict(data)
    fields["as_of"] = dt.date.fromisoformat(fields["as_of"])
    fields["by_unit"] = [UnitFigures(**unit) for unit in fields["by_unit"]]
    fields["phase_windows"] = {
        code: (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        for code, (start, end) in fields.get("phase_windows", {}).items()
    }
    return CampaignFigures(**fields)


# ---- publishing --------------------------------------------------------------------------------


def _content(snapshot: Snapshot) -> dict[str, Any]:
    """What the digest covers: everything but the id and the digest."""
    return {
        "year": snapshot.year,
        "as_of": snapshot.as_of.isoformat(),
        "purpose": snapshot.purpose,
        "published_at": snapshot.published_at.isoformat(timespec="microseconds"),
        "published_by": snapshot.published_by,
        "user_id": snapshot.user_id,
        "stats": snapshot.stats,
        "figures": snapshot.figures,
        "history_rows": snapshot.history_rows,
        "history_digest": snapshot.history_digest,
    }


def snapshot_digest(snapshot: Snapshot) -> str:
    """The SHA-256 of a snapshot's content."""
    return hashlib.sha256(canonical(_content(snapshot))).hexdigest()


def publish(session: Session, year: int, as_of: dt.date, purpose: str) -> Snapshot:
    """Publish the campaign-wide figures of `year` at `as_of` (FormError for bad input)."""
    actor, user_id = session.info.get("actor"), session.info.get("user_id")
    if not actor:
        raise HistoryError("发布必须记明操作人")
    purpose = (purpose or "").strip() or DEFAULT_PURPOSE
    if len(purpose) > PURPOSE_MAX:
        raise FormError({"purpose": f"用途不超过 {PURPOSE_MAX} 个字"})
    if session.scalar(select(Campaign.id).where(Campaign.year == year)) is None:
        raise FormError({"year": f"没有 {year} 年度的评议活动"})
    figures = campaign_figures(session, year, as_of)
    # The chain's end, locked in the order every writer takes (data/chain.py append).
    session.execute(select(DataVersion.n).where(DataVersion.id == 1).with_for_update())
    head = session.execute(
        select(HistoryHead.rows, HistoryHead.digest).where(HistoryHead.id == 1).with_for_update()
    ).one()
    snapshot = Snapshot(
        year=year,
        as_of=as_of,
        purpose=purpose,
        published_at=dt.datetime.now(),
        published_by=actor,
        user_id=user_id,
        stats=orjson_plain(figures.to_json()),
        figures=figures_record(figures),
        history_rows=head.rows,
        history_digest=head.digest,
        digest="",
    )
    snapshot.digest = snapshot_digest(snapshot)
    session.add(snapshot)
    session.flush()
    record(
        session,
        "publish",
        "snapshot",
        [
            (
                snapshot.id,
                None,
                {
                    "year": year,
                    "as_of": as_of.isoformat(),
                    "purpose": purpose,
                    "digest": snapshot.digest,
                },
            )
        ],
    )
    return snapshot


def snapshots(session: Session, year: int | None = None) -> list[Snapshot]:
    """The published snapshots, newest first (of one year, if given)."""
    query = select(Snapshot).order_by(Snapshot.published_at.desc(), Snapshot.id.desc())
    if year is not None:
        query = query.where(Snapshot.year == year)
    return list(session.scalars(query))


def snapshot_of(session: Session, snapshot_id: int) -> Snapshot | None:
    """One snapshot by id."""
    return session.get(Snapshot, snapshot_id)


def published_at_date(session: Session, year: int, as_of: dt.date) -> Snapshot | None:
    """The latest snapshot of `year` at exactly `as_of`, if one was published."""
    return session.scalars(
        select(Snapshot)
        .where(Snapshot.year == year, Snapshot.as_of == as_of)
        .order_by(Snapshot.published_at.desc(), Snapshot.id.desc())
        .limit(1)
    ).first()


# ---- published against live --------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One figure that is not what was published."""

    figure: str
    published: Any
    live: Any


@dataclass(frozen=True)
class RecordedChange:
    """A change recorded since publication that can move the published figures."""

    at: dt.datetime
    actor: str
    entity: str
    entity_id: str
    description: str | None
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """A snapshot against today's computation for the same campaign and date."""

    snapshot: Snapshot
    differences: tuple[Difference, ...]
    changes: tuple[RecordedChange, ...]

    @property
    def same(self) -> bool:
        return not self.differences


def _differences(published: dict[str, Any], live: dict[str, Any]) -> list[Difference]:
    found = [
        Difference(name, published.get(key), live.get(key))
        for key, name in FIGURE_NAMES.items()
        if published.get(key) != live.get(key)
    ]
    then_overdue = published.get("overdue_units") or []
    now_overdue = live.get("overdue_units") or []
    left = [u for u in then_overdue if u not in now_overdue]
    joined = [u for u in now_overdue if u not in then_overdue]
    if left or joined:
        found.append(
            Difference(
                "逾期单位",
                f"{len(then_overdue)} 个" + (f"，含 {'、'.join(left)}" if left else ""),
                f"{len(now_overdue)} 个" + (f"，含 {'、'.join(joined)}" if joined else ""),
            )
        )
    then = {u["unit"]: u for u in published.get("by_unit", [])}
    for unit in live.get("by_unit", []):
        before = then.get(unit["unit"], {})
        for key in UNIT_FIGURES:
            if before.get(key) != unit.get(key):
                name = f"{unit['unit']} · {FIGURE_NAMES[key]}"
                found.append(Difference(name, before.get(key), unit.get(key)))
    return found


def _changes_since(session: Session, snapshot: Snapshot) -> list[RecordedChange]:
    """The recorded changes after publication to the campaign's problems and tasks."""
    campaign_id = session.scalar(select(Campaign.id).where(Campaign.year == snapshot.year))
    problem_ids = select(Problem.id).where(Problem.campaign_id == campaign_id)
    records = {
        "problem": select(cast(Problem.id, String)).where(Problem.campaign_id == campaign_id),
        "unit_task": select(cast(UnitTask.id, String))
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .where(TaskTemplate.campaign_id == campaign_id),
    }
    rows = session.scalars(
        select(ChangeLog)
        .where(
            ChangeLog.at > snapshot.published_at,
            ChangeLog.action.in_(("create", "update", "void")),
            or_(
                *(
                    and_(ChangeLog.entity == entity, ChangeLog.entity_id.in_(ids))
                    for entity, ids in records.items()
                )
            ),
        )
        .order_by(ChangeLog.id)
    )
    descriptions = {
        pid: description
        for pid, description in session.execute(
            select(Problem.id, Problem.description).where(Problem.id.in_(problem_ids))
        )
    }
    found = []
    for row in rows:
        after = row.after or {}
        before = row.before or {}
        moving = MOVING_FIELDS[row.entity]
        fields = [f for f in after if f in moving]
        if row.action != "create" and not fields:
            continue
        words = describe_changes(
            row.entity, row.action, [(f, before.get(f), after.get(f)) for f in fields]
        )
        description = descriptions.get(int(row.entity_id)) if row.entity == "problem" else None
        found.append(
            RecordedChange(row.at, row.actor, row.entity, row.entity_id, description, tuple(words))
        )
    return found


def compare(session: Session, snapshot: Snapshot) -> Comparison:
    """The snapshot against today's computation of the same figures, and what explains it."""
    live = orjson_plain(campaign_figures(session, snapshot.year, snapshot.as_of).to_json())
    differences = _differences(snapshot.stats, live)
    changes = _changes_since(session, snapshot) if differences else []
    return Comparison(snapshot, tuple(differences), tuple(changes))


def verify_snapshots(session: Session, walked: dict[int, str]) -> list[Finding]:
    """Each snapshot against its own digest, and the chain's end it recorded against the chain
    as walked (`walked`: the digest after that many rows; missing when the walk stopped)."""
    findings = []
    for snapshot in session.scalars(select(Snapshot).order_by(Snapshot.id)):
        where = f"发布快照 #{snapshot.id}（{snapshot.year}年 截至{snapshot.as_of.isoformat()}）"
        if snapshot_digest(snapshot) != snapshot.digest:
            findings.append(Finding(where, "内容与发布时的摘要不符：快照被改动"))
        elif walked.get(snapshot.history_rows) not in (None, snapshot.history_digest):
            findings.append(
                Finding(where, "发布时记下的修改历史链末摘要与现有修改历史不符：历史被改写")
            )
    return findings


def published_deck(session: Session, snapshot: Snapshot) -> Deck:
    """The 评议大会 deck exactly as it could be drawn when `snapshot` was published: every slide
    computed from the records as the history had them at that moment (data/recorded.py). A
    snapshot never changes, so the deck is kept once made."""
    key = ("published_deck", str(session.get_bind().url), snapshot.id, snapshot.digest)
    kept = cache.lookup(key)
    if kept is not None:
        return pickle.loads(kept)
    with recorded_session(session, snapshot.published_at) as recorded:
        deck = deck_data(recorded, snapshot.year, snapshot.as_of)
    published = Published(snapshot.id, snapshot.published_at, snapshot.purpose, snapshot.digest)
    deck = replace(deck, published=published)
    cache.store(key, pickle.dumps(deck))
    return deck


def published_report(session: Session, snapshot: Snapshot) -> bytes:
    """The 纠风办 report exactly as it could be made when `snapshot` was published (the records
    as the history had them then), its page header naming the snapshot."""
    from data.exports import export_report

    title = f"{snapshot.year}年纠风办报表（发布快照 #{snapshot.id}，{snapshot.purpose}）"
    with recorded_session(session, snapshot.published_at) as recorded:
        return export_report(recorded, snapshot.year, snapshot.as_of, title=title)
