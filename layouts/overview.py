"""/ — 总览: the headline figures of one campaign, each a card linking to its detail page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.colors import count_level, rate_level
from dashboard.ids import Overview, Todo
from dashboard.text import MISSING, T, fmt_date, fmt_int, fmt_rate
from data.figures import CampaignFigures
from data.reference import PHASE_NAMES
from layouts.common import download_bar, page_skeleton

PROGRESS_COLOURS = {"good": "success", "warn": "warning", "bad": "danger", "running": "info"}

PAGE = dict(path="/", name=T["nav_overview"], title=T["app_title"])


def layout(**query: Any) -> html.Div:
    """The overview skeleton; a callback fills it for the URL's campaign and date."""
    # #15: the way to the open escalations (callbacks/todo.py fills it)
    escalations = html.Div(id=Todo.OVERVIEW_LINK)
    return page_skeleton(
        T["overview_title"], query, Overview.STATE, Overview.CONTENT, extra=[escalations]
    )


def stat_card(
    card_id: str,
    title: str,
    value: str,
    note: str,
    href: str,
    level: str,
    compare: str | None = None,
) -> dcc.Link | html.A:
    """One headline figure: a big value, a line of context, the whole card a link."""
    # dcc.Link does not scroll to an anchor on the same page; a plain link does.
    link = html.A if href.startswith("#") else dcc.Link
    return link(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(title, className="stat-title"),
                    html.Div(value, className=f"stat-value level-{level}", id=card_id),
                    html.Div(note, className="stat-note"),
                    html.Div(compare, className="stat-yoy", id=f"{card_id}-yoy")
                    if compare is not None
                    else None,
                ]
            ),
            className=f"stat-card h-100 border-level-{level}",
        ),
        href=href,
        className="stat-link",
    )


def days_left_note(days: int, as_of: dt.date, today: dt.date) -> str:
    """`剩余 N 天` (the as-of date and the phase's last day both counted) or the last day,
    said of today only when the as-of date is today, else of the as-of date by name."""
    if as_of == today:
        return T["phase_last_day"] if days <= 1 else T["days_left"].format(days=days)
    date = fmt_date(as_of)
    if days <= 1:
        return T["phase_last_day_on"].format(date=date)
    return T["days_left_on"].format(date=date, days=days)


def phase_card(figures: CampaignFigures, search: str, today: dt.date) -> dcc.Link:
    """The current phase at the as-of date and the days left in it."""
    if figures.current_phase is None:
        value, note = T["phase_none"], ""
    else:
        value = PHASE_NAMES[figures.current_phase]
        note = days_left_note(figures.days_left or 0, figures.as_of, today)
    return stat_card(
        "overview-phase", T["card_phase"], value, note, f"/progress{search}", "neutral"
    )


def yoy_count(now: int, before: int | None) -> str:
    """`去年同期 12 件（▲3）` — or `去年同期 —` when there is no previous campaign."""
    if before is None:
        return f"{T['yoy_label']} {MISSING}"
    diff = now - before
    arrow = f"▲{diff:,}" if diff > 0 else f"▼{-diff:,}" if diff < 0 else T["yoy_same"]
    change = T["yoy_change"].format(value=f"{before:,}", change=arrow)
    return f"{T['yoy_label']} {change}"


def yoy_rate(now: float | None, before: float | None, has_previous: bool) -> str:
    """`去年同期 85.2%（▲3.1 个百分点）`; a missing rate stays `—`."""
    if not has_previous or before is None:
        return f"{T['yoy_label']} {fmt_rate(before) if has_previous else MISSING}"
    if now is None:
        return f"{T['yoy_label']} {fmt_rate(before)}"
    # The difference of the two rates as shown (one decimal), so the arrow matches the figures.
    diff = round(round(now * 100, 1) - round(before * 100, 1), 1)
    if diff == 0:
        change = T["yoy_same"]
    else:
        arrow = f"▲{diff:.1f}" if diff > 0 else f"▼{-diff:.1f}"
        change = f"{arrow}{T['yoy_points']}"
    return f"{T['yoy_label']} {T['yoy_change'].format(value=fmt_rate(before), change=change)}"


