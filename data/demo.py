"""The demo county: a deterministic, believable county of units and three campaigns of data.

Kept whole past 500 lines: one generator whose steps share one random stream in a fixed order
(the seed's output depends on it); the texts it draws from are in data.demo_corpus.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from data.archives import settle_archive_tasks
from data.db import Database
from data.demo_corpus import (
    ARCHIVE_ITEMS,
    CHANNEL_PREFIX,
    CLEAN_VISIT_NOTES,
    EXTRA_ARCHIVE_ITEM,
    FIRM_NAMES,
    FOCUS_NOTES,
    GENERAL_QUESTIONS,
    GIVEN,
    INSPECTION_PREFIX,
    INTERNAL,
    INTERNAL_CRITERIA,
    LEADERS,
    LONG_NAME,
    PUBLIC_CHANNELS,
    SUPERVISORS,
    SURNAMES,
    TASK_EVIDENCE,
    TEMPLATES,
    TOPICS,
    TOWNSHIPS,
    VISIT_NOTES,
    A,
    C,
    F,
    J,
    N,
)
from data.demo_plan import add_work_plan
from data.history import record
from data.models import (
    ArchiveItem,
    ArchiveTemplate,
    Base,
    Campaign,
    Inspection,
    MeetingQuestion,
    Phase,
    Problem,
    Representative,
    SatisfactionSurvey,
    SupervisionRating,
    SupervisionVisit,
    TaskTemplate,
    Unit,
    UnitCaseload,
    UnitTask,
    User,
)
from data.reference import (
    COMPLAINT_CHANNELS,
    DEFAULT_TASKS,
    KIND_GROUP,
    PHASE_DEFAULT_WINDOWS,
    RESPONDENT_TYPES,
    AnswerMode,
    Channel,
    Feedback,
    InspectionMode,
    PhaseCode,
    Rating,
    Role,
    Severity,
    Status,
    UnitKind,
    VisitKind,
    criteria_for_group,
    criterion_applies,
)

DEMO_PASSWORD = "pingyi2024"
ACTOR = "demo"


# sector -> how many of the ~24 representatives
SECTORS = {"人大代表": 5, "政协委员": 5, "群众代表": 8, "企业代表": 4, "律师代表": 2}

# The channels whose problems are not tied to an event record, with their share of a campaign.
FREE_CHANNELS = {
    Channel.SELF_INSPECTION: 0.25,
    Channel.QUESTIONNAIRE: 0.12,
    Channel.VISIT_FORUM: 0.12,
    Channel.HOTLINE: 0.18,
    Channel.REFERRAL: 0.07,
}
MEETING_SHARE = 0.06


# (unit kind, low, high): a unit's usual yearly caseload
CASELOAD = {
    UnitKind.JUDICIAL_OFFICE: (80, 300),
    UnitKind.NOTARY_OFFICE: (250, 900),
    UnitKind.LAW_FIRM: (300, 1200),
    UnitKind.LEGAL_SERVICE_CENTER: (40, 180),
    UnitKind.LEGAL_AID_CENTER: (60, 260),
}
KIND_WEIGHT = {
    UnitKind.JUDICIAL_OFFICE: 1.2,
    UnitKind.NOTARY_OFFICE: 1.0,
    UnitKind.LAW_FIRM: 1.0,
    UnitKind.LEGAL_SERVICE_CENTER: 0.8,
    UnitKind.LEGAL_AID_CENTER: 0.9,
}

EXEMPLARY, NORMAL, TROUBLED = "exemplary", "normal", "troubled"
PROFILE_WEIGHT = {EXEMPLARY: 0.5, NORMAL: 1.0, TROUBLED: 3.5}
PROFILE_SERIOUS = {EXEMPLARY: 0.03, NORMAL: 0.08, TROUBLED: 0.4}
# (on time, late, never) shares of problem rectifications and of phase tasks
PROFILE_RECTIFY = {
    EXEMPLARY: (1.0, 0.0, 0.0),
    NORMAL: (0.85, 0.12, 0.03),
    TROUBLED: (0.45, 0.28, 0.27),
}
PROFILE_TASKS = {
    EXEMPLARY: (1.0, 0.0, 0.0),
    NORMAL: (0.93, 0.05, 0.02),
    TROUBLED: (0.7, 0.18, 0.12),
}


# The tables load_demo(force=True) empties, children before parents; change_log is never touched.
WIPE_ORDER = (
    # #15 催办
    "chase_step",
    "chase_notice",
    "chase_run",
    "outbox_message",
    # #18 the rest of the work plan
    "attachment",
    "attachment_blob",
    "briefing_recipient",
    "briefing",
    "topic_problem",
    "visit_topic",
    "topic",
    "commitment_problem",
    "commitment",
    "supervision_rating",
    "problem",
    "report_batch",
    "inspection_representative",
    "inspection",
    "meeting_question",
    "supervision_visit",
    "satisfaction_survey",
    "archive_item",
    "archive_template",
    "unit_task",
    "task_template",
    "unit_caseload",
    "phase",
    "app_user",
    "representative",
    "campaign",
    "unit_alias",
    "unit",
)


class DatabaseNotEmpty(RuntimeError):
    """The database already holds data and the caller did not ask to overwrite it."""


@dataclass
class DemoSummary:
    """What load_demo created: unit count, campaign years, problems per year, demo accounts."""

    units: int
    campaigns: list[int]
    problems: dict[int, int]
    users: list[tuple[str, str, str]]


def load_demo(
    db: Database, seed: int = 2024, today: dt.date | None = None, force: bool = False
) -> DemoSummary:
    """Fill the database with the demo county; refuse a non-empty one unless `force`."""
    today = today or dt.date.today()
    with db.write(ACTOR) as session:
        units = session.scalar(select(func.count()).select_from(Unit)) or 0
        campaigns = session.scalar(select(func.count()).select_from(Campaign)) or 0
        if units or campaigns:
            if not force:
                what = f"{units} 个单位" if units else f"{campaigns} 个评议年度"
                raise DatabaseNotEmpty(f"数据库不是空的（已有 {what}），如要覆盖请加 --force")
            wipe(session, seed)
        summary = _Loader(session, random.Random(seed), today).run()
        add_work_plan(session, today, seed)
        return summary


def wipe(session: Session, seed: int | None = None) -> dict[str, int]:
    """Empty the evaluation tables (keeping the history) and record the reset in the history."""
    tables = [Base.metadata.tables[name] for name in WIPE_ORDER]
    counts = {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0 for table in tables
    }
    for table in tables:
        session.execute(delete(table))
    note = "载入演示数据前清空评议数据（--force）"
    if seed is not None:
        note += f"，种子 {seed}"
    record(session, "demo_reset", "database", [(None, counts, None)], note=note)
    return counts


def latest_campaign_year(today: dt.date) -> int:
    """The year of the newest campaign: this year from April 1, else last year's."""
    start_month, start_day = PHASE_DEFAULT_WINDOWS[PhaseCode.MOBILIZE][0]
    return today.year if today >= dt.date(today.year, start_month, start_day) else today.year - 1


