"""待办 (#15 催办): what each account has to act on — a unit's open items with the ladder step
each has reached, a leader's escalations (督办), and for the 纠风办 the day's steps, the
重点督查 list, the last daily run and the outgoing messages' log.

The steps are the chase_step rows the daily job makes (data/chase.py); days left and overdue are
counted as the bureau counts them (data/workdays.py). A problem's complainant name and phone are
read only to mask them in its title (data.notices.scrub): they never leave this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.expression import Exists, Subquery

from data.models import (
    Campaign,
    ChaseRun,
    ChaseStep,
    MeetingQuestion,
    OutboxMessage,
    Phase,
    Problem,
    TaskTemplate,
    Unit,
    UnitTask,
    User,
)
from data.notices import scrub, short
from data.reference import Role
from data.scope import problem_conditions
from data.workdays import day_counter

# The ladder's steps, lowest first: an item's step is the highest it has reached.
STEPS: tuple[str, ...] = ("remind", "chase", "escalate", "focus")
ESCALATED: tuple[str, ...] = ("escalate", "focus")
ITEM_KINDS: tuple[str, ...] = ("problem", "question", "task")
TITLE_LENGTH = 60  # of a problem's description or a question, in a list
# The most steps one list sends to the page: the longest overdue first. A county's lists are far
# shorter; a county that has let thousands of items run late gets the worst of them and the
# counts by unit (escalation_units, step_counts) rather than a page of megabytes.
STEP_LIMIT = 500


class Account(Protocol):
    """Who is asking (dashboard.auth.Account, or any value with these fields)."""

    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def unit_id(self) -> int | None: ...


_RANK = case({step: n for n, step in enumerate(STEPS, start=1)}, value=ChaseStep.step, else_=0)


@dataclass(frozen=True)
class TodoRow:
    """One open item of a unit: what it is, its deadline and the ladder step it has reached."""

    kind: str  # problem / question / task
    item_id: int | None  # problem, meeting question or unit task id (None: a task not begun)
    unit_id: int | None
    year: int
    number: str | None  # a problem's 编号
    title: str
    deadline: dt.date
    days_left: int  # counted days from the as-of date to the deadline; negative: overdue
    step: str | None  # the highest step reached and not ended (None: not chased yet)
    step_on: dt.date | None  # the day of that step

    @property
    def overdue(self) -> bool:
        """Whether the deadline has passed at the as-of date."""
        return self.days_left < 0


@dataclass(frozen=True)
class StepRow:
    """One step of the ladder with the item it is about (for leaders and the 纠风办)."""

    step_id: int
    step: str
    kind: str
    item_id: int
    unit_id: int | None
    unit: str | None  # None: a meeting question put to the bureau as a whole
    year: int  # the campaign's
    number: str | None
    title: str
    deadline: dt.date
    days_overdue: int
    due_on: dt.date
    created_on: dt.date
    recipient: str
    notice_id: int | None


@dataclass(frozen=True)
class UnitSteps:
    """A unit's escalated items at the as-of date: a leader's list by unit."""

    unit_id: int | None
    unit: str | None  # None: meeting questions put to the bureau as a whole
    items: int  # escalated (督办) items, those listed for 重点督查 among them
    focus: int
    oldest: dt.date  # the earliest deadline among them
    year: int  # the latest campaign among them (where its page opens)


@dataclass(frozen=True)
class RunRow:
    """The last run of the daily job."""

    run_on: dt.date
    source: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    created: int


@dataclass(frozen=True)
class MessageRow:
    """One outgoing message as the channels' log shows it."""

    message_id: int
    channel: str
    recipient: str
    subject: str
    created_at: dt.datetime
    attempts: int
    sent_at: dt.datetime | None
    failed_at: dt.datetime | None
    last_error: str | None


def title(text: str | None, name: str | None = None, phone: str | None = None) -> str:
    """An item's title as lists show it: its first TITLE_LENGTH characters, a complainant's
    name and phone masked and any long digit run starred (data.notices.scrub)."""
    return short(scrub(text, name, phone), TITLE_LENGTH)


