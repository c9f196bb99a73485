"""A supervisor logs a 重点督查 visit on a phone from the focus list; errors keep what was typed."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveServer, sign_in

PHONE = {"width": 390, "height": 844}


def _phone_page(browser: Browser, server: LiveServer, user: str) -> Page:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, server, user)
    return page


def test_focus_visit_on_a_phone(browser: Browser, live_server: LiveServer) -> None:
    page = _phone_page(browser, live_server, "duban")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    year, as_of = live_server.today.year, live_server.today.isoformat()
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    focus_link = page.locator("a[href*='/supervision'][href*='kind=focus']").first
    expect(focus_link).to_be_visible(timeout=20_000)
    focus_link.click()
    expect(page).to_have_url(re.compile(r"/supervision\?.*unit=\d+"))
    expect(page.locator("#sup-kind input[value='focus']")).to_be_checked(timeout=15_000)
    expect(page.locator("text=该单位待整改问题")).to_be_visible()

    # A refused save names the field and keeps what was typed.
    page.locator("#sup-findings").fill("窗口未公示收费标准")
    page.locator("#sup-supervisors").fill("")
    page.locator("#sup-save").click()
    expect(page.locator("#sup-errors")).to_contain_text("督导人员：必填")
    expect(page.locator("#sup-findings")).to_have_value("窗口未公示收费标准")

    page.locator("#sup-supervisors").fill("王督导")
    page.locator("#sup-rating-row, .rating-row").first.locator("input").first.check()
    page.locator("#sup-follow-up-add").click()
    page.locator("textarea[id*='sup-fu-desc']").fill("三日内补齐收费标准公示")
    page.locator("#sup-follow-ups").get_by_text("评议内容").click()
    page.get_by_role("option", name="信息公开").click()
    page.locator("input[id*='sup-fu-deadline']").fill(f"{year}-12-20")
    page.locator("#sup-save").click()
    expect(page.locator("#sup-saved")).to_be_visible(timeout=15_000)
    expect(page.locator("#sup-detail")).to_contain_text("三日内补齐收费标准公示")
    expect(page.locator("#sup-detail")).to_contain_text("重点督查")
    expect(page.locator("#sup-history")).to_contain_text("duban")
    expect(page.locator("#sup-history")).to_contain_text("新建")
    assert errors == []
    page.context.close()


def test_leaders_see_visits_but_no_form(
    watched_page: tuple[Page, object], live_server: LiveServer
) -> None:
    page, _watch = watched_page
    page.goto(f"{live_server.url}/supervision")
    expect(page.locator("text=督导记录由督导员录入")).to_be_visible()
    expect(page.locator("#sup-save")).to_have_count(0)
