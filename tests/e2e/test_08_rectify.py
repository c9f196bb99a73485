"""Unit staff report their own rectification; a refused save keeps the form; others are refused."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from data.db import Database
from data.models import Campaign, Problem, Unit, User
from tests.e2e.conftest import LiveServer, sign_in


def test_unit_user_reports_rectification(browser: Browser, live_server: LiveServer) -> None:
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        unit_id = s.query(User.unit_id).filter(User.username == "unit01").scalar()
        problem = (
            s.query(Problem)
            .filter(
                Problem.unit_id == unit_id,
                Problem.status.in_(("pending", "in_progress", "done")),
                Problem.found_on <= live_server.today,
                Problem.campaign_id
                == s.query(Campaign.id).filter(Campaign.year == live_server.today.year).scalar(),
            )
            .first()
        )
        other_unit = s.query(Unit.id).filter(Unit.id != unit_id).first()[0]
    assert problem is not None
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "unit01")
    year = live_server.today.year
    page.goto(f"{live_server.url}/units/{unit_id}?campaign={year}")
    page.locator(f"button[id*='\"index\":{problem.id}']").click()
    expect(page.locator("#unit-rect-modal")).to_be_visible()
    page.locator("#unit-rect-status").select_option("done")
    page.locator("#unit-rect-measures").fill("已在窗口公示收费标准")
    page.locator("#unit-rect-completed").fill("")
    page.locator("#unit-rect-save").click()
    expect(page.locator("#unit-rect-errors")).to_contain_text("完成日期")
    expect(page.locator("#unit-rect-measures")).to_have_value("已在窗口公示收费标准")
    page.locator("#unit-rect-completed").fill(live_server.today.isoformat())
    page.locator("#unit-rect-evidence").fill("公示照片.jpg")
    page.locator("#unit-rect-save").click()
    expect(page.locator("#unit-rect-modal")).to_be_hidden()
    with db.read() as s:
        saved = s.get(Problem, problem.id)
    assert saved.status == "done" and saved.measures == "已在窗口公示收费标准"
    assert saved.version == problem.version + 1

    page.goto(f"{live_server.url}/units/{other_unit}?campaign={year}")
    expect(page.locator(".empty-state")).to_contain_text("无权查看")
    db.engine.dispose()
    context.close()
