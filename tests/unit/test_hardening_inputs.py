"""Hardening of what comes in (issue 16): one cleaning rule for typed and imported text, exports
that survive a stored control character, a version required on every edit, and imports read
within limits (zip bombs, millions of rows, huge CSV files)."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, text

from dashboard.cli import main
from data.db import Database
from data.edits import ConflictError, check_version
from data.exports import export_ledger, export_report, export_supervision
from data.forms import RectificationForm, clean_text, is_blank, validate
from data.import_files import ImportFailed, read_sheet
from data.import_schema import LEDGER_COLUMNS, clean_cell
from data.imports import run_import
from data.models import Problem, SupervisionVisit, Unit
from data.rectification_updates import update_rectification
from data.voiding import void_problem
from data.workbook import SheetData, workbook_bytes
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_unit, make_user, make_visit

UNSTORABLE = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1f",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
]
FORMAT_ONLY = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3000", "\u00a0", " \u200b\t"]
TODAY = dt.date(2024, 11, 15)


# ---- finding 4: one cleaning rule for forms, imports and exports ----------------------------


@pytest.mark.parametrize("char", UNSTORABLE, ids=repr)
def test_what_xml_cannot_hold_is_dropped_from_forms_and_cells(char: str) -> None:
    assert clean_text(f"窗口{char}态度生硬") == "窗口态度生硬"
    assert clean_cell(f"窗口{char}态度生硬") == "窗口态度生硬"
    assert clean_text(char) is None and clean_cell(char) is None
    assert is_blank(char)


@pytest.mark.parametrize("blank", FORMAT_ONLY, ids=repr)
def test_format_only_text_is_blank(blank: str) -> None:
    assert is_blank(blank) and clean_text(blank) is None and clean_cell(blank) is None
    model = validate(RectificationForm, {"status": "done", "evidence": blank, "owner": blank})
    assert model.evidence is None and model.owner is None


def test_tabs_newlines_and_inner_joiners_are_kept() -> None:
    assert clean_text("第一行\r\n\t第二行") == "第一行\r\n\t第二行"
    assert clean_text("\u200b家\u200d人\u200b") == "家\u200d人"


def test_a_void_reason_of_zero_width_characters_is_refused(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s)
        problem_id = make_problem(s, campaign, make_unit(s)).id
    with pytest.raises(Exception, match="请填写作废原因"), db.write("admin") as s:
        void_problem(s, problem_id, "\u200b\u200b\ufeff", dt.datetime(2024, 9, 1), 1)


def test_imported_cells_are_cleaned(db: Database) -> None:
    with db.write("test") as s:
        make_campaign(s)
        make_unit(s, name="城关镇司法所")
    header = "编号,责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态\n"
    good = "K-1,城关镇司法所,投诉举报,依法办事,2024-06-03,窗口\x0b态度\x01生硬,2024-07-01,整改中\n"
    blank = "K-2,城关镇司法所,投诉举报,依法办事,2024-06-03,\u200b\u200b,2024-07-01,整改中\n"
    with pytest.raises(ImportFailed) as caught, db.write("admin") as s:
        run_import(s, "problems", (header + good + blank).encode(), "台账.csv", 2024)
    assert [(i.row, i.column, i.message) for i in caught.value.issues] == [
        (3, "问题描述", "不能为空")
    ]
    with db.write("admin") as s:
        run_import(s, "problems", (header + good).encode(), "台账.csv", 2024)
    with db.read() as s:
        assert s.scalars(select(Problem.description)).one() == "窗口态度生硬"


def test_the_workbook_writer_cleans_again() -> None:
    data = workbook_bytes([SheetData("表\x0b", ["标题\x01"], [["a\x0bb", "\ud800=1", "\ufffe"]])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["标题", None, None],
        ["ab", "'=1", None],
    ]


@pytest.fixture
def poisoned(db: Database) -> dict[str, int]:
    """A county whose stored text carries characters XML forbids, written by plain SQL (as a
    record saved before the cleaning rule would be)."""
    with db.write("test") as s:
        campaign = make_campaign(s)
        unit = make_unit(s, name="城关镇司法所")
        problem = make_problem(s, campaign, unit, channel="hotline", complainant_name="张三")
        visit = make_visit(s, campaign, unit, {"lawful": "conform"})
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
        ids = {"problem": problem.id, "visit": visit.id, "unit": unit.id}
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE problem SET description = :d, measures = :m WHERE id = :i"),
            {"d": "窗口\x0b态度生硬", "m": "\x01限期整改", "i": ids["problem"]},
        )
        conn.execute(
            text("UPDATE supervision_visit SET findings = :f, notes = :n WHERE id = :i"),
            {"f": "台账\x0b不全", "n": "\x1f备注", "i": ids["visit"]},
        )
        conn.execute(
            text("UPDATE unit SET township = :t WHERE id = :i"),
            {"t": "城关\x0b镇", "i": ids["unit"]},
        )
    with db.read() as s:  # the control characters really are stored
        assert "\x0b" in s.get(Problem, ids["problem"]).description
        assert "\x0b" in (s.get(SupervisionVisit, ids["visit"]).findings or "")
        assert "\x0b" in (s.get(Unit, ids["unit"]).township or "")
    return ids


def _cells(data: bytes) -> set[Any]:
    book = load_workbook(io.BytesIO(data))
    return {c for sheet in book.worksheets for r in sheet.iter_rows(values_only=True) for c in r}


def test_exports_of_stored_control_characters_succeed(db: Database, poisoned: Any) -> None:
    with db.read() as s:
        ledger = _cells(export_ledger(s, 2024))
        report = _cells(export_report(s, 2024, TODAY))
        supervision = _cells(export_supervision(s, 2024, TODAY))
    assert {"窗口态度生硬", "限期整改"} <= ledger
    assert "城关镇" in report
    assert {"台账不全", "备注"} <= supervision
    for cells in (ledger, report, supervision):
        assert not any(isinstance(c, str) and ("\x0b" in c or "\x01" in c) for c in cells)


@pytest.mark.parametrize("name", ["ledger.xlsx", "report.xlsx", "supervision.xlsx"])
def test_export_downloads_of_stored_control_characters_succeed(
    make_app: MakeApp, db: Database, poisoned: Any, name: str
) -> None:
    client = make_app().server.test_client()
    login(client, "leader").close()
    with client.get(f"/download/{name}?campaign=2024") as response:
        assert response.status_code == 200
        assert all("\x0b" not in str(c) for c in _cells(response.data))


@pytest.mark.parametrize("kind", ["ledger", "report", "supervision"])
def test_cli_export_of_stored_control_characters_succeeds(
    cli_db: Database, poisoned: Any, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"{kind}.xlsx"
    args = ["export", kind, "--campaign", "2024", "--out", str(out)]
    if kind != "ledger":
        args += ["--as-of", "2024-11-15"]
    assert main(args) == 0
    assert all("\x0b" not in str(c) for c in _cells(out.read_bytes()))


# ---- finding 6: a version on every edit of an existing record -------------------------------


class _Record:
    version = 3


def test_an_edit_without_a_version_is_refused() -> None:
    with pytest.raises(ConflictError, match="页面已过期，请刷新后再保存"):
        check_version(_Record(), None, None)
    check_version(_Record(), 3, None)
    with pytest.raises(ConflictError):
        check_version(_Record(), 2, None)


def test_a_rectification_without_a_version_writes_nothing(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s)
        problem_id = make_problem(s, campaign, make_unit(s)).id
    form = validate(RectificationForm, {"status": "in_progress", "measures": "已整改"})
    with pytest.raises(ConflictError), db.write("sup") as s:
        update_rectification(s, problem_id, form, "supervisor", None, TODAY)
    with db.write("sup") as s:
        update_rectification(s, problem_id, form, "supervisor", None, TODAY, 1, None)
    with db.read() as s:
        assert s.get(Problem, problem_id).measures == "已整改"


def test_a_save_posted_without_a_version_is_refused_in_chinese(
    make_app: MakeApp, db: Database
) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s)
        unit = make_unit(s, name="城关镇司法所")
        problem_id = make_problem(s, campaign, unit, found_on=dt.date(2024, 6, 1)).id
        make_user(s, "unit", "unit", unit_name=unit.name)
    client = make_app().server.test_client()
    login(client, "unit").close()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(
        d
        for d in deps
        if "unit-rect-message.children" in d["output"] and d["inputs"][0]["id"] == "unit-rect-save"
    )
    values = {
        "unit-rect-save.n_clicks": 1,
        "unit-rect-meta.data": {"problem_id": problem_id},  # no version: a forged or stale post
        "unit-rect-status.value": "done",
        "unit-rect-completed.value": "2024-07-01",
        "unit-rect-measures.value": "已整改",
        "unit-state.data": {"unit": str(unit.id), "search": ""},
    }
    body = _payload(dep, values)
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == 200
        answer = json.dumps(response.get_json(), ensure_ascii=False)
    assert "页面已过期" in answer
    with db.read() as s:
        assert s.get(Problem, problem_id).status == "pending"


def test_an_account_edit_needs_the_version_its_form_was_filled_with(
    make_app: MakeApp, db: Database
) -> None:
    from callbacks.admin_users import edit, fill_edit
    from dashboard.dash_private import callback_context
    from data.models import User
    from layouts.admin_users import EDIT
    from tests.conftest import signed_in

    with db.write("test") as s:
        make_user(s, "admin", "admin")
        leader = make_user(s, "leader", "leader")
    app = make_app()
    names = ("user", "display_name", "role", "unit_id")
    ids = [EDIT.field(n) for n in names]
    outputs = [{}, [{"id": EDIT.feedback(n), "property": "children"} for n in names]]
    pressed = [{"prop_id": f"{EDIT.save}.n_clicks", "value": 1}]

    def save(name: str, meta: dict[str, Any]) -> Any:
        values = [leader, name, "leader", None]
        with signed_in(app, db, "admin"), callback_context(outputs, pressed):
            return edit(1, None, None, None, None, None, values, ids, meta)[0]

    with signed_in(app, db, "admin"):
        _values, meta = fill_edit(leader, ids)
    assert meta["user_id"] == leader and meta["version"] >= 1
    assert "页面已过期" in str(save("无版本", {}))  # a forged or stale page: refused
    assert save("新名字", meta) is None  # the form as filled: saved
    assert save("又一个名字", meta) is not None  # the same page again: someone saved meanwhile
    with db.read() as s:
        assert s.get(User, leader).display_name == "新名字"  # type: ignore[union-attr]


def _payload(dep: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A callback request body as the browser sends it (pattern-matching outputs left empty)."""
    from dashboard.dash_private import has_several_outputs, output_parts

    def item(spec: dict[str, Any]) -> Any:
        if spec["id"].startswith("{"):
            return []
        return {
            "id": spec["id"],
            "property": spec["property"],
            "value": values.get(f"{spec['id']}.{spec['property']}"),
        }

    outputs: list[Any] = [
        [] if ident.startswith("{") else {"id": ident, "property": prop}
        for ident, prop in output_parts(dep["output"])
    ]
    return {
        "output": dep["output"],
        "outputs": outputs if has_several_outputs(dep["output"]) else outputs[0],
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


# ---- finding 7: imports read within limits --------------------------------------------------


def _xlsx_with_sheet(sheet_xml: bytes, level: int = 9) -> bytes:
    """An .xlsx (openpyxl's parts) whose first worksheet is `sheet_xml`, deflated."""
    book = Workbook()
    book.active.append(["x"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data, zipfile.ZIP_DEFLATED, compresslevel=level)
    return out.getvalue()


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated parts: (name, raw deflate data, CRC-32, inflated size)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in parts:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data),
                              size, len(encoded), 0) + encoded + data)  # fmt: skip
        directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                                    len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
                        + encoded)  # fmt: skip
    start = out.tell()
    out.write(directory.getvalue())
    count = len(parts)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count,
                          len(directory.getvalue()), start, 0))  # fmt: skip
    return out.getvalue()


