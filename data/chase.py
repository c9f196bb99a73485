"""The reminder ladder (#15 催办): one day's steps for every open item, made once each.

Open items are problems (not voided, not rectified, not unfounded), meeting questions to be
answered later (answer_mode follow_up with a reply deadline and no reply yet; a question put to
the bureau as a whole has no unit) and phase tasks (a unit's task whose template applies to its
kind, is not retired and not derived, and which is not completed; its deadline is the end of the
template's phase). For each item and deadline the ladder, counted by the bureau's day counter
(data/workdays.py), is

    提醒 remind    remind_before counted days before the deadline (only until it passes)
    催办 chase     the first counted day after the deadline (the first day overdue)
    督办 escalate  escalate_after counted days after the chase day, to the leader in charge
    重点督查 focus  focus_after counted days after the chase day, listed for the 纠风办

A run on a day makes every step due on or before it that is not yet made (a missed day is caught
up), except a reminder whose deadline has passed. Each step is one chase_step row, unique per
(item_kind, item_id, deadline, step) and inserted with ON CONFLICT DO NOTHING, so that two
servers running the same day make it exactly once. Steps are made set-wise, one INSERT … SELECT
per kind of item and step: the ladder is computed in Python once per distinct deadline only.

Steps of items since done end (ended_on); a changed deadline ends the old deadline's steps and
starts a new ladder. The 催办 steps a run makes for a unit are gathered in one 催办通知书 of the
day, its 督办 steps in one 督办通知书, numbered per year and kind.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from data.chase_settings import ChaseSettings, chase_settings
from data.db import Database
from data.history import bump_version, lock_writers, record
from data.models import (
    Campaign,
    ChaseNotice,
    ChaseRun,
    ChaseStep,
    MeetingQuestion,
    Phase,
    Problem,
    TaskTemplate,
    Unit,
    UnitTask,
    User,
)
from data.reference import RECTIFIED_STATUSES, AnswerMode, Role, Status
from data.workdays import DayCounter, day_counter

log = logging.getLogger(__name__)

ITEM_KINDS: tuple[str, ...] = ("problem", "question", "task")
STEPS: tuple[str, ...] = ("remind", "chase", "escalate", "focus")
# The steps gathered in a notice to the unit, and the notice's kind.
NOTICE_STEPS: dict[str, str] = {"chase": "chase", "escalate": "escalate"}

ITEM_NAMES: dict[str, str] = {"problem": "问题", "question": "大会提问", "task": "阶段任务"}
STEP_NAMES: dict[str, str] = {
    "remind": "提醒",
    "chase": "催办",
    "escalate": "督办",
    "focus": "重点督查",
}
NOTICE_NAMES: dict[str, str] = {"chase": "催办通知书", "escalate": "督办通知书"}

# Recipients in words: a question put to the bureau as a whole is answered by the bureau; 督办
# goes to the leaders in charge of the unit's kind (局领导 when none is assigned); 重点督查 is
# the 纠风办's list.
BUREAU = "局机关"
LEADERS = "局领导"
FOCUS_OFFICE = "纠风办"

SOURCES: dict[str, str] = {"cli": "命令行", "server": "服务器"}
# Rows per statement when steps are named by id, and distinct deadlines per INSERT … SELECT.
CHUNK = 500
# Steps made in one run after which PostgreSQL's statistics of chase_step are refreshed.
ANALYZE_AFTER = 10_000


def actor_for(source: str) -> str:
    """The history's actor for a run from `source` (cli, server, …)."""
    return f"自动催办（{SOURCES.get(source, source)}）"


# ---- the ladder ---------------------------------------------------------------------------


def ladder(counter: DayCounter, settings: ChaseSettings, deadline: dt.date) -> dict[str, dt.date]:
    """Each step's day for a deadline, counted in the bureau's mode."""
    chase_day = counter.first_after(deadline)
    return {
        "remind": counter.add(deadline, -settings.remind_before),
        "chase": chase_day,
        "escalate": counter.add(chase_day, settings.escalate_after),
        "focus": counter.add(chase_day, settings.focus_after),
    }


