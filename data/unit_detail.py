"""One unit's page, all of it, for a campaign at an as-of date (complainants masked here).

`unit_detail` runs a fixed number of queries whatever the number of problems or visits:
the figures come from data.figures (the same numbers as `dashboard stats`), the lists are
one query each, and follow-ups and ratings are fetched for all the unit's visits at once.

Kept whole past 500 lines: one page's sections, each a row type and its query, read together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session

from data.evaluation import UnitEvaluation, evaluation_results, satisfaction_score
from data.figures import PHASES, Filters, UnitFigures, campaign_figures, rate
from data.masking import mask_name, mask_phone
from data.models import (
    ArchiveItem,
    MeetingQuestion,
    Problem,
    ReportBatch,
    SatisfactionSurvey,
    SupervisionRating,
    SupervisionVisit,
    TaskTemplate,
    Unit,
    UnitCaseload,
    UnitTask,
)
from data.reference import CRITERIA, RECTIFIED_STATUSES, RESPONDENT_TYPES, AnswerMode
from data.scope import CampaignScope, load_campaign, problem_conditions
from data.settings import load_settings
from data.workdays import day_counter


@dataclass
class UnitHeader:
    """A unit's identity and its caseload in the campaign."""

    id: int
    name: str
    kind: str
    township: str | None
    retired_on: dt.date | None
    cases: int | None


@dataclass
class TaskRow:
    """A phase task of the unit and where it stands at the as-of date."""

    phase: str
    name: str
    completed_on: dt.date | None
    evidence: str | None
    state: str  # done / open / overdue / upcoming
    phase_ends_on: dt.date | None
    id: int | None = None
    derived_from: str | None = (
        None  # #18: "archive"/"upload": done as the archive says, not by hand
    )


@dataclass
class ProblemRow:
    """A problem as the unit page lists it; complainant fields already masked."""

    id: int
    found_on: dt.date
    channel: str
    criterion: str
    description: str
    severity: str
    deadline: dt.date
    status: str
    completed_on: dt.date | None
    published: bool
    reported: bool
    feedback: str | None
    complainant_name: str | None
    complainant_phone: str | None
    rectified: bool
    overdue: bool
    days_overdue: int | None = None

    @property
    def rectified_later(self) -> bool:
        """Marked rectified now, but completed only after the as-of date (open then)."""
        return self.status in RECTIFIED_STATUSES and not self.rectified


@dataclass
class FollowUpRow:
    """A follow-up problem filed from a visit (Problem.visit_id) and its rectification."""

    id: int
    visit_id: int
    description: str
    criterion: str
    deadline: dt.date
    status: str
    completed_on: dt.date | None
    rectified: bool
    overdue: bool
    days_overdue: int | None = None

    @property
    def rectified_later(self) -> bool:
        """Marked rectified now, but completed only after the as-of date (open then)."""
        return self.status in RECTIFIED_STATUSES and not self.rectified


@dataclass
class VisitItem:
    """A 督导检查 visit with its ratings (criterion code → rating) and follow-ups."""

    id: int
    visited_on: dt.date
    kind: str
    supervisors: str
    findings: str | None
    notes: str | None
    next_visit_on: dt.date | None
    ratings: list[tuple[str, str]] = field(default_factory=list)
    follow_ups: list[FollowUpRow] = field(default_factory=list)


@dataclass
class QuestionRow:
    """A 评议大会 question about the unit and the state of its answer at the as-of date."""

    id: int
    asked_on: dt.date
    asker: str
    question: str
    answer_mode: str
    answer: str | None
    reply_deadline: dt.date | None
    replied_on: dt.date | None
    state: str  # on_the_spot / replied / replied_late / waiting / overdue / pending


