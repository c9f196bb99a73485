"""A supervisor logs a 重点督查 visit on a phone from the focus list; errors keep what was typed."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from data.db import Database
from data.supervision import count_visits, list_visits
from tests.e2e.conftest import LiveServer, Watch, sign_in
from tests.e2e.grids import grid_count, grid_data

PHONE = {"width": 390, "height": 844}
GRID = "sup-grid"  # every visit (layouts/grid.py)


def _desk_page(browser: Browser, server: LiveServer, user: str) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, server, user)
    return page


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
    page.locator("#overdue-focus").scroll_into_view_if_needed(timeout=20_000)  # a grid below
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


def _visits(server: LiveServer) -> tuple[int, list[int]]:
    """How many visits the demo campaign has (data/ counts them) and their ids, newest first."""
    db = Database.from_url(server.db_url)
    with db.read() as s:
        year = server.today.year
        total = count_visits(s, year)
        ids = [v.id for v in list_visits(s, year, server.today, limit=None)]
    db.engine.dispose()
    return total, ids


def test_leaders_see_every_visit_but_no_form(
    watched_page: tuple[Page, Watch], live_server: LiveServer
) -> None:
    page, watch = watched_page
    page.goto(f"{live_server.url}/supervision")
    expect(page.locator("text=督导记录由督导员录入")).to_be_visible(timeout=20_000)
    expect(page.locator("#sup-save")).to_have_count(0)
    total, ids = _visits(live_server)
    # every visit is held by the grid (not only the rows drawn), newest first
    assert grid_count(page, GRID) == total == len(ids) and total > 15
    assert [row["id"] for row in grid_data(page, GRID)] == ids
    expect(page.locator("#sup-content .grid-count")).to_contain_text(f"共 {total} 行")
    expect(page.get_by_role("tab", name=f"督导记录（{total}）")).to_be_visible()

    # 详情 opens the visit in the page (a leader reads it: no 修改)
    page.locator(f"#{GRID} .ag-center-cols-container [col-id=detail] a").first.click()
    expect(page).to_have_url(re.compile(rf"/supervision\?.*visit={ids[0]}"))
    expect(page.locator("#sup-detail")).to_be_visible(timeout=20_000)
    expect(page.locator("#sup-detail").get_by_text("修改", exact=True)).to_have_count(0)

    # the unit's name opens its page
    unit = page.locator(f"#{GRID} .ag-center-cols-container [col-id=unit] a").first
    name = unit.inner_text()
    unit.click()
    expect(page).to_have_url(re.compile(r"/units/\d+"))
    expect(page.locator(".page-title")).to_contain_text(name, timeout=20_000)
    assert watch.outside == [] and watch.console_errors == []


def test_a_supervisor_opens_a_visit_from_the_list_to_edit_it(
    browser: Browser, live_server: LiveServer
) -> None:
    page = _desk_page(browser, live_server, "duban")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/supervision")
    _total, ids = _visits(live_server)
    assert grid_data(page, GRID)[0]["id"] == ids[0]
    page.locator(f"#{GRID} .ag-center-cols-container [col-id=detail] a").first.click()
    detail = page.locator("#sup-detail")
    expect(detail).to_be_visible(timeout=20_000)
    detail.get_by_text("修改", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/supervision\?(?=.*\bvisit={ids[0]}\b)(?=.*\bedit=1)"))
    expect(page.locator("#sup-form-title")).to_have_text("修改督导记录", timeout=20_000)
    expect(page.locator("#sup-unit")).not_to_contain_text("选择单位")
    assert errors == []
    page.context.close()
