"""/overdue in Chromium: one row per overdue unit of `dashboard stats`, links to the unit pages."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
from playwright.sync_api import Page, expect

from dashboard.ids import Overdue as Ids
from data.db import Database
from data.figures import Filters
from data.overdue import overdue_data
from layouts.overdue import LIST_LIMIT, UNITS_LIMIT
from tests.e2e.conftest import LiveServer, Watch, cli_stats

# Dash renders a page of several hundred table cells in a few seconds on a busy machine.
RENDER_TIMEOUT = 20_000


def test_overdue_units_match_cli_stats(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    figures = cli_stats(live_server.db_url, year, as_of)
    assert figures["overdue_units"] and figures["overdue_problems"] > LIST_LIMIT

    # the ranking's head, then (asked for) all of it, in the CLI's order
    assert len(figures["overdue_units"]) > UNITS_LIMIT
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    rows = page.locator(f"#{Ids.UNITS} tr.{Ids.UNIT_ROW}")
    expect(rows).to_have_count(UNITS_LIMIT, timeout=RENDER_TIMEOUT)
    assert rows.locator("a.unit-link").all_inner_texts() == figures["overdue_units"][:UNITS_LIMIT]
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}&units=all")
    expect(rows).to_have_count(len(figures["overdue_units"]), timeout=RENDER_TIMEOUT)
    assert rows.locator("a.unit-link").all_inner_texts() == figures["overdue_units"]
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    expect(page.locator(f"#{Ids.SUMMARY}")).to_contain_text(
        f"逾期问题 {figures['overdue_problems']} 件"
    )

    # the long problem list is cut, and the link shows all of it
    problems = page.locator(f"#{Ids.PROBLEMS} tbody tr")
    expect(problems).to_have_count(LIST_LIMIT)
    show_all = page.locator(f"#{Ids.SHOW_ALL}-problems")
    expect(show_all).to_have_text(f"显示全部 {figures['overdue_problems']} 条")
    show_all.click()
    expect(page).to_have_url(
        f"{live_server.url}/overdue?campaign={year}&as_of={as_of}&problems=all"
    )
    expect(problems).to_have_count(figures["overdue_problems"], timeout=RENDER_TIMEOUT)
    assert watch.outside == []
    assert watch.console_errors == []


def test_focus_candidates_link_to_a_focus_visit(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, _watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    link = page.locator(f"#{Ids.FOCUS} a.focus-log").first
    expect(link).to_have_text("记录督导", timeout=RENDER_TIMEOUT)
    href = link.get_attribute("href") or ""
    assert re.fullmatch(rf"/supervision\?campaign={year}&as_of={as_of}&unit=\d+&kind=focus", href)


def test_clicking_a_unit_opens_its_page(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
    link = page.locator(f"#{Ids.UNITS} tr.{Ids.UNIT_ROW} a.unit-link").first
    expect(link).to_be_visible(timeout=RENDER_TIMEOUT)
    href = link.get_attribute("href") or ""
    assert re.fullmatch(rf"/units/\d+\?campaign={year}&as_of={as_of}", href)
    link.click()
    expect(page).to_have_url(f"{live_server.url}{href}")
    expect(page.locator(".navbar")).to_be_visible()
    assert watch.outside == []


def test_the_download_keeps_the_pages_filters(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, "2026-10-15"
    with Database.from_url(live_server.db_url).read() as session:
        data = overdue_data(
            session, year, dt.date.fromisoformat(as_of), Filters(kinds=("judicial_office",))
        )
    assert data.units  # the demo county has overdue offices on that day
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}&kind=judicial_office")

    link = page.locator("#overdue-download-overdue")
    expect(link).to_have_attribute(
        "href", re.compile(r"kind=judicial_office"), timeout=RENDER_TIMEOUT
    )
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