@dataclass
class SurveyRow:
    """满意度测评 answers of one respondent type (不了解 is counted but not valid)."""

    respondent_type: str
    satisfied: int
    basic: int
    dissatisfied: int
    unknown: int

    @property
    def valid(self) -> int:
        """Valid answers: 满意 + 基本满意 + 不满意."""
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def rate(self) -> float | None:
        """The satisfaction rate (满意 + 基本满意) / valid answers; None without any."""
        return rate(self.satisfied + self.basic, self.valid)


@dataclass
class Satisfaction:
    """The unit's survey answers per respondent type and over all of them."""

    rows: list[SurveyRow]
    total: SurveyRow
    score: float | None


@dataclass
class ArchiveRow:
    """One item of the unit's 工作档案."""

    name: str
    category: str
    in_archive: bool
    uploaded: bool


@dataclass
class Archive:
    """The unit's archive items and how complete they are."""

    items: list[ArchiveRow]

    @property
    def total(self) -> int:
        """Items the archive should hold."""
        return len(self.items)

    @property
    def in_archive(self) -> int:
        """Items in the archive."""
        return sum(item.in_archive for item in self.items)

    @property
    def uploaded(self) -> int:
        """Items uploaded to the 纠风 website."""
        return sum(item.uploaded for item in self.items)


@dataclass
class VoidedRow:
    """A problem voided (never deleted): when, and why."""

    id: int
    found_on: dt.date
    description: str
    voided_at: dt.datetime
    reason: str | None


@dataclass
class ProblemRecord:
    """One problem as its detail shows it; complainant masked (a reveal is a separate action)."""

    id: int
    unit_id: int
    found_on: dt.date
    channel: str
    criterion: str
    description: str
    severity: str
    deadline: dt.date
    status: str
    measures: str | None
    owner: str | None
    completed_on: dt.date | None
    evidence: str | None
    complainant_name: str | None
    complainant_phone: str | None
    voided_at: dt.datetime | None
    void_reason: str | None
    # #18 the 纠风办 loop: reported (是否上报纠风办), in which batch (第N批, its date), and the
    # office's case-by-case feedback imported back (data/report_batches.py).
    reported: bool = False
    batch_number: int | None = None
    batch_reported_on: dt.date | None = None
    report_feedback: str | None = None
    report_feedback_on: dt.date | None = None

    @property
    def has_complainant(self) -> bool:
        """Whether there is a complainant to reveal."""
        return bool(self.complainant_name or self.complainant_phone)


def problem_record(session: Session, problem_id: int) -> ProblemRecord | None:
    """A problem's fields for its detail, complainant masked, with its 纠风办 batch (one
    query); None when there is none."""
    found = session.execute(
        select(Problem, ReportBatch.number, ReportBatch.reported_on)
        .outerjoin(ReportBatch, ReportBatch.id == Problem.report_batch_id)
        .where(Problem.id == problem_id)
    ).one_or_none()
    if found is None:
        return None
    p, batch_number, batch_reported_on = found
    return ProblemRecord(
        id=p.id,
        unit_id=p.unit_id,
        found_on=p.found_on,
        channel=p.channel,
        criterion=p.criterion_code,
        description=p.description,
        severity=p.severity,
        deadline=p.deadline,
        status=p.status,
        measures=p.measures,
        owner=p.owner,
        completed_on=p.completed_on,
        evidence=p.evidence,
        complainant_name=mask_name(p.complainant_name),
        complainant_phone=mask_phone(p.complainant_phone),
        voided_at=p.voided_at,
        void_reason=p.void_reason,
        reported=p.reported,
        batch_number=batch_number,
        batch_reported_on=batch_reported_on,
        report_feedback=p.report_feedback,
        report_feedback_on=p.report_feedback_on,
    )


def _voided(
    session: Session, campaign: CampaignScope, unit_id: int, limit: int = 50
) -> list[VoidedRow]:
    p = Problem
    rows = session.execute(
        select(p.id, p.found_on, p.description, p.voided_at, p.void_reason)
        .where(p.campaign_id == campaign.id, p.unit_id == unit_id, p.voided_at.is_not(None))
        .order_by(p.voided_at.desc(), p.id.desc())
        .limit(limit)
    )
    return [VoidedRow(*row) for row in rows]


