"""Download routes (log-in, unit restriction, reveal only for admins, Chinese file names) and the
import page's callbacks as direct POSTs: admin-only uploads and confirms, size limits, tokens."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from dash import Dash
from openpyxl import load_workbook
from sqlalchemy import func, select

from dashboard.downloads import content_disposition
from dashboard.text import T
from dashboard.urls import download_href
from data.db import Database
from data.exports import LEDGER_HEADERS
from data.models import ChangeLog, PendingUpload, Problem, Representative
from tests.conftest import APP_TODAY, MakeApp
from tests.factories import login, make_user
from tests.unit.test_exports import LONG_NAME, build_county

PREVIEW_OUTPUT = "import-token.data"
CONFIRM_OUTPUT = "import-result.children@"
REPS = "姓名,界别,联系电话\n李明华,人大代表,13900001111\n王建国,群众代表,\n".encode("utf-8-sig")


@pytest.fixture
def app(make_app: MakeApp, db: Database, tmp_path: Path) -> Dash:
    build_county(db)
    with db.write("test") as s:
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
        make_user(s, "unit01", "unit", unit_name="城关镇司法所")
    return make_app()


def client_as(app: Dash, who: str | None) -> Any:
    client = app.server.test_client()
    if who:
        login(client, who).close()
    return client


def pending(db: Database) -> set[str]:
    """The tokens of the import files awaiting confirmation (kept in the database)."""
    with db.read() as s:
        return set(s.scalars(select(PendingUpload.token)))


def count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def ledger_units(data: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    column = LEDGER_HEADERS.index("责任单位")
    return {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}


# ---- downloads -----------------------------------------------------------------------------


def test_downloads_need_log_in(app: Dash) -> None:
    with client_as(app, None).get("/download/ledger.xlsx?campaign=2024") as response:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=/download/ledger.xlsx")


def test_ledger_download_masked_with_a_chinese_file_name(app: Dash) -> None:
    with client_as(app, "leader").get("/download/ledger.xlsx?campaign=2024") as response:
        assert response.status_code == 200
        assert response.mimetype.endswith("spreadsheetml.sheet")
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''")
        assert unquote(disposition.split("''", 1)[1]) == "问题整改台账_2024.xlsx"
        assert response.headers["Cache-Control"] == "no-store"
        values = {
            c
            for r in load_workbook(io.BytesIO(response.data))
            .worksheets[0]
            .iter_rows(values_only=True)
            for c in r
        }
    assert "张*" in values and "张三" not in values


REVEAL = "/download/ledger.xlsx?campaign=2024&reveal=1"
HERE = {"Origin": "http://localhost"}  # what a browser sends with a form posted from this site


def reveal(client: Any, headers: dict[str, str] | None = HERE, **form: str) -> Any:
    """The 确认 button of the reveal form, pressed (a POST from this site by default)."""
    return client.post(REVEAL, data=form or {"confirm": "1"}, headers=headers or {})


def test_reveal_is_refused_to_leaders_and_logged(app: Dash, db: Database) -> None:
    client = client_as(app, "leader")
    with client.get(REVEAL) as response:
        assert response.status_code == 403
    with reveal(client) as response:
        assert response.status_code == 403
    assert count(db, ChangeLog, ChangeLog.action == "denied") >= 1  # refusals are rate-limited
    assert count(db, ChangeLog, ChangeLog.action == "reveal") == 0


@pytest.mark.parametrize(
    ("method", "headers", "form", "status", "says"),
    [
        ("GET", {}, {}, 200, "确认下载含投诉人信息的台账"),  # a link or an <img> elsewhere
        ("GET", {"Referer": "http://evil.example/"}, {}, 200, "每一次查看都以您的名义记入"),
        ("POST", {"Origin": "http://evil.example"}, {"confirm": "1"}, 403, "请求来源无效"),
        ("POST", {"Origin": "null"}, {"confirm": "1"}, 403, "请求来源无效"),
        ("POST", {"Referer": "http://evil.example/x"}, {"confirm": "1"}, 403, "请求来源无效"),
        ("POST", {}, {"confirm": "1"}, 403, "请求来源无效"),
        ("POST", HERE, {"x": "1"}, 400, "尚未确认"),
    ],
)
def test_reveal_needs_a_confirmed_post_from_this_site(
    app: Dash,
    db: Database,
    method: str,
    headers: dict[str, str],
    form: dict[str, str],
    status: int,
    says: str,
) -> None:
    client = client_as(app, "admin")
    with client.open(REVEAL, method=method, headers=headers, data=form) as response:
        assert response.status_code == status
        assert response.mimetype == "text/html"
        page = response.get_data(as_text=True)
    assert says in page and "张三" not in page
    assert '<form method="post" action="/download/ledger.xlsx?campaign=2024&amp;reveal=1"' in page
    assert 'name="confirm" value="1"' in page
    assert count(db, ChangeLog, ChangeLog.action == "reveal") == 0


def test_a_post_without_reveal_is_not_a_download(app: Dash) -> None:
    with client_as(app, "admin").post("/download/ledger.xlsx?campaign=2024") as response:
        assert response.status_code == 405
    with client_as(app, "admin").post("/download/report.xlsx?campaign=2024") as response:
        assert response.status_code == 405


@pytest.mark.parametrize("headers", [HERE, {"Referer": "http://localhost/import?campaign=2024"}])
def test_admin_reveal_is_recorded(app: Dash, db: Database, headers: dict[str, str]) -> None:
    with reveal(client_as(app, "admin"), headers) as response:
        assert response.status_code == 200
        values = {
            c
            for r in load_workbook(io.BytesIO(response.data))
            .worksheets[0]
            .iter_rows(values_only=True)
            for c in r
        }
    assert "张三" in values and "13812345678" in values
    with db.read() as s:
        actors = set(s.scalars(select(ChangeLog.actor).where(ChangeLog.action == "reveal")))
        revealed = count(db, ChangeLog, ChangeLog.action == "reveal")
    assert actors == {"admin"}
    assert revealed == count(db, Problem, Problem.complainant_name.is_not(None)) == 3


def test_unit_users_get_their_own_unit_only(app: Dash) -> None:
    client = client_as(app, "unit01")
    with client.get("/download/ledger.xlsx?campaign=2024") as response:
        assert response.status_code == 200
        assert ledger_units(response.data) == {"城关镇司法所"}
    with client.get("/download/report.xlsx?campaign=2024&township=新华镇") as response:
        book = load_workbook(io.BytesIO(response.data))
        assert [r[0] for r in book["各单位情况"].iter_rows(min_row=2, values_only=True)] == []
    with client.get("/download/ledger.xlsx?campaign=2024&township=新华镇") as response:
        assert ledger_units(response.data) == set()


def test_page_filters_apply(app: Dash) -> None:
    client = client_as(app, "leader")
    with client.get("/download/ledger.xlsx?campaign=2024&township=新华镇") as response:
        assert ledger_units(response.data) == {LONG_NAME}
    with client.get("/download/ledger.xlsx?campaign=2024&as_of=2024-06-02") as response:
        rows = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(min_row=2))
        assert len(rows) == 2  # found on 1 and 2 June


@pytest.mark.parametrize(
    ("name", "filename", "sheet"),
    [
        ("overdue.xlsx", "逾期单位清单_2024_截至2024-11-15.xlsx", "逾期单位"),
        ("supervision.xlsx", "督导检查记录_2024_截至2024-11-15.xlsx", "督导检查记录"),
        ("report.xlsx", "纠风办报表_2024_截至2024-11-15.xlsx", "汇总"),
        ("archive.xlsx", "工作档案目录_2024.xlsx", "档案目录"),
    ],
)
def test_other_downloads(app: Dash, name: str, filename: str, sheet: str) -> None:
    with client_as(app, "leader").get(f"/download/{name}?campaign=2024") as response:
        assert response.status_code == 200
        assert unquote(response.headers["Content-Disposition"].split("''", 1)[1]) == filename
        assert load_workbook(io.BytesIO(response.data)).sheetnames[0] == sheet


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("ledger.xlsx", "2024年问题整改台账"),
        ("overdue.xlsx", "2024年逾期单位清单"),
        ("supervision.xlsx", "2024年督导检查记录"),
        ("report.xlsx", "2024年纠风办报表"),
        ("archive.xlsx", "2024年工作档案目录"),
    ],
)
def test_downloads_print_their_title_and_date_on_every_page(
    app: Dash, name: str, title: str
) -> None:
    """The page heading names the workbook and the date its data is current at: the as-of date
    of the view, today for the ledger and the archive index without one."""
    for query, date in (("", APP_TODAY), ("&as_of=2024-10-01", dt.date(2024, 10, 1))):
        with client_as(app, "leader").get(f"/download/{name}?campaign=2024{query}") as response:
            book = load_workbook(io.BytesIO(response.data))
        if name == "archive.xlsx":
            date = APP_TODAY  # the index as it stands, whatever the date asked
        for sheet in book.worksheets:
            header = sheet.oddHeader
            assert (header.left.text, header.right.text) == (title, f"数据截至：{date}")
            assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_chart_download(app: Dash) -> None:
    client = client_as(app, "leader")
    with client.get("/download/chart/complaints-by-month.png?campaign=2024") as response:
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.data.startswith(b"\x89PNG")
    with client.get("/download/chart/nothing.png?campaign=2024") as response:
        assert response.status_code == 404


def test_no_campaign_is_404(make_app: MakeApp, db: Database) -> None:
    with db.write("test") as s:
        make_user(s, "leader", "leader")
    app = make_app()
    with client_as(app, "leader").get("/download/report.xlsx") as response:
        assert response.status_code == 404
        assert "还没有评议活动" in response.get_data(as_text=True)


def test_content_disposition_and_hrefs() -> None:
    header = content_disposition("纠风办报表 2024.xlsx", "report.xlsx")
    assert header == (
        "attachment; filename=\"report.xlsx\"; filename*=UTF-8''"
        "%E7%BA%A0%E9%A3%8E%E5%8A%9E%E6%8A%A5%E8%A1%A8%202024.xlsx"
    )
    assert download_href("ledger.xlsx", "?campaign=2024", reveal="1") == REVEAL
    assert download_href("report.xlsx") == "/download/report.xlsx"


# ---- the import page's callbacks -----------------------------------------------------------


def dependency(client: Any, output_part: str) -> dict[str, Any]:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if output_part in d["output"])


def payload(dep: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A request body for a callback, as the browser sends it."""

    def item(spec: dict[str, Any]) -> dict[str, Any]:
        key = f"{spec['id']}.{spec['property']}"
        return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

    outputs = []
    for part in dep["output"].strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        outputs.append({"id": ident, "property": prop.split("@")[0]})
    multi = dep["output"].startswith("..")
    return {
        "output": dep["output"],
        "outputs": outputs if multi else outputs[0],
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep.get("state", [])],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