def _deflated(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _bomb() -> bytes:
    """About 1 MB compressed: one inline-string cell of about 1 GB, deflated once and repeated
    (a flushed deflate block of a window of the same byte compresses the same every time)."""
    head = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
    end = b"</t></is></c></row>" + SHEET_TAIL
    chunk, chunks = b"A" * (1 << 20), 1000
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head + chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    second = packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    assert packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH) == second
    last = packer.compress(end) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(chunks):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(end, crc)
    sheet = first + second * (chunks - 1) + last
    with zipfile.ZipFile(io.BytesIO(_xlsx_with_sheet(b""))) as source:
        parts = [
            _deflated(info.filename, source.read(info))
            for info in source.infolist()
            if info.filename != "xl/worksheets/sheet1.xml"
        ]
    size = len(head) + len(chunk) * chunks + len(end)
    return _zip([*parts, ("xl/worksheets/sheet1.xml", sheet, crc, size)])


def _blank_styled_rows(rows: int) -> bytes:
    """A sheet with a header and `rows` rows of one empty, styled cell each (a whole column
    formatted by hand)."""
    header = (
        b'<row r="1">'
        + b"".join(
            f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{c.header}</t></is></c>'.encode()
            for i, c in enumerate(LEDGER_COLUMNS[:6])
        )
        + b"</row>"
    )
    body = b"".join(b'<row r="%d"><c r="A%d" s="1"/></row>' % (n, n) for n in range(2, rows + 2))
    return _xlsx_with_sheet(SHEET_HEAD + header + body + SHEET_TAIL, level=1)


