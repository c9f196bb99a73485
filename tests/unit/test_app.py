"""The app factory: pages at their paths, Bootstrap served locally, every page's callback on an
empty database, the overview callback."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import dash
import pytest
from dash import Dash
from plotly.utils import PlotlyJSONEncoder

import layouts.not_found
from callbacks.complaints import render_complaints
from callbacks.evaluation import render_evaluation
from callbacks.overdue import render_overdue
from callbacks.overview import render_overview
from callbacks.progress import render_progress
from callbacks.rectification import render_rectification
from dashboard.text import T
from data.db import Database
from tests.components import by_id, texts
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

# INTERFACES.md's page table: Dash pages (a path or a path template) and Flask routes.
DASH_PAGES = {
    "/": "layouts.overview",
    "/progress": "layouts.progress",
    "/complaints": "layouts.complaints",
    "/rectification": "layouts.rectification",
    "/overdue": "layouts.overdue",
    "/units/<unit_id>": "layouts.unit",
    "/evaluation": "layouts.evaluation",
    "/supervision": "layouts.supervision",
    "/inspections": "layouts.inspections",
    "/present": "layouts.present",
    "/present/questions": "layouts.present_questions",
    "/import": "layouts.imports",
    "/admin": "layouts.admin",
    "/admin/campaign": "layouts.admin_campaign",
    "/admin/units": "layouts.admin_units",
    "/admin/users": "layouts.admin_users",
}
FLASK_ROUTES = ["/account", "/login", "/logout"]
NOT_FOUND = "not_found_404"  # the module name Dash's router falls back to


@pytest.fixture
def client(app: Dash, db: Database) -> Any:
    """A test client signed in as a leader."""
    with db.write("test") as s:
        make_user(s, "leader", "leader")
    client = app.server.test_client()
    with login(client, "leader"):
        pass
    return client


def route(client: Any, path: str) -> tuple[str, Any]:
    """The title and content of the page Dash's router shows for `path`, asked as the browser
    asks."""
    deps = client.get("/_dash-dependencies").get_json()
    (output,) = [d["output"] for d in deps if "_pages_content.children" in d["output"]]
    body = {
        "output": output,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == 200
        shown = response.get_json()["response"]
    return shown["_pages_store"]["data"]["title"], shown["_pages_content"]["children"]


def as_json(component: Any) -> Any:
    """A component as the browser receives it."""
    return json.loads(json.dumps(component, cls=PlotlyJSONEncoder))


def test_every_page_of_the_page_table_is_registered(app: Dash) -> None:
    pages = {p["path_template"] or p["path"]: m for m, p in dash.page_registry.items()}
    rules = {rule.rule for rule in app.server.url_map.iter_rules()}
    assert {path: pages.get(path) for path in DASH_PAGES} == DASH_PAGES
    assert [path for path in FLASK_ROUTES if path not in rules or path in pages] == []


@pytest.mark.parametrize("path", ["/no-such-page", "/units", "/admin/nothing", "/present/x/y"])
def test_an_unknown_path_gets_the_404_page(client: Any, path: str) -> None:
    not_found = dash.page_registry[NOT_FOUND]
    assert not_found["layout"] is layouts.not_found.layout
    _, content = route(client, path)
    assert content == as_json(not_found["layout"]())


def test_the_router_shows_each_page_at_its_path(client: Any) -> None:
    titles = {m: p["title"] for m, p in dash.page_registry.items()}
    for path, module in DASH_PAGES.items():
        title, content = route(client, path.replace("<unit_id>", "1"))
        assert title == titles[module], path
        assert T["not_found_hint"] not in json.dumps(content, ensure_ascii=False), path


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


def test_every_callback_is_registered_on_each_app(make_app: MakeApp, db: Database) -> None:
    with db.write("test") as s:
        make_user(s, "leader", "leader")
    first, second = make_app(), make_app()
    for app in (first, second):
        client = app.server.test_client()
        login(client, "leader").close()
        deps = client.get("/_dash-dependencies").get_json()
        outputs = " ".join(d["output"] for d in deps)
        assert "overview-content.children" in outputs
        assert "shell-url.search" in outputs


@pytest.mark.parametrize(
    "render",
    [
        pytest.param(render_overview, id="overview"),
        pytest.param(render_progress, id="progress"),
        pytest.param(render_complaints, id="complaints"),
        pytest.param(render_rectification, id="rectification"),
        pytest.param(render_overdue, id="overdue"),
        pytest.param(render_evaluation, id="evaluation"),
    ],
)
def test_page_callbacks_on_an_empty_database(app: Dash, render: Callable[[str], Any]) -> None:
    with app.server.app_context():
        body = render("")
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


def test_the_header_names_a_role_once() -> None:
    from layouts.shell import account_label

    assert account_label("局领导", "局领导") == "局领导"
    assert account_label("王建国", "督导员") == "王建国（督导员）"
