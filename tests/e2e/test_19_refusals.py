"""Issue 19, item 2: unit staff are not offered 已销号 or 不属实, and a save the server refuses
anyway (the page went stale, the account changed) says why in the dialog, keeping what was typed.

A database of its own: the tests close problems and change unit01's account."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from data.db import Database
from data.demo import load_demo
from data.migrate import upgrade
from data.models import Campaign, ChangeLog, Problem, Unit, User
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import DEMO_TODAY, LiveServer, sign_in
from tests.e2e.grids import grid_data
from tests.e2e.test_07_unit import problem_button, show_row
from tests.factories import make_problem

WAIT = 20_000
CHOICES = "#unit-rect-status option:not([value=''])"  # dbc.Select's blank first option aside
UNIT_CHOICES = ["待整改", "整改中", "已整改"]
EVERY_CHOICE = ["待整改", "整改中", "已整改", "已销号", "不属实"]


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    """The demo county on a database of this module's own, served on 127.0.0.1."""
    name = postgres.create("e2e_refusals") if postgres is not None else None
    if postgres is not None and name is not None:
        url = postgres.url(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('refusals') / 'demo.db'}"
    upgrade(url)
    database = Database.from_url(url)
    load_demo(database, seed=2024, today=DEMO_TODAY)
    _add_open_problems(database)
    database.engine.dispose()
    app = create_app(Settings(database_url=url, secret_key="e2e", fixed_today=DEMO_TODAY))
    served = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{served.server_port}", url, DEMO_TODAY)
    served.shutdown()
    thread.join(timeout=5)
    if postgres is not None and name is not None:
        postgres.drop(name)


def _add_open_problems(db: Database) -> None:
    """Three problems of unit01's unit still open (the demo's are all rectified by now)."""
    with db.write("test") as s:
        unit_id = s.scalar(select(User.unit_id).where(User.username == "unit01"))
        unit = s.get(Unit, unit_id)
        campaign = s.scalars(select(Campaign).where(Campaign.year == DEMO_TODAY.year)).one()
        for day in (3, 4, 5):
            make_problem(s, campaign, unit, found_on=DEMO_TODAY.replace(day=day))


@pytest.fixture
def db(server: LiveServer) -> Iterator[Database]:
    database = Database.from_url(server.db_url)
    yield database
    database.engine.dispose()


def _open_problems(db: Database) -> tuple[int, list[int]]:
    """unit01's unit and its problems open this campaign (待整改 or 整改中)."""
    with db.read() as s:
        unit_id = s.scalar(select(User.unit_id).where(User.username == "unit01"))
        campaign = s.scalar(select(Campaign.id).where(Campaign.year == DEMO_TODAY.year))
        problems = s.scalars(
            select(Problem.id)
            .where(
                Problem.unit_id == unit_id,
                Problem.campaign_id == campaign,
                Problem.status.in_(("pending", "in_progress")),
                Problem.found_on <= DEMO_TODAY,
                Problem.voided_at.is_(None),
            )
            .order_by(Problem.id)
        ).all()
    assert unit_id is not None and len(problems) >= 2
    return unit_id, list(problems)


def _page_as(browser: Browser, server: LiveServer, username: str) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, server, username)
    return page


def _open_dialog(page: Page, server: LiveServer, unit_id: int, problem_id: int) -> None:
    """The unit page, and the 填报 dialog of the problem (its button in the problems' grid)."""
    page.goto(f"{server.url}/units/{unit_id}?campaign={DEMO_TODAY.year}")
    opener = problem_button(page, problem_id, "rect")
    expect(opener).to_be_visible(timeout=WAIT)
    opener.click()
    expect(page.locator("#unit-rect-modal")).to_be_visible(timeout=WAIT)


def _type_report(page: Page, measures: str) -> None:
    """Fill in a report of the problem as rectified today."""
    page.locator("#unit-rect-status").select_option("done")
    page.locator("#unit-rect-measures").fill(measures)
    page.locator("#unit-rect-completed").fill(DEMO_TODAY.isoformat())
    page.locator("#unit-rect-evidence").fill("公示照片.jpg")


def _denied(db: Database, username: str) -> int:
    with db.read() as s:
        rows = s.scalars(
            select(ChangeLog).where(ChangeLog.action == "denied", ChangeLog.actor == username)
        ).all()
    return len(rows)


