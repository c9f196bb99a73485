"""The server's own jobs (dashboard/jobs.py): the daily 催办 run claimed by one server, the
outbox sender every tick, nothing ever raised. A frozen clock: no sleeping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from dashboard import jobs
from dashboard.jobs import Jobs, claim_day, start_jobs
from data.chase_settings import ChaseSettings, save_chase_settings
from data.db import Database
from data.models import ChaseRun, ChaseStep
from tests.factories import make_campaign, make_problem, make_unit

DAY = dt.date(2024, 10, 8)


class Clock:
    """A settable now()."""

    def __init__(self, now: dt.datetime) -> None:
        self.value = now

    def now(self) -> dt.datetime:
        return self.value

    def today(self) -> dt.date:
        return self.value.date()


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The times send_due was called with (nothing is sent)."""
    import data.outbox

    calls: list[dt.datetime] = []

    def fake(database: Database, now: dt.datetime, **_: Any) -> data.outbox.SendResult:
        calls.append(now)
        return data.outbox.SendResult()

    monkeypatch.setattr(data.outbox, "send_due", fake)
    return calls


def seed(db: Database, job_enabled: bool = True) -> None:
    with db.write("test") as s:
        save_chase_settings(s, ChaseSettings(day_count="working", job_enabled=job_enabled))
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, "城关司法所")
        make_problem(s, campaign, unit, found_on=dt.date(2024, 9, 1), deadline=dt.date(2024, 9, 30))


def count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_claim_once_and_take_over_a_dead_one(db: Database) -> None:
    at = dt.datetime(2024, 10, 8, 8, 0)
    assert claim_day(db, DAY, at)
    assert not claim_day(db, DAY, at + dt.timedelta(minutes=5))
    # Not finished an hour later: its server died; another takes it over.
    assert claim_day(db, DAY, at + jobs.STALE_CLAIM + dt.timedelta(minutes=1))
    with db.read() as s:
        run = s.get(ChaseRun, DAY)
        assert run is not None and run.finished_at is None


def test_tick_runs_the_day_once_across_servers(db: Database, sends: list[dt.datetime]) -> None:
    seed(db)
    clock = Clock(dt.datetime(2024, 10, 8, 7, 59))
    first = Jobs(db, today=clock.today, now=clock.now, hour=8)
    second = Jobs(db, today=clock.today, now=clock.now, hour=8)
    first.tick()
    assert count(db, ChaseRun) == 0  # before 08:00: no run yet
    assert sends == [clock.value]  # the sender runs every tick
    clock.value = dt.datetime(2024, 10, 8, 8, 1)
    second.tick()
    first.tick()
    with db.read() as s:
        run = s.get(ChaseRun, DAY)
        assert run is not None and run.source == "server" and run.finished_at is not None
        assert run.created == 1
    assert count(db, ChaseStep) == 1
    # The next day each server tries again; one wins.
    clock.value = dt.datetime(2024, 10, 14, 9, 0)
    first.tick()
    second.tick()
    assert count(db, ChaseRun) == 2
    assert count(db, ChaseStep) == 2  # the escalation of 10/14
    assert len(sends) == 5


def test_job_switched_off_by_the_admin(db: Database, sends: list[dt.datetime]) -> None:
    seed(db, job_enabled=False)
    clock = Clock(dt.datetime(2024, 10, 8, 9, 0))
    server = Jobs(db, today=clock.today, now=clock.now, hour=8)
    server.tick()
    assert count(db, ChaseRun) == count(db, ChaseStep) == 0
    assert len(sends) == 1  # messages a cron run queued are still sent
    with db.write("admin") as s:
        save_chase_settings(s, ChaseSettings(day_count="working", job_enabled=True))
    clock.value = dt.datetime(2024, 10, 8, 9, 1)
    server.tick()  # switched on again the same day: it runs now
    assert count(db, ChaseStep) == 1


def test_cli_run_counts_as_the_days_run(db: Database, sends: list[dt.datetime]) -> None:
    from data.chase import run_chase

    seed(db)
    run_chase(db, DAY, source="cli")
    clock = Clock(dt.datetime(2024, 10, 8, 9, 0))
    Jobs(db, today=clock.today, now=clock.now, hour=8).tick()
    with db.read() as s:
        assert s.get(ChaseRun, DAY).source == "cli"


def test_a_failing_run_never_raises_and_is_tried_again(
    db: Database, sends: list[dt.datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    import data.chase

    seed(db)
    real = data.chase.run_chase

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("数据库暂时不可用")

    monkeypatch.setattr(data.chase, "run_chase", broken)
    clock = Clock(dt.datetime(2024, 10, 8, 9, 0))
    server = Jobs(db, today=clock.today, now=clock.now, hour=8)
    server.tick()  # logged, not raised
    assert count(db, ChaseRun) == 0  # the claim was given back
    assert len(sends) == 1
    monkeypatch.setattr(data.chase, "run_chase", real)
    clock.value += dt.timedelta(minutes=1)
    server.tick()
    assert count(db, ChaseStep) == 0  # waits RETRY_AFTER before trying again
    clock.value += jobs.RETRY_AFTER
    server.tick()
    assert count(db, ChaseStep) == 1


def test_a_failing_sender_never_raises(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import data.outbox

    def broken(*_: Any, **__: Any) -> None:
        raise OSError("网络不通")

    monkeypatch.setattr(data.outbox, "send_due", broken)
    seed(db)
    clock = Clock(dt.datetime(2024, 10, 8, 9, 0))
    Jobs(db, today=clock.today, now=clock.now, hour=8).tick()
    assert count(db, ChaseStep) == 1


def test_start_jobs_switch_and_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch, make_app: Any
) -> None:
    monkeypatch.setenv("PINGYI_JOBS", "0")
    assert start_jobs(db) is None
    monkeypatch.setenv("PINGYI_JOBS", "1")
    monkeypatch.setenv("PINGYI_CHASE_HOUR", "6")
    app = make_app(today=DAY)
    started = start_jobs(app, first_tick=3600)
    assert started is not None
    try:
        assert started.alive and started.hour == 6
        assert started.today() == DAY  # the app's pinned today
        assert started.database is app.server.extensions["pingyi"]["db"]
    finally:
        started.stop()
    assert not started.alive


def test_each_worker_starts_its_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    import dashboard.app
    from dashboard.serve import _Gunicorn

    class FakeApp:
        server = object()

    started: list[Any] = []
    monkeypatch.setattr(dashboard.app, "create_app", FakeApp)
    monkeypatch.setattr(jobs, "start_jobs", started.append)
    served = _Gunicorn.load(object.__new__(_Gunicorn))
    assert served is FakeApp.server and isinstance(started[0], FakeApp)
