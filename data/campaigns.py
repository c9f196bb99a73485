"""Setting a campaign up and changing it while it runs: phases, deliverables, archive checklist,
evaluation settings, and each active unit's tasks and archive items (CLI and pages alike)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator
from sqlalchemy import String, cast, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from data.archives import DERIVED_TASKS, sync_archive_tasks
from data.edits import ConflictError
from data.forms import MAX_YEAR, MIN_YEAR, DateValue, Form, FormError, Name, validate
from data.history import record
from data.models import (
    ArchiveItem,
    ArchiveTemplate,
    Campaign,
    Phase,
    Setting,
    TaskTemplate,
    Unit,
    UnitTask,
)
from data.reference import (
    DEFAULT_ARCHIVE,
    DEFAULT_CHECKLIST,
    PHASE_DEFAULT_WINDOWS,
    PHASE_NAMES,
    PhaseCode,
)
from data.settings import EvaluationSettings, settings_key

PHASE_ORDER: tuple[str, ...] = tuple(PhaseCode)


def _year(value: Any) -> Any:
    """A year typed as text or number; anything else says what a year looks like."""
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip().removesuffix("年")
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ValueError(f"应为 4 位数字年份，如 2025（收到：{value}）")
    return int(text)


Year = Annotated[int, BeforeValidator(_year), Field(ge=MIN_YEAR, le=MAX_YEAR)]


class CampaignForm(Form):
    """A new campaign as the admin asks for it."""

    year: Year
    title: Name | None = None
    meeting_date: DateValue | None = None
    copy_from: Year | None = None


class SettingsForm(Form):
    """The evaluation settings (评议结果) of a campaign, checked as a whole."""

    satisfaction_weight: float = Field(ge=0, le=1)
    work_weight: float = Field(ge=0, le=1)
    tasks_weight: float = Field(ge=0, le=1)
    on_time_weight: float = Field(ge=0, le=1)
    conformity_weight: float = Field(ge=0, le=1)
    rating_conform: float = Field(ge=0, le=1)
    rating_basic: float = Field(ge=0, le=1)
    rating_nonconform: float = Field(ge=0, le=1)
    points_satisfied: float = Field(ge=0, le=100)
    points_basic: float = Field(ge=0, le=100)
    points_dissatisfied: float = Field(ge=0, le=100)
    grade_satisfied: float = Field(ge=0, le=100)
    grade_fairly_satisfied: float = Field(ge=0, le=100)
    grade_basic: float = Field(ge=0, le=100)
    focus_threshold: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _consistent(self) -> SettingsForm:
        errors: dict[str, str] = {}
        if abs(self.satisfaction_weight + self.work_weight - 1) > 1e-9:
            errors["work_weight"] = "满意度与工作评分的权重之和应为 1"
        parts = self.tasks_weight + self.on_time_weight + self.conformity_weight
        if abs(parts - 1) > 1e-9:
            errors["conformity_weight"] = "任务完成、按期整改、督导评定三项权重之和应为 1"
        if not self.grade_satisfied > self.grade_fairly_satisfied > self.grade_basic:
            errors["grade_basic"] = "等次分数线应从“满意”到“基本满意”依次降低"
        if errors:
            raise FormError(errors)
        return self


# ---- reading -------------------------------------------------------------------------------


def default_windows(year: int) -> dict[str, tuple[dt.date, dt.date]]:
    """The work plan's phase windows in `year` (4/1–5/31, 6/1–8/31, 9/1–10/31, 11/1–12/31)."""
    return {
        code: (dt.date(year, m1, d1), dt.date(year, m2, d2))
        for code, ((m1, d1), (m2, d2)) in PHASE_DEFAULT_WINDOWS.items()
    }


def campaign_by_year(session: Session, year: int, field: str = "year") -> Campaign:
    """The campaign of `year`, or FormError on `field` when there is none."""
    campaign = session.scalars(select(Campaign).where(Campaign.year == year)).one_or_none()
    if campaign is None:
        raise FormError({field: f"没有 {year} 年的评议活动"})
    return campaign


