"""Shared fixtures: a migrated database per test (SQLite file, or DATABASE_URL's PostgreSQL),
the app factory and the default `app`, a signed-in callback request, and the CLI's database.

With DATABASE_URL=postgresql+psycopg://user:pw@host:port/name the session migrates one template
database once, and every test gets `CREATE DATABASE ... TEMPLATE` of it (a file copy inside the
server, about as fast as copying the SQLite file), dropped again after the test.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from data.db import Database, dispose_engines
from data.migrate import upgrade

if TYPE_CHECKING:
    from dash import Dash

APP_TODAY = dt.date(2024, 11, 15)


def postgres_url() -> URL | None:
    """DATABASE_URL when it names a PostgreSQL server (the suite then runs there), else None."""
    url = os.environ.get("DATABASE_URL", "")
    return make_url(url) if url.startswith("postgresql") else None


class PostgresDatabases:
    """Creates and drops throw-away databases on the server DATABASE_URL points at."""

    def __init__(self, base: URL) -> None:
        self.base = base
        self.prefix = f"t{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, suffix: str, template: str | None = None) -> str:
        """A new database (empty, or a copy of `template`); returns its name."""
        name = f"{self.prefix}_{suffix}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return name

    def drop(self, name: str) -> None:
        """Drop a database, closing the pools of engines a test left open first.

        WITH (FORCE) cannot end an autovacuum worker (the superuser's) that happens to be on
        the database at that moment; it finishes within moments, so try again."""
        dispose_engines(name)
        for attempt in range(20):
            try:
                with self.admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except DBAPIError:
                if attempt == 19:
                    raise
                time.sleep(0.25)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    """The PostgreSQL helper when DATABASE_URL names one; None on SQLite."""
    base = postgres_url()
    if base is None:
        yield None
        return
    databases = PostgresDatabases(base)
    yield databases
    databases.admin.dispose()


@pytest.fixture(scope="session")
def migrated_template(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[Path | str]:
    """A database migrated to head once; each test gets a copy (a file, or a template db name)."""
    if postgres is not None:
        name = postgres.create("template")
        engine_url = postgres.url(name)
        upgrade(engine_url)
        yield name
        postgres.drop(name)
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    yield path


@pytest.fixture
def db_url(
    migrated_template: Path | str, tmp_path: Path, postgres: PostgresDatabases | None
) -> Iterator[str]:
    """The URL of a fresh, migrated, empty database for this test."""
    if postgres is not None:
        name = postgres.create(uuid.uuid4().hex[:12], template=str(migrated_template))
        yield postgres.url(name)
        postgres.drop(name)
        return
    path = tmp_path / "campaign.db"
    shutil.copyfile(migrated_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A Database on a fresh migrated schema."""
    database = Database.from_url(db_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    """A write session (actor 'test') committed at the end of the test's setup code."""
    with db.write("test") as s:
        yield s


class MakeApp(Protocol):
    """The type of the `make_app` fixture."""

    def __call__(self, db_url: str = ..., today: dt.date | None = ..., **settings: Any) -> Dash: ...


@pytest.fixture
def make_app(db_url: str) -> MakeApp:
    """The app factory: make(db_url=this test's, today=APP_TODAY, **settings) builds a dashboard.

    `today=None` leaves today unpinned; `settings` are further fields of Settings."""

    def make(db_url: str = db_url, today: dt.date | None = APP_TODAY, **settings: Any) -> Dash:
        # Imported here so that data-layer tests collect even when the app does not import.
        from dashboard.app import create_app
        from dashboard.config import Settings

        return create_app(
            Settings(database_url=db_url, secret_key="t", fixed_today=today, **settings)
        )

    return make


@pytest.fixture
def app(make_app: MakeApp) -> Dash:
    """The dashboard on this test's database, today pinned to APP_TODAY. A module that needs
    data or users first overrides this fixture: seed, then return `make_app(...)`."""
    return make_app()


@contextmanager
def signed_in(app: Dash, db: Database, username: str) -> Iterator[None]:
    """A callback request to `app` signed in as `username` (an existing user)."""
    from flask_login import login_user
    from sqlalchemy import select

    from dashboard.auth import Account
    from data.models import User

    with db.read() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        account = Account(u.id, u.username, u.display_name, u.role, u.unit_id)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        login_user(account)
        yield


@pytest.fixture
def cli_db(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Database:
    """This test's database, also named by DATABASE_URL for the command line to find."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db