def open_at(as_of: dt.date) -> ColumnElement[bool]:
    """A step reached by the as-of date and not ended by then."""
    return and_(
        ChaseStep.created_on <= as_of,
        or_(ChaseStep.ended_on.is_(None), ChaseStep.ended_on > as_of),
    )


def _latest_campaign() -> ColumnElement[int]:
    """The newest campaign's id, as a scalar subquery."""
    return select(Campaign.id).order_by(Campaign.year.desc()).limit(1).scalar_subquery()


def _reached(unit_id: int, as_of: dt.date) -> ColumnElement[bool]:
    """Steps of the unit's items reached and not ended at the as-of date."""
    return and_(ChaseStep.unit_id == unit_id, open_at(as_of))


def _step_of(unit_id: int, as_of: dt.date) -> Subquery:
    """Per chased item of the unit: its highest open step's rank and that step's latest day."""
    return (
        select(
            ChaseStep.item_kind,
            ChaseStep.item_id,
            func.max(_RANK).label("rank"),
            func.max(ChaseStep.due_on).label("step_on"),
        )
        .where(_reached(unit_id, as_of))
        .group_by(ChaseStep.item_kind, ChaseStep.item_id)
        .subquery("reached")
    )


def _chased(kind: str, item_id: ColumnElement[int], unit_id: int, as_of: dt.date) -> Exists:
    """Whether the item has a step open at the as-of date."""
    return exists().where(
        ChaseStep.item_kind == kind, ChaseStep.item_id == item_id, _reached(unit_id, as_of)
    )


def _applies_to_kind() -> ColumnElement[bool]:
    """A task template applying to the unit's kind (None: every kind)."""
    return or_(
        TaskTemplate.kinds.is_(None),
        cast(TaskTemplate.kinds, String).contains(literal('"') + Unit.kind + literal('"')),
    )


