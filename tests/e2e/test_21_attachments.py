"""#18 item 5 in Chromium: unit staff attach a 整改前 photo (carrying GPS) and a 整改后 photo in
the rectification dialog and see their thumbnails; a file whose name lies is refused in words in
the panel; a leader opens the problem's 详情, sees the photos and downloads one — stored without
its GPS; staff of another unit are refused the file's address in words."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.db import Database
from data.models import Attachment, ChangeLog, Problem
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, county_server, signed_in_page
from tests.e2e.test_07_unit import problem_button
from tests.factories import make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
PROBLEM = "窗口未公示收费标准"
GPS_IFD = 0x8825
SHOTS = Path("/tmp/attachments-shots")


def photo(color: str, gps: bool = False) -> bytes:
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (30.0, 15.0, 10.0), 3: "E", 4: (120.0, 5.0, 1.0)}
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _fill(s: Session) -> None:
    """A small county of its own: two offices, one problem each."""
    campaign = make_campaign(s, 2024)
    unit = make_unit(s, name="城关镇司法所")
    other = make_unit(s, name="新华镇司法所")
    make_problem(s, campaign, unit, description=PROBLEM, status="in_progress")
    make_problem(s, campaign, other, description="新华镇的问题")
    make_user(s, "leader", "leader")
    make_user(s, "unit01", "unit", unit_name="城关镇司法所")
    make_user(s, "unit02", "unit", unit_name="新华镇司法所")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    yield from county_server(tmp_path_factory, postgres, "attachments", TODAY, _fill)


def _page(browser: Browser, server: LiveServer, user: str) -> Page:
    return signed_in_page(browser, server, user)


def _panel(page: Page, modal: str, stage: str) -> object:
    return page.locator(f"#{modal} .att-panel[data-stage='{stage}']")


def test_unit_staff_attach_photos_and_a_leader_downloads_one(
    browser: Browser, server: LiveServer
) -> None:
    db = Database.from_url(server.db_url)
    with db.read() as s:
        problem = s.scalars(select(Problem).where(Problem.description == PROBLEM)).one()
    errors: list[str] = []
    page = _page(browser, server, "unit01")
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/units/{problem.unit_id}?campaign=2024")
    problem_button(page, problem.id, "rect").click()
    modal = page.locator("#unit-rect-modal")
    expect(modal).to_be_visible(timeout=20_000)
    before = modal.locator(".att-panel[data-stage='before']")
    after = modal.locator(".att-panel[data-stage='after']")
    expect(before).to_contain_text("尚无附件", timeout=20_000)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "empty.png"))

    before.locator("input[type=file]").set_input_files(
        files=[{"name": "整改前.jpg", "mimeType": "image/jpeg", "buffer": photo("gray", gps=True)}]
    )
    expect(before).to_contain_text("已上传「整改前.jpg」", timeout=20_000)
    expect(before.locator("img.att-thumb")).to_be_visible(timeout=20_000)
    # a PDF named .jpg: refused in words in the panel, nothing written
    after.locator("input[type=file]").set_input_files(
        files=[{"name": "整改后.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    expect(after.locator(".att-alert")).to_contain_text("名实不符", timeout=20_000)
    after.locator("input[type=file]").set_input_files(
        files=[{"name": "整改后（公示栏）.jpg", "mimeType": "image/jpeg", "buffer": photo("green")}]
    )
    expect(after).to_contain_text("已上传「整改后（公示栏）.jpg」", timeout=20_000)
    thumb = after.locator("img.att-thumb")
    expect(thumb).to_be_visible(timeout=20_000)
    assert thumb.evaluate("img => img.complete && img.naturalWidth") > 0
    expect(after).to_contain_text("unit01")
    page.screenshot(path=str(SHOTS / "rect-dialog.png"))
    assert errors == []
    page.context.close()

    with db.read() as s:
        saved = {a.stage: a for a in s.scalars(select(Attachment))}
    assert set(saved) == {"before", "after"}

    # The leader: the problem's 详情 shows both photos (no upload box), the download is the file.
    page = _page(browser, server, "leader")
    page.goto(f"{server.url}/units/{problem.unit_id}?campaign=2024")
    problem_button(page, problem.id, "detail").click()
    detail = page.locator("#unit-detail-modal")
    expect(detail.locator("img.att-thumb")).to_have_count(2, timeout=20_000)
    expect(detail.locator("input[type=file]")).to_have_count(0)
    expect(detail.locator(".att-remove")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "leader-detail.png"))
    link = detail.locator(".att-panel[data-stage='before'] a.att-name")
    expect(link).to_have_text("整改前.jpg")
    response = page.request.get(server.url + (link.get_attribute("href") or ""))
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert "inline" in response.headers["content-disposition"]
    stored = Image.open(io.BytesIO(response.body()))
    assert not stored.getexif().get_ifd(GPS_IFD)
    page.context.close()

    # Another unit's staff: the same address answers in words, the bytes are not sent.
    page = _page(browser, server, "unit02")
    page.goto(f"{server.url}/download/attachment/{saved['before'].id}")
    expect(page.locator("#attachment-refused")).to_contain_text("无权查看附件", timeout=20_000)
    page.context.close()

    with db.read() as s:
        actions = s.execute(
            select(ChangeLog.action, ChangeLog.actor).where(ChangeLog.entity == "attachment")
        ).all()
    assert ("create", "unit01") in actions and ("download", "leader") in actions
    db.engine.dispose()
