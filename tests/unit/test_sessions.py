"""Sessions end on the server (issue 16, finding 2): a copy of a session cookie taken before
log-out, a password change, disabling, a reset or an admin's 结束登录 is refused afterwards —
on the pages, the callbacks and the download routes, on every app server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import select

from callbacks.admin_users import edit
from dashboard.cli import main
from dashboard.dash_private import callback_context
from data.db import Database
from data.models import ChangeLog, User
from data.users import reset_password, set_active
from layouts.admin_users import EDIT, users_page
from tests.components import by_id
from tests.conftest import MakeApp, signed_in
from tests.factories import PASSWORD, login, make_campaign, make_unit, make_user

NEW_PASSWORD = "xinmima2024"
LEDGER = "/download/ledger.xlsx?campaign=2024"
OVERVIEW_UPDATE = {
    "output": "overview-content.children",
    "outputs": {"id": "overview-content", "property": "children"},
    "inputs": [{"id": "overview-state", "property": "data", "value": "?campaign=2024"}],
    "changedPropIds": ["overview-state.data"],
}
EDIT_NAMES = ("user", "display_name", "role", "unit_id")


@pytest.fixture
def app(make_app: MakeApp, db: Database) -> Dash:
    with db.write("test") as s:
        make_campaign(s, 2024)
        make_unit(s, name="城关镇司法所")
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
    return make_app(today=dt.date(2024, 9, 1))


def signed_in_client(app: Dash, username: str = "leader", password: str = PASSWORD) -> Any:
    client = app.server.test_client()
    with login(client, username, password) as response:
        assert response.status_code == 302
    return client


def copy_of(client: Any, app: Dash) -> Any:
    """Another browser (on `app`'s server) holding a copy of the client's session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    other = app.server.test_client()
    other.set_cookie("session", cookie.value)
    return other


def works(client: Any) -> bool:
    """Whether the client's session opens a page, a callback and a download."""
    answers = []
    with client.get("/progress?campaign=2024") as response:
        answers.append(response.status_code)
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        answers.append(response.status_code)
    with client.get(LEDGER) as response:
        answers.append(response.status_code)
    if answers == [200, 200, 200]:
        return True
    assert answers == [302, 401, 302], answers  # the log-in page, never a 500 or the data
    return False


def user(db: Database, username: str) -> User:
    with db.read() as s:
        return s.scalars(select(User).where(User.username == username)).one()


def test_a_cookie_copied_before_log_out_is_refused_after_it(app: Dash) -> None:
    client = signed_in_client(app)
    copy = copy_of(client, app)
    assert works(copy)
    client.get("/logout").close()
    assert not works(copy)
    with copy.get(LEDGER) as response:
        assert response.location.startswith("/login?next=/download/ledger.xlsx")
        assert b"PK" not in response.get_data()[:2]  # no workbook


def test_log_out_ends_the_session_on_every_server(app: Dash, make_app: MakeApp) -> None:
    other = make_app(today=dt.date(2024, 9, 1))
    client = signed_in_client(app)
    copy = copy_of(client, other)
    assert works(copy)  # the other server has read (and cached) the account
    client.get("/logout").close()
    assert not works(copy)


def test_log_out_is_recorded_and_a_new_log_in_works(app: Dash, db: Database) -> None:
    client = signed_in_client(app)
    client.get("/logout").close()
    with db.read() as s:
        rows = s.scalars(select(ChangeLog).where(ChangeLog.entity == "app_user")).all()
    assert [(r.actor, r.after) for r in rows][-1] == ("leader", {"session_epoch": 1})
    assert works(signed_in_client(app))


def test_a_log_out_sent_from_another_site_signs_out_only_that_browser(app: Dash) -> None:
    client = signed_in_client(app)
    copy = copy_of(client, app)
    client.get("/logout", headers={"Referer": "https://evil.example/page"}).close()
    assert not works(client)
    assert works(copy)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    app: Dash, db: Database
) -> None:
    client = signed_in_client(app)
    laptop = signed_in_client(app)
    copy = copy_of(client, app)
    change = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    with client.post("/account", data=change) as response:
        assert response.status_code == 200 and "密码已修改" in response.get_data(as_text=True)
    assert works(client)
    assert not works(laptop) and not works(copy)
    assert works(signed_in_client(app, password=NEW_PASSWORD))


def test_disabling_ends_the_sessions_and_enabling_does_not_revive_them(
    app: Dash, db: Database
) -> None:
    client = signed_in_client(app)
    with db.write("admin") as s:
        set_active(s, "leader", False)
    assert not works(client)
    with db.write("admin") as s:
        set_active(s, "leader", True)
    assert not works(client)
    assert works(signed_in_client(app))


def test_a_password_reset_ends_the_sessions(app: Dash, db: Database) -> None:
    client = signed_in_client(app)
    with db.write("admin") as s:
        reset_password(s, "leader")
    assert not works(client)


def test_cli_logout_all(app: Dash, cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    client = signed_in_client(app)
    assert main(["users", "logout-all", "leader"]) == 0
    assert "已结束账号 leader 的全部登录" in capsys.readouterr().out
    assert not works(client)
    assert main(["users", "logout-all", "nobody"]) == 1
    assert "用户不存在：nobody" in capsys.readouterr().err


def press_end_sessions(app: Dash, db: Database, admin: str, user_id: int) -> tuple[Any, ...]:
    """The admin presses 结束登录 in the edit form with the account chosen."""
    outputs = [{}, [{"id": EDIT.feedback(n), "property": "children"} for n in EDIT_NAMES]]
    triggered = [{"prop_id": f"{EDIT.button('logout')}.n_clicks", "value": 1}]
    values = [user_id, None, None, None]
    with signed_in(app, db, admin), callback_context(outputs, triggered):
        return edit(
            1, None, None, None, None, None, values, [EDIT.field(n) for n in EDIT_NAMES], {}
        )


def test_the_admin_ends_all_sessions_of_an_account(app: Dash, db: Database) -> None:
    client = signed_in_client(app)
    alert, _messages, refresh = press_end_sessions(app, db, "admin", user(db, "leader").id)
    assert alert is None
    assert refresh["notices"][EDIT.prefix] == (
        "已结束账号 leader 的全部登录，该账号在各设备上须重新登录。"
    )
    assert not works(client)
    assert works(signed_in_client(app))


def test_only_an_admin_may_end_sessions(app: Dash, db: Database) -> None:
    client = signed_in_client(app)
    with db.write("test") as s:
        make_user(s, "leader2", "leader")
    alert, *_ = press_end_sessions(app, db, "leader2", user(db, "leader").id)
    assert alert is not None  # refused, said above the button and recorded
    assert works(client)


def test_the_edit_form_has_the_button() -> None:
    page = users_page([], [], 0, {})
    assert by_id(page, EDIT.button("logout")).children == "结束登录"
