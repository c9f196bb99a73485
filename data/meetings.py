"""评议大会: the meeting's questions (list, add, answer) and what the projection deck shows.

An answer is either 当场答复 (given on the spot) or 会后反馈 (a reply due by a deadline). A
会后反馈 about a unit also files a follow-up problem (channel 面对面评议) through the same code
as visits and inspections, so it is tracked, reminded and counted like any other problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ConfigDict
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from data.edits import check_version
from data.evaluation import UnitEvaluation, evaluation_results
from data.figures import (
    BreakdownRow,
    CampaignFigures,
    Filters,
    campaign_figures,
    month_of,
    problem_breakdown,
)
from data.follow_ups import add_follow_up, follow_up_errors
from data.form_tokens import once
from data.forms import (
    CriterionCode,
    DateValue,
    Description,
    FollowUpForm,
    Form,
    FormError,
    Name,
    RecordId,
    Text,
    clean_text,
    validate,
)
from data.models import Campaign, MeetingQuestion, Problem, Representative, Unit
from data.reference import COMPLAINT_CHANNELS, AnswerMode, Channel
from data.scope import count_where, load_campaign, problem_conditions
from data.unit_detail import question_state

FOLLOW_UP_PREFIX = "评议大会上代表提出："
QUESTION_FORM = "meeting_question"  # the question form, as data/form_tokens.py names it


class QuestionForm(Form):
    """A representative's question as the supervisor enters it during the meeting."""

    model_config = ConfigDict(extra="forbid")

    representative_id: RecordId | None = None
    asker: Name | None = None
    unit_id: RecordId | None = None
    question: Description


class AnswerForm(Form):
    """The leader's answer: 当场答复 with its text, or 会后反馈 with a reply deadline."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["on_the_spot", "follow_up"]
    answer: Text | None = None
    deadline: DateValue | None = None
    criterion_code: CriterionCode | None = None


def question_form(raw: dict[str, Any]) -> QuestionForm:
    """Validate a new question; who asked is required (a representative or a typed name)."""
    errors: dict[str, str] = {}
    form: QuestionForm | None = None
    raw = {**raw, "asker": clean_text(raw.get("asker"))}  # blank means "not given"
    try:
        form = validate(QuestionForm, raw)
    except FormError as exc:
        errors.update(exc.errors)
    if raw.get("representative_id") is None and raw["asker"] is None:
        errors["representative_id"] = "请选择提问的民评代表或填写提问人"
    if errors or form is None:
        raise FormError(errors)
    return form


def answer_form(raw: dict[str, Any]) -> AnswerForm:
    """Validate an answer: 当场答复 needs its text, 会后反馈 a deadline."""
    form = validate(AnswerForm, raw)
    errors: dict[str, str] = {}
    if form.mode == AnswerMode.ON_THE_SPOT and not form.answer:
        errors["answer"] = "请填写答复内容"
    if form.mode == AnswerMode.FOLLOW_UP and form.deadline is None:
        errors["deadline"] = "会后反馈须填写反馈时限"
    if errors:
        raise FormError(errors)
    return form


def _campaign_id(session: Session, year: int) -> int:
    """The id of the campaign of `year` (CampaignNotFound when there is none)."""
    return load_campaign(session, year).id


def add_question(
    session: Session, year: int, form: QuestionForm, today: dt.date, token: Any = None
) -> MeetingQuestion:
    """Record a question asked today; it waits for its answer (待答复). Recorded once per
    `token` of the form (data/form_tokens.py): the same form saved again gets that question."""
    return once(
        session,
        token,
        QUESTION_FORM,
        lambda: _add_question(session, year, form, today),
        lambda question: {"id": question.id},
        lambda kept: session.get_one(MeetingQuestion, kept["id"]),
    )


def _add_question(
    session: Session, year: int, form: QuestionForm, today: dt.date
) -> MeetingQuestion:
    """add_question's writes."""
    campaign_id = _campaign_id(session, year)
    errors: dict[str, str] = {}
    asker = form.asker
    if form.representative_id is not None:
        rep = session.get(Representative, form.representative_id)
        if rep is None:
            errors["representative_id"] = "民评代表不存在"
        else:
            asker = asker or rep.name
    if form.unit_id is not None and session.get(Unit, form.unit_id) is None:
        errors["unit_id"] = "单位不存在"
    if errors:
        raise FormError(errors)
    question = MeetingQuestion(
        campaign_id=campaign_id,
        unit_id=form.unit_id,
        representative_id=form.representative_id,
        asker=asker or "",
        question=form.question,
        asked_on=today,
        answer_mode=AnswerMode.PENDING,
    )
    session.add(question)
    session.flush()
    return question


