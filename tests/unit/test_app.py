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
from tests.components import by_id, texts
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


def test_overview_callback_on_empty_database(app: Dash) -> None:
    with app.server.app_context():
        body = render_overview("")
    assert any("还没有评议活动" in t for t in texts(body))


def test_overview_callback_shows_the_figures(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s)
        make_problem(s, campaign, unit, status="done", completed_on=dt.date(2024, 6, 20))
        make_problem(s, campaign, unit, found_on=dt.date(2024, 7, 1), deadline=dt.date(2024, 7, 31))
    with app.server.app_context():
        shown = texts(render_overview("?campaign=2024&as_of=2024-11-15"))
    assert "2" in shown  # problems
    assert "50.0%" in shown  # rectification rate: 1 of 2
    assert "数据截至 2024年11月15日" in shown


def test_overview_compares_with_last_year_at_the_same_date(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        last, this = make_campaign(s, 2023), make_campaign(s, 2024)
        office = make_unit(s)
        firm = make_unit(s, kind="law_firm")
        make_problem(s, last, office, status="done", completed_on=dt.date(2023, 6, 20))
        # rectified only after 15 November 2023: open at the same point of last year
        make_problem(s, last, office, status="done", completed_on=dt.date(2023, 11, 20))
        make_problem(s, last, office, found_on=dt.date(2023, 12, 1))  # found after that point
        make_problem(s, last, firm, channel="hotline")
        make_problem(s, this, office, status="done", completed_on=dt.date(2024, 6, 20))
        for _ in range(3):
            make_problem(s, this, office)
    with app.server.app_context():
        body = render_overview("?campaign=2024&as_of=2024-11-15")
        offices = render_overview("?campaign=2024&as_of=2024-11-15&kind=judicial_office")
    assert by_id(body, "overview-problems-yoy").children == "去年同期 3（▲1）"
    assert by_id(body, "overview-complaints-yoy").children == "去年同期 1（▼1）"
    assert (
        by_id(body, "overview-rectification-rate-yoy").children == "去年同期 33.3%（▼8.3 个百分点）"
    )
    # the same filters apply to last year's figures
    assert by_id(offices, "overview-problems-yoy").children == "去年同期 2（▲2）"
    assert by_id(offices, "overview-problems").children == "4"


def test_overview_without_a_previous_campaign(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        make_problem(s, campaign, make_unit(s), found_on=dt.date(2024, 2, 29))
    with app.server.app_context():
        body = render_overview("?campaign=2024&as_of=2024-02-29")
    assert by_id(body, "overview-problems").children == "1"
    assert by_id(body, "overview-problems-yoy").children == "去年同期 —"
    assert by_id(body, "overview-on-time-rate-yoy").children == "去年同期 —"


def test_overview_on_a_leap_day_compares_with_28_february(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        last, this = make_campaign(s, 2023), make_campaign(s, 2024)
        unit = make_unit(s)
        make_problem(s, last, unit, found_on=dt.date(2023, 2, 28))
        make_problem(s, last, unit, found_on=dt.date(2023, 3, 1))
        make_problem(s, this, unit, found_on=dt.date(2024, 2, 29))
    with app.server.app_context():
        body = render_overview("?campaign=2024&as_of=2024-02-29")
    assert by_id(body, "overview-problems-yoy").children == "去年同期 1（持平）"
