"""The 纠风办 loop (#18 item 3, work plan §四(三)2): problems reported to the 纠风办 in dated,
numbered batches (第N批), and the office's case-by-case feedback (纠风办反馈的个案整改情况)
imported back by 编号 into each problem's history.

`Problem.reported` (the ledger's 是否上报纠风办) stays the one answer to "was it reported": a
batch sets it on every problem it takes, and a problem in a batch cannot be set back to 否
(data.rectification_updates and the ledger import refuse it). A problem marked reported by hand
or by a ledger import, outside any batch (before batches existed), counts as reported too and
may receive feedback; it is shown apart as 未编入批次.

A problem in a batch always has a 编号 (`ledger_key`): one without gets `<year>-JF<id>` when it
is batched — stable, unique in its campaign, and what the 纠风办's feedback names it by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from data.exports import ledger, ledger_sheet
from data.figures import Filters
from data.forms import FormError
from data.import_files import ImportFailed, Issue
from data.import_plan import (
    ImportResult,
    Plan,
    changed_fields,
    finish_import,
    flag_duplicates,
    read_rows,
)
from data.import_schema import Column, Description, Key, RequiredDate, Row
from data.models import Problem, ReportBatch, Unit
from data.reference import CHANNEL_NAMES, STATUS_NAMES
from data.scope import count_where, load_campaign, unit_conditions
from data.workbook import PageHeading, SheetData, workbook_bytes

FEEDBACK = "feedback"  # the import's kind (data.labels.IMPORT_KIND_NAMES)
MAX_NOTE = 500
KEY_FORMAT = "{year}-JF{id:05d}"
PREVIEW_ROWS = 500  # problems listed under the count before a batch is confirmed


# ---- which problems a new batch takes ------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which not-yet-reported problems a batch takes; an empty field means no restriction."""

    unit_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


def _unreported(campaign_id: int, selection: Selection) -> Select[Any]:
    """The ids of the campaign's problems not voided, not reported and in no batch, selected."""
    p = Problem
    query = select(p.id).where(
        p.campaign_id == campaign_id,
        p.voided_at.is_(None),
        p.reported.is_(False),
        p.report_batch_id.is_(None),
    )
    if selection.unit_ids:
        query = query.where(p.unit_id.in_(selection.unit_ids))
    if selection.channels:
        query = query.where(p.channel.in_(selection.channels))
    if selection.statuses:
        query = query.where(p.status.in_(selection.statuses))
    return query


def candidate_count(session: Session, year: int, selection: Selection = Selection()) -> int:
    """How many problems a batch made now with `selection` would take."""
    campaign = load_campaign(session, year)
    ids = _unreported(campaign.id, selection).subquery()
    return int(session.scalar(select(func.count()).select_from(ids)) or 0)


@dataclass(frozen=True)
class Candidate:
    """A problem a new batch would take, as the list under the count shows it."""

    id: int
    key: str | None
    unit: str
    channel: str
    status: str
    found_on: dt.date
    description: str


def candidates(
    session: Session, year: int, selection: Selection = Selection(), limit: int = PREVIEW_ROWS
) -> list[Candidate]:
    """The first `limit` problems a batch made now would take, in ledger order."""
    campaign = load_campaign(session, year)
    p = Problem
    rows = session.execute(
        select(p.id, p.ledger_key, Unit.name, p.channel, p.status, p.found_on, p.description)
        .join(Unit, Unit.id == p.unit_id)
        .where(p.id.in_(_unreported(campaign.id, selection)))
        .order_by(p.found_on, p.ledger_key, p.id)
        .limit(limit)
    )
    return [
        Candidate(
            r.id,
            r.ledger_key,
            r.name,
            CHANNEL_NAMES[r.channel],
            STATUS_NAMES[r.status],
            r.found_on,
            r.description,
        )
        for r in rows
    ]


# ---- making a batch ------------------------------------------------------------------------