def todo_rows(
    session: Session, account: Account, as_of: dt.date, year: int | None = None
) -> list[TodoRow]:
    """A unit account's open items nearest deadline first: the problems, meeting follow-up
    questions and phase tasks of its unit in campaign `year` (None: the newest), and any
    other campaign's item the ladder is chasing; each with the step it has reached."""
    unit_id = account.unit_id
    if account.role != Role.UNIT or unit_id is None:
        return []
    campaign_id = (
        _latest_campaign()
        if year is None
        else select(Campaign.id).where(Campaign.year == year).scalar_subquery()
    )
    reached = _step_of(unit_id, as_of)
    # (kind, item id, unit id, year, 编号, title, deadline, step rank, step day) of each item
    rows: list[tuple[Any, ...]] = []

    p = Problem
    problems = (
        select(
            p.id,
            Campaign.year,
            p.ledger_key,
            p.description,
            p.complainant_name,
            p.complainant_phone,
            p.deadline,
            reached.c.rank,
            reached.c.step_on,
        )
        .join(Campaign, Campaign.id == p.campaign_id)
        .outerjoin(reached, and_(reached.c.item_kind == "problem", reached.c.item_id == p.id))
        .where(
            p.unit_id == unit_id,
            p.voided_at.is_(None),
            p.found_on <= as_of,
            problem_conditions(as_of).open,  # DOMAIN.md's open, as every figure says
            or_(p.campaign_id == campaign_id, _chased("problem", p.id, unit_id, as_of)),
        )
    )
    for r in session.execute(problems):
        rows.append(
            ("problem", r.id, unit_id, r.year, r.ledger_key)
            + (title(r.description, r.complainant_name, r.complainant_phone), r.deadline)
            + (r.rank, r.step_on)
        )

    q = MeetingQuestion
    questions = (
        select(q.id, Campaign.year, q.question, q.reply_deadline, reached.c.rank, reached.c.step_on)
        .join(Campaign, Campaign.id == q.campaign_id)
        .outerjoin(reached, and_(reached.c.item_kind == "question", reached.c.item_id == q.id))
        .where(
            q.unit_id == unit_id,
            q.answer_mode == "follow_up",
            q.reply_deadline.is_not(None),
            q.asked_on <= as_of,
            or_(q.replied_on.is_(None), q.replied_on > as_of),
            or_(q.campaign_id == campaign_id, _chased("question", q.id, unit_id, as_of)),
        )
    )
    for r in session.execute(questions):
        rows.append(
            ("question", r.id, unit_id, r.year, None, r.question, r.reply_deadline)
            + (r.rank, r.step_on)
        )

    tasks = (
        select(
            UnitTask.id,
            Campaign.year,
            TaskTemplate.name,
            Phase.ends_on,
            reached.c.rank,
            reached.c.step_on,
        )
        .select_from(TaskTemplate)
        .join(Campaign, Campaign.id == TaskTemplate.campaign_id)
        .join(
            Phase,
            and_(Phase.campaign_id == Campaign.id, Phase.code == TaskTemplate.phase_code),
        )
        .join(Unit, Unit.id == unit_id)
        .outerjoin(
            UnitTask, and_(UnitTask.template_id == TaskTemplate.id, UnitTask.unit_id == unit_id)
        )
        .outerjoin(reached, and_(reached.c.item_kind == "task", reached.c.item_id == UnitTask.id))
        .where(
            TaskTemplate.retired_at.is_(None),
            TaskTemplate.derived_from.is_(None),
            _applies_to_kind(),
            or_(UnitTask.completed_on.is_(None), UnitTask.completed_on > as_of),
            or_(
                TaskTemplate.campaign_id == campaign_id,
                _chased("task", UnitTask.id, unit_id, as_of),
            ),
        )
    )
    for r in session.execute(tasks):
        rows.append(("task", r.id, unit_id, r.year, None, r.name, r.ends_on) + (r.rank, r.step_on))

    counter = day_counter(session)
    items = [
        TodoRow(
            kind=kind,
            item_id=item_id,
            unit_id=unit,
            year=year_,
            number=number,
            title=title(text),
            deadline=deadline,
            days_left=counter.between(as_of, deadline),
            step=STEPS[rank - 1] if rank else None,
            step_on=step_on if rank else None,
        )
        for kind, item_id, unit, year_, number, text, deadline, rank, step_on in rows
    ]
    order = {kind: n for n, kind in enumerate(ITEM_KINDS)}
    items.sort(key=lambda r: (r.deadline, order[r.kind], r.item_id or 0, r.title))
    return items


def in_charge_of(session: Session, account: Account) -> tuple[str, ...]:
    """The unit kinds in a leader's charge (empty: none assigned)."""
    kinds = session.scalar(select(User.in_charge_of).where(User.id == account.id))
    return tuple(kinds or ())


def _kinds_condition(kinds: tuple[str, ...]) -> ColumnElement[bool]:
    """Steps about units of these kinds, or about the bureau as a whole (no unit)."""
    return or_(ChaseStep.unit_id.is_(None), Unit.kind.in_(kinds))


