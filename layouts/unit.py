"""/units/<id> — one unit, all of it: the page, its header and figures, its section menu, and
the sections (layouts/unit_sections.py, unit_problems.py) and dialogs (unit_dialogs.py) put
together."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.colors import count_level, rate_level
from dashboard.ids import Briefings as BriefingIds
from dashboard.ids import Commitments as CommitmentIds
from dashboard.ids import UnitPage as Ids
from dashboard.text import T, fmt_date, fmt_int, fmt_rate
from data.figures import UnitFigures
from data.labels import value_name
from data.reference import GROUP_NAMES, KIND_GROUP
from data.topics import TopicRow
from data.unit_detail import UnitDetail, UnitHeader
from layouts.archives import archives_href
from layouts.common import empty_state, search_from_query
from layouts.overview import stat_card
from layouts.unit_dialogs import detail_modal, rectification_modal, task_modal, void_modal
from layouts.unit_problems import problem_total, problems_section, visits_section
from layouts.unit_sections import (
    archive_section,
    complaints_section,
    evaluation_section,
    questions_section,
    satisfaction_block,
    section,
    tasks_section,
    topics_section,
    visit_href,
)

TITLE = T["unit_title"]
PAGE = dict(path_template="/units/<unit_id>", name=TITLE, title=f"{TITLE} · {T['brand']}")

SECTIONS = (
    (Ids.EVALUATION, "unit_sec_evaluation"),
    (Ids.TASKS, "unit_sec_tasks"),
    (Ids.TOPICS, "topics_title"),  # #18
    (Ids.PROBLEMS, "unit_sec_problems"),
    (CommitmentIds.UNIT_SECTION, "commitments_unit_section"),  # legal-service units only
    (Ids.VISITS, "unit_sec_visits"),
    (Ids.QUESTIONS, "unit_sec_questions"),
    (Ids.ARCHIVE, "unit_sec_archive"),
)


def layout(unit_id: str | None = None, **query: Any) -> html.Div:
    """The unit page skeleton; the state carries the unit id and the shared filters."""
    return html.Div(
        [
            dcc.Store(id=Ids.STATE, data={"unit": unit_id, "search": search_from_query(query)}),
            html.Div(id=BriefingIds.UNIT_LINK, className="text-end"),  # #18: latest briefing
            dcc.Loading(html.Div(id=Ids.CONTENT, className="page-body"), delay_show=300),
            rectification_modal(),
            detail_modal(),
            void_modal(),
            task_modal(),
        ]
    )


def header(unit: UnitHeader, search: str, may_log_visit: bool) -> html.Div:
    """Name, kind, group, township, caseload and the way to log a visit."""
    facts = [
        value_name("unit", "kind", unit.kind),
        GROUP_NAMES[KIND_GROUP[unit.kind]],
        unit.township or T["unit_no_township"],
        T["unit_cases"].format(n=fmt_int(unit.cases))
        if unit.cases is not None
        else T["unit_cases_unknown"],
    ]
    if unit.retired_on:
        facts.append(T["unit_retired"].format(date=fmt_date(unit.retired_on)))
    label = T["unit_log_visit"] if may_log_visit else T["unit_view_visits"]
    return html.Div(
        [
            html.Div(
                [
                    html.H4(unit.name, className="page-title mt-2 mb-1 unit-name", id=Ids.NAME),
                    dcc.Link(
                        label,
                        href=visit_href(search, unit=str(unit.id)),
                        className="btn btn-primary btn-sm mt-2 text-nowrap",
                        id=Ids.LOG_VISIT,
                    ),
                ],
                className="d-flex justify-content-between align-items-start gap-2",
            ),
            html.Div(" · ".join(facts), className="text-muted mb-3", id=Ids.FACTS),
        ]
    )


def figure_cards(f: UnitFigures, search: str) -> dbc.Row:
    """The unit's headline figures (the same as its entry in `dashboard stats`)."""
    cards = [
        stat_card(
            Ids.PROBLEM_COUNT,
            T["card_problems"],
            fmt_int(f.problems),
            T["unfounded_note"].format(n=f.unfounded),
            f"#{Ids.PROBLEMS}",
            "neutral",
        ),
        stat_card(
            Ids.RECTIFICATION_RATE,
            T["card_rectification_rate"],
            fmt_rate(f.rectification_rate),
            T["rectified_of"].format(rectified=f.rectified, base=f.problems - f.unfounded),
            f"#{Ids.PROBLEMS}",
            rate_level(f.rectification_rate),
        ),
        stat_card(
            Ids.ON_TIME_RATE,
            T["card_on_time_rate"],
            fmt_rate(f.on_time_rate),
            T["on_time_of"].format(on_time=f.on_time, due=f.due),
            f"#{Ids.PROBLEMS}",
            rate_level(f.on_time_rate),
        ),
        stat_card(
            Ids.OVERDUE,
            T["card_overdue_problems"],
            fmt_int(f.overdue_problems),
            T["unit_overdue_note"].format(days=f.max_days_overdue, tasks=f.overdue_tasks)
            if f.max_days_overdue is not None
            else T["unit_overdue_tasks"].format(tasks=f.overdue_tasks),
            f"/overdue{search}",
            count_level(f.overdue_problems + f.overdue_tasks),
        ),
        stat_card(
            Ids.COMPLAINT_COUNT,
            T["card_complaints"],
            fmt_int(f.complaints),
            T["unit_per_100"].format(n=f"{f.complaints_per_100:.1f}")
            if f.complaints_per_100 is not None
            else T["unit_no_caseload"],
            f"/complaints{search}",
            "neutral",
        ),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True, className="mb-3") for c in cards])


