"""#18 item 5 in Chromium: a unit's staff open /archives, tick the last item of their 工作档案
as uploaded to the 纠风 website and save; the unit page then shows 上传纠风网站 done that day,
and the task cannot be ticked by hand there — it says where the checklist is kept."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from data.campaigns import create_campaign
from data.db import Database
from data.migrate import upgrade
from data.models import ArchiveItem, Unit
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer
from tests.factories import PASSWORD, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
OFFICE = "城关镇司法所"
LAST = "工作总结"  # the checklist's last line


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    """A county of its own: two offices, the 2024 campaign as a new one is set up, and every
    item of the first office's archive uploaded but the last."""
    name = postgres.create("e2e_archives") if postgres is not None else None
    if postgres is not None and name is not None:
        url = postgres.url(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('archives') / 'county.db'}"
    upgrade(url)
    database = Database.from_url(url)
    with database.write("test") as s:
        make_unit(s, name=OFFICE)
        make_unit(s, name="东湖镇司法所")
        make_user(s, "unit01", "unit", unit_name=OFFICE)
        make_user(s, "admin", "admin")
        create_campaign(s, 2024)
        office = s.scalar(select(Unit.id).where(Unit.name == OFFICE))
        items = s.scalars(
            select(ArchiveItem).where(ArchiveItem.unit_id == office, ArchiveItem.name != LAST)
        ).all()
        for item in items:
            item.in_archive = item.uploaded = True
    database.engine.dispose()
    app = create_app(Settings(database_url=url, secret_key="e2e", fixed_today=TODAY))
    served = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{served.server_port}", url, TODAY)
    served.shutdown()
    thread.join(timeout=5)
    if postgres is not None and name is not None:
        postgres.drop(name)


def _page(browser: Browser, server: LiveServer, user: str) -> tuple[Page, list[str]]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.request.post(
        f"{server.url}/login", form={"username": user, "password": PASSWORD}, max_redirects=0
    )
    assert response.status == 302
    return page, errors


def test_unit_staff_upload_the_last_item_and_the_task_is_done(
    browser: Browser, server: LiveServer
) -> None:
    page, errors = _page(browser, server, "unit01")
    page.goto(f"{server.url}/archives?campaign=2024")
    content = page.locator("#archives-content")
    expect(content).to_contain_text(OFFICE, timeout=20_000)
    summary = page.locator("#archives-summary")
    expect(summary).to_contain_text("已归档 5/6 项 · 已上传纠风网站 5/6 项")
    expect(page.locator("#archives-tasks")).to_contain_text("上传纠风网站：未完成")
    last = page.locator(".archive-item").last
    expect(last).to_contain_text(LAST)
    last.get_by_label("已上传纠风网站").check()
    expect(last.get_by_label("已归档")).to_be_checked()  # uploaded implies archived
    last.locator("textarea").fill("已于11月20日上传")
    last.get_by_role("button", name="保存").click()
    saved = last.locator(".archives-saved")
    expect(saved).to_contain_text("已上传纠风网站 6/6 项", timeout=20_000)
    expect(saved).to_contain_text("上传纠风网站：已完成")

    page.locator("#unit-archive-link").wait_for(state="detached")  # not on this page
    page.get_by_role("link", name="单位页").click()
    tasks = page.locator("#unit-tasks")
    upload = tasks.locator(".unit-task", has_text="上传纠风网站")
    expect(upload).to_contain_text("2024年11月20日 完成", timeout=20_000)
    expect(page.locator("#unit-archive-summary")).to_contain_text("已上传纠风网站 6/6 项")
    upload.get_by_role("button").click()  # ticking it by hand: told where it is kept
    dialog = page.locator(".modal-dialog")
    expect(dialog).to_contain_text("随工作档案清单自动完成", timeout=20_000)
    dialog.get_by_role("link", name="前往工作档案").click()
    expect(page.locator("#archives-summary")).to_contain_text("已上传纠风网站 6/6", timeout=20_000)
    assert errors == []
