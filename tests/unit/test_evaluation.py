"""The evaluation result (评议结果), its settings, ranking within groups, and focus candidates."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from sqlalchemy.orm import Session

from data.evaluation import (
    UnitEvaluation,
    composite_score,
    evaluation_results,
    focus_candidates,
    rank_within_groups,
    satisfaction_score,
    work_score,
)
from data.figures import Filters
from data.settings import EvaluationSettings, load_settings, settings_from_dict
from tests.factories import (
    make_campaign,
    make_problem,
    make_survey,
    make_task,
    make_unit,
    make_visit,
    set_evaluation_settings,
)

DEFAULTS = EvaluationSettings()
EVAL_AS_OF = dt.date(2024, 12, 20)
AS_OF = dt.date(2024, 9, 15)


def d(month: int, day: int) -> dt.date:
    """A date in 2024."""
    return dt.date(2024, month, day)


# ---- settings -------------------------------------------------------------------------------


def test_default_settings_follow_domain() -> None:
    s = DEFAULTS
    assert (s.satisfaction_weight, s.work_weight) == (0.7, 0.3)
    assert (s.tasks_weight, s.on_time_weight, s.conformity_weight) == (0.4, 0.4, 0.2)
    assert (s.rating_conform, s.rating_basic, s.rating_nonconform) == (1.0, 0.6, 0.0)
    assert (s.points_satisfied, s.points_basic, s.points_dissatisfied) == (100, 70, 30)
    assert (s.grade_satisfied, s.grade_fairly_satisfied, s.grade_basic) == (85, 75, 60)
    assert s.focus_threshold == 0.8


def test_load_settings_without_row_gives_defaults(session: Session) -> None:
    assert load_settings(session) == DEFAULTS


def test_load_settings_applies_overrides(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    set_evaluation_settings(
        session, focus_threshold=0.9, work_weight=0.5, grade_basic="sixty", bogus=1
    )
    with caplog.at_level(logging.WARNING, logger="data.settings"):
        settings = load_settings(session)
    assert settings.focus_threshold == 0.9
    assert settings.work_weight == 0.5
    assert settings.grade_basic == 60  # not a number: default kept
    assert settings.satisfaction_weight == 0.7
    assert "bogus" in caplog.text
    assert "grade_basic" in caplog.text


def test_settings_round_trip() -> None:
    changed = settings_from_dict({"points_basic": 80})
    assert settings_from_dict(changed.to_dict()) == changed
    assert changed.points_basic == 80.0
    assert settings_from_dict({"points_basic": True}).points_basic == 70.0


@pytest.mark.parametrize(
    ("rating", "value"), [("conform", 1.0), ("basic", 0.6), ("nonconform", 0.0)]
)
def test_rating_values(rating: str, value: float) -> None:
    assert DEFAULTS.rating_value(rating) == value


@pytest.mark.parametrize(
    ("composite", "grade"),
    [
        (100.0, "满意"),
        (85.0, "满意"),
        (84.99999999999999, "满意"),  # float noise is not a grade boundary
        (84.99, "比较满意"),
        (75.0, "比较满意"),
        (74.9, "基本满意"),
        (60.0, "基本满意"),
        (59.9, "不满意"),
        (0.0, "不满意"),
        (None, None),
    ],
)
def test_grades(composite: float | None, grade: str | None) -> None:
    assert DEFAULTS.grade(composite) == grade


# ---- pure scores ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "score"),
    [((8, 2, 0), 94.0), ((5, 3, 2), 77.0), ((0, 0, 1), 30.0), ((0, 0, 0), None)],
)
def test_satisfaction_score(answers: tuple[int, int, int], score: float | None) -> None:
    assert satisfaction_score(*answers, DEFAULTS) == pytest.approx(score)


@pytest.mark.parametrize(
    ("parts", "score"),
    [
        ((0.5, 1.0, 0.8), 76.0),  # 100 × (0.4·0.5 + 0.4·1 + 0.2·0.8)
        ((0.5, 1.0, None), 75.0),  # no visit yet: 0.4 + 0.4 rescaled to 1
        ((0.5, None, 0.8), 60.0),  # nothing due yet: (0.2 + 0.16) / 0.6
        ((None, None, 0.8), 80.0),  # only conformity
        ((None, 0.0, None), 0.0),  # a real zero is not "no data"
        ((None, None, None), None),
    ],
    ids=["all parts", "no conformity", "no on-time", "conformity only", "zero", "nothing"],
)
def test_work_score_rescales_weights(
    parts: tuple[float | None, float | None, float | None], score: float | None
) -> None:
    assert work_score(*parts, DEFAULTS) == pytest.approx(score)


def test_work_score_none_when_only_zero_weighted_parts() -> None:
    settings = settings_from_dict({"conformity_weight": 0})
    assert work_score(None, None, 1.0, settings) is None
    assert work_score(0.5, None, 1.0, settings) == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("satisfaction", "work", "composite"),
    [(94.0, 96.0, 94.6), (77.0, None, None), (None, 50.0, None), (None, None, None)],
)
def test_composite(satisfaction: float | None, work: float | None, composite: float | None) -> None:
    assert composite_score(satisfaction, work, DEFAULTS) == pytest.approx(composite)


def _evaluation(unit_id: int, group: str, composite: float | None) -> UnitEvaluation:
    return UnitEvaluation(
        unit_id=unit_id, unit=f"单位{unit_id}", kind="law_firm", group=group, township=None,
        valid_answers=0, satisfaction_rate=None, satisfaction_score=None, tasks_share=None,
        on_time_rate=None, conformity=None, work_score=None, composite=composite, grade=None,
    )  # fmt: skip


def test_rank_within_groups_ties_share_a_rank() -> None:
    evaluations = [
        _evaluation(1, "legal_service", 84.99999999999999),
        _evaluation(2, "legal_service", 80.0),
        _evaluation(3, "legal_service", 85.0),
        _evaluation(4, "legal_service", None),
        _evaluation(5, "agency", 10.0),
        _evaluation(6, "legal_service", 90.0),
    ]
    rank_within_groups(evaluations)
    assert {e.unit_id: e.rank for e in evaluations} == {1: 2, 2: 4, 3: 2, 4: None, 5: 1, 6: 1}


# ---- evaluation_results against the database ------------------------------------------------


@pytest.fixture
def county(session: Session) -> dict[str, Any]:
    """Two 司法所 and two legal-service units with hand-computed results (see each comment)."""
    campaign = make_campaign(session)
    other = make_campaign(session, 2023)
    j1 = make_unit(session, "城关司法所", township="城关镇")
    j2 = make_unit(session, "河口司法所", township="河口镇")
    l1 = make_unit(session, "明理律师事务所", kind="law_firm", township="城关镇")
    n1 = make_unit(session, "县公证处", kind="notary_office", township=None)

    # 城关司法所: answers 8/2/0 (+3 不了解) → rate 1.0, score 94; tasks 2/2; on time 1/1;
    # conformity (1 + 0.6) / 2 = 0.8 → work 96; composite 0.7·94 + 0.3·96 = 94.6 满意.
    make_survey(session, campaign, j1, "民评代表", satisfied=6, basically_satisfied=1, unknown=3)
    make_survey(session, campaign, j1, "服务对象", satisfied=2, basically_satisfied=1)
    make_task(session, campaign, j1, "mobilize", "实施方案", completed_on=d(5, 1))
    make_task(session, campaign, j1, "assess", "接受督导检查", completed_on=d(11, 10))
    make_problem(
        session,
        campaign,
        j1,
        found_on=d(6, 1),
        deadline=d(7, 1),
        status="done",
        completed_on=d(6, 20),
    )
    make_visit(session, campaign, j1, {"lawful": "conform", "style": "basic"})

    # 河口司法所: answers 5/3/2 → rate 0.8, score 77; no tasks, nothing due;
    # conformity (0 + 1) / 2 = 0.5 → work 50; composite 53.9 + 15 = 68.9 基本满意.
    make_survey(session, campaign, j2, satisfied=5, basically_satisfied=3, dissatisfied=2)
    make_visit(session, campaign, j2, {"lawful": "nonconform", "integrity": "conform"})
    make_visit(session, campaign, j2, {"lawful": "nonconform"}, visited_on=d(12, 25))  # later
    make_visit(session, other, j2, {"lawful": "nonconform"}, visited_on=dt.date(2023, 11, 1))
    make_survey(session, other, j2, satisfied=0, dissatisfied=9)  # another year

    # 明理律师事务所: answers 3/3/4 → rate 0.6, score 63; tasks 1/2 → work 50;
    # composite 44.1 + 15 = 59.1 不满意 — yet first among legal-service units.
    make_survey(session, campaign, l1, satisfied=3, basically_satisfied=3, dissatisfied=4)
    make_task(session, campaign, l1, "mobilize", "实施方案", completed_on=d(5, 2))
    make_task(session, campaign, l1, "assess", "接受督导检查")

    # 县公证处: only 不了解 answers → no satisfaction score, so no composite, grade or rank.
    make_survey(session, campaign, n1, unknown=12)
    make_task(session, campaign, n1, "mobilize", "实施方案", completed_on=d(5, 3))
    return {"j1": j1, "j2": j2, "l1": l1, "n1": n1}


def test_evaluation_results_hand_computed(county: dict[str, Any], session: Session) -> None:
    results = {e.unit: e for e in evaluation_results(session, 2024, EVAL_AS_OF)}

    j1 = results["城关司法所"]
    assert (j1.valid_answers, j1.satisfaction_rate) == (10, 1.0)
    assert j1.satisfaction_score == pytest.approx(94.0)
    assert (j1.tasks_share, j1.on_time_rate) == (1.0, 1.0)
    assert j1.conformity == pytest.approx(0.8)
    assert j1.work_score == pytest.approx(96.0)
    assert j1.composite == pytest.approx(94.6)
    assert (j1.grade, j1.rank, j1.group) == ("满意", 1, "agency")

    j2 = results["河口司法所"]
    assert (j2.valid_answers, j2.satisfaction_rate) == (10, 0.8)
    assert (j2.tasks_share, j2.on_time_rate, j2.conformity) == (None, None, 0.5)
    assert j2.work_score == pytest.approx(50.0)
    assert j2.composite == pytest.approx(68.9)
    assert (j2.grade, j2.rank) == ("基本满意", 2)

    l1 = results["明理律师事务所"]
    assert l1.satisfaction_rate == pytest.approx(0.6)
    assert (l1.tasks_share, l1.conformity) == (0.5, None)
    assert l1.work_score == pytest.approx(50.0)
    assert l1.composite == pytest.approx(59.1)
    assert (l1.grade, l1.rank, l1.group) == ("不满意", 1, "legal_service")

    n1 = results["县公证处"]
    assert (n1.valid_answers, n1.satisfaction_rate, n1.satisfaction_score) == (0, None, None)
    assert n1.work_score == pytest.approx(100.0)
    assert (n1.composite, n1.grade, n1.rank) == (None, None, None)


def test_evaluation_results_order(county: dict[str, Any], session: Session) -> None:
    results = evaluation_results(session, 2024, EVAL_AS_OF)
    assert [(e.group, e.rank, e.unit) for e in results] == [
        ("agency", 1, "城关司法所"),
        ("agency", 2, "河口司法所"),
        ("legal_service", 1, "明理律师事务所"),
        ("legal_service", None, "县公证处"),
    ]


def test_conformity_counts_only_visits_up_to_as_of(
    county: dict[str, Any], session: Session
) -> None:
    after_all = {e.unit: e for e in evaluation_results(session, 2024, d(12, 31))}
    assert after_all["河口司法所"].conformity == pytest.approx(1 / 3)
    before_any = {e.unit: e for e in evaluation_results(session, 2024, d(11, 1))}
    assert before_any["河口司法所"].conformity is None
    assert before_any["河口司法所"].work_score is None
    assert before_any["河口司法所"].composite is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(kinds=("judicial_office",), townships=("河口镇",)), [("河口司法所", 2)]),
        (Filters(group="legal_service"), [("明理律师事务所", 1), ("县公证处", None)]),
        (Filters(townships=("城关镇",)), [("城关司法所", 1), ("明理律师事务所", 1)]),
    ],
    ids=["kind and township", "group", "township"],
)
def test_evaluation_filters_keep_county_wide_ranks(
    county: dict[str, Any], session: Session, filters: Filters, expected: list[Any]
) -> None:
    results = evaluation_results(session, 2024, EVAL_AS_OF, filters)
    assert [(e.unit, e.rank) for e in results] == expected


def test_evaluation_uses_stored_settings(county: dict[str, Any], session: Session) -> None:
    set_evaluation_settings(session, satisfaction_weight=1.0, work_weight=0.0, grade_basic=70)
    results = {e.unit: e for e in evaluation_results(session, 2024, EVAL_AS_OF)}
    assert results["河口司法所"].composite == pytest.approx(77.0)
    assert results["河口司法所"].grade == "比较满意"
    assert results["明理律师事务所"].composite == pytest.approx(63.0)
    assert results["明理律师事务所"].grade == "不满意"  # 63 < the raised 基本满意 cutoff of 70


def test_ties_share_rank_and_groups_rank_apart(session: Session) -> None:
    campaign = make_campaign(session)
    # Each unit: one answer and one done task → work 100; composite 0.7·score + 30.
    for name, kind, answers in [
        ("甲律所", "law_firm", {"satisfied": 1}),  # 100
        ("乙律所", "law_firm", {"satisfied": 1}),  # 100
        ("丙律所", "law_firm", {"dissatisfied": 1}),  # 51
        ("丁公证处", "notary_office", {"basically_satisfied": 1}),  # 79
        ("城关司法所", "judicial_office", {"dissatisfied": 1}),  # 51
    ]:
        unit = make_unit(session, name, kind=kind)
        make_survey(session, campaign, unit, **answers)
        make_task(session, campaign, unit, "mobilize", "实施方案", completed_on=d(5, 1))

    results = evaluation_results(session, 2024, EVAL_AS_OF)
    ranks = {e.unit: e.rank for e in results}
    assert ranks == {"甲律所": 1, "乙律所": 1, "丁公证处": 3, "丙律所": 4, "城关司法所": 1}
    assert {e.unit: e.composite for e in results}["丁公证处"] == pytest.approx(79.0)
    assert [e.unit for e in results][0] == "城关司法所"


# ---- focus candidates ------------------------------------------------------------------------


@pytest.fixture
def troubled(session: Session) -> dict[str, Any]:
    """Units with a serious open problem, with overdue problems, and sound ones."""
    campaign = make_campaign(session)
    serious = make_unit(session, "河口司法所", township="河口镇")
    late = make_unit(session, "城关司法所", township="城关镇")
    sound = make_unit(session, "明理律师事务所", kind="law_firm", township="城关镇")
    make_unit(session, "县公证处", kind="notary_office", township=None)  # no problems at all
    dismissed = make_unit(session, "县法律援助中心", kind="legal_aid_center", township=None)

    # 河口: a serious problem still open (not overdue) and one done → 50.0%.
    make_problem(
        session, campaign, serious, found_on=d(8, 1), deadline=d(9, 30), severity="serious"
    )
    make_problem(
        session,
        campaign,
        serious,
        found_on=d(6, 1),
        deadline=d(7, 1),
        status="done",
        completed_on=d(6, 20),
    )
    # 城关: two overdue problems (12 and 5 days) and eight done → exactly 80%, not below.
    make_problem(session, campaign, late, found_on=d(8, 1), deadline=d(9, 3))
    make_problem(session, campaign, late, found_on=d(8, 1), deadline=d(9, 10), status="in_progress")
    for _ in range(8):
        make_problem(
            session,
            campaign,
            late,
            found_on=d(6, 1),
            deadline=d(7, 1),
            status="verified",
            completed_on=d(6, 25),
        )
    # 律所: everything done; 援助中心: only a serious complaint found unfounded.
    make_problem(
        session,
        campaign,
        sound,
        found_on=d(6, 1),
        deadline=d(7, 1),
        status="done",
        completed_on=d(6, 25),
    )
    make_problem(
        session,
        campaign,
        dismissed,
        found_on=d(6, 1),
        deadline=d(6, 5),
        severity="serious",
        status="unfounded",
        channel="hotline",
    )
    return {"serious": serious, "late": late}


def test_focus_candidates_with_reasons(troubled: dict[str, Any], session: Session) -> None:
    candidates = focus_candidates(session, 2024, AS_OF)
    assert [(c.unit, c.reasons) for c in candidates] == [
        ("河口司法所", ["有未整改的严重问题 1 件", "整改完成率 50.0%，低于 80%"]),
        ("城关司法所", ["逾期问题 2 件，最长逾期 12 天"]),
    ]
    first, second = candidates
    assert (first.serious_open, first.overdue_problems, first.rectification_rate) == (1, 0, 0.5)
    assert (second.serious_open, second.overdue_problems, second.rectification_rate) == (0, 2, 0.8)
    assert first.unit_id == troubled["serious"].id
    assert (second.kind, second.township) == ("judicial_office", "城关镇")


def test_focus_threshold_is_a_setting(troubled: dict[str, Any], session: Session) -> None:
    set_evaluation_settings(session, focus_threshold=0.85)
    reasons = {c.unit: c.reasons for c in focus_candidates(session, 2024, AS_OF)}
    assert reasons["城关司法所"] == ["逾期问题 2 件，最长逾期 12 天", "整改完成率 80.0%，低于 85%"]


def test_focus_candidates_respect_filters(troubled: dict[str, Any], session: Session) -> None:
    candidates = focus_candidates(session, 2024, AS_OF, Filters(townships=("城关镇",)))
    assert [c.unit for c in candidates] == ["城关司法所"]
    assert focus_candidates(session, 2024, AS_OF, Filters(group="legal_service")) == []


# ---- mid-campaign: phases not yet started count in no score (issue #19, item 7) ------------


def test_score_at_mid_campaign_equals_the_score_of_started_phases_only(
    session: Session,
) -> None:
    """Two units alike in everything but the tasks of 落实整改 and 工作考评, which only the first
    has: on 7月15日 (inside 调查评议) neither phase has started, so their scores are equal."""
    campaign = make_campaign(session)
    every = make_unit(session, "城关司法所", township="城关镇")
    started = make_unit(session, "河口司法所", township="河口镇")
    for unit in (every, started):
        # answers 5/5/0 → score 85; tasks 3/4 of the started phases; on time 1/1
        make_survey(session, campaign, unit, satisfied=5, basically_satisfied=5)
        make_task(session, campaign, unit, "mobilize", "实施方案", completed_on=d(4, 20))
        make_task(session, campaign, unit, "mobilize", "动员大会", completed_on=d(5, 10))
        make_task(session, campaign, unit, "investigate", "自查自纠", completed_on=d(7, 1))
        make_task(session, campaign, unit, "investigate", "问卷调查")
        make_problem(
            session,
            campaign,
            unit,
            found_on=d(6, 1),
            deadline=d(7, 1),
            status="done",
            completed_on=d(6, 20),
        )
    for phase, name in (("rectify", "问题汇总梳理"), ("rectify", "整改方案"), ("assess", "归档")):
        make_task(session, campaign, every, phase, name)

    results = {e.unit: e for e in evaluation_results(session, 2024, d(7, 15))}
    a, b = results["城关司法所"], results["河口司法所"]
    # work = 100 · (0.4 · 0.75 + 0.4 · 1) / 0.8 = 87.5; composite 0.7 · 85 + 0.3 · 87.5 = 85.75
    assert b.tasks_share == 0.75
    assert b.work_score == pytest.approx(work_score(0.75, 1.0, None, DEFAULTS)) == 87.5
    assert b.composite == pytest.approx(85.75)
    assert b.grade == "满意"
    assert (a.tasks_share, a.work_score, a.composite, a.grade, a.rank) == (
        b.tasks_share,
        b.work_score,
        b.composite,
        b.grade,
        b.rank,
    )
    # once 落实整改 has started, its open tasks count
    later = {e.unit: e for e in evaluation_results(session, 2024, d(9, 1))}
    assert later["城关司法所"].tasks_share == 0.5  # 3 of 6
    assert later["河口司法所"].tasks_share == 0.75
