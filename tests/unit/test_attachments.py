"""Attachments (#18 item 5): files and photos stored in the database — types checked from the
bytes, images re-encoded (no GPS, no appended script) with thumbnails, unit and covert scope at
the data level and on the download route, history rows for upload/download/removal, the
panel's callback, and backup → restore byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from dash import Dash
from PIL import Image
from sqlalchemy import func, select

from dashboard.auth import Account
from dashboard.cli import main
from data.attachments import (
    MAX_BYTES,
    AttachmentError,
    AttachmentRefused,
    attachment_counts,
    attachments_of,
    read_attachment,
    remove_attachment,
    save_attachment,
)
from data.db import Database
from data.models import Attachment, AttachmentBlob, ChangeLog, Inspection, User
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_task, make_unit, make_user
from tests.unit.test_backup import target_url  # noqa: F401 (fixture)

GPS_IFD = 0x8825


def jpeg(size: tuple[int, int] = (64, 48), color: str = "red", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", **save)
    return out.getvalue()


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 255, 128)).save(out, "PNG")
    return out.getvalue()


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[GPS_IFD] = {1: "N", 2: (30.0, 15.0, 10.0), 3: "E", 4: (120.0, 5.0, 1.0)}
    return jpeg((80, 40), "green", exif=exif.tobytes())


def docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("整改报告")
    document.save(out)
    return out.getvalue()


def plain_zip(**files: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, content in files.items():
            package.writestr(name.replace("__", "/"), content)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def account(db: Database, username: str) -> Account:
    with db.read() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        return Account(u.id, u.username, u.display_name, u.role, u.unit_id)


@pytest.fixture
def county(db: Database) -> dict[str, Any]:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        a = make_unit(s, name="城关镇司法所")
        b = make_unit(s, name="新华镇司法所")
        problem_a = make_problem(s, campaign, a)
        problem_b = make_problem(s, campaign, b)
        task_a = make_task(s, campaign, a)
        covert = Inspection(
            campaign_id=campaign.id, unit_id=a.id, inspected_on=dt.date(2024, 9, 1), mode="covert"
        )
        open_ = Inspection(
            campaign_id=campaign.id, unit_id=a.id, inspected_on=dt.date(2024, 9, 2), mode="open"
        )
        s.add_all([covert, open_])
        s.flush()
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
        make_user(s, "duban", "supervisor")
        make_user(s, "unit_a", "unit", unit_name="城关镇司法所")
        make_user(s, "unit_b", "unit", unit_name="新华镇司法所")
        ids = {
            "a": a.id,
            "b": b.id,
            "problem_a": problem_a.id,
            "problem_b": problem_b.id,
            "task_a": task_a.id,
            "covert": covert.id,
            "open": open_.id,
        }
    return ids


def save(db: Database, who: str, owner: str, owner_id: int, name: str, data: bytes, **kw: Any):
    user = account(db, who)
    with db.write(user.username, user.id) as s:
        return save_attachment(s, user, owner, owner_id, name, data, **kw).id


def blob_of(db: Database, attachment_id: int) -> tuple[bytes, bytes | None, Attachment]:
    with db.read() as s:
        attachment = s.get(Attachment, attachment_id)
        blob = s.get(AttachmentBlob, attachment.blob_id)
        return bytes(blob.data), blob.thumbnail and bytes(blob.thumbnail), attachment


def count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


# ------------------------------------------------------------------ types, sizes, cleaning


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("照片.jpg", PDF, "名字说它是JPEG 图片，内容却是PDF 文件"),
        ("照片.jpg", EXE, "可执行程序"),
        ("报告.pdf", jpeg(), "名字说它是PDF 文件，内容却是JPEG 图片"),
        ("图.svg", SVG, "SVG/HTML"),
        ("图.png", SVG, "SVG/HTML"),
        ("页面.html", b"<!doctype html><html><script>x</script></html>", "SVG/HTML"),
        ("资料.docx", plain_zip(word__document_xml=b"<w/>"), "压缩包"),
        ("资料.zip", plain_zip(a_txt=b"x"), "压缩包"),
        (
            "宏.docx",
            plain_zip(
                **{"[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled"},
                word__document_xml=b"<w/>",
                word__vbaProject_bin=b"x",
            ),
            "含宏",
        ),
        ("空.jpg", b"", "是空的"),
        ("照片", jpeg(), "没有扩展名"),
        ("坏.jpg", jpeg()[:40], "无法读取"),
    ],
)
def test_bad_files_are_refused_in_words_and_nothing_is_written(
    db: Database, county: dict, name: str, data: bytes, words: str
) -> None:
    with pytest.raises(AttachmentError) as refused:
        save(db, "unit_a", "problem", county["problem_a"], name, data, stage="before")
    assert words in str(refused.value)
    assert name in str(refused.value)
    assert count(db, Attachment) == 0 and count(db, AttachmentBlob) == 0


def test_an_oversized_file_is_refused(db: Database, county: dict) -> None:
    big = jpeg() + b"\x00" * (MAX_BYTES)
    with pytest.raises(AttachmentError, match="超过每个附件 10.0 MB 的上限"):
        save(db, "unit_a", "task", county["task_a"], "大.jpg", big)
    assert count(db, Attachment) == 0


def test_a_jpeg_loses_its_gps_and_exif_and_is_turned_upright(db: Database, county: dict) -> None:
    source = gps_jpeg()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)  # the GPS is there
    attachment_id = save(db, "unit_a", "problem", county["problem_a"], "现场.jpg", source)
    data, thumb, attachment = blob_of(db, attachment_id)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert len(stored.getexif()) == 0 and "exif" not in stored.info
    assert b"PhoneMaker" not in data
    assert stored.size == (40, 80)  # orientation 6 applied
    assert attachment.sha256 == hashlib.sha256(data).hexdigest() and attachment.size == len(data)
    assert thumb is not None and Image.open(io.BytesIO(thumb)).format == "JPEG"


def test_a_png_with_a_script_appended_is_stored_without_it(db: Database, county: dict) -> None:
    attack = png() + b"<script>alert('x')</script>" + b"<?php system($_GET[1]); ?>"
    attachment_id = save(db, "unit_a", "problem", county["problem_a"], "图.png", attack)
    data, thumb, attachment = blob_of(db, attachment_id)
    assert b"<script" not in data and b"php" not in data
    assert data.endswith(b"IEND\xaeB`\x82")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (40, 30) and image.mode == "RGBA"
    assert attachment.media_type == "image/png" and thumb


def test_big_photos_are_scaled_down_and_the_same_content_is_stored_once(
    db: Database, county: dict
) -> None:
    first = save(db, "unit_a", "task", county["task_a"], "大图.jpg", jpeg((4000, 1000)))
    data, _, _ = blob_of(db, first)
    assert Image.open(io.BytesIO(data)).size == (3200, 800)
    again = save(db, "unit_a", "problem", county["problem_a"], "同一张.JPG", jpeg((4000, 1000)))
    assert count(db, AttachmentBlob) == 1 and count(db, Attachment) == 2
    assert blob_of(db, again)[2].blob_id == blob_of(db, first)[2].blob_id


def test_office_and_pdf_files_are_kept_as_they_are(db: Database, county: dict) -> None:
    content = docx()
    word = save(db, "unit_a", "task", county["task_a"], "../../整改报告.docx", content)
    pdf = save(db, "unit_a", "task", county["task_a"], "方案.PDF", PDF)
    data, thumb, attachment = blob_of(db, word)
    assert data == content and thumb is None
    assert attachment.filename == "整改报告.docx"
    assert attachment.media_type.endswith("wordprocessingml.document")
    assert blob_of(db, pdf)[0] == PDF and blob_of(db, pdf)[2].media_type == "application/pdf"


# ------------------------------------------------------------------ who may see and do what


def test_unit_staff_reach_their_own_units_files_only(db: Database, county: dict) -> None:
    mine = save(db, "unit_a", "problem", county["problem_a"], "a.jpg", jpeg(), stage="before")
    theirs = save(db, "unit_b", "problem", county["problem_b"], "b.jpg", jpeg(color="blue"))
    unit_a = account(db, "unit_a")
    with db.write("unit_a") as s:
        assert [r.id for r in attachments_of(s, unit_a, "problem", county["problem_a"])] == [mine]
        with pytest.raises(AttachmentRefused):
            attachments_of(s, unit_a, "problem", county["problem_b"])
        with pytest.raises(AttachmentRefused):
            read_attachment(s, unit_a, theirs)
        with pytest.raises(AttachmentRefused):
            remove_attachment(s, unit_a, theirs)
        assert attachment_counts(
            s, unit_a, "problem", [county["problem_a"], county["problem_b"]]
        ) == {county["problem_a"]: 1}
    with pytest.raises(AttachmentRefused):  # nor attach to another unit's record
        save(db, "unit_a", "problem", county["problem_b"], "x.jpg", jpeg())
    with pytest.raises(AttachmentRefused):  # leaders read, they do not attach
        save(db, "leader", "problem", county["problem_a"], "x.jpg", jpeg())
    with pytest.raises(AttachmentRefused):  # a visit's and an inspection's files: supervisors
        save(db, "unit_a", "inspection", county["open"], "x.jpg", jpeg())
    leader = account(db, "leader")
    with db.write("leader") as s:
        row, data = read_attachment(s, leader, theirs)
        assert row.filename == "b.jpg" and data[:2] == b"\xff\xd8"


def test_covert_inspection_files_are_for_supervisors_and_the_admin_only(
    db: Database, county: dict
) -> None:
    covert = save(db, "duban", "inspection", county["covert"], "暗访.jpg", jpeg())
    opened = save(db, "duban", "inspection", county["open"], "明查.jpg", jpeg(color="blue"))
    with db.read() as s:
        assert s.get(Attachment, covert).covert and not s.get(Attachment, opened).covert
    for who in ("leader", "unit_a"):
        user = account(db, who)
        with db.write(who) as s:
            with pytest.raises(AttachmentRefused):
                attachments_of(s, user, "inspection", county["covert"])
            with pytest.raises(AttachmentRefused):
                read_attachment(s, user, covert)
            assert [r.id for r in attachments_of(s, user, "inspection", county["open"])] == [opened]
    for who in ("duban", "admin"):
        user = account(db, who)
        with db.write(who) as s:
            assert [r.id for r in attachments_of(s, user, "inspection", county["covert"])] == [
                covert
            ]
    with db.write("duban") as s:  # made covert afterwards: its files are hidden as well
        s.get(Inspection, county["open"]).mode = "covert"
    leader = account(db, "leader")
    with db.write("leader") as s, pytest.raises(AttachmentRefused):
        read_attachment(s, leader, opened)


def test_upload_download_and_removal_are_in_the_history(db: Database, county: dict) -> None:
    attachment_id = save(db, "unit_a", "task", county["task_a"], "证明.pdf", PDF)
    leader, unit_a = account(db, "leader"), account(db, "unit_a")
    with db.write(leader.username, leader.id) as s:
        read_attachment(s, leader, attachment_id)
        read_attachment(s, leader, attachment_id, thumbnail=False)
    with db.write(unit_a.username, unit_a.id) as s:
        remove_attachment(s, unit_a, attachment_id)
    with db.read() as s:
        rows = s.execute(
            select(ChangeLog.action, ChangeLog.actor, ChangeLog.after)
            .where(ChangeLog.entity == "attachment", ChangeLog.entity_id == str(attachment_id))
            .order_by(ChangeLog.id)
        ).all()
        assert [(a, who) for a, who, _ in rows] == [
            ("create", "unit_a"),
            ("download", "leader"),
            ("download", "leader"),
            ("update", "unit_a"),
        ]
        assert rows[0][2]["filename"] == "证明.pdf" and rows[1][2]["filename"] == "证明.pdf"
        assert rows[3][2]["removed_at"]
        assert all("data" not in (after or {}) for _, _, after in rows)
        # removed: gone from the list, the bytes kept
        assert attachments_of(s, leader, "task", county["task_a"]) == []
        assert len(attachments_of(s, leader, "task", county["task_a"], include_removed=True)) == 1
    assert blob_of(db, attachment_id)[0] == PDF


# ------------------------------------------------------------------ the routes and the panel


CALLBACK_MAP: dict[str, Any] = {}  # the app's callbacks, for the panel's posts


@pytest.fixture
def app(make_app: MakeApp, county: dict) -> Dash:
    made = make_app()
    CALLBACK_MAP.update(made.callback_map)
    return made


def client_as(app: Dash, who: str) -> Any:
    client = app.server.test_client()
    login(client, who).close()
    return client


def test_download_routes_serve_the_file_with_its_chinese_name_or_refuse_in_words(
    app: Dash, db: Database, county: dict
) -> None:
    photo = save(db, "unit_b", "problem", county["problem_b"], "整改后 照片.jpg", jpeg())
    report = save(db, "unit_b", "task", _task_b(db, county), "报告.pdf", PDF)
    leader = client_as(app, "leader")
    with leader.get(f"/download/attachment/{photo}") as response:
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("inline;")
        assert unquote(disposition.split("UTF-8''")[1]) == "整改后 照片.jpg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert response.data == blob_of(db, photo)[0]
    with leader.get(f"/download/attachment/{report}") as response:
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype == "application/pdf" and response.data == PDF
    with leader.get(f"/download/attachment/{photo}/thumb") as response:
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert response.data == blob_of(db, photo)[1]
    unit_a = client_as(app, "unit_a")
    for path in (f"/download/attachment/{photo}", f"/download/attachment/{photo}/thumb"):
        with unit_a.get(path) as response:
            assert response.status_code == 403
            page = response.get_data(as_text=True)
            assert "无权查看附件" in page and "<html" in page
            assert response.data != blob_of(db, photo)[0]
    for missing in ("99999", "9223372036854775808"):
        with unit_a.get(f"/download/attachment/{missing}") as response:
            assert response.status_code == 404 and "找不到附件" in response.get_data(as_text=True)
    with db.read() as s:
        denied = s.scalars(select(ChangeLog.actor).where(ChangeLog.action == "denied")).all()
        downloads = s.scalars(select(ChangeLog.actor).where(ChangeLog.action == "download")).all()
    assert "unit_a" in denied
    assert downloads == ["leader", "leader"]  # the two files; thumbnails are not recorded


def _task_b(db: Database, county: dict) -> int:
    with db.write("test") as s:
        from data.models import Campaign, Unit

        campaign = s.scalars(select(Campaign)).one()
        return make_task(s, campaign, s.get(Unit, county["b"])).id


def _panel_id(kind: str, owner: str, owner_id: int, stage: str = "", **more: Any) -> dict:
    return {"type": kind, "owner": owner, "oid": owner_id, "stage": stage, "place": "", **more}


def panel_post(
    client: Any, owner: str, owner_id: int, stage: str, *, chosen: Any = None, remove: int = 0
) -> Any:
    """The panel callback as the browser posts it: a chosen file, or a 移除 press, or a refresh."""
    output = next(key for key in CALLBACK_MAP if "att-list" in key)
    duplicate = output.rsplit("@", 1)[1].rstrip(".")
    file_id = _panel_id("att-file", owner, owner_id, stage)
    refresh_id = _panel_id("att-refresh", owner, owner_id, stage)
    removes = (
        [
            {
                "id": _panel_id("att-remove", owner, owner_id, stage, aid=remove),
                "property": "n_clicks",
                "value": 1,
            }
        ]
        if remove
        else []
    )
    changed = (
        json.dumps(removes[0]["id"], separators=(",", ":"), sort_keys=True) + ".n_clicks"
        if remove
        else json.dumps(file_id if chosen else refresh_id, separators=(",", ":"), sort_keys=True)
        + ".data"
    )
    body = {
        "output": output,
        "outputs": [
            {"id": _panel_id("att-list", owner, owner_id, stage), "property": "children"},
            {"id": _panel_id("att-message", owner, owner_id, stage), "property": "children"},
            {"id": file_id, "property": f"data@{duplicate}"},
        ],
        "inputs": [
            {"id": refresh_id, "property": "data", "value": 0},
            {"id": file_id, "property": "data", "value": chosen},
            removes,
        ],
        "changedPropIds": [changed],
        "state": [],
    }
    return client.post("/_dash-update-component", json=body)


def answer(response: Any) -> str:
    """A callback's answer as text (Chinese unescaped)."""
    return json.dumps(json.loads(response.get_data(as_text=True)), ensure_ascii=False)