def due_steps(days: dict[str, dt.date], deadline: dt.date, day: dt.date) -> dict[str, dt.date]:
    """The steps of a ladder due on or before `day` (a reminder only while the deadline has not
    passed), with their ladder days."""
    return {
        step: due
        for step, due in days.items()
        if due <= day and (step != "remind" or day <= deadline)
    }


# ---- the open items -----------------------------------------------------------------------


def _task_applies() -> Any:
    """A task template applies to the unit's kind (no kinds: to every kind), as
    data.campaigns.generate_unit_items says."""
    return or_(
        TaskTemplate.kinds.is_(None),
        cast(TaskTemplate.kinds, String).contains(literal('"') + Unit.kind + literal('"')),
    )


def _owed_task_conditions() -> list[Any]:
    """A template a unit owes: not retired, not derived (archive tasks follow the archive),
    applying to the unit's kind, the unit not retired."""
    return [
        TaskTemplate.retired_at.is_(None),
        TaskTemplate.derived_from.is_(None),
        Unit.retired_on.is_(None),
        _task_applies(),
    ]


def current_campaign(day: dt.date) -> Any:
    """The id of the campaign under way on `day`: the latest one whose first phase has begun.
    Last year's phase tasks are chased until the new campaign begins, then no longer (its
    phases are over and cannot be done any more); problems and the representatives' questions
    are chased whatever their year, until they are rectified or answered."""
    return (
        select(Campaign.id)
        .join(Phase, Phase.campaign_id == Campaign.id)
        .where(Phase.starts_on <= day)
        .order_by(Campaign.year.desc())
        .limit(1)
        .scalar_subquery()
    )


def open_items(kind: str, day: dt.date) -> Select[Any]:
    """The open items of a kind on `day`: item_id, campaign_id, unit_id, deadline, unit_name,
    unit_kind and since (the day from which the item exists or is owed). Tasks only of the
    campaign under way (current_campaign)."""
    if kind == "problem":
        p = Problem
        return (
            select(
                p.id.label("item_id"),
                p.campaign_id.label("campaign_id"),
                p.unit_id.label("unit_id"),
                p.deadline.label("deadline"),
                Unit.name.label("unit_name"),
                Unit.kind.label("unit_kind"),
                p.found_on.label("since"),
            )
            .join(Unit, Unit.id == p.unit_id)
            .where(
                p.voided_at.is_(None),
                p.status.not_in([*RECTIFIED_STATUSES, Status.UNFOUNDED]),
            )
        )
    if kind == "question":
        q = MeetingQuestion
        return (
            select(
                q.id.label("item_id"),
                q.campaign_id.label("campaign_id"),
                q.unit_id.label("unit_id"),
                q.reply_deadline.label("deadline"),
                Unit.name.label("unit_name"),
                Unit.kind.label("unit_kind"),
                q.asked_on.label("since"),
            )
            .outerjoin(Unit, Unit.id == q.unit_id)
            .where(
                q.answer_mode == AnswerMode.FOLLOW_UP,
                q.reply_deadline.is_not(None),
                q.replied_on.is_(None),
            )
        )
    if kind == "task":
        return (
            select(
                UnitTask.id.label("item_id"),
                TaskTemplate.campaign_id.label("campaign_id"),
                UnitTask.unit_id.label("unit_id"),
                Phase.ends_on.label("deadline"),
                Unit.name.label("unit_name"),
                Unit.kind.label("unit_kind"),
                Phase.starts_on.label("since"),
            )
            .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
            .join(
                Phase,
                and_(
                    Phase.campaign_id == TaskTemplate.campaign_id,
                    Phase.code == TaskTemplate.phase_code,
                ),
            )
            .join(Unit, Unit.id == UnitTask.unit_id)
            .where(
                UnitTask.completed_on.is_(None),
                TaskTemplate.campaign_id == current_campaign(day),
                *_owed_task_conditions(),
            )
        )
    raise ValueError(f"unknown item kind {kind!r}")


