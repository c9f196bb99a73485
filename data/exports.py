"""Exports the 纠风办 expects, as .xlsx: the ledger (in the import's columns), overdue lists,
supervision records, the campaign report and the archive index.

Every number comes from data.figures (or its shared predicates); nothing is recomputed here.
Text that Excel would run as a formula is neutralised (data.workbook writes the files);
complainant fields are masked unless a reveal is asked for, and every reveal is written to the
history.

Kept whole past 500 lines: one short section per download, all called as `exports.<name>`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from data.figures import (
    KIND_ORDER,
    BreakdownRow,
    CampaignFigures,
    Filters,
    figures_for,
    problem_breakdown,
)
from data.history import record
from data.import_schema import LEDGER_COLUMNS
from data.labels import NO, PROBLEM, VISIT, YES, completed_at, status_at
from data.masking import mask_name, mask_phone
from data.models import (
    ArchiveItem,
    Problem,
    SupervisionRating,
    SupervisionVisit,
    Unit,
)
from data.overdue import overdue_data
from data.reference import (
    ARCHIVE_CATEGORY_NAMES,
    CHANNEL_NAMES,
    CRITERIA,
    FEEDBACK_NAMES,
    KIND_NAMES,
    PHASE_NAMES,
    RATING_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    VISIT_KIND_NAMES,
    Channel,
)
from data.scope import CampaignScope, load_campaign, problem_conditions, unit_conditions
from data.settings import load_settings
from data.workbook import PageHeading, Percent, SheetData, Title, workbook_bytes

LEDGER_HEADERS: list[str] = [column.header for column in LEDGER_COLUMNS]
# Far enough ahead that every problem of a campaign counts when no as-of date is given.
ALL_DATES = dt.date(9999, 12, 31)


def _yes_no(value: bool | None) -> str:
    """是 / 否 as the ledger writes booleans."""
    return YES if value else NO


# ---- the ledger ----------------------------------------------------------------------------


@dataclass
class Ledger:
    """The ledger's rows in the import's columns, and the problems whose complainant is shown."""

    rows: list[list[Any]]
    revealed: list[int]


def ledger(
    session: Session,
    year: int,
    *,
    as_of: dt.date | None = None,
    filters: Filters = Filters(),
    reveal: bool = False,
    channels: tuple[str, ...] = (),
    batch_id: int | None = None,
) -> Ledger:
    """The campaign's problems (not voided; found by `as_of` if given; those of one 纠风办
    report batch when `batch_id` is given) as ledger rows."""
    campaign = load_campaign(session, year)
    p = Problem
    query = (
        select(
            p.id,
            p.ledger_key,
            Unit.name.label("unit"),
            p.channel,
            p.criterion_code,
            p.found_on,
            p.description,
            p.severity,
            p.measures,
            p.owner,
            p.deadline,
            p.status,
            p.completed_on,
            p.published,
            p.reported,
            p.complainant_name,
            p.complainant_phone,
            p.feedback,
        )
        .join(Unit, Unit.id == p.unit_id)
        .where(
            p.campaign_id == campaign.id,
            p.voided_at.is_(None),
            p.found_on <= (as_of or ALL_DATES),
            *unit_conditions(campaign, filters),
        )
        .order_by(p.found_on, p.ledger_key, p.id)
    )
    if channels:
        query = query.where(p.channel.in_(channels))
    if batch_id is not None:
        query = query.where(p.report_batch_id == batch_id)
    rows: list[list[Any]] = []
    revealed: list[int] = []
    for problem in session.execute(query):
        name, phone = problem.complainant_name, problem.complainant_phone
        if reveal and (name or phone):
            revealed.append(problem.id)
        if not reveal:
            name, phone = mask_name(name), mask_phone(phone)
        rows.append(
            [
                problem.ledger_key,
                problem.unit,
                CHANNEL_NAMES[problem.channel],
                CRITERIA[problem.criterion_code][0],
                problem.found_on,
                problem.description,
                SEVERITY_NAMES[problem.severity],
                problem.measures,
                problem.owner,
                problem.deadline,
                _status(problem.status, problem.completed_on, as_of),
                _completed(problem.completed_on, as_of),
                _yes_no(problem.published),
                _yes_no(problem.reported),
                name,
                phone,
                FEEDBACK_NAMES.get(problem.feedback or "", problem.feedback),
            ]
        )
    return Ledger(rows, revealed)


LEDGER_WIDTHS = [12, 28, 12, 12, 12, 48, 9, 40, 10, 12, 10, 12, 9, 14, 10, 15, 10]


def ledger_sheet(rows: list[list[Any]], title: str = "问题整改台账") -> SheetData:
    """The ledger as a worksheet in the import's columns."""
    return SheetData(title, LEDGER_HEADERS, rows, LEDGER_WIDTHS)


