"""/rectification: the data functions against a hand-made county, and the pure builders."""

from __future__ import annotations

import datetime as dt

import pytest
from dash import Dash

from callbacks.rectification import render_rectification
from dashboard.charts.rectification import (
    RateRow,
    breakdown_rows,
    days_figure,
    days_label,
    rate_bars,
    timeline_figure,
    worst_first,
)
from dashboard.colors import HEX, rate_level
from dashboard.ids import Rectification as Ids
from dashboard.state import ViewState
from data.db import Database
from data.figures import Filters, UnitFigures, campaign_figures
from data.rectification import (
    DAY_BINS,
    days_to_rectify,
    found_rectified_timeline,
    rectification_data,
)
from data.reference import CHANNEL_NAMES
from layouts.rectification import TOP_N, group_card, rectification_body
from tests.components import by_id, by_type, grid_cells, texts, walk
from tests.factories import make_campaign, make_problem, make_unit

AS_OF = dt.date(2024, 9, 15)
FILTERS = [
    Filters(),
    Filters(group="agency"),
    Filters(kinds=("law_firm",)),
    Filters(townships=("城关镇",)),
]


def d(month: int, day: int, year: int = 2024) -> dt.date:
    """A date in 2024 unless told otherwise."""
    return dt.date(year, month, day)


@pytest.fixture
def county(db: Database) -> Database:
    """Two 司法所 and two legal-service units; one of each group has no rate ("—").

    Days to rectify of the rectified problems at AS_OF: 0, 8, 61 (城关镇司法所), 7, 30 (正大).
    """
    with db.write("test") as s:
        c = make_campaign(s, 2024)
        office = make_unit(s, "城关镇司法所", "judicial_office", "城关镇")
        make_unit(s, "青龙镇司法所", "judicial_office", "青龙镇")  # no problems at all
        firm = make_unit(s, "正大律师事务所", "law_firm", "青龙镇")
        notary = make_unit(s, "城关镇公证处", "notary_office", "城关镇")
        done = {"status": "done"}
        make_problem(s, c, office, found_on=d(6, 10), completed_on=d(6, 10), **done)
        make_problem(
            s, c, office, found_on=d(6, 10), completed_on=d(6, 18), channel="hotline", **done
        )
        make_problem(
            s,
            c,
            office,
            found_on=d(7, 1),
            completed_on=d(8, 31),
            status="verified",
            criterion_code="style",
        )
        make_problem(s, c, office, found_on=d(8, 1), deadline=d(8, 31))  # overdue
        legal = {"criterion_code": "honest_service"}
        make_problem(s, c, firm, found_on=d(6, 20), completed_on=d(6, 27), **done, **legal)
        make_problem(s, c, firm, found_on=d(7, 1), completed_on=d(7, 31), **done, **legal)
        # done after AS_OF: not rectified yet at AS_OF
        make_problem(
            s, c, firm, found_on=d(7, 1), deadline=d(9, 30), completed_on=d(9, 20), **done, **legal
        )
        make_problem(s, c, firm, found_on=d(9, 16), **legal)  # found after AS_OF
        make_problem(s, c, notary, found_on=d(6, 5), status="unfounded", channel="hotline")
    return db


# --- data --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "as_of", [d(5, 1), d(6, 10), d(7, 1), AS_OF, d(12, 31), dt.date(2025, 3, 1)]
)
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(group="agency"),
        Filters(kinds=("law_firm",)),
        Filters(townships=("城关镇",)),
    ],
)
def test_timeline_ends_at_the_campaign_figures(
    county: Database, as_of: dt.date, filters: Filters
) -> None:
    with county.read() as s:
        timeline = found_rectified_timeline(s, 2024, as_of, filters)
        figures = campaign_figures(s, 2024, as_of, filters)
    if figures.problems == 0:
        assert timeline.points == []
        return
    last = timeline.points[-1]
    assert (last.found, last.rectified) == (figures.problems, figures.rectified)
    # cumulative: never decreasing, one point a day without gaps
    for before, after in zip(timeline.points, timeline.points[1:], strict=False):
        assert after.day - before.day == dt.timedelta(days=1)
        assert after.found >= before.found and after.rectified >= before.rectified


