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


def test_sqlite_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
