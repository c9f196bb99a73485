"""The roster of evaluated units as the admin keeps it: add, rename (keeping former names),
change kind, caseload per campaign year, retire and bring back (CLI and pages alike)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from data.campaigns import campaign_by_year, generate_unit_items
from data.edits import check_version
from data.forms import Form, FormError, Name, clean_text, parse_date, validate
from data.models import Campaign, Problem, Unit, UnitAlias, UnitCaseload
from data.reference import CRITERIA, KIND_GROUP, KIND_NAMES, criterion_applies

MAX_NAME = 200
KIND_CODES: dict[str, str] = {name: code for code, name in KIND_NAMES.items()}
CASES_MESSAGE = "办案量应为不小于 0 的整数"
UNKNOWN_UNIT = "单位不存在"


def _kind(value: Any) -> Any:
    """A kind code from its code or its Chinese name (司法所 …); blank stays None (必填)."""
    value = clean_text(value)
    if value is None or isinstance(value, str) and value in KIND_NAMES:
        return value
    if isinstance(value, str) and value in KIND_CODES:
        return KIND_CODES[value]
    raise ValueError(f"单位类型无效：{value}（可选 {'、'.join(KIND_NAMES.values())}）")


UnitName = Annotated[str, BeforeValidator(clean_text), Field(max_length=MAX_NAME)]
KindCode = Annotated[str, BeforeValidator(_kind)]


class UnitForm(Form):
    """A unit as the admin enters it."""

    name: UnitName
    kind: KindCode
    township: Name | None = None


@dataclass(frozen=True)
class UnitRow:
    """A unit as the admin list shows it, with its former names and the year's caseload."""

    id: int
    name: str
    kind: str
    township: str | None
    retired_on: dt.date | None
    aliases: tuple[str, ...]
    caseload: int | None
    version: int


# ---- reading -------------------------------------------------------------------------------


def unit_rows(session: Session, year: int | None) -> list[UnitRow]:
    """Every unit, active ones first, by kind and name; caseload of the campaign of `year`."""
    query = select(Unit.id, Unit.name, Unit.kind, Unit.township, Unit.retired_on, Unit.version)
    if year is not None:
        campaign_id = select(Campaign.id).where(Campaign.year == year).scalar_subquery()
        query = query.add_columns(UnitCaseload.cases).outerjoin(
            UnitCaseload,
            and_(UnitCaseload.unit_id == Unit.id, UnitCaseload.campaign_id == campaign_id),
        )
    aliases: dict[int, list[str]] = defaultdict(list)
    for unit_id, alias in session.execute(
        select(UnitAlias.unit_id, UnitAlias.alias).order_by(UnitAlias.id)
    ):
        aliases[unit_id].append(alias)
    kinds = list(KIND_NAMES)
    rows = []
    for found in session.execute(query):
        rows.append(
            UnitRow(
                id=found.id,
                name=found.name,
                kind=found.kind,
                township=found.township,
                retired_on=found.retired_on,
                aliases=tuple(aliases.get(found.id, ())),
                caseload=found.cases if year is not None else None,
                version=found.version,
            )
        )
    return sorted(rows, key=lambda r: (r.retired_on is not None, kinds.index(r.kind), r.name, r.id))


def lost_criteria(session: Session, moves: Mapping[int, str]) -> dict[int, list[str]]:
    """Unit id → names of the criteria of its non-voided problems that its new kind lacks.

    `moves` maps unit id → the kind it would become; a unit that loses nothing is left out."""
    if not moves:
        return {}
    query = (
        select(Problem.unit_id, Problem.criterion_code)
        .where(Problem.unit_id.in_(moves), Problem.voided_at.is_(None))
        .distinct()
    )
    lost: dict[int, list[str]] = defaultdict(list)
    for unit_id, code in session.execute(query):
        if not criterion_applies(code, moves[unit_id]):
            lost[unit_id].append(CRITERIA[code][0])
    return {unit_id: sorted(names) for unit_id, names in lost.items()}


def regroup_message(kind: str, names: Iterable[str]) -> str:
    """Why a unit cannot become `kind`: its problems' criteria that would no longer apply."""
    return (
        f"改为{KIND_NAMES[kind]}后，该单位已有问题的评议内容（{'、'.join(sorted(names))}）"
        "将不再适用，请先调整这些问题"
    )


