"""The frame around every page: navbar, the campaign / as-of / kind / township filters."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth import signed_in
from dashboard.ids import Shell
from dashboard.text import T
from data.reference import KIND_NAMES
from layouts.forms import DROPDOWN_LABELS
from layouts.todo import todo_nav_item

# The navbar's menu button and the links it shows and hides on a narrow screen (callbacks/shell.py)
TOGGLER = "shell-toggler"
COLLAPSE = "shell-collapse"

# (path, name) of each page in the navbar
NAV_ITEMS: tuple[tuple[str, str], ...] = (
    ("/", T["nav_overview"]),
    ("/progress", T["nav_progress"]),
    ("/complaints", T["nav_complaints"]),
    ("/rectification", T["nav_rectification"]),
    ("/overdue", T["nav_overdue"]),
    ("/evaluation", T["nav_evaluation"]),
    ("/supervision", T["nav_supervision"]),
    ("/inspections", T["nav_inspections"]),
    ("/import", T["import_title"]),
    ("/admin", T["nav_admin"]),
    ("/present", T["nav_present"]),
)


# The work plan's other records (#18), in one menu after 明查暗访
PLAN_ITEMS: tuple[tuple[str, str], ...] = (
    ("/topics", T["topics_title"]),
    ("/briefings", T["briefings_title"]),
    ("/commitments", T["commitments_title"]),
    ("/reports", T["reports_title"]),
    ("/archives", T["archives_title"]),
)
PLAN_AFTER = "/inspections"
# 待办 (#15) follows the overview. Not for admins: their navbar is full at 1366 px; they reach
# /todo from the overview's line and the /admin index.
TODO_AFTER = "/"
# Pages only some roles can use are not offered to the others (the page itself still refuses
# them in words when its address is typed).
NAV_ROLES: dict[str, tuple[str, ...]] = {
    "/import": ("admin",),
    "/admin": ("admin",),
    "/todo": ("unit", "leader", "supervisor"),
}


def offered(path: str, role: str | None) -> bool:
    """Whether the navbar offers `path` to a user of `role`."""
    roles = NAV_ROLES.get(path)
    return roles is None or role in roles


def nav_links() -> list[dbc.NavItem | dbc.DropdownMenu]:
    """The navbar's page links (their query string is kept by a callback)."""
    account = signed_in()
    role = account.role if account else None
    links: list[dbc.NavItem | dbc.DropdownMenu] = []
    for path, name in NAV_ITEMS:
        if not offered(path, role):
            continue
        links.append(dbc.NavItem(dbc.NavLink(name, href=path, active="exact", id=Shell.nav(path))))
        if path == TODO_AFTER and offered("/todo", role):  # #15: 待办 with its number
            links.append(todo_nav_item())
        if path == PLAN_AFTER:
            links.append(
                dbc.DropdownMenu(
                    [
                        dbc.DropdownMenuItem(item, href=item_path, id=Shell.nav(item_path))
                        for item_path, item in PLAN_ITEMS
                    ],
                    label=T["nav_plan"],
                    nav=True,
                    in_navbar=True,
                    id="shell-plan-menu",
                )
            )
    return links


def filter_bar() -> dbc.Row:
    """The filters every view shares; their values live in the URL."""
    kind_options = [{"label": name, "value": code} for code, name in KIND_NAMES.items()]
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(T["filter_campaign"], html_for=Shell.CAMPAIGN, className="small"),
                    dcc.Dropdown(
                        id=Shell.CAMPAIGN, clearable=False, searchable=False, labels=DROPDOWN_LABELS
                    ),
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
                        id=Shell.KIND,
                        options=kind_options,
                        multi=True,
                        placeholder=T["filter_all"],
                        labels=DROPDOWN_LABELS,
                    ),
                ],
                xs=12,
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Label(T["filter_township"], html_for=Shell.TOWNSHIP, className="small"),
                    dcc.Dropdown(
                        id=Shell.TOWNSHIP,
                        multi=True,
                        placeholder=T["filter_all"],
                        labels=DROPDOWN_LABELS,
                    ),
                ],
                xs=12,
                md=4,
            ),
        ],
        className="g-2 filter-bar py-2",
    )


def account_label(name: str, role: str) -> str:
    """`王建国（督导员）`, or the name alone when it is the role's own name (局领导)."""
    return name if name == role else T["shell_account"].format(name=name, role=role)


def user_menu() -> html.Div:
    """Who is signed in, their password page, and the way out."""
    account = signed_in()
    children = (
        [
            html.Span(account_label(account.display_name, account.role_name), className="me-2"),
            html.A(
                T["shell_password"],
                href="/account",
                className="link-light me-2",
                id="shell-account",
            ),
            html.A(T["shell_logout"], href="/logout", className="link-light", id="shell-logout"),
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
                dbc.NavbarToggler(id=TOGGLER),
                dbc.Collapse(
                    dbc.Nav(nav_links(), navbar=True, className="me-auto"),
                    id=COLLAPSE,
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
