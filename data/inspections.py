"""明查暗访: inspections by citizen representatives; findings become problems (channel 明查暗访).

A covert inspection (暗访) is only covert while the unit does not know it is coming: unit staff
never see a covert inspection's schedule (dates still ahead) nor who the representatives were.
That rule is applied here, in the queries (`hide_covert`), not by hiding things on screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ConfigDict, Field
from sqlalchemy import and_, case, func, not_, select
from sqlalchemy.orm import Session

from data.figures import Filters
from data.follow_ups import add_follow_up, follow_up_errors
from data.form_tokens import once
from data.forms import DateValue, FollowUpForm, Form, FormError, RecordId, Text, validate
from data.models import Inspection, Problem, Representative, Unit, inspection_representative
from data.reference import Channel, InspectionMode
from data.scope import load_campaign, problem_conditions, unit_conditions

MAX_UNITS = 20
MAX_FINDINGS = 30
MAX_REPS = 50
INSPECTION_FORM = "inspection"  # the form, as data/form_tokens.py names it


class FindingForm(FollowUpForm):
    """A finding of an inspection: a follow-up problem, and which inspected unit it concerns."""

    unit_id: RecordId | None = None


class InspectionForm(Form):
    """A 明查暗访 as the supervisor enters it: one or more units inspected on one day."""

    model_config = ConfigDict(extra="forbid")

    unit_ids: list[RecordId] = Field(default_factory=list, max_length=MAX_UNITS)
    inspected_on: DateValue
    mode: Literal["open", "covert"]
    representative_ids: list[RecordId] = Field(default_factory=list, max_length=MAX_REPS)
    findings: Text | None = None
    follow_ups: list[FindingForm] = Field(default_factory=list, max_length=MAX_FINDINGS)


def inspection_form(raw: dict[str, Any]) -> InspectionForm:
    """Validate raw form values; every wrong field is named (no unit chosen included)."""
    errors: dict[str, str] = {}
    form: InspectionForm | None = None
    try:
        form = validate(InspectionForm, raw)
    except FormError as exc:
        errors.update(exc.errors)
    if not raw.get("unit_ids"):
        errors["unit_ids"] = "请选择被检查单位"
    if errors or form is None:
        raise FormError(errors)
    return form


def _finding_unit(finding: FindingForm, unit_ids: list[int]) -> int | None:
    """The unit a finding concerns: the one inspected unit, or the one the finding names."""
    if finding.unit_id is None:
        return unit_ids[0] if len(unit_ids) == 1 else None
    return finding.unit_id if finding.unit_id in unit_ids else None


def _check(
    session: Session, form: InspectionForm, today: dt.date
) -> tuple[dict[int, Unit], list[Representative]]:
    """Checks that need the database: units and representatives exist, findings fit their unit."""
    errors: dict[str, str] = {}
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(form.unit_ids)))}
    if len(units) != len(set(form.unit_ids)):
        errors["unit_ids"] = "单位不存在"
    reps = list(
        session.scalars(
            select(Representative).where(Representative.id.in_(form.representative_ids))
        )
    )
    if len(reps) != len(set(form.representative_ids)):
        errors["representative_ids"] = "民评代表不存在"
    if form.follow_ups and form.inspected_on > today:
        errors["follow_ups"] = "检查尚未进行（日期在今天之后），不能登记发现的问题"
    for i, finding in enumerate(form.follow_ups):
        unit_id = _finding_unit(finding, form.unit_ids)
        if unit_id is None:
            errors[f"follow_ups.{i}.unit_id"] = "请选择该问题所属的被检查单位"
            continue
        if unit_id not in units:
            continue
        own = follow_up_errors([finding], units[unit_id].kind, form.inspected_on, "检查日期")
        errors.update(
            {key.replace("follow_ups.0.", f"follow_ups.{i}."): v for key, v in own.items()}
        )
    if errors:
        raise FormError(errors)
    return units, reps


def save_inspections(
    session: Session, form: InspectionForm, year: int, today: dt.date, token: Any = None
) -> list[Inspection]:
    """One inspection per unit inspected; each finding becomes a problem of its unit. Made once
    per `token` of the form (data/form_tokens.py): the same form saved again gets the
    inspections it made."""
    return once(
        session,
        token,
        INSPECTION_FORM,
        lambda: _save_inspections(session, form, year, today),
        lambda made: {"ids": [inspection.id for inspection in made]},
        lambda kept: [session.get_one(Inspection, i) for i in kept["ids"]],
    )


def _save_inspections(
    session: Session, form: InspectionForm, year: int, today: dt.date
) -> list[Inspection]:
    """save_inspections' writes."""
    campaign = load_campaign(session, year)
    units, reps = _check(session, form, today)
    inspections: dict[int, Inspection] = {}
    for unit_id in dict.fromkeys(form.unit_ids):
        inspection = Inspection(
            campaign_id=campaign.id,
            unit_id=unit_id,
            inspected_on=form.inspected_on,
            mode=form.mode,
            findings=form.findings,
            representatives=list(reps),
        )
        session.add(inspection)
        inspections[unit_id] = inspection
    session.flush()
    for finding in form.follow_ups:
        unit_id = _finding_unit(finding, form.unit_ids)
        assert unit_id is not None  # checked above
        add_follow_up(
            session,
            campaign.id,
            unit_id,
            Channel.INSPECTION,
            form.inspected_on,
            finding,
            inspection_id=inspections[unit_id].id,
        )
    session.flush()
    return list(inspections.values())


