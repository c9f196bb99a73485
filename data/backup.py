"""Backup and restore of the whole database: SQLite's online backup API, or pg_dump/pg_restore.

A SQLite backup is one self-contained file (journal mode DELETE), taken page by page while the
dashboard keeps serving. A PostgreSQL backup is pg_dump's custom format. A restore refuses a
target that already holds data unless forced, so a slip of the keyboard cannot overwrite a live
campaign.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Not records: alembic's bookkeeping, and the cache every worker shares (data/cache.py), which a
# backup leaves empty (its entries are keyed by a data version a restore moves past anyway).
CACHE_TABLE = "shared_cache"
NOT_DATA = {"alembic_version", CACHE_TABLE}
# Migrations seed reference rows (criteria); a database "holds data" once any of these has rows.
CAMPAIGN_DATA = ("campaign", "unit", "app_user", "change_log")


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message is one Chinese line."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    rows: int


def _url(url: str) -> URL:
    return make_url(url)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("内存数据库无法备份")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """postgresql+psycopg://… as the plain postgresql://… that pg_dump understands."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def table_counts(url: str) -> dict[str, int]:
    """Rows in every table of the database at `url` (alembic's bookkeeping left out)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if n not in NOT_DATA]
            return {
                name: conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
                for name in sorted(names)
            }
    finally:
        engine.dispose()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 {name}（请安装 PostgreSQL 客户端：apt-get install postgresql-client）"
        )
    return path


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(
            f"{Path(args[0]).name} 失败：{message[-1] if message else done.returncode}"
        )


def _sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return URL.create("sqlite", database=str(path)).render_as_string()


def _dump_rows(file: Path) -> int:
    """The data rows in a pg_dump file: the lines of its COPY blocks, read back by pg_restore
    (alembic's bookkeeping left out, as table_counts does)."""
    args = [_tool("pg_restore"), "--data-only", "--file", "-", str(file)]
    rows, counting = 0, False
    # stderr to a file, not a pipe: a long report cannot stall the reading of stdout.
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors) as reader,
    ):
        assert reader.stdout is not None
        for line in reader.stdout:
            if counting:
                if line.rstrip(b"\r\n") == b"\\.":
                    counting = False
                else:
                    rows += 1
            elif line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;"):
                table = line.split(b" ", 2)[1].decode(errors="replace").rsplit(".", 1)[-1]
                counting = table.strip('"') not in NOT_DATA
        reader.wait()
        errors.seek(0)
        error = errors.read().decode(errors="replace")
    if reader.returncode != 0:
        message = error.strip().splitlines()
        raise BackupError(
            f"pg_restore 读取备份失败：{message[-1] if message else reader.returncode}"
        )
    return rows


def file_rows(file: Path) -> int:
    """The data rows of a backup file (what it would restore), not of the live database."""
    if _kind_of(file) == "sqlite":
        return sum(table_counts(_sqlite_url(file)).values())
    return _dump_rows(file)


def backup(url: str, file: str | Path) -> BackupResult:
    """Write a consistent copy of the database at `url` to `file` (replaced if it exists); the
    result counts the rows in the file written."""
    target = Path(file)
    target.parent.mkdir(parents=True, exist_ok=True)
    parsed = _url(url)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if parsed.get_backend_name() == "sqlite":
        source_path = _sqlite_path(parsed)
        if not source_path.exists():
            raise BackupError(f"数据库文件不存在：{source_path}")
        source = sqlite3.connect(source_path, timeout=15)
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest, pages=1024)
            dest.execute("PRAGMA journal_mode = DELETE")
            if dest.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (CACHE_TABLE,)
            ).fetchone():
                dest.execute(f"DELETE FROM {CACHE_TABLE}")
                dest.commit()
            ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dest.close()
            source.close()
        if ok != "ok":
            partial.unlink(missing_ok=True)
            raise BackupError(f"备份文件校验失败：{ok}")
    elif parsed.get_backend_name() == "postgresql":
        # --compress=1: photos and files are compressed already; pg_dump's default level took
        # 155 s for a 2 GB database of them, level 1 47 s for a file 3 % larger (docs/deploy.md).
        _run([_tool("pg_dump"), "--format=custom", "--compress=1", "--no-owner",
              f"--exclude-table-data={CACHE_TABLE}", "--file", str(partial),
              _libpq_url(parsed)])  # fmt: skip
    else:
        raise BackupError(f"不支持的数据库类型：{parsed.get_backend_name()}")
    partial.replace(target)
    return BackupResult(target, target.stat().st_size, file_rows(target))


