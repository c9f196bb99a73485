"""/admin/chase (催办设置, #15): the callbacks called as plain functions, signed in as each role.

Every save is checked for the admin role on the server; a refused one says why at the field and
writes nothing (a non-admin's leaves only the 'denied' history row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from dash import Dash, no_update
from flask_login import login_user
from sqlalchemy import func, select

from callbacks.admin import render_admin
from callbacks.admin_chase import (
    add_day,
    remove_day,
    render_chase_admin,
    save_email,
    save_leaders,
    save_settings,
    show_calendar,
)
from dashboard.app import create_app
from dashboard.auth import Account
from dashboard.config import Settings
from dashboard.dash_private import callback_context
from dashboard.ids import AdminChase as Ids
from dashboard.ids import FormIds
from data.chase_settings import ChaseSettings, chase_settings, save_chase_settings
from data.db import Database
from data.models import CalendarDay, ChangeLog, Setting, User
from layouts.admin_chase import DAY_ADD, DAY_REMOVE, EMAIL, LEADERS, SETTINGS
from tests.components import by_id, texts, walk
from tests.factories import make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2026, 12, 1)
SETTING_NAMES = tuple(ChaseSettings().to_dict())


@pytest.fixture
def app(db_url: str, db: Database) -> Dash:
    """Campaign 2026 with a problem due at the end of December; a user of each role."""
    with db.write("test") as s:
        campaign = make_campaign(s, 2026)
        office = make_unit(s, name="城关镇司法所")
        make_problem(
            s, campaign, office, found_on=dt.date(2026, 11, 2), deadline=dt.date(2026, 12, 28)
        )
        for role in ("leader", "admin", "supervisor"):
            make_user(s, role, role)
        make_user(s, "leader2", "leader")
        make_user(s, "unit", "unit", unit_name=office.name)
    return create_app(Settings(database_url=db_url, secret_key="t", fixed_today=TODAY))


@contextmanager
def signed_in(app: Dash, db: Database, username: str) -> Iterator[None]:
    """A request to the page, signed in as `username`."""
    with db.read() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        account = Account(u.id, u.username, u.display_name, u.role, u.unit_id)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        login_user(account)
        yield


def form_context(form: FormIds, names: tuple[str, ...]) -> AbstractContextManager[None]:
    """What Dash tells a save callback: the form's message slots are its second output."""
    outputs: list[Any] = [{}, [{"id": form.feedback(n), "property": "children"} for n in names]]
    return callback_context(outputs, [])


def submit(
    app: Dash, db: Database, username: str, save: Any, form: FormIds, meta: Any, **raw: Any
) -> tuple[Any, ...]:
    """Press a form's save button with these values."""
    names = tuple(raw)
    with signed_in(app, db, username), form_context(form, names):
        return save(1, list(raw.values()), [form.field(n) for n in names], meta)


def render(app: Dash, db: Database, username: str, refresh: Any = None) -> Any:
    with signed_in(app, db, username):
        return render_chase_admin(None, refresh)


def count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def text_of(node: Any) -> str:
    return "".join(texts(node))


def settings_meta() -> dict[str, Any]:
    return {"seen": ChaseSettings().to_dict()}


# ---- the page -----------------------------------------------------------------------------


def test_the_admin_sees_settings_leaders_calendar_and_the_unknown_year(
    app: Dash, db: Database
) -> None:
    page = render(app, db, "admin")
    words = text_of(page)
    for part in ("期限与催办步骤", "分管局领导", "账号电子邮箱", "节假日日历", "通知书模板"):
        assert part in words
    # The problem due 2026-12-28 runs its ladder into 2027, which no one has the holidays of.
    warning = by_id(page, Ids.UNKNOWN)
    assert "2027年" in text_of(warning) and "暂不影响" in text_of(warning)
    assert by_id(page, Ids.CAL_YEAR).value == 2027


def test_the_admin_index_links_here(app: Dash, db: Database) -> None:
    with signed_in(app, db, "admin"):
        index = render_admin(None)
    assert "/admin/chase" in [getattr(node, "href", None) for node in walk(index)]


@pytest.mark.parametrize("username", ["leader", "supervisor", "unit"])
def test_others_are_told_in_words(app: Dash, db: Database, username: str) -> None:
    page = render(app, db, username)
    assert "只有管理员可以设置催办" in text_of(page)
    with signed_in(app, db, username):
        assert show_calendar(2024) is None


def test_the_calendar_of_a_year(app: Dash, db: Database) -> None:
    with signed_in(app, db, "admin"):
        table = show_calendar(2024)
        unknown = show_calendar(2027)
    words = text_of(table)
    assert "2024-10-01" in words and "国庆节" in words and "国庆节调休上班" in words
    assert "2027年没有节假日安排" in text_of(unknown)


