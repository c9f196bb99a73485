"""The overview in Chromium shows what `dashboard stats` prints, and nothing leaves 127.0.0.1."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from dashboard.state import same_day_last_year
from dashboard.text import fmt_int, fmt_rate
from layouts.overview import yoy_count, yoy_rate
from tests.e2e.conftest import LiveServer, Watch, cli_stats


def test_overview_matches_cli_stats(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    stats = cli_stats(live_server.db_url, year, as_of)
    assert stats["problems"] > 0

    page.goto(f"{live_server.url}/?campaign={year}&as_of={as_of}")
    expect(page.locator("#overview-problems")).to_have_text(fmt_int(stats["problems"]))
    expect(page.locator("#overview-rectification-rate")).to_have_text(
        fmt_rate(stats["rectification_rate"])
    )
    expect(page.locator("#overview-on-time-rate")).to_have_text(fmt_rate(stats["on_time_rate"]))
    expect(page.locator("#overview-overdue-problems")).to_have_text(
        fmt_int(stats["overdue_problems"])
    )
    expect(page.locator("#overview-overdue-units")).to_have_text(
        fmt_int(len(stats["overdue_units"]))
    )
    expect(page.locator("#overview-complaints")).to_have_text(fmt_int(stats["complaints"]))
    for code, rate in stats["phase_progress"].items():
        expect(page.locator(f"#overview-phase-{code}")).to_have_text(fmt_rate(rate))
    # beside each figure, last year's at the same point of the calendar
    last = cli_stats(
        live_server.db_url, year - 1, same_day_last_year(live_server.today).isoformat()
    )
    expect(page.locator("#overview-problems-yoy")).to_have_text(
        yoy_count(stats["problems"], last["problems"])
    )
    expect(page.locator("#overview-rectification-rate-yoy")).to_have_text(
        yoy_rate(stats["rectification_rate"], last["rectification_rate"], True)
    )
    # the filter bar shows the URL's campaign and date
    expect(page.locator("#shell-as-of")).to_have_value(as_of)
    assert watch.outside == []
    assert watch.console_errors == []


def test_filter_change_updates_url_and_figures(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year = live_server.today.year
    earlier = f"{year}-07-01"
    stats = cli_stats(live_server.db_url, year, earlier)

    page.goto(f"{live_server.url}/?campaign={year}&as_of={live_server.today.isoformat()}")
    expect(page.locator("#overview-problems")).to_be_visible()
    page.locator("#shell-as-of").fill(earlier)
    page.locator("#shell-as-of").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?campaign={year}&as_of={earlier}")
    expect(page.locator("#overview-problems")).to_have_text(fmt_int(stats["problems"]))
    assert watch.console_errors == []


def test_card_links_keep_the_view(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, _watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    page.goto(f"{live_server.url}/?campaign={year}&as_of={as_of}")
    page.locator("#overview-overdue-problems").click()
    expect(page).to_have_url(f"{live_server.url}/overdue?campaign={year}&as_of={as_of}")