def _step_rows(
    session: Session,
    as_of: dt.date,
    *conditions: ColumnElement[bool],
    limit: int | None = None,
) -> list[StepRow]:
    """The steps meeting `conditions` with their items, by unit, deadline and step; with
    `limit`, only that many: those of the earliest deadlines (the longest overdue)."""
    s = ChaseStep
    query = (
        select(
            s.id,
            s.step,
            s.item_kind,
            s.item_id,
            s.unit_id,
            Unit.name,
            Campaign.year,
            Problem.ledger_key,
            func.coalesce(Problem.description, MeetingQuestion.question, TaskTemplate.name).label(
                "title"
            ),
            Problem.complainant_name,
            Problem.complainant_phone,
            s.deadline,
            s.due_on,
            s.created_on,
            s.recipient,
            s.notice_id,
        )
        .join(Campaign, Campaign.id == s.campaign_id)
        .outerjoin(Unit, Unit.id == s.unit_id)
        .outerjoin(Problem, and_(s.item_kind == "problem", Problem.id == s.item_id))
        .outerjoin(
            MeetingQuestion, and_(s.item_kind == "question", MeetingQuestion.id == s.item_id)
        )
        .outerjoin(UnitTask, and_(s.item_kind == "task", UnitTask.id == s.item_id))
        .outerjoin(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .where(*conditions)
        .order_by(s.deadline, Unit.name, s.item_kind, s.item_id, _RANK)
        .limit(limit)
    )
    counter = day_counter(session)
    rows = [
        StepRow(
            step_id=r.id,
            step=r.step,
            kind=r.item_kind,
            item_id=r.item_id,
            unit_id=r.unit_id,
            unit=r.name,
            year=r.year,
            number=r.ledger_key,
            title=title(r.title, r.complainant_name, r.complainant_phone),
            deadline=r.deadline,
            days_overdue=max(counter.between(r.deadline, as_of), 0),
            due_on=r.due_on,
            created_on=r.created_on,
            recipient=r.recipient,
            notice_id=r.notice_id,
        )
        for r in session.execute(query)
    ]
    # By unit (the bureau's own questions last, on every database), then deadline and step.
    rank = {step: n for n, step in enumerate(STEPS)}
    return sorted(
        rows,
        key=lambda r: (r.unit is None, r.unit or "", r.deadline, r.kind, r.item_id, rank[r.step]),
    )


def _focus_open(as_of: dt.date) -> ColumnElement[bool]:
    """The step's item is listed for 重点督查 (the same deadline) at the as-of date."""
    focus = aliased(ChaseStep)
    return exists().where(
        focus.item_kind == ChaseStep.item_kind,
        focus.item_id == ChaseStep.item_id,
        focus.deadline == ChaseStep.deadline,
        focus.step == "focus",
        focus.created_on <= as_of,
        or_(focus.ended_on.is_(None), focus.ended_on > as_of),
    )


def _escalated(as_of: dt.date) -> ColumnElement[bool]:
    """One step per escalated item open at the as-of date: its 重点督查 step when it has
    reached it, else its 督办 step."""
    return and_(
        ChaseStep.step.in_(ESCALATED),
        open_at(as_of),
        or_(ChaseStep.step == "focus", ~_focus_open(as_of)),
    )


def _filtered(kinds: Sequence[str] = (), townships: Sequence[str] = ()) -> list[Any]:
    """The page's unit kind and township filters (a bureau question passes the kind filter)."""
    conditions: list[Any] = []
    if kinds:
        conditions.append(_kinds_condition(tuple(kinds)))
    if townships:
        conditions.append(Unit.township.in_(list(townships)))
    return conditions


def _escalation_conditions(
    session: Session,
    account: Account,
    as_of: dt.date,
    kinds: Sequence[str] = (),
    townships: Sequence[str] = (),
    steps: ColumnElement[bool] | None = None,
) -> list[Any] | None:
    """Which steps `account`'s escalations are (None: unit staff have none); `steps`: other
    than one step an item (_escalated)."""
    if account.role == Role.UNIT:
        return None
    which = steps if steps is not None else _escalated(as_of)
    conditions = [which, *_filtered(kinds, townships)]
    charge = in_charge_of(session, account) if account.role == Role.LEADER else ()
    if charge:
        conditions.append(_kinds_condition(charge))
    return conditions


def escalations(
    session: Session,
    account: Account,
    as_of: dt.date,
    kinds: Sequence[str] = (),
    townships: Sequence[str] = (),
    *,
    limit: int | None = None,
) -> list[StepRow]:
    """The escalated items open at the as-of date, one row each (督办, or 重点督查 once it has
    reached it), by unit: for a leader those of the unit kinds in their charge (all when none
    is assigned), for the 纠风办 and supervisors all; none for unit staff. `kinds` and
    `townships` narrow it further (the page's filters); `limit`: the longest overdue only."""
    conditions = _escalation_conditions(session, account, as_of, kinds, townships)
    if conditions is None:
        return []
    return _step_rows(session, as_of, *conditions, limit=limit)


def escalation_units(
    session: Session,
    account: Account,
    as_of: dt.date,
    kinds: Sequence[str] = (),
    townships: Sequence[str] = (),
) -> list[UnitSteps]:
    """`escalations` counted by unit in SQL, the units with the most first: how many items,
    how many listed for 重点督查, the earliest deadline.

    Every escalated item has its open 督办 step (重点督查 comes later: data/chase_settings.py
    keeps focus_after > escalate_after, and an item's steps end together), so its 督办 steps
    count the items and its 重点督查 steps those listed, with no look for a later step."""
    open_steps = and_(ChaseStep.step.in_(ESCALATED), open_at(as_of))
    conditions = _escalation_conditions(session, account, as_of, kinds, townships, open_steps)
    if conditions is None:
        return []

    def steps(step: str) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((ChaseStep.step == step, 1), else_=0)), 0)

    # Counted by unit id alone (the steps' (unit_id, ended_on) index gives them in that order),
    # the names joined to the counts after.
    counted = (
        select(
            ChaseStep.unit_id.label("unit_id"),
            steps("escalate").label("items"),
            steps("focus").label("focus"),
            func.min(ChaseStep.deadline).label("oldest"),
            func.max(Campaign.year).label("year"),
        )
        .join(Campaign, Campaign.id == ChaseStep.campaign_id)
        .outerjoin(Unit, Unit.id == ChaseStep.unit_id)
        .where(*conditions)
        .group_by(ChaseStep.unit_id)
        .subquery()
    )
    query = (
        select(
            counted.c.unit_id,
            Unit.name,
            counted.c["items"],
            counted.c.focus,
            counted.c.oldest,
            counted.c.year,
        )
        .outerjoin(Unit, Unit.id == counted.c.unit_id)
        .order_by(counted.c["items"].desc(), Unit.name)
    )
    return [UnitSteps(*row) for row in session.execute(query)]


