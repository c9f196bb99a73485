"""Imports that never lose a row: the roster, problem ledgers, survey results, representatives.

Every import reads the whole file, validates every row (all errors at once, each with its row,
column and a Chinese reason) and writes only when the whole file is valid. Rows are matched to
what is already stored, so importing the same file twice changes nothing and an updated file
changes only the rows that differ. This module matches each kind of file to what is stored;
data.import_plan validates the rows and writes the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.campaigns import generate_unit_items
from data.history import plain
from data.import_files import ImportFailed, Issue
from data.import_plan import (
    ImportKind,
    ImportResult,
    Plan,
    RowChange,
    RowErrors,
    campaign_id_for,
    changed_fields,
    finish_import,
    flag_duplicates,
    read_rows,
)
from data.import_schema import (
    LEDGER_COLUMNS,
    REPRESENTATIVE_COLUMNS,
    SURVEY_COLUMNS,
    UNIT_COLUMNS,
    Column,
    LedgerRow,
    RepresentativeRow,
    SurveyRow,
    UnitRow,
    ledger_cross_checks,
)
from data.labels import EMPTY, Lookups, field_name, value_name
from data.masking import mask_name, mask_phone
from data.models import Problem, Representative, SatisfactionSurvey, Unit, UnitAlias
from data.reference import (
    CRITERIA,
    GROUP_NAMES,
    KIND_GROUP,
    KIND_NAMES,
    criterion_applies,
)
from data.units import lost_criteria, regroup_message

NEEDS_CAMPAIGN = (ImportKind.PROBLEMS, ImportKind.SURVEYS)
COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.UNITS: UNIT_COLUMNS,
    ImportKind.PROBLEMS: LEDGER_COLUMNS,
    ImportKind.SURVEYS: SURVEY_COLUMNS,
    ImportKind.REPRESENTATIVES: REPRESENTATIVE_COLUMNS,
}


# ---- the roster ----------------------------------------------------------------------------


def import_units(
    session: Session, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportResult:
    """Load or update the roster of evaluated units (identified by 单位名称 or a former name)."""
    sheet, index, errors, rows = read_rows(data, filename, UNIT_COLUMNS, UnitRow)
    flag_duplicates(rows, lambda v: v.get("name"), errors, "name", "单位名称与第 {first} 行重复")
    existing = {
        row.name: row
        for row in session.execute(select(Unit.id, Unit.name, Unit.kind, Unit.township))
    }
    by_id = {row.id: row for row in existing.values()}
    for alias, unit_id in session.execute(select(UnitAlias.alias, UnitAlias.unit_id)):
        existing.setdefault(alias, by_id[unit_id])
    fields = [name for name in ("kind", "township") if name in index]
    plan = Plan("unit")
    regrouped: dict[int, tuple[int, str]] = {}
    matched: dict[int, int] = {}
    for checked in rows:
        row: UnitRow | None = checked.row
        if row is None or checked.number in errors.bad_rows:
            continue
        stored = existing.get(row.name)
        if stored is None:
            plan.creates.append({"name": row.name, "kind": row.kind, "township": row.township})
            continue
        if stored.id in matched:
            errors.add(
                checked.number,
                "name",
                f"与第 {matched[stored.id]} 行是同一单位“{stored.name}”（含曾用名）",
            )
            continue
        matched[stored.id] = checked.number
        wanted = {name: getattr(row, name) for name in fields}
        diff = changed_fields({"kind": stored.kind, "township": stored.township}, wanted)
        if "kind" in diff and KIND_GROUP[stored.kind] != KIND_GROUP[row.kind]:
            regrouped[stored.id] = (checked.number, row.kind)
        plan.change(stored.id, checked.number, stored.name, diff)
    lost = lost_criteria(session, {unit_id: kind for unit_id, (_n, kind) in regrouped.items()})
    for unit_id, names in lost.items():
        number, kind = regrouped[unit_id]
        errors.add(number, "kind", regroup_message(kind, names))
    result = finish_import(session, ImportKind.UNITS, sheet, errors, plan, Unit, ("name",), dry_run)
    if not dry_run and (plan.creates or any("kind" in u for u in plan.updates.values())):
        # New units (and units of a new kind) get their tasks in the campaigns already set up.
        generate_unit_items(session)
    return result


# ---- the problem ledger --------------------------------------------------------------------

# Ledger field → Problem column.
PROBLEM_FIELDS: dict[str, str] = {
    "unit": "unit_id",
    "channel": "channel",
    "criterion": "criterion_code",
    "found_on": "found_on",
    "description": "description",
    "severity": "severity",
    "measures": "measures",
    "owner": "owner",
    "deadline": "deadline",
    "status": "status",
    "completed_on": "completed_on",
    "published": "published",
    "reported": "reported",
    "complainant_name": "complainant_name",
    "complainant_phone": "complainant_phone",
    "feedback": "feedback",
}
# The columns that tell new problems apart (编号 when given, else unit + date + description).
PROBLEM_IDENTITY = ("ledger_key", "unit_id", "found_on", "description")
LOADED = (
    Problem.id,
    Problem.ledger_key,
    Problem.voided_at,
    Problem.report_batch_id,
    *(getattr(Problem, column) for column in PROBLEM_FIELDS.values()),
)


def _problem_values(row: LedgerRow, unit_id: int, present: Iterable[str]) -> dict[str, Any]:
    """The Problem columns a ledger row sets: those whose column is in the file."""
    values: dict[str, Any] = {}
    for name in present:
        column = PROBLEM_FIELDS.get(name)
        if column is None:
            continue
        value = unit_id if name == "unit" else getattr(row, name)
        if name == "severity" and value is None:
            value = "normal"
        if name in ("published", "reported") and value is None:
            value = False
        values[column] = value
    return values


def _check_unit(
    values: dict[str, Any], units: dict[str, tuple[int, str]], number: int, errors: RowErrors
) -> tuple[int, str] | None:
    """The row's unit (id, kind) if it is in the roster and the criterion applies to it."""
    name = values.get("unit")
    if name is None:
        return None
    unit = units.get(name)
    if unit is None:
        errors.add(number, "unit", f"单位不在评议对象名册中：{name}")
        return None
    criterion = values.get("criterion")
    if criterion is not None and not criterion_applies(criterion, unit[1]):
        kind = unit[1]
        errors.add(
            number,
            "criterion",
            f"评议内容“{CRITERIA[criterion][0]}”不适用于{KIND_NAMES[kind]}"
            f"（{GROUP_NAMES[KIND_GROUP[kind]]}）",
        )
    return unit


