"""A unit page in Chromium: reached from a link, every section, figures equal to its
`dashboard stats` entry, complainants never leave the server unmasked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from playwright.sync_api import Browser, Page, Response, expect
from sqlalchemy import func, select

from dashboard.text import fmt_int, fmt_rate
from data.db import Database
from data.figures import campaign_figures
from data.models import Campaign, MeetingQuestion, SupervisionVisit
from data.reference import GROUP_NAMES
from tests.e2e.conftest import LiveServer, Watch, sign_in

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
SECTIONS = (
    "unit-evaluation",
    "unit-satisfaction",
    "unit-tasks",
    "unit-complaints-by-month",
    "unit-problems-section",
    "unit-visits",
    "unit-questions",
    "unit-archive",
)


def _stats_entry(db_url: str, year: int, as_of: str, unit: str) -> dict:
    """The unit's `by_unit` entry of `dashboard stats --json`."""
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "stats", "--campaign", str(year)]
        + ["--as-of", as_of, "--json"],
        env={**os.environ, "DATABASE_URL": db_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return next(u for u in json.loads(out.stdout)["by_unit"] if u["unit"] == unit)


def _rich_unit(live_server: LiveServer) -> tuple[int, str, str, int]:
    """A demo unit with complaints, visits and meeting questions: (id, name, group, visits)."""
    db = Database.from_url(live_server.db_url)
    year, as_of = live_server.today.year, live_server.today
    with db.read() as s:
        figures = campaign_figures(s, year, as_of)
        campaign_id = s.scalar(select(Campaign.id).where(Campaign.year == year))
        visits = dict(
            s.execute(
                select(SupervisionVisit.unit_id, func.count())
                .where(SupervisionVisit.campaign_id == campaign_id)
                .group_by(SupervisionVisit.unit_id)
            ).all()
        )
        asked = set(
            s.scalars(
                select(MeetingQuestion.unit_id).where(MeetingQuestion.campaign_id == campaign_id)
            )
        )
    db.engine.dispose()
    candidates = [
        u for u in figures.by_unit if u.complaints and u.unit_id in visits and u.unit_id in asked
    ]
    unit = max(candidates, key=lambda u: (u.complaints, u.problems))
    return unit.unit_id, unit.unit, unit.group, visits[unit.unit_id]


def test_unit_page_from_a_link_shows_everything_and_matches_stats(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    unit_id, name, group, visits = _rich_unit(live_server)
    entry = _stats_entry(live_server.db_url, year, as_of, name)
    bodies: list[str] = []

    def keep(response: Response) -> None:
        if "_dash-update-component" in response.url:
            bodies.append(response.text())

    page.on("response", keep)
    page.goto(f"{live_server.url}/evaluation?campaign={year}&as_of={as_of}")
    page.locator(f"#eval-{group}").get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/units/{unit_id}?campaign={year}&as_of={as_of}")
    expect(page.locator("#unit-name")).to_have_text(name)
    for section in SECTIONS:
        expect(page.locator(f"#{section}")).to_be_visible()
    expect(page.locator("#unit-problems")).to_have_text(fmt_int(entry["problems"]))
    expect(page.locator("#unit-rectification-rate")).to_have_text(
        fmt_rate(entry["rectification_rate"])
    )
    expect(page.locator("#unit-complaints")).to_have_text(fmt_int(entry["complaints"]))
    expect(page.locator("#unit-problem-table tbody tr")).to_have_count(entry["problems"])
    for phase, rate in entry["phase_progress"].items():
        expect(page.locator(f"#unit-tasks-{phase}")).to_contain_text(fmt_rate(rate))
    expect(page.locator("#unit-problem-table")).to_contain_text("****")
    expect(page.locator("#unit-visits .unit-visit")).to_have_count(visits)
    expect(page.locator("#unit-visits .unit-rating").first).to_contain_text(re.compile("符合"))
    expect(page.locator("#unit-questions tbody tr").first).to_be_visible()
    expect(page.locator("#unit-archive-summary")).to_contain_text("已归档")
    expect(page.locator("#unit-rank")).to_contain_text(GROUP_NAMES[group])
    expect(page.locator("#unit-complaints-chart .main-svg").first).to_be_visible()
    assert entry["complaints"] > 0
    assert bodies and not any(PHONE.search(body) for body in bodies)
    # nothing is wider than the 1366-pixel window, long names included
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert watch.outside == [] and watch.console_errors == []


def test_unknown_unit(live_server: LiveServer, watched_page: tuple[Page, Watch]) -> None:
    page, watch = watched_page
    for path in ("/units/999999", "/units/abc"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator(".empty-state")).to_contain_text("单位不存在")
    assert watch.console_errors == []


def test_supervisor_logs_a_visit_from_the_unit_page(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "duban")
    year, as_of = live_server.today.year, live_server.today.isoformat()
    page.goto(f"{live_server.url}/units/1?campaign={year}&as_of={as_of}&kind=law_firm")
    link = page.locator("#unit-log-visit")
    expect(link).to_have_text("记录督导检查")
    link.click()
    expect(page).to_have_url(f"{live_server.url}/supervision?campaign={year}&as_of={as_of}&unit=1")
    context.close()
