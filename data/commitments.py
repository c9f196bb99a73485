"""Public commitments (公开承诺, work plan §五.2; #18 item 4).

The legal-service units — 律师事务所, 公证处, 法律援助中心, 法律服务中心 — make commitments to the
public (what, when, where published); a 司法所 makes none. Each commitment is linked to the
complaints (投诉: channel hotline or referral) of the same unit and campaign that concern it.
Nothing is deleted: withdrawing sets withdrawn_at, unlinking sets unlinked_at, and the history
keeps every change. Every count here is one SQL aggregation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from data.edits import check_version
from data.figures import Filters
from data.form_tokens import once
from data.forms import DateValue, Description, Form, FormError, RecordId, clean_text
from data.history import History, record_history
from data.masking import mask_name, mask_phone
from data.models import Commitment, CommitmentProblem, Problem, Unit
from data.rectification_updates import NotAllowed
from data.reference import COMPLAINT_CHANNELS, KIND_GROUP, KIND_NAMES, ROLE_NAMES, Role, UnitGroup
from data.scope import (
    CampaignScope,
    count_where,
    load_campaign,
    problem_conditions,
    problem_scope,
    unit_conditions,
)

# The units that make public commitments (§五.2): the legal-service group.
COMMITTING_KINDS: tuple[str, ...] = tuple(
    kind for kind, group in KIND_GROUP.items() if group == UnitGroup.LEGAL_SERVICE
)
WRITERS: tuple[str, ...] = (Role.UNIT, Role.ADMIN)  # unit staff their own unit's only
COMMITMENT_FORM = "commitment"  # the new-commitment form's name for data/form_tokens.py
WHERE_MAX = 200

NOT_LEGAL_SERVICE = (
    "{unit}是{kind}，不作公开承诺：工作方案第五部分第2条要求律师、公证、法律援助和基层法律服务行业"
    "向社会做出公开承诺"
)
OTHER_UNIT = "只能记录本单位的公开承诺，{unit}不是本单位"
NO_ROLE = "{role}不能修改公开承诺"
NO_COMMITMENT = "公开承诺不存在"
WITHDRAWN = "该承诺已于{date}撤回，不能再修改或关联投诉"
NO_PROBLEM = "所选投诉不存在或已作废"
NOT_COMPLAINT = "所选问题不是投诉（问题来源应为投诉举报或纠风办交办）"
NOT_SAME_UNIT = "所选投诉不属于该承诺的单位和评议年度，只能关联同一单位同一年度的投诉"
ALREADY_LINKED = "该投诉已关联到这项承诺"
NOT_LINKED = "该投诉没有关联到这项承诺"
CHOOSE_COMPLAINT = "请选择投诉"


def _where(value: Any) -> Any:
    return clean_text(value)


WhereText = Annotated[str, BeforeValidator(_where), Field(max_length=WHERE_MAX)]


class CommitmentForm(Form):
    """A commitment as the unit (or the 纠风 office) enters it."""

    unit_id: RecordId
    content: Description
    published_on: DateValue
    published_where: WhereText


# ---- who may write -----------------------------------------------------------------------


def is_committing(kind: str | None) -> bool:
    """Whether a unit of this kind makes public commitments (the legal-service group)."""
    return kind in COMMITTING_KINDS


def check_unit(session: Session, role: str, own_unit: int | None, unit_id: int) -> Unit:
    """The unit a commitment is written for, when `role` (unit staff: of unit `own_unit`) may
    write its commitments; NotAllowed, in words, otherwise (a 司法所 makes none)."""
    if role not in WRITERS:
        raise NotAllowed(NO_ROLE.format(role=ROLE_NAMES.get(role, role)))
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise FormError({"unit_id": "请选择有效的选项"})
    if role == Role.UNIT and unit.id != own_unit:
        raise NotAllowed(OTHER_UNIT.format(unit=unit.name))
    if not is_committing(unit.kind):
        raise NotAllowed(NOT_LEGAL_SERVICE.format(unit=unit.name, kind=KIND_NAMES[unit.kind]))
    return unit


def _writable(
    session: Session, role: str, own_unit: int | None, commitment_id: Any, *, open_only: bool
) -> Commitment:
    """A commitment the user may change (NotAllowed / FormError otherwise); with `open_only`,
    one not withdrawn."""
    commitment = session.get(Commitment, commitment_id) if isinstance(commitment_id, int) else None
    if commitment is None:
        raise FormError({"commitment": NO_COMMITMENT})
    check_unit(session, role, own_unit, commitment.unit_id)
    if open_only and commitment.withdrawn_at is not None:
        raise FormError(
            {"commitment": WITHDRAWN.format(date=commitment.withdrawn_at.date().isoformat())}
        )
    return commitment


# ---- writes ------------------------------------------------------------------------------


def save_commitment(
    session: Session,
    role: str,
    own_unit: int | None,
    year: int,
    form: CommitmentForm,
    commitment_id: int | None = None,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
    token: Any = None,
) -> Commitment:
    """Record a new commitment (once per the form's `token`) or edit one at the version the form
    was opened at (a stale save: ConflictError, nothing written)."""
    if commitment_id is None:
        return once(
            session,
            token,
            COMMITMENT_FORM,
            lambda: _create(session, role, own_unit, year, form),
            lambda made: {"id": made.id},
            lambda kept: session.get_one(Commitment, kept["id"]),
        )
    commitment = _writable(session, role, own_unit, commitment_id, open_only=True)
    check_version(commitment, expected_version, seen)
    if form.unit_id != commitment.unit_id:
        raise FormError({"unit_id": "已记录的承诺不能改到其他单位"})
    commitment.content = form.content
    commitment.published_on = form.published_on
    commitment.published_where = form.published_where
    session.flush()
    return commitment


def _create(
    session: Session, role: str, own_unit: int | None, year: int, form: CommitmentForm
) -> Commitment:
    unit = check_unit(session, role, own_unit, form.unit_id)
    campaign = load_campaign(session, year)
    commitment = Commitment(
        campaign_id=campaign.id,
        unit_id=unit.id,
        content=form.content,
        published_on=form.published_on,
        published_where=form.published_where,
    )
    session.add(commitment)
    session.flush()
    return commitment


def withdraw_commitment(
    session: Session,
    role: str,
    own_unit: int | None,
    commitment_id: Any,
    expected_version: Any,
    now: dt.datetime | None = None,
) -> Commitment:
    """Withdraw a commitment (kept, with its links, in the history and on the list)."""
    commitment = _writable(session, role, own_unit, commitment_id, open_only=True)
    check_version(commitment, expected_version, None)
    commitment.withdrawn_at = (now or dt.datetime.now()).replace(microsecond=0)
    session.flush()
    return commitment


def link_complaint(
    session: Session, role: str, own_unit: int | None, commitment_id: Any, problem_id: Any
) -> CommitmentProblem:
    """Link a complaint of the commitment's own unit and campaign to it (a link unlinked before
    is linked again); another unit's problem, or one that is no complaint, is refused in words
    and nothing is written."""
    commitment = _writable(session, role, own_unit, commitment_id, open_only=True)
    if not isinstance(problem_id, int) or isinstance(problem_id, bool):
        raise FormError({"problem_id": CHOOSE_COMPLAINT})
    problem = session.get(Problem, problem_id)
    if problem is None or problem.voided_at is not None:
        raise FormError({"problem_id": NO_PROBLEM})
    if problem.unit_id != commitment.unit_id or problem.campaign_id != commitment.campaign_id:
        raise FormError({"problem_id": NOT_SAME_UNIT})
    if problem.channel not in COMPLAINT_CHANNELS:
        raise FormError({"problem_id": NOT_COMPLAINT})
    link = session.scalar(
        select(CommitmentProblem).where(
            CommitmentProblem.commitment_id == commitment.id,
            CommitmentProblem.problem_id == problem.id,
        )
    )
    if link is not None and link.unlinked_at is None:
        raise FormError({"problem_id": ALREADY_LINKED})
    if link is None:
        link = CommitmentProblem(commitment_id=commitment.id, problem_id=problem.id)
        session.add(link)
    else:
        link.unlinked_at = None
    session.flush()
    return link


def unlink_complaint(
    session: Session,
    role: str,
    own_unit: int | None,
    commitment_id: Any,
    problem_id: Any,
    now: dt.datetime | None = None,
) -> CommitmentProblem:
    """Unlink a complaint from a commitment (sets unlinked_at; the link stays in the history)."""
    commitment = _writable(session, role, own_unit, commitment_id, open_only=False)
    link = session.scalar(
        select(CommitmentProblem).where(
            CommitmentProblem.commitment_id == commitment.id,
            CommitmentProblem.problem_id == problem_id,
            CommitmentProblem.unlinked_at.is_(None),
        )
    )
    if link is None:
        raise FormError({"problem_id": NOT_LINKED})
    link.unlinked_at = (now or dt.datetime.now()).replace(microsecond=0)
    session.flush()
    return link


# ---- reads -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRow:
    """One commitment as listed, with how many complaints concern it and how many are open."""

    id: int
    unit_id: int
    unit: str
    kind: str
    content: str
    published_on: dt.date
    published_where: str
    withdrawn_at: dt.datetime | None
    version: int
    complaints: int
    open_complaints: int


@dataclass(frozen=True)
class LinkedComplaint:
    """A complaint as listed under a commitment (complainant masked, always)."""

    id: int
    found_on: dt.date
    channel: str
    description: str
    status: str
    completed_on: dt.date | None
    complainant: str | None
    open: bool


@dataclass(frozen=True)
class CommitmentDetail:
    """A commitment, the complaints linked to it, and the unit's complaints still to link."""

    row: CommitmentRow
    linked: list[LinkedComplaint]
    candidates: list[LinkedComplaint]


