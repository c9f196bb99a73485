"""评议选题 (work plan §四(一), §四(二)3): each unit picks 2–3 key topics from what the public
complains about most, links the problems a topic addresses, and needs for each
有安排部署、有评议方案、有检查记录和工作总结 — the topic's completeness. Candidates are
suggested from the campaign's problems, grouped by criterion and by similar description."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic import Field as PydanticField
from rapidfuzz import fuzz
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from data.edits import check_version, snapshot
from data.figures import Filters
from data.forms import CriterionCode, Form, FormError, RecordId, Text, clean_text
from data.history import History, HistoryEntry, merged
from data.models import (
    Campaign,
    ChangeLog,
    Problem,
    SupervisionVisit,
    Topic,
    TopicProblem,
    Unit,
    VisitTopic,
)
from data.rectification_updates import NotAllowed
from data.reference import COMPLAINT_CHANNELS, CRITERIA, Role, criterion_applies
from data.scope import problem_conditions

MIN_TOPICS, MAX_TOPICS = 2, 3  # the work plan: 2—3 个评议选题
# Two descriptions are one candidate topic when the rapidfuzz token-set ratio of their character
# bigrams reaches this. Tested on the demo's texts (none of its 56 distinct wordings reaches 50)
# and on hand-written variants (同义改写 score 57–92, different problems at most 52; the one pair
# between, 办理时限未明确告知当事人 / 案件进展未及时告知当事人 at 66, is fairly one topic).
SIMILAR = 55
# The head of a description that says where it came from (自查发现：, 群众来电投诉：,
# 县纠风办交办（纠风交〔2024〕5号）：) and a 群众反映 after it: not what the problem is.
SOURCE_HEAD = re.compile(r"^[^：:]{1,30}[：:]")
REPORTED_BY = re.compile(r"^(群众|服务对象|当事人|代表)(反映|提出|投诉)")
NUMBER = re.compile(r"\d+")
TEXT_FIELDS = ("deployment", "plan", "summary")
NOT_YOURS = "只能管理本单位的评议选题"
BUREAU_TOPIC = "全局选题只能由管理员管理"
OTHER_UNIT_PROBLEM = "只能关联本单位本年度的问题：问题 {ids} 不属于该选题的单位或年度"
WITHDRAWN = "该选题已撤销，不能再修改"
WRITER_ROLES = (Role.UNIT, Role.ADMIN)

Title = Annotated[str, BeforeValidator(clean_text), PydanticField(max_length=200)]


class TopicForm(Form):
    """A new topic as a unit (or the admin) enters it."""

    unit_id: RecordId | None = None
    title: Title
    criterion_code: CriterionCode | None = None
    reason: Text | None = None
    problem_ids: list[RecordId] = PydanticField(default_factory=list)


class TopicTextsForm(Form):
    """A topic's plan, deployment and summary."""

    deployment: Text | None = None
    plan: Text | None = None
    summary: Text | None = None


@dataclass(frozen=True)
class Actor:
    """Who writes: a role and, for unit staff, their unit."""

    role: str
    unit_id: int | None = None