def data_url(data: bytes, mime: str = "image/jpeg") -> str:
    import base64

    return f"data:{mime};base64," + base64.b64encode(data).decode()


def test_the_panel_saves_lists_refuses_and_removes(app: Dash, db: Database, county: dict) -> None:
    problem = county["problem_a"]
    unit_a = client_as(app, "unit_a")
    chosen = {"name": "整改前.jpg", "contents": data_url(gps_jpeg()), "at": 1}
    with panel_post(unit_a, "problem", problem, "before", chosen=chosen) as response:
        text = response.get_data(as_text=True)
        assert response.status_code == 200, text
        assert "已上传「整改前.jpg」" in answer(response)
    with db.read() as s:
        saved = s.scalars(select(Attachment)).one()
        assert saved.stage == "before" and saved.uploaded_by == "unit_a"
    lying = {"name": "整改后.jpg", "contents": data_url(PDF, "application/pdf"), "at": 2}
    with panel_post(unit_a, "problem", problem, "after", chosen=lying) as response:
        assert "名实不符" in answer(response)
    # another unit's staff: refused in words, recorded, nothing written
    unit_b = client_as(app, "unit_b")
    with panel_post(unit_b, "problem", problem, "after", chosen=chosen) as response:
        assert "无权" in answer(response)
    with panel_post(unit_b, "problem", problem, "before", remove=saved.id) as response:
        assert "无权" in answer(response)
    assert count(db, Attachment) == 1
    assert count(db, Attachment, Attachment.removed_at.is_not(None)) == 0
    # the leader sees the list (no 移除), unit_a removes it
    leader = client_as(app, "leader")
    with panel_post(leader, "problem", problem, "before") as response:
        listing = answer(response)
        assert "整改前.jpg" in listing and f"/download/attachment/{saved.id}/thumb" in listing
        assert "att-remove" not in listing
    with panel_post(unit_a, "problem", problem, "before", remove=saved.id) as response:
        assert "已移除" in answer(response)
    assert count(db, Attachment, Attachment.removed_at.is_not(None)) == 1


