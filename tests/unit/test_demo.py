"""The demo county loader: size, determinism, consistency with `today`, and --force."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.db import Database
from data.demo import (
    DatabaseNotEmpty,
    DemoSummary,
    latest_campaign_year,
    load_demo,
    phase_windows,
)
from data.migrate import upgrade
from data.models import (
    Campaign,
    ChangeLog,
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
    UnitTask,
    User,
)
from data.reference import (
    COMPLAINT_CHANNELS,
    KIND_GROUP,
    RECTIFIED_STATUSES,
    Channel,
    criteria_for_group,
    criterion_applies,
)

TODAY = dt.date(2025, 9, 15)  # 2023 and 2024 complete, 2025 in its rectify phase
WINTER = dt.date(2026, 2, 15)  # before April: 2025 is still the running campaign


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One demo load shared by the read-only tests of this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    upgrade(f"sqlite:///{path}")
    database = Database.from_url(f"sqlite:///{path}")
    summary = load_demo(database, seed=2024, today=TODAY)
    yield database, summary
    database.engine.dispose()


@pytest.fixture
def session(demo: tuple[Database, DemoSummary]) -> Iterator[Session]:
    """A read session on the shared demo database (here in place of conftest's write session)."""
    with demo[0].read() as s:
        yield s


def problem_digest(session: Session) -> str:
    """A hash of every problem's (unit, channel, found_on, status, completed_on), sorted."""
    rows = session.execute(
        select(
            Unit.name, Problem.channel, Problem.found_on, Problem.status, Problem.completed_on
        ).join(Unit, Unit.id == Problem.unit_id)
    ).all()
    text = "\n".join(sorted(repr(tuple(row)) for row in rows))
    return hashlib.sha256(text.encode()).hexdigest()


def count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_summary_and_sizes(session: Session, demo: tuple[Database, DemoSummary]) -> None:
    summary = demo[1]
    assert summary.units == count(session, Unit) == 128
    assert summary.campaigns == [2023, 2024, 2025]
    assert list(session.scalars(select(Campaign.year).order_by(Campaign.year))) == [
        2023,
        2024,
        2025,
    ]
    for year in (2023, 2024):
        assert 400 <= summary.problems[year] <= 800
    assert 0 < summary.problems[2025] < min(summary.problems[2023], summary.problems[2024])
    per_year = dict(
        session.execute(
            select(Campaign.year, func.count(Problem.id))
            .join(Problem, Problem.campaign_id == Campaign.id)
            .group_by(Campaign.year)
        ).all()
    )
    assert per_year == summary.problems


def test_units_per_township(session: Session) -> None:
    kinds = Counter(session.scalars(select(Unit.kind)))
    assert kinds == {
        "judicial_office": 16,
        "notary_office": 16,
        "law_firm": 48,
        "legal_service_center": 32,
        "legal_aid_center": 16,
    }
    names = list(session.scalars(select(Unit.name)))
    assert max(len(name) for name in names) >= 25
    assert len(set(session.scalars(select(Unit.township)))) == 16


def test_users(session: Session, demo: tuple[Database, DemoSummary]) -> None:
    assert [(u, r) for u, r, _ in demo[1].users] == [
        ("admin", "admin"),
        ("leader", "leader"),
        ("duban", "supervisor"),
        ("unit01", "unit"),
    ]
    assert {p for _, _, p in demo[1].users} == {"pingyi2024"}
    unit_user = session.scalars(select(User).where(User.username == "unit01")).one()
    office = session.get(Unit, unit_user.unit_id)
    assert office is not None and office.kind == "judicial_office"
    assert unit_user.password_hash != "pingyi2024"


def test_every_channel_and_linked_sources(session: Session) -> None:
    channels = Counter(session.scalars(select(Problem.channel)))
    assert set(channels) == set(Channel)
    assert count(session, Problem, Problem.severity == "serious") > 0
    linked = session.execute(
        select(Problem.unit_id, Problem.found_on, Inspection.unit_id, Inspection.inspected_on).join(
            Inspection, Inspection.id == Problem.inspection_id
        )
    ).all()
    assert linked and all(
        p_unit == i_unit and p_day == i_day for p_unit, p_day, i_unit, i_day in linked
    )
    visits = session.execute(
        select(
            Problem.unit_id, Problem.found_on, SupervisionVisit.unit_id, SupervisionVisit.visited_on
        ).join(SupervisionVisit, SupervisionVisit.id == Problem.visit_id)
    ).all()
    assert visits and all(a == c and b == d for a, b, c, d in visits)
    assert count(session, Problem, Problem.question_id.is_not(None)) > 0
    assert (
        count(session, Problem, Problem.inspection_id.is_not(None), Problem.channel != "inspection")
        == 0
    )
    assert (
        count(session, Problem, Problem.visit_id.is_not(None), Problem.channel != "supervision")
        == 0
    )


def test_nothing_dated_after_today(session: Session) -> None:
    assert_nothing_after(session, TODAY)


def assert_nothing_after(session: Session, today: dt.date) -> None:
    """No event or completion in the data lies after `today`."""
    checks = [
        (Problem, Problem.found_on > today),
        (Problem, Problem.completed_on > today),
        (SupervisionVisit, SupervisionVisit.visited_on > today),
        (UnitTask, UnitTask.completed_on > today),
        (Inspection, Inspection.inspected_on > today),
        (MeetingQuestion, MeetingQuestion.asked_on > today),
        (MeetingQuestion, MeetingQuestion.replied_on > today),
    ]
    for model, condition in checks:
        assert count(session, model, condition) == 0, condition


def test_problem_records_are_consistent(session: Session) -> None:
    rows = session.execute(select(Problem, Unit.kind).join(Unit, Unit.id == Problem.unit_id)).all()
    keys = set()
    for problem, kind in rows:
        assert criterion_applies(problem.criterion_code, kind)
        if problem.status in RECTIFIED_STATUSES:
            assert problem.completed_on is not None
        if problem.completed_on is not None:
            assert problem.completed_on >= problem.found_on
        assert problem.deadline >= problem.found_on
        complaint = problem.channel in COMPLAINT_CHANNELS
        assert (problem.complainant_name is not None) == complaint
        assert (problem.complainant_phone is not None) == complaint
        if complaint:
            assert re.fullmatch(r"1[3-9]\d{9}", problem.complainant_phone)
        else:
            assert problem.feedback is None
        assert re.fullmatch(r"20\d\d-\d{4}", problem.ledger_key or "")
        keys.add((problem.campaign_id, problem.ledger_key))
    assert len(keys) == len(rows)


def test_overdue_and_exemplary_units_exist(session: Session) -> None:
    """Some units are focus candidates (overdue problems) and some have a clean record."""
    complete = session.scalar(select(Campaign.id).where(Campaign.year == 2024))
    rows = session.execute(
        select(Problem.unit_id, Problem.status, Problem.deadline, Problem.completed_on).where(
            Problem.campaign_id == complete
        )
    ).all()
    overdue: Counter[int] = Counter()
    flawed: set[int] = set()
    for unit_id, status, deadline, completed_on in rows:
        if status == "unfounded":
            continue
        if completed_on is None or completed_on > deadline:
            flawed.add(unit_id)
        if status not in RECTIFIED_STATUSES and deadline < TODAY:
            overdue[unit_id] += 1
    assert sum(1 for n in overdue.values() if n >= 2) >= 3
    with_problems = {unit_id for unit_id, *_ in rows}
    assert len(with_problems - flawed) >= 10


def test_visits_rate_every_applicable_criterion(session: Session) -> None:
    visits = session.execute(
        select(SupervisionVisit.id, Unit.kind).join(Unit, Unit.id == SupervisionVisit.unit_id)
    ).all()
    assert visits
    ratings: dict[int, list[str]] = {}
    for visit_id, code in session.execute(
        select(SupervisionRating.visit_id, SupervisionRating.criterion_code)
    ):
        ratings.setdefault(visit_id, []).append(code)
    for visit_id, kind in visits:
        assert sorted(ratings[visit_id]) == sorted(criteria_for_group(KIND_GROUP[kind]))
    assert count(session, SupervisionVisit, SupervisionVisit.kind == "focus") > 0


def test_tasks_surveys_and_questions(session: Session) -> None:
    campaigns = dict(session.execute(select(Campaign.year, Campaign.id)).all())
    templates = count(session, TaskTemplate, TaskTemplate.campaign_id == campaigns[2025])
    assert templates == 16
    assert count(session, UnitTask) == 3 * 16 * 128
    # Tasks of phases that ended long ago: mostly done, a few never (overdue tasks).
    done = count(session, UnitTask, UnitTask.completed_on.is_not(None))
    assert count(session, UnitTask, UnitTask.completed_on.is_(None)) > 0
    assert done > 0
    for year in (2023, 2024, 2025):
        surveys = count(
            session, SatisfactionSurvey, SatisfactionSurvey.campaign_id == campaigns[year]
        )
        assert surveys == 128 * 3
        questions = count(session, MeetingQuestion, MeetingQuestion.campaign_id == campaigns[year])
        assert 15 <= questions <= 25
    # The 2025 meeting has passed: some follow-up replies are still outstanding.
    pending = count(
        session,
        MeetingQuestion,
        MeetingQuestion.campaign_id == campaigns[2025],
        MeetingQuestion.answer_mode == "follow_up",
        MeetingQuestion.replied_on.is_(None),
    )
    assert pending > 0
    # The running campaign's assess phase has not begun: no visits yet.
    assert count(session, SupervisionVisit, SupervisionVisit.campaign_id == campaigns[2025]) == 0


def test_history_records_the_load(session: Session) -> None:
    assert count(session, ChangeLog, ChangeLog.actor == "demo", ChangeLog.entity == "problem") > 0


def test_deterministic_refuses_and_force_reloads(
    db: Database, demo: tuple[Database, DemoSummary]
) -> None:
    with demo[0].read() as s:
        expected = problem_digest(s)
    load_demo(db, seed=2024, today=TODAY)
    with db.read() as s:
        assert problem_digest(s) == expected
        history_before = count(s, ChangeLog)
        last_id = s.scalar(select(func.max(ChangeLog.id)))

    with pytest.raises(DatabaseNotEmpty, match="已有 128 个单位"):
        load_demo(db, seed=2024, today=TODAY)

    summary = load_demo(db, seed=99, today=TODAY, force=True)
    assert summary.units == 128 and summary.campaigns == [2023, 2024, 2025]
    with db.read() as s:
        assert problem_digest(s) != expected
        assert count(s, Unit) == 128
        assert count(s, Campaign) == 3
        assert count(s, ChangeLog, ChangeLog.id <= last_id) == history_before
        assert count(s, ChangeLog, ChangeLog.action == "demo_reset") == 1


def test_winter_today_keeps_last_years_campaign_running(db: Database) -> None:
    summary = load_demo(db, seed=2024, today=WINTER)
    assert summary.campaigns == [2023, 2024, 2025]
    with db.read() as s:
        assess = s.scalars(
            select(Phase)
            .join(Campaign, Campaign.id == Phase.campaign_id)
            .where(Campaign.year == 2025, Phase.code == "assess")
        ).one()
        assert (assess.starts_on, assess.ends_on) == (dt.date(2025, 11, 1), dt.date(2026, 3, 31))
        assert_nothing_after(s, WINTER)
        visits = s.scalars(
            select(SupervisionVisit.visited_on)
            .join(Campaign, Campaign.id == SupervisionVisit.campaign_id)
            .where(Campaign.year == 2025)
        ).all()
        assert visits and all(dt.date(2025, 11, 1) <= day <= WINTER for day in visits)


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2026, 1, 1), 2025),
        (dt.date(2025, 12, 31), 2025),
    ],
)
def test_latest_campaign_year(today: dt.date, year: int) -> None:
    assert latest_campaign_year(today) == year