def phase_windows(year: int, today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """Default phase windows of a campaign; a campaign still running in the new year is extended
    so its assess phase ends the day before the next mobilize phase."""
    windows = {
        code: (dt.date(year, m1, d1), dt.date(year, m2, d2))
        for code, ((m1, d1), (m2, d2)) in PHASE_DEFAULT_WINDOWS.items()
    }
    if year == latest_campaign_year(today) and year < today.year:
        next_start = dt.date(today.year, *PHASE_DEFAULT_WINDOWS[PhaseCode.MOBILIZE][0])
        windows[PhaseCode.ASSESS] = (windows[PhaseCode.ASSESS][0], next_start - dt.timedelta(1))
    return windows


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A uniformly random day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, span)) if span > 0 else start


def _plus(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


@dataclass
class _UnitInfo:
    """A demo unit with what the generator needs to know about it."""

    unit: Unit
    head: str
    clerk: str
    base_cases: int
    weight: float

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def kind(self) -> str:
        return self.unit.kind

    @property
    def group(self) -> str:
        return KIND_GROUP[self.unit.kind]


@dataclass
class _Campaign:
    """One campaign being generated: its windows, unit profiles and task completions."""

    campaign: Campaign
    windows: dict[str, tuple[dt.date, dt.date]]
    profiles: dict[str, str]
    target: int
    done_tasks: dict[tuple[str, str], dt.date] = field(default_factory=dict)
    cum_weights: dict[bool, list[float]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.campaign.year


class _Loader:
    """Generates the demo county into one write session, deterministically from `rng`."""

    def __init__(self, session: Session, rng: random.Random, today: dt.date) -> None:
        self.session = session
        self.rng = rng
        self.today = today
        self.used_names: set[str] = set()
        self.templates = {
            kind: [
                t for t in TEMPLATES if criterion_applies(t[0], kind) and (not t[3] or kind in t[3])
            ]
            for kind in UnitKind
        }

    def run(self) -> DemoSummary:
        """Generate everything and return the summary."""
        units = self._units()
        reps = self._representatives()
        chronic = self._chronic(units)
        latest = latest_campaign_year(self.today)
        problems: dict[int, int] = {}
        for year in (latest - 2, latest - 1, latest):
            camp = self._campaign(year, units, chronic)
            self._caseloads(camp, units)
            self._tasks(camp, units)
            self._free_problems(camp, units)
            self._inspections(camp, units, reps)
            self._meeting(camp, units, reps)
            self._supervision(camp, units)
            self._number_problems(camp)
            self._surveys(camp, units)
            self._archives(camp, units)
            self.session.flush()
            problems[year] = len(camp.problems)
        users = self._users(units)
        self.session.flush()
        # #18: the archive tasks follow the archive items (整理工作档案, 上传纠风网站).
        settle_archive_tasks(self.session, self.today)
        return DemoSummary(
            units=len(units), campaigns=sorted(problems), problems=problems, users=users
        )

    def _bulk_insert(self, model: type, rows: list[dict[str, Any]]) -> None:
        """Insert many rows with Core, each recorded in the history as the ORM listener would.

        The ORM costs about ten times as much per row; these tables have thousands of rows."""
        if not rows:
            return
        table = Base.metadata.tables[model.__tablename__]  # type: ignore[attr-defined]
        columns = [c.key for c in table.columns if c.key not in ("id", "version")]
        version = {"version": 1} if "version" in table.columns else {}
        params = [{**{c: row.get(c) for c in columns}, **version} for row in rows]
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = self.session.execute(statement, params).scalars().all()
        record(
            self.session,
            "create",
            table.name,
            [
                (row_id, None, {"id": row_id, **{c: row[c] for c in columns}})
                for row_id, row in zip(ids, params, strict=True)
            ],
        )

    # ---- people and units -------------------------------------------------------------------

    def person(self) -> str:
        """A Chinese personal name not used before in this load."""
        while True:
            given = self.rng.choice(GIVEN)
            if self.rng.random() < 0.6:
                given += self.rng.choice(GIVEN)
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def phone(self) -> str:
        """An 11-digit mobile number."""
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choices("0123456789", k=9))

    def _units(self) -> list[_UnitInfo]:
        """Eight units per township: 司法所, 公证处, 3 law firms, 2 法律服务所, 法律援助中心."""
        firms = iter(self.rng.sample(FIRM_NAMES, 3 * len(TOWNSHIPS)))
        rows: list[tuple[str, str, str]] = []
        for town in TOWNSHIPS:
            rows.append((f"{town}司法所", J, town))
            rows.append((f"{town}公证处", N, town))
            rows.extend((f"{next(firms)}律师事务所", F, town) for _ in range(3))
            rows.append((f"{town}法律服务所", C, town))
            second = LONG_NAME if town == TOWNSHIPS[0] else f"{town}第二基层法律服务所"
            rows.append((second, C, town))
            rows.append((f"{town}法律援助中心", A, town))
        infos = []
        for name, kind, town in rows:
            unit = Unit(name=name, kind=kind, township=town)
            low, high = CASELOAD[kind]
            infos.append(
                _UnitInfo(
                    unit=unit,
                    head=self.person(),
                    clerk=self.person(),
                    base_cases=self.rng.randint(low, high),
                    weight=KIND_WEIGHT[kind] * self.rng.uniform(0.7, 1.3),
                )
            )
        self.session.add_all(info.unit for info in infos)
        self.session.flush()
        return infos

    def _representatives(self) -> list[Representative]:
        """About two dozen citizen representatives (民评代表) across the sectors."""
        reps = [
            Representative(name=self.person(), sector=sector, contact=self.phone(), active=True)
            for sector, count in SECTORS.items()
            for _ in range(count)
        ]
        reps[-1].active = False  # one representative has stepped down
        self.session.add_all(reps)
        self.session.flush()
        return reps

    def _chronic(self, units: list[_UnitInfo]) -> list[str]:
        """Units with serious trouble every year: a 司法所, two law firms, a 法律服务所."""
        picks: list[str] = []
        for kind, count in ((J, 1), (F, 2), (C, 1)):
            # Skip the first 司法所: its user account is the demo's unit log-in.
            pool = [u.name for u in units if u.kind == kind and u is not units[0]]
            picks.extend(self.rng.sample(pool, count))
        return picks

    def _users(self, units: list[_UnitInfo]) -> list[tuple[str, str, str]]:
        """The demo accounts, all with the demo password; existing usernames are left alone."""
        first_office = next(u.unit for u in units if u.kind == J)
        wanted = (
            ("admin", "纠风办管理员", Role.ADMIN, None),
            ("leader", "局领导", Role.LEADER, None),
            ("duban", SUPERVISORS[0], Role.SUPERVISOR, None),
            ("unit01", f"{first_office.name}填报员", Role.UNIT, first_office.id),
        )
        taken = set(self.session.scalars(select(User.username)))
        # One hash for the shared, published demo password: hashing is deliberately slow.
        password_hash = generate_password_hash(DEMO_PASSWORD)
        created = []
        for username, display, role, unit_id in wanted:
            if username in taken:
                continue
            self.session.add(
                User(
                    username=username,
                    display_name=display,
                    password_hash=password_hash,
                    role=role,
                    unit_id=unit_id,
                    active=True,
                    failed_logins=0,
                )
            )
            created.append((username, str(role), DEMO_PASSWORD))
        return created

    # ---- one campaign -----------------------------------------------------------------------

    def _campaign(self, year: int, units: list[_UnitInfo], chronic: list[str]) -> _Campaign:
        """The campaign with its phases, meeting date and this year's unit profiles."""
        windows = phase_windows(year, self.today)
        meeting = self.rng.choice(
            [d for d in (dt.date(year, 8, n) for n in range(20, 29)) if d.weekday() < 5]
        )
        campaign = Campaign(year=year, title=f"{year}年司法民主评议", meeting_date=meeting)
        campaign.phases = [
            Phase(code=code, starts_on=start, ends_on=end) for code, (start, end) in windows.items()
        ]
        self.session.add(campaign)
        self.session.flush()

        rest = [u.name for u in units if u.name not in chronic]
        troubled = set(chronic) | set(self.rng.sample(rest, 2))
        rest = [name for name in rest if name not in troubled]
        exemplary = set(self.rng.sample(rest, 12))
        profiles = {
            u.name: TROUBLED if u.name in troubled else EXEMPLARY if u.name in exemplary else NORMAL
            for u in units
        }
        # A full year's problem volume; a running campaign only has those found so far.
        return _Campaign(campaign, windows, profiles, target=self.rng.randint(570, 630))

    def _caseloads(self, camp: _Campaign, units: list[_UnitInfo]) -> None:
        """Cases handled this year (for a running year: so far)."""
        year_start = dt.date(camp.year, 1, 1)
        elapsed = min(1.0, ((self.today - year_start).days + 1) / 365)
        self.session.add_all(
            UnitCaseload(
                campaign_id=camp.campaign.id,
                unit_id=u.unit.id,
                cases=round(u.base_cases * self.rng.uniform(0.85, 1.15) * elapsed),
            )
            for u in units
        )

    def _plan(self, shares: tuple[float, float, float]) -> str:
        return self.rng.choices(("on_time", "late", "never"), weights=shares)[0]

    def _tasks(self, camp: _Campaign, units: list[_UnitInfo]) -> None:
        """The default checklist and each unit's task, done by its phase's end unless it slipped."""
        templates = []
        for code, names in DEFAULT_TASKS.items():
            for order, name in enumerate(names, start=1):
                template = TaskTemplate(
                    campaign_id=camp.campaign.id,
                    phase_code=code,
                    name=name,
                    sort_order=order,
                    needs_evidence=True,
                )
                templates.append((template, code, order, len(names)))
        self.session.add_all(t for t, *_ in templates)
        self.session.flush()
        tasks = []
        for u in units:
            shares = PROFILE_TASKS[camp.profiles[u.name]]
            for template, code, order, count in templates:
                start, end = camp.windows[code]
                span = (end - start).days
                plan = self._plan(shares)
                # Earlier items of a checklist tend to be done earlier in the phase.
                offset = round(self.rng.triangular(0, span, span * order / (count + 1)))
                done: dt.date | None = _plus(start, offset)
                if plan == "late":
                    done = _plus(end, self.rng.randint(1, 30))
                elif plan == "never":
                    done = None
                if done is not None and done > self.today:
                    done = None
                evidence = self._evidence(camp, u, template.name) if done else None
                if done:
                    camp.done_tasks[(u.name, template.name)] = done
                tasks.append(
                    {
                        "template_id": template.id,
                        "unit_id": u.unit.id,
                        "completed_on": done,
                        "evidence": evidence,
                    }
                )
        self._bulk_insert(UnitTask, tasks)

    def _evidence(self, camp: _Campaign, u: _UnitInfo, task: str) -> str:
        text = TASK_EVIDENCE.get(task, "已完成，材料已存档")
        n = self.rng.randint(20, 120)
        return text.format(
            year=camp.year,
            head=u.head,
            n=n,
            m=max(1, n - self.rng.randint(0, 8)),
            k=self.rng.randint(3, 12),
            topics="、".join(self.rng.sample(TOPICS, self.rng.randint(2, 3))),
        )

    # ---- problems ---------------------------------------------------------------------------

    def _template(
        self, kind: str, criterion: str | None = None, public: bool = False
    ) -> tuple[str, str, str]:
        """(criterion, description, measures) for a unit of this kind; `public`: only what
        citizens can see from outside (no internal bookkeeping)."""
        pool = self.templates[kind]
        if public:
            pool = [t for t in pool if t[0] not in INTERNAL_CRITERIA and t[1] not in INTERNAL]
        if criterion is not None:
            pool = [t for t in pool if t[0] == criterion] or pool
        code, desc, measures, _kinds = self.rng.choice(pool)
        return code, desc.replace("{d}", str(self.rng.randint(2, 9))), measures

    def _weighted_unit(self, camp: _Campaign, units: list[_UnitInfo], channel: str) -> _UnitInfo:
        """A unit drawn by how likely it is to draw problems (law firms draw more complaints)."""
        complaint = channel in COMPLAINT_CHANNELS
        cumulative = camp.cum_weights.get(complaint)
        if cumulative is None:
            weights = [
                u.weight
                * PROFILE_WEIGHT[camp.profiles[u.name]]
                * (1.5 if complaint and u.kind == F else 1.0)
                for u in units
            ]
            cumulative = camp.cum_weights[complaint] = list(itertools.accumulate(weights))
        return self.rng.choices(units, cum_weights=cumulative)[0]

    def _problem(
        self,
        camp: _Campaign,
        u: _UnitInfo,
        channel: str,
        found: dt.date,
        prefix: str,
        template: tuple[str, str, str] | None = None,
        **links: int,
    ) -> Problem:
        """A problem with a rectification history consistent with today."""
        rng, profile = self.rng, camp.profiles[u.name]
        criterion, desc, measures = template or self._template(
            u.kind, public=channel in PUBLIC_CHANNELS
        )
        serious = rng.random() < PROFILE_SERIOUS[profile]
        deadline = _plus(found, rng.randint(15, 30) if serious else rng.randint(20, 60))
        complaint = channel in COMPLAINT_CHANNELS
        status, completed = self._rectification(profile, found, deadline, complaint)
        rectified = status in (Status.DONE, Status.VERIFIED)
        problem = Problem(
            campaign_id=camp.campaign.id,
            unit_id=u.unit.id,
            channel=channel,
            criterion_code=criterion,
            found_on=found,
            description=f"{prefix}{desc}",
            severity=Severity.SERIOUS if serious else Severity.NORMAL,
            deadline=deadline,
            measures=measures,
            owner=u.head if serious or rng.random() < 0.4 else u.clerk,
            status=status,
            completed_on=completed,
            published=rectified and (profile == EXEMPLARY or rng.random() < 0.85),
            reported=rectified and (channel == Channel.REFERRAL or rng.random() < 0.8),
            evidence="整改材料及照片已存档" if rectified else None,
            **links,
        )
        if complaint:
            problem.complainant_name = self.person()
            problem.complainant_phone = self.phone()
            if rectified:
                problem.feedback = rng.choices(
                    list(Feedback),
                    weights=(70, 18, 5, 7) if profile != TROUBLED else (40, 25, 25, 10),
                )[0]
        camp.problems.append(problem)
        return problem

    def _rectification(
        self, profile: str, found: dt.date, deadline: dt.date, complaint: bool
    ) -> tuple[str, dt.date | None]:
        """(status, completed_on) as of today for a problem found on `found`."""
        rng = self.rng
        if rng.random() < (0.14 if complaint else 0.01):
            checked = _plus(found, rng.randint(3, 15))
            if checked <= self.today:
                return Status.UNFOUNDED, None
            return Status.IN_PROGRESS if rng.random() < 0.5 else Status.PENDING, None
        plan = self._plan(PROFILE_RECTIFY[profile])
        span = (deadline - found).days
        if plan == "on_time":
            done: dt.date | None = _plus(found, rng.randint(min(3, span), span))
        elif plan == "late":
            done = _plus(deadline, rng.randint(1, 45))
        else:
            done = None
        started = _plus(found, rng.randint(1, 7))
        verify_lag = rng.randint(7, 30)
        if done is not None and done <= self.today:
            if _plus(done, verify_lag) <= self.today and rng.random() < 0.7:
                return Status.VERIFIED, done
            return Status.DONE, done
        if started <= self.today and rng.random() < 0.8:
            return Status.IN_PROGRESS, None
        return Status.PENDING, None

    def _channel_window(self, camp: _Campaign, channel: str) -> tuple[dt.date, dt.date]:
        """When problems of a free channel can plausibly be found."""
        inv_start, inv_end = camp.windows[PhaseCode.INVESTIGATE]
        assess_end = camp.windows[PhaseCode.ASSESS][1]
        if channel == Channel.HOTLINE:
            return inv_start, assess_end
        if channel == Channel.REFERRAL:
            return _plus(inv_start, 14), assess_end
        return inv_start, inv_end

    def _free_problems(self, camp: _Campaign, units: list[_UnitInfo]) -> None:
        """Problems from self-inspection, questionnaires, visits and forums, and complaints."""
        total = camp.target
        for channel, share in FREE_CHANNELS.items():
            start, end = self._channel_window(camp, channel)
            for _ in range(round(total * share)):
                u = self._weighted_unit(camp, units, channel)
                found = _day(self.rng, start, end)
                if found > self.today:
                    continue
                prefix = CHANNEL_PREFIX.get(channel, "")
                if channel == Channel.REFERRAL:
                    number = self.rng.randint(1, 60)
                    prefix = f"县纠风办交办（纠风交〔{camp.year}〕{number}号）：群众反映"
                self._problem(camp, u, channel, found, prefix)

    def _inspections(
        self, camp: _Campaign, units: list[_UnitInfo], reps: list[Representative]
    ) -> None:
        """明查暗访 by two or three representatives; each finding becomes a problem."""
        start, end = camp.windows[PhaseCode.INVESTIGATE]
        active = [r for r in reps if r.active]
        planned = []
        for _ in range(self.rng.randint(28, 34)):
            u = self._weighted_unit(camp, units, Channel.INSPECTION)
            day = _day(self.rng, _plus(start, 9), _plus(end, -5))
            mode = InspectionMode.OPEN if self.rng.random() < 0.6 else InspectionMode.COVERT
            team = self.rng.sample(active, self.rng.choice((2, 2, 3)))
            count = self.rng.choices((0, 1, 2, 3), weights=(10, 25, 35, 30))[0]
            findings = [self._template(u.kind, public=True) for _ in range(count)]
            if day <= self.today:
                planned.append((u, day, mode, team, findings))
        planned.sort(key=lambda p: p[1])
        inspections = []
        for u, day, mode, team, findings in planned:
            text = "；".join(f[1] for f in findings) if findings else "未发现明显问题，窗口服务规范"
            inspection = Inspection(
                campaign_id=camp.campaign.id,
                unit_id=u.unit.id,
                inspected_on=day,
                mode=mode,
                findings=text,
                representatives=team,
            )
            inspections.append(inspection)
        self.session.add_all(inspections)
        self.session.flush()
        for inspection, (u, day, mode, _team, findings) in zip(inspections, planned, strict=True):
            for finding in findings:
                self._problem(
                    camp,
                    u,
                    Channel.INSPECTION,
                    day,
                    INSPECTION_PREFIX[InspectionMode(mode)],
                    finding,
                    inspection_id=inspection.id,
                )

    def _meeting(self, camp: _Campaign, units: list[_UnitInfo], reps: list[Representative]) -> None:
        """The 评议大会: about twenty questions and the meeting's problems."""
        meeting = camp.campaign.meeting_date
        assert meeting is not None
        if meeting > self.today:
            return
        latest = camp.year == latest_campaign_year(self.today)
        questions: list[tuple[MeetingQuestion, _UnitInfo | None, tuple[str, str, str] | None]] = []
        count = self.rng.randint(18, 22)
        unanswered = set(self.rng.sample(range(count), 3)) if latest else set()
        for i in range(count):
            rep = self.rng.choice([r for r in reps if r.active])
            u = (
                self._weighted_unit(camp, units, Channel.MEETING)
                if self.rng.random() < 0.85
                else None
            )
            if u is not None:
                template = self._template(u.kind, public=True)
                problem = template[1].removeprefix("存在")
                text = f"{u.name}存在{problem}的情况，请问下一步如何整改？"
                spot = f"已责成{u.name}{template[2]}，整改结果向代表反馈"
                reply = f"经调查核实，{u.name}已{template[2]}，整改情况已书面反馈代表"
            else:
                template = None
                text, spot = self.rng.choice(GENERAL_QUESTIONS)
                reply = f"经研究，{spot}，已书面反馈代表"
            question = MeetingQuestion(
                campaign_id=camp.campaign.id,
                unit_id=u.unit.id if u else None,
                representative_id=rep.id,
                asker=rep.name,
                question=text,
                asked_on=meeting,
            )
            if self.rng.random() < 0.45 and i not in unanswered:
                question.answer_mode = AnswerMode.ON_THE_SPOT
                question.answer = f"{self.rng.choice(LEADERS)}当场答复：{spot}。"
            else:
                question.answer_mode = AnswerMode.FOLLOW_UP
                question.reply_deadline = _plus(meeting, self.rng.randint(15, 30))
                replied = _plus(meeting, self.rng.randint(5, 35))
                if i not in unanswered and replied <= self.today:
                    question.replied_on = replied
                    question.answer = f"{reply}。"
            questions.append((question, u, template))
        self.session.add_all(q for q, _, _ in questions)
        self.session.flush()

        linked = 0
        for question, u, template in questions:
            if u is not None and template is not None and self.rng.random() < 0.8:
                self._problem(
                    camp,
                    u,
                    Channel.MEETING,
                    meeting,
                    "评议大会上代表提出：",
                    template,
                    question_id=question.id,
                )
                linked += 1
        for _ in range(max(0, round(camp.target * MEETING_SHARE) - linked)):
            u = self._weighted_unit(camp, units, Channel.MEETING)
            self._problem(camp, u, Channel.MEETING, meeting, CHANNEL_PREFIX[Channel.MEETING])

    def _supervision(self, camp: _Campaign, units: list[_UnitInfo]) -> None:
        """督导检查 in the assess phase: routine visits to most units, 重点督查 of troubled ones."""
        start, end = camp.windows[PhaseCode.ASSESS]
        span = (end - start).days
        routine = self.rng.sample(units, round(len(units) * 0.75))
        focus = [u for u in units if camp.profiles[u.name] == TROUBLED]
        planned = []
        for kind, group in ((VisitKind.ROUTINE, routine), (VisitKind.FOCUS, focus)):
            for u in group:
                if kind == VisitKind.ROUTINE:
                    day = _plus(start, self.rng.randint(2, min(50, span - 3)))
                    count = self.rng.choices((0, 1, 2), weights=(60, 32, 8))[0]
                else:
                    day = _plus(start, self.rng.randint(min(20, span - 2), span - 2))
                    count = self.rng.randint(2, 4)
                visit, ratings, follow_ups = self._visit(camp, u, kind, day, count)
                if day <= self.today:
                    planned.append((visit, u, ratings, follow_ups))
        planned.sort(key=lambda p: (p[0].visited_on, p[1].name))
        self.session.add_all(v for v, *_ in planned)
        self.session.flush()
        self._bulk_insert(
            SupervisionRating,
            [
                {"visit_id": visit.id, "criterion_code": code, "rating": rating}
                for visit, _, ratings, _ in planned
                for code, rating in ratings
            ],
        )
        for visit, u, _, follow_ups in planned:
            for template in follow_ups:
                self._problem(
                    camp,
                    u,
                    Channel.SUPERVISION,
                    visit.visited_on,
                    CHANNEL_PREFIX[Channel.SUPERVISION],
                    template,
                    visit_id=visit.id,
                )

    def _visit(
        self, camp: _Campaign, u: _UnitInfo, kind: str, day: dt.date, count: int
    ) -> tuple[SupervisionVisit, list[tuple[str, str]], list[tuple[str, str, str]]]:
        """One visit, its (criterion, rating) for each applicable criterion, its follow-ups."""
        rng, profile = self.rng, camp.profiles[u.name]
        criteria = criteria_for_group(u.group)
        follow_ups = [self._template(u.kind, c) for c in rng.sample(criteria, count)]
        flagged = {t[0] for t in follow_ups}
        conform = {EXEMPLARY: 0.95, NORMAL: 0.8, TROUBLED: 0.5}[profile]
        ratings = []
        for code in criteria:
            if code in flagged:
                rating = Rating.NONCONFORM if rng.random() < 0.6 else Rating.BASIC
            elif rng.random() < conform:
                rating = Rating.CONFORM
            else:
                rating = Rating.BASIC if rng.random() < 0.85 else Rating.NONCONFORM
            ratings.append((code, str(rating)))
        if follow_ups:
            findings = f"发现问题{len(follow_ups)}条：" + "；".join(t[1] for t in follow_ups)
        else:
            findings = "评议工作组织有序，台账资料齐全，未发现明显问题"
        if kind == VisitKind.FOCUS:
            notes = rng.choice(FOCUS_NOTES)
            next_visit: dt.date | None = _plus(day, rng.randint(20, 40))
        else:
            notes = rng.choice(VISIT_NOTES if follow_ups else CLEAN_VISIT_NOTES)
            next_visit = _plus(day, 30) if follow_ups else None
        visit = SupervisionVisit(
            campaign_id=camp.campaign.id,
            unit_id=u.unit.id,
            visited_on=day,
            supervisors="、".join(rng.sample(SUPERVISORS, 2)),
            kind=kind,
            findings=findings,
            notes=notes,
            next_visit_on=next_visit,
        )
        return visit, ratings, follow_ups

    def _number_problems(self, camp: _Campaign) -> None:
        """Ledger keys (`2024-0001` …) in the order problems were found, then add them."""
        camp.problems.sort(key=lambda p: p.found_on)  # stable: generation order breaks ties
        for number, problem in enumerate(camp.problems, start=1):
            problem.ledger_key = f"{camp.year}-{number:04d}"
        self.session.add_all(camp.problems)

    # ---- surveys and archives ---------------------------------------------------------------

    def _surveys(self, camp: _Campaign, units: list[_UnitInfo]) -> None:
        """满意度测评 counts per unit and respondent type, once the investigate phase has begun."""
        start, end = camp.windows[PhaseCode.INVESTIGATE]
        if start > self.today:
            return
        progress = min(1.0, ((self.today - start).days + 1) / ((end - start).days + 1))
        sizes = {"民评代表": (8, 15), "服务对象": (25, 60), "社会各界": (12, 30)}
        surveys = []
        for u in units:
            profile = camp.profiles[u.name]
            if profile == EXEMPLARY:
                p_sat, p_basic = 0.8, 0.17
            elif profile == TROUBLED:
                p_sat, p_basic = 0.35, 0.35
            else:
                p_sat, p_basic = self.rng.uniform(0.55, 0.75), 0.2
            for respondent in RESPONDENT_TYPES:
                low, high = sizes.get(respondent, (10, 30))
                n = max(1, round(self.rng.randint(low, high) * progress))
                counts = [0, 0, 0]
                for _ in range(n):
                    x = self.rng.random()
                    counts[0 if x < p_sat else 1 if x < p_sat + p_basic else 2] += 1
                surveys.append(
                    {
                        "campaign_id": camp.campaign.id,
                        "unit_id": u.unit.id,
                        "respondent_type": respondent,
                        "satisfied": counts[0],
                        "basically_satisfied": counts[1],
                        "dissatisfied": counts[2],
                        "unknown": round(
                            self.rng.randint(0, 1 if respondent == "民评代表" else 3) * progress
                        ),
                    }
                )
        self._bulk_insert(SatisfactionSurvey, surveys)

    def _archives(self, camp: _Campaign, units: list[_UnitInfo]) -> None:
        """The campaign's archive checklist, and each unit's 工作档案: in the archive once its
        task is done, uploaded once that is (some units keep an extra item of their own)."""
        self.session.add_all(
            ArchiveTemplate(
                campaign_id=camp.campaign.id, name=name, category=category, sort_order=order
            )
            for order, (name, category, _task) in enumerate(ARCHIVE_ITEMS, start=1)
        )
        items = []
        for u in units:
            uploaded = (u.name, "上传纠风网站") in camp.done_tasks
            wanted: Sequence[tuple[str, str, str]] = ARCHIVE_ITEMS
            if self.rng.random() < 0.4:
                wanted = (*ARCHIVE_ITEMS, EXTRA_ARCHIVE_ITEM)
            for name, category, task in wanted:
                in_archive = (u.name, task) in camp.done_tasks
                items.append(
                    {
                        "campaign_id": camp.campaign.id,
                        "unit_id": u.unit.id,
                        "name": name,
                        "category": category,
                        "in_archive": in_archive,
                        "uploaded": in_archive and uploaded,
                    }
                )
        self._bulk_insert(ArchiveItem, items)