# ------------------------------------------------------------------ backup and restore


def test_backup_and_restore_keep_every_file_byte_for_byte(
    db: Database,
    db_url: str,
    county: dict,
    target_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = [
        save(db, "unit_a", "problem", county["problem_a"], "前.jpg", gps_jpeg(), stage="before"),
        save(db, "unit_a", "problem", county["problem_a"], "后.png", png(), stage="after"),
        save(db, "unit_a", "task", county["task_a"], "报告.docx", docx()),
        save(db, "duban", "inspection", county["covert"], "暗访.pdf", PDF),
    ]

    def blobs(url: str) -> dict[str, tuple[str, str | None, int]]:
        database = Database.from_url(url)
        try:
            with database.read() as s:
                return {
                    b.sha256: (
                        hashlib.sha256(b.data).hexdigest(),
                        b.thumbnail and hashlib.sha256(b.thumbnail).hexdigest(),
                        b.size,
                    )
                    for b in s.scalars(select(AttachmentBlob))
                }
        finally:
            database.engine.dispose()

    before = blobs(db_url)
    assert len(before) == 4 and all(key == digest for key, (digest, _, _) in before.items())
    assert sum(1 for _, thumb, _ in before.values() if thumb) == 2
    file = tmp_path / "files.bak"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["backup", str(file)]) == 0
    monkeypatch.setenv("DATABASE_URL", target_url)
    assert main(["restore", str(file)]) == 0
    assert blobs(target_url) == before
    restored = Database.from_url(target_url)
    try:
        with restored.read() as s:
            rows = s.execute(select(Attachment.id, Attachment.sha256, Attachment.covert)).all()
        assert sorted(r.id for r in rows) == sorted(ids)
        assert {r.sha256 for r in rows} == set(before)
    finally:
        restored.engine.dispose()


