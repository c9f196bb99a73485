"""The cache every worker shares (#13 item 6): an answer computed by one worker — another process
— is served to the next worker from the database's shared_cache table; a write still moves every
key; a broken shared tier costs a recomputation, never a page."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from data import cache
from data.db import Database
from data.figures import campaign_figures
from data.models import SharedCacheEntry
from tests.factories import make_campaign, make_problem, make_unit

AS_OF = dt.date(2024, 11, 20)
ROOT = Path(__file__).resolve().parents[2]
# What another gunicorn worker does: compute the figures once (with its own hash seed).
WORKER = """
import datetime as dt, sys
from data.db import Database
from data.figures import campaign_figures
db = Database.from_url(sys.argv[1])
with db.read() as s:
    print(campaign_figures(s, 2024, dt.date(2024, 11, 20)).problems)
db.engine.dispose()
"""


@pytest.fixture
def county(db: Database) -> Database:
    cache.clear()
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_problem(s, campaign, unit)
        make_problem(s, campaign, unit)
    return db


def entries(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(SharedCacheEntry)) or 0


def other_worker(db: Database) -> str:
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", WORKER, db.engine.url.render_as_string(hide_password=False)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout.strip()


def test_an_answer_from_another_worker_is_served_from_the_shared_table(county: Database) -> None:
    assert entries(county) == 0
    assert other_worker(county) == "2"
    assert entries(county) == 1
    shared, misses = cache.stats["shared_hits"], cache.stats["misses"]
    with county.read() as s:
        assert campaign_figures(s, 2024, AS_OF).problems == 2
    assert cache.stats["shared_hits"] == shared + 1  # not recomputed here
    assert cache.stats["misses"] == misses + 1  # this process's memory did not have it
    with county.read() as s:  # now in this process's memory too
        assert campaign_figures(s, 2024, AS_OF).problems == 2
    assert cache.stats["shared_hits"] == shared + 1


def test_a_write_moves_the_key_and_old_entries_go(county: Database) -> None:
    assert other_worker(county) == "2"
    with county.write("test") as s:
        make_problem(s, s.scalar(text("SELECT id FROM campaign")) and _campaign(s), _unit(s))
    cache.clear(memory_only=True)
    with county.read() as s:
        assert campaign_figures(s, 2024, AS_OF).problems == 3  # never the shared stale 2
    with county.read() as s:
        version = cache.data_version(s)
        kept = s.scalars(select(SharedCacheEntry.version)).all()
    assert kept == [version]  # the entry of the old version was deleted when this one was stored


def _campaign(s):  # type: ignore[no-untyped-def]
    from data.models import Campaign

    return s.scalar(select(Campaign))


def _unit(s):  # type: ignore[no-untyped-def]
    from data.models import Unit

    return s.scalar(select(Unit))


def test_a_broken_shared_table_costs_a_recomputation_not_a_page(county: Database) -> None:
    with county.engine.begin() as conn:
        conn.execute(text("DROP TABLE shared_cache"))
    errors = cache.stats["shared_errors"]
    with county.read() as s:
        assert campaign_figures(s, 2024, AS_OF).problems == 2
    cache.clear(memory_only=True)
    with county.read() as s:
        assert campaign_figures(s, 2024, AS_OF).problems == 2
    assert cache.stats["shared_errors"] > errors


def test_switched_off_nothing_is_shared(county: Database) -> None:
    cache.use_shared(False)
    try:
        with county.read() as s:
            assert campaign_figures(s, 2024, AS_OF).problems == 2
        assert entries(county) == 0
    finally:
        cache.use_shared(True)


def test_a_backup_carries_no_cache(tmp_path: Path) -> None:
    import sqlite3

    from data.backup import backup
    from data.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'county.db'}"
    upgrade(url)
    db = Database.from_url(url)
    with db.write("test") as s:
        make_problem(s, make_campaign(s, 2024), make_unit(s, name="城关镇司法所"))
    with db.read() as s:
        assert campaign_figures(s, 2024, AS_OF).problems == 1
    assert entries(db) == 1
    result = backup(url, tmp_path / "county.bak")
    copy = sqlite3.connect(result.path)
    try:
        assert copy.execute("SELECT count(*) FROM shared_cache").fetchone() == (0,)
        assert copy.execute("SELECT count(*) FROM problem").fetchone() == (1,)
    finally:
        copy.close()
    db.engine.dispose()


def test_an_answer_of_another_release_is_not_served(
    county: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert other_worker(county) == "2"  # stored by this release
    monkeypatch.setattr(cache, "CODE_VERSION", "an-upgrade")
    shared = cache.stats["shared_hits"]
    with county.read() as s:
        assert campaign_figures(s, 2024, AS_OF).problems == 2
    assert cache.stats["shared_hits"] == shared  # recomputed, not the old release's answer


def test_a_write_session_keeps_its_figures_off_the_shared_table(county: Database) -> None:
    """A write session holds SQLite's write lock from its first statement: storing to the shared
    table from a second connection would wait for it (once per figure: publishing a snapshot
    waited 15 s), and reading it must not BEGIN IMMEDIATE as the write session's engine does.
    Its answers stay in memory, where the next reader of that version finds them."""
    errors = cache.stats["shared_errors"]
    with county.write("test") as s:
        in_write = campaign_figures(s, 2024, AS_OF).problems
    assert entries(county) == 0
    # The shared read took a reader's BEGIN, not the write session's BEGIN IMMEDIATE (which
    # waited out the busy timeout and failed).
    assert cache.stats["shared_errors"] == errors
    hits = cache.stats["hits"]
    with county.read() as s:
        assert campaign_figures(s, 2024, AS_OF).problems == in_write == 2
    assert cache.stats["hits"] == hits + 1
