"""/rectification in Chromium: the demo county's rates, both groups apart, the all-units toggle."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from dashboard.ids import Rectification as Ids
from dashboard.text import fmt_rate
from data.db import Database
from data.models import Unit
from tests.e2e.conftest import LiveServer, Watch, cli_stats

RENDER_TIMEOUT = 20_000  # six charts on a busy 2-core machine


def y_labels(page: Page, graph_id: str) -> list[str]:
    """The category labels of a chart's first y axis."""
    return (
        page.locator(f"#{graph_id} .yaxislayer-above")
        .first.locator(".ytick text")
        .all_text_contents()
    )


def test_rectification_page_shows_the_demo_county(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    figures = cli_stats(live_server.db_url, year, as_of)
    page.goto(f"{live_server.url}/rectification?campaign={year}&as_of={as_of}")

    summary = page.locator(f"#{Ids.SUMMARY}")
    expect(summary).to_contain_text(
        f"整改完成率 {fmt_rate(figures['rectification_rate'])}", timeout=RENDER_TIMEOUT
    )
    expect(summary).to_contain_text(f"按期整改率 {fmt_rate(figures['on_time_rate'])}")
    for graph_id in (Ids.UNITS_AGENCY, Ids.UNITS_LEGAL_SERVICE, Ids.CHANNEL, Ids.CRITERION):
        expect(page.locator(f"#{graph_id} .main-svg").first).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(page.locator(f"#{Ids.TIMELINE} .scatterlayer .trace")).to_have_count(2)
    expect(page.locator(f"#{Ids.DAYS} .bars .point")).to_have_count(5)

    # the groups are apart: only 司法所 in the agency chart, none in the other
    agency = y_labels(page, Ids.UNITS_AGENCY)
    legal = y_labels(page, Ids.UNITS_LEGAL_SERVICE)
    assert agency and all(name.endswith("司法所") for name in agency)
    assert legal and not any(name.endswith("司法所") for name in legal)
    assert watch.outside == []
    assert watch.console_errors == []


def test_all_units_toggle_is_kept_in_the_url(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    page.goto(f"{live_server.url}/rectification?campaign={year}&as_of={as_of}")
    expect(page.locator(f"#{Ids.UNITS_LEGAL_SERVICE} .main-svg").first).to_be_visible(
        timeout=RENDER_TIMEOUT
    )
    worst = len(y_labels(page, Ids.UNITS_LEGAL_SERVICE))

    toggle = page.locator(f"#{Ids.UNITS_SCOPE} a").nth(1)
    total = int("".join(ch for ch in toggle.inner_text() if ch.isdigit()))
    toggle.click()
    expect(page).to_have_url(
        f"{live_server.url}/rectification?campaign={year}&as_of={as_of}&units=all"
    )
    expect(
        page.locator(f"#{Ids.UNITS_LEGAL_SERVICE} .yaxislayer-above").first.locator(".ytick")
    ).to_have_count(total, timeout=RENDER_TIMEOUT)
    assert worst < total

    # the same URL opened fresh shows the same view
    page.reload()
    expect(
        page.locator(f"#{Ids.UNITS_LEGAL_SERVICE} .yaxislayer-above").first.locator(".ytick")
    ).to_have_count(total, timeout=RENDER_TIMEOUT)
    assert watch.outside == []
    assert watch.console_errors == []


def test_a_units_bar_opens_its_page_with_the_filters(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year = live_server.today.year
    page.goto(f"{live_server.url}/rectification?campaign={year}&kind=law_firm")

    # Only the legal-service group has units under this filter: its bars answer clicks.
    # The best unit comes last, its bar the widest (the first may be a 0 % bar of no width).
    bar = page.locator(f"#{Ids.UNITS_LEGAL_SERVICE} .bars .point path").last
    expect(bar).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(page.locator(f"#{Ids.UNITS_AGENCY}")).to_have_count(0)
    bar.click(force=True)  # a real click lands on plotly's drag layer, which reports the bar
    expect(page).to_have_url(
        re.compile(rf"/units/\d+\?campaign={year}.*kind=law_firm"), timeout=RENDER_TIMEOUT
    )
    unit_id = int(page.url.split("/units/")[1].split("?")[0])
    with Database.from_url(live_server.db_url).read() as session:
        unit = session.get(Unit, unit_id)
    assert unit is not None and unit.kind == "law_firm"
    expect(page.get_by_role("heading", name=unit.name)).to_be_visible(timeout=RENDER_TIMEOUT)
    assert watch.console_errors == []
