"""/admin — 系统设置: where an admin starts (roster → campaign → accounts → ledger) and the
set-up pages."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Admin
from dashboard.ids import AdminIndex as Ids
from dashboard.text import T
from data.campaign_view import SetupProgress
from layouts.common import search_from_query

TITLE = T["adm_title"]
PAGE = dict(path="/admin", name=TITLE, title=f"{TITLE} · {T['brand']}")

# (what, where, how it is counted, what the count is of) of the four first steps.
STEPS: tuple[tuple[str, str, str, str], ...] = (
    (T["adm_step_units"], "/admin/units", "units", T["adm_step_units_n"]),
    (T["adm_step_campaign"], "/admin/campaign", "campaigns", T["adm_step_campaign_n"]),
    (T["adm_step_accounts"], "/admin/users", "unit_accounts", T["adm_step_accounts_n"]),
    (T["adm_step_ledger"], "/import", "problems", T["adm_step_ledger_n"]),
)
PAGES: tuple[tuple[str, str, str], ...] = (
    (T["adm_campaign_title"], "/admin/campaign", T["adm_page_campaign"]),
    (T["adm_units_title"], "/admin/units", T["adm_page_units"]),
    (T["adm_users_title"], "/admin/users", T["adm_page_users"]),
    (T["import_title"], "/import", T["adm_page_import"]),
    (T["chase_admin_title"], "/admin/chase", T["chase_admin_link"]),
    (T["todo_title"], "/todo", T["todo_admin_link"]),  # #15: the day's steps, notices, messages
)


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )


def setup_steps(progress: SetupProgress) -> dbc.Card:
    """The four first steps as links, each ticked off when done."""
    items = []
    for number, (what, href, key, counted) in enumerate(STEPS, start=1):
        count = getattr(progress, key)
        done = count > 0
        items.append(
            html.Li(
                [
                    html.Span("✓" if done else str(number), className="setup-step-mark me-2"),
                    dcc.Link(what, href=href, className="fw-semibold"),
                    html.Span(
                        T["adm_step_done"].format(n=count, what=counted)
                        if done
                        else T["adm_step_todo"],
                        className="small text-muted",
                    ),
                ],
                className=f"setup-step {'setup-step-done' if done else 'setup-step-todo'} mb-2",
                id=f"setup-step-{key}",
            )
        )
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["adm_steps"])),
            dbc.CardBody(
                [
                    html.Ol(items, className="list-unstyled mb-2"),
                    html.P(T["adm_steps_note"], className="small text-muted mb-0"),
                ]
            ),
        ],
        className="mb-3 setup-steps",
        id=Admin.STEPS,
    )


def admin_index(progress: SetupProgress) -> html.Div:
    """The steps, then a card for each set-up page."""
    cards = [
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [
                        dcc.Link(html.H5(name, className="card-title"), href=href),
                        html.P(text, className="small text-muted mb-0"),
                    ]
                ),
                className="h-100",
            ),
            xs=12,
            md=6,
            lg=3,
            className="mb-3",
        )
        for name, href, text in PAGES
    ]
    return html.Div([setup_steps(progress), dbc.Row(cards)])
