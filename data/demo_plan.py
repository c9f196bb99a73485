"""The demo county's records of the rest of the work plan (#18): 评议选题 with their checks,
情况通报 to the representatives, the 纠风办's batches and feedback, 公开承诺, and a few files.

Drawn from a random generator of its own, after the campaigns are made: the figures the rest
of the demo gives (and the tests read) do not move."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.attachments import save_attachment
from data.briefings import active_representatives, issue_briefing
from data.commitments import COMMITTING_KINDS, CommitmentForm, link_complaint, save_commitment
from data.models import (
    ArchiveItem,
    Campaign,
    Phase,
    Problem,
    ReportBatch,
    SupervisionVisit,
    Unit,
    UnitTask,
    User,
)
from data.reference import COMPLAINT_CHANNELS, PhaseCode, Role
from data.topics import (
    Actor,
    TopicForm,
    TopicTextsForm,
    create_topic,
    save_texts,
    set_visit_topics,
    suggested_title,
    suggestions,
)

ADMIN = Actor(Role.ADMIN)
# Share of units that record their topics, and the topics each records.
TOPIC_SHARE = 0.6
TOPICS_PER_UNIT = 2
FEEDBACK = (
    "经核查，已整改到位，群众表示满意",
    "已约谈相关人员，整改措施已落实",
    "已当面向当事人说明情况并致歉，群众认可",
    "整改基本到位，请单位继续跟踪落实",
    "已建立长效机制，纳入单位年度考核",
)
COMMITMENTS = (
    "办理时限承诺：自受理之日起 {n} 个工作日内办结，逾期说明理由",
    "收费公开承诺：收费项目与标准在办事大厅和网站公示，不收取公示外费用",
    "服务态度承诺：首问负责、一次性告知，不推诿、不刁难群众",
    "廉洁从业承诺：不接受当事人宴请和礼品礼金，不以案谋私",
)
PUBLISHED_WHERE = ("单位门户网站", "办事大厅公示栏", "县司法局微信公众号", "县融媒体中心")
PLAN_TEXT = "成立专项整改小组，梳理群众反映的{title}等问题，逐件明确责任人和整改时限"
DEPLOY_TEXT = "召开专题会议部署，明确分管领导牵头，每月通报整改进展"
SUMMARY_TEXT = "专项整改完成，相关问题已逐件销号，群众回访满意"


@dataclass(frozen=True)
class _Account:
    """The demo's writer, as data/attachments.py needs an account."""

    id: int
    username: str
    role: str
    unit_id: int | None = None


def add_work_plan(session: Session, today: dt.date, seed: int) -> None:
    """Every #18 record of the demo's campaigns up to `today`."""
    rng = random.Random(seed * 18 + 1)
    years = list(session.scalars(select(Campaign.year).order_by(Campaign.year)))
    for year in years:
        _batches(session, rng, year, today)
    for year in years[-2:]:
        _topics(session, rng, year, today)
        _commitments(session, rng, year, today)
    if years:
        _files(session, rng, years[-1], today)
        _briefings(session, years[-1], today)


def _phase(session: Session, year: int, code: str) -> tuple[dt.date, dt.date]:
    starts, ends = session.execute(
        select(Phase.starts_on, Phase.ends_on)
        .join(Campaign, Campaign.id == Phase.campaign_id)
        .where(Campaign.year == year, Phase.code == code)
    ).one()
    return starts, ends


# ---- the 纠风办 loop -----------------------------------------------------------------------


