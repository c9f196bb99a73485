"""The 评议结果 page: the two groups apart, ranks within each, "—" where unknown, the formula."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dash import Dash

from callbacks.evaluation import render_evaluation
from data.db import Database
from data.evaluation import UnitEvaluation
from data.settings import EvaluationSettings
from layouts.evaluation import evaluation_body, grade_level
from tests.components import by_id, by_type, grid_cells, texts
from tests.factories import (
    make_campaign,
    make_survey,
    make_task,
    make_unit,
    set_evaluation_settings,
)


def _ev(
    uid: int,
    name: str,
    kind: str,
    group: str,
    composite: float | None,
    rank: int | None,
    grade: str | None,
) -> UnitEvaluation:
    return UnitEvaluation(
        uid, name, kind, group, None, 10, 0.9, 88.0, 0.5, 0.8, 1.0, 75.0, composite, grade, rank
    )


def _rows(table: Any) -> list[list[str]]:
    """The rows of a group's grid as lists of the texts shown."""
    return grid_cells(by_type(table, "AgGrid"))


def test_groups_are_kept_apart_and_missing_is_a_dash() -> None:
    rows = [
        _ev(1, "城关镇司法所", "judicial_office", "agency", 86.04, 1, "满意"),
        _ev(2, "明正律师事务所", "law_firm", "legal_service", 90.0, 1, "满意"),
        _ev(3, "新所", "law_firm", "legal_service", None, None, None),
    ]
    body = evaluation_body(rows, EvaluationSettings(), "?campaign=2024")
    agency, legal = by_id(body, "eval-agency"), by_id(body, "eval-legal_service")
    assert "城关镇司法所" in texts(agency) and "明正律师事务所" not in texts(agency)
    assert "明正律师事务所" in texts(legal) and "新所" in texts(legal)
    assert "司法行政机关（1 个单位）" in texts(agency)
    assert _rows(agency) == [
        ["1", "城关镇司法所", "司法所", "90.0%", "88.0", "75.0", "86.0", "满意"]
    ]
    unscored = _rows(legal)[1]
    assert unscored[0] == "—" and unscored[-2:] == ["—", "—"]
    assert any("1 个单位暂无综合得分" in t for t in texts(legal))
    grid = by_type(agency, "AgGrid")
    assert grid.rowData[0]["href"] == "/units/1?campaign=2024"
    assert grid.columnDefs[1]["cellRenderer"] == "PingyiLink"


def test_a_group_filtered_out_has_no_table() -> None:
    body = evaluation_body(
        [_ev(1, "甲所", "judicial_office", "agency", 80.0, 1, "比较满意")], EvaluationSettings(), ""
    )
    assert by_id(body, "eval-legal_service") is None


@pytest.mark.parametrize(
    ("grade", "level"),
    [
        ("满意", "good"),
        ("比较满意", "good"),
        ("基本满意", "warn"),
        ("不满意", "bad"),
        (None, "neutral"),
    ],
)
def test_grade_colours(grade: str | None, level: str) -> None:
    assert grade_level(grade) == level


def test_the_formula_note_follows_the_settings() -> None:
    settings = EvaluationSettings(satisfaction_weight=0.6, work_weight=0.4, grade_satisfied=90)
    text = " ".join(texts(by_id(evaluation_body([], settings, ""), "eval-formula")))
    assert "满意度得分 × 60%" in text and "工作得分 × 40%" in text
    assert "满意 ≥ 90" in text and "比较满意 ≥ 75" in text
    assert "基本满意×70" in text


def test_callback_filters_rows_but_ranks_county_wide(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        best = make_unit(s, name="甲司法所", township="城关镇")
        second = make_unit(s, name="乙司法所", township="东湖镇")
        firm = make_unit(s, name="丙律师事务所", kind="law_firm", township="东湖镇")
        for unit, satisfied in ((best, 10), (second, 6), (firm, 2)):
            make_survey(s, campaign, unit, satisfied=satisfied, dissatisfied=10 - satisfied)
            make_task(s, campaign, unit, "mobilize", "实施方案", dt.date(2024, 4, 20))
        set_evaluation_settings(s, satisfaction_weight=0.5, work_weight=0.5)
    with app.server.app_context():
        body = render_evaluation("?campaign=2024&township=东湖镇")
        everyone = render_evaluation("?campaign=2024")
    agency = _rows(by_id(body, "eval-agency"))
    assert [row[:2] for row in agency] == [["2", "乙司法所"]]  # second in the county, not first
    assert [row[:2] for row in _rows(by_id(body, "eval-legal_service"))] == [["1", "丙律师事务所"]]
    assert [row[:2] for row in _rows(by_id(everyone, "eval-agency"))] == [
        ["1", "甲司法所"],
        ["2", "乙司法所"],
    ]
    assert any("× 50%" in t for t in texts(by_id(body, "eval-formula")))


def test_phases_not_started_are_named_under_the_formula(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="甲司法所")
        make_survey(s, campaign, unit, satisfied=8, dissatisfied=2)
        make_task(s, campaign, unit, "mobilize", "实施方案", dt.date(2024, 4, 20))
        make_task(s, campaign, unit, "rectify", "整改方案")
    with app.server.app_context():
        mid = render_evaluation("?campaign=2024&as_of=2024-07-15")
        late = render_evaluation("?campaign=2024&as_of=2024-11-15")
    note = " ".join(texts(by_id(mid, "eval-formula")))
    assert "落实整改、工作考评尚未开始" in note
    assert not any("尚未开始" in t for t in texts(by_id(late, "eval-formula")))
    # the open 整改方案 task does not count yet: tasks 1/1 → work 100
    assert _rows(by_id(mid, "eval-agency"))[0][5] == "100.0"
    assert _rows(by_id(late, "eval-agency"))[0][5] == "50.0"
