"""投诉分析: the heatmap grids, their figures, per-100 normalisation and the cell drill-down."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import select

from callbacks.complaints import clicked_cell, render_complaints
from dashboard.charts.complaints import (
    BAR_LENGTH,
    colour_bar,
    fmt_per100,
    heatmap,
    scale_top,
    short_name,
)
from dashboard.dash_private import output_parts
from dashboard.ids import Complaints as Ids
from dashboard.state import ViewState, parse_state
from data.complaints import GRIDS, NO_TOWNSHIP, CellProblems, cell_problems, complaint_grid
from data.db import Database
from data.figures import Filters, campaign_figures
from data.models import Campaign, Unit
from data.reference import COMPLAINT_CHANNELS
from layouts.complaints import (
    GRID_IDS,
    cell_grid,
    channels_of,
    complaints_body,
    per100_of,
    with_options,
)
from tests.components import by_id, by_type, grid_cells, texts
from tests.conftest import MakeApp
from tests.factories import (
    login,
    make_campaign,
    make_problem,
    make_unit,
    make_user,
    set_caseload,
)

YEAR = 2024
AS_OF = dt.date(2024, 7, 31)  # the campaign's months so far: April to July
COMPLAINTS = tuple(COMPLAINT_CHANNELS)
LONG_NAME = "青山县城关镇人民调解与法律服务中心第二基层法律服务所"
MASKED = re.compile(r"^(—|.\*+( \d*\*+\d+)?|\d*\*+\d+)$")  # as test_11_complaints


def d(month: int, day: int = 10) -> dt.date:
    return dt.date(YEAR, month, day)


@pytest.fixture
def county(db: Database) -> Database:
    """Three units (one with a long name, one without caseload) and a known set of problems.

    Complaints per unit and month (hotline + referral):
        甲司法所   Apr 0  May 2  Jun 0  Jul 1   (caseload 200)
        乙律所     Apr 1  May 0  Jun 3  Jul 0   (caseload unknown)
        LONG_NAME  Apr 0  May 0  Jun 0  Jul 5   (caseload 400)
    Plus problems that must not count: a self-inspection one, one found after the as-of
    date, one of another campaign, a voided one.
    """
    with db.write("test") as s:
        camp = make_campaign(s, YEAR)
        other = make_campaign(s, YEAR - 1)
        a = make_unit(s, "甲司法所", "judicial_office", "城关镇")
        b = make_unit(s, "乙律师事务所", "law_firm", "东湖镇")
        c = make_unit(s, LONG_NAME, "legal_service_center", None)
        set_caseload(s, camp, a, 200)
        set_caseload(s, camp, c, 400)

        def complaint(unit: Any, month: int, channel: str = "hotline", **kw: Any) -> None:
            make_problem(s, camp, unit, channel=channel, found_on=d(month), **kw)

        complaint(a, 5, complainant_name="张三", complainant_phone="13812345678")
        complaint(a, 5, "referral", criterion_code="style")
        complaint(a, 7)
        complaint(b, 4, "referral", criterion_code="honest_service")
        for _ in range(3):
            complaint(b, 6, criterion_code="quality_service")
        for i in range(5):
            complaint(c, 7, status="unfounded" if i == 0 else "pending")
        make_problem(s, camp, a, channel="self_inspection", found_on=d(6))
        make_problem(s, camp, a, channel="hotline", found_on=dt.date(YEAR, 8, 5))
        make_problem(s, other, a, channel="hotline", found_on=dt.date(YEAR - 1, 6, 1))
        make_problem(
            s, camp, a, channel="hotline", found_on=d(6), voided_at=dt.datetime(YEAR, 7, 1)
        )
    return db


def grid(db: Database, name: str, channels: tuple[str, ...] = COMPLAINTS, **filters: Any) -> Any:
    with db.read() as s:
        return complaint_grid(s, YEAR, AS_OF, Filters(**filters), channels, name)


def unit_ids(db: Database) -> dict[str, int]:
    from sqlalchemy import select

    from data.models import Unit

    with db.read() as s:
        return dict(s.execute(select(Unit.name, Unit.id)).all())  # type: ignore[arg-type]


# --- the grids ------------------------------------------------------------------------------


def test_unit_month_grid_has_exactly_the_fixture_cells(county: Database) -> None:
    ids = unit_ids(county)
    g = grid(county, "unit_month")
    assert g.columns == ["2024-04", "2024-05", "2024-06", "2024-07"]
    # sorted by total, most first
    assert g.rows == [ids[LONG_NAME], ids["乙律师事务所"], ids["甲司法所"]]
    assert g.counts == {
        (ids["甲司法所"], "2024-05"): 2,
        (ids["甲司法所"], "2024-07"): 1,
        (ids["乙律师事务所"], "2024-04"): 1,
        (ids["乙律师事务所"], "2024-06"): 3,
        (ids[LONG_NAME], "2024-07"): 5,
    }


def test_heatmap_figure_of_the_3x4_fixture(county: Database) -> None:
    ids = unit_ids(county)
    fig = heatmap(grid(county, "unit_month"))
    trace = fig.data[0]
    assert [list(row) for row in trace.z] == [[0, 0, 0, 5], [1, 0, 3, 0], [0, 2, 0, 1]]
    assert list(trace.x) == ["2024-04", "2024-05", "2024-06", "2024-07"]
    assert list(fig.layout.xaxis.ticktext) == ["4月", "5月", "6月", "7月"]
    assert list(trace.y) == [str(ids[LONG_NAME]), str(ids["乙律师事务所"]), str(ids["甲司法所"])]
    assert list(fig.layout.yaxis.ticktext) == [short_name(LONG_NAME), "乙律师事务所", "甲司法所"]
    assert short_name(LONG_NAME).endswith("…") and len(short_name(LONG_NAME)) == 14
    assert [list(row) for row in trace.text][0] == ["", "", "", "5"]
    # the full name and the Chinese figures are in the hover text
    assert trace.customdata[0][3] == f"单位：{LONG_NAME}<br>月份：7月<br>5 件"
    assert trace.zmin == 0 and trace.zmax == 5
    assert fig.layout.height >= 90 + 22 * 3


def test_the_three_grids_agree_with_the_campaign_figures(county: Database) -> None:
    with county.read() as s:
        figures = campaign_figures(s, YEAR, AS_OF)
    by_month: dict[str, int] = {}
    channel_month = grid(county, "channel_month")
    assert channel_month.rows == ["hotline", "referral"]
    for (_, month), n in channel_month.counts.items():
        by_month[month] = by_month.get(month, 0) + n
    assert {m: by_month.get(m, 0) for m in figures.complaints_by_month} == (
        figures.complaints_by_month
    )
    assert sum(figures.complaints_by_month.values()) == figures.complaints == 12
    units = grid(county, "unit_month")
    assert {units.row_names[r]: units.row_total(r) for r in units.rows} == {
        u.unit: u.complaints for u in figures.by_unit
    }
    townships = grid(county, "township_criterion")
    assert sum(townships.counts.values()) == figures.complaints
    assert set(townships.rows) == {"城关镇", "东湖镇", NO_TOWNSHIP}
    assert townships.row_names[NO_TOWNSHIP] == "未填乡镇"
    assert townships.count("东湖镇", "quality_service") == 3


def test_channels_and_filters_change_what_counts(county: Database) -> None:
    every = grid(county, "channel_month", ("self_inspection", "hotline", "referral"))
    assert every.rows == ["self_inspection", "hotline", "referral"]
    assert every.count("self_inspection", "2024-06") == 1
    law_firms = grid(county, "unit_month", kinds=("law_firm",))
    assert [law_firms.row_names[r] for r in law_firms.rows] == ["乙律师事务所"]
    town = grid(county, "township_criterion", townships=("城关镇",))
    assert town.rows == ["城关镇"] and sum(town.counts.values()) == 3
    # criteria of a group with no unit in view are left out
    assert "honest_service" not in town.columns and "style" in town.columns
    assert grid(county, "unit_month", ()).counts == {}


# --- per 100 cases --------------------------------------------------------------------------


def test_per100_uses_the_caseload_and_leaves_unknown_cells_empty(county: Database) -> None:
    fig = heatmap(grid(county, "unit_month"), normalise=True)
    z = [list(row) for row in fig.data[0].z]
    assert z[0] == [0, 0, 0, 1.25]  # 5 / 400 cases
    assert z[1] == [None, None, None, None]  # caseload unknown: no data, not 0
    assert z[2] == [0, 1.0, 0, 0.5]  # 2 / 200, 1 / 200
    assert "案件数未知" in fig.data[0].customdata[1][2]
    assert "每百件案件 1.0 件（2 件 / 案件 200 件）" in fig.data[0].customdata[2][1]
    assert fig.layout.plot_bgcolor != "#ffffff"  # no-data cells look different from 0


def test_per100_of_groups_needs_every_unit_caseload(county: Database) -> None:
    townships = grid(county, "township_criterion")
    assert townships.cases == {"城关镇": 200, "东湖镇": None, NO_TOWNSHIP: 400}
    assert grid(county, "channel_month").cases == {"hotline": None, "referral": None}
    known = grid(county, "channel_month", kinds=("judicial_office", "legal_service_center"))
    assert known.cases == {"hotline": 600, "referral": 600}


@pytest.mark.parametrize(
    ("value", "text"), [(0.0342, "0.034"), (0.5, "0.5"), (3.456, "3.5"), (12.6, "13")]
)
def test_per100_format(value: float, text: str) -> None:
    assert fmt_per100(value) == text


# --- the drill-down -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(GRIDS))
def test_every_cell_lists_exactly_the_problems_it_counts(county: Database, name: str) -> None:
    g = grid(county, name)
    with county.read() as s:
        for row in g.rows:
            for column in g.columns:
                cell = cell_problems(s, YEAR, AS_OF, Filters(), COMPLAINTS, name, row, column)
                assert cell.total == len(cell.problems) == g.count(row, column)
                assert cell.row_name == g.row_names[row]


def test_cell_problems_mask_the_complainant_and_cap_the_list(county: Database) -> None:
    ids = unit_ids(county)
    with county.read() as s:
        cell = cell_problems(
            s, YEAR, AS_OF, Filters(), COMPLAINTS, "unit_month", ids["甲司法所"], "2024-05"
        )
        capped = cell_problems(
            s, YEAR, AS_OF, Filters(), COMPLAINTS, "channel_month", "hotline", "2024-06", limit=2
        )
        bad = cell_problems(s, YEAR, AS_OF, Filters(), COMPLAINTS, "unit_month", "x", "2024-05")
    assert {p.complainant for p in cell.problems} == {"张* 138****5678", None}
    assert "张三" not in repr(cell)
    assert capped.total == 3 and len(capped.problems) == 2
    assert bad.total == 0 and bad.problems == []


def test_cell_grid_holds_every_problem_masked(county: Database) -> None:
    ids = unit_ids(county)
    with county.read() as s:
        cell = cell_problems(
            s, YEAR, AS_OF, Filters(), COMPLAINTS, "unit_month", ids["甲司法所"], "2024-05", None
        )
        june = cell_problems(
            s, YEAR, AS_OF, Filters(), COMPLAINTS, "channel_month", "hotline", "2024-06", None
        )
    body = cell_grid(cell, "?campaign=2024")
    table = by_type(body, "AgGrid")
    assert table.id == Ids.PROBLEMS
    assert len(table.rowData) == cell.total == 2
    # the rows sent to the browser hold the masked complainant, never the name or the phone
    assert "张* 138****5678" in texts(body) and "—" in texts(body)
    sent = json.dumps(table.rowData, ensure_ascii=False)
    assert "张三" not in sent and "13812345678" not in sent
    # the unit links to its page (with the page's filters); cells are text, dates sort as dates
    assert {r["href"] for r in table.rowData} == {f"/units/{ids['甲司法所']}?campaign=2024"}
    assert table.columnDefs[0]["cellRenderer"] == "PingyiLink"
    assert {r["found_on"] for r in table.rowData} == {"2024-05-10"}
    assert {r["found_on_text"] for r in table.rowData} == {"2024年5月10日"}
    rows = grid_cells(by_type(cell_grid(june, ""), "AgGrid"))
    assert len(rows) == 3
    assert [row[:4] for row in rows] == [
        ["乙律师事务所", "2024年6月10日", "投诉举报", "优质服务"]
    ] * 3
    assert [row[5:] for row in rows] == [["待整改", "—"]] * 3
    assert not any("仅显示前" in t for t in texts(body))


def test_an_empty_cell_says_so() -> None:
    body = cell_grid(CellProblems("甲司法所", 0, []), "")
    assert texts(body) == ["这一格没有问题。"]
    assert by_type(body, "AgGrid") is None


def open_cell_as(app: Dash, who: str, graph_id: str, row: str, column: str) -> dict[str, Any]:
    """Click a heatmap cell the way the browser posts it; the response's changed props."""
    client = app.server.test_client()
    login(client, who).close()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if f"{Ids.MODAL_BODY}.children" in d["output"])
    values = {
        f"{graph_id}.clickData": {"points": [{"y": row, "x": column}]},
        f"{Ids.STATE}.data": f"?campaign={YEAR}&as_of={AS_OF}",
    }

    def item(spec: dict[str, Any]) -> dict[str, Any]:
        key = f"{spec['id']}.{spec['property']}"
        return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

    payload = {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, p in output_parts(dep["output"])],
        "inputs": [item(spec) for spec in dep["inputs"]],
        "state": [item(spec) for spec in dep["state"]],
        "changedPropIds": [f"{graph_id}.clickData"],
    }
    with client.post("/_dash-update-component", json=payload) as response:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response.get_json()["response"]