def may_edit(actor: Actor, unit_id: int | None) -> bool:
    """Whether `actor` may write the topics of unit `unit_id` (None: the bureau's)."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.UNIT and unit_id is not None and actor.unit_id == unit_id


def _check_may_edit(actor: Actor, unit_id: int | None) -> None:
    if not may_edit(actor, unit_id):
        raise NotAllowed(BUREAU_TOPIC if unit_id is None else NOT_YOURS)


def _campaign_id(session: Session, year: int) -> int:
    campaign_id = session.scalar(select(Campaign.id).where(Campaign.year == year))
    if campaign_id is None:
        raise FormError({"campaign": f"没有 {year} 年的评议活动"})
    return campaign_id


def _topic(session: Session, topic_id: int) -> Topic:
    topic = session.get(Topic, topic_id)
    if topic is None:
        raise FormError({"topic": "选题不存在"})
    return topic


def _check_problems(session: Session, topic: Topic, problem_ids: Iterable[int]) -> list[int]:
    """The ids, each a problem of the topic's campaign and (for a unit's topic) its unit;
    NotAllowed naming the others — nothing is written then."""
    wanted = sorted(set(problem_ids))
    if not wanted:
        return []
    query = select(Problem.id).where(
        Problem.id.in_(wanted),
        Problem.campaign_id == topic.campaign_id,
        Problem.voided_at.is_(None),
    )
    if topic.unit_id is not None:
        query = query.where(Problem.unit_id == topic.unit_id)
    found = set(session.scalars(query))
    others = [i for i in wanted if i not in found]
    if others:
        raise NotAllowed(OTHER_UNIT_PROBLEM.format(ids="、".join(map(str, others))))
    return wanted


def create_topic(session: Session, actor: Actor, year: int, form: TopicForm) -> Topic:
    """A new topic of the actor's unit (the admin: any unit, or the bureau's with no unit),
    with its problems linked in one go."""
    unit_id = actor.unit_id if actor.role == Role.UNIT else form.unit_id
    _check_may_edit(actor, unit_id)
    campaign_id = _campaign_id(session, year)
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise FormError({"unit_id": "单位不存在"})
        if form.criterion_code and not criterion_applies(form.criterion_code, unit.kind):
            raise FormError(
                {"criterion_code": f"“{CRITERIA[form.criterion_code][0]}”不适用于该单位"}
            )
    taken = session.scalar(
        select(Topic.id).where(
            Topic.campaign_id == campaign_id,
            Topic.unit_id.is_(None) if unit_id is None else Topic.unit_id == unit_id,
            Topic.title == form.title,
        )
    )
    if taken is not None:
        raise FormError({"title": "该单位本年度已有同名选题"})
    topic = Topic(
        campaign_id=campaign_id,
        unit_id=unit_id,
        title=form.title,
        criterion_code=form.criterion_code,
        reason=form.reason,
    )
    ids = _check_problems(session, topic, form.problem_ids)
    session.add(topic)
    session.flush()
    for problem_id in ids:
        session.add(TopicProblem(topic_id=topic.id, problem_id=problem_id))
    session.flush()
    return topic


def _editable(session: Session, actor: Actor, topic_id: int) -> Topic:
    """The topic, when the actor may write it and it is not withdrawn."""
    topic = _topic(session, topic_id)
    _check_may_edit(actor, topic.unit_id)
    if topic.withdrawn_at is not None:
        raise FormError({"topic": WITHDRAWN})
    return topic


def text_snapshot(topic: Topic) -> dict[str, Any]:
    """The texts an edit form starts from (compared on save to name others' changes)."""
    return snapshot(topic, list(TEXT_FIELDS))


def save_texts(
    session: Session,
    actor: Actor,
    topic_id: int,
    form: TopicTextsForm,
    expected_version: int | None,
    seen: dict[str, Any] | None = None,
) -> Topic:
    """Save a topic's deployment, plan and summary; a stale save is refused (ConflictError)."""
    topic = _editable(session, actor, topic_id)
    check_version(topic, expected_version, seen)
    for name in TEXT_FIELDS:
        setattr(topic, name, getattr(form, name))
    session.flush()
    return topic


def link_problems(session: Session, actor: Actor, topic_id: int, problem_ids: Sequence[int]) -> int:
    """Link problems to a topic (an unlinked one is linked again); how many were linked."""
    topic = _editable(session, actor, topic_id)
    ids = _check_problems(session, topic, problem_ids)
    if not ids:
        raise FormError({"problem_ids": "请选择要关联的问题"})
    existing = {
        link.problem_id: link
        for link in session.scalars(
            select(TopicProblem).where(
                TopicProblem.topic_id == topic.id, TopicProblem.problem_id.in_(ids)
            )
        )
    }
    linked = 0
    for problem_id in ids:
        link = existing.get(problem_id)
        if link is None:
            session.add(TopicProblem(topic_id=topic.id, problem_id=problem_id))
            linked += 1
        elif link.unlinked_at is not None:
            link.unlinked_at = None
            linked += 1
    session.flush()
    return linked


def unlink_problem(session: Session, actor: Actor, topic_id: int, problem_id: int) -> None:
    """Unlink a problem from a topic (the link is kept, marked unlinked)."""
    topic = _editable(session, actor, topic_id)
    link = session.scalar(
        select(TopicProblem).where(
            TopicProblem.topic_id == topic.id,
            TopicProblem.problem_id == problem_id,
            TopicProblem.unlinked_at.is_(None),
        )
    )
    if link is None:
        raise FormError({"problem_ids": "该问题未关联此选题"})
    link.unlinked_at = dt.datetime.now()
    session.flush()


def withdraw_topic(
    session: Session, actor: Actor, topic_id: int, expected_version: int | None
) -> Topic:
    """Withdraw a topic: it stays in the history, marked withdrawn."""
    topic = _editable(session, actor, topic_id)
    check_version(topic, expected_version, None)
    topic.withdrawn_at = dt.datetime.now()
    session.flush()
    return topic


# ---- reads -------------------------------------------------------------------------------


@dataclass
class Completeness:
    """The four things a topic needs (§四(二)3) and how many it has."""

    deployment: bool
    plan: bool
    checked: bool
    summary: bool

    @property
    def done(self) -> int:
        return sum((self.deployment, self.plan, self.checked, self.summary))


def _filled(column: Any) -> Any:
    return case((func.length(func.coalesce(column, "")) > 0, 1), else_=0)


@dataclass
class TopicRow:
    """One topic in the list."""

    id: int
    unit_id: int | None
    unit: str | None
    title: str
    criterion_code: str | None
    problems: int
    rectified: int
    visits: int
    completeness: Completeness
    withdrawn: bool


def _live_links(as_of: dt.date) -> Any:
    """Problems linked (not unlinked) per topic, and how many of them are rectified by as_of."""
    rectified = problem_conditions(as_of).rectified
    return (
        select(
            TopicProblem.topic_id,
            func.count().label("n"),
            func.coalesce(func.sum(case((rectified, 1), else_=0)), 0).label("done"),
        )
        .join(Problem, Problem.id == TopicProblem.problem_id)
        .where(TopicProblem.unlinked_at.is_(None), Problem.voided_at.is_(None))
        .group_by(TopicProblem.topic_id)
        .subquery()
    )


def _live_visits() -> Any:
    """Visits naming each topic."""
    return (
        select(VisitTopic.topic_id, func.count().label("n"))
        .where(VisitTopic.unlinked_at.is_(None))
        .group_by(VisitTopic.topic_id)
        .subquery()
    )


def list_topics(
    session: Session,
    year: int,
    unit_ids: Sequence[int] = (),
    withdrawn: bool = False,
    as_of: dt.date | None = None,
    *,
    bureau: bool = True,
    filters: Filters | None = None,
) -> list[TopicRow]:
    """A campaign's topics (of `unit_ids` and the bureau's when given; else all), the bureau's
    first then by unit, with links (rectified by `as_of`, default today), checks and
    completeness counted in SQL. `bureau` False leaves out the bureau's own (全局) topics;
    `filters` (the shell's kinds and townships) limit the units' topics (the bureau's, of no
    kind or township, stay)."""
    links, visits = _live_links(as_of or dt.date.today()), _live_visits()
    query = (
        select(
            Topic.id,
            Topic.unit_id,
            Unit.name,
            Topic.title,
            Topic.criterion_code,
            func.coalesce(links.c.n, 0),
            func.coalesce(links.c.done, 0),
            func.coalesce(visits.c.n, 0),
            _filled(Topic.deployment),
            _filled(Topic.plan),
            _filled(Topic.summary),
            Topic.withdrawn_at,
        )
        .join(Campaign, Campaign.id == Topic.campaign_id)
        .outerjoin(Unit, Unit.id == Topic.unit_id)
        .outerjoin(links, links.c.topic_id == Topic.id)
        .outerjoin(visits, visits.c.topic_id == Topic.id)
        .where(Campaign.year == year)
        .order_by(Topic.unit_id.is_not(None), Unit.name, Topic.id)
    )
    if unit_ids:
        query = query.where(Topic.unit_id.in_(unit_ids) | Topic.unit_id.is_(None))
    if not bureau:
        query = query.where(Topic.unit_id.is_not(None))
    if filters is not None and (filters.kinds or filters.townships):
        query = query.where(Topic.unit_id.is_(None) | and_(*_unit_filter(filters)))
    if not withdrawn:
        query = query.where(Topic.withdrawn_at.is_(None))
    return [
        TopicRow(
            i,
            uid,
            uname,
            title,
            crit,
            int(n),
            int(done),
            int(v),
            Completeness(bool(dep), bool(plan), int(v) > 0, bool(summ)),
            gone is not None,
        )
        for i, uid, uname, title, crit, n, done, v, dep, plan, summ, gone in session.execute(query)
    ]


def _unit_filter(filters: Filters) -> list[Any]:
    """The shell's kind and township filters on the topic's unit (joined as `Unit`)."""
    conditions = []
    if filters.kinds:
        conditions.append(Unit.kind.in_(filters.kinds))
    if filters.townships:
        conditions.append(Unit.township.in_(filters.townships))
    return conditions


@dataclass
class TopicCount:
    """A unit whose number of topics is outside 2–3."""

    unit_id: int
    unit: str
    topics: int


def counts_out_of_range(
    session: Session, year: int, unit_ids: Sequence[int] = (), filters: Filters | None = None
) -> list[TopicCount]:
    """Units in service (of the shell's `filters`) with fewer than MIN_TOPICS or more than
    MAX_TOPICS topics (not withdrawn) this campaign: a gentle note, not a refusal."""
    campaign_id = session.scalar(select(Campaign.id).where(Campaign.year == year))
    counted = (
        select(Topic.unit_id, func.count().label("n"))
        .where(Topic.campaign_id == campaign_id, Topic.withdrawn_at.is_(None))
        .group_by(Topic.unit_id)
        .subquery()
    )
    n = func.coalesce(counted.c.n, 0)
    query = (
        select(Unit.id, Unit.name, n)
        .outerjoin(counted, counted.c.unit_id == Unit.id)
        .where(Unit.retired_on.is_(None), (n < MIN_TOPICS) | (n > MAX_TOPICS))
        .order_by(Unit.kind, Unit.name)
    )
    if unit_ids:
        query = query.where(Unit.id.in_(unit_ids))
    if filters is not None:
        query = query.where(*_unit_filter(filters))
    return [TopicCount(i, name, int(k)) for i, name, k in session.execute(query)]


@dataclass
class LinkedProblem:
    """A problem linked to a topic and where its rectification stands."""

    id: int
    unit: str
    description: str
    channel: str
    status: str
    deadline: dt.date
    completed_on: dt.date | None


@dataclass
class TopicVisit:
    """A supervision visit that names the topic (one of its 检查记录)."""

    id: int
    visited_on: dt.date
    supervisors: str
    kind: str


@dataclass
class TopicDetail:
    """One topic with everything its page shows."""

    id: int
    version: int
    year: int
    unit_id: int | None
    unit: str | None
    title: str
    criterion_code: str | None
    reason: str | None
    deployment: str | None
    plan: str | None
    summary: str | None
    withdrawn_at: dt.datetime | None
    problems: list[LinkedProblem]
    visits: list[TopicVisit]
    seen: dict[str, Any] = field(default_factory=dict)

    @property
    def completeness(self) -> Completeness:
        return Completeness(
            bool(self.deployment), bool(self.plan), bool(self.visits), bool(self.summary)
        )


def topic_detail(session: Session, topic_id: int) -> TopicDetail | None:
    """A topic, its linked problems (complainant fields not selected) and the visits naming it."""
    row = session.execute(
        select(Topic, Unit.name, Campaign.year)
        .join(Campaign, Campaign.id == Topic.campaign_id)
        .outerjoin(Unit, Unit.id == Topic.unit_id)
        .where(Topic.id == topic_id)
    ).one_or_none()
    if row is None:
        return None
    topic, unit_name, year = row
    problems = [
        LinkedProblem(*r)
        for r in session.execute(
            select(
                Problem.id,
                Unit.name,
                Problem.description,
                Problem.channel,
                Problem.status,
                Problem.deadline,
                Problem.completed_on,
            )
            .join(TopicProblem, TopicProblem.problem_id == Problem.id)
            .join(Unit, Unit.id == Problem.unit_id)
            .where(
                TopicProblem.topic_id == topic_id,
                TopicProblem.unlinked_at.is_(None),
                Problem.voided_at.is_(None),
            )
            .order_by(Problem.deadline, Problem.id)
        )
    ]
    visits = [
        TopicVisit(*r)
        for r in session.execute(
            select(
                SupervisionVisit.id,
                SupervisionVisit.visited_on,
                SupervisionVisit.supervisors,
                SupervisionVisit.kind,
            )
            .join(VisitTopic, VisitTopic.visit_id == SupervisionVisit.id)
            .where(VisitTopic.topic_id == topic_id, VisitTopic.unlinked_at.is_(None))
            .order_by(SupervisionVisit.visited_on.desc(), SupervisionVisit.id.desc())
        )
    ]
    return TopicDetail(
        id=topic.id,
        version=topic.version,
        year=year,
        unit_id=topic.unit_id,
        unit=unit_name,
        title=topic.title,
        criterion_code=topic.criterion_code,
        reason=topic.reason,
        deployment=topic.deployment,
        plan=topic.plan,
        summary=topic.summary,
        withdrawn_at=topic.withdrawn_at,
        problems=problems,
        visits=visits,
        seen=text_snapshot(topic),
    )


def linkable_problems(session: Session, topic_id: int) -> list[tuple[int, str]]:
    """(id, text) of the problems that may still be linked to a topic: its unit's (any unit's
    for the bureau's topic) of its campaign, not voided, not linked already."""
    topic = session.get(Topic, topic_id)
    if topic is None:
        return []
    linked = select(TopicProblem.problem_id).where(
        TopicProblem.topic_id == topic_id, TopicProblem.unlinked_at.is_(None)
    )
    query = (
        select(Problem.id, Unit.name, Problem.description)
        .join(Unit, Unit.id == Problem.unit_id)
        .where(
            Problem.campaign_id == topic.campaign_id,
            Problem.voided_at.is_(None),
            Problem.id.not_in(linked),
        )
        .order_by(Unit.name, Problem.found_on, Problem.id)
    )
    if topic.unit_id is not None:
        query = query.where(Problem.unit_id == topic.unit_id)
    return [(i, f"{name}：{text}") for i, name, text in session.execute(query)]


def topics_of_unit(session: Session, campaign_id: int, unit_id: int) -> list[tuple[int, str]]:
    """(id, title) of the topics a visit to the unit may check: the unit's and the bureau's
    (全局), not withdrawn."""
    rows = session.execute(
        select(Topic.id, Topic.title, Topic.unit_id)
        .where(
            Topic.campaign_id == campaign_id,
            Topic.withdrawn_at.is_(None),
            (Topic.unit_id == unit_id) | Topic.unit_id.is_(None),
        )
        .order_by(Topic.unit_id.is_(None), Topic.id)
    )
    return [(i, title if uid is not None else f"{title}（全局）") for i, title, uid in rows]


def set_visit_topics(session: Session, visit: SupervisionVisit, topic_ids: Sequence[int]) -> None:
    """Name the topics a visit checked (the unit's or the bureau's of its campaign): links
    added, links no longer named marked unlinked."""
    allowed = {i for i, _ in topics_of_unit(session, visit.campaign_id, visit.unit_id)}
    wanted = set(topic_ids)
    if wanted - allowed:
        raise FormError({"topic_ids": "只能选择被督导单位本年度的评议选题"})
    links = {
        link.topic_id: link
        for link in session.scalars(select(VisitTopic).where(VisitTopic.visit_id == visit.id))
    }
    for topic_id in sorted(wanted):
        link = links.get(topic_id)
        if link is None:
            session.add(VisitTopic(visit_id=visit.id, topic_id=topic_id))
        elif link.unlinked_at is not None:
            link.unlinked_at = None
    for topic_id, link in links.items():
        if topic_id not in wanted and link.unlinked_at is None:
            link.unlinked_at = dt.datetime.now()
    session.flush()


def visit_topic_titles(session: Session, visit_id: int) -> list[tuple[int, str]]:
    """(id, title) of the topics a visit names."""
    return [
        tuple(r)
        for r in session.execute(
            select(Topic.id, Topic.title)
            .join(VisitTopic, VisitTopic.topic_id == Topic.id)
            .where(VisitTopic.visit_id == visit_id, VisitTopic.unlinked_at.is_(None))
            .order_by(Topic.id)
        )
    ]


# ---- suggestions (候选选题) ----------------------------------------------------------------


def core_text(description: str) -> str:
    """What a problem is, without where it came from or its numbers: 群众来电投诉：超标准收费，
    多收费用约400元 → 超标准收费，多收费用约#元."""
    text = SOURCE_HEAD.sub("", description.strip(), count=1).strip() or description
    text = REPORTED_BY.sub("", text).strip() or text
    return NUMBER.sub("#", text)


def _bigrams(text: str) -> str:
    return " ".join(sorted({text[i : i + 2] for i in range(max(len(text) - 1, 1))}))


def similarity(a: str, b: str) -> float:
    """How alike two core texts are, 0–100 (rapidfuzz token-set ratio of character bigrams)."""
    return fuzz.token_set_ratio(_bigrams(a), _bigrams(b))


@dataclass
class Suggestion:
    """A candidate topic: problems of one criterion described alike."""

    criterion_code: str
    sample: str
    problem_ids: list[int]
    complaints: int
    units: int
    wordings: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.problem_ids)


