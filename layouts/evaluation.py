"""/evaluation — 评议结果: satisfaction, work score, composite, grade; ranked within group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.colors import BAD, GOOD, NEUTRAL, WARN
from dashboard.ids import Evaluation as Ids
from dashboard.text import MISSING, T, fmt_rate
from data.commitments import UnitCounts
from data.evaluation import UnitEvaluation
from data.labels import GRADE_BASIC, GRADE_DISSATISFIED, GRADE_FAIRLY, GRADE_SATISFIED
from data.reference import GROUP_NAMES, KIND_NAMES, PHASE_NAMES, UnitGroup
from data.settings import EvaluationSettings
from layouts.common import page_skeleton, unit_href
from layouts.grid import LEVEL, LINK, NUMBER, Column, grid

TITLE = T["eval_title"]
PAGE = dict(path="/evaluation", name=TITLE, title=f"{TITLE} · {T['brand']}")
GRADE_LEVEL = {
    GRADE_SATISFIED: GOOD,
    GRADE_FAIRLY: GOOD,
    GRADE_BASIC: WARN,
    GRADE_DISSATISFIED: BAD,
}


def layout(**query: Any) -> Any:
    """The page skeleton; a callback fills it for the URL's campaign and date."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def grade_level(grade: str | None) -> str:
    """A grade's colour: 满意/比较满意 green, 基本满意 amber, 不满意 red, none neutral."""
    return GRADE_LEVEL.get(grade or "", NEUTRAL)


def score_text(value: float | None) -> str:
    """A score with one decimal, or `—`."""
    return MISSING if value is None else f"{value:.1f}"


def commitment_columns() -> list[Column]:
    """The legal-service group's columns of public commitments (公开承诺, §五.2) in force and
    the complaints linked to them; they count in no score."""
    return [
        Column("commitments", T["commitments_eval_count"], NUMBER, width=110),
        Column("commitment_complaints", T["commitments_eval_complaints"], NUMBER, width=130),
    ]


def grid_columns(commitments: bool = False) -> list[Column]:
    """The ranking's columns: numbers sort as numbers, the unit links to its page; with
    `commitments`, the legal-service group's public commitments after the grade."""
    return [*_score_columns(), *(commitment_columns() if commitments else [])]


def _score_columns() -> list[Column]:
    return [
        Column("rank", T["eval_col_rank"], NUMBER, text_field="rank_text", width=90, pinned=True),
        Column("unit", T["eval_col_unit"], LINK, href_field="href", min_width=220, flex=2),
        Column("kind", T["eval_col_kind"], min_width=120, flex=1),
        Column(
            "sat_rate",
            T["eval_col_satisfaction_rate"],
            NUMBER,
            text_field="sat_rate_text",
            width=130,
        ),
        Column(
            "sat_score",
            T["eval_col_satisfaction_score"],
            NUMBER,
            text_field="sat_score_text",
            width=130,
        ),
        Column("work", T["eval_col_work_score"], NUMBER, text_field="work_text", width=120),
        Column(
            "composite",
            T["eval_col_composite"],
            NUMBER,
            text_field="composite_text",
            width=120,
            bold=True,
        ),
        Column("grade", T["eval_col_grade"], LEVEL, level_field="level", width=120),
    ]


def grid_row(
    e: UnitEvaluation, search: str, counts: Mapping[int, UnitCounts] | None = None
) -> dict[str, Any]:
    """One unit's row: values to sort by, and the text the page shows (with `counts`, the
    unit's public commitments and the complaints linked to them)."""
    extra: dict[str, Any] = {}
    if counts is not None:
        mine = counts.get(e.unit_id, UnitCounts())
        extra = {"commitments": mine.commitments, "commitment_complaints": mine.complaints}
    return {
        **extra,
        "id": e.unit_id,
        "rank": e.rank,
        "rank_text": str(e.rank) if e.rank else MISSING,
        "unit": e.unit,
        "href": unit_href(e.unit_id, search),
        "kind": KIND_NAMES[e.kind],
        "sat_rate": e.satisfaction_rate,
        "sat_rate_text": fmt_rate(e.satisfaction_rate),
        "sat_score": e.satisfaction_score,
        "sat_score_text": score_text(e.satisfaction_score),
        "work": e.work_score,
        "work_text": score_text(e.work_score),
        "composite": e.composite,
        "composite_text": score_text(e.composite),
        "grade": e.grade or MISSING,
        "level": grade_level(e.grade),
    }