def campaign_settings(session: Session, year: int) -> EvaluationSettings:
    """The campaign's evaluation settings (data.settings.load_settings for that year)."""
    from data.settings import load_settings

    return load_settings(session, year)


def member_of(campaign: Campaign) -> Any:
    """SQL: a unit belongs to a campaign unless it was retired before the campaign started."""
    start = (
        select(func.min(Phase.starts_on)).where(Phase.campaign_id == campaign.id).scalar_subquery()
    )
    return or_(Unit.retired_on.is_(None), Unit.retired_on >= start)


# ---- checks --------------------------------------------------------------------------------


def check_windows(
    windows: dict[str, tuple[dt.date | None, dt.date | None]], year: int
) -> dict[str, str]:
    """Field → message for phases that end before they start, overlap or are out of order."""
    errors: dict[str, str] = {}
    previous: tuple[str, dt.date] | None = None
    for code in PHASE_ORDER:
        start, end = windows.get(code, (None, None))
        name = PHASE_NAMES[code]
        if start is None or end is None:
            errors[f"{code}.{'starts_on' if start is None else 'ends_on'}"] = "必填"
            continue
        if not MIN_YEAR <= start.year <= MAX_YEAR or not MIN_YEAR <= end.year <= MAX_YEAR:
            errors[f"{code}.starts_on"] = f"{name}的日期超出 {MIN_YEAR}–{MAX_YEAR} 年"
            continue
        if end < start:
            errors[f"{code}.ends_on"] = f"{name}的结束日期早于开始日期"
            continue
        if previous is not None and start <= previous[1]:
            errors[f"{code}.starts_on"] = (
                f"{name}应在{PHASE_NAMES[previous[0]]}结束（{previous[1].isoformat()}）之后开始"
                "，阶段不能重叠或颠倒"
            )
        previous = (code, end)
    first = windows.get(PHASE_ORDER[0], (None, None))[0]
    if first is not None and first.year not in (year, year - 1) and not errors:
        errors[f"{PHASE_ORDER[0]}.starts_on"] = f"评议活动应在 {year} 年进行"
    return errors


def check_meeting(
    meeting: dt.date | None, windows: dict[str, tuple[dt.date, dt.date]]
) -> dict[str, str]:
    """The meeting date, if any, must fall inside the campaign."""
    if meeting is None or not windows:
        return {}
    start = min(s for s, _ in windows.values())
    end = max(e for _, e in windows.values())
    if not start <= meeting <= end:
        return {
            "meeting_date": (
                f"评议大会日期应在评议活动期间（{start.isoformat()} 至 {end.isoformat()}）"
            )
        }
    return {}


def _check_seen(current: dict[str, Any], seen: dict[str, Any] | None) -> None:
    """ConflictError when what the user opened is no longer what is stored."""
    if seen is None:
        return
    changes = {k: (seen.get(k), v) for k, v in current.items() if k in seen and seen[k] != v}
    if changes:
        raise ConflictError(changes)


# ---- writing -------------------------------------------------------------------------------