def answer_question(
    session: Session,
    question_id: int,
    form: AnswerForm,
    version: int | None = None,
) -> tuple[MeetingQuestion, Problem | None]:
    """Record the answer; a 会后反馈 about a unit files its follow-up problem (面对面评议)."""
    question = session.get(MeetingQuestion, question_id)
    if question is None:
        raise FormError({"question_id": "问题不存在"})
    check_version(question, version, None)
    if question.answer_mode != AnswerMode.PENDING:
        raise FormError({"question_id": "该问题已经答复"})
    problem: Problem | None = None
    if form.mode == AnswerMode.FOLLOW_UP:
        assert form.deadline is not None
        errors: dict[str, str] = {}
        if form.deadline < question.asked_on:
            errors["deadline"] = "反馈时限不能早于提问日期"
        unit = session.get(Unit, question.unit_id) if question.unit_id is not None else None
        if unit is not None and form.criterion_code is None:
            errors["criterion_code"] = "请选择该问题对应的评议内容"
        if unit is not None and form.criterion_code is not None and not errors:
            follow_up = FollowUpForm(
                description=f"{FOLLOW_UP_PREFIX}{question.question}"[:2000],
                criterion_code=form.criterion_code,
                deadline=form.deadline,
            )
            errors.update(
                {
                    key.replace("follow_ups.0.", ""): message
                    for key, message in follow_up_errors(
                        [follow_up], unit.kind, question.asked_on, "提问日期"
                    ).items()
                }
            )
        if errors:
            raise FormError(errors)
        if unit is not None:
            problem = add_follow_up(
                session,
                question.campaign_id,
                unit.id,
                Channel.MEETING,
                question.asked_on,
                follow_up,
            )
            problem.question_id = question.id
        question.reply_deadline = form.deadline
    question.answer_mode = form.mode
    question.answer = form.answer
    session.flush()
    return question, problem


@dataclass(frozen=True)
class QuestionRow:
    """A question on the projector and in the entry page's list."""

    id: int
    version: int
    asked_on: dt.date
    asker: str
    unit_id: int | None
    unit: str | None
    unit_kind: str | None
    question: str
    mode: str
    answer: str | None
    deadline: dt.date | None
    replied_on: dt.date | None
    state: str
    follow_ups: int
    follow_ups_rectified: int


@dataclass(frozen=True)
class QuestionSummary:
    """The meeting's questions counted by the state of their answer."""

    total: int = 0
    pending: int = 0
    on_the_spot: int = 0
    follow_up: int = 0
    replied: int = 0
    overdue: int = 0
    follow_up_problems: int = 0
    follow_up_rectified: int = 0


def _follow_up_counts(campaign_id: int | None, as_of: dt.date) -> Any:
    """Per question: its follow-up problems (the campaign's, not voided) found by as-of and how
    many are rectified."""
    c = problem_conditions(as_of)
    return (
        select(
            Problem.question_id.label("question_id"),
            func.count().label("n"),
            count_where(c.rectified).label("rectified"),
        )
        .where(
            Problem.campaign_id == campaign_id,
            Problem.question_id.is_not(None),
            Problem.voided_at.is_(None),
            Problem.found_on <= as_of,
        )
        .group_by(Problem.question_id)
        .subquery()
    )


def list_questions(
    session: Session, year: int, as_of: dt.date, limit: int | None = None
) -> list[QuestionRow]:
    """Questions asked by as-of: waiting for an answer, overdue replies, open replies, then
    the rest; newest first within each."""
    campaign_id = _campaign_id(session, year)
    q = MeetingQuestion
    counts = _follow_up_counts(campaign_id, as_of)
    replied = and_(q.replied_on.is_not(None), q.replied_on <= as_of)
    open_reply = and_(q.answer_mode == AnswerMode.FOLLOW_UP, ~replied)
    query = (
        select(
            q.id,
            q.version,
            q.asked_on,
            q.asker,
            q.unit_id,
            Unit.name,
            Unit.kind,
            q.question,
            q.answer_mode,
            q.answer,
            q.reply_deadline,
            q.replied_on,
            func.coalesce(counts.c.n, 0),
            func.coalesce(counts.c.rectified, 0),
        )
        .outerjoin(Unit, Unit.id == q.unit_id)
        .outerjoin(counts, counts.c.question_id == q.id)
        .where(q.campaign_id == campaign_id, q.asked_on <= as_of)
        .order_by(
            case(
                (q.answer_mode == AnswerMode.PENDING, 0),
                (and_(open_reply, q.reply_deadline < as_of), 1),
                (open_reply, 2),
                else_=3,
            ),
            q.asked_on.desc(),
            q.id.desc(),
        )
    )
    if limit is not None:
        query = query.limit(limit)
    rows = []
    for row in session.execute(query):
        replied = row.replied_on if row.replied_on and row.replied_on <= as_of else None
        state = question_state(row.answer_mode, row.reply_deadline, replied, as_of)
        rows.append(
            QuestionRow(
                id=row.id,
                version=row.version,
                asked_on=row.asked_on,
                asker=row.asker,
                unit_id=row.unit_id,
                unit=row.name,
                unit_kind=row.kind,
                question=row.question,
                mode=row.answer_mode,
                answer=row.answer,
                deadline=row.reply_deadline,
                replied_on=replied,
                state=state,
                follow_ups=int(row[12]),
                follow_ups_rectified=int(row[13]),
            )
        )
    return rows