def _refused_quickly(data: bytes, name: str, message: str) -> None:
    """Refused before the rows are read: the peak memory stays far below what the rows would take
    (a measure that does not depend on the machine's load, unlike a timer)."""
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed) as caught:
            read_sheet(data, name, LEDGER_COLUMNS)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert name in str(caught.value) and message in str(caught.value), str(caught.value)
    assert peak < 64 * 1024 * 1024, peak


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    data = _bomb()
    assert len(data) < 2 * 1024 * 1024
    _refused_quickly(data, "炸弹.xlsx", "解压后")


def test_a_million_blank_styled_rows_are_refused_quickly() -> None:
    data = _blank_styled_rows(1_000_000)
    _refused_quickly(data, "空行.xlsx", "行数过多")


def test_a_sheet_just_over_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from data import import_files

    monkeypatch.setattr(import_files, "MAX_ROWS", 500)
    _refused_quickly(_blank_styled_rows(600), "空行.xlsx", "行数过多")
    read_sheet(_blank_styled_rows(400), "空行.xlsx", LEDGER_COLUMNS)  # within the limit


def test_a_csv_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from data import import_files

    line = "城关镇司法所,投诉举报,依法办事,2024-06-03,态度生硬,2024-07-01,整改中\n"
    header = "责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态\n"
    data = (header + line * 1000).encode()
    monkeypatch.setattr(import_files, "MAX_CSV_BYTES", len(data) - 1)
    _refused_quickly(data, "台账.csv", "文件过大")
    monkeypatch.setattr(import_files, "MAX_CSV_BYTES", len(data) * 2)
    monkeypatch.setattr(import_files, "MAX_ROWS", 500)
    _refused_quickly(data, "台账.csv", "行数过多")
    blank_lines = (header + ",,,,,,\n" * 1000).encode()
    _refused_quickly(blank_lines, "台账.csv", "行数过多")


