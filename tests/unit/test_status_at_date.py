"""#14 items 1 and 3: what a reader hears — the unfounded problems are part of the total
(其中), and a list at an earlier date shows the status of that date, not today's."""

from __future__ import annotations

import datetime as dt

import pytest
from dash import Dash

from data.db import Database
from data.exports import export_ledger, export_overdue, export_report
from data.labels import status_at
from data.overdue import overdue_problems
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_unit, make_user
from tests.unit.test_exports import sheet_rows

YEAR = 2024
EARLY = dt.date(YEAR, 9, 30)
LATE = dt.date(YEAR, 11, 15)
DONE_ON = dt.date(YEAR, 10, 5)


@pytest.fixture
def county(db: Database) -> Database:
    """One problem overdue at 9/30 and rectified on 10/5, one still open, one unfounded."""
    with db.write("test") as s:
        campaign = make_campaign(s, YEAR)
        unit = make_unit(s, name="城关镇司法所")
        make_problem(
            s,
            campaign,
            unit,
            description="后来整改的问题",
            deadline=dt.date(YEAR, 8, 1),
            status="done",
            completed_on=DONE_ON,
            measures="已公示收费标准",
        )
        make_problem(s, campaign, unit, description="仍未整改的问题", deadline=dt.date(YEAR, 8, 1))
        make_problem(s, campaign, unit, description="不属实的投诉", status="unfounded")
        make_user(s, "leader", "leader")
    return db


def test_status_at_a_date() -> None:
    assert status_at("done", DONE_ON, EARLY) == "截至该日未整改（2024-10-05整改完成）"
    assert status_at("verified", None, EARLY) == "截至该日未整改"
    assert status_at("done", DONE_ON, LATE) == "已整改"
    assert status_at("in_progress", None, EARLY) == "整改中"


def test_the_overdue_list_at_an_earlier_date_shows_that_dates_status(county: Database) -> None:
    with county.read() as s:
        early = {p.description: p for p in overdue_problems(s, YEAR, EARLY)}
        late = {p.description for p in overdue_problems(s, YEAR, LATE)}
    assert set(early) == {"后来整改的问题", "仍未整改的问题"}
    assert early["后来整改的问题"].status_at_date == "截至该日未整改（2024-10-05整改完成）"
    assert early["仍未整改的问题"].status_at_date == "待整改"
    assert late == {"仍未整改的问题"}
    with county.read() as s:
        rows = sheet_rows(export_overdue(s, YEAR, EARLY), "逾期问题")
    header, *body = rows
    statuses = {r[header.index("单位")]: r for r in body}
    assert len(body) == 2
    assert [r[-1] for r in body if r[1] == "后来整改的问题"] == [
        "截至该日未整改（2024-10-05整改完成）"
    ]
    assert "已整改" not in {r[-1] for r in body} and statuses


def test_the_ledger_at_a_date_writes_that_dates_status_and_no_later_completion(
    county: Database,
) -> None:
    with county.read() as s:
        early = sheet_rows(export_ledger(s, YEAR, as_of=EARLY))
        today = sheet_rows(export_ledger(s, YEAR))
    header = early[0]
    status, done = header.index("整改状态"), header.index("完成日期")
    by_description = {r[header.index("问题描述")]: r for r in early[1:]}
    later = by_description["后来整改的问题"]
    assert later[status] == "截至该日未整改（2024-10-05整改完成）"
    assert later[done] is None
    current = {r[header.index("问题描述")]: r for r in today[1:]}["后来整改的问题"]
    assert current[status] == "已整改"
    assert current[done] is not None


def test_the_report_says_the_unfounded_are_part_of_the_total(county: Database) -> None:
    with county.read() as s:
        summary = {r[0]: r for r in sheet_rows(export_report(s, YEAR, LATE), "汇总") if r}
    assert summary["问题总数"][1] == 3
    assert summary["其中经核查不属实"][1] == 1


@pytest.fixture
def app(make_app: MakeApp, county: Database) -> Dash:
    return make_app(today=LATE)


def test_the_ledger_file_of_a_date_is_named_with_it(app: Dash) -> None:
    client = app.server.test_client()
    login(client, "leader").close()
    with client.get(f"/download/ledger.xlsx?campaign={YEAR}&as_of={EARLY}") as dated:
        assert dated.status_code == 200
        assert "%E6%88%AA%E8%87%B32024-09-30" in dated.headers["Content-Disposition"]  # 截至
    with client.get(f"/download/ledger.xlsx?campaign={YEAR}") as whole:
        assert "2024-09-30" not in whole.headers["Content-Disposition"]
