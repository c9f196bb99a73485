"""工作档案 (#18 item 5, work plan §四(四)2): each unit's archive checklist, who may change it,
and the two phase tasks that follow it.

One source of truth: the archive items. A task whose template is `derived_from` "archive"
(整理工作档案) is done exactly when every archive item of its unit and campaign is in the
archive, one derived from "upload" (上传纠风网站) when every item is uploaded to the 纠风
website. `sync_archive_tasks` makes the tasks say so, set-based, after every archive change;
a hand-made change of such a task is refused (data/rectification_updates.complete_task).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, case, func, not_, or_, select, true, update
from sqlalchemy.orm import Session

from data.edits import check_version, snapshot
from data.figures import Filters
from data.forms import FormError
from data.history import record
from data.labels import value_name
from data.models import ArchiveItem, ArchiveTemplate, Campaign, TaskTemplate, Unit, UnitTask
from data.rectification_updates import NotAllowed
from data.reference import Role
from data.scope import count_where, load_campaign, unit_conditions
from data.workbook import neutralise

# The default checklist's two archive tasks and what each follows (migration 0010 sets the same).
DERIVED_TASKS: dict[str, str] = {"整理工作档案": "archive", "上传纠风网站": "upload"}
DERIVED_WORDS: dict[str, str] = {"archive": "已归档", "upload": "已上传纠风网站"}
ITEM_FIELDS = ["in_archive", "uploaded", "note"]
MAX_NOTE = 500
EDITORS = (Role.UNIT, Role.ADMIN)
SYNC_NOTE = "按工作档案清单自动更新"
NOT_YOURS = "只能登记本单位的工作档案"
NOT_EDITOR = "工作档案由本单位填报员或管理员登记，局领导、督导员只能查看"
UPLOADED_NOT_IN = "已上传纠风网站的材料应当已经归档：请同时勾选“已归档”，或取消“已上传”"


def derived_refusal(derived_from: str) -> str:
    """Why a derived task cannot be marked by hand (the unit page shows it, with a link)."""
    return (
        f"该任务随工作档案清单自动完成：清单中每一项都{DERIVED_WORDS[derived_from]}时即为完成，"
        "不能手工填报。请到“工作档案”页登记各项材料（/archives）。"
    )


# ---- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    """One unit's archive progress in a campaign."""

    unit_id: int
    name: str
    kind: str
    township: str | None
    total: int
    in_archive: int
    uploaded: int


@dataclass(frozen=True)
class ItemRow:
    """One line of a unit's checklist as the page shows it."""

    id: int
    name: str
    category: str
    in_archive: bool
    uploaded: bool
    note: str | None
    version: int

    def seen(self) -> dict[str, Any]:
        """The values an edit starts from (sent back with the version)."""
        return {"in_archive": self.in_archive, "uploaded": self.uploaded, "note": self.note}


@dataclass(frozen=True)
class DerivedTask:
    """A phase task that follows the checklist, and where it stands."""

    name: str
    derived_from: str
    completed_on: dt.date | None


@dataclass(frozen=True)
class UnitArchive:
    """A unit's checklist in a campaign and the tasks that follow it."""

    unit_id: int
    unit_name: str
    campaign_id: int
    year: int
    items: list[ItemRow]
    tasks: list[DerivedTask] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def in_archive(self) -> int:
        return sum(item.in_archive for item in self.items)

    @property
    def uploaded(self) -> int:
        return sum(item.uploaded for item in self.items)


def campaign_id_of(session: Session, year: int) -> int | None:
    """The id of the campaign of `year` (None when there is none)."""
    return session.scalar(select(Campaign.id).where(Campaign.year == year))


def archive_overview(
    session: Session, year: int, filters: Filters = Filters()
) -> list[OverviewRow]:
    """Every unit of the campaign (filtered) with its checklist's size, archived and uploaded
    counts — one GROUP BY."""
    campaign = load_campaign(session, year)
    a = ArchiveItem
    rows = session.execute(
        select(
            Unit.id,
            Unit.name,
            Unit.kind,
            Unit.township,
            func.count(a.id),
            count_where(a.in_archive == true()),
            count_where(a.uploaded == true()),
        )
        .outerjoin(a, and_(a.unit_id == Unit.id, a.campaign_id == campaign.id))
        .where(*unit_conditions(campaign, filters))
        .group_by(Unit.id, Unit.name, Unit.kind, Unit.township)
        .order_by(Unit.id)
    )
    return [OverviewRow(*row) for row in rows]


