"""情况通报: dated briefings to the 民评代表 (work plan §四(二)2 定期向民评代表通报情况, #18).

A leader or admin issues a briefing of a campaign's figures at an as-of date to the chosen active
representatives. Issuing it publishes a snapshot of the same figures (data/snapshots.py, purpose
"情况通报第N期"), so the numbers handed out carry the snapshot's SHA-256, are checked by `dashboard
verify` with every snapshot, and /snapshots says whether today's computation still gives them.

What a briefing says is computed once, when it is issued, and kept as JSON in `content`; a
briefing is never changed afterwards. It holds figures and per-unit counts only: no complainant
names or phones, no problem texts (they may identify a complainant), and of the 明查暗访 only
how many were held by the as-of date — no future inspection, no representative's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, event, func, literal, or_, select
from sqlalchemy.orm import Session

from data.forms import FormError, clean_text, parse_date
from data.history import HistoryError
from data.meetings import question_summary
from data.models import (
    Briefing,
    BriefingRecipient,
    Campaign,
    Inspection,
    Problem,
    Representative,
    User,
)
from data.reference import InspectionMode
from data.scope import count_where
from data.snapshots import FIGURE_NAMES, publish

TITLE_MAX = 200
BODY_MAX = 5000
PURPOSE = "情况通报第{number}期"
DEFAULT_TITLE = "{year}年民主评议工作情况通报（第{number}期）"
# The campaign-wide figures a briefing reports (their names: data.snapshots.FIGURE_NAMES).
FIGURES: tuple[str, ...] = (*FIGURE_NAMES, "overdue_tasks")
UNIT_FIELDS: tuple[str, ...] = (
    "unit",
    "kind",
    "problems",
    "unfounded",
    "rectified",
    "rectification_rate",
    "overdue_problems",
    "complaints",
)


@event.listens_for(Session, "before_flush")
def _issued_never_change(session: Session, _ctx: Any, _instances: Any) -> None:
    """An issued briefing, and whom it went to, is never changed (deletes: data/history.py)."""
    for obj in session.dirty:
        if isinstance(obj, Briefing | BriefingRecipient) and session.is_modified(obj):
            raise HistoryError("情况通报印发后不可修改，如需更正请另发一期")


def default_title(year: int, number: int) -> str:
    """The title a new briefing is offered."""
    return DEFAULT_TITLE.format(year=year, number=number)


def _campaign(session: Session, year: int) -> Campaign:
    campaign = session.scalars(select(Campaign).where(Campaign.year == year)).first()
    if campaign is None:
        raise FormError({"as_of": f"没有 {year} 年度的评议活动"})
    return campaign


def next_number(session: Session, year: int) -> int:
    """The number the campaign's next briefing gets (1 for the first)."""
    latest = session.scalar(
        select(func.max(Briefing.number))
        .join(Campaign, Campaign.id == Briefing.campaign_id)
        .where(Campaign.year == year)
    )
    return int(latest or 0) + 1


def inspections_held(session: Session, campaign_id: int, as_of: dt.date) -> dict[str, int]:
    """The 明查暗访 held by the as-of date, counted by mode (none planned after it)."""
    i = Inspection
    total, covert = session.execute(
        select(func.count(), count_where(i.mode == InspectionMode.COVERT)).where(
            i.campaign_id == campaign_id, i.inspected_on <= as_of
        )
    ).one()
    return {"held": int(total), "open": int(total) - int(covert), "covert": int(covert)}