def test_timeline_counts_each_day(county: Database) -> None:
    with county.read() as s:
        points = {p.day: p for p in found_rectified_timeline(s, 2024, AS_OF).points}
    assert min(points) == d(4, 1)  # the campaign's first day
    assert max(points) == AS_OF
    assert (points[d(6, 4)].found, points[d(6, 4)].rectified) == (0, 0)
    assert (points[d(6, 5)].found, points[d(6, 5)].rectified) == (1, 0)  # the unfounded one
    assert (points[d(6, 10)].found, points[d(6, 10)].rectified) == (3, 1)
    assert (points[d(6, 18)].found, points[d(6, 18)].rectified) == (3, 2)
    assert (points[d(7, 1)].found, points[d(7, 1)].rectified) == (7, 3)
    assert (points[AS_OF].found, points[AS_OF].rectified) == (8, 5)


def test_timeline_of_a_finished_campaign_stops_after_its_last_rectification(
    county: Database,
) -> None:
    with county.read() as s:
        timeline = found_rectified_timeline(s, 2024, dt.date(2026, 1, 1))
    assert timeline.points[-1].day == d(12, 31)


def test_days_to_rectify_bins_median_and_mean(county: Database) -> None:
    with county.read() as s:
        days = days_to_rectify(s, 2024, AS_OF)
    # 0, 7 | 8 | 30 | — | 61
    assert [b.count for b in days.bins] == [2, 1, 1, 0, 1]
    assert days.total == 5
    assert days.median == 8
    assert days.mean == pytest.approx(106 / 5)


@pytest.mark.parametrize("taken", [[0, 7, 8, 15, 16, 30, 31, 60, 61, 200]])
def test_days_bins_include_both_ends(db: Database, taken: list[int]) -> None:
    with db.write("test") as s:
        c = make_campaign(s, 2024)
        unit = make_unit(s)
        for n in taken:
            found = d(4, 10)
            make_problem(
                s,
                c,
                unit,
                found_on=found,
                deadline=found + dt.timedelta(days=n),
                status="done",
                completed_on=found + dt.timedelta(days=n),
            )
    with db.read() as s:
        days = days_to_rectify(s, 2024, dt.date(2025, 1, 1))
    assert [(b.low, b.high) for b in days.bins] == list(DAY_BINS)
    assert [b.count for b in days.bins] == [2, 2, 2, 2, 2]
    assert days.median == (16 + 30) / 2


def test_no_rectified_problems_give_no_median(county: Database) -> None:
    with county.read() as s:
        days = days_to_rectify(s, 2024, d(6, 5))
    assert days.total == 0 and days.median is None and days.mean is None
    assert [b.count for b in days.bins] == [0] * len(DAY_BINS)


def test_groups_are_kept_apart_and_zero_denominators_are_none(county: Database) -> None:
    with county.read() as s:
        data = rectification_data(s, 2024, AS_OF)
    agency = {u.unit: u for u in data.units_of("agency")}
    legal = {u.unit: u for u in data.units_of("legal_service")}
    assert set(agency) == {"城关镇司法所", "青龙镇司法所"}
    assert set(legal) == {"正大律师事务所", "城关镇公证处"}
    assert agency["青龙镇司法所"].rectification_rate is None  # no problems
    assert legal["城关镇公证处"].rectification_rate is None  # only an unfounded one
    assert agency["城关镇司法所"].rectification_rate == pytest.approx(3 / 4)
    assert legal["正大律师事务所"].rectification_rate == pytest.approx(2 / 3)


def test_channel_and_criterion_rows_add_up_to_the_campaign(county: Database) -> None:
    with county.read() as s:
        data = rectification_data(s, 2024, AS_OF)
    assert sum(r.problems for r in data.by_channel) == data.figures.problems
    assert sum(r.rectified for r in data.by_criterion) == data.figures.rectified
    rows = {r.key: r for r in breakdown_rows(data.by_channel, dict(CHANNEL_NAMES))}
    assert list(rows) == list(CHANNEL_NAMES)  # every channel, reference order
    # hotline: one rectified, one unfounded → 1 / 1
    assert rows["hotline"].rate == 1.0 and rows["hotline"].base == 1
    assert rows["meeting"].rate is None and rows["meeting"].on_time_rate is None


# --- pure builders -----------------------------------------------------------------------