def group_texts(texts: Sequence[tuple[str, int]]) -> list[list[int]]:
    """Group (core text, weight) pairs: the most weighty first, each text joining the first
    group whose leading text it is similar to. Indexes into `texts`."""
    order = sorted(range(len(texts)), key=lambda i: (-texts[i][1], texts[i][0]))
    groups: list[list[int]] = []
    for i in order:
        for group in groups:
            if similarity(texts[group[0]][0], texts[i][0]) >= SIMILAR:
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def suggestions(
    session: Session, year: int, unit_id: int | None, limit: int = 12
) -> list[Suggestion]:
    """Candidate topics for a unit (None: the bureau, from every unit's problems): its problems
    of the campaign not yet linked to one of its topics, grouped by criterion and similar
    description, most complained-about first (then most problems)."""
    campaign_id = session.scalar(select(Campaign.id).where(Campaign.year == year))
    if campaign_id is None:
        return []
    own_topics = select(Topic.id).where(
        Topic.campaign_id == campaign_id,
        Topic.withdrawn_at.is_(None),
        Topic.unit_id.is_(None) if unit_id is None else Topic.unit_id == unit_id,
    )
    linked = select(TopicProblem.problem_id).where(
        TopicProblem.unlinked_at.is_(None), TopicProblem.topic_id.in_(own_topics)
    )
    query = select(
        Problem.id,
        Problem.criterion_code,
        Problem.description,
        Problem.unit_id,
        case((Problem.channel.in_(COMPLAINT_CHANNELS), 1), else_=0),
    ).where(
        Problem.campaign_id == campaign_id,
        Problem.voided_at.is_(None),
        Problem.status != "unfounded",
        Problem.id.not_in(linked),
    )
    if unit_id is not None:
        query = query.where(Problem.unit_id == unit_id)
    # criterion → core text → [(id, unit, complaint)]
    by_text: dict[str, dict[str, list[tuple[int, int, int]]]] = {}
    for pid, crit, desc, uid, complaint in session.execute(query.order_by(Problem.id)):
        by_text.setdefault(crit, {}).setdefault(core_text(desc), []).append((pid, uid, complaint))
    found: list[Suggestion] = []
    for crit, texts in by_text.items():
        keys = list(texts)
        for group in group_texts([(k, len(texts[k])) for k in keys]):
            items = [item for i in group for item in texts[keys[i]]]
            found.append(
                Suggestion(
                    criterion_code=crit,
                    sample=keys[group[0]],
                    problem_ids=sorted(pid for pid, _, _ in items),
                    complaints=sum(c for _, _, c in items),
                    units=len({uid for _, uid, _ in items}),
                    wordings=[keys[i] for i in group],
                )
            )
    found.sort(key=lambda s: (-s.complaints, -s.count, CRITERIA[s.criterion_code][2], s.sample))
    return found[:limit]