def slot_post(client: Any, output: str, input_id: str, prop: str, value: Any) -> Any:
    body = {
        "output": f"{output}.children",
        "outputs": {"id": output, "property": "children"},
        "inputs": [{"id": input_id, "property": prop, "value": value}],
        "changedPropIds": [f"{input_id}.{prop}"],
        "state": [],
    }
    return client.post("/_dash-update-component", json=body)


def test_the_pages_place_the_panels_for_those_who_may_see_them(
    app: Dash, db: Database, county: dict
) -> None:
    save(db, "duban", "inspection", county["covert"], "暗访.jpg", jpeg())
    covert = {"rowId": str(county["covert"]), "colId": "findings"}
    with slot_post(
        client_as(app, "leader"), "att-slot-inspection", "insp-grid", "cellClicked", covert
    ) as response:
        text = answer(response)
        assert "暗访的附件仅督导员和管理员可见" in text and "att-panel" not in text
    with slot_post(
        client_as(app, "duban"), "att-slot-inspection", "insp-grid", "cellClicked", covert
    ) as response:
        text = answer(response)
        assert "（暗访）" in text and "att-upload" in text and "att-list" in text
    meta = {"problem_id": county["problem_a"], "version": 1, "seen": {}}
    with slot_post(
        client_as(app, "unit_a"), "att-slot-rect", "unit-rect-meta", "data", meta
    ) as response:
        text = answer(response)
        assert "整改前照片" in text and "整改后照片" in text and "att-upload" in text
    with slot_post(
        client_as(app, "leader"), "att-slot-detail", "unit-detail-meta", "data", meta
    ) as response:
        text = answer(response)
        assert "整改前照片" in text and "att-upload" not in text
    with slot_post(
        client_as(app, "unit_b"), "att-slot-detail", "unit-detail-meta", "data", meta
    ) as response:
        assert "att-panel" not in answer(response)
    task = {"task_id": county["task_a"], "version": 1, "seen": {}}
    with slot_post(
        client_as(app, "unit_a"), "att-slot-task", "unit-task-meta", "data", task
    ) as response:
        assert "佐证文件" in answer(response)
    with db.read() as s:  # the pages' own rules hide these: nothing to record as refused
        assert s.scalar(select(func.count()).where(ChangeLog.action == "denied")) == 0