def _keep_masked(existing: dict[str, Any], wanted: dict[str, Any]) -> None:
    """A masked complainant value (from a masked export) that matches what is stored keeps it."""
    for column, mask in (("complainant_name", mask_name), ("complainant_phone", mask_phone)):
        value, stored = wanted.get(column), existing.get(column)
        if value and stored and "*" in value and value == mask(stored):
            wanted[column] = stored


def _natural_key(unit_id: int, found_on: dt.date, description: str) -> tuple[int, dt.date, str]:
    """What identifies a problem without 编号: unit, 发现日期 and 问题描述."""
    return unit_id, found_on, description


@dataclass
class _Stored:
    """The campaign's problems indexed by 编号 and by unit + 发现日期 + 问题描述."""

    by_key: dict[str, dict[str, Any]]
    by_natural: dict[tuple[int, dt.date, str], list[dict[str, Any]]]


def _stored_problems(session: Session, campaign_id: int) -> _Stored:
    """One query for every problem of the campaign (the columns an import compares)."""
    by_key: dict[str, dict[str, Any]] = {}
    by_natural: dict[tuple[int, dt.date, str], list[dict[str, Any]]] = defaultdict(list)
    result = session.execute(select(*LOADED).where(Problem.campaign_id == campaign_id))
    names = list(result.keys())
    for row in result:
        values = dict(zip(names, row, strict=True))
        if values["ledger_key"] is not None:
            by_key[values["ledger_key"]] = values
        if values["voided_at"] is None:
            natural = _natural_key(values["unit_id"], values["found_on"], values["description"])
            by_natural[natural].append(values)
    return _Stored(by_key, by_natural)


def _match_problem(
    row: LedgerRow, natural: tuple[int, dt.date, str], stored: _Stored
) -> tuple[dict[str, Any] | None, str | None]:
    """The stored problem a ledger row stands for (or None for a new one), or an error.

    A row with 编号 is that problem; a new 编号 takes over an unnumbered problem with the same
    unit, date and description. Without 编号 the unit, date and description identify it.
    """
    if row.key is not None and row.key in stored.by_key:
        found = stored.by_key[row.key]
        if found["voided_at"] is not None:
            return None, f"编号 {row.key} 对应的问题已作废，不能再导入"
        return found, None
    candidates = stored.by_natural.get(natural, [])
    if row.key is not None:
        candidates = [c for c in candidates if c["ledger_key"] is None]
    if len(candidates) > 1:
        return None, (
            f"系统中有 {len(candidates)} 件单位、发现日期和问题描述都相同的问题，"
            "无法确定对应哪一件，请填写编号"
        )
    return (candidates[0] if candidates else None), None