def briefing_content(
    session: Session, year: int, as_of: dt.date, stats: dict[str, Any]
) -> dict[str, Any]:
    """What a briefing says: the published `stats` (data.figures CampaignFigures.to_json) of the
    campaign at `as_of`, the meeting's questions and the inspections held — figures only."""
    from data.figures import campaign_figures

    campaign = _campaign(session, year)
    figures = campaign_figures(session, year, as_of)
    questions = question_summary(session, year, as_of)
    return {
        "year": year,
        "campaign": campaign.title,
        "as_of": as_of.isoformat(),
        "figures": {
            **{key: stats[key] for key in FIGURE_NAMES},
            "overdue_tasks": figures.overdue_tasks,
        },
        "by_channel": dict(stats["by_channel"]),
        "phase_progress": dict(stats["phase_progress"]),
        "current_phase": figures.current_phase,
        "days_left": figures.days_left,
        "overdue_units": list(stats["overdue_units"]),
        "units": [
            {key: unit[key] for key in UNIT_FIELDS}
            for unit in stats["by_unit"]
            if unit["problems"] or unit["unit"] in stats["overdue_units"]
        ],
        "questions": {
            "total": questions.total,
            "pending": questions.pending,
            "on_the_spot": questions.on_the_spot,
            "follow_up": questions.follow_up,
            "replied": questions.replied,
            "overdue": questions.overdue,
            "follow_up_problems": questions.follow_up_problems,
            "follow_up_rectified": questions.follow_up_rectified,
        },
        "inspections": inspections_held(session, campaign.id, as_of),
    }


def complainant_in(session: Session, campaign_id: int, text: str) -> bool:
    """Whether `text` names a complainant (name or phone) of the campaign's problems (in SQL)."""
    p = Problem
    name = and_(func.length(p.complainant_name) >= 2, literal(text).contains(p.complainant_name))
    phone = and_(func.length(p.complainant_phone) >= 7, literal(text).contains(p.complainant_phone))
    found = session.scalar(
        select(p.id).where(p.campaign_id == campaign_id, or_(name, phone)).limit(1)
    )
    return found is not None


def _recipients(session: Session, raw: Any) -> list[int]:
    """The chosen active representatives' ids (FormError when none, or one not active)."""
    if not isinstance(raw, list) or not raw:
        raise FormError({"recipients": "请至少选择一位民评代表"})
    try:
        wanted = sorted({int(value) for value in raw})
    except (TypeError, ValueError):
        raise FormError({"recipients": "所选民评代表无效"}) from None
    active = set(
        session.scalars(
            select(Representative.id).where(
                Representative.id.in_(wanted), Representative.active.is_(True)
            )
        )
    )
    if len(active) != len(wanted):
        raise FormError({"recipients": "所选民评代表不存在或已不在册，请刷新页面后重选"})
    return wanted


def _issuer(session: Session) -> str:
    """Who issues: the signed-in user's name (their account name when it has none)."""
    actor = session.info.get("actor")
    if not actor:
        raise FormError({"title": "印发必须记明操作人"})
    user_id = session.info.get("user_id")
    name = session.scalar(select(User.display_name).where(User.id == user_id)) if user_id else None
    return str(name or actor)


def issue_briefing(
    session: Session,
    year: int,
    as_of: Any,
    title: Any,
    body: Any,
    recipients: Any,
    issued_on: dt.date,
) -> Briefing:
    """Issue the campaign's next briefing of the figures at `as_of` to `recipients` (ids of
    active representatives), publishing the snapshot its numbers carry; FormError (nothing
    written) for bad input."""
    errors: dict[str, str] = {}
    campaign = _campaign(session, year)
    try:
        when = parse_date(as_of)
    except ValueError as exc:
        when, errors["as_of"] = None, str(exc)
    if when is None:
        errors.setdefault("as_of", "请填写截至日期（如 2024-09-30）")
    elif when > issued_on:
        errors["as_of"] = "截至日期不能晚于今天"
    number = next_number(session, year)
    title = clean_text(title) or default_title(year, number)
    if not isinstance(title, str) or len(title) > TITLE_MAX:
        errors["title"] = f"标题不超过 {TITLE_MAX} 个字"
    body = clean_text(body)
    if body is not None and (not isinstance(body, str) or len(body) > BODY_MAX):
        errors["body"] = f"通报说明不超过 {BODY_MAX} 个字"
    for field, text in (("title", title), ("body", body)):
        if (
            isinstance(text, str)
            and field not in errors
            and complainant_in(session, campaign.id, text)
        ):
            errors[field] = "含有投诉人的姓名或电话，通报中不得出现投诉人信息"
    try:
        chosen = _recipients(session, recipients)
    except FormError as exc:
        errors.update(exc.errors)
    if errors:
        raise FormError(errors)
    assert when is not None
    issuer = _issuer(session)
    snapshot = publish(session, year, when, PURPOSE.format(number=number))
    content = briefing_content(session, year, when, snapshot.stats)
    content["snapshot"] = {"id": snapshot.id, "digest": snapshot.digest}
    # The names as they were when it was issued: the printed briefing never changes.
    content["recipients"] = [
        {"name": name, "sector": sector}
        for _id, name, sector in active_representatives(session)
        if _id in chosen
    ]
    briefing = Briefing(
        campaign_id=campaign.id,
        number=number,
        title=title,
        as_of=when,
        issued_on=issued_on,
        body=body,
        content=content,
        snapshot_id=snapshot.id,
        issued_by=issuer,
    )
    session.add(briefing)
    session.flush()
    session.add_all(
        BriefingRecipient(briefing_id=briefing.id, representative_id=rid) for rid in chosen
    )
    session.flush()
    return briefing


