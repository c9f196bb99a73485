"""The 评议结果 page: the two groups apart, ranks within each, "—" where unknown."""

from __future__ import annotations

from typing import Any

from data.figures import UnitEvaluation
from data.settings import EvaluationSettings
from layouts.evaluation import evaluation_body


def _texts(component: Any) -> list[str]:
    found: list[str] = []
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif hasattr(node, "children"):
            stack.append(node.children)
    return found


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


def _find(component: Any, ident: str) -> Any:
    stack = [component]
    while stack:
        node = stack.pop()
        if getattr(node, "id", None) == ident:
            return node
        if isinstance(node, list | tuple):
            stack.extend(node)
        elif hasattr(node, "children"):
            stack.append(node.children)
    return None


def test_groups_are_kept_apart_and_missing_is_a_dash() -> None:
    rows = [
        _ev(1, "城关镇司法所", "judicial_office", "agency", 86.0, 1, "满意"),
        _ev(2, "明正律师事务所", "law_firm", "legal_service", 90.0, 1, "满意"),
        _ev(3, "新所", "law_firm", "legal_service", None, None, None),
    ]
    body = evaluation_body(rows, EvaluationSettings(), "")
    agency, legal = _find(body, "eval-agency"), _find(body, "eval-legal_service")
    assert "城关镇司法所" in _texts(agency) and "明正律师事务所" not in _texts(agency)
    assert "明正律师事务所" in _texts(legal) and "新所" in _texts(legal)
    assert "司法行政机关（1 个单位）" in _texts(agency)
    assert _texts(legal).count("—") >= 3  # rank, composite and grade of the unscored firm
    assert any("70%" in t for t in _texts(_find(body, "eval-formula")))


def test_a_group_filtered_out_has_no_table() -> None:
    body = evaluation_body(
        [_ev(1, "甲所", "judicial_office", "agency", 80.0, 1, "比较满意")], EvaluationSettings(), ""
    )
    assert _find(body, "eval-legal_service") is None