def _deadlines(session: Session, kind: str, day: dt.date) -> list[dt.date]:
    """The distinct deadlines of a kind's open items that exist on `day` (for tasks: the ends
    of the phases of owed templates, whether or not a unit has its task row yet)."""
    if kind == "task":
        phases = (
            select(Phase.ends_on)
            .join(
                TaskTemplate,
                and_(
                    Phase.campaign_id == TaskTemplate.campaign_id,
                    Phase.code == TaskTemplate.phase_code,
                ),
            )
            .where(
                TaskTemplate.retired_at.is_(None),
                TaskTemplate.derived_from.is_(None),
                TaskTemplate.campaign_id == current_campaign(day),
                Phase.starts_on <= day,
            )
            .distinct()
        )
        return sorted(session.scalars(phases))
    items = open_items(kind, day).subquery()
    query = (
        select(items.c.deadline)
        .where(or_(items.c.since.is_(None), items.c.since <= day))
        .distinct()
    )
    return sorted(session.scalars(query))


def _add_missing_tasks(session: Session, deadlines: Sequence[dt.date], day: dt.date) -> int:
    """Give units the unit_task rows they lack for owed templates whose phase ends on one of
    `deadlines` (a unit with no row yet still owes the task), recorded in the history. Only in
    the campaign under way on `day`: a unit set up later is not chased for the tasks of
    campaigns that are over."""
    if not deadlines:
        return 0
    wanted = (
        select(TaskTemplate.id.label("template_id"), Unit.id.label("unit_id"))
        .join(
            Phase,
            and_(
                Phase.campaign_id == TaskTemplate.campaign_id,
                Phase.code == TaskTemplate.phase_code,
            ),
        )
        .join(Unit, true())
        .join(Campaign, Campaign.id == TaskTemplate.campaign_id)
        .where(
            Phase.ends_on.in_(list(deadlines)),
            TaskTemplate.campaign_id == current_campaign(day),
            *_owed_task_conditions(),
            ~exists().where(UnitTask.template_id == TaskTemplate.id, UnitTask.unit_id == Unit.id),
        )
        .order_by(TaskTemplate.id, Unit.id)
    )
    rows = [dict(row._mapping) for row in session.execute(wanted)]
    if not rows:
        return 0
    table = UnitTask.__table__
    statement = (
        _insert(session, table)
        .values([{**row, "version": 1} for row in rows])
        .on_conflict_do_nothing(index_elements=["template_id", "unit_id"])
        .returning(table.c.id, table.c.template_id, table.c.unit_id)
    )
    made = session.execute(statement).all()
    record(
        session,
        "create",
        table.name,
        [
            (r.id, None, {"id": r.id, "template_id": r.template_id, "unit_id": r.unit_id})
            for r in made
        ],
        note="催办：该单位应完成的任务",
    )
    return len(made)


