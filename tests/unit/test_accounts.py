"""Accounts: the password rule, listing and editing users, one-time passwords, bulk unit
accounts, one's own password (/account and the forced change) and the `dashboard users` CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from openpyxl import load_workbook
from sqlalchemy import func, select

from dashboard.cli import main
from data.db import Database
from data.edits import ConflictError
from data.forms import FormError
from data.history import SECRET
from data.models import ChangeLog, LoginFailure, User
from data.users import (
    LAST_ADMIN,
    ONE_TIME_ALPHABET,
    PASSWORD_RULE,
    UserError,
    accounts_workbook,
    add_user,
    bulk_unit_accounts,
    change_own_password,
    check_password,
    list_users,
    password_problem,
    reset_password,
    set_active,
    unlock,
    update_user,
)
from tests.conftest import MakeApp
from tests.factories import PASSWORD, login, make_campaign, make_unit, make_user

NEW_PASSWORD = "xinmima2024"
OVERVIEW_UPDATE = {
    "output": "overview-content.children",
    "outputs": {"id": "overview-content", "property": "children"},
    "inputs": [{"id": "overview-state", "property": "data", "value": ""}],
    "changedPropIds": ["overview-state.data"],
}


def counts(db: Database) -> tuple[int, int]:
    """(users, history rows): a refused write leaves both as they were."""
    with db.read() as s:
        users = s.scalar(select(func.count()).select_from(User)) or 0
        changes = s.scalar(select(func.count()).select_from(ChangeLog)) or 0
    return users, changes


def user(db: Database, username: str) -> User:
    with db.read() as s:
        return s.scalars(select(User).where(User.username == username)).one()


def lock(db: Database, username: str, source: str, until: dt.datetime) -> None:
    """A lock on log-ins of `username` ('' for every name) from `source`."""
    with db.write("test") as s:
        s.add(
            LoginFailure(
                username=username,
                source=source,
                failures=7,
                last_failed_at=until - dt.timedelta(minutes=15),
                locked_until=until,
            )
        )


def throttled(db: Database) -> set[tuple[str, str]]:
    """(name, address) of every failure count on record."""
    with db.read() as s:
        return {(n, a) for n, a in s.execute(select(LoginFailure.username, LoginFailure.source))}


def refused(db: Database, error: type[Exception], write: Callable[[Any], object]) -> Exception:
    """Run a write that must be refused; nothing is written, no history either."""
    before = counts(db)
    with pytest.raises(error) as exc, db.write("test") as s:
        write(s)
    assert counts(db) == before
    return exc.value


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    """An admin, a leader, a unit user; returns unit and user ids by name."""
    with db.write("test") as s:
        unit = make_unit(s, name="城关镇司法所")
        other = make_unit(s, name="明正律师事务所", kind="law_firm")
        ids = {
            "unit": unit.id,
            "other": other.id,
            "admin": make_user(s, "admin", "admin"),
            "leader": make_user(s, "leader", "leader"),
            "unit01": make_user(s, "unit01", "unit", unit_name=unit.name),
        }
    return ids


# ---- the password rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "username", "ok"),
    [
        ("pingyi2024", "admin", True),
        ("correct-horse-1", "leader", True),
        ("abc1234", "admin", False),  # 7 characters
        ("abcdefgh", "admin", False),  # no digit
        ("12345678", "admin", False),  # no letter
        ("zhang2024", "zhang2024", False),  # the user name
        ("Zhang2024", "zhang2024 ", False),
    ],
)
def test_password_rule(password: str, username: str, ok: bool) -> None:
    assert password_problem(password, username) == (None if ok else PASSWORD_RULE)


def test_add_user_states_the_rule_and_writes_nothing(db: Database) -> None:
    exc = refused(db, UserError, lambda s: add_user(s, "zhang", "abcdefgh", "leader"))
    assert str(exc) == PASSWORD_RULE


def test_add_user_may_require_a_change(db: Database) -> None:
    with db.write("test") as s:
        add_user(s, "zhang", "pingyi2024", "leader", must_change=True)
        add_user(s, "li", "pingyi2024", "leader")
    assert user(db, "zhang").must_change_password
    assert not user(db, "li").must_change_password


# ---- listing and editing -------------------------------------------------------------------


def test_list_users_order_unit_and_state(db: Database, people: dict[str, int]) -> None:
    now = dt.datetime(2024, 9, 1, 12, 0)
    lock(db, "leader", "10.0.0.9", now + dt.timedelta(minutes=5))
    lock(db, "admin", "10.0.0.9", now - dt.timedelta(minutes=5))
    lock(db, "", "10.0.0.8", now + dt.timedelta(minutes=5))  # an address, not an account
    with db.write("test") as s:
        s.get(User, people["unit01"]).must_change_password = True
        add_user(s, "aleader", PASSWORD, "leader")
    with db.read() as s:
        rows = list_users(s, now=now)
    assert [r.username for r in rows] == ["aleader", "leader", "unit01", "admin"]
    by_name = {r.username: r for r in rows}
    assert by_name["leader"].locked and not by_name["admin"].locked
    assert by_name["unit01"].unit_name == "城关镇司法所" and by_name["unit01"].unit_id
    assert by_name["unit01"].must_change_password and by_name["unit01"].role_name == "单位填报员"
    assert by_name["admin"].unit_name is None and all(r.active for r in rows)


def test_update_user_changes_role_unit_and_name(db: Database, people: dict[str, int]) -> None:
    before = user(db, "unit01")
    with db.write("test") as s:
        update_user(
            s,
            people["unit01"],
            role="unit",
            unit_id=people["other"],
            display_name="王填报",
            expected_version=before.version,
        )
    after = user(db, "unit01")
    assert (after.unit_id, after.display_name) == (people["other"], "王填报")
    version = user(db, "unit01").version
    with db.write("test") as s:
        update_user(
            s,
            people["unit01"],
            role="supervisor",
            unit_id=people["other"],
            display_name="王",
            expected_version=version,
        )
    assert user(db, "unit01").unit_id is None  # only unit users belong to a unit


def test_update_user_unit_role_needs_a_unit(db: Database, people: dict[str, int]) -> None:
    exc = refused(
        db,
        FormError,
        lambda s: update_user(s, people["leader"], role="unit", unit_id=None, display_name="李"),
    )
    assert exc.errors == {"unit_id": "单位填报员必须选择所属单位"}  # type: ignore[attr-defined]
    assert user(db, "leader").role == "leader"


def test_the_last_admin_keeps_the_role(db: Database, people: dict[str, int]) -> None:
    exc = refused(
        db,
        FormError,
        lambda s: update_user(s, people["admin"], role="leader", unit_id=None, display_name="甲"),
    )
    assert exc.errors == {"role": LAST_ADMIN}  # type: ignore[attr-defined]
    versions = user(db, "leader").version, user(db, "admin").version
    with db.write("test") as s:  # another admin: now the first may step down
        update_user(
            s,
            people["leader"],
            role="admin",
            unit_id=None,
            display_name="乙",
            expected_version=versions[0],
        )
        update_user(
            s,
            people["admin"],
            role="leader",
            unit_id=None,
            display_name="甲",
            expected_version=versions[1],
        )
    assert user(db, "admin").role == "leader"


def test_update_user_refuses_a_stale_edit(db: Database, people: dict[str, int]) -> None:
    seen = user(db, "leader")
    with db.write("test") as s:
        update_user(
            s,
            people["leader"],
            role="leader",
            unit_id=None,
            display_name="新名字",
            expected_version=seen.version,
        )
    exc = refused(
        db,
        ConflictError,
        lambda s: update_user(
            s,
            people["leader"],
            role="supervisor",
            unit_id=None,
            display_name="旧名字",
            expected_version=seen.version,
            seen={"display_name": seen.display_name},
        ),
    )
    assert exc.changes == {"display_name": ("leader", "新名字")}  # type: ignore[attr-defined]


def test_set_active(db: Database, people: dict[str, int]) -> None:
    with db.write("test") as s:
        set_active(s, "leader", False)
    assert not user(db, "leader").active
    with db.write("test") as s:
        set_active(s, people["leader"], True)
    assert user(db, "leader").active


def test_the_last_admin_cannot_be_disabled(db: Database, people: dict[str, int]) -> None:
    exc = refused(db, UserError, lambda s: set_active(s, "admin", False))
    assert LAST_ADMIN in str(exc)
    assert user(db, "admin").active
    assert "不存在" in str(refused(db, UserError, lambda s: set_active(s, "nobody", False)))


def test_unlock(db: Database, people: dict[str, int]) -> None:
    """The account's locks from every address go, and every address's own lock (an office's
    gateway may be what keeps its owner out); other accounts stay locked."""
    far = dt.datetime(2999, 1, 1)
    for name, source in [("leader", "10.0.0.9"), ("leader", "10.0.0.7"), ("", "10.0.0.9")]:
        lock(db, name, source, far)
    lock(db, "admin", "10.0.0.9", far)
    with db.write("test") as s:
        unlock(s, "leader")
    assert throttled(db) == {("admin", "10.0.0.9")}
    with db.read() as s:
        assert not next(r for r in list_users(s) if r.username == "leader").locked
    assert "不存在" in str(refused(db, UserError, lambda s: unlock(s, "nobody")))


def test_reset_password_is_one_time_and_never_stored(db: Database, people: dict[str, int]) -> None:
    lock(db, "leader", "10.0.0.9", dt.datetime(2999, 1, 1))
    epoch = user(db, "leader").session_epoch
    with db.write("test") as s:
        password = reset_password(s, "leader")
    assert len(password) == 10 and set(password) <= set(ONE_TIME_ALPHABET)
    assert password_problem(password, "leader") is None
    after = user(db, "leader")
    assert check_password(after, password) and not check_password(after, PASSWORD)
    assert after.must_change_password and throttled(db) == set()
    assert after.session_epoch == epoch + 1  # the account's sessions have ended
    with db.read() as s:
        history = json.dumps([[c.before, c.after] for c in s.scalars(select(ChangeLog))])
    assert password not in history and after.password_hash not in history
    assert json.dumps(SECRET) in history
    assert "不存在" in str(refused(db, UserError, lambda s: reset_password(s, "nobody")))


def test_one_time_passwords_differ(db: Database, people: dict[str, int]) -> None:
    with db.write("test") as s:
        assert len({reset_password(s, "leader") for _ in range(5)}) == 5


# ---- bulk unit accounts and their workbook -------------------------------------------------


def test_bulk_unit_accounts(db: Database, people: dict[str, int]) -> None:
    with db.write("test") as s:
        fresh = make_unit(s, name="新城公证处", kind="notary_office")
        make_unit(s, name="已撤销司法所", retired_on=dt.date(2023, 12, 31))
        # someone already holds the name the notary office would get
        add_user(s, f"dw{fresh.id:03d}", PASSWORD, "leader")
    with db.write("test") as s:
        created = bulk_unit_accounts(s)
    other = f"dw{people['other']:03d}"
    assert [(name, unit) for name, unit, _ in created] == [
        (other, "明正律师事务所"),
        (f"dw{fresh.id:03d}_2", "新城公证处"),
    ]
    for name, unit, password in created:
        account = user(db, name)
        assert account.role == "unit" and account.display_name == unit
        assert account.must_change_password and check_password(account, password)
        assert password_problem(password, name) is None
    with db.write("test") as s:
        assert bulk_unit_accounts(s) == []  # every active unit has its account now


def test_accounts_workbook() -> None:
    rows = [("dw001", "城关镇司法所", "abc123XYZ9"), ("dw002", "=HYPERLINK(1)", "-abc12345")]
    book = load_workbook(io.BytesIO(accounts_workbook(rows)))
    assert book.sheetnames == ["初始密码"]
    sheet = book["初始密码"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["用户名", "单位名称", "初始密码"]
    assert values[1] == ["dw001", "城关镇司法所", "abc123XYZ9"]
    assert values[2] == ["dw002", "'=HYPERLINK(1)", "'-abc12345"]
    assert all(sheet.column_dimensions[c].width >= 10 for c in "ABC")


# ---- one's own password --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "new", "confirm", "errors"),
    [
        (
            "wrong-pass-1",
            NEW_PASSWORD,
            NEW_PASSWORD,
            {"current": "当前密码不正确"},
        ),
        (PASSWORD, NEW_PASSWORD, "xinmima2025", {"confirm": "两次输入的新密码不一致"}),
        (PASSWORD, "abcdefgh", "abcdefgh", {"new": PASSWORD_RULE}),
        (PASSWORD, PASSWORD, PASSWORD, {"new": "新密码不能与当前密码相同"}),
    ],
)
def test_change_own_password_refusals(
    db: Database,
    people: dict[str, int],
    current: str,
    new: str,
    confirm: str,
    errors: dict[str, str],
) -> None:
    exc = refused(
        db,
        FormError,
        lambda s: change_own_password(s, people["leader"], current, new, confirm),
    )
    assert exc.errors == errors  # type: ignore[attr-defined]
    assert check_password(user(db, "leader"), PASSWORD)


def test_change_own_password(db: Database, people: dict[str, int]) -> None:
    with db.write("test") as s:
        s.get(User, people["leader"]).must_change_password = True
    with db.write("leader", people["leader"]) as s:
        change_own_password(s, people["leader"], PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    after = user(db, "leader")
    assert check_password(after, NEW_PASSWORD) and not after.must_change_password


# ---- the forced change through the web -----------------------------------------------------


@pytest.fixture
def app(make_app: MakeApp, db: Database, people: dict[str, int]) -> Dash:
    with db.write("test") as s:
        make_campaign(s, 2024)
        add_user(s, "fresh", PASSWORD, "leader", must_change=True)
    return make_app(today=dt.date(2024, 9, 1))


def test_a_one_time_password_opens_only_the_password_page(app: Dash, db: Database) -> None:
    client = app.server.test_client()
    with login(client, "fresh") as response:
        assert response.status_code == 302
    for page in ("/", "/progress?campaign=2024", "/units/1"):
        with client.get(page) as response:
            assert response.status_code == 302 and response.location == "/account"
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        assert response.status_code == 403
        assert response.get_json() == {"error": "请先修改初始密码"}
    with client.get("/_dash-layout") as response:
        assert response.status_code == 403
    with client.get("/account") as response:
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "修改密码" in page
        assert "首次登录或密码已重置，请先设置新密码" in page and PASSWORD_RULE in page
    with client.get("/vendor/bootstrap5/css/bootstrap.min.css") as css:
        assert css.status_code == 200


def test_the_forced_change(app: Dash, db: Database) -> None:
    client = app.server.test_client()
    login(client, "fresh").close()
    weak = {"current": PASSWORD, "new": "abcdefgh", "confirm": "abcdefgh"}
    with client.post("/account", data=weak) as response:
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and PASSWORD_RULE in page
        assert 'id="new-error">' + PASSWORD_RULE in page
        assert "abcdefgh" not in page and PASSWORD not in page  # password fields come back empty
    assert user(db, "fresh").must_change_password
    with client.get("/") as response:
        assert response.status_code == 302
    good = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    with client.post("/account", data=good) as response:
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "密码已修改" in page and 'href="/"' in page
    assert not user(db, "fresh").must_change_password
    with client.get("/") as response:
        assert response.status_code == 200
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        assert response.status_code == 200
    client.get("/logout").close()
    with login(client, "fresh", NEW_PASSWORD) as response:
        assert response.status_code == 302 and response.location == "/"


def test_account_page_refuses_other_origins(app: Dash, db: Database) -> None:
    client = app.server.test_client()
    login(client, "fresh").close()
    good = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    before = counts(db)
    for header in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/x"}):
        with client.post("/account", data=good, headers=header) as response:
            assert response.status_code == 403
    assert counts(db) == before and user(db, "fresh").must_change_password
    same = {"Origin": "http://localhost", "Referer": "http://localhost/account"}
    with client.post("/account", data=good, headers=same) as response:
        assert response.status_code == 200
    assert not user(db, "fresh").must_change_password


def test_account_page_for_everyone_and_in_the_menu(app: Dash) -> None:
    client = app.server.test_client()
    with client.get("/account") as response:  # anonymous: log in first
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    with client.get("/login-elsewhere") as response:  # /login is public as an exact path only
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    login(client, "leader").close()
    with client.get("/account") as response:
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "首次登录" not in page
        assert 'id="account-back"' in page
    with client.get("/_dash-layout") as response:
        layout = json.dumps(response.get_json(), ensure_ascii=False)
    assert '"shell-account"' in layout and '"/account"' in layout
    wrong = {"current": "not-mine-1", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    with client.post("/account", data=wrong) as response:
        assert "当前密码不正确" in response.get_data(as_text=True)


# ---- the command line ----------------------------------------------------------------------


def test_cli_users_list(
    cli_db: Database, people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    with cli_db.write("test") as s:
        set_active(s, "leader", False)
    assert main(["users", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["用户名", "姓名", "角色", "单位", "状态"]
    assert lines[1].split() == ["leader", "leader", "局领导", "—", "已停用"]
    assert lines[2].split() == ["unit01", "unit01", "单位填报员", "城关镇司法所", "正常"]
    assert lines[3].split() == ["admin", "admin", "管理员", "—", "正常"]


def test_cli_disable_enable_unlock(
    cli_db: Database, people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "disable", "leader"]) == 0
    assert not user(cli_db, "leader").active
    assert main(["users", "enable", "leader"]) == 0
    assert user(cli_db, "leader").active
    lock(cli_db, "leader", "10.0.0.9", dt.datetime(2999, 1, 1))
    assert main(["users", "unlock", "leader"]) == 0
    assert throttled(cli_db) == set()
    assert "已解除锁定" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "disable", "admin"], LAST_ADMIN),
        (["users", "unlock", "nobody"], "用户不存在：nobody"),
        (["users", "reset-password", "nobody"], "用户不存在：nobody"),
        (["users", "bulk-units", "--out", "accounts.csv"], ".xlsx"),
    ],
)
def test_cli_users_refusals(
    cli_db: Database,
    people: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    before = counts(cli_db)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and len(err.strip().splitlines()) == 1
    assert counts(cli_db) == before


def test_cli_reset_password(
    cli_db: Database, people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "reset-password", "leader"]) == 0
    out = capsys.readouterr().out
    password = out.splitlines()[0].rsplit("：", 1)[1]
    assert "下次登录时必须修改密码" in out
    after = user(cli_db, "leader")
    assert check_password(after, password) and after.must_change_password


def test_cli_bulk_units_writes_the_passwords_to_the_file_only(
    cli_db: Database,
    people: dict[str, int],
    app: Dash,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "初始密码.xlsx"
    assert main(["users", "bulk-units", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    sheet = load_workbook(out)["初始密码"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["用户名", "单位名称", "初始密码"]
    assert [row[:2] for row in rows[1:]] == [[f"dw{people['other']:03d}", "明正律师事务所"]]
    assert "1 个单位" in printed and rows[1][2] not in printed
    client = app.server.test_client()
    with login(client, rows[1][0], rows[1][2]) as response:
        assert response.status_code == 302
    with client.get("/") as response:
        assert response.location == "/account"
    assert main(["users", "bulk-units", "--out", str(out)]) == 0
    assert "未新建账号" in capsys.readouterr().out
