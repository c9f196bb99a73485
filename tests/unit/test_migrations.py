"""The migrated schema is exactly the models' schema; the history is append-only in the database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from data.db import Database
from data.models import Base
from data.reference import CRITERIA


def test_migrated_schema_equals_models(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_every_model_table_exists(db: Database) -> None:
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_criteria_are_seeded(db: Database) -> None:
    with db.engine.connect() as conn:
        codes = set(conn.scalars(text("SELECT code FROM criterion")))
    assert codes == set(CRITERIA)


@pytest.mark.parametrize(
    "statement", ["UPDATE change_log SET actor = 'x'", "DELETE FROM change_log"]
)
def test_change_log_is_append_only(db: Database, statement: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO change_log (at, actor, action, entity) VALUES "
                "('2024-01-01 00:00:00', 'a', 'create', 'unit')"
            )
        )
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.scalar(text("SELECT actor FROM change_log")) == "a"


def test_connection_settings(db: Database) -> None:
    """SQLite: WAL, foreign keys, busy timeout. PostgreSQL: the same guarantees are the server's
    own (write-ahead log, enforced keys, row locks that wait); checked as settings."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        else:
            assert conn.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"
            assert conn.exec_driver_sql("SHOW wal_level").scalar() in ("replica", "logical")
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "0"  # waits, no error


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(DatabaseError, match="(?i)foreign key"), db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO unit_caseload (campaign_id, unit_id, cases) VALUES (999, 999, 1)")
        )