def group_table(
    group: str,
    rows: list[UnitEvaluation],
    search: str,
    commitments: Mapping[int, UnitCounts] | None = None,
) -> dbc.Card:
    """One group's units ranked within the group (never against the other group), every unit
    in a grid that sorts and filters; `commitments` adds the public-commitment columns."""
    unranked = sum(1 for e in rows if e.rank is None)
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5(T["eval_group"].format(group=GROUP_NAMES[group], n=len(rows))),
                grid(
                    f"{Ids.GRID}-{group}",
                    grid_columns(commitments is not None),
                    [grid_row(e, search, commitments) for e in rows],
                    row_id="id",
                    class_name="eval-table",
                ),
                html.Div(T["eval_unranked"].format(n=unranked), className="small text-muted mt-2")
                if unranked
                else None,
            ]
        ),
        className="mb-3",
        id=f"{Ids.GROUP}-{group}",
    )


def _percent(weight: float) -> str:
    """A weight such as 0.7 as `70%` (decimals only where needed)."""
    return f"{weight * 100:g}%"


def not_started_note(not_started: tuple[str, ...]) -> str | None:
    """Which phases had not started at the as-of date and so count in no work score."""
    if not not_started:
        return None
    names = T["eval_phase_sep"].join(PHASE_NAMES.get(code, code) for code in not_started)
    return T["eval_not_started"].format(phases=names)


def formula_note(settings: EvaluationSettings, not_started: tuple[str, ...] = ()) -> html.Div:
    """How the scores are made (the bureau's current settings), and which phases do not count
    yet."""
    s = settings
    formula = T["eval_formula"].format(
        sat_w=_percent(s.satisfaction_weight),
        work_w=_percent(s.work_weight),
        p_sat=f"{s.points_satisfied:g}",
        p_basic=f"{s.points_basic:g}",
        p_dis=f"{s.points_dissatisfied:g}",
        tasks_w=_percent(s.tasks_weight),
        on_time_w=_percent(s.on_time_weight),
        conf_w=_percent(s.conformity_weight),
        r_conf=f"{s.rating_conform:g}",
        r_basic=f"{s.rating_basic:g}",
        r_non=f"{s.rating_nonconform:g}",
    )
    grades = T["eval_grades"].format(
        g_sat=f"{s.grade_satisfied:g}",
        g_fair=f"{s.grade_fairly_satisfied:g}",
        g_basic=f"{s.grade_basic:g}",
    )
    note = not_started_note(not_started)
    return html.Div(
        [
            html.Div(formula),
            html.Div(grades),
            html.Div(note, className="eval-not-started") if note else None,
        ],
        className="text-muted small mb-3 eval-formula",
        id=Ids.FORMULA,
    )


def evaluation_body(
    rows: list[UnitEvaluation],
    settings: EvaluationSettings,
    search: str,
    not_started: tuple[str, ...] = (),
    commitments: Mapping[int, UnitCounts] | None = None,
) -> html.Div:
    """Both groups' tables, each ranked within itself; a group with no unit shown is left out.
    `commitments` (per unit) shows in the legal-service group's table."""
    tables, links = [], []
    for group in (UnitGroup.AGENCY, UnitGroup.LEGAL_SERVICE):
        members = [e for e in rows if e.group == group]
        if members:
            counts = commitments if group == UnitGroup.LEGAL_SERVICE else None
            tables.append(group_table(group, members, search, counts))
            links.append(
                html.A(GROUP_NAMES[group], href=f"#{Ids.GROUP}-{group}", className="unit-menu-link")
            )
    menu = html.Nav(links, className="unit-menu mb-3") if len(links) > 1 else None
    return html.Div([formula_note(settings, not_started), menu, *tables])