@dataclass
class InspectionRow:
    """One inspection in the list; `representatives` is None where the viewer may not see them."""

    id: int
    unit_id: int
    unit: str
    inspected_on: dt.date
    mode: str
    findings: str | None
    problems: int
    open_problems: int
    planned: bool
    representatives: list[str] | None = None


@dataclass
class InspectionCounts:
    """How many inspections the list covers, in total, covert, and still planned."""

    total: int = 0
    covert: int = 0
    planned: int = 0
    problems: int = 0


def _visible(today: dt.date, hide_covert: bool) -> list[Any]:
    """Unit staff never see a covert inspection that has not happened yet."""
    if not hide_covert:
        return []
    return [not_(and_(Inspection.mode == InspectionMode.COVERT, Inspection.inspected_on > today))]


def list_inspections(
    session: Session,
    year: int,
    as_of: dt.date,
    today: dt.date,
    filters: Filters = Filters(),
    hide_covert: bool = False,
    limit: int | None = None,
) -> list[InspectionRow]:
    """Inspections of a campaign, newest first, with their problems counted in SQL."""
    campaign = load_campaign(session, year)
    c = problem_conditions(as_of)
    counts = (
        select(
            Problem.inspection_id.label("inspection_id"),
            func.count().label("n"),
            func.coalesce(func.sum(case((c.open, 1), else_=0)), 0).label("open_n"),
        )
        .where(Problem.inspection_id.is_not(None), Problem.voided_at.is_(None))
        .group_by(Problem.inspection_id)
        .subquery()
    )
    i = Inspection
    query = (
        select(
            i.id,
            i.unit_id,
            Unit.name,
            i.inspected_on,
            i.mode,
            i.findings,
            func.coalesce(counts.c.n, 0),
            func.coalesce(counts.c.open_n, 0),
        )
        .join(Unit, Unit.id == i.unit_id)
        .outerjoin(counts, counts.c.inspection_id == i.id)
        .where(
            i.campaign_id == campaign.id,
            *unit_conditions(campaign, filters),
            *_visible(today, hide_covert),
        )
        .order_by(i.inspected_on.desc(), i.id.desc())
        .limit(limit)
    )
    rows = [InspectionRow(*row[:8], planned=row[3] > today) for row in session.execute(query)]
    shown = [r.id for r in rows if not (hide_covert and r.mode == InspectionMode.COVERT)]
    names: dict[int, list[str]] = {}
    if shown:
        ir = inspection_representative.c
        for inspection_id, name, sector in session.execute(
            select(ir.inspection_id, Representative.name, Representative.sector)
            .join(Representative, Representative.id == ir.representative_id)
            .where(ir.inspection_id.in_(shown))
            .order_by(ir.inspection_id, Representative.name)
        ):
            names.setdefault(inspection_id, []).append(f"{name}（{sector}）")
    for row in rows:
        if row.id in shown:
            row.representatives = names.get(row.id, [])
    return rows


def inspection_counts(
    session: Session,
    year: int,
    today: dt.date,
    filters: Filters = Filters(),
    hide_covert: bool = False,
) -> InspectionCounts:
    """The inspections a viewer may see, counted in SQL (total, covert, planned, problems)."""
    campaign = load_campaign(session, year)
    i = Inspection
    total, covert, planned = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((i.mode == InspectionMode.COVERT, 1), else_=0)), 0),
            func.coalesce(func.sum(case((i.inspected_on > today, 1), else_=0)), 0),
        )
        .join(Unit, Unit.id == i.unit_id)
        .where(
            i.campaign_id == campaign.id,
            *unit_conditions(campaign, filters),
            *_visible(today, hide_covert),
        )
    ).one()
    problems = session.scalar(
        select(func.count())
        .select_from(Problem)
        .join(Unit, Unit.id == Problem.unit_id)
        .where(
            Problem.campaign_id == campaign.id,
            Problem.channel == Channel.INSPECTION,
            Problem.voided_at.is_(None),
            *unit_conditions(campaign, filters),
        )
    )
    return InspectionCounts(int(total), int(covert), int(planned), int(problems or 0))


def representatives_for_selection(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, sector) of the active citizen representatives, for the form's picker."""
    r = Representative
    query = select(r.id, r.name, r.sector).where(r.active.is_(True)).order_by(r.sector, r.name)
    return [tuple(row) for row in session.execute(query)]