@dataclass
class UnitDetail:
    """Everything the unit page shows; `figures` is None when the unit is not in the campaign."""

    header: UnitHeader
    as_of: dt.date
    figures: UnitFigures | None
    complaints_by_month: dict[str, int]
    tasks: list[TaskRow]
    problems: list[ProblemRow]
    visits: list[VisitItem]
    questions: list[QuestionRow]
    satisfaction: Satisfaction
    archive: Archive
    evaluation: UnitEvaluation | None
    group_ranked: int
    voided: list[VoidedRow] = field(default_factory=list)


def task_state(
    completed_on: dt.date | None, window: tuple[dt.date, dt.date] | None, as_of: dt.date
) -> str:
    """upcoming (its phase had not started at as-of: counted nowhere, as in the figures, even
    if completed early), done (completed by as-of), overdue (its phase ended before as-of) or
    open."""
    if window is not None and as_of < window[0]:
        return "upcoming"
    if completed_on is not None and completed_on <= as_of:
        return "done"
    if window is not None and window[1] < as_of:
        return "overdue"
    return "open"


def question_state(
    mode: str, deadline: dt.date | None, replied_on: dt.date | None, as_of: dt.date
) -> str:
    """Where a question's answer stands at the as-of date."""
    if mode == AnswerMode.ON_THE_SPOT:
        return "on_the_spot"
    if mode != AnswerMode.FOLLOW_UP:
        return "pending"
    if replied_on is not None and replied_on <= as_of:
        return "replied_late" if deadline is not None and replied_on > deadline else "replied"
    if deadline is not None and deadline < as_of:
        return "overdue"
    return "waiting"


def unit_header(session: Session, unit_id: int, year: int) -> UnitHeader | None:
    """The unit with its caseload for the campaign, or None when there is no such unit."""
    campaign = load_campaign(session, year)
    return _header(session, campaign, unit_id)


def _header(session: Session, campaign: CampaignScope, unit_id: int) -> UnitHeader | None:
    row = session.execute(
        select(Unit.id, Unit.name, Unit.kind, Unit.township, Unit.retired_on, UnitCaseload.cases)
        .outerjoin(
            UnitCaseload,
            and_(UnitCaseload.unit_id == Unit.id, UnitCaseload.campaign_id == campaign.id),
        )
        .where(Unit.id == unit_id)
    ).one_or_none()
    return UnitHeader(*row) if row else None


def unit_problems(
    session: Session, year: int, unit_id: int, as_of: dt.date, limit: int | None = None
) -> list[ProblemRow]:
    """The unit's problems found by the as-of date, newest first, complainants masked."""
    return _problems(session, load_campaign(session, year), unit_id, as_of, limit)


def _problems(
    session: Session, campaign: CampaignScope, unit_id: int, as_of: dt.date, limit: int | None
) -> list[ProblemRow]:
    c = problem_conditions(as_of)
    p = Problem
    rows = session.execute(
        select(
            p.id,
            p.found_on,
            p.channel,
            p.criterion_code,
            p.description,
            p.severity,
            p.deadline,
            p.status,
            p.completed_on,
            p.published,
            p.reported,
            p.feedback,
            p.complainant_name,
            p.complainant_phone,
            case((c.rectified, 1), else_=0).label("rectified"),
            case((c.overdue, 1), else_=0).label("overdue"),
        )
        .where(
            p.campaign_id == campaign.id,
            p.unit_id == unit_id,
            p.voided_at.is_(None),
            p.found_on <= as_of,
        )
        .order_by(p.found_on.desc(), p.id.desc())
        .limit(limit)
    )
    counter = day_counter(session)  # days overdue as the bureau counts them (#15)
    return [
        ProblemRow(
            id=row.id,
            found_on=row.found_on,
            channel=row.channel,
            criterion=row.criterion_code,
            description=row.description,
            severity=row.severity,
            deadline=row.deadline,
            status=row.status,
            # A completion after the as-of date had not happened yet at that date.
            completed_on=row.completed_on if _by(row.completed_on, as_of) else None,
            published=bool(row.published),
            reported=bool(row.reported),
            feedback=row.feedback,
            # Masked before leaving the data layer: the unit page never carries raw contacts.
            complainant_name=mask_name(row.complainant_name),
            complainant_phone=mask_phone(row.complainant_phone),
            rectified=bool(row.rectified),
            overdue=bool(row.overdue),
            days_overdue=counter.between(row.deadline, as_of) if row.overdue else None,
        )
        for row in rows
    ]