def _day_conditions(day: dt.date, kinds: Sequence[str], townships: Sequence[str]) -> list[Any]:
    return [ChaseStep.created_on == day, *_filtered(kinds, townships)]


def _focus_conditions(as_of: dt.date, kinds: Sequence[str], townships: Sequence[str]) -> list[Any]:
    return [ChaseStep.step == "focus", open_at(as_of), *_filtered(kinds, townships)]


def day_steps(
    session: Session,
    day: dt.date,
    kinds: Sequence[str] = (),
    townships: Sequence[str] = (),
    *,
    limit: int | None = None,
) -> list[StepRow]:
    """Every step the ladder made on `day` (by unit; `kinds`, `townships`: the page's filters;
    `limit`: the longest overdue only)."""
    return _step_rows(session, day, *_day_conditions(day, kinds, townships), limit=limit)


def focus_list(
    session: Session,
    as_of: dt.date,
    kinds: Sequence[str] = (),
    townships: Sequence[str] = (),
    *,
    limit: int | None = None,
) -> list[StepRow]:
    """The items listed for 重点督查 and still open at the as-of date (`kinds`, `townships`:
    the page's filters; `limit`: the longest overdue only)."""
    return _step_rows(session, as_of, *_focus_conditions(as_of, kinds, townships), limit=limit)


def step_counts(
    session: Session, day: dt.date, kinds: Sequence[str] = (), townships: Sequence[str] = ()
) -> dict[str, int]:
    """How many steps `day_steps` ("day") and `focus_list` ("focus") hold, in one statement."""

    def count(conditions: list[Any]) -> Any:
        return (
            select(func.count(ChaseStep.id))
            .outerjoin(Unit, Unit.id == ChaseStep.unit_id)
            .where(*conditions)
            .scalar_subquery()
        )

    made, focus = session.execute(
        select(
            count(_day_conditions(day, kinds, townships)),
            count(_focus_conditions(day, kinds, townships)),
        )
    ).one()
    return {"day": int(made), "focus": int(focus)}


def last_run(session: Session) -> RunRow | None:
    """The latest run of the daily job (None: it has never run)."""
    row = session.execute(
        select(
            ChaseRun.run_on,
            ChaseRun.source,
            ChaseRun.started_at,
            ChaseRun.finished_at,
            ChaseRun.created,
        )
        .order_by(ChaseRun.run_on.desc())
        .limit(1)
    ).first()
    return RunRow(*row) if row is not None else None


