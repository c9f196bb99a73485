"""kill -9 of `dashboard serve` in the middle of writes: nothing confirmed is lost, the file is
sound. Three rounds on one SQLite file, each with writers saving 督导检查 visits over HTTP."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.load import DashSession, Server
from data.db import Database
from data.migrate import upgrade
from data.models import ChangeLog, SupervisionVisit
from tests.factories import PASSWORD, make_campaign, make_unit, make_user

ROUNDS = 3
WRITERS = 3
WRITE_SECONDS = 1.5
SEARCH = "?campaign=2026&as_of=2026-11-20"


def _writer(
    server: Server, index: int, unit_id: int, stop: threading.Event, confirmed: list[tuple]
) -> None:
    client = DashSession(server.url, f"duban{index}", PASSWORD)
    serial = 0
    while not stop.is_set():
        serial += 1
        name = f"第{index}组-{serial}"
        try:
            visit = client.save_visit(SEARCH, unit_id, "2026-11-18", name)
        except Exception:  # the server died mid-request: not confirmed  # noqa: BLE001
            return
        if visit is not None:
            confirmed.append((visit, name))


def test_kill_9_during_writes_loses_no_confirmed_write(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    database = Database.from_url(url)
    with database.write("test") as s:
        make_campaign(s, 2026)
        unit_id = make_unit(s, name="城关镇司法所").id
        for index in range(WRITERS):
            make_user(s, f"duban{index}", "supervisor")
    database.engine.dispose()

    confirmed: list[tuple[int, str]] = []
    for _round in range(ROUNDS):
        server = Server(url, workers=2, log=tmp_path / "serve.log")
        try:
            server.wait_ready(timeout=40)
            stop = threading.Event()
            before = len(confirmed)
            threads = [
                threading.Thread(target=_writer, args=(server, i, unit_id, stop, confirmed))
                for i in range(WRITERS)
            ]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 20
            while len(confirmed) - before < 5 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(WRITE_SECONDS)
        finally:
            server.kill(signal.SIGKILL)  # master and workers at once, mid-write
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert len(confirmed) - before >= 5, (tmp_path / "serve.log").read_text()[-2000:]

        check = sqlite3.connect(path)
        try:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            check.close()

    database = Database.from_url(url)
    try:
        with database.read() as s:
            rows = s.execute(select(SupervisionVisit.id, SupervisionVisit.supervisors)).all()
            stored = {visit: name for visit, name in rows}
            logged = s.scalar(
                select(func.count(func.distinct(ChangeLog.entity_id))).where(
                    ChangeLog.entity == "supervision_visit", ChangeLog.action == "create"
                )
            )
    finally:
        database.engine.dispose()
    assert len(confirmed) >= ROUNDS * 5
    missing = [(visit, name) for visit, name in confirmed if stored.get(visit) != name]
    assert missing == []
    assert logged == len(stored)  # every saved visit has its history row