def _assign_keys(session: Session, year: int, campaign_id: int, problems: list[Problem]) -> None:
    """Give each problem without a 编号 `<year>-JF<id>` (a suffix if someone already uses it)."""
    missing = [p for p in problems if p.ledger_key is None]
    if not missing:
        return
    wanted = {p.id: KEY_FORMAT.format(year=year, id=p.id) for p in missing}
    taken = set(
        session.scalars(
            select(Problem.ledger_key).where(
                Problem.campaign_id == campaign_id,
                Problem.ledger_key.like(f"{year}-JF%"),
            )
        )
    )
    for problem in missing:
        key, n = wanted[problem.id], 1
        while key in taken:
            n += 1
            key = f"{wanted[problem.id]}-{n}"
        taken.add(key)
        problem.ledger_key = key


def _next_number(session: Session, campaign_id: int) -> int:
    last = session.scalar(
        select(func.max(ReportBatch.number)).where(ReportBatch.campaign_id == campaign_id)
    )
    return (last or 0) + 1


def next_number(session: Session, year: int) -> int:
    """The number the campaign's next batch gets (第N批)."""
    return _next_number(session, load_campaign(session, year).id)


def create_batch(
    session: Session,
    year: int,
    selection: Selection,
    reported_on: dt.date | None,
    note: str | None,
    reported_by: str,
    today: dt.date,
    expected: int | None = None,
) -> ReportBatch:
    """Report the selected not-yet-reported problems to the 纠风办 as the campaign's next batch
    (第N批) on `reported_on`; each is marked reported. FormError (field → message, nothing
    written) for a missing or future date, an over-long note, nothing to report, or a count
    that is no longer the `expected` one the user confirmed."""
    campaign = load_campaign(session, year)
    errors: dict[str, str] = {}
    if reported_on is None:
        errors["reported_on"] = "请填写上报日期"
    elif reported_on > today:
        errors["reported_on"] = f"上报日期 {reported_on.isoformat()} 不能晚于今天"
    if note is not None and len(note) > MAX_NOTE:
        errors["note"] = f"内容过长：{len(note)} 字，最多 {MAX_NOTE} 字"
    ids = list(session.scalars(_unreported(campaign.id, selection).order_by(Problem.id)))
    if not ids:
        errors["selection"] = "没有符合条件、尚未上报的问题"
    elif expected is not None and expected != len(ids):
        errors["selection"] = (
            f"符合条件的问题已由 {expected} 件变为 {len(ids)} 件（其间数据有变动），请核对后再确认"
        )
    if errors:
        raise FormError(errors)
    assert reported_on is not None
    number = _next_number(session, campaign.id)
    batch = ReportBatch(
        campaign_id=campaign.id,
        number=number,
        reported_on=reported_on,
        note=note,
        reported_by=reported_by,
    )
    session.add(batch)
    session.flush()
    problems = list(session.scalars(select(Problem).where(Problem.id.in_(ids))))
    _assign_keys(session, year, campaign.id, problems)
    for problem in problems:
        problem.report_batch_id = batch.id
        problem.reported = True
    session.flush()
    return batch


def batch_size(session: Session, batch_id: int) -> int:
    """How many problems a batch took."""
    query = select(func.count()).where(Problem.report_batch_id == batch_id)
    return int(session.scalar(query) or 0)


def batch_of(session: Session, year: int, number: int) -> ReportBatch | None:
    """The campaign's batch 第`number`批, if there is one."""
    campaign = load_campaign(session, year)
    return session.scalar(
        select(ReportBatch).where(
            ReportBatch.campaign_id == campaign.id, ReportBatch.number == number
        )
    )


def batch_title(year: int, number: int) -> str:
    """`2024年第2批上报纠风办问题清单`."""
    return f"{year}年第{number}批上报纠风办问题清单"


def export_batch(session: Session, year: int, number: int, current_on: dt.date) -> bytes | None:
    """A batch as .xlsx in the ledger's columns (complainants masked, as every export), its
    pages headed with the batch and printed 数据截至 `current_on`; None when there is no batch."""
    batch = batch_of(session, year, number)
    if batch is None:
        return None
    rows = ledger(session, year, batch_id=batch.id).rows
    heading = PageHeading(
        f"{batch_title(year, number)}（上报日期 {batch.reported_on.isoformat()}）", current_on
    )
    return workbook_bytes([ledger_sheet(rows, f"第{number}批")], heading)


