"""A unit page in Chromium: reached from a link, every section, figures equal to its
`dashboard stats` entry, every problem in its grid, complainants never leave the server
unmasked; the problems' dialogs open from the grid's buttons."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, Locator, Page, Response, expect
from sqlalchemy import func, select

from dashboard.ids import UnitPage as Ids
from dashboard.text import fmt_int, fmt_rate
from data.db import Database
from data.figures import campaign_figures
from data.models import Campaign, MeetingQuestion, Problem, SupervisionVisit
from data.reference import GROUP_NAMES
from data.unit_detail import unit_detail
from tests.e2e.conftest import LiveServer, Watch, cli_stats, sign_in
from tests.e2e.grids import grid_count, grid_data, wait_for_grid

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

# Bring a row into the grid's view: the grid draws only the rows in view.
_SHOW_ROW = """async ([id, row]) => {
  const api = await dash_ag_grid.getApiAsync(id);
  const node = api.getRowNode(row);
  if (node) { api.ensureNodeVisible(node, "middle"); }
}"""


def show_row(page: Page, grid_id: str, row_id: int) -> Locator:
    """A grid's row (by its row id), scrolled into the grid's view."""
    wait_for_grid(page, grid_id)
    page.evaluate(_SHOW_ROW, [grid_id, str(row_id)])
    return page.locator(f"#{grid_id} .ag-row[row-id='{row_id}']")


def problem_button(
    page: Page, problem_id: int, column: str, grid_id: str = Ids.PROBLEM_GRID
) -> Locator:
    """The `column` button (rect 填报, detail 详情, void 作废) of a problem's row in a grid of
    the unit page, its row scrolled into view."""
    return show_row(page, grid_id, problem_id).locator(f"[col-id='{column}'] button")


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


def _records(live_server: LiveServer, unit_id: int) -> tuple[set[int], set[str], int]:
    """The unit's problems found by the date (ids), its complainants' names and phones as
    stored, and how many meeting questions it has by the date (data/)."""
    db = Database.from_url(live_server.db_url)
    year, as_of = live_server.today.year, live_server.today
    with db.read() as s:
        campaign_id = s.scalar(select(Campaign.id).where(Campaign.year == year))
        rows = s.execute(
            select(Problem.id, Problem.complainant_name, Problem.complainant_phone).where(
                Problem.campaign_id == campaign_id,
                Problem.unit_id == unit_id,
                Problem.voided_at.is_(None),
                Problem.found_on <= as_of,
            )
        ).all()
        detail = unit_detail(s, year, unit_id, as_of)
    db.engine.dispose()
    assert detail is not None
    raw = {value for row in rows for value in row[1:] if value}
    return {row.id for row in rows}, raw, len(detail.questions)


def test_unit_page_from_a_link_shows_everything_and_matches_stats(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    unit_id, name, group, visits = _rich_unit(live_server)
    problem_ids, complainants, questions = _records(live_server, unit_id)
    stats = cli_stats(live_server.db_url, year, as_of)
    entry = next(u for u in stats["by_unit"] if u["unit"] == name)
    bodies: list[str] = []

    def keep(response: Response) -> None:
        if "_dash-update-component" in response.url:
            bodies.append(response.text())

    page.on("response", keep)
    page.goto(f"{live_server.url}/evaluation?campaign={year}&as_of={as_of}")
    ranked = show_row(page, f"eval-grid-{group}", unit_id)
    ranked.get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(
        f"{live_server.url}/units/{unit_id}?campaign={year}&as_of={as_of}", timeout=20_000
    )
    expect(page.locator("#unit-name")).to_have_text(name, timeout=20_000)
    for section in SECTIONS:
        expect(page.locator(f"#{section}")).to_be_visible(timeout=20_000)
    expect(page.locator("#unit-problems")).to_have_text(fmt_int(entry["problems"]), timeout=20_000)
    expect(page.locator("#unit-rectification-rate")).to_have_text(
        fmt_rate(entry["rectification_rate"])
    )
    expect(page.locator("#unit-complaints")).to_have_text(
        fmt_int(entry["complaints"]), timeout=20_000
    )
    # Every problem of the unit is in the grid (not the newest hundred), as data/ counts them.
    assert grid_count(page, Ids.PROBLEM_GRID) == entry["problems"] == len(problem_ids)
    rows = grid_data(page, Ids.PROBLEM_GRID)
    assert {row["id"] for row in rows} == problem_ids
    for phase, rate in entry["phase_progress"].items():
        expect(page.locator(f"#unit-tasks-{phase}")).to_contain_text(fmt_rate(rate), timeout=20_000)
    # The rows the browser holds carry complainants masked, never as stored.
    assert complainants and any("****" in row["complainant"] for row in rows)
    held = json.dumps(rows, ensure_ascii=False)
    assert not any(value in held for value in complainants)
    expect(page.locator("#unit-visits .unit-visit")).to_have_count(visits, timeout=20_000)
    expect(page.locator("#unit-visits .unit-rating").first).to_contain_text(
        re.compile("符合"), timeout=20_000
    )
    assert questions and grid_count(page, Ids.QUESTION_GRID) == questions
    expect(page.locator("#unit-archive-summary")).to_contain_text("已归档", timeout=20_000)
    expect(page.locator("#unit-rank")).to_contain_text(GROUP_NAMES[group], timeout=20_000)
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
        expect(page.locator(".empty-state")).to_contain_text("单位不存在", timeout=20_000)
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
    expect(link).to_have_text("记录督导检查", timeout=20_000)
    link.click()
    expect(page).to_have_url(
        f"{live_server.url}/supervision?campaign={year}&as_of={as_of}&unit=1", timeout=20_000
    )
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
    problem_button(page, duplicate, "void").click()
    expect(page.locator("#unit-void-modal")).to_be_visible(timeout=20_000)
    page.locator("#unit-void-save").click()
    expect(page.locator("#unit-void-errors")).to_contain_text("请填写作废原因", timeout=20_000)
    page.locator("#unit-void-reason").fill("与另一条问题重复登记")
    page.locator("#unit-void-save").click()
    expect(page.locator("#unit-void-modal")).to_be_hidden(timeout=20_000)
    expect(count).to_have_text(fmt_int(before - 1), timeout=20_000)
    expect(page.locator(f"#{Ids.PROBLEM_GRID} .ag-row[row-id='{duplicate}']")).to_have_count(
        0, timeout=20_000
    )
    assert duplicate not in {row["id"] for row in grid_data(page, Ids.PROBLEM_GRID)}
    # The voided problem is listed apart, and its 详情 opens its record there.
    page.locator(f"#{Ids.VOIDED} summary").click()
    voided = {row["id"]: row["reason"] for row in grid_data(page, Ids.VOIDED_GRID)}
    assert voided[duplicate] == "与另一条问题重复登记"
    problem_button(page, duplicate, "detail", Ids.VOIDED_GRID).click()
    expect(page.locator("#unit-detail-body")).to_contain_text(
        "与另一条问题重复登记", timeout=20_000
    )
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
    opener = problem_button(page, complained, "detail")
    expect(opener).to_be_visible(timeout=20_000)
    opener.click()
    detail = page.locator("#unit-detail-body")
    expect(detail).to_contain_text("修改历史", timeout=20_000)
    expect(page.locator("#unit-detail-complainant")).to_contain_text("*", timeout=20_000)
    expect(page.locator("#unit-detail-complainant")).not_to_contain_text(name, timeout=20_000)
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
