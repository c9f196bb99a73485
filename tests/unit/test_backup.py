"""`dashboard backup` and `dashboard restore`: a round trip keeps every row and the history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dashboard.cli import main
from data.backup import BackupError, file_rows, restore, table_counts
from data.cache import data_version
from data.db import Database
from data.figures import campaign_figures
from data.migrate import upgrade
from data.models import ChangeLog, Unit
from tests.conftest import PostgresDatabases
from tests.factories import make_campaign, make_problem, make_unit, make_user


@pytest.fixture
def county(db: Database) -> Database:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        for n in range(3):
            unit = make_unit(s, name=f"第{n}司法所")
            for _ in range(4):
                make_problem(s, campaign, unit)
        make_user(s, "leader", "leader")
    with db.write("editor") as s:
        s.scalars(select(Unit)).first().name = "城关镇司法所（改名）"  # type: ignore[union-attr]
    return db


@pytest.fixture
def target_url(tmp_path: Path, postgres: PostgresDatabases | None) -> Iterator[str]:
    """An empty database to restore into: a new SQLite file, or a new PostgreSQL database."""
    if postgres is None:
        yield f"sqlite:///{tmp_path / 'restored' / 'campaign.db'}"
        return
    name = postgres.create(f"restore_{uuid.uuid4().hex[:8]}")
    yield postgres.url(name)
    postgres.drop(name)


def _history(url: str) -> list[tuple]:
    database = Database.from_url(url)
    try:
        with database.read() as s:
            rows = s.execute(
                select(ChangeLog.id, ChangeLog.actor, ChangeLog.action, ChangeLog.entity).order_by(
                    ChangeLog.id
                )
            ).all()
            return [tuple(row) for row in rows]
    finally:
        database.engine.dispose()


def test_round_trip_keeps_every_row_and_the_change_log(
    county: Database,
    db_url: str,
    target_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = table_counts(db_url)
    history = _history(db_url)
    assert before["problem"] == 12 and before["change_log"] > 0
    assert any(actor == "editor" for _, actor, _, _ in history)

    file = tmp_path / "backups" / "county.bak"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["backup", str(file)]) == 0
    assert "已备份" in capsys.readouterr().out
    assert file.stat().st_size > 0

    # Writes after the backup are not in it.
    with county.write("later") as s:
        make_unit(s, name="备份之后的单位")

    monkeypatch.setenv("DATABASE_URL", target_url)
    assert main(["restore", str(file)]) == 0
    assert "已从" in capsys.readouterr().out
    assert table_counts(target_url) == before
    assert _history(target_url) == history

    restored = Database.from_url(target_url)
    try:  # the restored database takes new writes, recorded in its history
        with restored.write("after-restore") as s:
            make_unit(s, name="恢复之后的单位")
        assert table_counts(target_url)["change_log"] > before["change_log"]
    finally:
        restored.engine.dispose()


def test_restore_refuses_a_database_with_data_unless_forced(
    county: Database,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "county.bak"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["backup", str(file)]) == 0
    before = table_counts(db_url)
    with county.write("later") as s:
        make_unit(s, name="备份之后的单位")
    county.engine.dispose()
    capsys.readouterr()

    assert main(["restore", str(file)]) == 1
    assert "已有数据" in capsys.readouterr().err
    assert table_counts(db_url)["unit"] == before["unit"] + 1

    assert main(["restore", str(file), "--force"]) == 0
    assert table_counts(db_url) == before


def test_restore_rejects_what_is_not_a_backup(db_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是备份文件" * 10)
    with pytest.raises(BackupError, match="不是本系统的备份文件"):
        restore(db_url, junk)
    with pytest.raises(BackupError, match="找不到备份文件"):
        restore(db_url, tmp_path / "missing.bak")


def test_an_empty_migrated_database_counts_as_empty(
    db_url: str, target_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "empty.bak"
    from data.backup import backup

    backup(db_url, file)
    upgrade(target_url)
    assert table_counts(target_url)["criterion"] > 0  # reference rows only: still "empty"
    assert restore(target_url, file) == sum(table_counts(db_url).values())


def test_a_restore_moves_the_data_version_past_what_servers_have_seen(
    county: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "county.bak"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["backup", str(file)]) == 0
    as_of = dt.date(2024, 11, 20)
    with county.write("later") as s:
        make_unit(s, name="备份之后的单位")
    with county.read() as s:
        seen = data_version(s)
        assert len(campaign_figures(s, 2024, as_of).by_unit) == 4  # now in the cache
    county.engine.dispose()
    assert main(["restore", str(file), "--force"]) == 0
    restored = Database.from_url(db_url)
    try:
        with restored.read() as s:
            # Past the replaced database's version: a running server's cache cannot answer
            # for the restored data with figures it kept from before the restore.
            assert data_version(s) > seen
            assert len(campaign_figures(s, 2024, as_of).by_unit) == 3
    finally:
        restored.engine.dispose()


def test_backup_counts_the_rows_of_the_file_it_wrote(
    county: Database,
    db_url: str,
    postgres: PostgresDatabases | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The dashboard keeps serving during a backup: a write that lands after the copy is in the
    live database, not in the file, and the count printed is the file's."""
    replace = Path.replace

    def replace_then_write(self: Path, target: Any) -> Path:
        moved = replace(self, target)
        with county.write("during-backup") as s:
            make_unit(s, name="备份时写入的单位")
        return moved

    monkeypatch.setattr(Path, "replace", replace_then_write)
    monkeypatch.setenv("DATABASE_URL", db_url)
    file = tmp_path / "county.bak"
    assert main(["backup", str(file)]) == 0
    in_file = file_rows(file)
    if postgres is None:  # the file opened as a database says the same
        assert in_file == sum(table_counts(f"sqlite:///{file}").values())
    assert sum(table_counts(db_url).values()) > in_file  # the live database moved on
    assert f"文件中共 {in_file} 行数据" in capsys.readouterr().out


def _damaged(file: Path, how: str) -> None:
    """Cut a backup short, or overwrite part of it."""
    data = bytearray(file.read_bytes())
    if how == "truncated":
        del data[len(data) // 2 :]
    elif how == "truncated-without-size":  # SQLite's header page count marked stale
        del data[len(data) * 3 // 4 :]
        data[92:96] = b"\x00\x00\x00\x00"
    elif how == "overwritten":
        middle = len(data) // 2
        data[middle : middle + 8192] = bytes(range(256)) * 32
    else:  # the header alone
        del data[100:]
    file.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "truncated-without-size", "overwritten", "header"])
def test_restore_of_a_damaged_backup_is_one_line_and_changes_nothing(
    county: Database,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    file = tmp_path / "county.bak"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["backup", str(file)]) == 0
    with county.write("later") as s:
        make_unit(s, name="备份之后的单位")
    county.engine.dispose()
    before = table_counts(db_url)
    _damaged(file, how)
    capsys.readouterr()
    assert main(["restore", str(file), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("错误："), err
    assert "备份文件已损坏或不完整" in err and str(file) in err
    assert "Traceback" not in err
    assert table_counts(db_url) == before