# ---- the settings form --------------------------------------------------------------------------


def test_the_admin_switches_to_working_days(app: Dash, db: Database) -> None:
    raw = {**ChaseSettings().to_dict(), "day_count": "working", "remind_before": 2}
    message, feedbacks, refresh = submit(
        app, db, "admin", save_settings, SETTINGS, settings_meta(), **raw
    )
    assert message is None and not any(feedbacks)
    assert refresh["notices"][SETTINGS.prefix] == "催办设置已保存"
    with db.read() as s:
        stored = chase_settings(s)
        assert (stored.day_count, stored.remind_before, stored.escalate_after) == ("working", 2, 5)
    assert count(db, ChangeLog, ChangeLog.entity == "setting", ChangeLog.entity_id == "chase") == 1
    # The work_day table was built for the campaign's years.
    from data.models import WorkDay

    assert count(db, WorkDay) >= 365 * 3


def test_wrong_settings_are_refused_at_their_fields(app: Dash, db: Database) -> None:
    raw = {
        **ChaseSettings().to_dict(),
        "smtp_sender": "不是邮箱",
        "remind_before": -1,
        "escalate_after": 2.5,
        "focus_after": None,
    }
    message, feedbacks, refresh = submit(
        app, db, "admin", save_settings, SETTINGS, settings_meta(), **raw
    )
    errors = dict(zip(raw, feedbacks, strict=True))
    assert refresh is no_update and message.color == "danger"
    assert "邮箱地址格式不对" in errors["smtp_sender"]
    assert errors["remind_before"] == "不能小于 0"
    assert (errors["escalate_after"], errors["focus_after"]) == ("应为整数", "必填")
    assert "发件人地址" in text_of(message)
    # Each value fine on its own, wrong together.
    raw = {
        **ChaseSettings().to_dict(),
        "focus_after": 4,  # not after the 督办
        "email_enabled": True,  # without a server or sender
        "webhook_url": "ftp://robot",
    }
    message, feedbacks, refresh = submit(
        app, db, "admin", save_settings, SETTINGS, settings_meta(), **raw
    )
    errors = {k: v for k, v in zip(raw, feedbacks, strict=True) if v}
    assert set(errors) == {"focus_after", "smtp_host", "smtp_sender", "webhook_url"}
    assert "催办后列入重点督查（天）" in text_of(message)
    assert count(db, Setting, Setting.key == "chase") == 0


def test_a_stale_settings_form_is_refused(app: Dash, db: Database) -> None:
    with db.write("admin") as s:
        save_chase_settings(s, ChaseSettings(escalate_after=7))
    raw = {**ChaseSettings().to_dict(), "day_count": "working"}
    message, _, refresh = submit(app, db, "admin", save_settings, SETTINGS, settings_meta(), **raw)
    assert refresh is no_update and "他人已修改" in text_of(message)
    with db.read() as s:
        assert chase_settings(s) == ChaseSettings(escalate_after=7)


def test_two_admins_saving_at_once_one_is_told_of_the_other(db: Database) -> None:
    """The second save waits for the first and is then refused (PostgreSQL too, where each
    would otherwise pass the check before either wrote)."""
    import threading

    from data.chase_settings import update_chase_settings
    from data.edits import ConflictError

    seen = ChaseSettings().to_dict()
    first_saved, go_on = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        with db.write("admin") as s:
            update_chase_settings(s, {**seen, "remind_before": 2}, seen)
            first_saved.set()
            go_on.wait(10)  # the transaction stays open while the second admin saves

    def second() -> None:
        try:
            with db.write("admin2") as s:
                update_chase_settings(s, {**seen, "escalate_after": 9}, seen)
            outcome["second"] = "saved"
        except ConflictError as exc:
            outcome["second"] = exc

    one = threading.Thread(target=first)
    one.start()
    assert first_saved.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(1.0)  # it waits for the first save's lock
    assert two.is_alive()
    go_on.set()
    one.join(10)
    two.join(10)
    assert isinstance(outcome["second"], ConflictError)
    assert "remind_before" in outcome["second"].changes
    with db.read() as s:
        assert chase_settings(s) == ChaseSettings(remind_before=2)


@pytest.mark.parametrize("username", ["leader", "unit"])
def test_a_non_admin_save_is_refused_and_recorded(app: Dash, db: Database, username: str) -> None:
    history = count(db, ChangeLog)
    raw = {**ChaseSettings().to_dict(), "day_count": "working"}
    message, _, refresh = submit(app, db, username, save_settings, SETTINGS, settings_meta(), **raw)
    assert refresh is no_update and text_of(message).startswith("只有管理员可以保存催办设置")
    assert count(db, Setting, Setting.key == "chase") == 0
    assert count(db, ChangeLog) == history + 1
    assert count(db, ChangeLog, ChangeLog.action == "denied", ChangeLog.actor == username) == 1