@dataclass(frozen=True)
class UnitCounts:
    """A unit's commitments in force at the as-of date, and the complaints linked to them."""

    commitments: int = 0
    complaints: int = 0


def _live(as_of: dt.date) -> Any:
    """A link not unlinked, to a complaint that counts at the as-of date."""
    return and_(
        CommitmentProblem.unlinked_at.is_(None),
        CommitmentProblem.problem_id == Problem.id,
        Problem.voided_at.is_(None),
        Problem.found_on <= as_of,
        problem_conditions(as_of).complaint,
    )


def _linked(as_of: dt.date) -> Any:
    """Join condition of a commitment's live links to complaints that count at the as-of date."""
    return and_(CommitmentProblem.commitment_id == Commitment.id, _live(as_of))


def _in_force(as_of: dt.date) -> Any:
    """Published by the as-of date and not withdrawn by its end."""
    end_of_day = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    return and_(
        Commitment.published_on <= as_of,
        or_(Commitment.withdrawn_at.is_(None), Commitment.withdrawn_at >= end_of_day),
    )


def _rows_query(campaign: CampaignScope, as_of: dt.date) -> Any:
    conditions = problem_conditions(as_of)
    return (
        select(
            Commitment.id,
            Commitment.unit_id,
            Unit.name,
            Unit.kind,
            Commitment.content,
            Commitment.published_on,
            Commitment.published_where,
            Commitment.withdrawn_at,
            Commitment.version,
            func.count(Problem.id),
            count_where(and_(Problem.id.is_not(None), conditions.open)),
        )
        .join(Unit, Unit.id == Commitment.unit_id)
        .outerjoin(CommitmentProblem, CommitmentProblem.commitment_id == Commitment.id)
        .outerjoin(Problem, _linked(as_of))
        .where(Commitment.campaign_id == campaign.id)
        .group_by(Commitment.id, Unit.id)
        .order_by(Unit.name, Commitment.published_on, Commitment.id)
    )


