"""#15 in Chromium: the admin opens 催办设置, is warned that 2027's holidays are unknown, enters
New Year's Day 2027 and sees it in the calendar, switches to working days — and /overdue counts
the days overdue across National Day 2024 in working days (5, not 12)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.ids import AdminChase as Ids
from dashboard.ids import Overdue
from data.db import Database
from data.migrate import upgrade
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer
from tests.e2e.grids import grid_texts
from tests.factories import PASSWORD, make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 10, 12)  # a Saturday worked (调休) after National Day
TIMEOUT = 20_000


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    """One office with a problem due the day before National Day, one due late in 2026."""
    name = postgres.create("e2e_admin_chase") if postgres is not None else None
    if postgres is not None and name is not None:
        url = postgres.url(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('admin_chase') / 'county.db'}"
    upgrade(url)
    database = Database.from_url(url)
    with database.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_problem(s, campaign, unit, found_on=dt.date(2024, 9, 2), deadline=dt.date(2024, 9, 30))
        make_problem(
            s, campaign, unit, found_on=dt.date(2024, 9, 2), deadline=dt.date(2026, 12, 28)
        )
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
    database.engine.dispose()
    app = create_app(Settings(database_url=url, secret_key="e2e", fixed_today=TODAY))
    served = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{served.server_port}", url, TODAY)
    served.shutdown()
    thread.join(timeout=5)
    if postgres is not None and name is not None:
        postgres.drop(name)


def _page(browser: Browser, server: LiveServer, user: str) -> tuple[Page, list[str]]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.request.post(
        f"{server.url}/login", form={"username": user, "password": PASSWORD}, max_redirects=0
    )
    assert response.status == 302
    return page, errors


def _days_overdue(page: Page, server: LiveServer) -> list[str]:
    page.goto(f"{server.url}/overdue?campaign=2024")
    page.locator(f"#{Overdue.PROBLEMS}").scroll_into_view_if_needed(timeout=TIMEOUT)
    return grid_texts(page, Overdue.PROBLEMS, "days")


def test_the_admin_enters_a_year_and_counts_working_days(
    browser: Browser, server: LiveServer
) -> None:
    page, errors = _page(browser, server, "admin")
    assert _days_overdue(page, server) == ["12"]

    page.goto(f"{server.url}/admin/chase")
    warning = page.locator(f"#{Ids.UNKNOWN}")
    expect(warning).to_contain_text("尚未录入2027年", timeout=TIMEOUT)
    table = page.locator(f"#{Ids.CAL_TABLE}")
    expect(table).to_contain_text("2027年没有节假日安排", timeout=TIMEOUT)

    page.locator("input[id*='chase-day-add-field'][type='date']").fill("2027-01-01")
    page.locator("input[id*='chase-day-add-field'][type='text']").fill("元旦")
    page.locator("#chase-day-add-save").click()
    expect(page.locator("#chase-day-add-message")).to_contain_text(
        "已录入 2027-01-01", timeout=TIMEOUT
    )
    expect(table).to_contain_text("元旦", timeout=TIMEOUT)
    expect(table).to_contain_text("自设")
    expect(page.locator(f"#{Ids.UNKNOWN}")).to_have_count(0)

    # The calendar of 2024, as the library has it.
    page.locator(f"#{Ids.CAL_YEAR}").click()
    page.get_by_role("option", name="2024年").click()
    expect(table).to_contain_text("国庆节调休上班", timeout=TIMEOUT)
    expect(table).to_contain_text("2024-10-07")

    settings = page.locator("#chase-settings-card")
    settings.locator(".form-dropdown").first.click()
    page.get_by_role("option", name="工作日（扣除法定节假日，含调休）").click()
    page.locator("#chase-settings-save").click()
    expect(page.locator("#chase-settings-message")).to_contain_text(
        "催办设置已保存", timeout=TIMEOUT
    )

    # 10/8 … 10/12 (Saturday, worked): 5 working days after the deadline 9/30.
    assert _days_overdue(page, server) == ["5"]
    assert errors == []


def test_a_leader_is_told_in_words(browser: Browser, server: LiveServer) -> None:
    page, errors = _page(browser, server, "leader")
    page.goto(f"{server.url}/admin/chase")
    expect(page.locator("#admin-only")).to_contain_text("只有管理员可以设置催办", timeout=TIMEOUT)
    expect(page.locator("#chase-settings-card")).to_have_count(0)
    assert errors == []