def data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def post(client: Any, output: str, values: dict[str, Any]) -> Any:
    helper_dep = dependency(client, output)
    return client.post("/_dash-update-component", json=payload(helper_dep, values))


def upload(client: Any, data: bytes, name: str, kind: str, year: int | None = 2024) -> Any:
    return post(
        client,
        PREVIEW_OUTPUT,
        {
            "import-upload.contents": data_url(data),
            "import-upload.filename": name,
            "import-kind.value": kind,
            "import-campaign.value": year,
        },
    )


def confirm(client: Any, token: Any, kind: str, year: int | None = 2024) -> Any:
    return post(
        client,
        CONFIRM_OUTPUT,
        {
            "import-confirm.n_clicks": 1,
            "import-token.data": token,
            "import-kind.value": kind,
            "import-campaign.value": year,
        },
    )


def response_text(response: Any) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def token_of(response: Any) -> Any:
    return response.get_json()["response"]["import-token"]["data"]


@pytest.mark.parametrize(("who", "form"), [("admin", True), ("leader", False), ("unit01", False)])
def test_page_shows_the_form_to_admins_only(app: Dash, who: str, form: bool) -> None:
    client = client_as(app, who)
    with post(client, "import-content.children", {"import-state.data": "?campaign=2024"}) as r:
        text = response_text(r)
    assert ("import-upload" in text) is form
    assert ("数据导入仅限管理员" in text) is not form
    assert "/download/report.xlsx?campaign=2024" in text
    assert ("reveal=1" in text) is form
    if form:  # the reveal is a form posted with its 确认 button, never a link
        assert '"action": "/download/ledger.xlsx?campaign=2024&reveal=1"' in text
        assert '"method": "post"' in text and '"name": "confirm"' in text
        assert '"href": "/download/ledger.xlsx?campaign=2024&reveal=1"' not in text