# ---- reported / fed back / outstanding -----------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Problems reported to the 纠风办, those it fed back on, and those still waiting."""

    reported: int
    fed_back: int

    @property
    def outstanding(self) -> int:
        return self.reported - self.fed_back


@dataclass(frozen=True)
class BatchCounts:
    """One batch (number None: reported outside any batch) and its counts."""

    number: int | None
    reported_on: dt.date | None
    note: str | None
    reported_by: str | None
    counts: Counts


@dataclass(frozen=True)
class UnitCounts:
    unit_id: int
    unit: str
    counts: Counts


@dataclass(frozen=True)
class ReportCounts:
    """The 纠风办 loop of a campaign at a date: overall, per batch and per unit."""

    overall: Counts
    by_batch: list[BatchCounts]
    by_unit: list[UnitCounts]


def report_counts(
    session: Session, year: int, as_of: dt.date | None = None, filters: Filters = Filters()
) -> ReportCounts:
    """Reported / fed back / outstanding of the filtered units, counted in SQL: a problem (not
    voided) counts as reported when it is marked so and its batch, if any, was reported by
    `as_of`; as fed back when the 纠风办's feedback is dated by `as_of` (no date: as it stands)."""
    campaign = load_campaign(session, year)
    p, b = Problem, ReportBatch
    day = as_of or dt.date.max
    reported = and_(
        p.reported.is_(True),
        or_(p.report_batch_id.is_(None), b.reported_on <= day),
    )
    fed_back = and_(reported, p.report_feedback_on.is_not(None), p.report_feedback_on <= day)
    units = select(Unit.id).where(*unit_conditions(campaign, filters))
    problems = and_(p.campaign_id == campaign.id, p.voided_at.is_(None), p.unit_id.in_(units))
    base = select().select_from(p).outerjoin(b, b.id == p.report_batch_id).where(problems)
    measures = (count_where(reported).label("reported"), count_where(fed_back).label("fed_back"))
    total = session.execute(base.add_columns(*measures)).one()
    # Every batch by its date, even one whose problems were all voided since.
    batch_rows = session.execute(
        select(b.number, b.reported_on, b.note, b.reported_by, *measures)
        .select_from(b)
        .outerjoin(p, and_(p.report_batch_id == b.id, problems))
        .where(b.campaign_id == campaign.id, b.reported_on <= day)
        .group_by(b.id, b.number, b.reported_on, b.note, b.reported_by)
        .order_by(b.number)
    ).all()
    by_batch = [
        BatchCounts(r.number, r.reported_on, r.note, r.reported_by, _counts(r)) for r in batch_rows
    ]
    loose = session.execute(base.where(p.report_batch_id.is_(None)).add_columns(*measures)).one()
    if loose.reported:
        by_batch.append(BatchCounts(None, None, None, None, _counts(loose)))
    unit_rows = session.execute(
        base.join(Unit, Unit.id == p.unit_id)
        .add_columns(Unit.id, Unit.name, *measures)
        .group_by(Unit.id, Unit.name)
        .having(count_where(reported) > 0)
        .order_by(Unit.name)
    ).all()
    return ReportCounts(
        _counts(total), by_batch, [UnitCounts(r.id, r.name, _counts(r)) for r in unit_rows]
    )


def _counts(row: Any) -> Counts:
    return Counts(int(row.reported), int(row.fed_back))


REPORTING_HEADERS = [
    "批次 / 单位",
    "上报日期",
    "已上报（件）",
    "纠风办已反馈（件）",
    "待反馈（件）",
]


