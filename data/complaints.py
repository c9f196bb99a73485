"""The 投诉分析 heatmaps' data: counts per (row, column) cell and the problems behind a cell.

Counts come from problem_breakdown, and a cell's problem list uses the same scope and filters, so
a list always holds exactly the problems its cell counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from data.figures import CHANNELS, Filters, month_key, month_of, problem_breakdown
from data.masking import mask_name, mask_phone
from data.models import Problem, Unit, UnitCaseload
from data.reference import CHANNEL_NAMES, CRITERIA, KIND_GROUP
from data.scope import load_campaign, problem_scope, unit_conditions

# grid name -> (row axis, column axis)
GRIDS: dict[str, tuple[str, str]] = {
    "unit_month": ("unit", "month"),
    "township_criterion": ("township", "criterion"),
    "channel_month": ("channel", "month"),
}
NO_TOWNSHIP = "-"  # the row key of units without a township
NO_TOWNSHIP_NAME = "未填乡镇"


@dataclass(frozen=True)
class Grid:
    """One heatmap's data: ordered row and column keys, counts per cell, caseload per row.

    Row keys: unit id, township ('' for none) or channel code; column keys: 'YYYY-MM' or a
    criterion code. `cases[row]` is None when the caseload of some unit in the row is unknown.
    """

    name: str
    rows: list[Any]
    row_names: dict[Any, str]
    columns: list[str]
    counts: dict[tuple[Any, str], int]
    cases: dict[Any, int | None]

    def count(self, row: Any, column: str) -> int:
        """The cell's problem count (0 when none)."""
        return self.counts.get((row, column), 0)

    def row_total(self, row: Any) -> int:
        """The row's problems over every column."""
        return sum(self.count(row, column) for column in self.columns)


@dataclass(frozen=True)
class CellProblem:
    """A problem listed under a cell (complainant already masked)."""

    id: int
    unit_id: int
    unit: str
    found_on: dt.date
    channel: str
    criterion: str
    description: str
    status: str
    complainant: str | None


@dataclass(frozen=True)
class CellProblems:
    """The problems of one cell: its row's name, how many there are and the problems listed."""

    row_name: str
    total: int
    problems: list[CellProblem]


@dataclass(frozen=True)
class _Scope:
    """The units of a view with their caseloads, and the campaign's months up to the as-of date."""

    units: dict[int, tuple[str, str | None, str, int | None]]  # id -> name, township, kind, cases
    months: list[str]


def _months(start: dt.date, end: dt.date) -> list[str]:
    """'YYYY-MM' from start's month to end's month."""
    months: list[str] = []
    current = start.replace(day=1)
    while current <= end:
        months.append(month_key(current.year, current.month))
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def _scope(session: Session, year: int, as_of: dt.date, filters: Filters) -> _Scope:
    """The view's units (one query) and the campaign months up to the as-of date."""
    campaign = load_campaign(session, year)
    query = (
        select(Unit.id, Unit.name, Unit.township, Unit.kind, UnitCaseload.cases)
        .outerjoin(
            UnitCaseload,
            and_(UnitCaseload.unit_id == Unit.id, UnitCaseload.campaign_id == campaign.id),
        )
        .where(*unit_conditions(campaign, filters))
    )
    units = {
        uid: (name, township, kind, cases)
        for uid, name, township, kind, cases in session.execute(query)
    }
    return _Scope(units, _months(campaign.start, min(as_of, campaign.end)))


def _sum_cases(values: list[int | None]) -> int | None:
    """Total caseload, None when any unit's caseload is unknown (or there is no unit)."""
    if not values or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _keys(axis: str) -> list[Any]:
    """The GROUP BY columns of an axis."""
    if axis == "unit":
        return [Unit.id]
    if axis == "township":
        return [Unit.township]
    if axis == "channel":
        return [Problem.channel]
    if axis == "criterion":
        return [Problem.criterion_code]
    return list(month_of(Problem.found_on))


def _column_key(axis: str, values: tuple[Any, ...]) -> str:
    """A breakdown row's column key from its key values."""
    if axis == "month":
        return month_key(int(values[0]), int(values[1]))
    return str(values[0])


