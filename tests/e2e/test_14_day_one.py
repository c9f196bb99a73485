"""Day one in Chromium: from an empty database a new admin creates the 2024 campaign, imports the
bureau's own roster and ledger, makes the unit accounts; a unit account changes its one-time
password and sees only its own unit with its generated tasks; the overview shows the ledger's
figures, equal to `dashboard stats`."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.text import fmt_int, fmt_rate
from data.db import Database
from data.migrate import upgrade
from data.models import TaskTemplate, Unit, UnitTask
from data.users import add_user
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, cli_stats

pytestmark = pytest.mark.e2e

TODAY = dt.date(2024, 11, 15)
ADMIN_PASSWORD = "Jiufeng2024"
ROSTER = (
    "单位名称,单位类型,所属乡镇\n"
    "东湖镇司法所,司法所,东湖镇\n"
    "西岭乡司法所,司法所,西岭乡\n"
    "南山镇司法所,司法所,南山镇\n"
    "明理律师事务所,律师事务所,东湖镇\n"
    "本县公证处,公证处,\n"
)
LEDGER = (
    "编号,责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态,完成日期,投诉人,联系电话\n"
    "Z-01,东湖镇司法所,投诉举报,依法办事,2024-06-10,调解协议未及时送达,2024-07-10,已整改,2024-07-01,王某,13800001111\n"
    "Z-02,东湖镇司法所,自查自纠,信息公开,2024-06-12,办事流程未上墙公示,2024-07-31,已销号,2024-07-20,,\n"
    "Z-03,西岭乡司法所,走访座谈,改进作风,2024-07-02,下村走访次数偏少,2024-09-30,整改中,,,\n"
    "Z-04,明理律师事务所,投诉举报,诚信服务,2024-07-15,收费标准未公示,2024-08-31,待整改,,李某,13900002222\n"
    "Z-05,明理律师事务所,纠风办交办,优质服务,2024-08-01,接待群众态度生硬,2024-12-31,整改中,,,\n"
    "Z-06,本县公证处,问卷调查,高效服务,2024-06-20,办证等候时间长,2024-08-20,已整改,2024-08-25,,\n"
    "Z-07,南山镇司法所,明查暗访,廉洁自律,2024-07-08,反映收受礼品经核查不属实,2024-08-08,不属实,,,\n"
)


@pytest.fixture
def empty_server(tmp_path: Path, postgres: PostgresDatabases | None) -> Iterator[LiveServer]:
    """A migrated, empty database with one admin made on the command line, served on 127.0.0.1."""
    name = postgres.create("day_one") if postgres is not None else None
    url = postgres.url(name) if postgres is not None and name else f"sqlite:///{tmp_path / 'd.db'}"
    upgrade(url)
    database = Database.from_url(url)
    with database.write("cli") as session:
        add_user(session, "jiufeng", ADMIN_PASSWORD, "admin", display_name="纠风办")
    app = create_app(Settings(database_url=url, secret_key="day-one", fixed_today=TODAY))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", url, TODAY)
    server.shutdown()
    thread.join(timeout=5)
    database.engine.dispose()
    if postgres is not None and name:
        postgres.drop(name)


def field(prefix: str, name: str) -> str:
    """The CSS selector of a shared-form field (a pattern-matching id, as Dash writes it)."""
    ident = json.dumps({"field": name, "type": f"{prefix}-field"}, separators=(",", ":"))
    return f"[id='{ident}']"


def log_in(page: Page, server: LiveServer, username: str, password: str) -> None:
    """Type the user name and password into the log-in page, as a person would."""
    page.goto(f"{server.url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")


def upload(page: Page, kind: str, path: Path, added: int) -> None:
    """Choose the kind, upload, check the preview, confirm."""
    page.locator("#import-kind").get_by_text(kind, exact=True).click()
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#import-ok")).to_contain_text(f"将新增 {added} 条", timeout=20_000)
    page.locator("#import-confirm").click()
    expect(page.locator("#import-done")).to_contain_text(f"新增 {added} 条", timeout=20_000)


def test_a_bureau_starts_its_year_in_the_browser(
    browser: Browser, empty_server: LiveServer, tmp_path: Path
) -> None:
    server = empty_server
    roster, ledger = tmp_path / "名册.csv", tmp_path / "台账.csv"
    roster.write_bytes(ROSTER.encode("gbk"))
    ledger.write_bytes(LEDGER.encode("gbk"))
    errors: list[str] = []
    admin = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = admin.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # 1. The empty overview shows the four steps, none done.
    log_in(page, server, "jiufeng", ADMIN_PASSWORD)
    expect(page.locator("#admin-steps")).to_be_visible(timeout=20_000)
    for step in ("units", "campaigns", "unit_accounts", "problems"):
        expect(page.locator(f"#setup-step-{step}")).to_contain_text("未完成")

    # 2. The campaign, from the work plan.
    page.locator("#setup-step-campaigns a").click()
    expect(page.locator(field("adm-new", "year"))).to_be_visible(timeout=20_000)
    page.fill(field("adm-new", "year"), "2024")
    page.fill(field("adm-new", "meeting_date"), "2025-01-15")
    page.click("#adm-new-save")
    expect(page.locator("#adm-new-errors")).to_contain_text("评议大会日期应在评议活动期间")
    page.fill(field("adm-new", "meeting_date"), "2024-08-20")
    page.click("#adm-new-save")
    expect(page.locator("#adm-new-message")).to_contain_text(
        "已建立 2024 年评议活动", timeout=20_000
    )
    expect(page.locator("#admin-campaign-summary")).to_contain_text("阶段任务 17 项")

    # 3. The roster and the ledger (GBK CSV, as WPS saves it).
    page.goto(f"{server.url}/import?campaign=2024")
    expect(page.locator("#import-upload")).to_be_visible(timeout=20_000)
    upload(page, "单位名册", roster, 5)
    upload(page, "问题整改台账", ledger, 7)

    # 4. One account per unit; the passwords come once, as a workbook.
    page.goto(f"{server.url}/admin/users")
    with page.expect_download(timeout=30_000) as download:
        page.click("#adm-user-bulk-save")
    expect(page.locator("#adm-user-bulk-table tbody tr")).to_have_count(5, timeout=20_000)
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("用户名", "单位名称", "初始密码")
    accounts = {unit: (username, password) for username, unit, password in rows[1:]}
    assert set(accounts) == {
        "东湖镇司法所",
        "西岭乡司法所",
        "南山镇司法所",
        "明理律师事务所",
        "本县公证处",
    }

    # 5. The overview: every step ticked, the ledger's figures equal to the CLI's.
    page.goto(f"{server.url}/?campaign=2024")
    expect(page.locator("#overview-problems")).to_have_text("7", timeout=20_000)
    expect(page.locator("#admin-steps")).to_have_count(0)
    stats = cli_stats(server.db_url, 2024, TODAY.isoformat())
    assert stats["problems"] == 7 and stats["unfounded"] == 1
    expect(page.locator("#overview-rectification-rate")).to_have_text(
        fmt_rate(stats["rectification_rate"])
    )
    expect(page.locator("#overview-on-time-rate")).to_have_text(fmt_rate(stats["on_time_rate"]))
    expect(page.locator("#overview-overdue-problems")).to_have_text(
        fmt_int(stats["overdue_problems"])
    )
    admin.close()

    # 6. A unit account: the one-time password must be changed, then only its own unit shows.
    username, password = accounts["明理律师事务所"]
    unit = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = unit.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, server, username, password)
    expect(page.locator("#account-forced")).to_be_visible(timeout=20_000)
    page.goto(f"{server.url}/")
    assert page.url.endswith("/account")
    page.fill("#current", password)
    page.fill("#new", "Mingli2024")
    page.fill("#confirm", "Mingli2024")
    page.click("#account-submit")
    expect(page.locator("#account-done")).to_be_visible()
    own, other, tasks = _unit_ids_and_tasks(server.db_url, "明理律师事务所", "东湖镇司法所")
    assert "公开服务承诺" in tasks  # a legal-service deliverable; 司法所 do not have it
    page.goto(f"{server.url}/units/{own}?campaign=2024")
    expect(page.locator("body")).to_contain_text("明理律师事务所", timeout=20_000)
    for task in ("实施方案", "公开服务承诺", "上传纠风网站"):
        expect(page.locator("body")).to_contain_text(task)
    page.goto(f"{server.url}/units/{other}?campaign=2024")
    expect(page.locator("body")).to_contain_text("单位不存在", timeout=20_000)
    page.goto(f"{server.url}/?campaign=2024")
    expect(page.locator("#overview-problems")).to_have_text("2", timeout=20_000)
    unit.close()
    assert errors == []


def _unit_ids_and_tasks(db_url: str, own: str, other: str) -> tuple[int, int, set[str]]:
    """The two units' ids and the names of the first one's tasks."""
    database = Database.from_url(db_url)
    try:
        with database.read() as session:
            ids = {name: uid for name, uid in session.execute(select(Unit.name, Unit.id))}
            tasks = set(
                session.scalars(
                    select(TaskTemplate.name)
                    .join(UnitTask, UnitTask.template_id == TaskTemplate.id)
                    .where(UnitTask.unit_id == ids[own])
                )
            )
            assert session.scalar(select(func.count()).select_from(UnitTask)) > 0
    finally:
        database.engine.dispose()
    return ids[own], ids[other], tasks