def import_problems(
    session: Session, data: bytes, filename: str, year: int | None, *, dry_run: bool = False
) -> ImportResult:
    """Load or update a campaign's problem ledger (问题整改台账)."""
    sheet, index, errors, rows = read_rows(data, filename, LEDGER_COLUMNS, LedgerRow)
    campaign_id = campaign_id_for(session, year, filename)
    units = {
        name: (unit_id, kind)
        for unit_id, name, kind in session.execute(select(Unit.id, Unit.name, Unit.kind))
    }
    # Former names still import into the unit (a name in use wins over a former one).
    for alias, unit_id, kind in session.execute(
        select(UnitAlias.alias, Unit.id, Unit.kind).join(Unit, Unit.id == UnitAlias.unit_id)
    ):
        units.setdefault(alias, (unit_id, kind))
    flag_duplicates(rows, lambda v: v.get("key"), errors, "key", "编号与第 {first} 行重复")
    stored = _stored_problems(session, campaign_id)
    present = [name for name in index if name != "key"]
    plan = Plan("problem")
    first_natural: dict[tuple[int, dt.date, str], int] = {}
    taken: dict[int, int] = {}
    for checked in rows:
        number, values = checked.number, checked.values
        for name, message in ledger_cross_checks(values).items():
            errors.add(number, name, message)
        unit = _check_unit(values, units, number, errors)
        row: LedgerRow | None = checked.row
        if row is None or unit is None:
            continue
        key_field = "key" if row.key else "description"
        natural = _natural_key(unit[0], row.found_on, row.description)
        if row.key is None:
            if natural in first_natural:
                errors.add(
                    number,
                    "description",
                    f"与第 {first_natural[natural]} 行的责任单位、发现日期、问题描述完全相同"
                    "（重复行；若确是两件问题，请填写编号区分）",
                )
                continue
            first_natural[natural] = number
        match, problem = _match_problem(row, natural, stored)
        if problem:
            errors.add(number, key_field, problem)
            continue
        if match is not None and match["id"] in taken:
            errors.add(number, key_field, f"与第 {taken[match['id']]} 行对应同一件问题")
            continue
        if number in errors.bad_rows:
            continue
        if match is None:
            plan.creates.append(
                {
                    "campaign_id": campaign_id,
                    "ledger_key": row.key,
                    **_problem_values(row, unit[0], PROBLEM_FIELDS),
                }
            )
            continue
        taken[match["id"]] = number
        wanted = _problem_values(row, unit[0], present)
        if row.key is not None and match["ledger_key"] is None:
            wanted["ledger_key"] = row.key
        _keep_masked(match, wanted)
        if match["report_batch_id"] is not None and wanted.get("reported") is False:
            # A problem in a 纠风办 report batch stays reported (data/report_batches.py).
            errors.add(number, "reported", "该问题已编入上报批次报送纠风办，不能改为“否”")
            continue
        plan.change(
            match["id"], number, row.key or row.description[:30], changed_fields(match, wanted)
        )
    return finish_import(
        session, ImportKind.PROBLEMS, sheet, errors, plan, Problem, PROBLEM_IDENTITY, dry_run
    )


# ---- satisfaction surveys ------------------------------------------------------------------


def import_surveys(
    session: Session, data: bytes, filename: str, year: int | None, *, dry_run: bool = False
) -> ImportResult:
    """Load or update 满意度测评 counts (one row per unit and respondent type)."""
    sheet, index, errors, rows = read_rows(data, filename, SURVEY_COLUMNS, SurveyRow)
    campaign_id = campaign_id_for(session, year, filename)
    units = dict(session.execute(select(Unit.name, Unit.id)).all())
    flag_duplicates(
        rows,
        lambda v: (
            (v["unit"], v["respondent_type"]) if "unit" in v and "respondent_type" in v else None
        ),
        errors,
        "respondent_type",
        "单位名称和测评对象类型与第 {first} 行重复",
    )
    s = SatisfactionSurvey
    counts = ["satisfied", "basically_satisfied", "dissatisfied", "unknown"]
    stored = {
        (row.unit_id, row.respondent_type): dict(row._mapping)
        for row in session.execute(
            select(s.id, s.unit_id, s.respondent_type, *(getattr(s, c) for c in counts)).where(
                s.campaign_id == campaign_id
            )
        )
    }
    plan = Plan("satisfaction_survey")
    for checked in rows:
        name = checked.values.get("unit")
        unit_id = units.get(name) if name is not None else None
        if name is not None and unit_id is None:
            errors.add(checked.number, "unit", f"单位不在评议对象名册中：{name}")
        row: SurveyRow | None = checked.row
        if row is None or unit_id is None or checked.number in errors.bad_rows:
            continue
        wanted = {c: getattr(row, c) or 0 for c in counts if c in index}
        match = stored.get((unit_id, row.respondent_type))
        if match is None:
            plan.creates.append(
                {
                    "campaign_id": campaign_id,
                    "unit_id": unit_id,
                    "respondent_type": row.respondent_type,
                    **{c: getattr(row, c) or 0 for c in counts},
                }
            )
            continue
        label = f"{row.unit}·{row.respondent_type}"
        plan.change(match["id"], checked.number, label, changed_fields(match, wanted))
    return finish_import(
        session,
        ImportKind.SURVEYS,
        sheet,
        errors,
        plan,
        SatisfactionSurvey,
        ("unit_id", "respondent_type"),
        dry_run,
    )


