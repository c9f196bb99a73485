"""Issue #19, phone layouts: every form, list and dialog a role uses, opened in Chromium on a
390×844 phone (mobile, touch), has no horizontal page scroll and nothing cut off at the edge.

A mobile browser zooms a page that is too wide out until it fits, and then reports the wider
width as `window.innerWidth`, so the page is measured against the phone's own 390 px.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dashboard.ids import Complaints as Ids
from data.complaints import Grid
from data.db import Database
from data.models import Problem, SupervisionVisit, User
from tests.e2e.conftest import DEMO_PASSWORD, LiveServer
from tests.e2e.test_11_complaints import demo_grid

PHONE = {"width": 390, "height": 844}
TIMEOUT = 60_000  # a page that reads the whole county may take long on a loaded machine
FILLED = re.compile(r"\S")  # a part of the page a callback has filled has some text

# The page's width, and what sticks out past the screen's right edge without being inside a box
# that scrolls sideways (in the page itself, or cut off inside a dialog).
MEASURE = """width => {
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className
           ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
    const scrolls = el => {
        for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
            const overflow = getComputedStyle(box).overflowX;
            if (overflow === 'auto' || overflow === 'scroll') return true;
        }
        return false;
    };
    const wide = new Set(), out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.height > 0 && box.right > width + 1 && !scrolls(el)) {
            wide.add(el);  // named only when its parent is not too wide already
            if (!wide.has(el.parentElement)) out.push(`${name(el)} to ${Math.round(box.right)} px`);
        }
    }
    return {page: document.documentElement.scrollWidth, inner: window.innerWidth,
            out: out.slice(0, 4), more: Math.max(0, out.length - 4)};
}"""


@dataclass(frozen=True)
class Step:
    """One thing a role opens: an address and the part of it that has text once it is filled;
    then, maybe, a button that opens a dialog or a row of the form, and what that shows."""

    name: str
    path: str
    ready: str
    opener: str | Callable[[Page], None] | None = None  # a button, or what a user does
    opened: str | None = None


@dataclass(frozen=True)
class Demo:
    """Records of the demo county the steps open."""

    unit: int  # unit01's unit
    visit: int  # a visit to it
    channels: Grid  # the 问题来源 × 月份 heatmap's cells


def demo_records(server: LiveServer) -> Demo:
    """unit01's unit (it has problems not yet closed in the demo county), a visit to it and the
    first heatmap's cells."""
    db = Database.from_url(server.db_url)
    try:
        with db.read() as s:
            unit = s.query(User.unit_id).filter(User.username == "unit01").scalar()
            visit = s.query(SupervisionVisit.id).filter(SupervisionVisit.unit_id == unit).first()
            open_problem = s.query(Problem.id).filter(  # one its staff may still report on
                Problem.unit_id == unit, Problem.status.in_(("pending", "in_progress", "done"))
            )
            assert visit is not None and open_problem.first() is not None
    finally:
        db.engine.dispose()
    return Demo(unit=unit, visit=visit[0], channels=demo_grid(server, "channel_month"))


def shared(demo: Demo) -> list[Step]:
    """What every signed-in role opens: the overview, the navbar opened, the lists."""
    return [
        Step("总览", "/", "#overview-content"),
        Step("导航菜单", "/", "#overview-content", "#shell-toggler", "#shell-collapse.show"),
        Step("工作进度", "/progress", "#progress-content"),
        Step("整改情况", "/rectification", "#rect-content"),
        Step("逾期", "/overdue", "#overdue-content"),
        Step("评议结果", "/evaluation", "#eval-content"),
        Step("单位页", f"/units/{demo.unit}", "#unit-content"),
        Step(
            "问题详情对话框",
            f"/units/{demo.unit}",
            "#unit-content",
            "#unit-problem-grid .ag-row [col-id='detail'] button",
            "#unit-detail-modal .modal-body",
        ),
        Step("修改密码", "/account", "form"),
    ]


def supervisor(demo: Demo) -> list[Step]:
    """The 督导员's forms and lists."""
    return [
        Step("督导检查", "/supervision", "#sup-content"),
        Step(
            "督导检查表（选定单位、添加整改事项）",
            f"/supervision?unit={demo.unit}",
            "#sup-ratings",
            "#sup-follow-up-add",
            "textarea[id*='sup-fu-desc']",
        ),
        Step("督导记录详情", f"/supervision?visit={demo.visit}", "#sup-detail"),
        Step(
            "明察暗访（添加整改事项）",
            "/inspections",
            "#insp-content",
            "#insp-follow-up-add",
            "textarea[id*='insp-fu-desc']",
        ),
        Step("大会问题", "/present/questions", "#pq-content"),
        Step("投诉分析", "/complaints", "#complaints-content .js-plotly-plot"),
        Step(
            "投诉分析格子里的问题",
            "/complaints",
            "#complaints-content .js-plotly-plot",
            lambda page: tap_first_cell(page, demo.channels),
            f"#{Ids.PROBLEMS} .ag-row",  # the grid of the cell's problems
        ),
        Step(
            "整改填报对话框",
            f"/units/{demo.unit}",
            "#unit-content",
            "#unit-problem-grid .ag-row [col-id='rect'] button",
            "#unit-rect-modal .modal-body",
        ),
    ]