def test_the_password_is_never_stored(app: Dash, db: Database) -> None:
    raw = {
        **ChaseSettings().to_dict(),
        "email_enabled": True,
        "smtp_host": "smtp.example.gov.cn",
        "smtp_sender": "jfb@example.gov.cn",
        "smtp_password": "secret",  # a forged field: not part of the form
    }
    message, _, refresh = submit(app, db, "admin", save_settings, SETTINGS, settings_meta(), **raw)
    assert refresh is no_update and message.color == "danger"
    del raw["smtp_password"]
    message, _, refresh = submit(app, db, "admin", save_settings, SETTINGS, settings_meta(), **raw)
    assert message is None
    with db.read() as s:
        stored = s.get(Setting, "chase").value
    assert stored["email_enabled"] and "password" not in str(stored)


# ---- leaders and e-mail -------------------------------------------------------------------------


def _versions(db: Database) -> dict[str, Any]:
    with db.read() as s:
        return {"versions": {str(u.id): u.version for u in s.scalars(select(User))}}


def _user(db: Database, username: str) -> User:
    with db.read() as s:
        return s.scalars(select(User).where(User.username == username)).one()


def test_leaders_in_charge_and_their_email(app: Dash, db: Database) -> None:
    leader, other = _user(db, "leader").id, _user(db, "leader2").id
    raw = {
        f"kinds_{leader}": ["law_firm", "judicial_office"],
        f"email_{leader}": " wang@example.gov.cn ",
        f"kinds_{other}": [],
        f"email_{other}": "",
    }
    message, _, refresh = submit(app, db, "admin", save_leaders, LEADERS, _versions(db), **raw)
    assert message is None and "1 个账号" in refresh["notices"][LEADERS.prefix]
    saved = _user(db, "leader")
    assert saved.in_charge_of == ["judicial_office", "law_firm"]  # in reference order
    assert saved.email == "wang@example.gov.cn"
    assert _user(db, "leader2").in_charge_of is None
    # Shown back on the page.
    page = render(app, db, "admin", refresh)
    assert by_id(page, LEADERS.field(f"kinds_{leader}")).value == ["judicial_office", "law_firm"]


def test_wrong_leader_values_are_refused(app: Dash, db: Database) -> None:
    leader = _user(db, "leader").id
    unit = _user(db, "unit").id
    raw = {f"kinds_{leader}": ["prison"], f"email_{leader}": "wang@"}
    message, feedbacks, refresh = submit(
        app, db, "admin", save_leaders, LEADERS, _versions(db), **raw
    )
    assert refresh is no_update and feedbacks[0] == "请选择有效的单位类别"
    raw = {f"kinds_{leader}": [], f"email_{leader}": "wang@x"}
    _, feedbacks, _ = submit(app, db, "admin", save_leaders, LEADERS, _versions(db), **raw)
    assert "邮箱地址格式不对" in feedbacks[1]
    # A unit account is not a leader: a forged field naming it is refused.
    raw = {f"kinds_{unit}": ["law_firm"]}
    message, _, refresh = submit(app, db, "admin", save_leaders, LEADERS, _versions(db), **raw)
    assert refresh is no_update and "只有局领导账号" in text_of(message)
    assert _user(db, "unit").in_charge_of is None


def test_an_account_email_set_and_cleared(app: Dash, db: Database) -> None:
    unit = _user(db, "unit").id
    message, _, refresh = submit(
        app, db, "admin", save_email, EMAIL, _versions(db), account=unit, email="sfs@example.cn"
    )
    assert message is None and _user(db, "unit").email == "sfs@example.cn"
    page = render(app, db, "admin", refresh)
    assert "sfs@example.cn" in text_of(by_id(page, Ids.CONTACTS))
    _, feedbacks, refresh = submit(
        app, db, "admin", save_email, EMAIL, _versions(db), account=unit, email="坏地址"
    )
    assert refresh is no_update and "邮箱地址格式不对" in feedbacks[1]
    submit(app, db, "admin", save_email, EMAIL, _versions(db), account=unit, email="")
    assert _user(db, "unit").email is None
    history = count(db, ChangeLog, ChangeLog.entity == "app_user", ChangeLog.entity_id == str(unit))
    assert history >= 2