# ---- citizen representatives ---------------------------------------------------------------


def import_representatives(
    session: Session, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportResult:
    """Load or update the 民评代表 roster: identified by 姓名 (same names told apart by phone)."""
    sheet, index, errors, rows = read_rows(
        data, filename, REPRESENTATIVE_COLUMNS, RepresentativeRow
    )
    flag_duplicates(
        rows,
        lambda v: (v["name"], v.get("contact")) if "name" in v else None,
        errors,
        "name",
        "姓名和联系电话与第 {first} 行重复",
    )
    names_in_file = Counter(checked.values.get("name") for checked in rows)
    stored: dict[str, list[dict[str, Any]]] = defaultdict(list)
    r = Representative
    for found in session.execute(select(r.id, r.name, r.sector, r.contact)):
        stored[found.name].append(dict(found._mapping))
    fields = [name for name in ("sector", "contact") if name in index]
    plan = Plan("representative")
    for checked in rows:
        row: RepresentativeRow | None = checked.row
        if row is None or checked.number in errors.bad_rows:
            continue
        same_name = stored.get(row.name, [])
        if names_in_file[row.name] > 1 and not row.contact:
            errors.add(checked.number, "contact", "文件中有同名代表，请填写联系电话以区分")
            continue
        match: dict[str, Any] | None
        if names_in_file[row.name] == 1 and len(same_name) == 1:
            match = same_name[0]
        else:
            match = next((s for s in same_name if s["contact"] == row.contact), None)
            if match is None and len(same_name) > 1 and not row.contact:
                errors.add(
                    checked.number,
                    "contact",
                    f"系统中有 {len(same_name)} 位同名代表，请填写联系电话以区分",
                )
                continue
        if match is None:
            plan.creates.append(
                {"name": row.name, "sector": row.sector, "contact": row.contact, "active": True}
            )
            continue
        wanted = {name: getattr(row, name) for name in fields}
        plan.change(match["id"], checked.number, row.name, changed_fields(match, wanted))
    return finish_import(
        session,
        ImportKind.REPRESENTATIVES,
        sheet,
        errors,
        plan,
        Representative,
        ("name", "contact"),
        dry_run,
    )


def run_import(
    session: Session,
    kind: str,
    data: bytes,
    filename: str,
    year: int | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Run the import of a kind (`ImportKind`); ImportFailed with every issue when invalid."""
    if kind == ImportKind.UNITS:
        return import_units(session, data, filename, dry_run=dry_run)
    if kind == ImportKind.PROBLEMS:
        return import_problems(session, data, filename, year, dry_run=dry_run)
    if kind == ImportKind.SURVEYS:
        return import_surveys(session, data, filename, year, dry_run=dry_run)
    if kind == ImportKind.REPRESENTATIVES:
        return import_representatives(session, data, filename, dry_run=dry_run)
    raise ImportFailed(filename, [Issue(f"未知的导入类型：{kind}")])


BLANK = f"（{EMPTY}）"  # a value left empty, in a change list
PROTECTED = ("complainant_name", "complainant_phone")


def describe_value(
    column: str, value: Any, entity: str = "problem", lookups: Lookups | None = None
) -> str:
    """A stored value as a person reads it (Chinese names, 是/否, dates), for change lists."""
    if value is None or value == "":
        return BLANK
    return value_name(entity, column, plain(value), lookups)


def describe_change(change: RowChange, unit_names: dict[int, str] | None = None) -> str:
    """`第 5 行（2024-0001）：整改状态 整改中 → 已整改；完成日期 （空） → 2024-07-01`."""
    entity = change.entity or "problem"
    lookups = {"unit_id": unit_names} if unit_names is not None else None
    parts = []
    for column, (old, new) in change.fields.items():
        if column in PROTECTED:
            old, new = "（受保护）", "（已修改）"
        before = describe_value(column, old, entity, lookups)
        after = describe_value(column, new, entity, lookups)
        parts.append(f"{field_name(entity, column)} {before} → {after}")
    return f"第 {change.row} 行（{change.label}）：" + "；".join(parts)