def create_campaign(
    session: Session,
    year: Any,
    title: Any = None,
    meeting_date: Any = None,
    copy_from: Any = None,
) -> Campaign:
    """A campaign from the work plan (or copied from another year), with every unit's items."""
    form = validate(
        CampaignForm,
        {"year": year, "title": title, "meeting_date": meeting_date, "copy_from": copy_from},
    )
    if session.scalar(select(Campaign.id).where(Campaign.year == form.year)) is not None:
        raise FormError({"year": f"{form.year} 年的评议活动已存在"})
    source = None
    if form.copy_from is not None:
        source = campaign_by_year(session, form.copy_from, "copy_from")
    shift = form.year - source.year if source is not None else 0
    if source is not None:
        windows = {
            p.code: (_shift(p.starts_on, shift), _shift(p.ends_on, shift)) for p in source.phases
        }
    else:
        windows = default_windows(form.year)
    errors = check_meeting(form.meeting_date, windows)
    if errors:
        raise FormError(errors)
    campaign = Campaign(
        year=form.year,
        title=form.title or f"{form.year}年司法民主评议",
        meeting_date=form.meeting_date,
        phases=[Phase(code=c, starts_on=s, ends_on=e) for c, (s, e) in windows.items()],
    )
    session.add(campaign)
    session.flush()
    if source is None:
        checklist = [(p, n, list(k) if k else None) for p, n, k in DEFAULT_CHECKLIST]
        archive = list(DEFAULT_ARCHIVE)
        settings: dict[str, Any] | None = EvaluationSettings().to_dict()
    else:
        checklist = [
            (t.phase_code, t.name, t.kinds)
            for t in session.scalars(
                select(TaskTemplate)
                .where(TaskTemplate.campaign_id == source.id, TaskTemplate.retired_at.is_(None))
                .order_by(TaskTemplate.sort_order, TaskTemplate.id)
            )
        ]
        archive = [
            (name, category)
            for name, category in session.execute(
                select(ArchiveTemplate.name, ArchiveTemplate.category)
                .where(ArchiveTemplate.campaign_id == source.id)
                .order_by(ArchiveTemplate.sort_order, ArchiveTemplate.id)
            )
        ]
        settings = campaign_settings(session, source.year).to_dict()
    orders: dict[str, int] = {}
    for phase, name, kinds in checklist:
        orders[phase] = orders.get(phase, 0) + 1
        session.add(
            TaskTemplate(
                campaign_id=campaign.id,
                phase_code=phase,
                name=name,
                sort_order=orders[phase],
                needs_evidence=True,
                kinds=kinds,
                derived_from=DERIVED_TASKS.get(name),  # #18: follows the archive checklist
            )
        )
    for order, (name, category) in enumerate(archive, start=1):
        session.add(
            ArchiveTemplate(campaign_id=campaign.id, name=name, category=category, sort_order=order)
        )
    session.add(Setting(key=settings_key(form.year), value=settings))
    session.flush()
    generate_unit_items(session, campaign.id)
    return campaign