def sent_grid(node: Any, grid_id: str) -> dict[str, Any]:
    """The props of the grid `grid_id` in a component tree as Dash sends it (JSON)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "AgGrid" and item["props"].get("id") == grid_id:
                return item["props"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    raise AssertionError(f"no grid {grid_id}")


def test_a_cell_of_many_problems_sends_every_one_masked(
    make_app: MakeApp, county: Database
) -> None:
    """More problems than the old list showed (50): the grid is sent all of them."""
    ids = unit_ids(county)
    with county.write("test") as s:
        camp = s.scalars(select(Campaign).where(Campaign.year == YEAR)).one()
        unit = s.get(Unit, ids["甲司法所"])
        assert unit is not None
        for i in range(60):
            make_problem(
                s,
                camp,
                unit,
                channel="hotline",
                found_on=d(4, 1 + i % 28),
                complainant_name=f"李{i}",
                complainant_phone=f"139{i:08d}",
            )
        make_user(s, "leader", "leader")
    app = make_app(today=AS_OF)
    response = open_cell_as(app, "leader", Ids.UNIT_MONTH, str(ids["甲司法所"]), "2024-04")
    assert response[Ids.MODAL_TITLE]["children"] == "甲司法所 · 2024年4月：60 件"
    rows = sent_grid(response[Ids.MODAL_BODY]["children"], Ids.PROBLEMS)["rowData"]
    assert len(rows) == 60
    assert [r["found_on"] for r in rows] == sorted((r["found_on"] for r in rows), reverse=True)
    assert all(MASKED.match(r["complainant"]) for r in rows), rows[0]
    sent = json.dumps(response, ensure_ascii=False)
    assert "李1" not in sent and "13900000001" not in sent


def test_clicked_cell_reads_the_axes_keys() -> None:
    assert clicked_cell({"points": [{"x": "2024-05", "y": "7", "z": 2}]}) == ("7", "2024-05")
    assert clicked_cell(None) is None and clicked_cell({"points": []}) is None


# --- the URL options and the page body ------------------------------------------------------


def test_channels_and_per100_round_trip_through_the_url() -> None:
    state = parse_state("?campaign=2024&kind=law_firm")
    assert channels_of(state) == COMPLAINTS and not per100_of(state)
    search = with_options(state, ["inspection", "hotline"], True)
    again = parse_state(search)
    assert channels_of(again) == ("hotline", "inspection") and per100_of(again)
    assert again.kinds == ("law_firm",) and again.campaign == 2024
    assert "channels" not in with_options(state, ["referral", "hotline"], False)
    assert channels_of(parse_state(with_options(state, [], False))) == ()


def test_body_empty_states(county: Database) -> None:
    empty = {name: grid(county, name, townships=("无此乡镇",)) for name in GRIDS}
    assert any("所选范围内没有问题" in t for t in texts(complaints_body(empty, ViewState(), AS_OF)))
    none = ViewState(extra={"channels": "none"})
    assert any("请至少选择一个问题来源" in t for t in texts(complaints_body(empty, none, AS_OF)))


# --- the callbacks --------------------------------------------------------------------------


def test_callback_renders_three_heatmaps(app: Dash, county: Database) -> None:
    with app.server.app_context():
        body = render_complaints(f"?campaign={YEAR}&as_of={AS_OF}")
        per100 = render_complaints(f"?campaign={YEAR}&as_of={AS_OF}&per100=1")
    for graph_id in (Ids.UNIT_MONTH, Ids.TOWNSHIP_CRITERION, Ids.CHANNEL_MONTH):
        assert by_id(body, graph_id).figure.data[0].type == "heatmap"
    assert any("所选来源问题共 12 件" in t for t in texts(body))
    assert any("灰色格表示案件数未知" in t for t in texts(per100))
    assert by_id(per100, Ids.UNIT_MONTH).figure.data[0].type == "heatmap"
    assert by_id(per100, Ids.CHANNEL_MONTH).figure.data == ()


def test_per100_with_no_caseload_known_says_so(county: Database) -> None:
    fig = heatmap(grid(county, "channel_month"), normalise=True)
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "所选单位中有的案件数未知，无法按每百件案件折算"


def zmax_of(body: Any, graph_id: str) -> float:
    """The top of one rendered heatmap's colour scale."""
    return by_id(body, graph_id).figure.data[0].zmax


