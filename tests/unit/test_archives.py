"""工作档案 (#18 item 5): the archive items are the one source of truth for the tasks 整理工作档案
and 上传纠风网站; who may change a unit's checklist; the zip and its manifest."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from dash import Dash
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from dashboard.auth import Account
from data.archives import (
    SYNC_NOTE,
    archive_overview,
    archive_zip,
    settle_archive_tasks,
    sync_archive_tasks,
    unit_archive,
    update_item,
)
from data.attachments import save_attachment
from data.campaigns import create_campaign
from data.db import Database
from data.edits import ConflictError
from data.forms import FormError, TaskForm
from data.models import ArchiveItem, ChangeLog, TaskTemplate, Unit, UnitTask, User
from data.rectification_updates import NotAllowed, complete_task
from data.unit_detail import unit_detail
from tests.conftest import MakeApp, signed_in
from tests.factories import login, make_unit, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = dt.date(2024, 11, 10)
LATER = dt.date(2024, 11, 14)


@pytest.fixture
def county(db: Database) -> dict[str, int]:
    """Two units with their staff, a leader and the admin, and the 2024 campaign set up the
    way a new campaign is (its archive checklist and the two derived tasks)."""
    with db.write("test") as s:
        a = make_unit(s, "城关司法所")
        b = make_unit(s, "东湖司法所")
        make_user(s, "unit_a", "unit", "城关司法所")
        make_user(s, "unit_b", "unit", "东湖司法所")
        make_user(s, "leader", "leader")
        make_user(s, "admin", "admin")
        create_campaign(s, 2024)
        return {"a": a.id, "b": b.id}


@pytest.fixture
def app(make_app: MakeApp, county: dict[str, int]) -> Dash:
    return make_app()


def shown_of(component: Any) -> str:
    """A component as the browser receives it, as text."""
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def items_of(s: Session, unit_id: int) -> list[ArchiveItem]:
    return list(
        s.scalars(
            select(ArchiveItem).where(ArchiveItem.unit_id == unit_id).order_by(ArchiveItem.id)
        )
    )


def task(s: Session, unit_id: int, derived: str) -> UnitTask:
    return s.scalars(
        select(UnitTask)
        .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
        .where(UnitTask.unit_id == unit_id, TaskTemplate.derived_from == derived)
    ).one()


def tick(
    s: Session, item: ArchiveItem, in_archive: bool, uploaded: bool, day: dt.date = DAY, **kw: Any
) -> ArchiveItem:
    """Save one item as the admin at the version it is at."""
    values = {"in_archive": in_archive, "uploaded": uploaded, "note": kw.get("note")}
    role = kw.get("role", "admin")
    return update_item(s, item.id, values, role, kw.get("unit"), day, item.version, None)


def test_a_new_campaign_has_the_two_derived_tasks(db: Database, county: dict[str, int]) -> None:
    with db.read() as s:
        derived = dict(
            s.execute(
                select(TaskTemplate.name, TaskTemplate.derived_from).where(
                    TaskTemplate.derived_from.is_not(None)
                )
            ).all()
        )
        assert derived == {"整理工作档案": "archive", "上传纠风网站": "upload"}
        assert len(items_of(s, county["a"])) == 6
        assert task(s, county["a"], "upload").completed_on is None


def test_the_tasks_follow_the_items_both_ways(db: Database, county: dict[str, int]) -> None:
    a = county["a"]
    with db.write("test") as s:
        *first, last = items_of(s, a)
        for item in first:
            tick(s, item, True, True)
        tick(s, last, True, False)
        assert task(s, a, "archive").completed_on == DAY  # every item in the archive
        assert task(s, a, "upload").completed_on is None  # one not yet uploaded
    with db.write("test") as s:
        tick(s, items_of(s, a)[-1], True, True, LATER)
        assert task(s, a, "upload").completed_on == LATER  # the day the last one got there
        assert task(s, a, "archive").completed_on == DAY  # a done task keeps its date
    with db.read() as s:
        tasks = {t.name: t for t in unit_detail(s, 2024, a, dt.date(2024, 12, 31)).tasks}
        assert tasks["上传纠风网站"].state == "done"
        assert tasks["上传纠风网站"].completed_on == LATER
        assert task(s, county["b"], "upload").completed_on is None  # another unit's: untouched
    with db.write("test") as s:
        tick(s, items_of(s, a)[2], True, False, LATER)  # one item back
        assert task(s, a, "upload").completed_on is None
        assert task(s, a, "archive").completed_on == DAY
        tick(s, items_of(s, a)[2], False, False, LATER)
        assert task(s, a, "archive").completed_on is None
    with db.read() as s:
        tasks = {t.name: t for t in unit_detail(s, 2024, a, dt.date(2025, 1, 2)).tasks}
        assert tasks["上传纠风网站"].state == "overdue"  # its phase ended: counted overdue again
        notes = s.scalars(
            select(ChangeLog.after).where(
                ChangeLog.entity == "unit_task", ChangeLog.note == SYNC_NOTE
            )
        ).all()
        assert {"completed_on": LATER.isoformat()} in notes and {"completed_on": None} in notes


def test_the_items_win_over_tasks_ticked_before(db: Database, county: dict[str, int]) -> None:
    """Data from before #18 (or the demo): a task done while its items are not is reopened, a
    task whose items are all there is done; a template not yet marked is marked by name."""
    a, b = county["a"], county["b"]
    with db.write("test") as s:
        s.execute(TaskTemplate.__table__.update().values(derived_from=None))
        task_a = s.scalars(select(UnitTask).where(UnitTask.unit_id == a)).all()
        for t in task_a:
            t.completed_on = dt.date(2024, 11, 1)
        for item in items_of(s, b):
            item.in_archive = True
    with db.write("test") as s:
        changed = settle_archive_tasks(s, DAY)
        assert changed == 3  # a's two tasks reopened, b's archive task done
        assert task(s, a, "archive").completed_on is None
        assert task(s, a, "upload").completed_on is None
        assert task(s, b, "archive").completed_on == DAY
        assert task(s, b, "upload").completed_on is None
        assert settle_archive_tasks(s, LATER) == 0  # in line: nothing more to do


def test_the_sync_is_set_based(db: Database) -> None:
    """The whole county's derived tasks in a fixed number of statements, however many units."""
    with db.write("test") as s:
        for n in range(40):
            make_unit(s, f"单位{n:02d}")
        campaign = create_campaign(s, 2024)
        s.execute(ArchiveItem.__table__.update().values(in_archive=True, uploaded=True))
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.write("test") as s:
            assert sync_archive_tasks(s, campaign.id, today=DAY) == 80
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 12, statements  # 80 tasks changed: no statement per task


