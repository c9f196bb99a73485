"""明查暗访: a supervisor logs inspections (findings become problems); unit staff never see a
covert inspection's schedule or its representatives."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Browser, Page, expect

from data.db import Database
from data.figures import Filters
from data.inspections import inspection_counts
from data.models import Inspection, Problem, Representative, Unit, User
from tests.e2e.conftest import LiveServer, sign_in
from tests.e2e.dropdowns import choose
from tests.e2e.grids import grid_count, grid_data

GRID = "insp-grid"  # every inspection the viewer may see (layouts/grid.py)


def _page(browser: Browser, server: LiveServer, user: str) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, server, user)
    return page


def _total(server: LiveServer, unit_id: int | None = None) -> int:
    """How many inspections data/ counts for a viewer: everyone's (a supervisor), or one unit's
    without the covert ones still ahead (its staff)."""
    db = Database.from_url(server.db_url)
    filters = Filters(unit_ids=(unit_id,)) if unit_id else Filters()
    with db.read() as s:
        counts = inspection_counts(
            s, server.today.year, server.today, filters, hide_covert=unit_id is not None
        )
    db.engine.dispose()
    return counts.total


def _holds(page: Page, n: int) -> None:
    """Until the grid holds n rows (it is drawn again after a save)."""
    page.wait_for_function(
        "([id, n]) => { try { return dash_ag_grid.getApi(id).getDisplayedRowCount() === n; }"
        " catch (e) { return false; } }",
        arg=[GRID, n],
        timeout=20_000,
    )


def _pick(page: Page, dropdown_id: str, option: str) -> None:
    """Choose an option of a dcc.Dropdown (and close its list)."""
    choose(page, page.locator(f"#{dropdown_id}"), option)
    page.keyboard.press("Escape")


def test_covert_inspection_logged_and_hidden_from_the_unit(
    browser: Browser, live_server: LiveServer
) -> None:
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        unit_id = s.query(User.unit_id).filter(User.username == "unit01").scalar()
        unit_name = s.get(Unit, unit_id).name
        rep = s.query(Representative).filter(Representative.active.is_(True)).first()
        rep_label = f"{rep.name}（{rep.sector}）"
        before = s.query(Problem).filter(Problem.channel == "inspection").count()
    listed = _total(live_server)
    year = live_server.today.year
    done_on = live_server.today - dt.timedelta(days=2)
    planned_on = live_server.today + dt.timedelta(days=15)
    errors: list[str] = []

    page = _page(browser, live_server, "duban")
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/inspections?campaign={year}")
    expect(page.locator("#insp-counts")).to_contain_text(f"共 {listed} 次", timeout=20_000)
    assert grid_count(page, GRID) == listed  # every inspection, not the first 60
    _pick(page, "insp-units", unit_name)
    page.locator("#insp-date").fill(done_on.isoformat())
    page.locator("#insp-mode").get_by_text("暗访").click()
    _pick(page, "insp-reps", rep_label)
    page.locator("#insp-findings").fill("暗访窗口服务：收费标准未公示")
    page.locator("#insp-follow-up-add").click()
    page.locator("textarea[id*='insp-fu-desc']").fill("窗口未公示收费标准")
    rows = page.locator("#insp-follow-ups")
    criterion = rows.locator("[id*='-fu-criterion']").first
    choose(page, criterion, "信息公开", opener=rows.get_by_text("评议内容"))
    # A deadline before the inspection is refused at the row, and nothing is lost.
    page.locator("input[id*='insp-fu-deadline']").fill((done_on - dt.timedelta(days=1)).isoformat())
    page.locator("input[id*='insp-fu-owner']").fill("张所长")
    page.locator("#insp-save").click()
    expect(page.locator("#insp-errors")).to_contain_text("整改时限不能早于检查日期", timeout=20_000)
    expect(page.locator("div[id*='insp-fu-feedback']")).to_contain_text("整改时限")
    expect(page.locator("#insp-findings")).to_have_value("暗访窗口服务：收费标准未公示")
    page.locator("input[id*='insp-fu-deadline']").fill(f"{year}-12-20")
    page.locator("#insp-save").click()
    expect(page.locator("#insp-saved")).to_contain_text("生成整改问题 1 件", timeout=20_000)
    # the list is drawn again with the new inspection (the counts and the grid come together)
    expect(page.locator("#insp-counts")).to_contain_text(f"共 {listed + 1} 次", timeout=20_000)
    _holds(page, listed + 1)
    done = next(r for r in grid_data(page, GRID) if r["findings"] == "暗访窗口服务：收费标准未公示")
    assert rep.name in done["representatives"] and done["unit"] == unit_name

    # A covert inspection planned ahead: the schedule.
    _pick(page, "insp-units", unit_name)
    page.locator("#insp-date").fill(planned_on.isoformat())
    page.locator("#insp-mode").get_by_text("暗访").click()
    _pick(page, "insp-reps", rep_label)
    page.locator("#insp-findings").fill("计划暗访：窗口作风")
    page.locator("#insp-save").click()
    expect(page.locator("#insp-counts")).to_contain_text(f"共 {listed + 2} 次", timeout=20_000)
    expect(page.locator("#insp-counts")).to_contain_text("计划中 1 次")
    _holds(page, listed + 2)
    rows = grid_data(page, GRID)
    assert len(rows) == listed + 2
    assert rows[0]["findings"] == "计划暗访：窗口作风" and rows[0]["mode"] == "暗访（计划）"
    page.context.close()

    with db.read() as s:
        mine = s.query(Inspection).filter(Inspection.unit_id == unit_id).all()
        assert {i.inspected_on for i in mine} >= {done_on, planned_on}
        problem = (
            s.query(Problem)
            .filter(Problem.channel == "inspection", Problem.unit_id == unit_id)
            .order_by(Problem.id.desc())
            .first()
        )
        assert problem.description == "窗口未公示收费标准" and problem.owner == "张所长"
        assert s.query(Problem).filter(Problem.channel == "inspection").count() == before + 1

    unit_page = _page(browser, live_server, "unit01")
    unit_page.on("pageerror", lambda exc: errors.append(str(exc)))
    unit_page.goto(f"{live_server.url}/inspections?campaign={year}")
    expect(unit_page.locator("#insp-counts")).to_be_visible(timeout=20_000)
    # the rows sent to unit staff: their unit's, without the planned covert one or any team
    rows = grid_data(unit_page, GRID)
    assert len(rows) == _total(live_server, unit_id)
    assert {r["unit"] for r in rows} == {unit_name}
    done = next(r for r in rows if r["findings"] == "暗访窗口服务：收费标准未公示")
    assert done["representatives"] == "不公开"
    assert all(r["findings"] != "计划暗访：窗口作风" for r in rows)
    assert rep.name not in str(rows)
    expect(unit_page.locator("#insp-save")).to_have_count(0)
    unit_page.context.close()
    db.engine.dispose()
    assert errors == []