@pytest.mark.parametrize(
    ("fmt", "name", "stored_name", "stored_type"),
    [
        ("GIF", "动图.gif", "动图.png", "image/png"),
        ("WEBP", "照片.webp", "照片.webp", "image/webp"),
    ],
)
def test_gif_is_kept_as_png_and_webp_as_webp(
    db: Database, county: dict, fmt: str, name: str, stored_name: str, stored_type: str
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(out, fmt)
    attachment_id = save(db, "unit_a", "task", county["task_a"], name, out.getvalue())
    data, thumb, attachment = blob_of(db, attachment_id)
    assert attachment.filename == stored_name and attachment.media_type == stored_type
    assert Image.open(io.BytesIO(data)).size == (30, 20) and thumb


def test_the_bench_runs_and_restores_the_same_blobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench.attachments import main as bench

    url = f"sqlite:///{tmp_path / 'bench.db'}"
    out = tmp_path / "bench.json"
    assert (
        bench(
            ["--count", "3", "--kb", "50", "--url", url, "--dir", str(tmp_path), "--json", str(out)]
        )
        == 0
    )
    report = json.loads(out.read_text())
    assert report["photos"] == 3 and report["blobs"] == 3
    assert report["restore"]["same_blobs"] is True
    assert report["backup"]["bytes"] > 3 * 10_000
    capsys.readouterr()