def _kind_of(file: Path) -> str:
    try:
        with file.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {file}：{exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{file} 不是本系统的备份文件")


def _first_line(text: str) -> str:
    """The first line of a multi-line report that says something (for one-line messages)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("***")]
    return lines[0] if lines else text.strip()


def check_sqlite_backup(file: Path) -> None:
    """Refuse a SQLite backup that is cut short, damaged, or not of this system's database,
    in one Chinese line; reads the file only."""
    damaged = f"备份文件已损坏或不完整，未恢复：{file}"
    with file.open("rb") as handle:
        head = handle.read(100)
    if len(head) < 100:
        raise BackupError(damaged)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    header_count_valid = head[24:28] == head[92:96]  # SQLite's rule for the page count
    size = file.stat().st_size
    if header_count_valid and pages and size < pages * page_size:
        raise BackupError(f"{damaged}（应有 {pages * page_size} 字节，只有 {size} 字节）")
    try:
        check = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            ours = check.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
        finally:
            check.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{damaged}（{exc}）") from None
    if ok != "ok":
        raise BackupError(f"{damaged}（{_first_line(ok)}）")
    if ours is None:
        raise BackupError(f"{file} 不是本系统的备份文件")


def check_dump(file: Path) -> None:
    """Refuse a pg_dump file that pg_restore cannot read to its end (cut short, damaged), in
    one Chinese line; reads the file only (its SQL goes nowhere)."""
    tool = _tool("pg_restore")
    try:
        _run([tool, "--file", os.devnull, str(file)])
    except BackupError as exc:
        raise BackupError(f"备份文件已损坏或不完整，未恢复：{file}（{exc}）") from None


def _holds_data(url: str) -> bool:
    try:
        counts = table_counts(url)
    except Exception:  # a database that does not exist yet is empty
        return False
    return any(counts.get(name) for name in CAMPAIGN_DATA)


def _version(url: str) -> int:
    """The data version of the database at `url` (0 when it has none yet)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if "data_version" not in inspect(conn).get_table_names():
                return 0
            return conn.execute(text("SELECT n FROM data_version WHERE id = 1")).scalar() or 0
    except Exception:  # a database that does not exist yet
        return 0
    finally:
        engine.dispose()


def _move_version_past(url: str, before: int) -> None:
    """Set the restored database's data version past both its own and the replaced one's, so
    no running server's cache (data/cache.py) can take restored data for figures it kept."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if "data_version" in inspect(conn).get_table_names():
                conn.execute(
                    text("UPDATE data_version SET n = CASE WHEN n > :b THEN n ELSE :b END + 1"),
                    {"b": before},
                )
    finally:
        engine.dispose()


def restore(url: str, file: str | Path, *, force: bool = False) -> int:
    """Replace the database at `url` with the backup `file`; returns the rows restored.

    Refuses a target that holds data unless `force`."""
    source = Path(file)
    if not source.is_file():
        raise BackupError(f"找不到备份文件：{source}")
    parsed = _url(url)
    kind = _kind_of(source)
    if kind != parsed.get_backend_name():
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"备份文件是 {names[kind]} 格式，目标数据库是 "
            f"{names.get(parsed.get_backend_name(), parsed.get_backend_name())}，无法直接恢复"
        )
    if not force and _holds_data(url):
        raise BackupError("目标数据库已有数据；确认要覆盖时请加 --force")
    if kind == "sqlite":
        check_sqlite_backup(source)
    else:
        check_dump(source)
    before = _version(url)
    if kind == "sqlite":
        target_path = _sqlite_path(parsed)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # One transaction on the target: a copy that fails leaves the database as it was.
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dest = sqlite3.connect(target_path, timeout=15)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode = WAL")
            finally:
                dest.close()
                src.close()
        except sqlite3.Error as exc:
            raise BackupError(f"恢复失败，数据库未改变：{exc}") from None
    else:  # one transaction too: a dump that fails part way leaves the database as it was
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", _libpq_url(parsed), str(source)])  # fmt: skip
    _move_version_past(url, before)
    return sum(table_counts(url).values())
