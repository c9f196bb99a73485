"""The evaluation (评议结果): satisfaction, work and composite scores, ranks within each group,
and the units the work plan's 重点督查 should look at.

Built on data.figures: the same per-unit figures as `dashboard stats`, plus the surveys and the
supervision ratings, with the weights and thresholds of the year's evaluation settings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.cache import cached
from data.figures import GROUP_ORDER, Filters, UnitFigures, campaign_figures, figures_for, rate
from data.models import SatisfactionSurvey, SupervisionRating, SupervisionVisit, Unit
from data.scope import CampaignScope, load_campaign, unit_conditions
from data.settings import SCORE_DECIMALS, EvaluationSettings, load_settings


@dataclass
class UnitEvaluation:
    """A unit's evaluation result (评议结果); scores are 0–100, rates 0–1, None when unknown."""

    unit_id: int
    unit: str
    kind: str
    group: str
    township: str | None
    valid_answers: int
    satisfaction_rate: float | None
    satisfaction_score: float | None
    tasks_share: float | None
    on_time_rate: float | None
    conformity: float | None
    work_score: float | None
    composite: float | None
    grade: str | None
    rank: int | None = None


@dataclass
class FocusCandidate:
    """A unit the work plan's 重点督查 should look at, with the reasons in Chinese."""

    unit_id: int
    unit: str
    kind: str
    township: str | None
    reasons: list[str] = field(default_factory=list)
    serious_open: int = 0
    overdue_problems: int = 0
    rectification_rate: float | None = None


def satisfaction_score(
    satisfied: int, basic: int, dissatisfied: int, settings: EvaluationSettings
) -> float | None:
    """The satisfaction score (满意度得分) of valid answers, None without any."""
    valid = satisfied + basic + dissatisfied
    if not valid:
        return None
    points = (
        settings.points_satisfied * satisfied
        + settings.points_basic * basic
        + settings.points_dissatisfied * dissatisfied
    )
    return points / valid


def work_score(
    tasks_share: float | None,
    on_time_rate: float | None,
    conformity: float | None,
    settings: EvaluationSettings,
) -> float | None:
    """100 × the weighted parts that have data, weights rescaled to sum to 1; None without any."""
    parts = [
        (settings.tasks_weight, tasks_share),
        (settings.on_time_weight, on_time_rate),
        (settings.conformity_weight, conformity),
    ]
    known = [(weight, value) for weight, value in parts if value is not None]
    weights = sum(weight for weight, _ in known)
    if not known or weights <= 0:
        return None
    return 100 * sum(weight * value for weight, value in known) / weights


def composite_score(
    satisfaction: float | None, work: float | None, settings: EvaluationSettings
) -> float | None:
    """Weighted satisfaction and work scores; None when either is missing (no partial composite)."""
    if satisfaction is None or work is None:
        return None
    return settings.satisfaction_weight * satisfaction + settings.work_weight * work