def reporting_sheet(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> SheetData:
    """The 纠风办 report's sheet 上报纠风办: the counts overall, then per batch, then per unit."""
    counts = report_counts(session, year, as_of, filters)

    def line(name: str, reported_on: dt.date | None, c: Counts) -> list[Any]:
        return [name, reported_on, c.reported, c.fed_back, c.outstanding]

    rows: list[list[Any]] = [
        line("合计", None, counts.overall),
        *(
            line(f"第{b.number}批" if b.number else "未编入批次", b.reported_on, b.counts)
            for b in counts.by_batch
        ),
        [],
        *(line(u.unit, None, u.counts) for u in counts.by_unit),
    ]
    return SheetData("上报纠风办", REPORTING_HEADERS, rows, [30, 12, 14, 18, 14])


# ---- the 纠风办's feedback, imported by 编号 ---------------------------------------------


FEEDBACK_COLUMNS: tuple[Column, ...] = (
    Column("key", "编号", ("问题编号", "台账编号"), True),
    Column("fed_back_on", "反馈日期", ("反馈时间", "回复日期"), True),
    Column("feedback", "反馈情况", ("反馈内容", "个案整改情况", "反馈意见"), True),
)
FEEDBACK_FIELDS = {"feedback": "report_feedback", "fed_back_on": "report_feedback_on"}


class FeedbackRow(Row):
    """A row of the 纠风办's feedback: which problem (编号), when and what it said."""

    key: Key = None  # read as the ledger reads it; a blank one is refused by the import
    fed_back_on: RequiredDate
    feedback: Description


def _stored(session: Session, campaign_id: int) -> dict[str, dict[str, Any]]:
    """The campaign's numbered problems by 编号, with what a feedback row is checked against."""
    p, b = Problem, ReportBatch
    result = session.execute(
        select(
            p.id,
            p.ledger_key,
            p.reported,
            p.voided_at,
            p.report_feedback,
            p.report_feedback_on,
            b.number,
            b.reported_on,
        )
        .outerjoin(b, b.id == p.report_batch_id)
        .where(p.campaign_id == campaign_id, p.ledger_key.is_not(None))
    )
    return {row.ledger_key: row._asdict() for row in result}


def import_feedback(
    session: Session,
    data: bytes,
    filename: str,
    year: int | None,
    today: dt.date,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Write the 纠风办's feedback (反馈日期, 反馈情况) on the reported problems its 编号 names;
    every error of the file at once (row, column, Chinese reason) and nothing written unless
    every row is valid: an unknown 编号, a voided or never-reported problem, a date before the
    problem was reported or after today, a 编号 given twice."""
    if year is None:
        raise ImportFailed(filename, [Issue("未指定评议年度，请先选择评议年度再导入")])
    try:
        campaign = load_campaign(session, year)
    except LookupError:
        raise ImportFailed(filename, [Issue(f"没有 {year} 年的评议活动")]) from None
    sheet, _index, errors, rows = read_rows(data, filename, FEEDBACK_COLUMNS, FeedbackRow)
    flag_duplicates(rows, lambda v: v.get("key"), errors, "key", "编号与第 {first} 行重复")
    stored = _stored(session, campaign.id)
    plan = Plan("problem")
    for checked in rows:
        number, values = checked.number, checked.values
        key, on = values.get("key"), values.get("fed_back_on")
        if key is None:
            if "key" in values:
                errors.add(number, "key", "不能为空")
            continue
        found = stored.get(key)
        if found is None:
            errors.add(number, "key", f"编号 {key} 不是 {year} 年的问题（系统中没有这个编号）")
            continue
        if found["voided_at"] is not None:
            errors.add(number, "key", f"编号 {key} 对应的问题已作废")
            continue
        if not found["reported"]:
            errors.add(number, "key", f"编号 {key} 对应的问题尚未上报纠风办，不能登记反馈")
            continue
        if on is not None and on > today:
            errors.add(number, "fed_back_on", f"反馈日期 {on.isoformat()} 晚于今天")
        elif on is not None and found["reported_on"] and on < found["reported_on"]:
            errors.add(
                number,
                "fed_back_on",
                f"反馈日期 {on.isoformat()} 早于该问题的上报日期 "
                f"{found['reported_on'].isoformat()}（第{found['number']}批）",
            )
        if number in errors.bad_rows or checked.row is None:
            continue
        wanted = {FEEDBACK_FIELDS[name]: values[name] for name in FEEDBACK_FIELDS}
        plan.change(found["id"], number, key, changed_fields(found, wanted))
    return finish_import(session, FEEDBACK, sheet, errors, plan, Problem, ("id",), dry_run)
