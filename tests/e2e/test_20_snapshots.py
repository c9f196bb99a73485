"""#14 item 2 in Chromium: a leader publishes the figures of a date on /snapshots; after a
completion is backdated and a complaint found 不属实, the overview of that date says the figures
moved, and /snapshots names both changes, who made them and when — the published numbers stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.db import Database
from data.models import Problem, Snapshot
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, county_server, signed_in_page
from tests.factories import make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
AS_OF = dt.date(2024, 9, 30)
LATE = "窗口未公示收费标准"
COMPLAINT = "群众反映调解员态度生硬"


def _fill(s: Session) -> None:
    """A small county of its own: one office, one overdue problem, one complaint."""
    campaign = make_campaign(s, 2024)
    unit = make_unit(s, name="城关镇司法所")
    make_problem(s, campaign, unit, description=LATE, deadline=dt.date(2024, 8, 1))
    make_problem(s, campaign, unit, description=COMPLAINT, channel="hotline", found_on=AS_OF)
    make_user(s, "leader", "leader")
    make_user(s, "duban", "supervisor")
    make_user(s, "unit01", "unit", unit_name="城关镇司法所")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    yield from county_server(tmp_path_factory, postgres, "snapshots", TODAY, _fill)


def _page(browser: Browser, server: LiveServer, user: str) -> Page:
    return signed_in_page(browser, server, user)


def test_publish_then_the_live_view_names_what_moved(browser: Browser, server: LiveServer) -> None:
    view = f"?campaign=2024&as_of={AS_OF.isoformat()}"
    page = _page(browser, server, "leader")
    page.goto(f"{server.url}/snapshots{view}")
    expect(page.locator("#snapshots-list")).to_contain_text("还没有发布过", timeout=20_000)
    page.locator("input[id*='snapshots-publish-field'][type='text']").fill("评议大会")
    page.locator("#snapshots-publish-save").click()
    expect(page.locator("#snapshots-content")).to_contain_text("请勾选确认", timeout=20_000)
    page.get_by_label("我已核对").check()
    page.locator("#snapshots-publish-save").click()
    expect(page.locator("#snapshots-publish-message")).to_contain_text("已发布快照", timeout=20_000)
    card = page.locator(".snapshot-card").first
    expect(card).to_contain_text("2024年 截至2024年9月30日 · 评议大会")
    expect(card).to_contain_text("问题总数 2（其中经核查不属实 0）")
    expect(card).to_contain_text("当前计算与发布时的数字一致")
    page.goto(f"{server.url}/{view}")
    expect(page.locator("#published-notice")).to_contain_text("当前计算与之一致", timeout=20_000)

    db = Database.from_url(server.db_url)
    with db.read() as s:
        late = s.scalar(select(Problem.id).where(Problem.description == LATE))
        complaint = s.scalar(select(Problem.id).where(Problem.description == COMPLAINT))
        published = s.scalars(select(Snapshot)).one()
        kept = dict(published.stats)
    with db.write("unit01", user_id=3) as s:
        p = s.get(Problem, late)
        p.status, p.completed_on = "done", dt.date(2024, 9, 20)
    with db.write("duban", user_id=2) as s:
        s.get(Problem, complaint).status = "unfounded"

    page.goto(f"{server.url}/{view}")
    notice = page.locator("#published-notice")
    expect(notice).to_contain_text("当前计算与发布时不同", timeout=20_000)
    expect(notice).to_contain_text("已整改 0 → 1")
    notice.get_by_role("link").click()
    expect(page).to_have_url(f"{server.url}/snapshots{view}")
    card = page.locator(".snapshot-card").first
    expect(card).to_contain_text("当前计算与发布时的数字不同", timeout=20_000)
    expect(card).to_contain_text("其中经核查不属实")
    expect(card).to_contain_text("问题总数 2（其中经核查不属实 0）")  # as published
    changes = card.locator(".snap-changes")
    expect(changes).to_contain_text(f"unit01：{LATE}")
    expect(changes).to_contain_text("完成日期：空 → 2024-09-20")
    expect(changes).to_contain_text(f"duban：{COMPLAINT}")
    expect(changes).to_contain_text("整改状态：待整改 → 不属实")
    with db.read() as s:
        assert s.scalars(select(Snapshot)).one().stats == kept
    db.engine.dispose()

    # The deck as published shows the numbers read out that day; the live deck today's.
    with page.expect_popup() as opened:
        card.locator(".snap-open-deck").click()
    deck = opened.value
    expect(deck.locator("#present-published")).to_contain_text("快照 #", timeout=20_000)
    assert _tile(deck, "已整改") == "0" and _tile(deck, "逾期问题") == "1"
    deck.goto(f"{server.url}/present{view}")
    expect(deck.locator(".present-slides")).to_be_visible(timeout=20_000)
    expect(deck.locator("#present-published")).to_have_count(0)
    assert _tile(deck, "已整改") == "1" and _tile(deck, "逾期问题") == "0"
    page.context.close()


def _tile(deck: Page, label: str) -> str:
    """The big number of a figures-slide tile."""
    tile = deck.locator(".present-tile", has=deck.locator(".present-label", has_text=label))
    expect(tile.first).to_be_attached(timeout=20_000)
    return (tile.first.locator(".present-value").text_content() or "").strip()


def test_unit_staff_are_told_who_may_read_it(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, server, "unit01")
    page.goto(f"{server.url}/snapshots")
    expect(page.locator("#snap-refused")).to_contain_text("单位填报员", timeout=20_000)
    expect(page.locator("#snapshots-publish-save")).to_have_count(0)
    page.context.close()


def test_a_supervisor_reads_but_cannot_publish(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, server, "duban")
    page.goto(f"{server.url}/snapshots?campaign=2024&as_of={AS_OF.isoformat()}")
    expect(page.locator("#snapshots-content")).to_contain_text(
        "统计数字由局领导或管理员发布", timeout=20_000
    )
    expect(page.locator("#snapshots-publish-save")).to_have_count(0)
    page.context.close()
