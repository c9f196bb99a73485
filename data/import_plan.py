"""How an import checks and writes, whatever the kind of file: its rows validated with every
error collected (row, column, Chinese reason), then a plan of new and changed records written in
bulk, or a dry run that says what would change. data.imports has one importer per kind of file.

New rows go in with one bulk insert and are recorded in the history in bulk; changed rows are
updated through the ORM so the history listener records them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data.history import record
from data.import_files import ImportFailed, Issue, Sheet, map_columns, read_sheet
from data.import_schema import Column, Row, validate_row
from data.labels import IMPORT_KIND_NAMES
from data.models import Campaign

UPDATE_CHUNK = 500
SHOWN_CHANGES = 200


class ImportKind(StrEnum):
    """The kinds of import (values used by the CLI and the import page)."""

    UNITS = "units"
    PROBLEMS = "problems"
    SURVEYS = "surveys"
    REPRESENTATIVES = "representatives"


@dataclass(frozen=True)
class RowChange:
    """A stored record the import changes: which row, which record, field → (before, after),
    and the kind of record (ChangeLog.entity, which data/labels.py names the fields by)."""

    row: int
    label: str
    fields: dict[str, tuple[Any, Any]]
    entity: str = ""


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    filename: str
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    changes: list[RowChange] = field(default_factory=list)
    sheet: Sheet | None = None

    def summary(self) -> str:
        """One Chinese line: how many rows were new, changed or unchanged."""
        verb = "检查通过（试运行，未写入）" if self.dry_run else "导入完成"
        created = "将新增" if self.dry_run else "新增"
        updated = "将更新" if self.dry_run else "更新"
        return (
            f"{verb}：{self.filename}（{IMPORT_KIND_NAMES[self.kind]}）共 {self.rows} 行，"
            f"{created} {self.created} 条，{updated} {self.updated} 条，"
            f"未变化 {self.unchanged} 条"
        )


# ---- columns and rows ----------------------------------------------------------------------


@dataclass
class Checked:
    """A data row after validation: its number, its model (None when a cell is invalid) and
    the values of its valid cells."""

    number: int
    row: Any
    values: dict[str, Any]


class RowErrors:
    """Collects issues with the row and the file's own column name and letter."""

    def __init__(self, sheet: Sheet, index: dict[str, int], columns: Sequence[Column]) -> None:
        self.sheet = sheet
        self.index = index
        self.headers = {column.field: column.header for column in columns}
        self.issues: list[Issue] = []
        self.bad_rows: set[int] = set()

    def add(self, number: int, field_name: str, message: str) -> None:
        """An error in one cell (or the row when the field has no column)."""
        position = self.index.get(field_name)
        if position is None:
            column, letter = self.headers.get(field_name), None
        else:
            column, letter = self.sheet.headers[position], self.sheet.letter(position)
        self.issues.append(Issue(message, row=number, column=column, letter=letter))
        self.bad_rows.add(number)


def validate_rows(
    sheet: Sheet, index: dict[str, int], model: type[Row], errors: RowErrors
) -> list[Checked]:
    """Each data row validated against the model; errors go to `errors`."""
    checked: list[Checked] = []
    positions = list(index.items())
    for number, cells in sheet.rows:
        raw = {name: cells[i] if i < len(cells) else None for name, i in positions}
        row, values, problems = validate_row(model, raw)
        for name, message in problems.items():
            errors.add(number, name, message)
        checked.append(Checked(number, row, values))
    return checked


def read_rows(
    data: bytes, filename: str, columns: Sequence[Column], model: type[Row]
) -> tuple[Sheet, dict[str, int], RowErrors, list[Checked]]:
    """Read a file, map its columns and validate its rows (file-level errors raise at once)."""
    sheet = read_sheet(data, filename, columns)
    index, issues = map_columns(sheet, columns)
    if issues:
        raise ImportFailed(filename, issues, sheet)
    if not sheet.rows:
        raise ImportFailed(filename, [Issue("文件中没有数据行（只有表头）")], sheet)
    errors = RowErrors(sheet, index, columns)
    return sheet, index, errors, validate_rows(sheet, index, model, errors)


def flag_duplicates(
    rows: Iterable[Checked],
    key: Callable[[dict[str, Any]], Any],
    errors: RowErrors,
    field_name: str,
    message: str,
) -> None:
    """Flag each row whose key an earlier row already had ({first} is that row's number)."""
    first: dict[Any, int] = {}
    for checked in rows:
        value = key(checked.values)
        if value is None:
            continue
        if value in first:
            errors.add(checked.number, field_name, message.format(first=first[value]))
        else:
            first[value] = checked.number


