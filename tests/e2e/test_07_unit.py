"""A unit page in Chromium: reached from a link, every section, figures equal to its
`dashboard stats` entry, complainants never leave the server unmasked."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, Response, expect
from sqlalchemy import func, select

from dashboard.text import fmt_int, fmt_rate
from data.db import Database
from data.figures import campaign_figures
from data.models import Campaign, MeetingQuestion, SupervisionVisit
from data.reference import GROUP_NAMES
from tests.e2e.conftest import LiveServer, Watch, cli_stats, sign_in

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
    stats = cli_stats(live_server.db_url, year, as_of)
    entry = next(u for u in stats["by_unit"] if u["unit"] == name)
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
    expect(page.locator("#unit-complaints-chart .main-svg").first).to_be_visible(timeout=20_000)
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


def _problem_with_complainant(live_server: LiveServer) -> tuple[int, int, int, str]:
    """(unit id, a problem with a complainant, another problem of that unit, the name),
    away from unit01's unit, which the rectification test uses."""
    from data.models import Problem, User

    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        campaign_id = s.scalar(select(Campaign.id).where(Campaign.year == live_server.today.year))
        own = s.scalar(select(User.unit_id).where(User.username == "unit01"))
        scope = (
            Problem.campaign_id == campaign_id,
            Problem.voided_at.is_(None),
            Problem.found_on <= live_server.today,
            Problem.unit_id != own,
        )
        complained = s.scalars(
            select(Problem)
            .where(*scope, Problem.complainant_name.is_not(None))
            .order_by(Problem.id)
        ).first()
        other = s.scalar(
            select(Problem.id)
            .where(*scope, Problem.unit_id == complained.unit_id, Problem.id != complained.id)
            .order_by(Problem.id)
        )
    db.engine.dispose()
    assert other is not None
    return complained.unit_id, complained.id, other, complained.complainant_name


def test_supervisor_voids_a_problem_and_admin_reveals_a_complainant(
    browser: Browser, live_server: LiveServer
) -> None:
    from data.models import ChangeLog, Problem

    unit_id, complained, duplicate, name = _problem_with_complainant(live_server)
    year, as_of = live_server.today.year, live_server.today.isoformat()
    url = f"{live_server.url}/units/{unit_id}?campaign={year}&as_of={as_of}"
    db = Database.from_url(live_server.db_url)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "duban")
    page.goto(url)
    count = page.locator("#unit-problems")
    expect(count).not_to_have_text("", timeout=20_000)
    before = int(count.inner_text().replace(",", ""))
    page.locator(f"button[id*='unit-void-open'][id*='\"problem\":{duplicate}']").click()
    expect(page.locator("#unit-void-modal")).to_be_visible()
    page.locator("#unit-void-save").click()
    expect(page.locator("#unit-void-errors")).to_contain_text("请填写作废原因", timeout=20_000)
    page.locator("#unit-void-reason").fill("与另一条问题重复登记")
    page.locator("#unit-void-save").click()
    expect(page.locator("#unit-void-modal")).to_be_hidden(timeout=20_000)
    expect(count).to_have_text(fmt_int(before - 1), timeout=20_000)
    expect(page.locator("#unit-voided")).to_contain_text("与另一条问题重复登记")
    context.close()
    with db.read() as s:
        assert s.get(Problem, duplicate).void_reason == "与另一条问题重复登记"
        voids = s.scalars(
            select(ChangeLog).where(
                ChangeLog.action == "void", ChangeLog.entity_id == str(duplicate)
            )
        ).all()
        assert [v.actor for v in voids] == ["duban"]

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "admin")
    page.goto(url)
    opener = page.locator(f"button[id*='unit-detail-open'][id*='\"problem\":{complained}']")
    expect(opener).to_be_visible(timeout=20_000)
    opener.click()
    detail = page.locator("#unit-detail-body")
    expect(detail).to_contain_text("修改历史", timeout=20_000)
    expect(page.locator("#unit-detail-complainant")).to_contain_text("*")
    expect(page.locator("#unit-detail-complainant")).not_to_contain_text(name)
    page.locator("#unit-reveal").click()
    expect(page.locator("#unit-reveal-value")).to_contain_text(name, timeout=20_000)
    context.close()
    with db.read() as s:
        reveals = s.scalars(
            select(ChangeLog).where(
                ChangeLog.action == "reveal", ChangeLog.entity_id == str(complained)
            )
        ).all()
        assert [r.actor for r in reveals] == ["admin"]
    db.engine.dispose()