def _status(status: str, completed_on: dt.date | None, as_of: dt.date | None) -> str:
    """The ledger's 整改状态: today's, or as it stood at the chosen date (#14 item 3)."""
    return STATUS_NAMES[status] if as_of is None else status_at(status, completed_on, as_of)


def _completed(completed_on: dt.date | None, as_of: dt.date | None) -> dt.date | None:
    """The ledger's 完成日期: today's, or none when it came after the chosen date."""
    return completed_on if as_of is None else completed_at(completed_on, as_of)


def record_reveal(session: Session, problem_ids: Sequence[int], what: str) -> int:
    """Write a 'reveal' history row for each problem whose complainant an export shows."""
    return record(
        session,
        "reveal",
        "problem",
        [(pid, None, {"fields": ["complainant_name", "complainant_phone"]}) for pid in problem_ids],
        note=f"{what}：查看投诉人信息",
    )


def export_ledger(
    session: Session,
    year: int,
    *,
    as_of: dt.date | None = None,
    filters: Filters = Filters(),
    reveal: bool = False,
    current_on: dt.date | None = None,
) -> bytes:
    """The problem ledger (.xlsx) as the bureau files it; a reveal is kept in the history
    (so it needs a write session). Its pages print 数据截至 `as_of`, or without one the date
    the ledger is current on (`current_on`, default today)."""
    data = ledger(session, year, as_of=as_of, filters=filters, reveal=reveal)
    if reveal:
        record_reveal(session, data.revealed, "导出问题整改台账")
    dated = as_of or current_on or dt.date.today()
    heading = PageHeading(f"{year}年问题整改台账", dated)
    return workbook_bytes([ledger_sheet(data.rows)], heading)


# ---- overdue -------------------------------------------------------------------------------