# ---- writing -------------------------------------------------------------------------------


@dataclass
class Plan:
    """What an import would write to `entity` records (ChangeLog.entity): new rows, and changed
    fields of existing records by id."""

    entity: str = ""
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    def change(
        self, record_id: int, number: int, label: str, diff: dict[str, tuple[Any, Any]]
    ) -> None:
        """Note a changed record (or an unchanged one when `diff` is empty)."""
        if not diff:
            self.unchanged += 1
            return
        self.updates[record_id] = {name: new for name, (_old, new) in diff.items()}
        if len(self.changes) < SHOWN_CHANGES:
            self.changes.append(RowChange(number, label, diff, self.entity))


def changed_fields(existing: dict[str, Any], wanted: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field → (stored, imported) for the fields that differ."""
    return {
        name: (existing[name], value)
        for name, value in wanted.items()
        if existing.get(name) != value
    }


def apply_plan(
    session: Session, model: Any, plan: Plan, identity: tuple[str, ...], note: str
) -> None:
    """Write a plan: one bulk insert recorded in bulk, ORM updates recorded by the listener.

    The new ids come back with the `identity` columns (unique among the new rows) rather than
    in parameter order: asking for that order makes SQLite insert one row per statement.
    """
    if plan.creates:
        table = model.__table__
        version = {"version": 1} if "version" in table.columns else {}
        params = [{**row, **version} for row in plan.creates]
        keys = (table.c.id, *(table.c[c] for c in identity))
        # Core, not ORM, insert: the ORM splits rows by which values are None into many
        # statements; Core sends them all at once.
        if session.get_bind().dialect.name == "sqlite":
            # The driver's executemany, then the new rows read back: SQLite has one writer at a
            # time and numbers new rows past the largest id, so they are exactly those above it.
            # (Three times faster than INSERT … RETURNING in batches.)
            before = session.scalar(select(func.max(table.c.id))) or 0
            session.execute(insert(table), params)
            found = session.execute(select(*keys).where(table.c.id > before))
        else:
            found = session.execute(insert(table).returning(*keys), params)
        ids = {tuple(row[1:]): row[0] for row in found}
        record(
            session,
            "create",
            table.name,
            [
                (ids[key], None, {"id": ids[key], **row})
                for row in plan.creates
                for key in [tuple(row[c] for c in identity)]
            ],
            note=note,
        )
    pending = list(plan.updates)
    for start in range(0, len(pending), UPDATE_CHUNK):
        chunk = pending[start : start + UPDATE_CHUNK]
        for obj in session.scalars(select(model).where(model.id.in_(chunk))):
            for name, value in plan.updates[obj.id].items():
                setattr(obj, name, value)
        session.flush()


def finish_import(
    session: Session,
    kind: str,
    sheet: Sheet,
    errors: RowErrors,
    plan: Plan,
    model: Any,
    identity: tuple[str, ...],
    dry_run: bool,
) -> ImportResult:
    """Raise with every issue, or write the plan (unless a dry run) and say what changed."""
    if errors.issues:
        issues = sorted(
            errors.issues,
            key=lambda issue: (issue.row or 0, len(issue.letter or ""), issue.letter or ""),
        )
        raise ImportFailed(sheet.filename, issues, sheet)
    if not dry_run:
        apply_plan(
            session, model, plan, identity, note=f"导入{IMPORT_KIND_NAMES[kind]}：{sheet.filename}"
        )
    return ImportResult(
        kind=kind,
        filename=sheet.filename,
        rows=len(sheet.rows),
        created=len(plan.creates),
        updated=len(plan.updates),
        unchanged=plan.unchanged,
        dry_run=dry_run,
        changes=plan.changes,
        sheet=sheet,
    )


def campaign_id_for(session: Session, year: int | None, filename: str) -> int:
    """The id of the campaign of `year`; ImportFailed when there is none."""
    campaign_id = (
        None if year is None else session.scalar(select(Campaign.id).where(Campaign.year == year))
    )
    if campaign_id is None:
        label = "未指定评议年度" if year is None else f"没有 {year} 年的评议活动"
        raise ImportFailed(filename, [Issue(f"{label}，请先建立评议活动再导入")])
    return campaign_id
