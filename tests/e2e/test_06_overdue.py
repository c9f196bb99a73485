"""/overdue in Chromium: every overdue unit, problem, task and focus candidate in its grid, the
units in the order of `dashboard stats`, links to the unit pages and to the focus-visit form."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
from playwright.sync_api import Page, expect

from dashboard.ids import Overdue as Ids
from dashboard.state import ViewState
from data.db import Database
from data.figures import Filters
from data.overdue import OverdueData, overdue_data
from layouts.overdue import supervision_href
from tests.e2e.conftest import LiveServer, Watch, cli_stats, sign_in
from tests.e2e.grids import grid_count, grid_data, grid_texts

TIMEOUT = 20_000


def _data(server: LiveServer, as_of: dt.date, filters: Filters = Filters()) -> OverdueData:
    """What the page lists, read from data/ as the page reads it."""
    db = Database.from_url(server.db_url)
    try:
        with db.read() as session:
            return overdue_data(session, as_of.year, as_of, filters)
    finally:
        db.engine.dispose()


def _scroll_to(page: Page, grid_id: str) -> None:
    """Bring a grid into view: AG Grid keeps the cells of a grid far below the fold hidden
    (its column sizing waits for the grid to be seen), and tests/e2e/grids.py waits for them."""
    page.locator(f"#{grid_id}").scroll_into_view_if_needed(timeout=TIMEOUT)


def test_the_grids_hold_every_overdue_row(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    figures = cli_stats(live_server.db_url, year, as_of)
    data = _data(live_server, live_server.today)
    assert len(data.problems) == figures["overdue_problems"] > 15  # more than one screen
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    expect(page.locator(f"#{Ids.SUMMARY}")).to_contain_text(
        f"逾期问题 {figures['overdue_problems']} 件", timeout=TIMEOUT
    )

    # every overdue unit, in the CLI's order
    assert grid_texts(page, Ids.UNITS, "unit") == figures["overdue_units"]
    assert grid_texts(page, Ids.UNITS, "rank") == [str(n) for n in range(1, len(data.units) + 1)]
    # every overdue problem and task, longest overdue first, as data/ lists them
    assert grid_count(page, Ids.PROBLEMS) == len(data.problems)
    assert [row["id"] for row in grid_data(page, Ids.PROBLEMS)] == [
        p.problem_id for p in data.problems
    ]
    assert [row["id"] for row in grid_data(page, Ids.TASKS)] == [t.task_id for t in data.tasks]
    _scroll_to(page, Ids.FOCUS)
    assert grid_texts(page, Ids.FOCUS, "unit") == [c.unit for c in data.focus]
    expect(page.locator(f"#{Ids.PROBLEMS}").locator("xpath=..")).to_contain_text(
        f"共 {len(data.problems)} 行"
    )
    # nothing is cut any more: no "show all" link
    expect(page.get_by_text("显示全部")).to_have_count(0)
    assert watch.outside == []
    assert watch.console_errors == []


def test_days_overdue_sort_as_numbers(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    days = [p.days_overdue for p in _data(live_server, live_server.today).problems]
    # as text, "128" < "14" < "9": the demo's days must have numbers of different lengths
    assert sorted(days) != sorted(days, key=str)
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    assert grid_texts(page, Ids.PROBLEMS, "days") == [f"{n:,}" for n in days]
    header = page.locator(f"#{Ids.PROBLEMS}").get_by_role("columnheader", name="逾期（天）")
    header.click()
    shown = [int(t.replace(",", "")) for t in grid_texts(page, Ids.PROBLEMS, "days")]
    assert shown == sorted(days)
    header.click()
    shown = [int(t.replace(",", "")) for t in grid_texts(page, Ids.PROBLEMS, "days")]
    assert shown == sorted(days, reverse=True)
    assert watch.console_errors == []


def test_clicking_a_unit_opens_its_page(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    data = _data(live_server, live_server.today)
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    link = page.locator(f"#{Ids.UNITS} .ag-center-cols-container [col-id=unit] a").first
    expect(link).to_have_text(data.units[0].unit, timeout=TIMEOUT)
    href = link.get_attribute("href") or ""
    assert href == f"/units/{data.units[0].unit_id}?campaign={year}&as_of={as_of}"
    link.click()
    expect(page).to_have_url(f"{live_server.url}{href}")
    expect(page.locator(".page-title")).to_contain_text(data.units[0].unit, timeout=TIMEOUT)
    assert watch.outside == []
    assert watch.console_errors == []


def test_a_focus_row_opens_the_focus_visit_form(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    sign_in(page, live_server, "duban")  # a 督导员: the one who logs the visit
    year, today = live_server.today.year, live_server.today
    as_of = today.isoformat()
    data = _data(live_server, today)
    assert data.focus
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    # every candidate's row links to the form for its unit, in this campaign and date
    state = ViewState(campaign=year, as_of=today)
    _scroll_to(page, Ids.FOCUS)
    assert [(row["unit"], row["log_href"]) for row in grid_data(page, Ids.FOCUS)] == [
        (c.unit, supervision_href(c.unit_id, state)) for c in data.focus
    ]
    link = page.locator(f"#{Ids.FOCUS} .ag-center-cols-container [col-id=log] a").first
    expect(link).to_have_text("记录督导", timeout=TIMEOUT)
    href = link.get_attribute("href") or ""
    assert re.fullmatch(rf"/supervision\?campaign={year}&as_of={as_of}&unit=\d+&kind=focus", href)
    link.click()
    expect(page).to_have_url(f"{live_server.url}{href}")
    expect(page.locator("#sup-kind input[value='focus']")).to_be_checked(timeout=TIMEOUT)
    assert watch.outside == []
    assert watch.console_errors == []


def test_the_download_keeps_the_pages_filters(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, "2026-10-15"
    data = _data(live_server, dt.date.fromisoformat(as_of), Filters(kinds=("judicial_office",)))
    assert data.units  # the demo county has overdue offices on that day
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}&kind=judicial_office")
    # the page lists the same units as the download
    assert grid_texts(page, Ids.UNITS, "unit") == [u.unit for u in data.units]

    link = page.locator("#overdue-download-overdue")
    expect(link).to_have_attribute("href", re.compile(r"kind=judicial_office"), timeout=TIMEOUT)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"逾期单位清单_{year}_截至{as_of}.xlsx"
    with open(download.path(), "rb") as file:  # saved without the .xlsx openpyxl looks for
        sheet = openpyxl.load_workbook(file)["逾期单位"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    assert names == [u.unit for u in data.units]  # the page's units, in the page's order
    assert all(name.endswith("司法所") for name in names)
    assert watch.console_errors == []