def _shift(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def generate_unit_items(session: Session, campaign_id: int | None = None) -> int:
    """Give every unit of a campaign (or of every campaign) the tasks and archive items it lacks.

    Set-based: one INSERT … SELECT each for tasks and archive items, so a roster of hundreds of
    units costs two statements. Returns the number of rows written."""
    campaigns = select(Campaign.id)
    if campaign_id is not None:
        campaigns = campaigns.where(Campaign.id == campaign_id)
    written = 0
    for (cid,) in session.execute(campaigns).all():
        applies = or_(
            TaskTemplate.kinds.is_(None),
            cast(TaskTemplate.kinds, String).contains(literal('"') + Unit.kind + literal('"')),
        )
        wanted_tasks = (
            select(TaskTemplate.id.label("template_id"), Unit.id.label("unit_id"))
            .join(Unit, Unit.retired_on.is_(None))
            .where(TaskTemplate.campaign_id == cid, TaskTemplate.retired_at.is_(None), applies)
            .where(
                ~select(UnitTask.id)
                .where(UnitTask.template_id == TaskTemplate.id, UnitTask.unit_id == Unit.id)
                .exists()
            )
        )
        written += _insert_recorded(session, UnitTask, wanted_tasks, ("template_id", "unit_id"))
        wanted_items = (
            select(
                literal(cid).label("campaign_id"),
                Unit.id.label("unit_id"),
                ArchiveTemplate.name.label("name"),
                ArchiveTemplate.category.label("category"),
            )
            .join(Unit, Unit.retired_on.is_(None))
            .where(ArchiveTemplate.campaign_id == cid)
            .where(
                ~select(ArchiveItem.id)
                .where(
                    ArchiveItem.campaign_id == cid,
                    ArchiveItem.unit_id == Unit.id,
                    ArchiveItem.name == ArchiveTemplate.name,
                )
                .exists()
            )
        )
        items = _insert_recorded(
            session, ArchiveItem, wanted_items, ("campaign_id", "unit_id", "name")
        )
        if items:  # a new checklist line reopens the archive tasks it is not yet in
            sync_archive_tasks(session, cid)
        written += items
    return written


def _insert_recorded(session: Session, model: Any, query: Any, keys: tuple[str, ...]) -> int:
    """Insert the rows a query selects, each recorded in the history as created."""
    rows = [dict(row._mapping) for row in session.execute(query)]
    if not rows:
        return 0
    table = model.__table__
    extra: dict[str, Any] = {"version": 1} if "version" in table.columns else {}
    if model is ArchiveItem:
        extra.update(in_archive=False, uploaded=False)
    found = session.execute(
        insert(table).returning(table.c.id, *(table.c[k] for k in keys)),
        [{**row, **extra} for row in rows],
    )
    record(
        session,
        "create",
        table.name,
        [(row[0], None, {"id": row[0], **dict(zip(keys, row[1:], strict=True))}) for row in found],
        note="按评议活动设置生成",
    )
    return len(rows)


def update_campaign(
    session: Session,
    year: int,
    raw: dict[str, Any],
    seen: dict[str, Any] | None = None,
) -> Campaign:
    """Change a campaign's title, meeting date and phase windows (all checked together).

    `raw` holds `title`, `meeting_date` and `<phase>.starts_on` / `<phase>.ends_on` as typed;
    `seen` is what the user opened (a save over someone else's change is refused)."""
    from data.forms import clean_text, parse_date

    campaign = campaign_by_year(session, year)
    _check_seen(setup_snapshot(campaign), seen)
    errors: dict[str, str] = {}
    windows: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    for code in PHASE_ORDER:
        parsed: list[dt.date | None] = []
        for end in ("starts_on", "ends_on"):
            key = f"{code}.{end}"
            try:
                parsed.append(parse_date(raw.get(key)))
            except ValueError as exc:
                errors[key] = str(exc)
                parsed.append(None)
        windows[code] = (parsed[0], parsed[1])
    title = clean_text(raw.get("title"))
    if not title or not isinstance(title, str):  # a forged request's number or list: not a title
        errors["title"] = "必填"
    elif len(title) > 200:
        errors["title"] = "不能超过 200 个字"
    try:
        meeting = parse_date(raw.get("meeting_date"))
    except ValueError as exc:
        errors["meeting_date"] = str(exc)
        meeting = None
    if not errors:
        errors.update(check_windows(windows, year))
    if not errors:
        errors.update(check_meeting(meeting, windows))  # type: ignore[arg-type]
    if errors:
        raise FormError(errors)
    campaign.title = title
    campaign.meeting_date = meeting
    for phase in campaign.phases:
        start, end = windows[phase.code]
        if (phase.starts_on, phase.ends_on) != (start, end):
            phase.starts_on, phase.ends_on = start, end  # type: ignore[assignment]
    session.flush()
    return campaign


def setup_snapshot(campaign: Campaign) -> dict[str, Any]:
    """The editable values of a campaign, as the set-up form shows them."""
    values: dict[str, Any] = {
        "title": campaign.title,
        "meeting_date": campaign.meeting_date.isoformat() if campaign.meeting_date else None,
    }
    for phase in campaign.phases:
        values[f"{phase.code}.starts_on"] = phase.starts_on.isoformat()
        values[f"{phase.code}.ends_on"] = phase.ends_on.isoformat()
    return values


def set_phase(session: Session, year: int, code: str, start: Any, end: Any) -> Campaign:
    """Move one phase's window (`dashboard campaign set-phase`), checked with the others."""
    campaign = campaign_by_year(session, year)
    if code not in PHASE_NAMES:
        raise FormError({"phase": f"阶段无效：{code}（可选 {'、'.join(PHASE_ORDER)}）"})
    raw = setup_snapshot(campaign)
    raw[f"{code}.starts_on"] = start
    raw[f"{code}.ends_on"] = end
    return update_campaign(session, year, raw)


def update_settings(
    session: Session, year: int, raw: dict[str, Any], seen: dict[str, Any] | None = None
) -> EvaluationSettings:
    """Replace a campaign's evaluation settings, checked as a whole; the figures follow at once."""
    campaign_by_year(session, year)
    current = campaign_settings(session, year)
    _check_seen(current.to_dict(), seen)
    form = validate(SettingsForm, raw)
    key = settings_key(year)
    row = session.get(Setting, key)
    value = form.model_dump()
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value
    session.flush()
    return campaign_settings(session, year)
