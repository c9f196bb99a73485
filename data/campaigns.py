"""Setting a campaign up and changing it while it runs: phases, deliverables, archive checklist,
evaluation settings, and each active unit's tasks and archive items (CLI and pages alike)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator, model_validator
from sqlalchemy import String, cast, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from data.edits import ConflictError
from data.forms import DateValue, Form, FormError, Name, validate
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
    ARCHIVE_CATEGORY_NAMES,
    DEFAULT_ARCHIVE,
    DEFAULT_CHECKLIST,
    KIND_NAMES,
    PHASE_DEFAULT_WINDOWS,
    PHASE_NAMES,
    PhaseCode,
)
from data.settings import EvaluationSettings, settings_key

MIN_YEAR, MAX_YEAR = 2000, 2100
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


class TemplateForm(Form):
    """A deliverable (阶段任务) of a campaign's checklist."""

    phase_code: str
    name: Name
    kinds: list[str] | None = None

    @field_validator("phase_code")
    @classmethod
    def _phase(cls, value: str) -> str:
        if value not in PHASE_NAMES:
            raise ValueError("请选择阶段")
        return value

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str] | None) -> list[str] | None:
        if not value:
            return None
        unknown = [k for k in value if k not in KIND_NAMES]
        if unknown:
            raise ValueError(f"单位类型无效：{'、'.join(unknown)}")
        return sorted(set(value), key=list(KIND_NAMES).index)


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


@dataclass(frozen=True)
class PhaseWindow:
    """One phase of a campaign as the set-up pages show it."""

    code: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class TemplateRow:
    """A deliverable with how many units have it and how many have done it."""

    id: int
    phase_code: str
    name: str
    kinds: tuple[str, ...] | None
    retired: bool
    tasks: int
    done: int


