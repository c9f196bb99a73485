"""A unit page: its figures equal its `dashboard stats` entry; complainants never leave masked."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Response, expect

from dashboard.text import fmt_int, fmt_rate
from data.db import Database
from data.figures import campaign_figures
from tests.e2e.conftest import LiveServer, Watch

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_unit_page_matches_stats_and_masks(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        figures = campaign_figures(s, year, as_of)
    db.engine.dispose()
    unit = max(figures.by_unit, key=lambda u: (u.complaints, u.problems))
    bodies: list[str] = []

    def keep(response: Response) -> None:
        if "_dash-update-component" in response.url:
            bodies.append(response.text())

    page.on("response", keep)
    page.goto(f"{live_server.url}/units/{unit.unit_id}?campaign={year}&as_of={as_of}")
    expect(page.locator("#unit-name")).to_have_text(unit.unit)
    expect(page.locator("#unit-problems")).to_have_text(fmt_int(unit.problems))
    expect(page.locator("#unit-rectification-rate")).to_have_text(fmt_rate(unit.rectification_rate))
    expect(page.locator("#unit-problem-table tbody tr")).to_have_count(unit.problems)
    expect(page.locator("#unit-problem-table")).to_contain_text("****")
    assert unit.complaints > 0
    assert not any(PHONE.search(body) for body in bodies)
    assert watch.outside == [] and watch.console_errors == []


def test_unknown_unit(live_server: LiveServer, watched_page: tuple[Page, Watch]) -> None:
    page, _ = watched_page
    page.goto(f"{live_server.url}/units/999999")
    expect(page.locator(".empty-state")).to_contain_text("单位不存在")


def test_unit_page_links_to_logging_a_visit(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, _ = watched_page
    page.goto(f"{live_server.url}/units/1?campaign={live_server.today.year}")
    page.locator("#unit-log-visit").click()
    expect(page).to_have_url(re.compile(r"/supervision\?campaign=\d+&unit=1$"))