def section_menu(detail: UnitDetail, topics: int | None = None) -> html.Nav:
    """Links to the page's sections, with how much each holds (`topics`: how many 评议选题, None
    when the page shows none)."""
    counts = {
        Ids.PROBLEMS: problem_total(detail),
        Ids.VISITS: len(detail.visits),
        Ids.QUESTIONS: len(detail.questions),
    }
    if topics is not None:
        counts[Ids.TOPICS] = topics
    links = []
    for section_id, key in SECTIONS:
        if section_id == Ids.TOPICS and topics is None:
            continue
        if section_id == CommitmentIds.UNIT_SECTION and KIND_GROUP[detail.header.kind] != (
            "legal_service"
        ):
            continue
        label = T[key]
        if section_id in counts:
            label = T["unit_menu_count"].format(section=label, n=counts[section_id])
        links.append(html.A(label, href=f"#{section_id}", className="unit-menu-link"))
    return html.Nav(links, className="unit-menu mb-3", id=Ids.MENU)


def unit_message(message: str) -> html.Div:
    """The page's title over an empty state (no such unit, no campaign, not allowed)."""
    return html.Div([html.H4(TITLE, className="page-title mt-2 mb-3"), empty_state(message)])


def unit_body(
    detail: UnitDetail,
    search: str,
    may_edit: bool = False,
    may_log_visit: bool = False,
    may_void: bool = False,
    reportable: Collection[int] = (),
    commitments: Any = None,
    topics: Sequence[TopicRow] | None = None,
) -> html.Div:
    """Everything about one unit for one campaign: `may_edit` its phase tasks, `reportable` the
    problems (by id) whose rectification the user may report; `commitments`, a legal-service
    unit's 公开承诺 section (layouts/commitments.py); `topics`, its 评议选题 (#18)."""
    top = header(detail.header, search, may_log_visit)
    if detail.figures is None:
        return html.Div([top, empty_state(T["unit_not_in_campaign"])])
    group = KIND_GROUP[detail.header.kind]
    return html.Div(
        [
            top,
            html.Div(
                T["as_of_caption"].format(date=fmt_date(detail.as_of)),
                className="text-muted small mb-2",
            ),
            figure_cards(detail.figures, search),
            section_menu(detail, None if topics is None else len(topics)),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            evaluation_section(
                                detail.evaluation, detail.group_ranked, group, search
                            ),
                        ],
                        xs=12,
                        lg=5,
                    ),
                    dbc.Col(
                        section(
                            Ids.SATISFACTION,
                            T["unit_sec_satisfaction"],
                            satisfaction_block(detail.satisfaction),
                        ),
                        xs=12,
                        lg=7,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        tasks_section(
                            detail.tasks,
                            detail.figures,
                            may_edit,
                            archives_href(search, detail.header.id),
                        ),
                        xs=12,
                        lg=7,
                    ),
                    dbc.Col(complaints_section(detail), xs=12, lg=5),
                ]
            ),
            topics_section(topics, search) if topics is not None else None,
            problems_section(detail, reportable, may_void),
            commitments,
            dbc.Row(
                [
                    dbc.Col(visits_section(detail.visits, search), xs=12, lg=7),
                    dbc.Col(
                        archive_section(detail.archive, archives_href(search, detail.header.id)),
                        xs=12,
                        lg=5,
                    ),
                ]
            ),
            questions_section(detail.questions),
        ],
        className="unit-page",
    )