@dataclass(frozen=True)
class CampaignSetup:
    """Everything the set-up page and `campaign show` show of one campaign."""

    id: int
    year: int
    title: str
    meeting_date: dt.date | None
    phases: tuple[PhaseWindow, ...]
    templates: tuple[TemplateRow, ...]
    archive: tuple[tuple[str, str], ...]
    settings: EvaluationSettings
    units: int
    unit_tasks: int

    def to_json(self) -> dict[str, Any]:
        """The set-up as JSON (`dashboard campaign show --json`)."""
        return {
            "year": self.year,
            "title": self.title,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "phases": {
                p.code: {"starts_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat()}
                for p in self.phases
            },
            "templates": [
                {
                    "phase": t.phase_code,
                    "name": t.name,
                    "kinds": list(t.kinds) if t.kinds else None,
                    "retired": t.retired,
                    "tasks": t.tasks,
                    "done": t.done,
                }
                for t in self.templates
            ],
            "archive": [{"name": n, "category": c} for n, c in self.archive],
            "settings": self.settings.to_dict(),
            "units": self.units,
            "unit_tasks": self.unit_tasks,
        }


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


def campaign_setup(session: Session, year: int) -> CampaignSetup:
    """A campaign's phases, deliverables (with counts), checklist and settings."""
    campaign = campaign_by_year(session, year)
    phases = tuple(
        PhaseWindow(p.code, p.starts_on, p.ends_on)
        for p in session.scalars(
            select(Phase).where(Phase.campaign_id == campaign.id).order_by(Phase.starts_on)
        )
    )
    counts = select(
        UnitTask.template_id,
        func.count().label("tasks"),
        func.count(UnitTask.completed_on).label("done"),
    ).group_by(UnitTask.template_id)
    counted = counts.subquery()
    rows = session.execute(
        select(TaskTemplate, counted.c.tasks, counted.c.done)
        .outerjoin(counted, counted.c.template_id == TaskTemplate.id)
        .where(TaskTemplate.campaign_id == campaign.id)
    ).all()
    order = {code: i for i, code in enumerate(PHASE_ORDER)}
    templates = tuple(
        sorted(
            (
                TemplateRow(
                    t.id,
                    t.phase_code,
                    t.name,
                    tuple(t.kinds) if t.kinds else None,
                    t.retired_at is not None,
                    int(tasks or 0),
                    int(done or 0),
                )
                for t, tasks, done in rows
            ),
            key=lambda t: (order.get(t.phase_code, 9), t.retired, t.id),
        )
    )
    archive = tuple(
        (name, category)
        for name, category in session.execute(
            select(ArchiveTemplate.name, ArchiveTemplate.category)
            .where(ArchiveTemplate.campaign_id == campaign.id)
            .order_by(ArchiveTemplate.sort_order, ArchiveTemplate.id)
        )
    )
    units = session.scalar(select(func.count()).select_from(Unit).where(member_of(campaign)))
    return CampaignSetup(
        id=campaign.id,
        year=campaign.year,
        title=campaign.title,
        meeting_date=campaign.meeting_date,
        phases=phases,
        templates=templates,
        archive=archive,
        settings=campaign_settings(session, year),
        units=int(units or 0),
        unit_tasks=sum(t.tasks for t in templates if not t.retired),
    )


def campaign_list(session: Session) -> list[tuple[int, str, dt.date | None, dt.date | None]]:
    """(year, title, first day, last day) of every campaign, newest first."""
    rows = session.execute(
        select(Campaign.year, Campaign.title, func.min(Phase.starts_on), func.max(Phase.ends_on))
        .outerjoin(Phase, Phase.campaign_id == Campaign.id)
        .group_by(Campaign.id, Campaign.year, Campaign.title)
        .order_by(Campaign.year.desc())
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


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
        written += _insert_recorded(
            session, ArchiveItem, wanted_items, ("campaign_id", "unit_id", "name")
        )
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
    if not title:
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


def add_template(session: Session, year: int, raw: dict[str, Any]) -> TaskTemplate:
    """A new deliverable in a phase; every unit it applies to gets it at once."""
    campaign = campaign_by_year(session, year)
    form = validate(TemplateForm, raw)
    _unique_template(session, campaign.id, form.phase_code, form.name)
    order = session.scalar(
        select(func.coalesce(func.max(TaskTemplate.sort_order), 0)).where(
            TaskTemplate.campaign_id == campaign.id, TaskTemplate.phase_code == form.phase_code
        )
    )
    template = TaskTemplate(
        campaign_id=campaign.id,
        phase_code=form.phase_code,
        name=form.name,
        sort_order=int(order or 0) + 1,
        needs_evidence=True,
        kinds=form.kinds,
    )
    session.add(template)
    session.flush()
    generate_unit_items(session, campaign.id)
    return template


def _unique_template(
    session: Session, campaign_id: int, phase: str, name: str, but: int | None = None
) -> None:
    query = select(TaskTemplate.id).where(
        TaskTemplate.campaign_id == campaign_id,
        TaskTemplate.phase_code == phase,
        TaskTemplate.name == name,
    )
    if but is not None:
        query = query.where(TaskTemplate.id != but)
    if session.scalar(query) is not None:
        raise FormError({"name": f"{PHASE_NAMES[phase]}已有任务“{name}”"})


def _template(session: Session, template_id: Any) -> TaskTemplate:
    template = session.get(TaskTemplate, template_id) if isinstance(template_id, int) else None
    if template is None:
        raise FormError({"template": "该阶段任务不存在"})
    return template


def rename_template(session: Session, template_id: Any, name: Any) -> TaskTemplate:
    """Rename a deliverable (its unit tasks keep their progress)."""
    template = _template(session, template_id)
    form = validate(
        TemplateForm, {"phase_code": template.phase_code, "name": name, "kinds": template.kinds}
    )
    _unique_template(session, template.campaign_id, template.phase_code, form.name, template.id)
    template.name = form.name
    session.flush()
    return template


def retire_template(session: Session, template_id: Any, when: dt.datetime) -> TaskTemplate:
    """Take a deliverable out of the checklist; its unit tasks stay, counted in no figure."""
    template = _template(session, template_id)
    if template.retired_at is None:
        template.retired_at = when
        session.flush()
    return template


def restore_template(session: Session, template_id: Any) -> TaskTemplate:
    """Put a retired deliverable back; units that joined since get it too."""
    template = _template(session, template_id)
    if template.retired_at is not None:
        template.retired_at = None
        session.flush()
        generate_unit_items(session, template.campaign_id)
    return template


def delete_template(session: Session, template_id: Any) -> None:
    """Remove a deliverable added by mistake: only while no unit has completed it.

    The deletion of the template and its empty unit tasks is recorded in the history."""
    template = _template(session, template_id)
    done = session.scalar(
        select(func.count())
        .select_from(UnitTask)
        .where(UnitTask.template_id == template.id, UnitTask.completed_on.is_not(None))
    )
    if done:
        raise FormError(
            {"template": f"已有 {done} 个单位完成“{template.name}”，不能删除，只能停用"}
        )
    tasks = session.execute(
        select(UnitTask.id, UnitTask.unit_id).where(UnitTask.template_id == template.id)
    ).all()
    record(
        session,
        "delete",
        "unit_task",
        [(tid, {"template_id": template.id, "unit_id": uid}, None) for tid, uid in tasks],
        note=f"删除未使用的阶段任务“{template.name}”",
    )
    record(
        session,
        "delete",
        "task_template",
        [(template.id, {"name": template.name, "phase_code": template.phase_code}, None)],
    )
    session.execute(delete(UnitTask).where(UnitTask.template_id == template.id))
    session.execute(delete(TaskTemplate).where(TaskTemplate.id == template.id))
    session.expunge(template)


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


def category_name(code: str) -> str:
    """文件 / 资料 / 照片."""
    return ARCHIVE_CATEGORY_NAMES.get(code, code)


@dataclass(frozen=True)
class SetupProgress:
    """How far a bureau has come from an empty database (the admin's four first steps)."""

    units: int
    campaigns: int
    unit_accounts: int
    problems: int

    @property
    def complete(self) -> bool:
        return bool(self.units and self.campaigns and self.unit_accounts and self.problems)


def setup_progress(session: Session) -> SetupProgress:
    """Counts of active units, campaigns, unit accounts and problems (one query)."""
    from data.models import Problem, User

    def count(model: Any, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = session.execute(
        select(
            count(Unit, Unit.retired_on.is_(None)),
            count(Campaign),
            count(User, User.role == "unit", User.active.is_(True)),
            count(Problem, Problem.voided_at.is_(None)),
        )
    ).one()
    return SetupProgress(*(int(n or 0) for n in row))