def rank_within_groups(evaluations: list[UnitEvaluation]) -> None:
    """Set each evaluation's rank among its group (1 = best composite; ties share a rank)."""
    groups: dict[str, list[UnitEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        evaluation.rank = None
        if evaluation.composite is not None:
            groups[evaluation.group].append(evaluation)
    for members in groups.values():
        members.sort(key=lambda e: -round(e.composite or 0.0, SCORE_DECIMALS))
        previous: float | None = None
        rank = 0
        for position, evaluation in enumerate(members, start=1):
            key = round(evaluation.composite or 0.0, SCORE_DECIMALS)
            if key != previous:
                rank, previous = position, key
            evaluation.rank = rank


def _survey_counts(session: Session, campaign: CampaignScope) -> dict[int, tuple[int, int, int]]:
    """Per unit id: (满意, 基本满意, 不满意) answers over all respondent types."""
    s = SatisfactionSurvey
    query = (
        select(
            s.unit_id,
            func.sum(s.satisfied),
            func.sum(s.basically_satisfied),
            func.sum(s.dissatisfied),
        )
        .where(s.campaign_id == campaign.id)
        .group_by(s.unit_id)
    )
    return {
        unit_id: (int(a or 0), int(b or 0), int(c or 0))
        for unit_id, a, b, c in session.execute(query)
    }


def _conformity(
    session: Session, campaign: CampaignScope, as_of: dt.date, settings: EvaluationSettings
) -> dict[int, float]:
    """Per unit id: the average rating value of its supervision visits up to the as-of date."""
    query = (
        select(SupervisionVisit.unit_id, SupervisionRating.rating, func.count())
        .join(SupervisionVisit, SupervisionVisit.id == SupervisionRating.visit_id)
        .where(SupervisionVisit.campaign_id == campaign.id, SupervisionVisit.visited_on <= as_of)
        .group_by(SupervisionVisit.unit_id, SupervisionRating.rating)
    )
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for unit_id, rating, n in session.execute(query):
        sums[unit_id][0] += settings.rating_value(rating) * int(n)
        sums[unit_id][1] += int(n)
    return {unit_id: value / n for unit_id, (value, n) in sums.items() if n}


def _evaluate(
    unit: UnitFigures,
    answers: tuple[int, int, int],
    conformity: float | None,
    settings: EvaluationSettings,
) -> UnitEvaluation:
    """One unit's evaluation result before ranking."""
    satisfied, basic, dissatisfied = answers
    valid = satisfied + basic + dissatisfied
    tasks_share = rate(unit.tasks_done, unit.tasks_total)
    sat_score = satisfaction_score(satisfied, basic, dissatisfied, settings)
    work = work_score(tasks_share, unit.on_time_rate, conformity, settings)
    composite = composite_score(sat_score, work, settings)
    return UnitEvaluation(
        unit_id=unit.unit_id,
        unit=unit.unit,
        kind=unit.kind,
        group=unit.group,
        township=unit.township,
        valid_answers=valid,
        satisfaction_rate=rate(satisfied + basic, valid),
        satisfaction_score=sat_score,
        tasks_share=tasks_share,
        on_time_rate=unit.on_time_rate,
        conformity=conformity,
        work_score=work,
        composite=composite,
        grade=settings.grade(composite),
    )


@cached
def evaluation_results(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[UnitEvaluation]:
    """The evaluation result (评议结果) of each filtered unit, ranked within its group.

    The composite is None when either the satisfaction score (no valid answers) or the work
    score (no part with data) is missing; such units get no grade and no rank. Ranks are
    county-wide within the group: filters choose which units are listed, never whom a unit
    is ranked against. Ordered by group, rank (unranked last), then kind, township and name.
    """
    campaign = load_campaign(session, year)
    settings = load_settings(session, year)
    figures = figures_for(session, campaign, as_of, Filters())
    answers = _survey_counts(session, campaign)
    conformity = _conformity(session, campaign, as_of, settings)
    evaluations = [
        _evaluate(
            unit, answers.get(unit.unit_id, (0, 0, 0)), conformity.get(unit.unit_id), settings
        )
        for unit in figures.by_unit
    ]
    rank_within_groups(evaluations)
    if filters != Filters():
        kept = set(session.scalars(select(Unit.id).where(*unit_conditions(campaign, filters))))
        evaluations = [e for e in evaluations if e.unit_id in kept]
    position = {unit.unit_id: i for i, unit in enumerate(figures.by_unit)}
    return sorted(
        evaluations,
        key=lambda e: (
            GROUP_ORDER.get(e.group, len(GROUP_ORDER)),
            e.rank is None,
            e.rank or 0,
            position[e.unit_id],
        ),
    )


def _percent(value: float) -> str:
    """A threshold such as 0.8 as `80%` (decimals only where needed)."""
    return f"{value * 100:g}%"


@cached
def focus_candidates(
    session: Session, year: int, as_of: dt.date, filters: Filters = Filters()
) -> list[FocusCandidate]:
    """Units with an unresolved serious problem, an overdue problem or a low rectification rate.

    Ordered by unresolved serious problems, then overdue problems (most first), then the
    lowest rectification rate.
    """
    settings = load_settings(session, year)
    figures = campaign_figures(session, year, as_of, filters)
    candidates: list[FocusCandidate] = []
    for unit in figures.by_unit:
        reasons: list[str] = []
        if unit.serious_open:
            reasons.append(f"有未整改的严重问题 {unit.serious_open} 件")
        if unit.overdue_problems:
            reasons.append(
                f"逾期问题 {unit.overdue_problems} 件，最长逾期 {unit.max_days_overdue} 天"
            )
        rectification = unit.rectification_rate
        if rectification is not None and rectification < settings.focus_threshold:
            reasons.append(
                f"整改完成率 {rectification * 100:.1f}%，低于 {_percent(settings.focus_threshold)}"
            )
        if reasons:
            candidates.append(
                FocusCandidate(
                    unit_id=unit.unit_id,
                    unit=unit.unit,
                    kind=unit.kind,
                    township=unit.township,
                    reasons=reasons,
                    serious_open=unit.serious_open,
                    overdue_problems=unit.overdue_problems,
                    rectification_rate=rectification,
                )
            )
    # sorted() is stable, so equal candidates keep the by_unit order.
    return sorted(
        candidates,
        key=lambda c: (
            -c.serious_open,
            -c.overdue_problems,
            1.0 if c.rectification_rate is None else c.rectification_rate,
        ),
    )