# ---- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingRow:
    """A briefing in the campaign's list."""

    id: int
    number: int
    title: str
    as_of: dt.date
    issued_on: dt.date
    issued_by: str
    recipients: int
    content: dict[str, Any]
    body: str | None


@dataclass(frozen=True)
class Recipient:
    """A representative a briefing went to."""

    name: str
    sector: str


def briefings(session: Session, year: int) -> list[BriefingRow]:
    """The campaign's briefings, newest first, with their recipients counted in SQL."""
    counts = (
        select(BriefingRecipient.briefing_id, func.count().label("n"))
        .group_by(BriefingRecipient.briefing_id)
        .subquery()
    )
    b = Briefing
    query = (
        select(
            b.id,
            b.number,
            b.title,
            b.as_of,
            b.issued_on,
            b.issued_by,
            func.coalesce(counts.c.n, 0),
            b.content,
            b.body,
        )
        .join(Campaign, Campaign.id == b.campaign_id)
        .outerjoin(counts, counts.c.briefing_id == b.id)
        .where(Campaign.year == year)
        .order_by(b.number.desc())
    )
    return [BriefingRow(*row[:6], int(row[6]), row[7], row[8]) for row in session.execute(query)]


def briefing_of(session: Session, briefing_id: int) -> BriefingRow | None:
    """One briefing by id."""
    b = Briefing
    counts = select(func.count()).where(BriefingRecipient.briefing_id == b.id).scalar_subquery()
    row = session.execute(
        select(
            b.id, b.number, b.title, b.as_of, b.issued_on, b.issued_by, counts, b.content, b.body
        ).where(b.id == briefing_id)
    ).first()
    return None if row is None else BriefingRow(*row[:6], int(row[6]), row[7], row[8])


def recipients_of(session: Session, briefing_ids: list[int]) -> dict[int, list[Recipient]]:
    """The representatives each briefing went to, by sector and name."""
    if not briefing_ids:
        return {}
    found: dict[int, list[Recipient]] = {i: [] for i in briefing_ids}
    query = (
        select(BriefingRecipient.briefing_id, Representative.name, Representative.sector)
        .join(Representative, Representative.id == BriefingRecipient.representative_id)
        .where(BriefingRecipient.briefing_id.in_(briefing_ids))
        .order_by(BriefingRecipient.briefing_id, Representative.sector, Representative.name)
    )
    for briefing_id, name, sector in session.execute(query):
        found[briefing_id].append(Recipient(name, sector))
    return found


def latest_briefing(session: Session, year: int) -> tuple[int, int, str] | None:
    """(id, number, title) of the campaign's latest briefing, if any."""
    row = session.execute(
        select(Briefing.id, Briefing.number, Briefing.title)
        .join(Campaign, Campaign.id == Briefing.campaign_id)
        .where(Campaign.year == year)
        .order_by(Briefing.number.desc())
        .limit(1)
    ).first()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]))


def active_representatives(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, sector) of the active representatives, the recipients a form offers."""
    r = Representative
    query = select(r.id, r.name, r.sector).where(r.active.is_(True)).order_by(r.sector, r.name)
    return [(int(i), str(n), str(s)) for i, n, s in session.execute(query)]