def _drawn(db: Database) -> dict[str, Any]:
    """The leaders form's meta as the page draws it: versions and the values shown."""
    with db.read() as s:
        leaders = s.scalars(select(User).where(User.role == "leader")).all()
        seen: dict[str, Any] = {}
        for u in leaders:
            seen[f"kinds_{u.id}"] = list(u.in_charge_of or [])
            seen[f"email_{u.id}"] = u.email
        return {
            "versions": {str(u.id): u.version for u in leaders},
            "seen": seen,
            "names": {str(u.id): u.display_name for u in leaders},
        }


def test_a_leader_signing_out_meanwhile_is_no_conflict_but_another_admins_change_is(
    app: Dash, db: Database
) -> None:
    from data.users import end_sessions

    leader, other = _user(db, "leader").id, _user(db, "leader2").id
    meta = _drawn(db)
    with db.write("test") as s:
        end_sessions(s, "leader2")  # signs out everywhere: the account's version moves on
    raw = {f"kinds_{leader}": ["law_firm"], f"email_{leader}": "", f"kinds_{other}": []}
    raw[f"email_{other}"] = ""
    message, _, refresh = submit(app, db, "admin", save_leaders, LEADERS, meta, **raw)
    assert message is None and refresh is not no_update
    assert _user(db, "leader").in_charge_of == ["law_firm"]
    # Another admin gives leader2 a kind; a form drawn before that is refused, naming it.
    meta = _drawn(db)
    with db.write("test") as s:
        s.get(User, other).in_charge_of = ["notary_office"]
    raw[f"kinds_{leader}"] = ["law_firm", "notary_office"]
    message, _, refresh = submit(app, db, "admin", save_leaders, LEADERS, meta, **raw)
    assert refresh is no_update and "他人已修改" in text_of(message)
    said = text_of(message)
    assert f"{_user(db, 'leader2').display_name}的分管单位类别" in said
    assert "您打开时为“空”，现在为“公证处”" in said
    assert _user(db, "leader").in_charge_of == ["law_firm"]
    assert _user(db, "leader2").in_charge_of == ["notary_office"]


def test_a_forged_account_number_is_refused_in_words(app: Dash, db: Database) -> None:
    huge = 2**63
    message, _, refresh = submit(
        app, db, "admin", save_email, EMAIL, _versions(db), account=huge, email="a@example.cn"
    )
    assert refresh is no_update and "账号不存在" in text_of(message)
    raw = {f"kinds_{huge}": ["law_firm"]}
    message, _, refresh = submit(app, db, "admin", save_leaders, LEADERS, _versions(db), **raw)
    assert refresh is no_update


def test_a_stale_email_form_is_refused(app: Dash, db: Database) -> None:
    unit = _user(db, "unit").id
    meta = _versions(db)
    submit(app, db, "admin", save_email, EMAIL, meta, account=unit, email="a@example.cn")
    message, _, refresh = submit(
        app, db, "admin", save_email, EMAIL, meta, account=unit, email="b@example.cn"
    )
    assert refresh is no_update and "他人已修改" in text_of(message)
    assert _user(db, "unit").email == "a@example.cn"


# ---- the calendar forms ------------------------------------------------------------------------


def test_the_admin_enters_and_removes_a_day(app: Dash, db: Database) -> None:
    message, _, refresh = submit(
        app, db, "admin", add_day, DAY_ADD, None, day="2027-01-01", workday="off", name="元旦"
    )
    assert message is None and refresh["year"] == 2027
    page = render(app, db, "admin", refresh)
    assert by_id(page, Ids.CAL_YEAR).value == 2027
    assert "已录入 2027-01-01" in text_of(page)
    with signed_in(app, db, "admin"):
        assert "元旦" in text_of(show_calendar(2027))
    # Taken back: the row stays, marked removed.
    message, _, refresh = submit(app, db, "admin", remove_day, DAY_REMOVE, None, day="2027-01-01")
    assert message is None and "恢复按节假日库计算" in refresh["notices"][DAY_REMOVE.prefix]
    assert count(db, CalendarDay, CalendarDay.removed_at.is_not(None)) == 1
    with signed_in(app, db, "admin"):
        assert "2027年没有节假日安排" in text_of(show_calendar(2027))


def test_a_bad_day_is_refused(app: Dash, db: Database) -> None:
    _, feedbacks, refresh = submit(
        app, db, "admin", add_day, DAY_ADD, None, day="2027-13-01", workday="off", name=""
    )
    assert refresh is no_update and feedbacks[0] and count(db, CalendarDay) == 0
    message, _, refresh = submit(
        app, db, "unit", add_day, DAY_ADD, None, day="2027-01-01", workday="off", name=""
    )
    assert refresh is no_update and "只有管理员" in text_of(message)
    assert count(db, CalendarDay) == 0