def export_overdue(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> bytes:
    """Overdue units, problems, tasks and focus candidates at the as-of date (.xlsx)."""
    data = overdue_data(session, year, as_of, filters)
    units = SheetData(
        "逾期单位",
        ["序号", "单位", "类型", "乡镇", "逾期问题", "最长逾期（天）", "逾期任务", "整改完成率"],
        [
            [
                i,
                u.unit,
                KIND_NAMES[u.kind],
                u.township,
                u.overdue_problems,
                u.max_days_overdue,
                u.overdue_tasks,
                Percent(u.rectification_rate),
            ]
            for i, u in enumerate(data.units, start=1)
        ],
        [6, 30, 12, 12, 10, 14, 10, 12],
    )
    problems = SheetData(
        "逾期问题",
        [
            "单位",
            *(PROBLEM[f] for f in ("description", "channel", "severity", "found_on", "deadline")),
            "逾期（天）",
            PROBLEM["owner"],
            PROBLEM["status"],
        ],
        [
            [
                p.unit,
                p.description,
                CHANNEL_NAMES[p.channel],
                SEVERITY_NAMES[p.severity],
                p.found_on,
                p.deadline,
                p.days_overdue,
                p.owner,
                p.status_at_date,
            ]
            for p in data.problems
        ],
        [28, 48, 12, 9, 12, 12, 10, 10, 10],
    )
    tasks = SheetData(
        "逾期任务",
        ["单位", "任务", "所属阶段", "阶段截止", "逾期（天）"],
        [
            [t.unit, t.task, PHASE_NAMES[t.phase], t.phase_ends_on, t.days_overdue]
            for t in data.tasks
        ],
        [28, 16, 12, 12, 10],
    )
    focus = SheetData(
        "重点督查对象",
        ["单位", "类型", "乡镇", "列入原因"],
        [[c.unit, KIND_NAMES[c.kind], c.township, "；".join(c.reasons)] for c in data.focus],
        [28, 12, 12, 70],
    )
    heading = PageHeading(f"{year}年逾期单位清单", as_of)
    return workbook_bytes([units, problems, tasks, focus], heading)


# ---- supervision ---------------------------------------------------------------------------


def supervision_rows(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[list[Any]]:
    """Every visit of a campaign up to the as-of date with its ratings and follow-up counts."""
    campaign = load_campaign(session, year)
    c = problem_conditions(as_of)
    follow_ups = (
        select(
            Problem.visit_id.label("visit_id"),
            func.count().label("n"),
            func.coalesce(func.sum(case((c.open, 1), else_=0)), 0).label("open_n"),
        )
        .where(Problem.visit_id.is_not(None), Problem.voided_at.is_(None))
        .group_by(Problem.visit_id)
        .subquery()
    )
    v = SupervisionVisit
    visits = session.execute(
        select(
            v.id,
            v.visited_on,
            Unit.name,
            Unit.kind,
            Unit.township,
            v.kind.label("visit_kind"),
            v.supervisors,
            v.findings,
            v.notes,
            v.next_visit_on,
            func.coalesce(follow_ups.c.n, 0).label("n"),
            func.coalesce(follow_ups.c.open_n, 0).label("open_n"),
        )
        .join(Unit, Unit.id == v.unit_id)
        .outerjoin(follow_ups, follow_ups.c.visit_id == v.id)
        .where(v.campaign_id == campaign.id, v.visited_on <= as_of)
        .where(*unit_conditions(campaign, filters))
        .order_by(v.visited_on, Unit.name, v.id)
    ).all()
    ratings: dict[int, list[str]] = defaultdict(list)
    rating_rows = session.execute(
        select(
            SupervisionRating.visit_id, SupervisionRating.criterion_code, SupervisionRating.rating
        )
        .join(v, v.id == SupervisionRating.visit_id)
        .where(v.campaign_id == campaign.id, v.visited_on <= as_of)
    ).all()
    for visit_id, code, rating in sorted(rating_rows, key=lambda r: (r[0], CRITERIA[r[1]][2])):
        ratings[visit_id].append(f"{CRITERIA[code][0]}：{RATING_NAMES[rating]}")
    return [
        [
            row.visited_on,
            row.name,
            KIND_NAMES[row.kind],
            row.township,
            VISIT_KIND_NAMES[row.visit_kind],
            row.supervisors,
            "；".join(ratings.get(row.id, [])),
            row.findings,
            row.notes,
            row.next_visit_on,
            int(row.n),
            int(row.open_n),
        ]
        for row in visits
    ]


SUPERVISION_HEADERS = [
    VISIT["visited_on"],
    "单位",
    "类型",
    "乡镇",
    *(VISIT[f] for f in ("kind", "supervisors", "ratings", "findings", "notes", "next_visit_on")),
    "整改事项（件）",
    "尚未整改（件）",
]


def export_supervision(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> bytes:
    """The supervision records (督导检查) of a campaign up to the as-of date (.xlsx)."""
    rows = supervision_rows(session, year, as_of, filters)
    widths = [12, 28, 12, 12, 10, 16, 50, 40, 40, 12, 12, 12]
    sheet = SheetData("督导检查记录", SUPERVISION_HEADERS, rows, widths)
    return workbook_bytes([sheet], PageHeading(f"{year}年督导检查记录", as_of))


# ---- the campaign report -------------------------------------------------------------------


def summary_rows(figures: CampaignFigures) -> list[list[Any]]:
    """The report's summary sheet: the headline figures exactly as data.figures gives them."""
    base = figures.problems - figures.unfounded
    rows: list[list[Any]] = [
        [Title(f"{figures.campaign}年民主评议政风行风工作情况")],
        ["评议年度", figures.campaign, ""],
        ["数据截至", figures.as_of, ""],
        ["问题总数", figures.problems, "各渠道发现的问题"],
        ["其中经核查不属实", figures.unfounded, ""],
        ["已整改", figures.rectified, "已整改、已销号且完成日期不晚于截至日"],
        ["整改完成率", Percent(figures.rectification_rate), f"已整改 / 应整改 {base} 件"],
        ["到期问题", figures.due, "整改时限不晚于截至日"],
        ["按期整改", figures.on_time, "在整改时限内完成整改"],
        ["按期整改率", Percent(figures.on_time_rate), "按期整改 / 到期问题"],
        ["逾期问题", figures.overdue_problems, "未整改且已过整改时限"],
        ["投诉件数", figures.complaints, "投诉举报 + 纠风办交办"],
        ["逾期任务", figures.overdue_tasks, "所属阶段已结束仍未完成的阶段任务"],
        ["逾期单位", len(figures.overdue_units), "、".join(figures.overdue_units)],
        [],
        [Title("按问题来源")],
        ["问题来源", "问题数（件）"],
        *[[CHANNEL_NAMES[code], n] for code, n in figures.by_channel.items()],
        [],
        [Title("投诉件数（按月）")],
        ["月份", "投诉件数（件）"],
        *[[month, n] for month, n in figures.complaints_by_month.items()],
        [],
        [Title("各阶段任务完成率")],
        ["阶段", "完成率"],
        *[
            [PHASE_NAMES[code], phase_rate(figures, code, v)]
            for code, v in figures.phase_progress.items()
        ],
    ]
    return rows


NOT_STARTED = "未开始"


def phase_rate(figures: CampaignFigures, phase: str, value: float | None) -> Percent | str:
    """A phase's completion rate, or 未开始 when the phase had not started at the as-of date
    (it counts in no rate: #19 item 7)."""
    return Percent(value) if figures.phase_started(phase) else NOT_STARTED


UNIT_HEADERS = [
    "单位",
    "类型",
    "乡镇",
    "问题数",
    "不属实",
    "已整改",
    "整改完成率",
    "到期",
    "按期整改",
    "按期整改率",
    "逾期问题",
    "最长逾期（天）",
    "投诉件数",
    *(f"{name}完成率" for name in PHASE_NAMES.values()),
]


def unit_rows(figures: CampaignFigures) -> list[list[Any]]:
    """One row per unit with the figures of its `UnitFigures`."""
    return [
        [
            u.unit,
            KIND_NAMES[u.kind],
            u.township,
            u.problems,
            u.unfounded,
            u.rectified,
            Percent(u.rectification_rate),
            u.due,
            u.on_time,
            Percent(u.on_time_rate),
            u.overdue_problems,
            u.max_days_overdue,
            u.complaints,
            *(phase_rate(figures, code, u.phase_progress.get(code)) for code in PHASE_NAMES),
        ]
        for u in figures.by_unit
    ]


REFERRAL_HEADERS = [
    *(PROBLEM[f] for f in ("ledger_key", "unit_id", "found_on", "description", "measures")),
    *(PROBLEM[f] for f in ("deadline", "status", "completed_on")),
    "是否逾期",
    PROBLEM["reported"],
    PROBLEM["feedback"],
]


def referral_rows(
    session: Session, campaign: CampaignScope, as_of: dt.date, filters: Filters
) -> list[list[Any]]:
    """Cases the 纠风办 referred (channel 纠风办交办), with their rectification and feedback."""
    p = Problem
    overdue = problem_conditions(as_of).overdue
    query = (
        select(
            p.ledger_key,
            Unit.name,
            p.found_on,
            p.description,
            p.measures,
            p.deadline,
            p.status,
            p.completed_on,
            case((overdue, True), else_=False).label("overdue"),
            p.reported,
            p.feedback,
        )
        .join(Unit, Unit.id == p.unit_id)
        .where(
            p.campaign_id == campaign.id,
            p.voided_at.is_(None),
            p.found_on <= as_of,
            p.channel == Channel.REFERRAL,
            *unit_conditions(campaign, filters),
        )
        .order_by(p.found_on, p.ledger_key, p.id)
    )
    return [
        [
            row.ledger_key,
            row.name,
            row.found_on,
            row.description,
            row.measures,
            row.deadline,
            status_at(row.status, row.completed_on, as_of),
            completed_at(row.completed_on, as_of),
            _yes_no(bool(row.overdue)),
            _yes_no(row.reported),
            FEEDBACK_NAMES.get(row.feedback or "", row.feedback) or "未填写",
        ]
        for row in session.execute(query)
    ]


def export_report(
    session: Session,
    year: int,
    as_of: dt.date,
    filters: Filters = Filters(),
    title: str | None = None,
) -> bytes:
    """The report for the 纠风办 (.xlsx): summary figures, units, the ledger (masked), the
    referred cases with their feedback, and what was reported to the 纠风办 and fed back
    (`title` for the page header, e.g. a published one's)."""
    from data.report_batches import reporting_sheet  # it builds on this module's ledger

    campaign = load_campaign(session, year)
    figures = figures_for(session, campaign, as_of, filters)
    sheets = [
        SheetData("汇总", [], summary_rows(figures), [22, 16, 60]),
        SheetData("各单位情况", UNIT_HEADERS, unit_rows(figures), [28, 12, 12] + [10] * 14),
        ledger_sheet(ledger(session, year, as_of=as_of, filters=filters).rows),
        SheetData(
            "纠风办交办件",
            REFERRAL_HEADERS,
            referral_rows(session, campaign, as_of, filters),
            [12, 28, 12, 48, 40, 12, 10, 12, 9, 14, 10],
        ),
        reporting_sheet(session, year, as_of, filters),
    ]
    return workbook_bytes(sheets, PageHeading(title or f"{year}年纠风办报表", as_of))


# ---- archives ------------------------------------------------------------------------------


def export_archive(
    session: Session,
    year: int,
    filters: Filters = Filters(),
    current_on: dt.date | None = None,
) -> bytes:
    """The archive index (工作档案目录): per unit, each item, whether archived and uploaded.
    It is the index as it stands; its pages print 数据截至 `current_on` (default today)."""
    campaign = load_campaign(session, year)
    a = ArchiveItem
    items = session.execute(
        select(Unit.name, Unit.kind, Unit.township, a.name.label("item"), a.category)
        .add_columns(a.in_archive, a.uploaded)
        .join(Unit, Unit.id == a.unit_id)
        .where(a.campaign_id == campaign.id, *unit_conditions(campaign, filters))
    ).all()
    totals = session.execute(
        select(
            Unit.name,
            Unit.kind,
            Unit.township,
            func.count(),
            func.coalesce(func.sum(case((a.in_archive, 1), else_=0)), 0),
            func.coalesce(func.sum(case((a.uploaded, 1), else_=0)), 0),
        )
        .join(Unit, Unit.id == a.unit_id)
        .where(a.campaign_id == campaign.id, *unit_conditions(campaign, filters))
        .group_by(Unit.id, Unit.name, Unit.kind, Unit.township)
    ).all()

    def order(row: Any) -> tuple[Any, ...]:
        return (KIND_ORDER.get(row[1], 99), row[2] is None, row[2] or "", row[0])

    index = SheetData(
        "档案目录",
        ["单位", "类型", "乡镇", "档案材料", "类别", "是否归档", "是否上传纠风网站"],
        [
            [
                row.name,
                KIND_NAMES[row.kind],
                row.township,
                row.item,
                ARCHIVE_CATEGORY_NAMES.get(row.category, row.category),
                _yes_no(row.in_archive),
                _yes_no(row.uploaded),
            ]
            for row in sorted(items, key=lambda r: (*order(r), r.item))
        ],
        [28, 12, 12, 20, 8, 10, 16],
    )
    summary = SheetData(
        "各单位汇总",
        ["单位", "类型", "乡镇", "档案材料（项）", "已归档（项）", "已上传（项）"],
        [
            [name, KIND_NAMES[kind], township, int(n), int(done), int(up)]
            for name, kind, township, n, done, up in sorted(totals, key=order)
        ],
        [28, 12, 12, 14, 12, 12],
    )
    heading = PageHeading(f"{year}年工作档案目录", current_on or dt.date.today())
    return workbook_bytes([index, summary], heading)


# ---- charts --------------------------------------------------------------------------------


@dataclass
class ChartData:
    """What the report charts draw: the campaign's figures and its problems by channel."""

    figures: CampaignFigures
    by_channel: list[BreakdownRow]
    threshold: float


def chart_data(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> ChartData:
    """The figures behind the report charts (complaints by month, rectification by channel)."""
    campaign = load_campaign(session, year)
    figures = figures_for(session, campaign, as_of, filters)
    rows = problem_breakdown(session, year, as_of, [Problem.channel], filters)
    return ChartData(figures, rows, load_settings(session, year).focus_threshold)