def unit_archive(session: Session, year: int, unit_id: int) -> UnitArchive | None:
    """A unit's checklist in the campaign of `year` and its derived tasks; None for no unit."""
    campaign = load_campaign(session, year)
    unit_name = session.scalar(select(Unit.name).where(Unit.id == unit_id))
    if unit_name is None:
        return None
    a = ArchiveItem
    items = [
        ItemRow(i, n, c, bool(ia), bool(up), note, v)
        for i, n, c, ia, up, note, v in session.execute(
            select(a.id, a.name, a.category, a.in_archive, a.uploaded, a.note, a.version)
            .outerjoin(
                ArchiveTemplate,
                and_(ArchiveTemplate.campaign_id == a.campaign_id, ArchiveTemplate.name == a.name),
            )
            .where(a.campaign_id == campaign.id, a.unit_id == unit_id)
            # The checklist's order; a unit's own extra items after it.
            .order_by(ArchiveTemplate.sort_order.is_(None), ArchiveTemplate.sort_order, a.id)
        )
    ]
    t = TaskTemplate
    tasks = [
        DerivedTask(name, derived, done)
        for name, derived, done in session.execute(
            select(t.name, t.derived_from, UnitTask.completed_on)
            .join(UnitTask, UnitTask.template_id == t.id)
            .where(
                t.campaign_id == campaign.id,
                t.derived_from.is_not(None),
                t.retired_at.is_(None),
                UnitTask.unit_id == unit_id,
            )
            .order_by(t.sort_order, t.id)
        )
    ]
    return UnitArchive(unit_id, unit_name, campaign.id, year, items, tasks)


# ---- writing -------------------------------------------------------------------------------


def may_edit_unit(role: str, user_unit: int | None, unit_id: int) -> bool:
    """Admins edit every unit's archive, unit staff their own unit's; others only read."""
    return role == Role.ADMIN or (role == Role.UNIT and user_unit == unit_id)


def check_may_edit(role: str, user_unit: int | None, unit_id: int) -> None:
    """NotAllowed (in words) unless the role may change this unit's archive."""
    if role not in EDITORS:
        raise NotAllowed(NOT_EDITOR)
    if not may_edit_unit(role, user_unit, unit_id):
        raise NotAllowed(NOT_YOURS)


def _flag(value: Any, name: str) -> bool:
    """A checkbox's value; anything but a boolean (a forged request) names its field."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise FormError({name: "应为“是”或“否”"})
    return value


def update_item(
    session: Session,
    item_id: int,
    values: dict[str, Any],
    role: str,
    user_unit: int | None,
    today: dt.date,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
) -> ArchiveItem:
    """Record an item's 已归档 / 已上传 / note (own unit or admin, at the version the user
    opened), then bring the unit's archive tasks in line."""
    item = session.get(ArchiveItem, item_id)
    if item is None:
        raise FormError({"archive_item": "档案材料不存在"})
    check_may_edit(role, user_unit, item.unit_id)
    in_archive = _flag(values.get("in_archive"), "in_archive")
    uploaded = _flag(values.get("uploaded"), "uploaded")
    note = values.get("note")
    if note is not None and not isinstance(note, str):
        raise FormError({"note": "应为文字"})
    note = (note.strip() or None) if note else None
    if note is not None and len(note) > MAX_NOTE:
        raise FormError({"note": f"不能超过 {MAX_NOTE} 个字"})
    # Uploaded implies archived: the contradiction is refused, not guessed (the page ticks
    # 已归档 along with 已上传, so only a stale or forged request gets here).
    if uploaded and not in_archive:
        raise FormError({"in_archive": UPLOADED_NOT_IN})
    check_version(item, expected_version, seen)
    item.in_archive, item.uploaded, item.note = in_archive, uploaded, note
    session.flush()
    sync_archive_tasks(session, item.campaign_id, item.unit_id, today)
    return item


def item_snapshot(item: ArchiveItem) -> dict[str, Any]:
    """The fields an item's edit starts from."""
    return snapshot(item, ITEM_FIELDS)


# ---- the derived tasks ---------------------------------------------------------------------