def _insert(session: Session, table: Any) -> Any:
    """The dialect's INSERT (with ON CONFLICT) for the session's database."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


# ---- recipients ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaders:
    """The leaders in charge of each unit kind: the first one's account and all their names."""

    by_kind: dict[str, tuple[int, str]]

    @classmethod
    def load(cls, session: Session) -> Leaders:
        """The active leader accounts and the kinds in their charge (app_user.in_charge_of)."""
        found: dict[str, list[tuple[int, str]]] = defaultdict(list)
        query = (
            select(User.id, User.display_name, User.in_charge_of)
            .where(User.role == Role.LEADER, User.active.is_(True))
            .order_by(User.id)
        )
        for user_id, name, kinds in session.execute(query):
            for kind in kinds or []:
                found[str(kind)].append((user_id, name))
        return cls(
            {
                kind: (people[0][0], "、".join(name for _, name in people))
                for kind, people in found.items()
            }
        )

    def recipient(self, unit_kind: Any) -> Any:
        """SQL: the names of the leaders in charge of the unit's kind (else 局领导)."""
        if not self.by_kind:
            return literal(LEADERS)
        names = {kind: literal(name) for kind, (_, name) in self.by_kind.items()}
        return case(names, value=unit_kind, else_=literal(LEADERS))

    def leader_id(self, unit_kind: Any) -> Any:
        """SQL: the account of the first leader in charge of the unit's kind (else NULL)."""
        if not self.by_kind:
            return cast(null(), Integer)
        ids = {kind: literal(user_id) for kind, (user_id, _) in self.by_kind.items()}
        return case(ids, value=unit_kind, else_=cast(null(), Integer))


def _recipient(step: str, items: Any, leaders: Leaders) -> tuple[Any, Any]:
    """SQL for a step's recipient in words and the leader's account."""
    if step == "escalate":
        return leaders.recipient(items.c.unit_kind), leaders.leader_id(items.c.unit_kind)
    if step == "focus":
        return literal(FOCUS_OFFICE), cast(null(), Integer)
    return func.coalesce(items.c.unit_name, literal(BUREAU)), cast(null(), Integer)


# ---- the run ------------------------------------------------------------------------------


@dataclass
class ChaseResult:
    """What a run made (or, dry, would make): steps by (item kind, step), steps ended and
    reopened, notices by kind, task rows added, messages queued."""

    day: dt.date
    dry_run: bool = False
    source: str = "cli"
    created: dict[tuple[str, str], int] = field(default_factory=dict)
    ended: int = 0
    reopened: int = 0
    notices: dict[str, int] = field(default_factory=dict)
    tasks_added: int = 0
    messages: int = 0
    step_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Steps made."""
        return sum(self.created.values())

    @property
    def changed(self) -> bool:
        """Whether the run made or changed anything."""
        return bool(self.total or self.ended or self.reopened or self.tasks_added)

    def lines(self) -> list[str]:
        """What was done (or would be), in Chinese, for the command line and the log."""
        verb = "将" if self.dry_run else "已"
        head = f"{self.day.isoformat()} 催办" + (
            "（试运行，未写入任何数据）" if self.dry_run else ""
        )
        lines = [head]
        if not self.changed:
            lines.append("没有需要新建或结束的催办步骤")
            return lines
        for step in STEPS:
            counts = [
                f"{ITEM_NAMES[kind]} {self.created[(kind, step)]} 件"
                for kind in ITEM_KINDS
                if self.created.get((kind, step))
            ]
            if counts:
                lines.append(f"{verb}{STEP_NAMES[step]}：{'，'.join(counts)}")
        for kind, name in NOTICE_NAMES.items():
            if self.notices.get(kind):
                lines.append(f"{verb}生成{name} {self.notices[kind]} 份")
        if self.ended:
            lines.append(f"{verb}结束 {self.ended} 个步骤（事项已办结、期限已调整或评议年度已过）")
        if self.reopened:
            lines.append(f"{verb}恢复 {self.reopened} 个步骤（事项重新打开）")
        if self.tasks_added:
            lines.append(f"{verb}为单位补建应完成的任务 {self.tasks_added} 项")
        if self.messages:
            lines.append(f"{verb}排队发送消息 {self.messages} 条")
        return lines


def run_chase(
    database: Database, day: dt.date, *, dry_run: bool = False, source: str = "cli"
) -> ChaseResult:
    """One day's ladder for every open item: make the steps due, end the steps of items done,
    gather the day's notices, queue the messages. A dry run does the same work in a
    transaction it rolls back: it writes nothing and reports what it would do."""
    result = ChaseResult(day=day, dry_run=dry_run, source=source)
    try:
        with database.write(actor_for(source)) as session:
            chase_day(session, day, result)
            if dry_run:
                raise _DryRun
            if result.step_ids:
                result.messages = _queue(session, result.step_ids)
            _finish_run(session, day, source, result.total)
    except _DryRun:
        pass  # database.write rolled everything back
    return result


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction is rolled back."""


