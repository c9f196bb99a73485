"""Log-in throttling by account and address (issue 16, finding 3): a stranger failing a
password locks only their own address out of that account, an address failing many names is
slowed for every name, the delay grows but is capped, `unlock` clears it, and X-Forwarded-For
counts only when a trusted proxy sends it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import select

from dashboard.cli import main
from data import logins
from data.db import Database
from data.models import DataVersion, LoginFailure
from tests.conftest import MakeApp
from tests.factories import PASSWORD, make_campaign, make_user

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"
LOCKED = "登录失败次数过多，请 {minutes} 分钟后再试"
T0 = dt.datetime(2024, 9, 1, 9, 0)


@pytest.fixture
def app(make_app: MakeApp, db: Database) -> Dash:
    with db.write("test") as s:
        make_campaign(s, 2024)
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
    return make_app(today=dt.date(2024, 9, 1))


def attempt(
    app: Dash,
    username: str,
    password: str,
    address: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """A log-in from `address`: the status (302 signed in, 401 refused) and the page."""
    client = app.server.test_client()
    with client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers or {},
    ) as response:
        return response.status_code, response.get_data(as_text=True)


def fail(app: Dash, username: str, times: int, address: str = ATTACKER, **kw: Any) -> None:
    for _ in range(times):
        status, page = attempt(app, username, "wrong-guess-1", address, **kw)
        assert status == 401 and ("用户名或密码错误" in page or "登录失败次数过多" in page)


def version(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(DataVersion.n)) or 0


def test_a_lock_from_one_address_does_not_stop_the_owner_at_another(app: Dash) -> None:
    fail(app, "admin", 5)
    status, page = attempt(app, "admin", PASSWORD, ATTACKER)  # the right password: still locked
    assert status == 401 and LOCKED.format(minutes=1) in page
    assert attempt(app, "admin", PASSWORD, OWNER)[0] == 302


def test_an_address_failing_many_names_waits_for_every_name(app: Dash) -> None:
    for n in range(logins.ADDRESS_FREE):
        fail(app, f"guess{n}", 1)
    status, page = attempt(app, "leader", PASSWORD, ATTACKER)
    assert status == 401 and LOCKED.format(minutes=1) in page
    assert attempt(app, "leader", PASSWORD, OWNER)[0] == 302


def test_a_failed_log_in_empties_no_cache(app: Dash, db: Database) -> None:
    before = version(db)
    fail(app, "leader", 7)
    fail(app, "nobody", 2)
    assert version(db) == before


def test_a_success_forgets_the_accounts_failures_from_that_address(app: Dash, db: Database) -> None:
    fail(app, "leader", 4, OWNER)
    assert attempt(app, "leader", PASSWORD, OWNER)[0] == 302
    with db.read() as s:
        rows = s.execute(select(LoginFailure.username, LoginFailure.failures)).all()
    assert [tuple(r) for r in rows] == [("", 4)]  # the address's own count stays
    fail(app, "leader", 4, OWNER)
    assert attempt(app, "leader", PASSWORD, OWNER)[0] == 302


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(1, None), (4, None), (5, 1), (6, 5), (7, 15), (8, 15), (50, 15)],
)
def test_the_delay_grows_and_is_capped(failures: int, minutes: int | None) -> None:
    delay = logins.lock_for(failures, logins.ACCOUNT_FREE)
    assert delay == (None if minutes is None else dt.timedelta(minutes=minutes))


def test_a_lock_ends_by_itself_and_failures_are_forgotten_after_a_day(db: Database) -> None:
    def failed_at(now: dt.datetime) -> None:
        with db.write("test") as s:
            logins.failed(s, "leader", ATTACKER, now)

    def wait(now: dt.datetime) -> dt.timedelta:
        with db.read() as s:
            return logins.locked_for(s, "leader", ATTACKER, now)

    for _ in range(6):
        failed_at(T0)
    assert wait(T0) == dt.timedelta(minutes=5)
    assert wait(T0 + dt.timedelta(minutes=5)) == dt.timedelta(0)  # never indefinitely
    assert wait(T0) == dt.timedelta(minutes=5) and not wait(T0).days
    with db.read() as s:
        assert logins.locked_for(s, "leader", OWNER, T0) == dt.timedelta(0)
    failed_at(T0 + dt.timedelta(days=1, minutes=1))  # a day later: counted from one again
    with db.read() as s:
        assert s.scalar(select(LoginFailure.failures).where(LoginFailure.username == "leader")) == 1


def test_the_address_count_is_forgotten_after_an_hour(db: Database) -> None:
    def counts() -> dict[str, int]:
        with db.read() as s:
            return dict(s.execute(select(LoginFailure.username, LoginFailure.failures)).all())

    for minutes in (0, 30, 59):
        with db.write("test") as s:
            logins.failed(s, "leader", ATTACKER, T0 + dt.timedelta(minutes=minutes))
    assert counts() == {"leader": 3, "": 3}
    with db.write("test") as s:
        logins.failed(s, "leader", ATTACKER, T0 + dt.timedelta(minutes=59 + 61))
    assert counts() == {"leader": 4, "": 1}


def test_cli_unlock_clears_the_lock(
    app: Dash, cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    fail(app, "leader", 5)
    for n in range(logins.ADDRESS_FREE):
        fail(app, f"guess{n}", 1, address="192.0.2.1")
    assert attempt(app, "leader", PASSWORD, ATTACKER)[0] == 401
    assert main(["users", "list"]) == 0
    assert "已锁定" in capsys.readouterr().out
    assert main(["users", "unlock", "leader"]) == 0
    assert attempt(app, "leader", PASSWORD, ATTACKER)[0] == 302
    assert attempt(app, "leader", PASSWORD, "192.0.2.1")[0] == 302  # the address lock too


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app: Dash) -> None:
    for n in range(5):
        fail(app, "leader", 1, headers={"X-Forwarded-For": f"10.9.9.{n}"})
    status, page = attempt(app, "leader", PASSWORD, ATTACKER, {"X-Forwarded-For": OWNER})
    assert status == 401 and "登录失败次数过多" in page


def test_forwarded_for_counts_from_a_trusted_proxy(make_app: MakeApp, db: Database) -> None:
    with db.write("test") as s:
        make_user(s, "leader", "leader")
    app = make_app(trusted_proxies=("127.0.0.0/8",))
    fail(app, "leader", 5, address="127.0.0.1", headers={"X-Forwarded-For": ATTACKER})
    with db.read() as s:
        assert s.scalars(select(LoginFailure.source).distinct()).all() == [ATTACKER]
    behind = {"X-Forwarded-For": OWNER}
    assert attempt(app, "leader", PASSWORD, "127.0.0.1", behind)[0] == 302
    # From an address that is not the proxy, the header is the sender's own claim.
    fail(app, "leader", 5, address="192.0.2.50", headers={"X-Forwarded-For": OWNER})
    assert attempt(app, "leader", PASSWORD, "127.0.0.1", behind)[0] == 302
    assert attempt(app, "leader", PASSWORD, "192.0.2.50")[0] == 401
