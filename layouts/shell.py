"""The frame around every page: navbar, the campaign / as-of / kind / township filters."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth import signed_in
from dashboard.ids import Shell
from dashboard.text import T
from data.reference import KIND_NAMES

NAV_ITEMS: tuple[tuple[str, str], ...] = (
    ("/", "nav_overview"),
    ("/progress", "nav_progress"),
    ("/complaints", "nav_complaints"),
    ("/rectification", "nav_rectification"),
    ("/overdue", "nav_overdue"),
    ("/evaluation", "nav_evaluation"),
    ("/supervision", "nav_supervision"),
    ("/inspections", "nav_inspections"),
    ("/import", "import_title"),
    ("/admin", "nav_admin"),
    ("/present", "nav_present"),
)


def nav_links() -> list[dbc.NavItem]:
    """The navbar's page links (their query string is kept by a callback)."""
    return [
        dbc.NavItem(dbc.NavLink(T[key], href=path, active="exact", id=Shell.nav(path)))
        for path, key in NAV_ITEMS
    ]


def filter_bar() -> dbc.Row:
    """The filters every view shares; their values live in the URL."""
    kind_options = [{"label": name, "value": code} for code, name in KIND_NAMES.items()]
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(T["filter_campaign"], html_for=Shell.CAMPAIGN, className="small"),
                    dcc.Dropdown(id=Shell.CAMPAIGN, clearable=False, searchable=False),
                ],
                xs=6,
                md=2,
            ),
            dbc.Col(
                [
                    dbc.Label(T["filter_as_of"], html_for=Shell.AS_OF, className="small"),
                    dbc.Input(id=Shell.AS_OF, type="date", debounce=True),
                ],
                xs=6,
                md=2,
            ),
            dbc.Col(
                [
                    dbc.Label(T["filter_kind"], html_for=Shell.KIND, className="small"),
                    dcc.Dropdown(
                        id=Shell.KIND, options=kind_options, multi=True, placeholder=T["filter_all"]
                    ),
                ],
                xs=12,
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Label(T["filter_township"], html_for=Shell.TOWNSHIP, className="small"),
                    dcc.Dropdown(id=Shell.TOWNSHIP, multi=True, placeholder=T["filter_all"]),
                ],
                xs=12,
                md=4,
            ),
        ],
        className="g-2 filter-bar py-2",
    )


def user_menu() -> html.Div:
    """Who is signed in, their password page, and the way out."""
    account = signed_in()
    children = (
        [
            html.Span(f"{account.display_name}（{account.role_name}）", className="me-2"),
            html.A("修改密码", href="/account", className="link-light me-2", id="shell-account"),
            html.A("退出", href="/logout", className="link-light", id="shell-logout"),
        ]
        if account
        else []
    )
    return html.Div(
        children,
        id=Shell.USER,
        className="navbar-text small text-white-50",
    )


def shell() -> html.Div:
    """The whole page frame; Dash's page container holds the current page."""
    navbar = dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(T["brand"], href="/", className="fw-bold"),
                dbc.NavbarToggler(id="shell-toggler"),
                dbc.Collapse(
                    dbc.Nav(nav_links(), navbar=True, className="me-auto"),
                    id="shell-collapse",
                    navbar=True,
                ),
                user_menu(),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        expand="lg",
        className="mb-2",
    )
    return html.Div(
        [
            dcc.Location(id=Shell.URL, refresh="callback-nav"),
            navbar,
            dbc.Container([filter_bar(), dash.page_container], fluid=True, className="pb-4"),
        ]
    )