def test_each_heatmap_has_its_own_colour_scale(county: Database) -> None:
    grids = {name: grid(county, name) for name in GRIDS}
    body = complaints_body(grids, ViewState(), AS_OF)
    for name, graph_id in GRID_IDS.items():
        trace = by_id(body, graph_id).figure.data[0]
        assert trace.zmin == 0  # a 0 reads as 0 (white), on every scale
        assert trace.zmax == max(grids[name].counts.values())
    assert zmax_of(body, Ids.UNIT_MONTH) == 5  # its own top, not the hotline's July (6)
    assert zmax_of(body, Ids.CHANNEL_MONTH) == 6
    one = {name: grid(county, name, kinds=("judicial_office",)) for name in GRIDS}
    small = complaints_body(one, ViewState(), AS_OF)
    assert zmax_of(small, Ids.UNIT_MONTH) == 2  # 甲司法所's May: deep red on a 0–2 scale
    per100 = complaints_body(one, ViewState(extra={"per100": "1"}), AS_OF)
    assert zmax_of(per100, Ids.UNIT_MONTH) == 1.0  # 2 / 200 cases
    assert scale_top([0.0, 0.0]) == 1.0  # all zeros: a scale on which 0 is still white


def test_a_tall_heatmap_keeps_its_colour_bar_at_the_top() -> None:
    assert "lenmode" not in colour_bar("件数", ["1", "2", "3"])  # as tall as a short grid
    tall = colour_bar("件数", [str(n) for n in range(128)])
    assert tall["lenmode"] == "pixels" and tall["len"] == BAR_LENGTH
    assert (tall["y"], tall["yanchor"]) == (1, "top")
