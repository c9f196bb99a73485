"""/progress — 阶段进度: phase timeline, completion heatmaps, overdue tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts.base import graph
from dashboard.charts.progress import heatmap_figure, timeline_figure
from dashboard.ids import Progress as Ids
from dashboard.state import ViewState, to_search
from dashboard.text import T, fmt_date
from data.figures import CampaignFigures
from data.progress import Cell, OverdueTask
from data.reference import KIND_NAMES, PHASE_NAMES
from layouts.common import empty_state, page_skeleton, unit_link

TITLE = T["progress_title"]

PAGE = dict(path="/progress", name=TITLE, title=f"{TITLE} · 评议督导")

SHOWN = 20
TASKS_PARAM = "tasks"
TASKS_ALL = "all"


@dataclass(frozen=True)
class ProgressData:
    """Everything the page shows."""

    as_of: dt.date
    figures: CampaignFigures
    by_kind: list[Cell]
    by_township: list[Cell]
    overdue: list[OverdueTask]


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for the URL's campaign, date and filters."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def _card(title: str, body: Any) -> dbc.Card:
    """A titled card."""
    return dbc.Card(
        [dbc.CardHeader(html.H6(title, className="mb-0")), dbc.CardBody(body)], className="mb-3"
    )


def overdue_table(tasks: list[OverdueTask], state: ViewState) -> html.Div:
    """The overdue tasks, first SHOWN unless the URL asks for all, with a show-all link."""
    shared = to_search(ViewState(state.campaign, state.as_of, state.kinds, state.townships))
    show_all = state.extra.get(TASKS_PARAM) == TASKS_ALL
    count = html.Div(
        T["progress_overdue_count"].format(n=len(tasks)),
        id=Ids.OVERDUE_COUNT,
        className="fw-semibold mb-2" + (" level-bad" if tasks else ""),
    )
    if not tasks:
        return html.Div([count, empty_state(T["progress_no_overdue"])])
    shown = tasks if show_all else tasks[:SHOWN]
    head = html.Thead(
        html.Tr([html.Th(T[f"progress_col_{c}"]) for c in ("unit", "task", "phase", "end", "days")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(unit_link(t.unit_id, t.unit, shared), className="text-break"),
                    html.Td(t.task, className="text-break"),
                    html.Td(PHASE_NAMES.get(t.phase, t.phase)),
                    html.Td(fmt_date(t.phase_end)),
                    html.Td(str(t.days_overdue), className="text-end level-bad"),
                ]
            )
            for t in shown
        ]
    )
    parts: list[Any] = [
        count,
        dbc.Table(
            [head, body], size="sm", striped=True, hover=True, responsive=True, id=Ids.OVERDUE
        ),
    ]
    if len(tasks) > SHOWN:
        extra = {k: v for k, v in state.extra.items() if k != TASKS_PARAM}
        if show_all:
            label = T["progress_show_first"].format(n=SHOWN)
        else:
            label = T["progress_show_all"].format(n=len(tasks))
            extra[TASKS_PARAM] = TASKS_ALL
        parts.append(
            dcc.Link(
                label,
                id=Ids.SHOW_ALL,
                href=f"{PAGE['path']}{to_search(replace(state, extra=extra))}",
            )
        )
    return html.Div(parts)


def progress_body(data: ProgressData, state: ViewState) -> html.Div:
    """The filled page."""
    f = data.figures
    timeline = graph(
        Ids.TIMELINE, timeline_figure(f.phase_windows, f.phase_progress, data.as_of), "阶段进度"
    )
    if data.by_kind:
        by_kind = graph(
            Ids.BY_KIND, heatmap_figure(data.by_kind, KIND_NAMES, "单位类型"), "任务完成率_单位类型"
        )
        by_township = graph(
            Ids.BY_TOWNSHIP, heatmap_figure(data.by_township, {}, "乡镇"), "任务完成率_乡镇"
        )
    else:
        by_kind = by_township = empty_state(T["progress_no_tasks"])
    return html.Div(
        [
            _card(T["progress_timeline"], timeline),
            dbc.Row(
                [
                    dbc.Col(_card(T["progress_by_kind"], by_kind), lg=6),
                    dbc.Col(_card(T["progress_by_township"], by_township), lg=6),
                ]
            ),
            _card(T["progress_overdue"], overdue_table(data.overdue, state)),
        ]
    )