def test_a_normal_workbook_still_reads(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append([c.header for c in LEDGER_COLUMNS])
    book.active.append(["K-1", "城关镇司法所", "投诉举报", "依法办事", "2024-06-03", "态度生硬"])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = read_sheet(buffer.getvalue(), "台账.xlsx", LEDGER_COLUMNS)
    assert len(sheet.rows) == 1


def test_the_import_page_refuses_a_bomb_in_chinese(
    make_app: MakeApp, db: Database, tmp_path: Path
) -> None:
    import base64

    with db.write("test") as s:
        make_campaign(s)
        make_user(s, "admin", "admin")
    app: Dash = make_app()
    app.server.config["IMPORT_UPLOAD_DIR"] = str(tmp_path / "uploads")
    client = app.server.test_client()
    login(client, "admin").close()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "import-token.data" in d["output"])
    data = "data:application/octet-stream;base64," + base64.b64encode(_bomb()).decode()
    values = {
        "import-upload.contents": data,
        "import-upload.filename": "炸弹.xlsx",
        "import-kind.value": "problems",
        "import-campaign.value": 2024,
    }
    with client.post("/_dash-update-component", json=_payload(dep, values)) as response:
        assert response.status_code == 200
        answer = json.dumps(response.get_json(), ensure_ascii=False)
    assert "炸弹.xlsx" in answer and "解压后" in answer
