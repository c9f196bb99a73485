"""Concurrent writers on one SQLite file: nothing fails, nothing is lost, all is in the history."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from data.db import Database
from data.models import ChangeLog, Problem, Unit
from tests.factories import make_campaign, make_unit

WRITERS = 8
RECORDS = 500


def _write_records(url: str, writer: int, campaign_id: int, unit_id: int) -> int:
    """Create RECORDS problems, one transaction each; returns how many failed."""
    db = Database.from_url(url)
    failures = 0
    for i in range(RECORDS):
        try:
            with db.write(f"writer{writer}") as s:
                s.add(
                    Problem(
                        campaign_id=campaign_id,
                        unit_id=unit_id,
                        channel="hotline",
                        criterion_code="lawful",
                        found_on=dt.date(2024, 6, 1),
                        description=f"并发写入 {writer}-{i}",
                        deadline=dt.date(2024, 7, 1),
                        status="pending",
                        ledger_key=f"{writer}-{i}",
                    )
                )
        except Exception:  # noqa: BLE001 - any failure counts
            failures += 1
    db.engine.dispose()
    return failures


def _increment(url: str, writer: int, unit_id: int, times: int) -> int:
    """Read-modify-write one shared record `times` times, retrying when someone else won."""
    db = Database.from_url(url)
    done = 0
    while done < times:
        with db.read() as s:
            unit = s.get(Unit, unit_id)
            seen_version, seen = unit.version, int(unit.township or "0")
        try:
            with db.write(f"writer{writer}") as s:
                unit = s.get(Unit, unit_id)
                if unit.version != seen_version:
                    continue  # someone saved in between: start again from what is there now
                unit.township = str(seen + 1)
            done += 1
        except StaleDataError:
            continue
    db.engine.dispose()
    return done


def test_eight_writers_lose_nothing(db: Database, db_url: str) -> None:
    with db.write("test") as s:
        campaign_id = make_campaign(s, 2024).id
        unit_id = make_unit(s).id
    with db.read() as s:
        history_before = s.scalar(select(func.count()).select_from(ChangeLog))
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        failures = pool.starmap(
            _write_records, [(db_url, w, campaign_id, unit_id) for w in range(WRITERS)]
        )
    elapsed = time.perf_counter() - started
    with db.read() as s:
        problems = s.scalar(select(func.count()).select_from(Problem))
        history = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == "problem")
        )
        total_history = s.scalar(select(func.count()).select_from(ChangeLog))
    print(f"\n{WRITERS}×{RECORDS} writes in {elapsed:.1f}s ({WRITERS * RECORDS / elapsed:.0f}/s)")
    assert failures == [0] * WRITERS
    assert problems == WRITERS * RECORDS
    assert history == problems
    assert total_history - history_before == problems


def test_no_lost_updates_between_writers(db: Database, db_url: str) -> None:
    with db.write("test") as s:
        unit_id = make_unit(s, township="0").id
    times = 25
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        done = pool.starmap(_increment, [(db_url, w, unit_id, times) for w in range(WRITERS)])
    with db.read() as s:
        unit = s.get(Unit, unit_id)
        updates = s.scalar(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.entity == "unit", ChangeLog.action == "update")
        )
    assert done == [times] * WRITERS
    assert unit.township == str(WRITERS * times)
    assert updates == WRITERS * times
