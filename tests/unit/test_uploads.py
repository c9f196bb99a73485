"""Import files between preview and confirmation live in the database (issue 16, finding 10):
two app servers on one database — a preview made on one is confirmed on the other; a file is
its uploader's only and is forgotten after a day; keeping one empties no cache."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import func, select

from data import uploads
from data.db import Database
from data.models import DataVersion, PendingUpload, Representative, User
from tests.conftest import MakeApp
from tests.factories import login, make_user
from tests.unit.test_downloads import REPS, confirm, response_text, token_of, upload

T0 = dt.datetime(2024, 11, 15, 9, 0)


def server(make_app: MakeApp, folder: Path) -> Dash:
    """An app server with its own instance folder, as on its own machine."""
    app = make_app()
    app.server.instance_path = str(folder)
    return app


@pytest.fixture
def servers(make_app: MakeApp, db: Database, tmp_path: Path) -> tuple[Dash, Dash]:
    with db.write("test") as s:
        make_user(s, "admin", "admin")
        make_user(s, "admin2", "admin")
    return server(make_app, tmp_path / "a"), server(make_app, tmp_path / "b")


def signed_in(app: Dash, username: str = "admin") -> Any:
    client = app.server.test_client()
    login(client, username).close()
    return client


def count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def user_id(db: Database, username: str) -> int:
    with db.read() as s:
        return s.scalars(select(User.id).where(User.username == username)).one()


def test_a_preview_on_one_server_is_confirmed_on_another(
    servers: tuple[Dash, Dash], db: Database, tmp_path: Path
) -> None:
    first, second = servers
    with upload(signed_in(first), REPS, "代表.csv", "representatives", None) as response:
        assert "将新增 2 条" in response_text(response)
        token = token_of(response)
    with confirm(signed_in(second), token, "representatives", None) as response:
        assert "导入完成：新增 2 条" in response_text(response)
    assert count(db, Representative) == 2
    assert count(db, PendingUpload) == 0  # dropped once imported
    assert not any(tmp_path.rglob("*.bin"))  # nothing on either server's disk


def test_a_file_is_its_uploaders_only(servers: tuple[Dash, Dash], db: Database) -> None:
    first, second = servers
    with upload(signed_in(first), REPS, "代表.csv", "representatives", None) as response:
        token = token_of(response)
    with confirm(signed_in(second, "admin2"), token, "representatives", None) as response:
        assert "上传的文件已失效" in response_text(response)
    for forged in ({"token": "../../secret_key"}, {"token": 5}, [token], "x", None):
        with confirm(signed_in(second), forged, "representatives", None) as response:
            assert response.status_code == 200
            assert "上传的文件已失效" in response_text(response)
    assert count(db, Representative) == 0 and count(db, PendingUpload) == 1


def test_a_file_is_kept_for_a_day(db: Database) -> None:
    admin = 1
    with db.write("test") as s:
        old = uploads.save_upload(s, admin, "旧.csv", b"old", now=T0)
        token = uploads.save_upload(s, admin, "台账.csv", REPS, now=T0 + dt.timedelta(hours=23))
    with db.read() as s:
        later = T0 + dt.timedelta(hours=24, minutes=1)
        assert uploads.load_upload(s, old, admin, now=later) is None
        assert uploads.load_upload(s, token, admin, now=later) == (REPS, "台账.csv")
        assert uploads.load_upload(s, token, admin + 1, now=later) is None
    with db.write("test") as s:  # the next upload forgets the day-old one
        uploads.save_upload(s, admin, "新.csv", b"new", now=T0 + dt.timedelta(hours=25))
    with db.read() as s:
        assert set(s.scalars(select(PendingUpload.filename))) == {"台账.csv", "新.csv"}


def test_keeping_a_file_empties_no_cache(servers: tuple[Dash, Dash], db: Database) -> None:
    with db.read() as s:
        before = s.scalar(select(DataVersion.n))
    with upload(signed_in(servers[0]), REPS, "代表.csv", "representatives", None) as response:
        assert response.status_code == 200
    with db.read() as s:
        assert s.scalar(select(DataVersion.n)) == before
        assert s.scalar(select(PendingUpload.user_id)) == user_id(db, "admin")