def outbox_log(session: Session, limit: int = 200) -> list[MessageRow]:
    """The latest outgoing messages, newest first."""
    m = OutboxMessage
    query = (
        select(
            m.id,
            m.channel,
            m.recipient,
            m.subject,
            m.created_at,
            m.attempts,
            m.sent_at,
            m.failed_at,
            m.last_error,
        )
        .order_by(m.created_at.desc(), m.id.desc())
        .limit(limit)
    )
    return [MessageRow(*row) for row in session.execute(query)]


def escalation_counts(session: Session, account: Account, as_of: dt.date) -> dict[str, int]:
    """How many escalated items are open at the as-of date ("escalate": all of them) and how
    many of them are listed for 重点督查 ("focus") — of the kinds in a leader's charge, all for
    the 纠风办 and supervisors, none for unit staff. One statement."""
    if account.role == Role.UNIT:
        return dict.fromkeys(ESCALATED, 0)
    query = (
        select(
            func.count(ChaseStep.id),
            func.coalesce(func.sum(case((ChaseStep.step == "focus", 1), else_=0)), 0),
        )
        .outerjoin(Unit, Unit.id == ChaseStep.unit_id)
        .where(_escalated(as_of))
    )
    charge = in_charge_of(session, account) if account.role == Role.LEADER else ()
    if charge:
        query = query.where(_kinds_condition(charge))
    items, focus = session.execute(query).one()
    return {"escalate": int(items or 0), "focus": int(focus or 0)}


def _open_steps(
    as_of: dt.date,
    step: str,
    *,
    leader_id: int | None = None,
) -> Select[Any]:
    """How many `step` steps are open at the as-of date — of the unit kinds in the charge of
    leader `leader_id` when given (all when none is assigned) — in one statement that reads
    the open steps through the (unit_id, ended_on) index, unit by unit, rather than scanning
    the ladder's whole history: steps not ended, and steps ended after the as-of date."""
    parts: list[Any] = []
    for ended in (ChaseStep.ended_on.is_(None), ChaseStep.ended_on > as_of):
        reached = and_(ChaseStep.step == step, ChaseStep.created_on <= as_of)
        by_unit = (
            select(func.count())
            .select_from(Unit)
            .join(ChaseStep, and_(ChaseStep.unit_id == Unit.id, ended))
            .where(reached)
        )
        if leader_id is not None:
            charge = cast(User.in_charge_of, String)
            by_unit = by_unit.join(User, User.id == leader_id).where(
                or_(
                    User.in_charge_of.is_(None),
                    charge == "[]",
                    charge.contains(literal('"') + Unit.kind + literal('"')),
                )
            )
        bureau = select(func.count()).where(ChaseStep.unit_id.is_(None), ended, reached)
        parts += [by_unit.scalar_subquery(), bureau.scalar_subquery()]
    return select(sum(parts[1:], parts[0]))


def todo_count_query(account: Account, as_of: dt.date) -> Select[Any] | None:
    """The one SQL statement behind the navbar's number (None: the role has no number)."""
    if account.role == Role.UNIT:
        if account.unit_id is None:
            return None
        chased = (
            select(ChaseStep.item_kind, ChaseStep.item_id)
            .where(_reached(account.unit_id, as_of))
            .distinct()
            .subquery()
        )
        return select(func.count()).select_from(chased)
    if account.role == Role.LEADER:
        # Every escalated item has its 督办 step (重点督查 comes later: data/chase_settings.py
        # keeps focus_after > escalate_after), so its 督办 steps count the leader's items.
        return _open_steps(as_of, "escalate", leader_id=account.id)
    # The 纠风办 and supervisors: the items listed for 重点督查.
    return _open_steps(as_of, "focus")


def todo_count(session: Session, account: Account, as_of: dt.date) -> int:
    """The navbar's number, one cheap count: a unit's chased items; a leader's open
    escalations; for the 纠风办 and supervisors the open 重点督查 list."""
    query = todo_count_query(account, as_of)
    return int(session.scalar(query) or 0) if query is not None else 0