def _by(day: dt.date | None, as_of: dt.date) -> bool:
    """Whether a date is set and on or before the as-of date."""
    return day is not None and day <= as_of


def _tasks(
    session: Session, campaign: CampaignScope, unit_id: int, as_of: dt.date
) -> list[TaskRow]:
    rows = session.execute(
        select(
            TaskTemplate.phase_code,
            TaskTemplate.name,
            UnitTask.completed_on,
            UnitTask.evidence,
            UnitTask.id,
            TaskTemplate.derived_from,
        )
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .where(
            TaskTemplate.campaign_id == campaign.id,
            TaskTemplate.retired_at.is_(None),
            UnitTask.unit_id == unit_id,
        )
        .order_by(TaskTemplate.sort_order, TaskTemplate.id)
    )
    tasks = []
    for phase, name, completed_on, evidence, task_id, derived_from in rows:
        window = campaign.phases.get(phase)
        state = task_state(completed_on, window, as_of)
        # A completion after the as-of date had not happened yet at that date.
        shown = completed_on if state == "done" else None
        tasks.append(
            TaskRow(
                phase,
                name,
                shown,
                evidence if shown else None,
                state,
                window[1] if window else None,
                task_id,
                derived_from,
            )
        )
    order = {code: i for i, code in enumerate(PHASES)}
    return sorted(tasks, key=lambda t: order.get(t.phase, len(order)))


def _visits(
    session: Session, campaign: CampaignScope, unit_id: int, as_of: dt.date
) -> list[VisitItem]:
    v = SupervisionVisit
    scope = (v.campaign_id == campaign.id, v.unit_id == unit_id, v.visited_on <= as_of)
    visits = [
        VisitItem(*row)
        for row in session.execute(
            select(
                v.id,
                v.visited_on,
                v.kind,
                v.supervisors,
                v.findings,
                v.notes,
                v.next_visit_on,
            )
            .where(*scope)
            .order_by(v.visited_on.desc(), v.id.desc())
        )
    ]
    if not visits:
        return []
    by_id = {visit.id: visit for visit in visits}
    ids = select(v.id).where(*scope).scalar_subquery()
    ratings = session.execute(
        select(
            SupervisionRating.visit_id, SupervisionRating.criterion_code, SupervisionRating.rating
        ).where(SupervisionRating.visit_id.in_(ids))
    )
    for visit_id, code, rating in ratings:
        by_id[visit_id].ratings.append((code, rating))
    for visit in visits:
        visit.ratings.sort(key=lambda r: CRITERIA.get(r[0], ("", None, 99))[2])
    c = problem_conditions(as_of)
    follow_ups = session.execute(
        select(
            Problem.id,
            Problem.visit_id,
            Problem.description,
            Problem.criterion_code,
            Problem.deadline,
            Problem.status,
            Problem.completed_on,
            case((c.rectified, 1), else_=0),
            case((c.overdue, 1), else_=0),
        )
        .where(Problem.visit_id.in_(ids), Problem.voided_at.is_(None))
        .order_by(Problem.id)
    )
    for p_id, visit_id, desc, crit, deadline, status, done_on, rectified, late in follow_ups:
        by_id[visit_id].follow_ups.append(
            FollowUpRow(
                p_id,
                visit_id,
                desc,
                crit,
                deadline,
                status,
                done_on if rectified else None,
                bool(rectified),
                bool(late),
                (as_of - deadline).days if late else None,
            )
        )
    return visits