def test_phase_windows_extend_only_the_running_campaign() -> None:
    assert phase_windows(2025, WINTER)["assess"][1] == dt.date(2026, 3, 31)
    assert phase_windows(2024, WINTER)["assess"][1] == dt.date(2024, 12, 31)
    assert phase_windows(2025, TODAY)["assess"] == (dt.date(2025, 11, 1), dt.date(2025, 12, 31))
    assert phase_windows(2025, TODAY)["mobilize"] == (dt.date(2025, 4, 1), dt.date(2025, 5, 31))


def test_each_demo_campaign_has_its_archive_checklist(session: Session) -> None:
    """So that next year can be set up from a demo year (copy-from takes the checklist)."""
    from data.campaign_view import campaign_setup
    from data.models import Campaign

    for year in session.scalars(select(Campaign.year)):
        setup = campaign_setup(session, year)
        assert [name for name, _ in setup.archive] == [
            "实施方案",
            "动员大会照片",
            "自查报告",
            "整改台账",
            "督导检查记录",
            "工作总结",
        ]


def test_the_work_plan_records_are_consistent(session: Session) -> None:
    """#18 in the demo: topics hold their own unit's problems, every reported problem is in a
    batch dated after it and before any feedback, commitments belong to legal-service units,
    briefings went to the representatives, and unit01's unit has photos before and after."""
    from data.commitments import COMMITTING_KINDS
    from data.models import (
        Attachment,
        Briefing,
        BriefingRecipient,
        Commitment,
        ReportBatch,
        Topic,
        TopicProblem,
        VisitTopic,
    )

    assert count(session, Topic) > 0 and count(session, VisitTopic) > 0
    foreign = session.scalar(
        select(func.count())
        .select_from(TopicProblem)
        .join(Topic, Topic.id == TopicProblem.topic_id)
        .join(Problem, Problem.id == TopicProblem.problem_id)
        .where(Topic.unit_id.is_not(None), Topic.unit_id != Problem.unit_id)
    )
    assert foreign == 0
    per_unit = session.execute(
        select(Topic.campaign_id, Topic.unit_id, func.count())
        .where(Topic.unit_id.is_not(None))
        .group_by(Topic.campaign_id, Topic.unit_id)
    ).all()
    assert per_unit and all(1 <= n <= 3 for *_, n in per_unit)

    reported = count(session, Problem, Problem.reported.is_(True), Problem.voided_at.is_(None))
    batched = count(session, Problem, Problem.report_batch_id.is_not(None))
    assert reported == batched > 0
    fed_back = count(session, Problem, Problem.report_feedback_on.is_not(None))
    assert 0 < fed_back < batched
    wrong_dates = session.scalar(
        select(func.count())
        .select_from(Problem)
        .join(ReportBatch, ReportBatch.id == Problem.report_batch_id)
        .where(
            (ReportBatch.reported_on > TODAY)
            | (Problem.report_feedback_on < ReportBatch.reported_on)
            | (Problem.report_feedback_on > TODAY)
        )
    )
    assert wrong_dates == 0

    kinds = set(
        session.scalars(
            select(Unit.kind).join(Commitment, Commitment.unit_id == Unit.id).distinct()
        )
    )
    assert kinds and kinds <= set(COMMITTING_KINDS)
    # TODAY is in the 2025 rectify phase: the mobilize and investigate briefings are out.
    briefed = session.scalars(select(Briefing.issued_on).order_by(Briefing.issued_on)).all()
    assert len(briefed) == 2 and all(day <= TODAY for day in briefed)
    from data.briefings import active_representatives

    active = len(active_representatives(session))
    assert 0 < active < count(session, Representative)  # one has left: not briefed
    assert count(session, BriefingRecipient) == 2 * active

    unit_id = session.scalar(select(User.unit_id).where(User.username == "unit01"))
    stages = Counter(
        session.scalars(
            select(Attachment.stage).where(
                Attachment.unit_id == unit_id, Attachment.owner == "problem"
            )
        )
    )
    assert stages["before"] == stages["after"] > 0