def _unit(session: Session, unit_id: Any) -> Unit:
    """The unit of an id, or FormError {"unit": "单位不存在"}."""
    unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None:
        raise FormError({"unit": UNKNOWN_UNIT})
    return unit


def _check_name(session: Session, name: str, unit_id: int | None = None) -> None:
    """FormError when another unit has `name` as its name or as a former name."""
    other = select(Unit.name).where(Unit.name == name)
    if unit_id is not None:
        other = other.where(Unit.id != unit_id)
    if session.scalar(other) is not None:
        raise FormError({"name": f"单位名称已存在：{name}"})
    former = select(Unit.name).join(UnitAlias, UnitAlias.unit_id == Unit.id)
    former = former.where(UnitAlias.alias == name)
    if unit_id is not None:
        former = former.where(Unit.id != unit_id)
    owner = session.scalar(former)
    if owner is not None:
        raise FormError({"name": f"单位名称“{name}”与单位“{owner}”的曾用名相同"})


# ---- writing -------------------------------------------------------------------------------


def add_unit(session: Session, raw: dict[str, Any]) -> Unit:
    """A new unit; it gets its tasks and archive items in every campaign at once."""
    form = validate(UnitForm, raw)
    _check_name(session, form.name)
    unit = Unit(name=form.name, kind=form.kind, township=form.township)
    session.add(unit)
    session.flush()
    generate_unit_items(session)
    return unit


def update_unit(
    session: Session,
    unit_id: Any,
    raw: dict[str, Any],
    version: int | None = None,
    seen: dict[str, Any] | None = None,
) -> Unit:
    """Rename a unit (its old name stays a former name), change its kind or township.

    A kind in the other group is refused while the unit has problems under criteria that
    group lacks; `version` / `seen` refuse a save over someone else's change."""
    unit = _unit(session, unit_id)
    check_version(unit, version, seen)
    form = validate(UnitForm, raw)
    _check_name(session, form.name, unit.id)
    if KIND_GROUP[form.kind] != KIND_GROUP[unit.kind]:
        names = lost_criteria(session, {unit.id: form.kind}).get(unit.id)
        if names:
            raise FormError({"kind": regroup_message(form.kind, names)})
    kind_changed = form.kind != unit.kind
    if form.name != unit.name:
        known = session.scalar(select(UnitAlias.id).where(UnitAlias.alias == unit.name))
        if known is None:
            session.add(UnitAlias(unit_id=unit.id, alias=unit.name))
        unit.name = form.name
    unit.kind = form.kind
    unit.township = form.township
    session.flush()
    if kind_changed:
        generate_unit_items(session)
    return unit


def _cases(value: Any) -> int:
    """A caseload from a number or text; FormError unless a whole number ≥ 0."""
    value = clean_text(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FormError({"cases": CASES_MESSAGE})
    return value


def set_caseload(session: Session, year: int, unit_id: Any, cases: Any) -> UnitCaseload:
    """Set a unit's caseload (办案量) for the campaign of `year`."""
    campaign = campaign_by_year(session, year)
    unit = _unit(session, unit_id)
    count = _cases(cases)
    row = session.scalars(
        select(UnitCaseload).where(
            UnitCaseload.campaign_id == campaign.id, UnitCaseload.unit_id == unit.id
        )
    ).one_or_none()
    if row is None:
        row = UnitCaseload(campaign_id=campaign.id, unit_id=unit.id, cases=count)
        session.add(row)
    elif row.cases != count:
        row.cases = count
    session.flush()
    return row


def deactivate_unit(session: Session, unit_id: Any, on: dt.date) -> Unit:
    """Retire a unit from `on`: it keeps its history and leaves campaigns that start later."""
    unit = _unit(session, unit_id)
    if unit.retired_on is not None:
        raise FormError({"retired_on": f"该单位已于 {unit.retired_on.isoformat()} 停用"})
    try:
        day = parse_date(on)
    except ValueError as exc:
        raise FormError({"retired_on": str(exc)}) from None
    if day is None:
        raise FormError({"retired_on": "必填"})
    unit.retired_on = day
    session.flush()
    return unit


def reactivate_unit(session: Session, unit_id: Any) -> Unit:
    """Bring a retired unit back; it gets the tasks and archive items it lacks."""
    unit = _unit(session, unit_id)
    if unit.retired_on is None:
        raise FormError({"retired_on": "该单位未停用"})
    unit.retired_on = None
    session.flush()
    generate_unit_items(session)
    return unit
