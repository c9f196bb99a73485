"""#18 item 5 in Chromium: a unit's staff open /archives, tick the last item of their 工作档案
as uploaded to the 纠风 website and save; the unit page then shows 上传纠风网站 done that day,
and the task cannot be ticked by hand there — it says where the checklist is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.campaigns import create_campaign
from data.models import ArchiveItem, Unit
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, county_server, signed_in_page
from tests.factories import make_unit, make_user

TODAY = dt.date(2024, 11, 20)
OFFICE = "城关镇司法所"
LAST = "工作总结"  # the checklist's last line


def _fill(s: Session) -> None:
    """A county of its own: two offices, the 2024 campaign as a new one is set up, and every
    item of the first office's archive uploaded but the last."""
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


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    yield from county_server(tmp_path_factory, postgres, "archives", TODAY, _fill)


def _page(browser: Browser, server: LiveServer, user: str) -> tuple[Page, list[str]]:
    errors: list[str] = []
    return signed_in_page(browser, server, user, errors), errors


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
    # No 标记完成 to tick by hand: a link to where it is kept (a posted save is refused too,
    # tests/unit/test_plan_on_unit_page.py).
    expect(upload.get_by_role("button")).to_have_count(0)
    upload.get_by_role("link", name="由工作档案确定").click()
    expect(page.locator("#archives-summary")).to_contain_text("已上传纠风网站 6/6", timeout=20_000)
    assert errors == []