def _batches(session: Session, rng: random.Random, year: int, today: dt.date) -> None:
    """The problems the demo marks reported, in monthly batches (第N批) with the 纠风办's
    case-by-case feedback on most of those reported three weeks ago or more."""
    problems = list(
        session.scalars(
            select(Problem)
            .join(Campaign, Campaign.id == Problem.campaign_id)
            .where(
                Campaign.year == year,
                Problem.reported.is_(True),
                Problem.report_batch_id.is_(None),
                Problem.voided_at.is_(None),
            )
            .order_by(Problem.found_on, Problem.id)
        )
    )
    months: dict[tuple[int, int], list[Problem]] = {}
    for problem in problems:
        day = problem.completed_on or problem.found_on
        months.setdefault((day.year, day.month), []).append(problem)
    batches: list[tuple[int, int, dt.date, list[Problem]]] = []
    for (y, m), members in sorted(months.items()):
        first_of_next = dt.date(y + m // 12, m % 12 + 1, 1)
        reported_on = min(first_of_next + dt.timedelta(days=rng.randint(2, 6)), today)
        last = batches[-1] if batches else None
        if last is not None and last[2] == today:  # this month's so far go with last month's
            last[3].extend(members)
        else:
            batches.append((y, m, reported_on, members))
    for number, (y, m, reported_on, members) in enumerate(batches, start=1):
        batch = ReportBatch(
            campaign_id=members[0].campaign_id,
            number=number,
            reported_on=reported_on,
            note=f"{y} 年 {m} 月整改情况",
            reported_by="纠风办管理员",
        )
        session.add(batch)
        session.flush()
        for problem in members:
            problem.report_batch_id = batch.id
            fed_back = reported_on + dt.timedelta(days=rng.randint(7, 20))
            if fed_back <= today and rng.random() < 0.85:
                problem.report_feedback = rng.choice(FEEDBACK)
                problem.report_feedback_on = fed_back
    session.flush()


# ---- 评议选题 ------------------------------------------------------------------------------


def _topics(session: Session, rng: random.Random, year: int, today: dt.date) -> None:
    """Topics picked from each unit's most complained-about problems (the suggestions), their
    plan and deployment, a summary once the campaign is being assessed, and the visits that
    checked them."""
    mobilize, _ = _phase(session, year, PhaseCode.MOBILIZE)
    if mobilize > today:
        return
    assess, _ = _phase(session, year, PhaseCode.ASSESS)
    units = list(session.scalars(select(Unit).where(Unit.retired_on.is_(None)).order_by(Unit.id)))
    chosen = [u for u in units if rng.random() < TOPIC_SHARE]
    by_unit: dict[int, list[int]] = {}
    for unit in chosen:
        for suggestion in suggestions(session, year, unit.id, limit=TOPICS_PER_UNIT):
            title = suggested_title(suggestion)
            topic = create_topic(
                session,
                ADMIN,
                year,
                TopicForm(
                    unit_id=unit.id,
                    title=title,
                    criterion_code=suggestion.criterion_code,
                    reason=f"群众反映集中（{suggestion.count} 件）",
                    problem_ids=suggestion.problem_ids,
                ),
            )
            summary = SUMMARY_TEXT if assess <= today and rng.random() < 0.7 else None
            plan = PLAN_TEXT.format(title=title[:20]) if rng.random() < 0.85 else None
            save_texts(
                session,
                ADMIN,
                topic.id,
                TopicTextsForm(deployment=DEPLOY_TEXT, plan=plan, summary=summary),
                topic.version,
            )
            by_unit.setdefault(unit.id, []).append(topic.id)
    bureau = create_topic(
        session,
        ADMIN,
        year,
        TopicForm(title="窗口服务规范化建设", reason="全系统群众反映最多的服务态度与告知问题"),
    )
    save_texts(
        session,
        ADMIN,
        bureau.id,
        TopicTextsForm(deployment=DEPLOY_TEXT, plan=PLAN_TEXT.format(title="窗口服务")),
        bureau.version,
    )
    visits = session.scalars(
        select(SupervisionVisit)
        .join(Campaign, Campaign.id == SupervisionVisit.campaign_id)
        .where(Campaign.year == year, SupervisionVisit.unit_id.in_(list(by_unit)))
        .order_by(SupervisionVisit.id)
    )
    for visit in visits:
        if rng.random() < 0.8:
            set_visit_topics(session, visit, by_unit[visit.unit_id][:1])
    session.flush()


# ---- 公开承诺 ------------------------------------------------------------------------------


def _commitments(session: Session, rng: random.Random, year: int, today: dt.date) -> None:
    """One or two commitments per legal-service unit, published early in the campaign; some
    linked to the complaints that concern them."""
    mobilize, mobilize_end = _phase(session, year, PhaseCode.MOBILIZE)
    if mobilize > today:
        return
    units = session.scalars(
        select(Unit)
        .where(Unit.kind.in_(COMMITTING_KINDS), Unit.retired_on.is_(None))
        .order_by(Unit.id)
    ).all()
    for unit in units:
        for text in rng.sample(COMMITMENTS, rng.randint(1, 2)):
            published = min(mobilize + dt.timedelta(days=rng.randint(3, 25)), today, mobilize_end)
            commitment = save_commitment(
                session,
                Role.ADMIN,
                None,
                year,
                CommitmentForm(
                    unit_id=unit.id,
                    content=text.format(n=rng.choice((5, 7, 10))),
                    published_on=published,
                    published_where=rng.choice(PUBLISHED_WHERE),
                ),
            )
            if rng.random() < 0.35:
                complaints = session.scalars(
                    select(Problem.id)
                    .where(
                        Problem.campaign_id == commitment.campaign_id,
                        Problem.unit_id == unit.id,
                        Problem.channel.in_(COMPLAINT_CHANNELS),
                        Problem.voided_at.is_(None),
                    )
                    .order_by(Problem.id)
                    .limit(2)
                ).all()
                for problem_id in complaints:
                    link_complaint(session, Role.ADMIN, None, commitment.id, problem_id)
    session.flush()


# ---- 情况通报 ------------------------------------------------------------------------------


def _briefings(session: Session, year: int, today: dt.date) -> None:
    """A briefing to every representative at the end of each phase that has ended."""
    recipients = [rep_id for rep_id, _name, _org in active_representatives(session)]
    if not recipients:
        return
    for code in (PhaseCode.MOBILIZE, PhaseCode.INVESTIGATE, PhaseCode.RECTIFY):
        _starts, ends = _phase(session, year, code)
        issued = ends + dt.timedelta(days=3)
        if issued > today:
            break
        issue_briefing(session, year, ends.isoformat(), None, None, recipients, issued)


# ---- files -------------------------------------------------------------------------------


def _photo(rng: random.Random, before: bool) -> bytes:
    """A small JPEG standing in for a site photo (a notice board: dull before, bright after)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (150, 140, 130) if before else (225, 235, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 60, 560, 380), fill=(120, 100, 90) if before else (250, 250, 250))
    for row in range(6):
        y = 100 + row * 40
        width = rng.randint(200, 400) if not before else rng.randint(60, 200)
        draw.rectangle(
            (120, y, 120 + width, y + 14), fill=(60, 60, 60) if not before else (90, 80, 70)
        )
    draw.rectangle((0, 400, 640, 480), fill=(90, 110, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _document(title: str, lines: list[str]) -> bytes:
    """A short .docx (a plan, a record) as the units file them."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _files(session: Session, rng: random.Random, year: int, today: dt.date) -> None:
    """Files of the first judicial office (unit01's): before/after photos of its rectified
    problems, its plan on its first task, and its archive's first items."""
    admin = session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    unit_user = session.scalar(select(User).where(User.username == "unit01"))
    if admin is None or unit_user is None or unit_user.unit_id is None:
        return
    writer = _Account(admin.id, admin.username, admin.role)
    unit_id = unit_user.unit_id
    campaign_id = session.scalar(select(Campaign.id).where(Campaign.year == year))
    rectified = session.scalars(
        select(Problem.id)
        .where(
            Problem.campaign_id == campaign_id,
            Problem.unit_id == unit_id,
            Problem.completed_on.is_not(None),
            Problem.completed_on <= today,
            Problem.voided_at.is_(None),
        )
        .order_by(Problem.completed_on.desc(), Problem.id)
        .limit(4)
    ).all()
    for problem_id in rectified:
        for stage in ("before", "after"):
            name = f"整改{'前' if stage == 'before' else '后'}-{problem_id}.jpg"
            save_attachment(
                session, writer, "problem", problem_id, name, _photo(rng, stage == "before"), stage
            )
    task_id = session.scalar(
        select(UnitTask.id)
        .where(UnitTask.unit_id == unit_id, UnitTask.completed_on.is_not(None))
        .order_by(UnitTask.id.desc())
    )
    if task_id is not None:
        plan = _document(
            f"{year} 年民主评议政风行风工作实施方案",
            ["一、指导思想", "二、评议内容", "三、方法步骤", "四、工作要求"],
        )
        save_attachment(session, writer, "task", task_id, "工作实施方案.docx", plan)
    items = session.scalars(
        select(ArchiveItem.id)
        .where(
            ArchiveItem.campaign_id == campaign_id,
            ArchiveItem.unit_id == unit_id,
            ArchiveItem.in_archive.is_(True),
        )
        .order_by(ArchiveItem.id)
        .limit(2)
    ).all()
    for number, item_id in enumerate(items, start=1):
        record = _document(f"工作档案材料 {number}", ["会议记录", "参会人员签到表"])
        save_attachment(session, writer, "archive_item", item_id, f"档案材料{number}.docx", record)
