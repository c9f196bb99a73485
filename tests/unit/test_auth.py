"""Log-in, session expiry, the gate on every request, role checks and the unit restriction."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from dashboard.auth import current_account, deny, require_role
from dashboard.text import T
from dashboard.view import resolve_view
from data.db import Database
from data.denials import WINDOW, record_denied
from data.history import history_of
from data.models import ChangeLog, DataVersion, LoginFailure, User
from tests.conftest import MakeApp, signed_in
from tests.factories import PASSWORD, login, make_campaign, make_unit, make_user

OVERVIEW_UPDATE = {
    "output": "overview-content.children",
    "outputs": {"id": "overview-content", "property": "children"},
    "inputs": [{"id": "overview-state", "property": "data", "value": ""}],
    "changedPropIds": ["overview-state.data"],
}


@pytest.fixture
def app(make_app: MakeApp, db: Database) -> Dash:
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_unit(s, name="明正律师事务所", kind="law_firm")
        make_user(s, "leader", "leader")
        make_user(s, "admin", "admin")
        make_user(s, "unit01", "unit", unit_name=unit.name)
    return make_app(today=dt.date(2024, 9, 1))


def test_pages_redirect_to_login(app: Dash) -> None:
    with app.server.test_client().get("/overdue?campaign=2024") as response:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=/overdue")


def test_callbacks_refuse_anonymous_posts(app: Dash) -> None:
    client = app.server.test_client()
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        assert response.status_code == 401
    with client.get("/_dash-layout") as response:
        assert response.status_code == 401


def test_login_page_and_static_files_are_public(app: Dash) -> None:
    client = app.server.test_client()
    with client.get("/login") as page:
        assert page.status_code == 200 and "用户名" in page.get_data(as_text=True)
    with client.get("/vendor/bootstrap5/css/bootstrap.min.css") as css:
        assert css.status_code == 200


def test_login_then_callbacks_answer(app: Dash) -> None:
    client = app.server.test_client()
    with login(client, "leader") as response:
        assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        assert response.status_code == 200
        assert "overview-content" in json.dumps(response.get_json())
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_wrong_password_keeps_the_name_and_says_why(app: Dash) -> None:
    client = app.server.test_client()
    with login(client, "leader", "wrong-password") as response:
        assert response.status_code == 401
        body = response.get_data(as_text=True)
    assert "用户名或密码错误" in body and 'value="leader"' in body


def test_repeated_failures_lock_the_account_from_that_address(app: Dash, db: Database) -> None:
    client = app.server.test_client()
    for _ in range(5):
        login(client, "leader", "nope-nope").close()
    with login(client, "leader") as response:  # right password, but locked now
        assert response.status_code == 401
        assert "登录失败次数过多，请 1 分钟后再试" in response.get_data(as_text=True)
    with db.read() as s:
        failure = s.scalars(select(LoginFailure).where(LoginFailure.username == "leader")).one()
    assert (failure.source, failure.failures) == ("127.0.0.1", 5)
    assert failure.locked_until is not None


def test_next_is_never_an_outside_address(app: Dash) -> None:
    client = app.server.test_client()
    response = client.post(
        "/login", data={"username": "leader", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_idle_session_expires(app: Dash) -> None:
    client = app.server.test_client()
    login(client, "leader").close()
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        assert response.status_code == 401


def test_session_has_a_maximum_age(app: Dash) -> None:
    client = app.server.test_client()
    login(client, "leader").close()
    with client.session_transaction() as session:
        session["login_at"] = time.time() - 13 * 3600
    with client.get("/") as response:
        assert response.status_code == 302


def test_logout(app: Dash) -> None:
    client = app.server.test_client()
    login(client, "leader").close()
    client.get("/logout").close()
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        assert response.status_code == 401


def test_unit_users_see_only_their_unit(app: Dash, db: Database) -> None:
    with signed_in(app, db, "unit01"), db.read() as s:
        view = resolve_view(s, "?kind=law_firm", dt.date(2024, 9, 1))
        unit_id = s.scalars(select(User.unit_id).where(User.username == "unit01")).one()
    assert view is not None and view.filters.unit_ids == (unit_id,)


def test_leaders_see_every_unit(app: Dash, db: Database) -> None:
    with signed_in(app, db, "leader"), db.read() as s:
        view = resolve_view(s, "", dt.date(2024, 9, 1))
    assert view is not None and view.filters.unit_ids == ()


def test_require_role_refuses_and_records(app: Dash, db: Database) -> None:
    with signed_in(app, db, "leader"), pytest.raises(Forbidden):
        require_role("admin")
    with signed_in(app, db, "admin"):
        assert require_role("admin").username == "admin"
    with db.read() as s:
        denied = s.scalars(select(ChangeLog).where(ChangeLog.action == "denied")).all()
    assert len(denied) == 1 and denied[0].actor == "leader"


def test_shell_shows_who_is_signed_in(app: Dash) -> None:
    client: Any = app.server.test_client()
    login(client, "admin").close()
    with client.get("/_dash-layout") as response:
        assert "管理员" in json.dumps(response.get_json(), ensure_ascii=False)


def test_an_active_session_stays_alive_without_a_new_cookie_on_every_request(app: Dash) -> None:
    client = app.server.test_client()
    login(client, "leader").close()
    with client.get("/progress") as response:  # just signed in: the idle clock is fresh
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 29 * 60  # active a while ago, not yet idle
    with client.get("/progress") as response:
        assert response.status_code == 200
        assert "session=" in response.headers.get("Set-Cookie", "")  # the clock moves on
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 5


# ---- refusals in the history (issue 16, finding 9) ---------------------------------------------


def import_preview(client: Any, n: int) -> int:
    """Post the admin-only import preview (as its browser would); the status."""
    body = {
        "output": IMPORT_PREVIEW,
        "outputs": [{"id": i, "property": p} for i, p in IMPORT_OUTPUTS],
        "inputs": [
            {"id": "import-upload", "property": "contents", "value": "data:text/csv;base64,YQ=="},
            {"id": "import-kind", "property": "value", "value": "representatives"},
            {"id": "import-campaign", "property": "value", "value": None},
        ],
        "state": [
            {"id": "import-upload", "property": "filename", "value": f"x{n}.csv"},
            {"id": "import-token", "property": "data", "value": None},
        ],
        "changedPropIds": ["import-upload.contents"],
    }
    with client.post("/_dash-update-component", json=body) as response:
        return response.status_code


IMPORT_OUTPUTS = [
    ("import-token", "data"),
    ("import-preview", "children"),
    ("import-confirm", "disabled"),
    ("import-upload", "contents"),
    ("import-result", "children"),
]
IMPORT_PREVIEW = "..{}..".format("...".join(f"{i}.{p}" for i, p in IMPORT_OUTPUTS))


def denied_rows(db: Database) -> list[ChangeLog]:
    with db.read() as s:
        query = select(ChangeLog).where(ChangeLog.action == "denied").order_by(ChangeLog.id)
        return list(s.scalars(query))


def data_version(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(DataVersion.n)) or 0


def test_repeated_refusals_leave_one_row_a_minute_and_empty_no_cache(
    app: Dash, db: Database
) -> None:
    client = app.server.test_client()
    login(client, "unit01").close()
    before = data_version(db)
    assert {import_preview(client, n) for n in range(30)} == {200}  # refused in words
    rows = denied_rows(db)
    assert len(rows) == 1 and rows[0].actor == "unit01"
    assert rows[0].after["callback"] == IMPORT_PREVIEW  # the callback, by its outputs
    assert rows[0].after["trigger"] == "import-upload.contents"
    assert rows[0].after["role"] == "unit" and rows[0].note == T["import_admin_only"]
    assert data_version(db) == before
    login(client, "leader").close()  # another account: its own row
    assert import_preview(client, 0) == 200
    assert [r.actor for r in denied_rows(db)] == ["unit01", "leader"]


def test_a_refusal_names_its_record_and_repeats_after_a_minute(app: Dash, db: Database) -> None:
    with signed_in(app, db, "unit01"):
        for _ in range(3):
            with pytest.raises(Forbidden):
                deny(current_account(), "查看无权访问的问题", target=("problem", 42))
    with db.read() as s:
        rows = history_of(s, "problem", 42)
    assert [(r.action, r.actor, r.note) for r in rows] == [
        ("denied", "unit01", "查看无权访问的问题")
    ]
    with db.write("unit01", rows[0].user_id) as s:
        place = rows[0].after["place"]
        later = rows[0].at + dt.timedelta(seconds=30)
        assert not record_denied(s, place, {}, "again", ("problem", 42), later)
        assert record_denied(s, place, {}, "again", ("problem", 42), later + WINDOW)


@pytest.mark.parametrize(
    ("username", "offered"),
    [("unit01", False), ("leader", False), ("admin", True)],
)
def test_the_navbar_offers_import_and_settings_to_admins_only(
    app: Dash, username: str, offered: bool
) -> None:
    """Unit staff and leaders are not offered pages that would only refuse them (the pages
    still refuse in words when the address is typed); the 评议工作 menu is offered to all."""
    client = app.server.test_client()
    login(client, username)
    with client.get("/_dash-layout") as response:
        layout = json.dumps(response.get_json(), ensure_ascii=False)
    assert ('"href": "/import"' in layout) is offered
    assert ('"href": "/admin"' in layout) is offered
    assert '"href": "/topics"' in layout and '"href": "/archives"' in layout
    assert '"href": "/overdue"' in layout