def _row(values: Any) -> CommitmentRow:
    return CommitmentRow(*values[:9], int(values[9] or 0), int(values[10] or 0))


def commitment_rows(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[CommitmentRow]:
    """Every commitment of the campaign of the filtered units (withdrawn ones too), each with
    the complaints linked to it at the as-of date and how many of those are still open."""
    campaign = load_campaign(session, year)
    query = _rows_query(campaign, as_of).where(*unit_conditions(campaign, filters))
    return [_row(values) for values in session.execute(query)]


def commitment_row(session: Session, commitment_id: int, as_of: dt.date) -> CommitmentRow | None:
    """One commitment as listed (None when there is none)."""
    campaign_id = session.scalar(
        select(Commitment.campaign_id).where(Commitment.id == commitment_id)
    )
    if campaign_id is None:
        return None
    campaign = CampaignScope(id=campaign_id, year=0, phases={})
    values = session.execute(
        _rows_query(campaign, as_of).where(Commitment.id == commitment_id)
    ).first()
    return _row(values) if values is not None else None


def _complaint(problem: Any, as_of: dt.date, is_open: Any) -> LinkedComplaint:
    name, phone = mask_name(problem.complainant_name), mask_phone(problem.complainant_phone)
    complainant = " ".join(part for part in (name, phone) if part) or None
    return LinkedComplaint(
        id=problem.id,
        found_on=problem.found_on,
        channel=problem.channel,
        description=problem.description,
        status=problem.status,
        completed_on=problem.completed_on,
        complainant=complainant,
        open=bool(is_open),
    )


def _complaints(session: Session, as_of: dt.date, *where: Any, join: Any = None) -> list[Any]:
    conditions = problem_conditions(as_of)
    query = select(
        Problem.id,
        Problem.found_on,
        Problem.channel,
        Problem.description,
        Problem.status,
        Problem.completed_on,
        Problem.complainant_name,
        Problem.complainant_phone,
        conditions.open,
    )
    if join is not None:
        query = query.join(*join)
    rows = session.execute(query.where(*where).order_by(Problem.found_on, Problem.id))
    return [_complaint(row, as_of, row[-1]) for row in rows]


def commitment_detail(
    session: Session, commitment_id: int, as_of: dt.date
) -> CommitmentDetail | None:
    """A commitment with its linked complaints and the complaints of its unit and campaign that
    could still be linked (complainants masked)."""
    row = commitment_row(session, commitment_id, as_of)
    if row is None:
        return None
    commitment = session.get_one(Commitment, commitment_id)
    linked = _complaints(
        session,
        as_of,
        _live(as_of),
        CommitmentProblem.commitment_id == commitment_id,
        join=(CommitmentProblem, CommitmentProblem.problem_id == Problem.id),
    )
    linked_ids = {c.id for c in linked}
    campaign = CampaignScope(id=commitment.campaign_id, year=0, phases={})
    candidates = [
        c
        for c in _complaints(
            session,
            as_of,
            *problem_scope(campaign, as_of),
            Problem.unit_id == commitment.unit_id,
            problem_conditions(as_of).complaint,
        )
        if c.id not in linked_ids
    ]
    return CommitmentDetail(row, linked, candidates)


def unit_commitments(
    session: Session, year: int, unit_id: int, as_of: dt.date
) -> list[CommitmentDetail]:
    """A unit's commitments of the campaign, each with the complaints that concern it."""
    rows = commitment_rows(session, year, as_of, Filters(unit_ids=(unit_id,)))
    details = [commitment_detail(session, row.id, as_of) for row in rows]
    return [d for d in details if d is not None]


def commitment_counts(session: Session, year: int, as_of: dt.date) -> dict[int, UnitCounts]:
    """Per legal-service unit id: its commitments in force at the as-of date and the distinct
    complaints linked to them (one grouped query)."""
    campaign = load_campaign(session, year)
    query = (
        select(
            Commitment.unit_id,
            func.count(func.distinct(Commitment.id)),
            func.count(func.distinct(Problem.id)),
        )
        .outerjoin(CommitmentProblem, CommitmentProblem.commitment_id == Commitment.id)
        .outerjoin(Problem, _linked(as_of))
        .where(Commitment.campaign_id == campaign.id, _in_force(as_of))
        .group_by(Commitment.unit_id)
    )
    return {
        unit_id: UnitCounts(int(n or 0), int(c or 0)) for unit_id, n, c in session.execute(query)
    }


def committing_units(session: Session, unit_ids: tuple[int, ...] = ()) -> list[tuple[int, str]]:
    """(id, name) of the legal-service units not retired (limited to `unit_ids` when given)."""
    query = select(Unit.id, Unit.name).where(
        Unit.kind.in_(COMMITTING_KINDS), Unit.retired_on.is_(None)
    )
    if unit_ids:
        query = query.where(Unit.id.in_(unit_ids))
    return [(uid, name) for uid, name in session.execute(query.order_by(Unit.name))]


def commitment_history(session: Session, commitment_id: int) -> History:
    """A commitment's history with that of its links to complaints, newest first."""
    history = record_history(session, "commitment", commitment_id)
    link_ids = session.scalars(
        select(CommitmentProblem.id).where(CommitmentProblem.commitment_id == commitment_id)
    )
    links = [
        replace(entry, entity="commitment_problem")
        for link_id in link_ids
        for entry in record_history(session, "commitment_problem", link_id).entries
    ]
    entries = sorted([*history.entries, *links], key=lambda e: e.at, reverse=True)
    return History("commitment", entries, history.lookups)