def test_admin_previews_then_confirms(app: Dash, db: Database, tmp_path: Path) -> None:
    client = client_as(app, "admin")
    with upload(client, REPS, "代表.csv", "representatives", None) as response:
        assert response.status_code == 200
        text = response_text(response)
        token = token_of(response)
    assert "将新增 2 条" in text
    assert set(token) == {"token", "filename"} and "李明华" not in json.dumps(token)
    assert pending(db) == {token["token"]}
    assert count(db, Representative) == 0
    with confirm(client, token, "representatives", None) as response:
        assert response.status_code == 200
        assert "导入完成：新增 2 条" in response_text(response)
    assert count(db, Representative) == 2
    assert pending(db) == set()
    with confirm(client, token, "representatives", None) as response:
        assert "上传的文件已失效" in response_text(response)
    assert count(db, Representative) == 2


def test_bad_file_preview_marks_cells_and_cannot_be_confirmed(app: Dash, db: Database) -> None:
    bad = "编号,责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态\n"
    bad += "X-1,城关镇司法所,投诉举报,依法办事,2024-02-30,态度差,2024-07-01,整改中\n"
    client = client_as(app, "admin")
    with upload(client, bad.encode("gbk"), "台账.csv", "problems") as response:
        body = response.get_json()["response"]
    text = json.dumps(body, ensure_ascii=False)
    assert "日期不存在：2024-02-30" in text
    issues = grid_rows(body, "import-issues")
    assert [(r["row"], r["column"], r["message"]) for r in issues] == [
        (2, "E 列「发现日期」", "日期不存在：2024-02-30")
    ]
    assert body["import-confirm"]["disabled"] is True
    assert bad_cells(body) == [("4", "2024-02-30", "E 列「发现日期」：日期不存在：2024-02-30")]
    before = count(db, Problem)
    with confirm(client, token_of_body(body), "problems") as response:
        assert "日期不存在" in response_text(response)
    assert count(db, Problem) == before