def chase_day(session: Session, day: dt.date, result: ChaseResult | None = None) -> ChaseResult:
    """The day's steps, endings and notices in the caller's write session (no messages)."""
    result = result if result is not None else ChaseResult(day=day)
    # Writers take the data-version row first (data/history.py): so does the run, without
    # moving it, so that two runs, or a run and a page's save, always lock in the same order.
    lock_writers(session)
    settings = chase_settings(session)
    counter = day_counter(session, settings)
    leaders = Leaders.load(session)
    for kind in ITEM_KINDS:
        result.ended += _end_steps(session, kind, day)
        result.reopened += _reopen_steps(session, kind, day)
    made: list[dict[str, Any]] = []
    for kind in ITEM_KINDS:
        deadlines = _deadlines(session, kind, day)
        plans = {d: due_steps(ladder(counter, settings, d), d, day) for d in deadlines}
        if kind == "task":
            due = [d for d in plans if plans[d]]
            result.tasks_added += _add_missing_tasks(session, due, day)
        for step in STEPS:
            mapping = {d: due[step] for d, due in plans.items() if step in due}
            rows = _make_steps(session, kind, step, mapping, day, leaders)
            if rows:
                result.created[(kind, step)] = len(rows)
                made.extend(rows)
    if len(made) >= ANALYZE_AFTER and session.get_bind().dialect.name == "postgresql":
        # Fresh statistics at once (autovacuum comes later): tomorrow's anti-join against the
        # steps is planned for the table as it is now, not as the empty one it was.
        session.connection().exec_driver_sql("ANALYZE chase_step")
    if made:
        result.notices = _gather_notices(session, made, day, counter)
        record(
            session,
            "create",
            ChaseStep.__tablename__,
            [(row["id"], None, row) for row in made],
            note=f"{day.isoformat()} 催办",
        )
    result.step_ids = [row["id"] for row in made]
    return result


def _make_steps(
    session: Session,
    kind: str,
    step: str,
    mapping: dict[dt.date, dt.date],
    day: dt.date,
    leaders: Leaders,
) -> list[dict[str, Any]]:
    """Insert a step for every open item of a kind whose deadline is in `mapping` (deadline →
    the step's ladder day) and that does not have it yet; the rows made."""
    if not mapping:
        return []
    table = ChaseStep.__table__
    cs = ChaseStep
    made: list[dict[str, Any]] = []
    deadlines = sorted(mapping)
    for i in range(0, len(deadlines), CHUNK):
        chunk = deadlines[i : i + CHUNK]
        items = open_items(kind, day).subquery()
        due_on = case({d: literal(mapping[d], Date) for d in chunk}, value=items.c.deadline)
        recipient, leader_id = _recipient(step, items, leaders)
        query = (
            select(
                literal(kind, String).label("item_kind"),
                items.c.item_id,
                items.c.campaign_id,
                items.c.unit_id,
                literal(step, String).label("step"),
                items.c.deadline,
                due_on.label("due_on"),
                literal(day, Date).label("created_on"),
                recipient.label("recipient"),
                leader_id.label("leader_id"),
            )
            .where(
                items.c.deadline.in_(chunk),
                or_(items.c.since.is_(None), items.c.since <= day),
                ~exists().where(
                    cs.item_kind == kind,
                    cs.item_id == items.c.item_id,
                    cs.deadline == items.c.deadline,
                    cs.step == step,
                ),
            )
            .order_by(items.c.item_id)
        )
        names = [
            "item_kind",
            "item_id",
            "campaign_id",
            "unit_id",
            "step",
            "deadline",
            "due_on",
            "created_on",
            "recipient",
            "leader_id",
        ]
        statement = (
            _insert(session, table)
            .from_select(names, query)
            .on_conflict_do_nothing(index_elements=["item_kind", "item_id", "deadline", "step"])
            .returning(*table.c)
        )
        # On the connection: an INSERT that makes nothing does not move the data version.
        rows = [dict(row._mapping) for row in session.connection().execute(statement)]
        if rows:
            bump_version(session)
            made.extend(rows)
    return made


