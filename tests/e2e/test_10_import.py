"""/import in Chromium: an admin sees a bad ledger's errors in red and nothing is written, previews
a good one, imports a representatives roster; a leader's direct POST of the confirm is refused.

The live server's database is shared by every browser test: only new representatives (which no
other test counts) are written; problem ledgers are previewed, never confirmed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from dashboard.text import T
from data.db import Database
from data.models import ChangeLog, Problem, Representative
from tests.e2e.conftest import LiveServer, sign_in

HEADER = "编号,责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态,完成日期\n"
BAD = HEADER + (
    "E2E-1,城关镇司法所,投诉举报,依法办事,2026-02-30,窗口态度生硬,2026-07-01,整改中,\n"
    "E2E-2,不存在的单位,自查自纠,信息公开,2026-06-03,未公示收费,2026-07-01,待整改,\n"
    "E2E-3,城关镇司法所,投诉举报,诚信服务,2026-06-04,<script>alert(1)</script>,2026-05-01,已整改,\n"
)
GOOD = HEADER + "E2E-9,城关镇司法所,投诉举报,依法办事,2026-06-03,窗口态度生硬,2026-07-01,整改中,\n"
REPS = "姓名,界别,联系电话\n浏览器测试代表甲,群众代表,13900009901\n浏览器测试代表乙,企业代表,\n"


def _counts(server: LiveServer) -> tuple[int, int]:
    db = Database.from_url(server.db_url)
    try:
        with db.read() as s:
            return (
                s.scalar(select(func.count()).select_from(Problem)) or 0,
                s.scalar(select(func.count()).select_from(Representative)) or 0,
            )
    finally:
        db.engine.dispose()


def _admin_page(browser: Browser, server: LiveServer) -> tuple[Page, list[str]]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, server, "admin")
    return page, errors


def _upload(page: Page, path: Path) -> None:
    page.locator("#import-upload input[type=file]").set_input_files(str(path))


def test_admin_sees_errors_then_imports(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    page, errors = _admin_page(browser, live_server)
    year = live_server.today.year
    problems, reps = _counts(live_server)
    bad, good, roster = tmp_path / "台账.csv", tmp_path / "台账2.csv", tmp_path / "代表.csv"
    bad.write_bytes(BAD.encode("gbk"))
    good.write_bytes(GOOD.encode("utf-8-sig"))
    roster.write_text(REPS, encoding="utf-8")

    page.goto(f"{live_server.url}/import?campaign={year}")
    expect(page.locator("#import-upload")).to_be_visible(timeout=15_000)
    _upload(page, bad)
    failed = page.locator("#import-failed")
    expect(failed).to_contain_text("发现 5 处错误", timeout=15_000)
    expect(failed).to_contain_text("第 2 行 E 列「发现日期」：日期不存在：2026-02-30")
    expect(failed).to_contain_text("第 3 行 B 列「责任单位」：单位不在评议对象名册中：不存在的单位")
    expect(failed).to_contain_text("评议内容“诚信服务”不适用于司法所")
    marked = page.locator("#import-table td.import-bad")
    expect(marked).to_have_count(5)
    expect(page.locator("#import-table tr[data-row='2'] td.import-bad")).to_have_text("2026-02-30")
    expect(page.locator("#import-table tr[data-row='2'] td.import-bad")).to_have_attribute(
        "title", "日期不存在：2026-02-30"
    )
    # the script is shown as text, never run
    expect(page.locator("#import-table")).to_contain_text("<script>alert(1)</script>")
    expect(page.locator("#import-confirm")).to_be_disabled()

    _upload(page, good)
    expect(page.locator("#import-ok")).to_contain_text("将新增 1 条", timeout=15_000)
    expect(page.locator("#import-confirm")).to_be_enabled()

    page.locator("#import-kind").get_by_text("民评代表").click()
    _upload(page, roster)
    expect(page.locator("#import-ok")).to_contain_text("将新增 2 条", timeout=15_000)
    page.locator("#import-confirm").click()
    expect(page.locator("#import-done")).to_contain_text("导入完成：新增 2 条", timeout=15_000)
    expect(page.locator("#import-confirm")).to_be_disabled()
    assert _counts(live_server) == (problems, reps + 2)

    with page.expect_download() as download:
        page.locator("a[href^='/download/report.xlsx']").click()
    assert download.value.suggested_filename == f"纠风办报表_{year}_截至{live_server.today}.xlsx"
    assert errors == []
    page.context.close()


def _payload(dep: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    def item(spec: dict[str, Any]) -> dict[str, Any]:
        key = f"{spec['id']}.{spec['property']}"
        return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

    outputs = []
    for part in dep["output"].strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        outputs.append({"id": ident, "property": prop.split("@")[0]})
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep.get("state", [])],
        "changedPropIds": ["import-confirm.n_clicks"],
    }


def test_leader_cannot_confirm_an_import(
    watched_page: tuple[Page, object], live_server: LiveServer
) -> None:
    page, _watch = watched_page
    year = live_server.today.year
    page.goto(f"{live_server.url}/import?campaign={year}")
    expect(page.locator("#import-admin-only")).to_be_visible(timeout=15_000)
    expect(page.locator("#import-upload")).to_have_count(0)

    deps = page.request.get(f"{live_server.url}/_dash-dependencies").json()
    confirm = next(d for d in deps if "import-result.children@" in d["output"])
    body = _payload(
        confirm,
        {
            "import-confirm.n_clicks": 1,
            "import-token.data": {"token": "0" * 32, "filename": "代表.csv"},
            "import-kind.value": "representatives",
            "import-campaign.value": year,
        },
    )
    db = Database.from_url(live_server.db_url)
    try:
        with db.read() as s:
            denied = s.scalar(select(func.count()).where(ChangeLog.action == "denied")) or 0
        response = page.request.post(
            f"{live_server.url}/_dash-update-component",
            data=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        assert response.status == 200  # refused in words where the result goes (issue 19)
        assert T["import_admin_only"] in json.dumps(response.json(), ensure_ascii=False)
        with db.read() as s:
            assert s.scalar(select(func.count()).where(ChangeLog.action == "denied")) == denied + 1
    finally:
        db.engine.dispose()
