"""The unit page's data: complainants masked on the server; figures from the figures module."""

from __future__ import annotations

import datetime as dt

from data.db import Database
from data.unit_detail import unit_header, unit_problems
from tests.factories import make_campaign, make_problem, make_unit, set_caseload


def test_problems_arrive_masked(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        set_caseload(s, campaign, unit, 80)
        make_problem(
            s,
            campaign,
            unit,
            channel="hotline",
            complainant_name="张三",
            complainant_phone="13812345678",
            found_on=dt.date(2024, 6, 3),
        )
        make_problem(s, campaign, unit, found_on=dt.date(2024, 10, 1))
        unit_id = unit.id
    with db.read() as s:
        rows = unit_problems(s, 2024, unit_id, dt.date(2024, 9, 1))
        revealed = unit_problems(s, 2024, unit_id, dt.date(2024, 9, 1), reveal=True)
        header = unit_header(s, unit_id, 2024)
    assert len(rows) == 1  # found after the as-of date: not counted
    assert (rows[0].complainant_name, rows[0].complainant_phone) == ("张*", "138****5678")
    assert revealed[0].complainant_phone == "13812345678"
    assert rows[0].overdue  # deadline 2024-07-03 passed, still pending
    assert header is not None and header.cases == 80


def test_unknown_unit_has_no_header(db: Database) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
    with db.read() as s:
        assert unit_header(s, 12345, 2024) is None
