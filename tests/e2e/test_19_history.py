"""Issue #19 item 5: a visit's 修改历史 lists every edit — its ratings too (they are records of
their own) — in words: units by name, codes by their Chinese names, never a raw value."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from data.db import Database
from data.models import Campaign, SupervisionVisit, Unit, User
from tests.e2e.conftest import LiveServer, sign_in
from tests.e2e.dropdowns import choose
from tests.e2e.test_19_form_rows import WAIT, YEAR, own_server

__all__ = ["own_server"]  # the fixture: the demo county in this module's own database

# What the edit rates: every criterion of a 司法所 (none rated before), one of them 基本符合.
CRITERIA = (
    "信息公开",
    "依法办事",
    "廉洁自律",
    "制度建设",
    "促进发展",
    "转变职能",
    "改进作风",
    "维护民利",
)
RAW = ("routine", "focus", "conform", "nonconform", "basic", "disclosure", "lawful")


def _visit_without_ratings(server: LiveServer) -> tuple[int, str, str]:
    """A routine visit to a 司法所 logged by duban with no ratings (as a phone submission that
    lost them left it); its id, its unit's name and another 司法所's name."""
    db = Database.from_url(server.db_url)
    with db.read() as s:
        units = s.execute(
            select(Unit.id, Unit.name)
            .where(Unit.kind == "judicial_office", Unit.retired_on.is_(None))
            .order_by(Unit.id)
            .limit(2)
        ).all()
        campaign_id = s.scalar(select(Campaign.id).where(Campaign.year == YEAR))
        user_id = s.scalar(select(User.id).where(User.username == "duban"))
    with db.write("duban", user_id) as s:
        visit = SupervisionVisit(
            campaign_id=campaign_id,
            unit_id=units[0].id,
            visited_on=server.today - dt.timedelta(days=3),
            supervisors="王督导",
            kind="routine",
        )
        s.add(visit)
        s.flush()
        visit_id = visit.id
    db.engine.dispose()
    return visit_id, units[0].name, units[1].name


def _rate(page: Page, criterion: str, rating: str) -> None:
    row = page.locator(".rating-row").filter(has_text=criterion)
    row.get_by_label(rating, exact=True).check()


def _edit(page: Page, server: LiveServer, visit_id: int) -> None:
    page.goto(f"{server.url}/supervision?campaign={YEAR}&visit={visit_id}&edit=1")
    expect(page.locator("#sup-form-title")).to_have_text("修改督导记录", timeout=WAIT)
    expect(page.locator(".rating-row")).to_have_count(len(CRITERIA), timeout=WAIT)


def _save(page: Page) -> None:
    page.locator("#sup-save").click()
    expect(page.locator("#sup-saved")).to_be_visible(timeout=WAIT)


def test_visit_history_lists_rating_edits_in_words(
    browser: Browser, own_server: LiveServer
) -> None:
    visit_id, unit, other_unit = _visit_without_ratings(own_server)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, own_server, "duban")

    # First edit: another unit, 重点督查, and all eight ratings added.
    _edit(page, own_server, visit_id)
    choose(page, page.locator("#sup-unit"), other_unit, search=True)
    expect(page.locator(".rating-row")).to_have_count(len(CRITERIA), timeout=WAIT)
    page.locator("#sup-kind").get_by_text("重点督查").click()
    for criterion in CRITERIA:
        _rate(page, criterion, "基本符合" if criterion == "依法办事" else "符合")
    _save(page)

    # Second edit: one rating changed, nothing else.
    _edit(page, own_server, visit_id)
    expect(page.locator(".rating-row input:checked")).to_have_count(len(CRITERIA))
    _rate(page, "依法办事", "不符合")
    _save(page)

    history = page.locator("#sup-history")
    expect(history).to_contain_text("评议内容评定·依法办事：基本符合 → 不符合", timeout=WAIT)
    for criterion in CRITERIA:
        if criterion != "依法办事":
            expect(history).to_contain_text(f"评议内容评定·{criterion}：空 → 符合")
    expect(history).to_contain_text("评议内容评定·依法办事：空 → 基本符合")
    expect(history).to_contain_text("督导类型：常规督导 → 重点督查")
    expect(history).to_contain_text(f"被督导单位：{unit} → {other_unit}")
    expect(history).to_contain_text(f"被督导单位：{unit}")  # the visit as logged
    for raw in RAW:
        expect(history).not_to_contain_text(raw)
    expect(history).not_to_contain_text(re.compile(r"单位：\d|→ \d+(\s|$)"))
    context.close()
    assert errors == []
