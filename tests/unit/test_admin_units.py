"""/admin/units (评议单位): the callbacks called as plain functions, signed in as each role.

Every save goes through save_form: a refused one says why at the field and above the button and
writes nothing (a non-admin's only leaves the 'denied' history row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from dash import Dash, no_update
from dash.exceptions import PreventUpdate
from flask_login import login_user
from sqlalchemy import func, select

from callbacks.admin_units import add, choose_unit, edit, render_units_admin
from dashboard.app import create_app
from dashboard.auth import Account
from dashboard.config import Settings
from dashboard.dash_private import callback_context
from dashboard.ids import AdminUnits as Ids
from dashboard.ids import FormIds
from data.campaigns import create_campaign
from data.db import Database
from data.models import ChangeLog, Unit, UnitAlias, UnitCaseload, UnitTask, User
from layouts.admin_units import ADD, EDIT, RESTORE, RETIRE
from tests.components import by_id, texts, walk
from tests.factories import make_unit, make_user

TODAY = dt.date(2024, 11, 20)
ADD_NAMES = ("name", "kind", "township")
EDIT_NAMES = ("unit", "name", "kind", "township", "cases")
LONG_NAME = "青山县城关镇人民调解与法律服务中心第二基层法律服务所"


@pytest.fixture
def app(db_url: str, db: Database) -> Dash:
    """A county with campaign 2024, two units, and a user of each role."""
    with db.write("test") as s:
        create_campaign(s, 2024)
        office = make_unit(s, name="城关镇司法所")
        make_unit(s, name="明正律师事务所", kind="law_firm", township="城关镇")
        for role in ("leader", "admin"):
            make_user(s, role, role)
        make_user(s, "unit", "unit", unit_name=office.name)
    return create_app(Settings(database_url=db_url, secret_key="t", fixed_today=TODAY))


@contextmanager
def signed_in(app: Dash, db: Database, username: str) -> Iterator[None]:
    """A request to the page, signed in as `username`."""
    with db.read() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        account = Account(
            id=u.id,
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            unit_id=u.unit_id,
        )
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        login_user(account)
        yield


def form_context(
    form: FormIds, names: tuple[str, ...], trigger: str | None = None, position: int = 1
) -> AbstractContextManager[None]:
    """What Dash tells a callback: the form's message slots at output `position`, the trigger."""
    outputs: list[Any] = [{} for _ in range(position)]
    outputs.append([{"id": form.feedback(n), "property": "children"} for n in names])
    triggered = [{"prop_id": f"{trigger}.n_clicks", "value": 1}] if trigger else []
    return callback_context(outputs, triggered)