def test_unit_staff_are_offered_only_their_choices_and_told_why_a_stale_save_fails(
    browser: Browser, server: LiveServer, db: Database
) -> None:
    unit_id, problems = _open_problems(db)
    problem_id = problems[0]
    page = _page_as(browser, server, "unit01")
    _open_dialog(page, server, unit_id, problem_id)
    expect(page.locator(CHOICES)).to_have_text(UNIT_CHOICES, timeout=WAIT)
    measures = "已在窗口公示收费标准，并组织全所学习"
    _type_report(page, measures)

    # Meanwhile the supervisor closes the problem (已销号): the unit may no longer change it.
    with db.write("duban") as s:
        problem = s.get(Problem, problem_id)
        problem.status, problem.completed_on = "verified", DEMO_TODAY
    page.locator("#unit-rect-save").click()
    errors = page.locator("#unit-rect-errors")
    expect(errors).to_contain_text("须由督导员或管理员认定", timeout=WAIT)
    expect(page.locator("#unit-rect-modal")).to_be_visible(timeout=WAIT)
    expect(page.locator("#unit-rect-measures")).to_have_value(measures, timeout=WAIT)
    expect(page.locator("#unit-rect-status")).to_have_value("done", timeout=WAIT)
    with db.read() as s:
        assert s.get(Problem, problem_id).measures != measures
    assert _denied(db, "unit01") == 1

    # Drawn again, the closed problem has no 填报 button for unit staff; an open one still has.
    page.goto(f"{server.url}/units/{unit_id}?campaign={DEMO_TODAY.year}")
    expect(problem_button(page, problems[1], "rect")).to_be_visible(timeout=WAIT)
    closed = show_row(page, "unit-problem-grid", problem_id)
    expect(closed).to_be_visible(timeout=WAIT)
    expect(closed.locator("[col-id='rect'] button")).to_have_count(0, timeout=WAIT)
    labels = {row["id"]: row["rect_label"] for row in grid_data(page, "unit-problem-grid")}
    assert labels[problem_id] == "" and labels[problems[1]] == "填报"
    page.context.close()


def test_supervisors_are_offered_every_status(
    browser: Browser, server: LiveServer, db: Database
) -> None:
    unit_id, problems = _open_problems(db)
    page = _page_as(browser, server, "duban")
    _open_dialog(page, server, unit_id, problems[-1])
    expect(page.locator(CHOICES)).to_have_text(EVERY_CHOICE, timeout=WAIT)
    page.context.close()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"role": "leader"}, "只有单位填报员、督导员、管理员可以填报整改情况（您的角色：局领导）"),
        ({"unit": "other"}, "只能填报本单位的整改情况"),
    ],
    ids=["role", "unit"],
)
def test_a_save_after_the_account_changed_says_why_in_the_dialog(
    browser: Browser, server: LiveServer, db: Database, change: dict[str, str], reason: str
) -> None:
    unit_id, problems = _open_problems(db)
    problem_id = problems[-1]
    page = _page_as(browser, server, "unit01")
    _open_dialog(page, server, unit_id, problem_id)
    measures = f"整改措施（{reason[:4]}）"
    _type_report(page, measures)
    with db.write("admin") as s:  # the admin changes unit01's account meanwhile
        user = s.scalars(select(User).where(User.username == "unit01")).one()
        before = (user.role, user.unit_id)
        if "role" in change:
            user.role = change["role"]
        else:
            user.unit_id = s.scalar(select(Unit.id).where(Unit.id != unit_id).limit(1))
    try:
        page.locator("#unit-rect-save").click()
        expect(page.locator("#unit-rect-errors")).to_contain_text(reason, timeout=WAIT)
        expect(page.locator("#unit-rect-modal")).to_be_visible(timeout=WAIT)
        expect(page.locator("#unit-rect-measures")).to_have_value(measures, timeout=WAIT)
    finally:
        with db.write("admin") as s:
            user = s.scalars(select(User).where(User.username == "unit01")).one()
            user.role, user.unit_id = before
        page.context.close()
    with db.read() as s:
        assert s.get(Problem, problem_id).measures != measures