def unit_staff(demo: Demo) -> list[Step]:
    """A 司法所's staff: their own unit's dialogs."""
    return [
        Step(
            "整改填报对话框",
            f"/units/{demo.unit}",
            "#unit-content",
            "#unit-problem-grid .ag-row [col-id='rect'] button",
            "#unit-rect-modal .modal-body",
        ),
        Step(
            "阶段任务对话框",
            f"/units/{demo.unit}",
            "#unit-content",
            "button[id*='unit-task-open']",
            "#unit-task-modal .modal-body",
        ),
        Step("督导检查", "/supervision", "#sup-content"),
    ]


def admin(demo: Demo) -> list[Step]:
    """The 纠风办's forms."""
    return [
        Step("数据导入", "/import", "#import-content"),
        Step("系统管理", "/admin", "#admin-index-content"),
        Step("评议年度设置", "/admin/campaign", "#admin-content"),
        Step("评议单位", "/admin/units", "#adm-units-content"),
        Step("用户管理", "/admin/users", "#admin-users-content"),
        Step("督导检查表", f"/supervision?unit={demo.unit}", "#sup-ratings"),
        Step("明察暗访", "/inspections", "#insp-content"),
    ]


def leader(demo: Demo) -> list[Step]:
    """The 局领导's lists."""
    return [
        Step("投诉分析", "/complaints", "#complaints-content .js-plotly-plot"),
        Step("大会问题", "/present/questions", "#pq-content"),
    ]


ROLES: dict[str, Callable[[Demo], list[Step]]] = {
    "duban": supervisor,
    "unit01": unit_staff,
    "admin": admin,
    "leader": leader,
}


def tap_first_cell(page: Page, grid: Grid) -> None:
    """Tap the first row's first cell with problems in the 问题来源 × 月份 heatmap."""
    column = next(i for i, c in enumerate(grid.columns) if grid.count(grid.rows[0], c))
    box = page.locator(f"#{Ids.CHANNEL_MONTH} .nsewdrag").first.bounding_box()
    assert box is not None
    x = box["x"] + box["width"] * (column + 0.5) / len(grid.columns)
    page.touchscreen.tap(x, box["y"] + box["height"] * 0.5 / len(grid.rows))


def phone(browser: Browser) -> BrowserContext:
    """A phone-sized, touch, mobile browser context."""
    return browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)


def settle(page: Page) -> None:
    """Wait until no callback is running (Dash marks what it is updating)."""
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-dash-is-loading='true']")).to_have_count(0, timeout=TIMEOUT)


def overflow(page: Page, server: LiveServer, step: Step) -> str | None:
    """Open a step; what is too wide (or did not open), in words, or None."""
    page.goto(f"{server.url}{step.path}")
    expect(page.locator(step.ready).first).to_contain_text(FILLED, timeout=TIMEOUT)
    settle(page)
    if isinstance(step.opener, str):
        page.locator(step.opener).first.click()
    elif step.opener is not None:
        step.opener(page)
    if step.opened:
        try:
            expect(page.locator(step.opened).first).to_be_visible(timeout=TIMEOUT)
        except AssertionError:  # e.g. a menu button that opens nothing: a finding, as a width is
            return f"{step.name} ({step.path}): {step.opened} did not appear on a phone"
        settle(page)
    seen = page.evaluate(MEASURE, PHONE["width"])
    if seen["page"] <= PHONE["width"] and not seen["out"]:
        return None
    more = f" and {seen['more']} more" if seen["more"] else ""
    return (
        f"{step.name} ({step.path}): page {seen['page']} px wide on a {PHONE['width']} px "
        f"screen (innerWidth {seen['inner']}); past the edge: {'; '.join(seen['out'])}{more}"
    )


def walk(browser: Browser, server: LiveServer, username: str | None, steps: list[Step]) -> None:
    """Open every step as `username` (None: signed out) and fail naming each page too wide
    or each dialog that did not open."""
    context = phone(browser)
    page = context.new_page()
    if username:
        response = page.request.post(
            f"{server.url}/login",
            form={"username": username, "password": DEMO_PASSWORD},
            max_redirects=0,
        )
        assert response.status == 302
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        wide = [found for step in steps if (found := overflow(page, server, step))]
    finally:
        context.close()
    assert not wide, f"{username}: " + "\n".join(wide)
    assert errors == []


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_of_a_role_fits_a_phone(
    browser: Browser, live_server: LiveServer, username: str
) -> None:
    demo = demo_records(live_server)
    walk(browser, live_server, username, ROLES[username](demo) + shared(demo))


def test_the_sign_in_page_fits_a_phone(browser: Browser, live_server: LiveServer) -> None:
    walk(browser, live_server, None, [Step("登录", "/login", "form")])