def test_a_derived_task_is_not_marked_by_hand(db: Database, county: dict[str, int]) -> None:
    a = county["a"]
    with db.write("test") as s:
        t = task(s, a, "upload")
        form = TaskForm(completed_on=DAY, evidence="已上传")
        with pytest.raises(NotAllowed, match="随工作档案清单自动完成"):
            complete_task(s, t.id, form, "admin", None, LATER, t.version, None)
    with db.read() as s:
        assert task(s, a, "upload").completed_on is None


def test_the_unit_page_refuses_a_derived_task_in_words(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.unit import save_task
    from dashboard.ids import TASK_DIALOG

    with db.read() as s:
        t = task(s, county["a"], "upload")
        meta = {"task_id": t.id, "version": t.version, "seen": {"completed_on": None}}
    with signed_in(app, db, "unit_a"):
        alert, is_open, _state = save_task(1, meta, "2024-11-10", "已上传", {})
    shown = shown_of(alert)
    assert "随工作档案清单自动完成" in shown and f"/archives?unit={county['a']}" in shown
    assert alert.id == TASK_DIALOG.errors
    with db.read() as s:
        assert task(s, county["a"], "upload").completed_on is None
        denied = s.scalars(select(ChangeLog.note).where(ChangeLog.action == "denied")).all()
        assert any("随工作档案清单自动完成" in (n or "") for n in denied)


def test_only_the_own_unit_or_the_admin_edits(db: Database, county: dict[str, int]) -> None:
    a, b = county["a"], county["b"]
    with db.write("test") as s:
        item = items_of(s, a)[0]
        with pytest.raises(NotAllowed, match="只能登记本单位"):
            tick(s, item, True, False, role="unit", unit=b)
        with pytest.raises(NotAllowed, match="只能查看"):
            tick(s, item, True, False, role="leader")
        with pytest.raises(NotAllowed, match="只能查看"):
            tick(s, item, True, False, role="supervisor")
        tick(s, item, True, False, role="unit", unit=a)  # their own: saved
    with db.read() as s:
        assert items_of(s, a)[0].in_archive is True


def test_uploaded_needs_in_archive_and_a_stale_save_is_refused(
    db: Database, county: dict[str, int]
) -> None:
    a = county["a"]
    with db.write("test") as s:
        item = items_of(s, a)[0]
        with pytest.raises(FormError) as refused:
            tick(s, item, False, True)
        assert "in_archive" in refused.value.errors
        version = item.version
        tick(s, item, True, False, note="在档案室")
        values = {"in_archive": False, "uploaded": False, "note": None}
        with pytest.raises(ConflictError) as stale:
            update_item(s, item.id, values, "admin", None, DAY, version, {"in_archive": False})
        assert stale.value.changes == {"in_archive": (False, True)}
        with pytest.raises(FormError):
            update_item(s, item.id, {**values, "note": "x" * 501}, "admin", None, DAY, item.version)
        with pytest.raises(FormError):  # a forged request's text for a box
            update_item(s, item.id, {**values, "in_archive": "yes"}, "admin", None, DAY, 2)


def test_a_forged_save_of_another_units_item_is_refused(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.archives import save_item

    with db.read() as s:
        item = items_of(s, county["a"])[0]
        meta = {"item_id": item.id, "version": item.version, "seen": {}}
    with signed_in(app, db, "unit_b"):
        alert, new_meta = save_item(1, True, True, "伪造", meta)
    assert "只能登记本单位的工作档案" in shown_of(alert)
    with signed_in(app, db, "leader"):
        alert, _ = save_item(1, True, True, "伪造", meta)
    assert "局领导" in shown_of(alert)
    with db.read() as s:
        item = items_of(s, county["a"])[0]
        assert (item.in_archive, item.uploaded, item.note) == (False, False, None)
    with signed_in(app, db, "unit_a"):
        alert, new_meta = save_item(1, True, True, "已上传", meta)
    shown = shown_of(alert)
    assert "已归档 1/6 项" in shown and new_meta["version"] == meta["version"] + 1
    with signed_in(app, db, "unit_a"):  # the page's old version again: refused, with words
        alert, _ = save_item(1, False, False, None, meta)
    assert "已被他人修改" in shown_of(alert)


def test_the_page_shows_each_role_what_it_may_see(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.archives import render_archives

    with signed_in(app, db, "admin"):
        admin = render_archives("?campaign=2024")
    shown = shown_of(admin)
    assert "城关司法所" in shown and "东湖司法所" in shown and "archives-grid" in shown
    with signed_in(app, db, "unit_a"):
        own = render_archives(f"?campaign=2024&unit={county['b']}")
    shown = shown_of(own)
    assert "只能查看本单位" in shown and "城关司法所" in shown and "东湖司法所" not in shown
    with signed_in(app, db, "leader"):
        read = render_archives(f"?campaign=2024&unit={county['b']}")
    shown = shown_of(read)
    assert "东湖司法所" in shown and "archives-item-save" not in shown  # read only
    with db.read() as s:
        rows = archive_overview(s, 2024)
    assert [(r.name, r.total, r.uploaded) for r in rows] == [
        ("城关司法所", 6, 0),
        ("东湖司法所", 6, 0),
    ]


def manifest_of(data: bytes) -> tuple[list[dict[str, str]], list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        raw = z.read("manifest.csv")
        names = z.namelist()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Chinese Excel opens it
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))), names


def test_the_zip_manifest_matches_the_checklist(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    a = county["a"]
    with db.read() as s:
        u = s.scalars(select(User).where(User.username == "unit_a")).one()
        staff = Account(u.id, u.username, u.display_name, u.role, u.unit_id)
    with db.write("unit_a", staff.id) as s:
        named = {item.name: item for item in items_of(s, a)}
        first = named["实施方案"]  # the checklist's first line
        tick(s, first, True, True, note="=1+1 存档室")
        tick(s, named["整改台账"], True, False)
        for name in ("方案.pdf", "方案.pdf"):  # the same name twice: both kept, told apart
            save_attachment(s, staff, "archive_item", first.id, name, PDF)
    client = app.server.test_client()
    login(client, "unit_a").close()
    with client.get(f"/download/archive/{a}.zip?campaign=2024") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        rows, names = manifest_of(response.data)
    with db.read() as s:
        archive = unit_archive(s, 2024, a)
    assert archive is not None
    expected = [
        (
            item.name,
            {"document": "文件", "material": "资料", "photo": "照片"}[item.category],
            "是" if item.in_archive else "否",
            "是" if item.uploaded else "否",
        )
        for item in archive.items
    ]
    listed = {r["序号"]: (r["档案材料"], r["类别"], r["已归档"], r["已上传纠风网站"]) for r in rows}
    assert list(listed.values()) == expected  # every item once, in the checklist's order
    assert rows[0]["备注"] == "'=1+1 存档室"  # never run as a formula
    assert all(f"{r['文件夹']}/" in names or r["文件名"] for r in rows)
    files = [(r["文件夹"], r["文件名"], r["大小（字节）"], r["SHA-256"]) for r in rows[:2]]
    digest = hashlib.sha256(PDF).hexdigest()
    folder = rows[0]["文件夹"]
    assert files == [
        (folder, "方案.pdf", str(len(PDF)), digest),
        (folder, "方案 (2).pdf", str(len(PDF)), digest),
    ]
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        assert z.read(f"{folder}/方案 (2).pdf") == PDF
    with db.read() as s:  # each file put in the zip is a recorded download
        downloads = s.scalars(
            select(ChangeLog.entity_id).where(
                ChangeLog.action == "download", ChangeLog.actor == "unit_a"
            )
        ).all()
    assert len(downloads) == 2
    assert first.name == rows[0]["档案材料"]
    client_b = app.server.test_client()
    login(client_b, "unit_b").close()
    with client_b.get(f"/download/archive/{a}.zip?campaign=2024") as response:
        assert response.status_code == 403
        assert "只能下载本单位" in response.get_data(as_text=True)
    leader = app.server.test_client()
    login(leader, "leader").close()
    with leader.get(f"/download/archive/{a}.zip?campaign=2031") as response:
        assert response.status_code == 404 and "2031" in response.get_data(as_text=True)


def test_the_zip_holds_every_items_files_once_named() -> None:
    from data.archives import ItemRow, UnitArchive

    items = [
        ItemRow(1, "实施方案", "document", True, True, None, 1),
        ItemRow(2, "照片/现场", "photo", True, False, "两张", 1),
    ]
    archive = UnitArchive(5, "城关司法所", 1, 2024, items)
    data = archive_zip(archive, {2: [("a.jpg", b"x"), ("a.jpg", b"yy")]})
    rows, names = manifest_of(data)
    assert "02_照片_现场/a.jpg" in names and "02_照片_现场/a (2).jpg" in names
    assert [(r["序号"], r["文件名"], r["大小（字节）"]) for r in rows] == [
        ("1", "", ""),
        ("2", "a.jpg", "1"),
        ("2", "a (2).jpg", "2"),
    ]
    assert rows[1]["SHA-256"] == "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"


def test_the_unit_page_links_to_the_checklist(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.unit import render_unit

    with signed_in(app, db, "unit_a"):
        page = render_unit({"unit": str(county["a"]), "search": "?campaign=2024"})
    shown = shown_of(page)
    assert f"/archives?campaign=2024&unit={county['a']}" in shown


def test_retired_units_and_no_campaign(db: Database) -> None:
    with db.write("test") as s:
        make_unit(s, "已撤销所", retired_on=dt.date(2023, 1, 1))
        make_unit(s, "在册所")
        create_campaign(s, 2024)
        assert [r.name for r in archive_overview(s, 2024)] == ["在册所"]
        assert unit_archive(s, 2024, 99999) is None
        assert s.scalar(select(Unit.id).where(Unit.name == "在册所")) is not None


def test_db_upgrade_lets_the_items_win(
    cli_db: Database, county: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    """A database from before #18: a 上传纠风网站 ticked by hand while nothing is uploaded."""
    from dashboard.cli import main

    with cli_db.write("test") as s:
        task(s, county["a"], "upload").completed_on = dt.date(2024, 11, 1)
    assert main(["db", "upgrade"]) == 0
    assert "已按工作档案清单更新 1 项" in capsys.readouterr().out
    with cli_db.read() as s:
        assert task(s, county["a"], "upload").completed_on is None
    assert main(["db", "upgrade"]) == 0  # in line now: nothing more said
    assert "工作档案" not in capsys.readouterr().out


def test_the_demo_county_agrees_with_its_archives(db: Database) -> None:
    """The issue's symptom: units whose 上传纠风网站 was done while their archive said 4/6."""
    from data.demo import load_demo

    load_demo(db, seed=2024, today=dt.date(2024, 12, 20))
    with db.read() as s:
        done = {
            (unit_id, campaign_id): derived
            for unit_id, campaign_id, derived in s.execute(
                select(UnitTask.unit_id, TaskTemplate.campaign_id, TaskTemplate.derived_from)
                .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
                .where(TaskTemplate.name == "上传纠风网站", UnitTask.completed_on.is_not(None))
            )
        }
        assert done and set(done.values()) == {"upload"}
        missing = s.execute(
            select(ArchiveItem.unit_id, ArchiveItem.campaign_id).where(
                ArchiveItem.uploaded.is_(False)
            )
        ).all()
        assert not {tuple(row) for row in missing} & set(done)
    with db.write("test") as s:
        assert settle_archive_tasks(s) == 0  # nothing left to bring in line