def question_summary(session: Session, year: int, as_of: dt.date) -> QuestionSummary:
    """The questions asked by as-of counted by answer state, and their follow-up problems."""
    campaign_id = _campaign_id(session, year)
    q = MeetingQuestion
    replied = and_(q.replied_on.is_not(None), q.replied_on <= as_of)
    follow_up = q.answer_mode == AnswerMode.FOLLOW_UP
    row = session.execute(
        select(
            func.count(),
            count_where(q.answer_mode == AnswerMode.PENDING),
            count_where(q.answer_mode == AnswerMode.ON_THE_SPOT),
            count_where(follow_up),
            count_where(and_(follow_up, replied)),
            count_where(and_(follow_up, ~replied, q.reply_deadline < as_of)),
        ).where(q.campaign_id == campaign_id, q.asked_on <= as_of)
    ).one()
    c = problem_conditions(as_of)
    asked = select(q.id).where(q.campaign_id == campaign_id, q.asked_on <= as_of)
    problems = session.execute(
        # Read through the partial index ix_problem_question (follow-ups only).
        select(func.count(), count_where(c.rectified)).where(
            Problem.question_id.is_not(None),  # lets the partial index serve
            Problem.question_id.in_(asked.scalar_subquery()),
            Problem.campaign_id == campaign_id,
            Problem.voided_at.is_(None),
            Problem.found_on <= as_of,
        )
    ).one()
    return QuestionSummary(
        *(int(n or 0) for n in row), int(problems[0] or 0), int(problems[1] or 0)
    )


def representatives(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, sector) of the active representatives, for the question form."""
    r = Representative
    query = select(r.id, r.name, r.sector).where(r.active.is_(True)).order_by(r.sector, r.name)
    return [tuple(row) for row in session.execute(query)]


@dataclass(frozen=True)
class Deck:
    """Everything the projection deck shows, at one frozen as-of date."""

    year: int
    title: str
    meeting_date: dt.date | None
    as_of: dt.date
    figures: CampaignFigures
    complaints: list[BreakdownRow]
    evaluations: list[UnitEvaluation]
    summary: QuestionSummary
    questions: list[QuestionRow]
    threshold: float
    # Set when the deck shows published figures (data/snapshots.py published_deck).
    published: Published | None = None


@dataclass(frozen=True)
class Published:
    """Which published snapshot a deck shows: its id, when and what for, its digest."""

    snapshot_id: int
    published_at: dt.datetime
    purpose: str
    digest: str


def deck_data(session: Session, year: int, as_of: dt.date) -> Deck:
    """The deck's numbers for one campaign at one as-of date (the whole county)."""
    from data.settings import load_settings

    campaign = session.execute(
        select(Campaign.title, Campaign.meeting_date).where(Campaign.year == year)
    ).one()
    complaints = problem_breakdown(
        session,
        year,
        as_of,
        [Unit.township, *month_of(Problem.found_on)],
        Filters(),
        channels=COMPLAINT_CHANNELS,
    )
    return Deck(
        year=year,
        title=campaign.title,
        meeting_date=campaign.meeting_date,
        as_of=as_of,
        figures=campaign_figures(session, year, as_of),
        complaints=complaints,
        evaluations=evaluation_results(session, year, as_of),
        summary=question_summary(session, year, as_of),
        questions=list_questions(session, year, as_of),  # every one: the slide pages through them
        threshold=load_settings(session, year).focus_threshold,
    )