def _ids(form: FormIds, names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [form.field(n) for n in names]


def add_unit_as(app: Dash, db: Database, username: str, **raw: Any) -> tuple[Any, ...]:
    """Press 新增 on the add form with these values."""
    values = [raw.get(n) for n in ADD_NAMES]
    with signed_in(app, db, username), form_context(ADD, ADD_NAMES):
        return add(1, values, _ids(ADD, ADD_NAMES), None)


def choose(
    app: Dash, db: Database, unit_id: int | None, year: int | None = 2024, username: str = "admin"
) -> tuple:
    """Choose a unit in the edit form: the values it fills in and its meta."""
    with signed_in(app, db, username), form_context(EDIT, EDIT_NAMES, position=8):
        return choose_unit(unit_id, {"year": year})


def edit_as(
    app: Dash, db: Database, username: str, action: str, meta: dict | None, **raw: Any
) -> tuple[Any, ...]:
    """Press one of the edit form's buttons with these values."""
    clicks = [1 if b == action else None for b in (EDIT.save, RETIRE, RESTORE)]
    values = [raw.get(n) for n in EDIT_NAMES]
    with signed_in(app, db, username), form_context(EDIT, EDIT_NAMES, action):
        return edit(*clicks, values, _ids(EDIT, EDIT_NAMES), meta)


def opened(app: Dash, db: Database, name: str) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """The unit of `name` chosen in the edit form: its id, the values shown, the meta."""
    unit_id = unit_of(db, name).id
    name_, kind, township, cases, meta, *_ = choose(app, db, unit_id)
    shown = {"unit": unit_id, "name": name_, "kind": kind, "township": township, "cases": cases}
    return unit_id, shown, meta


def unit_of(db: Database, name: str) -> Unit:
    with db.read() as s:
        return s.scalars(select(Unit).where(Unit.name == name)).one()


def count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def alert_text(alert: Any) -> str:
    return "".join(texts(alert))


def notice_of(refresh: dict[str, Any], prefix: str) -> str:
    return refresh["notices"][prefix]


# ---- 新增评议单位 ----------------------------------------------------------------------------


def test_admin_adds_a_unit_with_its_tasks(app: Dash, db: Database) -> None:
    message, feedbacks, refresh = add_unit_as(
        app, db, "admin", name="  青山公证处 ", kind="notary_office", township="城关镇"
    )
    assert message is None and feedbacks == [None, None, None]
    assert notice_of(refresh, ADD.prefix) == (
        "已新增单位“青山公证处”，已为其生成各评议活动的阶段任务。"
    )
    unit = unit_of(db, "青山公证处")
    assert (unit.kind, unit.township, unit.retired_on) == ("notary_office", "城关镇", None)
    assert count(db, UnitTask, UnitTask.unit_id == unit.id) > 0


def test_duplicate_name_is_refused_at_its_field_and_writes_nothing(app: Dash, db: Database) -> None:
    units, history = count(db, Unit), count(db, ChangeLog)
    message, feedbacks, refresh = add_unit_as(
        app, db, "admin", name="城关镇司法所", kind="judicial_office"
    )
    assert feedbacks == ["单位名称已存在：城关镇司法所", None, None]
    assert message.id == Ids.ADD_ERRORS and message.color == "danger"
    assert "单位名称：单位名称已存在：城关镇司法所" in alert_text(message)
    assert refresh is no_update  # no redraw
    assert (count(db, Unit), count(db, ChangeLog)) == (units, history)


def test_missing_kind_is_refused_at_its_field(app: Dash, db: Database) -> None:
    units = count(db, Unit)
    message, feedbacks, _ = add_unit_as(app, db, "admin", name="新单位")
    assert feedbacks[0] is None and feedbacks[1] and feedbacks[2] is None
    assert "单位类型" in alert_text(message) and count(db, Unit) == units


@pytest.mark.parametrize("username", ["unit", "leader"])
def test_a_non_admin_add_is_refused_on_the_server_and_recorded(
    app: Dash, db: Database, username: str
) -> None:
    units, history = count(db, Unit), count(db, ChangeLog)
    message, feedbacks, _ = add_unit_as(app, db, username, name="新单位", kind="law_firm")
    assert message.color == "danger" and feedbacks == [None, None, None]
    assert alert_text(message).startswith("只有管理员可以新增评议单位")
    assert count(db, Unit) == units
    assert count(db, ChangeLog) == history + 1
    assert count(db, ChangeLog, ChangeLog.action == "denied", ChangeLog.actor == username) == 1


def test_a_unit_user_cannot_retire_a_unit_either(app: Dash, db: Database) -> None:
    unit_id, shown, meta = opened(app, db, "明正律师事务所")
    history = count(db, ChangeLog)
    message, _, _ = edit_as(app, db, "unit", RETIRE, meta, **shown)
    assert "只有管理员可以停用评议单位" in alert_text(message)
    assert unit_of(db, "明正律师事务所").retired_on is None
    assert count(db, ChangeLog) == history + 1


# ---- 修改评议单位 ----------------------------------------------------------------------------


def test_choosing_a_unit_fills_the_form_and_remembers_its_version(app: Dash, db: Database) -> None:
    unit = unit_of(db, "明正律师事务所")
    name, kind, township, cases, meta, retire_off, restore_off, message, feedbacks = choose(
        app, db, unit.id
    )
    assert (name, kind, township, cases) == ("明正律师事务所", "law_firm", "城关镇", None)
    assert meta == {
        "year": 2024,
        "unit_id": unit.id,
        "version": unit.version,
        "seen": {"name": "明正律师事务所", "kind": "law_firm", "township": "城关镇"},
    }
    assert (retire_off, restore_off) == (False, True)
    assert message is None and feedbacks == [None] * len(EDIT_NAMES)
    assert choose(app, db, None)[:5] == (None, None, None, None, {"year": 2024})
    with pytest.raises(PreventUpdate):  # nothing to read for anyone but an admin
        choose(app, db, unit.id, username="unit")


def test_rename_keeps_the_old_name_as_an_alias(app: Dash, db: Database) -> None:
    unit_id, shown, meta = opened(app, db, "明正律师事务所")
    message, _, refresh = edit_as(
        app, db, "admin", EDIT.save, meta, **{**shown, "name": "明正（青山）律师事务所"}
    )
    assert message is None and refresh["unit"] == unit_id
    notice = notice_of(refresh, EDIT.prefix)
    assert "原名称“明正律师事务所”保留为曾用名" in notice and "台账仍可导入" in notice
    with db.read() as s:
        aliases = s.scalars(select(UnitAlias.alias).where(UnitAlias.unit_id == unit_id)).all()
    assert aliases == ["明正律师事务所"]
    with signed_in(app, db, "admin"):
        page = render_units_admin("?campaign=2024", refresh)
    assert "曾用名：明正律师事务所" in texts(by_id(page, Ids.TABLE))


def test_caseload_is_saved_with_the_unit_in_one_transaction(app: Dash, db: Database) -> None:
    unit_id, shown, meta = opened(app, db, "城关镇司法所")
    message, _, refresh = edit_as(app, db, "admin", EDIT.save, meta, **{**shown, "cases": 120})
    assert message is None and notice_of(refresh, EDIT.prefix) == "已保存单位“城关镇司法所”。"
    with db.read() as s:
        assert s.scalars(
            select(UnitCaseload.cases).where(UnitCaseload.unit_id == unit_id)
        ).all() == [120]
    assert choose(app, db, unit_id)[3] == 120

    # A bad caseload refuses the whole save: the rename in it is not written either.
    _, shown, meta = opened(app, db, "城关镇司法所")
    history = count(db, ChangeLog)
    message, feedbacks, _ = edit_as(
        app, db, "admin", EDIT.save, meta, **{**shown, "name": "城关司法所", "cases": -3}
    )
    assert feedbacks == [None, None, None, None, "办案量应为不小于 0 的整数"]
    assert "办案量（2024年）：" in alert_text(message)
    assert unit_of(db, "城关镇司法所").id == unit_id and count(db, ChangeLog) == history


def test_a_stale_form_gets_the_conflict_alert(app: Dash, db: Database) -> None:
    unit_id, shown, meta = opened(app, db, "明正律师事务所")
    with db.write("other") as s:
        s.get(Unit, unit_id).township = "青山镇"
    message, _, _ = edit_as(app, db, "admin", EDIT.save, meta, **{**shown, "name": "新名称"})
    assert message.color == "warning"
    assert "所属乡镇：您打开时为“城关镇”，现在为“青山镇”" in alert_text(message)
    assert unit_of(db, "明正律师事务所").township == "青山镇"


def test_retire_and_restore(app: Dash, db: Database) -> None:
    unit_id, shown, meta = opened(app, db, "明正律师事务所")
    message, _, refresh = edit_as(app, db, "admin", RETIRE, meta, **shown)
    assert message is None and "已停用单位“明正律师事务所”（2024年11月20日起）" in notice_of(
        refresh, EDIT.prefix
    )
    assert unit_of(db, "明正律师事务所").retired_on == TODAY
    assert choose(app, db, unit_id)[5:7] == (True, False)  # 停用 off, 恢复 on

    message, _, _ = edit_as(app, db, "admin", RETIRE, meta, **shown)
    assert "状态：该单位已于 2024-11-20 停用" in alert_text(message)

    message, _, refresh = edit_as(app, db, "admin", RESTORE, meta, **shown)
    assert message is None and notice_of(refresh, EDIT.prefix).startswith("已恢复单位")
    assert unit_of(db, "明正律师事务所").retired_on is None


def test_saving_without_a_unit_says_so_at_the_chooser(app: Dash, db: Database) -> None:
    message, feedbacks, _ = edit_as(app, db, "admin", EDIT.save, {"year": 2024}, name="某单位")
    assert feedbacks[0] == "请选择单位" and "选择单位：请选择单位" in alert_text(message)


# ---- the page ------------------------------------------------------------------------------


def test_the_page_for_a_leader_is_the_notice(app: Dash, db: Database) -> None:
    with signed_in(app, db, "leader"):
        page = render_units_admin("?campaign=2024", None)
    assert page.id == "admin-only" and "只有管理员可以维护评议单位" in alert_text(page)


def test_the_table_of_units(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        unit = make_unit(s, name=LONG_NAME, kind="legal_service_center", township=None)
        unit.retired_on = dt.date(2024, 7, 1)
    with signed_in(app, db, "admin"):
        page = render_units_admin("?campaign=2024", None)
    assert texts(by_id(page, Ids.COUNTS))[0] == "在用 2 个，已停用 1 个"
    table = texts(by_id(page, Ids.TABLE))
    assert table[:6] == ["单位名称", "单位类型", "所属乡镇", "办案量", "2024年", "状态"]
    # The kind and township once more under the name, for a phone (the columns are hidden).
    assert table[-7:] == [
        LONG_NAME,
        "法律服务中心",
        "法律服务中心",
        "—",
        "—",
        "已停用",
        "2024年7月1日",
    ]
    assert "在用" in table


def test_no_units_points_to_the_add_form_and_the_import(db_url: str, db: Database) -> None:
    with db.write("test") as s:
        make_user(s, "admin", "admin")
    app = create_app(Settings(database_url=db_url, secret_key="t", fixed_today=TODAY))
    with signed_in(app, db, "admin"):
        page = render_units_admin("", None)
    empty = by_id(page, Ids.TABLE)
    assert "新增评议单位" in "".join(texts(empty))
    assert any(getattr(c, "href", None) == "/import" for c in walk(empty))
    assert "办案量" in texts(page)  # no campaign yet: the field has no year