def row(key: str, rate: float | None, on_time_rate: float | None = 0.5) -> RateRow:
    return RateRow(key, key, 1, 0 if rate is None else 2, rate, 1, 2, on_time_rate)


def test_rate_bars_draw_the_rows_in_order_and_dashes_for_missing_rates() -> None:
    rows = [row("甲", 0.2), row("乙", 0.85), row("丙", 1.0, None), row("丁", None, None)]
    fig = rate_bars(rows, threshold=0.8)
    rect_bars, rect_dashes, on_time_bars, on_time_dashes = fig.data
    assert list(rect_bars.y) == ["甲", "乙", "丙", "丁"]
    assert list(rect_bars.x) == [0.2, 0.85, 1.0, None]  # "—" is not drawn as 0
    assert list(rect_bars.text) == ["20.0%", "85.0%", "100.0%", ""]
    assert list(rect_bars.marker.color[:3]) == [HEX["bad"], HEX["warn"], HEX["good"]]
    assert list(rect_dashes.y) == ["丁"] and list(rect_dashes.text) == ["—"]
    assert list(on_time_dashes.y) == ["丙", "丁"]
    assert list(on_time_bars.x) == [0.5, 0.5, None, None]
    # first row on top
    assert list(fig.layout.yaxis.range) == [3.5, -0.5]
    assert list(fig.layout.yaxis.categoryarray) == ["甲", "乙", "丙", "丁"]


def test_rate_bars_colour_with_the_bureaus_threshold() -> None:
    fig = rate_bars([row("甲", 0.75)], threshold=0.7)
    assert fig.data[0].marker.color[0] == HEX[rate_level(0.75, 0.7)] == HEX["warn"]


def test_long_names_are_shortened_on_the_axis_only() -> None:
    name = "黄土岭乡人民政府驻城关镇第二基层法律服务所联合工作站"
    fig = rate_bars([RateRow(name, name, 1, 1, 1.0, 1, 1, 1.0)])
    assert fig.layout.yaxis.ticktext[0].endswith("…") and len(fig.layout.yaxis.ticktext[0]) <= 12
    assert name in fig.data[0].customdata[0]  # the hover keeps the whole name


def test_worst_first_puts_missing_rates_last() -> None:
    rows = [row("甲", 1.0), row("乙", None), row("丙", 0.5, 0.9), row("丁", 0.5, 0.1)]
    assert [r.key for r in worst_first(rows)] == ["丁", "丙", "甲", "乙"]


def test_days_figure_has_one_bar_per_bin(county: Database) -> None:
    with county.read() as s:
        days = days_to_rectify(s, 2024, AS_OF)
    fig = days_figure(days)
    assert list(fig.data[0].x) == [days_label(low, high) for low, high in DAY_BINS]
    assert list(fig.data[0].x)[-1] == "超过 60 天"
    assert list(fig.data[0].y) == [2, 1, 1, 0, 1]


def test_timeline_figure_ends_at_the_totals(county: Database) -> None:
    with county.read() as s:
        fig = timeline_figure(found_rectified_timeline(s, 2024, AS_OF))
    found, rectified = fig.data
    assert (found.y[-1], rectified.y[-1]) == (8, 5)


def unit(unit_id: int, name: str, rate: float | None) -> UnitFigures:
    """A law firm's figures with only what the rate chart reads."""
    return UnitFigures(
        unit_id=unit_id,
        unit=name,
        kind="law_firm",
        township=None,
        group="legal_service",
        problems=0 if rate is None else 10,
        unfounded=0,
        rectified=0 if rate is None else round(rate * 10),
        rectification_rate=rate,
        due=0,
        on_time=0,
        on_time_rate=None,
        overdue_problems=0,
        max_days_overdue=None,
        complaints=0,
        cases=None,
        complaints_per_100=None,
        phase_progress={},
        tasks_done=0,
        tasks_total=0,
        overdue_tasks=0,
        serious_open=0,
    )


@pytest.fixture
def many_units() -> list[UnitFigures]:
    rated = [unit(i, f"律师事务所{i:02d}", i / 30) for i in range(TOP_N + 5)]
    return [*rated, unit(99, "无问题律师事务所", None)]