def grid_rows(node: Any, grid_id: str) -> list[dict[str, Any]]:
    """The rows of the grid with this id in a callback's answer."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == grid_id:
            return list(props["rowData"])
        children: Any = list(node.values())
    else:
        children = node if isinstance(node, list) else []
    return next((rows for child in children if (rows := grid_rows(child, grid_id))), [])


def bad_cells(node: Any) -> list[tuple[str, str, str]]:
    """(column index, text, its row's reasons) of each cell the preview grid marks as bad."""
    return [
        (key[1:-3], row[key[:-3]], row["reasons"])
        for row in grid_rows(node, "import-table")
        for key, level in row.items()
        if key.startswith("c") and key.endswith("_lv") and level == "bad"
    ]


def token_of_body(body: dict[str, Any]) -> Any:
    return body["import-token"]["data"]


@pytest.mark.parametrize("who", ["leader", "unit01"])
def test_other_roles_cannot_upload_or_confirm(app: Dash, db: Database, who: str) -> None:
    admin = client_as(app, "admin")
    with upload(admin, REPS, "代表.csv", "representatives", None) as response:
        token = token_of(response)
    other = client_as(app, who)  # refused in words where the preview or result would be
    with upload(other, REPS, "代表.csv", "representatives", None) as response:
        assert T["import_admin_only"] in response_text(response)
        assert "李明华" not in response_text(response)  # no preview of the file
    with confirm(other, token, "representatives", None) as response:
        assert T["import_admin_only"] in response_text(response)
    assert count(db, Representative) == 0
    assert count(db, ChangeLog, ChangeLog.action == "denied") == 2


def test_a_new_upload_replaces_the_previous_file(app: Dash, db: Database) -> None:
    client = client_as(app, "admin")
    with upload(client, REPS, "代表.csv", "representatives", None) as response:
        first = token_of(response)
    body = payload(
        dependency(client, PREVIEW_OUTPUT),
        {
            "import-upload.contents": data_url(REPS),
            "import-upload.filename": "代表2.csv",
            "import-kind.value": "representatives",
            "import-token.data": first,
        },
    )
    with client.post("/_dash-update-component", json=body) as response:
        second = token_of(response)
    assert second["token"] != first["token"]
    assert pending(db) == {second["token"]}


def test_a_token_of_another_admin_is_not_accepted(app: Dash, db: Database) -> None:
    with db.write("test") as s:
        make_user(s, "admin2", "admin")
    with upload(client_as(app, "admin"), REPS, "代表.csv", "representatives", None) as r:
        token = token_of(r)
    with confirm(client_as(app, "admin2"), token, "representatives", None) as response:
        assert "上传的文件已失效" in response_text(response)
    for forged in ({"token": "../../secret_key"}, {"token": 5}, None):
        with confirm(client_as(app, "admin"), forged, "representatives", None) as response:
            assert "上传的文件已失效" in response_text(response)
    assert count(db, Representative) == 0


def test_uploads_over_10_mb_are_refused_by_the_callback(
    app: Dash, db: Database, tmp_path: Path
) -> None:
    big = b"a" * (10 * 1024 * 1024 + 1)
    with upload(client_as(app, "admin"), big, "大.csv", "problems") as response:
        assert response.status_code == 200
        body = response.get_json()["response"]
    assert "文件超过 10 MB（10.0 MB）" in json.dumps(body, ensure_ascii=False)
    assert body["import-token"]["data"] is None and body["import-confirm"]["disabled"] is True
    assert pending(db) == set()
    assert count(db, Problem) == 14


def test_a_20_mb_upload_is_refused_by_the_server(app: Dash, db: Database) -> None:
    big = b"a" * (20 * 1024 * 1024)
    with upload(client_as(app, "admin"), big, "大.csv", "problems") as response:
        assert response.status_code == 413
    assert count(db, Problem) == 14


def test_problems_need_a_campaign(app: Dash) -> None:
    with upload(client_as(app, "admin"), REPS, "台账.csv", "problems", None) as response:
        assert "请先选择评议年度" in response_text(response)