def headline_cards(
    figures: CampaignFigures,
    search: str,
    today: dt.date,
    previous: CampaignFigures | None = None,
) -> dbc.Row:
    """The seven headline cards of DOMAIN.md's figures, each beside last year's at this point."""
    base = figures.problems - figures.unfounded
    has = previous is not None

    def count(name: str) -> str:
        return yoy_count(getattr(figures, name), getattr(previous, name) if previous else None)

    def rate(name: str) -> str:
        return yoy_rate(getattr(figures, name), getattr(previous, name, None), has)

    overdue_units = yoy_count(
        len(figures.overdue_units), len(previous.overdue_units) if previous else None
    )
    cards = [
        stat_card(
            "overview-problems",
            T["card_problems"],
            fmt_int(figures.problems),
            T["unfounded_note"].format(n=figures.unfounded),
            f"/rectification{search}",
            "neutral",
            count("problems"),
        ),
        stat_card(
            "overview-rectification-rate",
            T["card_rectification_rate"],
            fmt_rate(figures.rectification_rate),
            T["rectified_of"].format(rectified=figures.rectified, base=base),
            f"/rectification{search}",
            rate_level(figures.rectification_rate),
            rate("rectification_rate"),
        ),
        stat_card(
            "overview-on-time-rate",
            T["card_on_time_rate"],
            fmt_rate(figures.on_time_rate),
            T["on_time_of"].format(on_time=figures.on_time, due=figures.due),
            f"/rectification{search}",
            rate_level(figures.on_time_rate),
            rate("on_time_rate"),
        ),
        stat_card(
            "overview-overdue-problems",
            T["card_overdue_problems"],
            fmt_int(figures.overdue_problems),
            T["overview_overdue_tasks"].format(n=figures.overdue_tasks),
            f"/overdue{search}",
            count_level(figures.overdue_problems),
            count("overdue_problems"),
        ),
        stat_card(
            "overview-overdue-units",
            T["card_overdue_units"],
            fmt_int(len(figures.overdue_units)),
            T["overdue_units_hint"],
            f"/overdue{search}",
            count_level(len(figures.overdue_units)),
            overdue_units,
        ),
        stat_card(
            "overview-complaints",
            T["card_complaints"],
            fmt_int(figures.complaints),
            T["complaints_hint"],
            f"/complaints{search}",
            "neutral",
            count("complaints"),
        ),
        phase_card(figures, search, today),
    ]
    return dbc.Row([dbc.Col(card, xs=12, sm=6, lg=3, className="mb-3") for card in cards])


def phase_progress_panel(figures: CampaignFigures, search: str) -> dbc.Card:
    """Completion of each phase's tasks across the units shown; a phase not yet started says
    so instead of a rate (its tasks count nowhere)."""
    rows = []
    for code, name in PHASE_NAMES.items():
        rate = figures.phase_progress.get(code)
        started = figures.phase_started(code)
        # A phase still running is not late: only ended phases get green / amber / red.
        level = rate_level(rate) if figures.phase_ended(code) else "running"
        rows.append(
            dbc.Row(
                [
                    dbc.Col(name, width=3, className="small"),
                    dbc.Col(
                        dbc.Progress(
                            value=0 if rate is None else rate * 100,
                            color=PROGRESS_COLOURS.get(level, "secondary"),
                            className="phase-bar",
                        ),
                        width=7,
                    ),
                    dbc.Col(
                        fmt_rate(rate) if started else T["progress_phase_future"],
                        width=2,
                        className="small text-end",
                        id=f"overview-phase-{code}",
                    ),
                ],
                className="align-items-center mb-2",
            )
        )
    return dbc.Card(
        dbc.CardBody([html.H6(dcc.Link(T["phase_progress"], href=f"/progress{search}")), *rows]),
        className="mb-3",
    )


def overview_body(
    figures: CampaignFigures,
    search: str,
    today: dt.date,
    previous: CampaignFigures | None = None,
) -> html.Div:
    """The overview for one campaign's figures (`today` words the phase card's days left)."""
    return html.Div(
        [
            html.Div(
                T["as_of_caption"].format(date=fmt_date(figures.as_of)),
                className="text-muted small mb-2",
                id="overview-as-of",
            ),
            headline_cards(figures, search, today, previous),
            phase_progress_panel(figures, search),
            download_bar(
                search,
                [("report.xlsx", T["export_report"]), ("ledger.xlsx", T["export_ledger"])],
                "overview",
            ),
        ]
    )
