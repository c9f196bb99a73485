"""The app factory: pages at their paths, Bootstrap served locally, the overview callback."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from dash import Dash

from callbacks.overview import render_overview
from dashboard.app import create_app
from dashboard.config import Settings
from data.db import Database
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

PATHS = [
    "/",
    "/progress",
    "/complaints",
    "/rectification",
    "/overdue",
    "/units/1",
    "/supervision",
    "/present",
]


@pytest.fixture
def app(db_url: str) -> Dash:
    return create_app(
        Settings(database_url=db_url, secret_key="t", fixed_today=dt.date(2024, 11, 15))
    )


@pytest.fixture
def client(app: Dash, db: Database) -> Any:
    """A test client signed in as a leader."""
    with db.write("test") as s:
        make_user(s, "leader", "leader")
    client = app.server.test_client()
    with login(client, "leader"):
        pass
    return client


@pytest.mark.parametrize("path", PATHS)
def test_pages_serve_the_shell(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/vendor/bootstrap5/css/bootstrap.min.css" in html


def test_no_asset_comes_from_outside(client: Any) -> None:
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the index page links its scripts and styles"
    assert [u for u in urls if re.match(r"(https?:)?//", u)] == []


def test_bootstrap_is_served(app: Dash) -> None:
    client = app.server.test_client()
    with client.get("/vendor/bootstrap5/css/bootstrap.min.css") as css:
        assert css.status_code == 200 and b"Bootstrap" in css.data[:200]
    with client.get("/vendor/bootstrap5/icons/bootstrap-icons.svg") as icons:
        assert icons.status_code == 200 and b"<svg" in icons.data[:500]


def test_every_callback_is_registered_on_each_app(db_url: str, db: Database) -> None:
    with db.write("test") as s:
        make_user(s, "leader", "leader")
    first = create_app(Settings(database_url=db_url, secret_key="t"))
    second = create_app(Settings(database_url=db_url, secret_key="t"))
    for app in (first, second):
        client = app.server.test_client()
        login(client, "leader").close()
        deps = client.get("/_dash-dependencies").get_json()
        outputs = " ".join(d["output"] for d in deps)
        assert "overview-content.children" in outputs
        assert "shell-url.search" in outputs


def _texts(component: object) -> list[str]:
    """All strings inside a component tree."""
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


def test_overview_callback_on_empty_database(app: Dash) -> None:
    with app.server.app_context():
        body = render_overview("")
    assert any("还没有评议活动" in t for t in _texts(body))


def test_overview_callback_shows_the_figures(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        make_problem(s, campaign, unit, status="done", completed_on=dt.date(2024, 6, 20))
        make_problem(s, campaign, unit, found_on=dt.date(2024, 7, 1), deadline=dt.date(2024, 7, 31))
    with app.server.app_context():
        texts = _texts(render_overview("?campaign=2024&as_of=2024-11-15"))
    assert "2" in texts  # problems
    assert "50.0%" in texts  # rectification rate: 1 of 2
    assert "数据截至 2024年11月15日" in texts
