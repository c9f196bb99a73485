"""The production server's own jobs (#15): the daily 催办 run and the outbox sender.

Each gunicorn worker starts one daemon thread (dashboard/serve.py; never the app factory, so
tests and `dashboard handout` start none). Every minute it

- runs the day's ladder (data/chase.run_chase, source "server") once the clock has passed
  CHASE_HOUR, unless the admin switched the job off (催办设置: job_enabled). Of several workers
  and servers, the one whose INSERT of the day's chase_run row succeeds runs it (the row's
  primary key is the day); a `dashboard chase run` from cron that day counts as the day's run
  too. A run that failed gives its claim back; one whose server died is taken over after
  STALE_CLAIM.
- sends the messages due (data/outbox.send_due; it claims each message, so two senders never
  send one twice).

PINGYI_JOBS=0 starts no thread at all (the ladder then needs `dashboard chase run` from cron or
a systemd timer: docs/deploy.md). Nothing here ever raises into a page: a failure is logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from data.db import Database
from data.models import ChaseRun

log = logging.getLogger(__name__)

JOBS_ENV = "PINGYI_JOBS"
HOUR_ENV = "PINGYI_CHASE_HOUR"
# The daily run waits until this hour (local time): no robot message to a group at midnight.
CHASE_HOUR = 8
INTERVAL = 60.0  # seconds between ticks
FIRST_TICK = 15.0  # seconds after the worker starts
# A claimed run not finished after this long belongs to a server that died: taken over.
STALE_CLAIM = dt.timedelta(hours=1)
SOURCE = "server"
# After a failed run, the next try waits this long (the error is logged each time).
RETRY_AFTER = dt.timedelta(minutes=10)


def jobs_enabled() -> bool:
    """Whether this process may start the jobs thread (PINGYI_JOBS is not 0)."""
    return os.environ.get(JOBS_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def chase_hour() -> int:
    """The hour from which the day's run may start (PINGYI_CHASE_HOUR, default 8)."""
    try:
        hour = int(os.environ.get(HOUR_ENV, CHASE_HOUR))
    except ValueError:
        return CHASE_HOUR
    return hour if 0 <= hour <= 23 else CHASE_HOUR


def claim_day(database: Database, day: dt.date, now: dt.datetime, source: str = SOURCE) -> bool:
    """Claim the day's run for this server: True when this call made the day's chase_run row,
    or took over one left unfinished for longer than STALE_CLAIM. Committed at once, without
    the history (a run's claim is not evaluation data)."""
    table = ChaseRun.__table__
    dialect = postgresql if database.engine.dialect.name == "postgresql" else sqlite
    claim = (
        dialect.insert(table)
        .values(run_on=day, source=source, started_at=now, finished_at=None, created=0)
        .on_conflict_do_nothing(index_elements=["run_on"])
        .returning(table.c.run_on)
    )
    takeover = (
        update(table)
        .where(
            table.c.run_on == day,
            table.c.finished_at.is_(None),
            table.c.started_at < now - STALE_CLAIM,
        )
        .values(source=source, started_at=now)
        .returning(table.c.run_on)
    )
    # RETURNING, not rowcount: psycopg reports no rowcount for these statements.
    with database.engine.execution_options(sqlite_immediate=True).begin() as connection:
        if connection.execute(claim).first() is not None:
            return True
        return connection.execute(takeover).first() is not None


def release_day(database: Database, day: dt.date) -> None:
    """Give back a claim whose run failed (another tick or server tries again)."""
    table = ChaseRun.__table__
    with database.engine.execution_options(sqlite_immediate=True).begin() as connection:
        connection.execute(
            delete(table).where(table.c.run_on == day, table.c.finished_at.is_(None))
        )


OFF = "off"  # the admin has switched the server's job off
TAKEN = "taken"  # another server (or `dashboard chase run`) has the day's run


def daily_chase(database: Database, day: dt.date, now: dt.datetime) -> Any:
    """Run the day's ladder if the admin has the job on and this server wins the day's claim:
    the ChaseResult, else OFF or TAKEN."""
    from data.chase import run_chase
    from data.chase_settings import chase_settings

    with database.read() as session:
        if not chase_settings(session).job_enabled:
            return OFF
    if not claim_day(database, day, now):
        return TAKEN
    try:
        result = run_chase(database, day, source=SOURCE)
    except BaseException:
        release_day(database, day)
        raise
    log.info("chase: %s", "；".join(result.lines()))
    return result


@dataclass
class Jobs:
    """The jobs of one server process: `tick` does one minute's work; `start` runs it in a
    daemon thread until `stop`."""

    database: Database
    today: Callable[[], dt.date] = dt.date.today
    now: Callable[[], dt.datetime] = dt.datetime.now
    hour: int = CHASE_HOUR
    interval: float = INTERVAL
    first_tick: float = FIRST_TICK
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _done_on: dt.date | None = field(default=None, repr=False)
    _retry_at: dt.datetime | None = field(default=None, repr=False)

    def tick(self) -> None:
        """One minute's work: the day's run when due, then the messages due. Never raises."""
        now = self.now()
        day = self.today()
        waiting = self._retry_at is not None and now < self._retry_at
        if self._done_on != day and now.hour >= self.hour and not waiting:
            try:
                outcome = daily_chase(self.database, day, now)
            except Exception:
                log.exception("chase: the daily run of %s failed; tried again later", day)
                self._retry_at = now + RETRY_AFTER
            else:
                self._retry_at = None
                if outcome != OFF:  # switched back on later in the day: it runs then
                    self._done_on = day
        try:
            from data.outbox import send_due

            result = send_due(self.database, now)
            if result.sent or result.failed or result.retrying:
                log.info(
                    "outbox: %s sent, %s to retry, %s given up",
                    result.sent,
                    result.retrying,
                    result.failed,
                )
        except Exception:
            log.exception("outbox: sending failed")

    def _loop(self) -> None:
        if self._stop.wait(self.first_tick):
            return
        while True:
            self.tick()
            if self._stop.wait(self.interval):
                return

    def start(self) -> Jobs:
        """Start the daemon thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="pingyi-jobs", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (after the tick under way, if any)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def start_jobs(app_or_database: Any, **options: Any) -> Jobs | None:
    """Start the server's jobs thread for a dashboard app (its database and its today) or a
    Database; None when PINGYI_JOBS=0. The admin's job switch is read at every tick, so
    switching the job off or on takes effect within a minute without a restart."""
    if not jobs_enabled():
        log.info("jobs: not started (%s=0)", JOBS_ENV)
        return None
    if isinstance(app_or_database, Database):
        database, today = app_or_database, dt.date.today
    else:
        from dashboard.context import EXTENSION

        server = getattr(app_or_database, "server", app_or_database)
        extension = server.extensions[EXTENSION]
        database, today = extension["db"], extension["settings"].today
    options.setdefault("hour", chase_hour())
    return Jobs(database, today=today, **options).start()