def _questions(
    session: Session, campaign: CampaignScope, unit_id: int, as_of: dt.date
) -> list[QuestionRow]:
    q = MeetingQuestion
    rows = session.execute(
        select(
            q.id,
            q.asked_on,
            q.asker,
            q.question,
            q.answer_mode,
            q.answer,
            q.reply_deadline,
            q.replied_on,
        )
        .where(q.campaign_id == campaign.id, q.unit_id == unit_id, q.asked_on <= as_of)
        .order_by(q.asked_on.desc(), q.id)
    )
    result = []
    for row in rows:
        replied = row.replied_on if row.replied_on and row.replied_on <= as_of else None
        state = question_state(row.answer_mode, row.reply_deadline, replied, as_of)
        answer = row.answer if state != "waiting" and state != "overdue" else None
        result.append(QuestionRow(*row[:5], answer, row.reply_deadline, replied, state))
    return result


def _satisfaction(session: Session, campaign: CampaignScope, unit_id: int) -> Satisfaction:
    s = SatisfactionSurvey
    rows = [
        SurveyRow(*row)
        for row in session.execute(
            select(
                s.respondent_type, s.satisfied, s.basically_satisfied, s.dissatisfied, s.unknown
            ).where(s.campaign_id == campaign.id, s.unit_id == unit_id)
        )
    ]
    order = {name: i for i, name in enumerate(RESPONDENT_TYPES)}
    rows.sort(key=lambda r: (order.get(r.respondent_type, len(order)), r.respondent_type))
    total = SurveyRow(
        "合计",
        sum(r.satisfied for r in rows),
        sum(r.basic for r in rows),
        sum(r.dissatisfied for r in rows),
        sum(r.unknown for r in rows),
    )
    score = satisfaction_score(
        total.satisfied, total.basic, total.dissatisfied, load_settings(session, campaign.year)
    )
    return Satisfaction(rows, total, score)


def _archive(session: Session, campaign: CampaignScope, unit_id: int) -> Archive:
    a = ArchiveItem
    rows = session.execute(
        select(a.name, a.category, a.in_archive, a.uploaded)
        .where(a.campaign_id == campaign.id, a.unit_id == unit_id)
        .order_by(a.id)
    )
    return Archive([ArchiveRow(n, c, bool(i), bool(u)) for n, c, i, u in rows])


def unit_detail(
    session: Session, year: int, unit_id: int, as_of: dt.date, limit: int | None = None
) -> UnitDetail | None:
    """Everything about one unit for the campaign of `year` at `as_of`; None for no such unit."""
    campaign = load_campaign(session, year)
    header = _header(session, campaign, unit_id)
    if header is None:
        return None
    figures = campaign_figures(session, year, as_of, Filters(unit_ids=(unit_id,)))
    unit = figures.by_unit[0] if figures.by_unit else None
    evaluation, ranked = None, 0
    if unit is not None:
        # Ranked against the whole group county-wide, whichever units a view lists.
        results = evaluation_results(session, year, as_of)
        evaluation = next((e for e in results if e.unit_id == unit_id), None)
        ranked = sum(1 for e in results if e.group == unit.group and e.rank is not None)
    return UnitDetail(
        header=header,
        as_of=as_of,
        figures=unit,
        complaints_by_month=figures.complaints_by_month,
        tasks=_tasks(session, campaign, unit_id, as_of),
        problems=_problems(session, campaign, unit_id, as_of, limit),
        visits=_visits(session, campaign, unit_id, as_of),
        questions=_questions(session, campaign, unit_id, as_of),
        satisfaction=_satisfaction(session, campaign, unit_id),
        archive=_archive(session, campaign, unit_id),
        evaluation=evaluation,
        group_ranked=ranked,
        voided=_voided(session, campaign, unit_id),
    )
