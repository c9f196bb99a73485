"""/import in Chromium: an admin sees a bad ledger's errors (every one, in a grid) and its bad cells
in red and nothing is written, previews every row of a good one, imports a representatives roster;
a leader's direct POST of the confirm is refused.

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
from tests.e2e.grids import grid_count, grid_data, grid_texts

HEADER = "编号,责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态,完成日期\n"
BAD = HEADER + (
    "E2E-1,城关镇司法所,投诉举报,依法办事,2026-02-30,窗口态度生硬,2026-07-01,整改中,\n"
    "E2E-2,不存在的单位,自查自纠,信息公开,2026-06-03,未公示收费,2026-07-01,待整改,\n"
    "E2E-3,城关镇司法所,投诉举报,诚信服务,2026-06-04,<script>alert(1)</script>,2026-05-01,已整改,\n"
)
GOOD = HEADER + "E2E-9,城关镇司法所,投诉举报,依法办事,2026-06-03,窗口态度生硬,2026-07-01,整改中,\n"
MANY = 1200  # more rows than any cap the preview had (20 rows)
BIG = HEADER + "".join(
    f"E2E-{n},城关镇司法所,投诉举报,依法办事,2026-06-03,第{n}号问题,2026-07-01,整改中,\n"
    for n in range(101, MANY + 101)
)
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


def _grid_holds(page: Page, grid_id: str, n: int) -> None:
    """Until the grid (kept by React across previews) holds the new preview's n rows."""
    page.wait_for_function(
        """([id, n]) => {
            try { return dash_ag_grid.getApi(id).getDisplayedRowCount() === n; }
            catch (e) { return false; }
        }""",
        arg=[grid_id, n],
        timeout=20_000,
    )
    assert grid_count(page, grid_id) == n


def _upload(page: Page, path: Path) -> None:
    page.locator("#import-upload input[type=file]").set_input_files(str(path))


def test_admin_sees_errors_then_imports(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    page, errors = _admin_page(browser, live_server)
    year = live_server.today.year
    problems, reps = _counts(live_server)
    bad, good, roster = tmp_path / "台账.csv", tmp_path / "台账2.csv", tmp_path / "代表.csv"
    big = tmp_path / "台账3.csv"
    bad.write_bytes(BAD.encode("gbk"))
    big.write_bytes(BIG.encode("utf-8"))
    good.write_bytes(GOOD.encode("utf-8-sig"))
    roster.write_text(REPS, encoding="utf-8")

    page.goto(f"{live_server.url}/import?campaign={year}")
    expect(page.locator("#import-upload")).to_be_visible(timeout=15_000)
    _upload(page, bad)
    failed = page.locator("#import-failed")
    expect(failed).to_contain_text("发现 5 处错误", timeout=20_000)
    # every error in the grid of errors: row, column and the Chinese reason
    issues = [(r["row"], r["column"], r["message"]) for r in grid_data(page, "import-issues")]
    assert len(issues) == 5
    assert (2, "E 列「发现日期」", "日期不存在：2026-02-30") in issues
    assert (3, "B 列「责任单位」", "单位不在评议对象名册中：不存在的单位") in issues
    assert any("评议内容“诚信服务”不适用于司法所" in message for _, _, message in issues)
    # the preview holds every row with an error, each bad cell marked, its reasons beside it
    rows = {r["n"]: r for r in grid_data(page, "import-table")}
    assert sorted(rows) == [2, 3, 4]
    marked = [(n, k[:-3]) for n, r in rows.items() for k, v in r.items() if v == "bad"]
    assert len(marked) == 5 and (2, "c4") in marked
    assert rows[2]["c4"] == "2026-02-30"
    assert rows[2]["reasons"] == "E 列「发现日期」：日期不存在：2026-02-30"
    bad = page.locator("#import-table .ag-row[row-id='2'] [col-id=c4].level-bad")
    expect(bad).to_have_text("2026-02-30")
    # the script is shown as text, never run
    assert rows[4]["c5"] == "<script>alert(1)</script>"
    expect(
        page.locator("#import-table [col-id=c5]").get_by_text("<script>alert(1)</script>")
    ).to_have_count(1)
    expect(page.locator("#import-confirm")).to_be_disabled()

    _upload(page, big)
    expect(page.locator("#import-ok")).to_contain_text(f"将新增 {MANY} 条", timeout=20_000)
    # a valid file's preview holds every row of the file, not its first ones
    _grid_holds(page, "import-table", MANY)
    assert grid_texts(page, "import-table", "c0")[-1] == f"E2E-{MANY + 100}"
    expect(page.locator("#import-confirm")).to_be_enabled()

    _upload(page, good)
    expect(page.locator("#import-ok")).to_contain_text("将新增 1 条", timeout=20_000)
    _grid_holds(page, "import-table", 1)
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
