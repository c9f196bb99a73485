"""#18 item 3 in Chromium: the admin (纠风 office) makes a dated batch of the problems not yet
reported on /reports, downloads it in the ledger's columns (complainants masked), imports the
纠风办's feedback by 编号 and sees fed back / outstanding move; a feedback file with an unknown
编号 shows the row and changes nothing. Leaders read the page; unit staff are told it is not
theirs."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.db import Database
from data.exports import LEDGER_HEADERS
from data.models import Problem
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, county_server, signed_in_page
from tests.factories import make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 10, 20)
WINDOW = "窗口未公示收费标准"
FEES = "收费不透明，群众多次反映"
RUDE = "调解员态度生硬"
LONG_NAME = "城关镇第二基层法律服务所（原城关镇法律事务咨询服务中心）"


def _fill(s: Session) -> None:
    """A small county: two self-inspection problems (one with a complainant) and a complaint."""
    campaign = make_campaign(s, 2024)
    office = make_unit(s, name="城关镇司法所")
    long = make_unit(s, name=LONG_NAME, kind="legal_service_center")
    make_problem(s, campaign, office, description=WINDOW, ledger_key="2024-0001")
    make_problem(
        s,
        campaign,
        long,
        description=FEES,
        criterion_code="honest_service",
        complainant_name="张三",
        complainant_phone="13812345678",
    )
    make_problem(s, campaign, office, description=RUDE, channel="hotline")
    make_user(s, "admin", "admin")
    make_user(s, "leader", "leader")
    make_user(s, "unit01", "unit", unit_name="城关镇司法所")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    yield from county_server(tmp_path_factory, postgres, "reports", TODAY, _fill)


def _page(browser: Browser, server: LiveServer, user: str) -> tuple[Page, list[str]]:
    errors: list[str] = []
    return signed_in_page(browser, server, user, errors), errors


def _feedback_file(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "反馈日期", "反馈情况"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _feedback_of(db: Database) -> dict[str, str | None]:
    with db.read() as s:
        return dict(s.execute(select(Problem.description, Problem.report_feedback)).all())


def test_a_batch_goes_out_and_the_feedback_comes_back(
    browser: Browser, server: LiveServer, tmp_path: Path
) -> None:
    page, errors = _page(browser, server, "admin")
    page.goto(f"{server.url}/reports?campaign=2024")
    expect(page.locator("#reports-n")).to_contain_text("3 件", timeout=20_000)
    expect(page.locator("#reports-batches")).to_contain_text("还没有上报批次")
    expect(page.locator("#reports-n-reported")).to_have_text("0件")

    # Only the self-inspection problems go in this batch: the count moves before confirming.
    channels = page.locator("#reports-batch-card .form-dropdown").nth(1)
    channels.click()
    # The dropdown's own words are Chinese (layouts/forms.DROPDOWN_LABELS), not Dash's English.
    expect(page.locator(".dash-dropdown-search")).to_have_attribute("placeholder", "查找")
    expect(page.locator(".dash-dropdown-actions")).to_contain_text("全选")
    page.keyboard.type("自查自纠")
    page.keyboard.press("Enter")
    expect(page.locator("#reports-n")).to_contain_text("2 件", timeout=20_000)
    expect(channels).not_to_contain_text("selected")  # (with two or more: 已选 2 项)
    expect(page.locator("#reports-candidates")).to_contain_text(LONG_NAME)
    page.locator("input[id*='reports-batch-field'][id*='reported_on']").fill("2024-09-20")
    page.locator("input[id*='reports-batch-field'][id*='note']").fill("第三季度整改情况")
    page.locator("#reports-batch-save").click()
    expect(page.locator("#reports-batch-message")).to_contain_text(
        "已记为第 1 批，共 2 件问题", timeout=20_000
    )
    expect(page.locator("#reports-n-reported")).to_have_text("2件")
    expect(page.locator("#reports-n-outstanding")).to_have_text("2件")
    expect(page.locator("#reports-n")).to_contain_text("1 件")  # the complaint is left
    row = page.locator(".reports-batch-row").first
    expect(row).to_contain_text("第1批")
    expect(row).to_contain_text("2024年9月20日")
    expect(row).to_contain_text("第三季度整改情况")

    with page.expect_download(timeout=30_000) as info:
        page.locator("#reports-download-1").click()
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == LEDGER_HEADERS
    by_text = {r[5]: r for r in rows[1:]}
    assert set(by_text) == {WINDOW, FEES}
    assert by_text[FEES][14] == "张*" and by_text[FEES][15] == "138****5678"
    assert by_text[WINDOW][0] == "2024-0001" and by_text[FEES][0].startswith("2024-JF")
    fees_key = by_text[FEES][0]

    db = Database.from_url(server.db_url)
    try:
        # The 纠风办 answers one case; the counts move.
        good = _feedback_file(
            tmp_path / "反馈.xlsx", [["2024-0001", dt.datetime(2024, 10, 8), "已整改到位"]]
        )
        page.locator("#reports-upload input[type=file]").set_input_files(str(good))
        expect(page.locator("#import-ok")).to_contain_text("将更新 1 条", timeout=20_000)
        expect(page.locator("#import-ok")).to_contain_text("纠风办反馈情况 （空） → 已整改到位")
        assert _feedback_of(db)[WINDOW] is None  # a preview writes nothing
        page.locator("#reports-confirm").click()
        expect(page.locator("#reports-feedback-result")).to_contain_text(
            "更新 1 件", timeout=20_000
        )
        expect(page.locator("#reports-n-fed-back")).to_have_text("1件")
        expect(page.locator("#reports-n-outstanding")).to_have_text("1件")
        assert _feedback_of(db)[WINDOW] == "已整改到位"

        # A file naming an unknown 编号: the row is shown, nothing is written.
        bad = _feedback_file(
            tmp_path / "有误.xlsx",
            [[fees_key, "2024-10-09", "请补充照片"], ["2024-9999", "2024-10-09", "已整改"]],
        )
        page.locator("#reports-upload input[type=file]").set_input_files(str(bad))
        expect(page.locator("#import-failed")).to_contain_text("1 处错误", timeout=20_000)
        issues = page.locator("#import-issues")
        expect(issues).to_contain_text("系统中没有这个编号")
        expect(issues).to_contain_text("A 列「编号」")
        expect(page.locator("#import-table")).to_contain_text("2024-9999")
        expect(page.locator("#reports-confirm")).to_be_disabled()
        assert _feedback_of(db)[FEES] is None
        expect(page.locator("#reports-n-fed-back")).to_have_text("1件")

        # The unit page's problem detail shows the batch and the 纠风办's feedback.
        with db.read() as s:
            office = s.scalar(select(Problem.unit_id).where(Problem.description == WINDOW))
        page.goto(f"{server.url}/units/{office}?campaign=2024")
        row = page.locator("#unit-problem-grid .ag-row", has_text=WINDOW)
        row.get_by_role("button", name="详情").click(timeout=20_000)
        detail = page.locator("#unit-detail-body")
        expect(detail).to_contain_text("上报批次第1批（2024-09-20 上报）", timeout=20_000)
        expect(detail).to_contain_text("纠风办反馈情况2024-10-08：已整改到位")
    finally:
        db.engine.dispose()
    assert errors == []
    page.context.close()


def test_a_leader_reads_and_unit_staff_are_told(browser: Browser, server: LiveServer) -> None:
    page, errors = _page(browser, server, "leader")
    page.goto(f"{server.url}/reports?campaign=2024")
    expect(page.locator("#reports-n-reported")).to_be_visible(timeout=20_000)
    expect(page.locator("#reports-form")).to_contain_text("此处只读")
    expect(page.locator("#reports-batch-save")).to_have_count(0)
    expect(page.locator("#reports-upload")).to_have_count(0)
    assert errors == []
    page.context.close()

    page, _errors = _page(browser, server, "unit01")
    page.goto(f"{server.url}/reports?campaign=2024")
    expect(page.locator("#reports-refused")).to_contain_text("单位填报员", timeout=20_000)
    assert page.request.get(f"{server.url}/download/report-batch/2024/1.xlsx").status == 403
    page.context.close()