def _steps_where_open(kind: str, day: dt.date, ended: bool) -> Select[Any]:
    """The ids of a kind's steps that are ended (or not) while their item is open with the
    same deadline (when `ended`) or not (when not)."""
    cs = ChaseStep
    items = open_items(kind, day).subquery()
    same = exists().where(items.c.item_id == cs.item_id, items.c.deadline == cs.deadline)
    if ended:
        return select(cs.id).where(cs.item_kind == kind, cs.ended_on.is_not(None), same)
    return select(cs.id).where(cs.item_kind == kind, cs.ended_on.is_(None), ~same)


ENDED_NOTE = "催办：事项已办结、期限已调整或评议年度已过"


def _set_ended(session: Session, ids: Sequence[int], before: Any, after: Any) -> int:
    """Set ended_on of steps by id (recorded in the history)."""
    table = ChaseStep.__table__
    for i in range(0, len(ids), CHUNK):
        chunk = list(ids[i : i + CHUNK])
        session.execute(update(table).where(table.c.id.in_(chunk)).values(ended_on=after))
    record(
        session,
        "update",
        table.name,
        [(i, {"ended_on": before}, {"ended_on": after}) for i in ids],
        note=ENDED_NOTE if after is not None else "催办：事项重新打开",
    )
    return len(ids)


def _end_steps(session: Session, kind: str, day: dt.date) -> int:
    """End the open steps of a kind's items that are done or whose deadline changed."""
    ids = list(session.scalars(_steps_where_open(kind, day, ended=False).order_by(ChaseStep.id)))
    return _set_ended(session, ids, None, day) if ids else 0


def _reopen_steps(session: Session, kind: str, day: dt.date) -> int:
    """Reopen the ended steps of items open again with the same deadline (a problem set back
    to 整改中, a question's reply withdrawn)."""
    query = _steps_where_open(kind, day, ended=True).add_columns(ChaseStep.ended_on)
    rows = session.execute(query.order_by(ChaseStep.id)).all()
    if not rows:
        return 0
    table = ChaseStep.__table__
    for i in range(0, len(rows), CHUNK):
        chunk = [row.id for row in rows[i : i + CHUNK]]
        session.execute(update(table).where(table.c.id.in_(chunk)).values(ended_on=None))
    record(
        session,
        "update",
        table.name,
        [(row.id, {"ended_on": row.ended_on}, {"ended_on": None}) for row in rows],
        note="催办：事项重新打开",
    )
    return len(rows)


# ---- notices ------------------------------------------------------------------------------


def _gather_notices(
    session: Session, made: list[dict[str, Any]], day: dt.date, counter: DayCounter
) -> dict[str, int]:
    """Put the 催办 and 督办 steps made for each unit into the unit's notice of the day (made
    when it does not exist yet) and fix what each of those notices says; sets notice_id on
    the rows. Returns notices made by kind."""
    from data.notices import fix_contents

    wanted: dict[str, set[int]] = defaultdict(set)
    for row in made:
        kind = NOTICE_STEPS.get(row["step"])
        if kind is not None and row["unit_id"] is not None:
            wanted[kind].add(row["unit_id"])
    made_notices: dict[str, int] = {}
    table = ChaseStep.__table__
    for kind, units in sorted(wanted.items()):
        notices, new = _notices_for(session, kind, sorted(units), day)
        if new:
            made_notices[kind] = new
        # One statement: every step of the kind made today for a unit is in its notice of the
        # day (a step made by an earlier run today already is).
        notice = (
            select(ChaseNotice.id)
            .where(
                ChaseNotice.unit_id == table.c.unit_id,
                ChaseNotice.kind == kind,
                ChaseNotice.issued_on == day,
            )
            .scalar_subquery()
        )
        session.execute(
            update(table)
            .where(
                table.c.created_on == day,
                table.c.step == kind,
                table.c.unit_id.is_not(None),
                table.c.notice_id.is_(None),
            )
            .values(notice_id=notice)
        )
        for row in made:
            if row["step"] == kind and row["unit_id"] is not None:
                row["notice_id"] = notices[row["unit_id"]]
        fix_contents(session, list(notices.values()), counter)
    return made_notices


