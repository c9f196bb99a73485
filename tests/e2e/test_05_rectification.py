"""/rectification in Chromium: the demo county's rates, both groups apart, every unit in a grid."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from dashboard.charts.rectification import unit_rows, worst_first
from dashboard.ids import Rectification as Ids
from dashboard.text import fmt_rate
from data.db import Database
from data.models import Unit
from data.rectification import rectification_data
from layouts.rectification import TOP_N
from tests.e2e.conftest import LiveServer, Watch, cli_stats
from tests.e2e.grids import grid_count, grid_data, grid_texts

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


def test_every_unit_is_in_its_groups_grid(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    db = Database.from_url(live_server.db_url)
    try:
        with db.read() as session:
            data = rectification_data(session, year, live_server.today)
    finally:
        db.engine.dispose()
    page.goto(f"{live_server.url}/rectification?campaign={year}&as_of={as_of}")
    expect(page.locator(f"#{Ids.UNITS_LEGAL_SERVICE} .main-svg").first).to_be_visible(
        timeout=RENDER_TIMEOUT
    )
    for group, grid_id in (("agency", Ids.GRID_AGENCY), ("legal_service", Ids.GRID_LEGAL_SERVICE)):
        units = data.units_of(group)
        # every unit of the group, worst first and the "—" ones last, not only the rows drawn
        worst = [row.name for row in worst_first(unit_rows(units))]
        assert grid_texts(page, grid_id, "unit") == worst
        assert grid_count(page, grid_id) == len(units)
        rates = {u.unit: fmt_rate(u.rectification_rate) for u in units}
        assert grid_texts(page, grid_id, "rate") == [rates[name] for name in worst]
    # the chart keeps to the worst TOP_N; the note says the grid holds them all
    legal = data.units_of("legal_service")
    assert len(legal) > TOP_N
    assert len(y_labels(page, Ids.UNITS_LEGAL_SERVICE)) == TOP_N
    expect(page.locator(f"#{Ids.NOTE_LEGAL_SERVICE}")).to_contain_text(f"全部 {len(legal)} 个单位")
    # rates are coloured by their level
    first = page.locator(f"#{Ids.GRID_LEGAL_SERVICE} .ag-row[row-index='0'] [col-id=rate]")
    expect(first).to_have_class(re.compile(r"\blevel-(bad|warn|good)\b"), timeout=RENDER_TIMEOUT)

    # the grid sorts by the number, not by its text ("10 / 12" after "9 / 9")
    grid = page.locator(f"#{Ids.GRID_LEGAL_SERVICE}")
    grid.get_by_role("columnheader", name="已整改/应整改").click()
    bases = [row["base"] for row in grid_data(page, Ids.GRID_LEGAL_SERVICE)]
    assert bases == sorted(bases) != [row.base for row in worst_first(unit_rows(legal))]

    # a unit's name opens its page inside the app, with the page's filters
    page.goto(f"{live_server.url}/rectification?campaign={year}&kind=law_firm")
    link = page.locator(f"#{Ids.GRID_LEGAL_SERVICE} [col-id=unit] a").first
    expect(link).to_be_visible(timeout=RENDER_TIMEOUT)
    name = link.inner_text()
    unit_id = next(u.unit_id for u in legal if u.unit == name)
    link.click()
    expect(page).to_have_url(f"{live_server.url}/units/{unit_id}?campaign={year}&kind=law_firm")
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=RENDER_TIMEOUT)
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