def test_long_group_draws_its_worst_units_and_holds_every_unit_in_its_grid(
    many_units: list[UnitFigures],
) -> None:
    state = ViewState(campaign=2024, as_of=AS_OF, kinds=("law_firm",))
    card = group_card("legal_service", many_units, 0.8, state)
    # the chart stays readable: the worst TOP_N bars
    figure = by_id(card, Ids.UNITS_LEGAL_SERVICE).figure
    assert list(figure.data[0].y) == [f"律师事务所{i:02d}" for i in range(TOP_N)]
    assert "全部 26 个单位" in " ".join(texts(by_id(card, Ids.NOTE_LEGAL_SERVICE)))
    # the grid holds every unit, worst first, the "—" unit last; no toggle, no cut
    grid = by_type(card, "AgGrid")
    assert grid.id == Ids.GRID_LEGAL_SERVICE
    assert [row["unit"] for row in grid.rowData] == [
        *(f"律师事务所{i:02d}" for i in range(TOP_N + 5)),
        "无问题律师事务所",
    ]
    assert not any("units=all" in str(getattr(c, "href", "")) for c in walk(card))
    last = grid.rowData[-1]
    assert last["href"] == "/units/99?campaign=2024&as_of=2024-09-15&kind=law_firm"
    assert (last["rate"], last["rate_text"], last["rate_level"]) == (None, "—", "neutral")
    assert grid.columnDefs[0]["cellRenderer"] == "PingyiLink"
    assert [c["field"] for c in grid.columnDefs if c.get("type") == "numericColumn"] == [
        "rate",
        "base",
        "on_time_rate",
        "due",
    ]


def test_short_group_draws_every_rated_unit_without_a_note(
    many_units: list[UnitFigures],
) -> None:
    card = group_card("legal_service", many_units[:3], 0.8, ViewState(campaign=2024))
    assert len(by_id(card, Ids.UNITS_LEGAL_SERVICE).figure.data[0].y) == 3
    assert by_id(card, Ids.NOTE_LEGAL_SERVICE) is None
    assert len(by_type(card, "AgGrid").rowData) == 3


def test_page_keeps_groups_in_separate_charts_and_grids(county: Database) -> None:
    with county.read() as s:
        data = rectification_data(s, 2024, AS_OF)
    body = rectification_body(data, ViewState(campaign=2024, as_of=AS_OF))
    agency = by_id(body, Ids.UNITS_AGENCY).figure
    legal = by_id(body, Ids.UNITS_LEGAL_SERVICE).figure
    assert list(agency.data[0].y) == ["城关镇司法所"]
    assert list(legal.data[0].y) == ["正大律师事务所"]
    # every unit of each group is in its grid (the "—" ones last), as the data layer counts them
    for group, grid_id in (("agency", Ids.GRID_AGENCY), ("legal_service", Ids.GRID_LEGAL_SERVICE)):
        rows = by_id(body, grid_id).rowData
        assert {r["unit"] for r in rows} == {u.unit for u in data.units_of(group)}
    assert grid_cells(by_id(body, Ids.GRID_AGENCY)) == [
        ["城关镇司法所", "75.0%", "3 / 4", "50.0%", "2 / 4"],
        ["青龙镇司法所", "—", "0 / 0", "—", "0 / 0"],
    ]
    rows = by_id(body, Ids.GRID_AGENCY).rowData
    assert [r["rate_level"] for r in rows] == [rate_level(0.75, data.threshold), "neutral"]


def test_page_with_one_group_filtered_out_shows_only_the_other(county: Database) -> None:
    with county.read() as s:
        data = rectification_data(s, 2024, AS_OF, Filters(kinds=("law_firm",)))
    body = rectification_body(data, ViewState(campaign=2024, kinds=("law_firm",)))
    assert by_id(body, Ids.UNITS_AGENCY) is None
    assert list(by_id(body, Ids.UNITS_LEGAL_SERVICE).figure.data[0].y) == ["正大律师事务所"]


# --- the callback ------------------------------------------------------------------------


def test_callback_before_any_problem_says_so(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_rectification("?campaign=2024&as_of=2024-05-01")
    assert "截至 2024年5月1日，所选范围内还没有发现问题。" in texts(body)


def test_callback_shows_the_campaign_rates(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_rectification("?campaign=2024&as_of=2024-09-15")
    summary = " ".join(texts(by_id(body, Ids.SUMMARY)))
    assert "整改完成率 71.4%（已整改 5 / 7 件）" in summary
