"""Indexes proven with EXPLAIN: the pages' filtered queries never scan the whole problem table.

Every statement the data functions run for a filtered view (by kind, township, unit) is
captured and explained on the test database; a plan that reads all of `problem` fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from data import cache
from data.complaints import GRIDS, complaint_grid
from data.db import Database
from data.evaluation import evaluation_results, focus_candidates
from data.figures import Filters, campaign_figures
from data.overdue import overdue_data
from data.rectification import rectification_data
from data.unit_detail import unit_detail
from tests.factories import make_campaign, make_problem, make_unit

AS_OF = dt.date(2024, 11, 20)
FILTERS = (
    Filters(kinds=("judicial_office",)),
    Filters(townships=("城关镇",)),
    Filters(unit_ids=(1,)),
)
READERS: dict[str, Callable[[Session, Filters], Any]] = {
    "campaign_figures": lambda s, f: campaign_figures.uncached(s, 2024, AS_OF, f),
    "evaluation_results": lambda s, f: evaluation_results.uncached(s, 2024, AS_OF, f),
    "focus_candidates": lambda s, f: focus_candidates.uncached(s, 2024, AS_OF, f),
    "overdue_data": lambda s, f: overdue_data(s, 2024, AS_OF, f),
    "rectification_data": lambda s, f: rectification_data(s, 2024, AS_OF, f),
    "complaint_grid": lambda s, f: [
        complaint_grid(s, 2024, AS_OF, f, ("hotline", "referral"), name) for name in GRIDS
    ],
    "unit_detail": lambda s, f: unit_detail(s, 2024, 1, AS_OF),
}


@pytest.fixture
def county(db: Database) -> Database:
    cache.clear()
    with db.write("test") as s:
        units = [
            make_unit(s, name=f"单位{n}", township="城关镇" if n else "东乡镇") for n in range(3)
        ]
        for year in (2023, 2024):
            campaign = make_campaign(s, year)
            for unit in units:
                make_problem(s, campaign, unit, found_on=dt.date(year, 6, 10))
                make_problem(s, campaign, unit, found_on=dt.date(year, 7, 1), channel="hotline")
    return db


def statements(db: Database, read: Callable[[Session, Filters], Any], filters: Filters) -> list:
    captured: list[tuple[str, Any]] = []

    def hook(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if "problem" in sql.lower() and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", hook)
    try:
        with db.read() as s:
            read(s, filters)
    finally:
        event.remove(db.engine, "before_cursor_execute", hook)
    return captured


def plan(db: Database, sql: str, params: Any) -> list[str]:
    """The query plan's lines (SQLite EXPLAIN QUERY PLAN, or PostgreSQL EXPLAIN without seq scans
    preferred, as on a big table)."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
            return [row[3] for row in rows]
        conn.execute(text("SET enable_seqscan = off"))
        rows = conn.exec_driver_sql(f"EXPLAIN {sql}", params).all()
        return [row[0] for row in rows]


def full_scans_of_problem(lines: list[str]) -> list[str]:
    return [
        line for line in lines if line.startswith("SCAN problem") or "Seq Scan on problem" in line
    ]


@pytest.mark.parametrize("name", sorted(READERS))
@pytest.mark.parametrize("filters", FILTERS, ids=("kind", "township", "unit"))
def test_filtered_queries_use_an_index(county: Database, name: str, filters: Filters) -> None:
    captured = statements(county, READERS[name], filters)
    assert captured, "the reader ran no query on problem"
    for sql, params in captured:
        lines = plan(county, sql, params)
        assert not full_scans_of_problem(lines), (sql, lines)


def test_a_query_without_a_usable_index_is_caught(county: Database) -> None:
    """The check itself can fail: a condition on an unindexed column scans the table."""
    lines = plan(county, "SELECT count(*) FROM problem WHERE description = 'x'", ())
    assert full_scans_of_problem(lines)
