"""The figures cache: every write moves the data version, so no figure is ever served stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from data import cache
from data.db import Database
from data.figures import campaign_figures
from data.history import record
from data.imports import run_import
from data.migrate import upgrade
from data.models import Problem
from tests.factories import make_campaign, make_problem, make_unit

AS_OF = dt.date(2024, 11, 20)
LEDGER = (
    "责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态\n"
    "城关镇司法所,自查自纠,依法办事,2024-06-03,窗口等候时间长,2024-07-03,待整改\n"
)


@pytest.fixture
def county(db: Database) -> Database:
    cache.clear()
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_problem(s, campaign, unit)
    return db


def problems(db: Database) -> int:
    with db.read() as s:
        return campaign_figures(s, 2024, AS_OF).problems


def version(db: Database) -> int:
    with db.read() as s:
        return cache.data_version(s)


def test_repeated_view_is_served_from_the_cache(county: Database) -> None:
    assert problems(county) == 1
    hits = cache.stats["hits"]
    assert problems(county) == 1
    assert cache.stats["hits"] == hits + 1


def test_orm_write_moves_the_version_and_the_figures(county: Database) -> None:
    assert problems(county) == 1
    before = version(county)
    with county.write("test") as s:
        unit = s.scalar(select(Problem.unit_id))
        campaign = s.scalar(select(Problem.campaign_id))
        s.add(
            Problem(
                campaign_id=campaign,
                unit_id=unit,
                channel="hotline",
                criterion_code="lawful",
                found_on=dt.date(2024, 6, 5),
                description="又一个",
                deadline=dt.date(2024, 7, 5),
                status="pending",
            )
        )
    assert version(county) > before
    assert problems(county) == 2


def test_core_update_moves_the_version(county: Database) -> None:
    assert campaign_figures_status(county) == 0
    with county.write("test") as s:
        s.execute(
            update(Problem).values(status="done", completed_on=dt.date(2024, 6, 20), version=2)
        )
    assert campaign_figures_status(county) == 1


def campaign_figures_status(db: Database) -> int:
    with db.read() as s:
        return campaign_figures(s, 2024, AS_OF).rectified


def test_bulk_import_and_record_move_the_version(county: Database) -> None:
    assert problems(county) == 1
    with county.write("test") as s:
        run_import(s, "problems", LEDGER.encode(), "ledger.csv", 2024)
    assert problems(county) == 2
    before = version(county)
    with county.write("test") as s:
        record(s, "reveal", "problem", [(1, None, None)])
    assert version(county) == before + 1


def test_rolled_back_write_never_reaches_the_cache(county: Database) -> None:
    """Figures seen inside a write that is then rolled back are not kept for anyone."""
    assert problems(county) == 1
    with pytest.raises(RuntimeError), county.write("test") as s:
        s.execute(update(Problem).values(status="unfounded", version=2))
        assert campaign_figures(s, 2024, AS_OF).unfounded == 1
        raise RuntimeError("abandon")
    # Another write now moves the version to the number the abandoned one had used.
    with county.write("test") as s:
        s.execute(update(Problem).values(severity="serious", version=2))
    with county.read() as s:
        assert campaign_figures(s, 2024, AS_OF).unfounded == 0


def test_key_includes_the_database(county: Database, tmp_path: Path) -> None:
    """Two databases at the same version do not share figures."""
    assert problems(county) == 1
    url = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(url)
    other = Database.from_url(url)
    with other.write("test") as s:
        make_campaign(s, 2024)
    assert problems(other) == 0
    other.engine.dispose()