def sync_archive_tasks(
    session: Session, campaign_id: int, unit_id: int | None = None, today: dt.date | None = None
) -> int:
    """Make the derived tasks of a campaign (of one unit, or of every unit) agree with the
    archive items: done (dated `today`, a done one keeps its date) when the unit has items and
    every one is there, open otherwise. One SELECT finds the tasks that disagree, one UPDATE
    (executemany) changes them, each change recorded; returns how many changed."""
    today = today or dt.date.today()
    t, u, a = TaskTemplate, UnitTask, ArchiveItem
    there = count_where(
        or_(
            and_(t.derived_from == "archive", a.in_archive == true()),
            and_(t.derived_from == "upload", a.uploaded == true()),
        )
    )
    total = func.count(a.id)
    done = and_(total > 0, there == total)
    query = (
        select(u.id, u.completed_on, case((done, 1), else_=0))
        .join(t, t.id == u.template_id)
        .outerjoin(a, and_(a.campaign_id == t.campaign_id, a.unit_id == u.unit_id))
        .where(t.campaign_id == campaign_id, t.derived_from.is_not(None))
        .group_by(u.id, u.completed_on)
        .having(
            or_(
                and_(done, u.completed_on.is_(None)),
                and_(not_(done), u.completed_on.is_not(None)),
            )
        )
    )
    if unit_id is not None:
        query = query.where(u.unit_id == unit_id)
    changes = [
        (task_id, before, today if wanted else None)
        for task_id, before, wanted in session.execute(query)
    ]
    if not changes:
        return 0
    table = UnitTask.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(completed_on=bindparam("b_day"), version=table.c.version + 1),
        [{"b_id": task_id, "b_day": after} for task_id, _, after in changes],
    )
    record(
        session,
        "update",
        "unit_task",
        [
            (task_id, {"completed_on": before}, {"completed_on": after})
            for task_id, before, after in changes
        ],
        note=SYNC_NOTE,
    )
    changed = {task_id for task_id, _, _ in changes}
    for obj in list(session.identity_map.values()):  # loaded tasks would show the old date
        if isinstance(obj, UnitTask) and obj.id in changed:
            session.expire(obj)
    return len(changes)


def mark_derived_templates(session: Session) -> int:
    """Mark the default checklist's archive tasks (by name) as following the archive, where
    nothing says so yet (data written before #18, or by the demo); returns how many."""
    t = TaskTemplate
    rows = session.execute(
        select(t.id, t.name).where(t.name.in_(DERIVED_TASKS), t.derived_from.is_(None))
    ).all()
    if not rows:
        return 0
    table = TaskTemplate.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(derived_from=bindparam("b_from")),
        [{"b_id": i, "b_from": DERIVED_TASKS[name]} for i, name in rows],
    )
    record(
        session,
        "update",
        "task_template",
        [(i, {"derived_from": None}, {"derived_from": DERIVED_TASKS[name]}) for i, name in rows],
        note=SYNC_NOTE,
    )
    return len(rows)


def settle_archive_tasks(session: Session, today: dt.date | None = None) -> int:
    """Bring every campaign's archive tasks in line with the items (the items win): run once at
    the end of the demo load and after an upgrade; returns the tasks changed."""
    mark_derived_templates(session)
    return sum(
        sync_archive_tasks(session, cid, None, today)
        for cid in session.scalars(select(Campaign.id).order_by(Campaign.id))
    )


# ---- the archive as one zip ----------------------------------------------------------------

MANIFEST = "manifest.csv"
MANIFEST_HEADER = (
    "序号",
    "档案材料",
    "类别",
    "已归档",
    "已上传纠风网站",
    "备注",
    "文件夹",
    "文件名",
    "大小（字节）",
    "SHA-256",
)
YES, NO = "是", "否"
UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|\0'})


def folder_name(number: int, name: str) -> str:
    """The zip folder of the `number`-th item: its number and name, safe on every system."""
    return f"{number:02d}_{name.translate(UNSAFE).strip() or '_'}"


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)` … when a file of that name is already in the folder."""
    name = name.translate(UNSAFE).strip() or "_"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{ext}"
    taken.add(candidate)
    return candidate


def archive_zip(archive: UnitArchive, files: dict[int, list[tuple[str, bytes]]]) -> bytes:
    """A unit's archive: a folder per checklist item with its files (`files`: item id → name
    and bytes), and manifest.csv (UTF-8 with BOM, for Excel) listing every item, its category,
    status and note, and each file's name, size and SHA-256."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(MANIFEST_HEADER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive_file:
        for number, item in enumerate(archive.items, start=1):
            folder = folder_name(number, item.name)
            head = [
                number,
                neutralise(item.name),
                value_name("archive_item", "category", item.category),
                YES if item.in_archive else NO,
                YES if item.uploaded else NO,
                neutralise(item.note or ""),
                folder,
            ]
            taken: set[str] = set()
            rows = []
            for filename, data in files.get(item.id, []):
                name = _unique(filename, taken)
                archive_file.writestr(f"{folder}/{name}", data)
                rows.append([neutralise(name), len(data), hashlib.sha256(data).hexdigest()])
            if not rows:
                archive_file.writestr(f"{folder}/", b"")
                rows.append(["", "", ""])
            for row in rows:
                writer.writerow([*head, *row])
        archive_file.writestr(MANIFEST, text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()