def complaint_grid(
    session: Session,
    year: int,
    as_of: dt.date,
    filters: Filters,
    channels: tuple[str, ...],
    name: str,
) -> Grid:
    """One heatmap (GRIDS[name]) of the problems of `channels` for the view's units."""
    row_axis, column_axis = GRIDS[name]
    scope = _scope(session, year, as_of, filters)
    counts: dict[tuple[Any, str], int] = {}
    if channels:
        keys = _keys(row_axis) + _keys(column_axis)
        for row in problem_breakdown(session, year, as_of, keys, filters, channels):
            row_key = NO_TOWNSHIP if row_axis == "township" and row.key[0] is None else row.key[0]
            counts[(row_key, _column_key(column_axis, row.key[1:]))] = row.problems

    units = scope.units
    if row_axis == "unit":
        row_names = {uid: name_ for uid, (name_, _, _, _) in units.items()}
        cases: dict[Any, int | None] = {uid: u[3] for uid, u in units.items()}
    elif row_axis == "township":
        row_names = {(t or NO_TOWNSHIP): (t or NO_TOWNSHIP_NAME) for _, t, _, _ in units.values()}
        cases = {
            key: _sum_cases([u[3] for u in units.values() if (u[1] or NO_TOWNSHIP) == key])
            for key in row_names
        }
    else:
        row_names = {c: CHANNEL_NAMES[c] for c in CHANNELS if c in channels}
        total = _sum_cases([u[3] for u in units.values()])
        cases = {c: total for c in row_names}

    if column_axis == "month":
        columns = sorted(set(scope.months) | {column for _, column in counts})
    else:
        groups = {KIND_GROUP.get(kind) for _, _, kind, _ in units.values()}
        used = {column for _, column in counts}
        columns = [
            code
            for code, (_, group, _) in sorted(CRITERIA.items(), key=lambda item: item[1][2])
            if group is None or group in groups or code in used
        ]

    def order(row: Any) -> tuple[int, str]:
        return (-sum(counts.get((row, c), 0) for c in columns), row_names[row])

    rows = list(row_names) if row_axis == "channel" else sorted(row_names, key=order)
    return Grid(name, rows, row_names, columns, counts, cases)


def _valid_column(name: str, column: str) -> bool:
    """Whether a column key fits the grid: `YYYY-MM` for months, a criterion code otherwise."""
    if name not in GRIDS:
        return False
    if GRIDS[name][1] == "criterion":
        return column in CRITERIA
    year, _, month = column.partition("-")
    return year.isdigit() and month.isdigit()


def _row_name(session: Session, name: str, row: Any) -> str | None:
    """The display name of a grid row's key (None for an unknown unit)."""
    row_axis = GRIDS.get(name, ("", ""))[0]
    if row_axis == "unit":
        if not str(row).isdigit():
            return None
        return session.scalar(select(Unit.name).where(Unit.id == int(row)))
    if row_axis == "township":
        return NO_TOWNSHIP_NAME if row == NO_TOWNSHIP else str(row)
    return CHANNEL_NAMES.get(row, str(row))


def _cell_conditions(name: str, row: Any, column: str) -> list[ColumnElement[bool]]:
    """The conditions selecting one cell's problems (the cell's keys as equalities)."""
    row_axis, column_axis = GRIDS[name]
    conditions: list[ColumnElement[bool]] = []
    if row_axis == "unit":
        conditions.append(Unit.id == int(row))
    elif row_axis == "township":
        conditions.append(Unit.township.is_(None) if row == NO_TOWNSHIP else Unit.township == row)
    else:
        conditions.append(Problem.channel == row)
    if column_axis == "month":
        year_text, month_text = column.split("-")
        found_year, found_month = month_of(Problem.found_on)
        conditions += [found_year == int(year_text), found_month == int(month_text)]
    else:
        conditions.append(Problem.criterion_code == column)
    return conditions


def cell_problems(
    session: Session,
    year: int,
    as_of: dt.date,
    filters: Filters,
    channels: tuple[str, ...],
    name: str,
    row: Any,
    column: str,
    limit: int | None = None,
) -> CellProblems:
    """The problems a cell counts (same scope as problem_breakdown), newest first (all of
    them, or the first `limit`)."""
    row_name = _row_name(session, name, row)
    if not channels or row_name is None or not _valid_column(name, column):
        return CellProblems(row_name or str(row), 0, [])
    campaign = load_campaign(session, year)
    conditions = [
        *problem_scope(campaign, as_of),
        *unit_conditions(campaign, filters),
        Problem.channel.in_(channels),
        *_cell_conditions(name, row, column),
    ]
    total = session.scalar(
        select(func.count())
        .select_from(Problem)
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*conditions)
    )
    query = (
        select(
            Problem.id,
            Unit.id,
            Unit.name,
            Problem.found_on,
            Problem.channel,
            Problem.criterion_code,
            Problem.description,
            Problem.status,
            Problem.complainant_name,
            Problem.complainant_phone,
        )
        .join(Unit, Unit.id == Problem.unit_id)
        .where(*conditions)
        .order_by(Problem.found_on.desc(), Problem.id.desc())
        .limit(limit)
    )
    problems = [
        CellProblem(
            id=pid,
            unit_id=uid,
            unit=unit,
            found_on=found,
            channel=channel,
            criterion=criterion,
            description=description,
            status=status,
            complainant=" ".join(x for x in (mask_name(name_), mask_phone(phone)) if x) or None,
        )
        for pid, uid, unit, found, channel, criterion, description, status, name_, phone in (
            session.execute(query)
        )
    ]
    return CellProblems(row_name, int(total or 0), problems)
