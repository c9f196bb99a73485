"""Issue #19 item 9: the words a user reads — no doubled role in the header, a reveal recorded in
a sentence, demo meeting questions without "存在存在"."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from data.db import Database
from data.models import Campaign, Problem, User
from tests.e2e.conftest import LiveServer, sign_in
from tests.e2e.test_07_unit import problem_button


def _page(browser: Browser, server: LiveServer, user: str) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, server, user)
    return page


def test_the_header_names_the_role_once(browser: Browser, live_server: LiveServer) -> None:
    page = _page(browser, live_server, "leader")
    page.goto(f"{live_server.url}/overview")
    header = page.locator("nav").first
    expect(header).to_contain_text("局领导", timeout=20_000)
    assert "局领导（局领导）" not in header.inner_text()
    page.context.close()


def test_demo_meeting_questions_read_as_chinese(browser: Browser, live_server: LiveServer) -> None:
    page = _page(browser, live_server, "duban")
    page.goto(f"{live_server.url}/present/questions?campaign={live_server.today.year}")
    expect(page.locator("body")).to_contain_text("请问下一步如何整改", timeout=20_000)
    text = page.locator("body").inner_text()
    assert "存在存在" not in text
    page.context.close()


def _late_complained_problem(server: LiveServer) -> tuple[int, int]:
    """(unit id, problem id): the newest problem with a complainant, away from unit01's unit and
    from the problem the unit-page test reveals (the oldest one)."""
    db = Database.from_url(server.db_url)
    with db.read() as s:
        campaign_id = s.scalar(select(Campaign.id).where(Campaign.year == server.today.year))
        own = s.scalar(select(User.unit_id).where(User.username == "unit01"))
        row = s.execute(
            select(Problem.unit_id, Problem.id)
            .where(
                Problem.campaign_id == campaign_id,
                Problem.voided_at.is_(None),
                Problem.found_on <= server.today,
                Problem.unit_id != own,
                Problem.complainant_name.is_not(None),
            )
            .order_by(Problem.id.desc())
        ).first()
    db.engine.dispose()
    assert row is not None
    return row[0], row[1]


def test_a_reveal_reads_as_a_sentence_in_the_history(
    browser: Browser, live_server: LiveServer
) -> None:
    unit_id, problem_id = _late_complained_problem(live_server)
    year, as_of = live_server.today.year, live_server.today.isoformat()
    page = _page(browser, live_server, "admin")
    page.goto(f"{live_server.url}/units/{unit_id}?campaign={year}&as_of={as_of}")
    opener = problem_button(page, problem_id, "detail")
    expect(opener).to_be_visible(timeout=20_000)
    opener.click()
    expect(page.locator("#unit-detail-body")).to_contain_text("修改历史", timeout=20_000)
    page.locator("#unit-reveal").click()
    expect(page.locator("#unit-reveal-value")).not_to_have_text("", timeout=20_000)
    # Open the record again: the history now holds the reveal.
    page.reload()
    opener = problem_button(page, problem_id, "detail")
    expect(opener).to_be_visible(timeout=20_000)
    opener.click()
    body = page.locator("#unit-detail-body")
    expect(body).to_contain_text("单位详情页：查看投诉人信息", timeout=20_000)
    assert "详情页时查看" not in body.inner_text()
    page.context.close()