def suggested_title(suggestion: Suggestion) -> str:
    """A title to start from: the sample wording (its numbers said as 若干)."""
    return suggestion.sample.replace("#", "若干")[:200]


def problem_choices(session: Session, year: int, unit_id: int | None) -> list[tuple[int, str]]:
    """(id, text) of the problems a new topic may link: the unit's of the campaign (None: every
    unit's, named), not voided."""
    query = (
        select(Problem.id, Unit.name, Problem.description)
        .join(Unit, Unit.id == Problem.unit_id)
        .join(Campaign, Campaign.id == Problem.campaign_id)
        .where(Campaign.year == year, Problem.voided_at.is_(None))
        .order_by(Unit.name, Problem.found_on, Problem.id)
    )
    if unit_id is not None:
        return [
            (i, text) for i, _, text in session.execute(query.where(Problem.unit_id == unit_id))
        ]
    return [(i, f"{name}：{text}") for i, name, text in session.execute(query)]


# ---- the links in their record's history --------------------------------------------------


def _link_entries(
    session: Session,
    links: dict[str, str],
    entity: str,
    field_name: str,
    shown_as: str,
) -> list[HistoryEntry]:
    """The ChangeLog rows of some links (link id → what it links, in words) as changes of the
    record they hang from (`shown_as`): linked is `空 → X`, unlinked `X → 空`."""
    if not links:
        return []
    rows = session.scalars(
        select(ChangeLog)
        .where(ChangeLog.entity == entity, ChangeLog.entity_id.in_(list(links)))
        .order_by(ChangeLog.id)
    )
    entries = []
    for row in rows:
        name = links[row.entity_id]
        after = row.after or {}
        if row.action == "create":
            change = (field_name, None, name)
        elif "unlinked_at" in after:
            change = (field_name, name, None) if after["unlinked_at"] else (field_name, None, name)
        else:
            continue
        entries.append(HistoryEntry(row.at, row.actor, "update", None, [change], shown_as))
    return entries


def with_problem_links(session: Session, history: History, topic_id: int) -> History:
    """A topic's history with the problems linked to it and unlinked, each in the entry of the
    save that did it."""
    links = {
        str(i): text
        for i, text in session.execute(
            select(TopicProblem.id, Problem.description)
            .join(Problem, Problem.id == TopicProblem.problem_id)
            .where(TopicProblem.topic_id == topic_id)
        )
    }
    children = _link_entries(session, links, "topic_problem", "problem_ids", "topic")
    return History(history.entity, merged(history.entries, children), history.lookups)


def with_topic_links(session: Session, history: History, visit_id: int) -> History:
    """A visit's history with the 评议选题 it named (检查选题) and stopped naming."""
    links = {
        str(i): title
        for i, title in session.execute(
            select(VisitTopic.id, Topic.title)
            .join(Topic, Topic.id == VisitTopic.topic_id)
            .where(VisitTopic.visit_id == visit_id)
        )
    }
    children = _link_entries(session, links, "visit_topic", "topic_ids", "supervision_visit")
    return History(history.entity, merged(history.entries, children), history.lookups)