def _notices_for(
    session: Session, kind: str, units: list[int], day: dt.date
) -> tuple[dict[int, int], int]:
    """The notices of a kind for the day of these units (unit → notice id), each made with the
    year's next number when there is none; how many were made. A unit or a number another run
    took first is looked up or numbered again."""
    table = ChaseNotice.__table__
    found: dict[int, int] = {}
    new = 0
    for _ in range(20):
        for i in range(0, len(units), CHUNK):
            found.update(
                (unit_id, notice_id)
                for unit_id, notice_id in session.execute(
                    select(table.c.unit_id, table.c.id).where(
                        table.c.kind == kind,
                        table.c.issued_on == day,
                        table.c.unit_id.in_(units[i : i + CHUNK]),
                    )
                )
            )
        missing = [unit for unit in units if unit not in found]
        if not missing:
            return found, new
        top = session.scalar(
            select(func.max(table.c.number)).where(table.c.year == day.year, table.c.kind == kind)
        )
        rows = [
            {
                "year": day.year,
                "kind": kind,
                "number": (top or 0) + n,
                "unit_id": unit,
                "issued_on": day,
            }
            for n, unit in enumerate(missing, start=1)
        ]
        made = []
        for i in range(0, len(rows), CHUNK):
            statement = (
                _insert(session, table)
                .values(rows[i : i + CHUNK])
                .on_conflict_do_nothing()
                .returning(*table.c)
            )
            made.extend(dict(row._mapping) for row in session.connection().execute(statement))
        if made:
            record(
                session,
                "create",
                table.name,
                [(row["id"], None, row) for row in made],
                note=f"{day.isoformat()} 催办",
            )
            found.update((row["unit_id"], row["id"]) for row in made)
            new += len(made)
        if len(made) < len(rows):
            log.info("chase: notice numbers of %s taken by another run; numbering again", kind)
    raise RuntimeError(f"no notice numbers for {kind} on {day}")


# ---- the run's record and messages --------------------------------------------------------


def _queue(session: Session, step_ids: Iterable[int]) -> int:
    """Queue the messages for the steps made (data/outbox.py; nothing when channels are off)."""
    from data.outbox import queue_for_steps

    return queue_for_steps(session, list(step_ids))


def _finish_run(session: Session, day: dt.date, source: str, created: int) -> None:
    """Record the day's run (chase_run): claimed by the server job beforehand, or new.

    Through the connection, not the session: a run that made nothing does not move the data
    version (the figures' cache stays warm)."""
    table = ChaseRun.__table__
    now = dt.datetime.now()
    statement = _insert(session, table).values(
        run_on=day, source=source, started_at=now, finished_at=now, created=created
    )
    statement = statement.on_conflict_do_update(
        index_elements=["run_on"],
        set_={
            "source": statement.excluded.source,
            "finished_at": statement.excluded.finished_at,
            "created": table.c.created + statement.excluded.created,
        },
    )
    session.connection().execute(statement)


def last_run(session: Session) -> ChaseRun | None:
    """The latest day's run (for the admin's view)."""
    return session.scalar(select(ChaseRun).order_by(ChaseRun.run_on.desc()).limit(1))
