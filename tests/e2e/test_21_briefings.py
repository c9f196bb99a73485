"""#18 item 2 in Chromium: the admin issues a briefing to the 民评代表 on /briefings; it lists
with its recipients, its PDF (pdftotext) and Word file carry the figures and the recipients and
no complainant; the unit page and /present link to it; unit staff read it but are not offered
the form."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from data.models import Representative
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, county_server, signed_in_page
from tests.factories import make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
AS_OF = dt.date(2024, 9, 30)
NAME, PHONE = "张秀英", "13912345678"


def _fill(s: Session) -> None:
    """A small county: one office with an overdue complaint (a complainant named), one
    rectified problem, two active representatives and one no longer active."""
    campaign = make_campaign(s, 2024)
    unit = make_unit(s, name="城关镇司法所")
    make_problem(
        s,
        campaign,
        unit,
        channel="hotline",
        deadline=dt.date(2024, 8, 1),
        complainant_name=NAME,
        complainant_phone=PHONE,
    )
    make_problem(s, campaign, unit, status="done", completed_on=dt.date(2024, 7, 1))
    s.add_all(
        [
            Representative(name="李明", sector="人大代表", active=True),
            Representative(name="王芳", sector="政协委员", active=True),
            Representative(name="赵强", sector="群众代表", active=False),
        ]
    )
    make_user(s, "admin", "admin")
    make_user(s, "unit01", "unit", unit_name="城关镇司法所")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    yield from county_server(tmp_path_factory, postgres, "briefings", TODAY, _fill)


def _page(browser: Browser, server: LiveServer, user: str) -> tuple[Page, list[str]]:
    errors: list[str] = []
    return signed_in_page(browser, server, user, errors), errors


def test_the_admin_issues_a_briefing_and_it_prints(
    browser: Browser, server: LiveServer, tmp_path: Path
) -> None:
    from docx import Document

    page, errors = _page(browser, server, "admin")
    page.goto(f"{server.url}/briefings?campaign=2024&as_of={AS_OF.isoformat()}")
    expect(page.locator("#briefings-list")).to_contain_text("还没有印发", timeout=20_000)
    title = page.locator("input[id*='briefings-issue-field'][id*='title']")
    expect(title).to_have_value("2024年民主评议工作情况通报（第1期）")
    expect(page.locator("input[type='date'][id*='briefings-issue-field']")).to_have_value(
        AS_OF.isoformat()
    )
    recipients = page.locator(".form-dropdown")
    expect(recipients).to_contain_text("李明（人大代表）")
    expect(recipients).to_contain_text("王芳（政协委员）")
    expect(recipients).not_to_contain_text("赵强")
    page.locator("textarea[id*='briefings-issue-field']").fill(f"请{NAME}核实")
    page.locator("#briefings-issue-save").click()
    expect(page.locator("#briefings-issue-message")).to_contain_text("投诉人", timeout=20_000)
    expect(page.locator(".briefing-card")).to_have_count(0)
    page.locator("textarea[id*='briefings-issue-field']").fill("现将评议工作情况通报如下。")
    page.locator("#briefings-issue-save").click()
    expect(page.locator("#briefings-issue-message")).to_contain_text(
        "已印发第1期，送达 2 位民评代表", timeout=20_000
    )
    card = page.locator(".briefing-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("第1期")
    expect(card).to_contain_text("送达民评代表 2 人")
    expect(card.locator(".briefing-recipients")).to_contain_text("李明、王芳")
    expect(card).to_contain_text("全县共发现问题 2 个")
    # The form offers the next number now.
    expect(title).to_have_value("2024年民主评议工作情况通报（第2期）")

    with page.expect_download() as pdf_download:
        card.locator(".briefing-pdf").click()
    pdf = tmp_path / "briefing.pdf"
    pdf_download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = text.replace(" ", "").replace("\n", "")
    with page.expect_download() as docx_download:
        card.locator(".briefing-docx").click()
    docx = tmp_path / "briefing.docx"
    docx_download.value.save_as(docx)
    document = Document(io.BytesIO(docx.read_bytes()))
    words = "".join(p.text for p in document.paragraphs).replace(" ", "")
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for found in (compact, words):
        assert "2024年民主评议工作情况通报（第1期）" in found
        assert "全县共发现问题2个" in found and "已整改1个" in found
        assert "整改完成率50.0%" in found and "逾期问题1个" in found
        assert "李明（人大代表）、王芳（政协委员）（共2人）" in found
        assert NAME not in found and PHONE not in found and "赵强" not in found
    assert "城关镇司法所" in cells and "投诉举报" in cells
    assert not errors, errors
    page.context.close()


def test_unit_staff_read_it_and_follow_the_link_from_their_unit_page(
    browser: Browser, server: LiveServer
) -> None:
    page, errors = _page(browser, server, "unit01")
    page.goto(f"{server.url}/briefings")
    expect(page.locator(".briefing-card")).to_have_count(1, timeout=20_000)
    expect(page.locator("#briefings-who")).to_contain_text("局领导或管理员印发")
    expect(page.locator("#briefings-issue-save")).to_have_count(0)
    page.goto(f"{server.url}/units/1")
    link = page.locator(".briefings-latest")
    expect(link).to_contain_text("最新情况通报：第1期", timeout=20_000)
    assert link.get_attribute("href") == "/download/briefing/1.pdf"
    response = page.request.get(f"{server.url}/download/briefing/1.docx")
    assert response.status == 200
    assert not errors, errors
    page.context.close()
