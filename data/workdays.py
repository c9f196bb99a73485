"""Working days (#15 催办): which days count when deadlines and days overdue are counted.

A day is a working day as the admin set it (calendar_day), else as the holiday library
(chinese_calendar: public holidays and the weekend days made working days, 调休) says, else by the
weekend rule (for years the library does not know yet). In the bureau's calendar mode (the
default, today's behaviour) every day counts and all of this is plain date arithmetic.

For SQL, work_day holds every day of the covered years with its working-day ordinal (working days
from EPOCH up to and including the day), so the working days between two dates are the
difference of two looked-up ordinals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Annotated, Any, Literal

import chinese_calendar
from pydantic import BeforeValidator, StringConstraints
from sqlalchemy import (
    ColumnElement,
    Integer,
    case,
    delete,
    extract,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from data.chase_settings import CHASE_KEY, ChaseSettings, Contact, chase_settings, contacts
from data.forms import Form, FormError, clean_text, parse_date, validate
from data.history import lock_writers
from data.models import CalendarDay, Campaign, MeetingQuestion, Phase, Problem, Setting, WorkDay

# Ordinals count working days from this day (any fixed day will do: only differences matter).
EPOCH = dt.date(2000, 1, 1)
CALENDAR = "calendar"
WORKING = "working"

# The library's holiday names in Chinese (its own are English).
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
WEEKEND = "周末"
SHIFTED = "调休上班"


@cache
def library_knows(year: int) -> bool:
    """Whether the holiday library has the year's holidays and 调休 days."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _library_year(year: int) -> tuple[bool, ...]:
    """Whether each day of the year is a working day as the library (or, for a year it does
    not know, the weekend rule) says: read from its tables once per year, not day by day."""
    known = library_knows(year)
    return tuple(
        day in chinese_calendar.workdays
        or (day.weekday() < 5 and not (known and day in chinese_calendar.holidays))
        for day in _days_of(year)
    )


def library_workday(day: dt.date) -> bool:
    """Whether the library (or, for a year it does not know, the weekend rule) makes it a
    working day."""
    return _library_year(day.year)[day.timetuple().tm_yday - 1]


def holiday_name(name: str | None) -> str | None:
    """A library holiday name in Chinese (unknown names as they are)."""
    return None if name is None else HOLIDAY_NAMES.get(name, name)


def _days_of(year: int) -> list[dt.date]:
    """Every day of a year."""
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


@dataclass
class DayCounter:
    """Counts days in the bureau's mode: every day ("calendar") or working days ("working")."""

    mode: str
    overrides: dict[dt.date, bool] = field(default_factory=dict)
    _cumulative: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _bases: dict[int, int] = field(default_factory=dict, repr=False)

    @property
    def working(self) -> bool:
        """Whether days are counted in working days."""
        return self.mode == WORKING

    def is_workday(self, day: dt.date) -> bool:
        """Whether the day is a working day (the admin's days, then the library, then the
        weekend rule), whatever the mode."""
        if day in self.overrides:
            return self.overrides[day]
        return library_workday(day)

    def known(self, year: int) -> bool:
        """Whether the library or the admin has the year's holidays."""
        return library_knows(year) or any(
            day.year == year and not workday for day, workday in self.overrides.items()
        )

    def _year(self, year: int) -> list[int]:
        """Working days from 1 January up to and including each day of the year."""
        if year not in self._cumulative:
            workdays = list(_library_year(year))
            for day, workday in self.overrides.items():
                if day.year == year:
                    workdays[day.timetuple().tm_yday - 1] = workday
            self._cumulative[year] = list(accumulate(workdays))
        return self._cumulative[year]

    def _base(self, year: int) -> int:
        """The ordinal of the day before 1 January of the year."""
        if year not in self._bases:
            if year >= EPOCH.year:
                self._bases[year] = sum(self._year(y)[-1] for y in range(EPOCH.year, year))
            else:
                self._bases[year] = -sum(self._year(y)[-1] for y in range(year, EPOCH.year))
        return self._bases[year]

    def ordinal(self, day: dt.date) -> int:
        """Working days from EPOCH up to and including the day (work_day.ordinal)."""
        return self._base(day.year) + self._year(day.year)[day.timetuple().tm_yday - 1]

    def add(self, day: dt.date, n: int) -> dt.date:
        """The n-th counted day after the day (n < 0: before it; 0: the day itself)."""
        if not self.working or n == 0:
            return day + dt.timedelta(days=n)
        step = dt.timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        while left:
            day += step
            left -= self.is_workday(day)
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Counted days in (start, end]; negative when end is before start."""
        if not self.working:
            return (end - start).days
        return self.ordinal(end) - self.ordinal(start)

    def first_after(self, day: dt.date) -> dt.date:
        """The first counted day after the day (after a deadline: the first overdue day)."""
        return self.add(day, 1)

    def overdue_days_sql(self, as_of: dt.date, deadline_column: Any) -> ColumnElement[int]:
        """Days overdue at the as-of date of each row's deadline, in this counter's mode."""
        return overdue_days_sql(as_of, deadline_column, self.mode)


def admin_days(session: Session) -> dict[dt.date, bool]:
    """The days the admin has set: working day or not."""
    query = select(CalendarDay.day, CalendarDay.workday).where(CalendarDay.removed_at.is_(None))
    return {day: workday for day, workday in session.execute(query)}


def day_counter(session: Session, settings: ChaseSettings | None = None) -> DayCounter:
    """The bureau's day counter (its mode from the 催办 settings unless given)."""
    settings = settings if settings is not None else chase_settings(session)
    return DayCounter(mode=settings.day_count, overrides=admin_days(session))


# ---- the calendar as the admin sees it --------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """A day that is not what its weekday says (a holiday on a weekday, a 调休 working weekend
    day) or that the admin has set: as the library sees it and as it counts."""

    day: dt.date
    workday: bool
    name: str
    source: str  # "library" or "admin"
    library_workday: bool


def year_calendar(session: Session, year: int) -> list[CalendarEntry]:
    """A year's holidays and 调休 days as the library sees them, then the admin's own days
    over them, in date order."""
    entries: dict[dt.date, CalendarEntry] = {}
    if library_knows(year):
        for day in _days_of(year):
            workday = bool(chinese_calendar.is_workday(day))
            _, name = chinese_calendar.get_holiday_detail(day)
            # Holidays (weekend days inside a holiday period too) and 调休 days only.
            if name is None and workday == (day.weekday() < 5):
                continue
            label = holiday_name(name) or ""
            entries[day] = CalendarEntry(
                day, workday, f"{label}{SHIFTED}" if workday else label, "library", workday
            )
    query = select(CalendarDay).where(
        extract("year", CalendarDay.day) == year, CalendarDay.removed_at.is_(None)
    )
    for row in session.scalars(query):
        entries[row.day] = CalendarEntry(
            row.day,
            row.workday,
            row.name or (SHIFTED if row.workday else ""),
            "admin",
            library_workday(row.day),
        )
    return [entries[day] for day in sorted(entries)]


def unknown_years(session: Session, years: list[int] | set[int]) -> list[int]:
    """The years among `years` whose holidays neither the library nor the admin has."""
    counter = DayCounter(mode=WORKING, overrides=admin_days(session))
    return sorted(year for year in set(years) if not counter.known(year))


def touched_years(session: Session, settings: ChaseSettings | None = None) -> list[int]:
    """The years the campaigns touch: their phases, their problems' and follow-up questions'
    deadlines, and the ladder's steps after the last deadline (重点督查 after focus_after
    counted days: at most about twice as many calendar days with holidays and weekends)."""
    bounds = [
        select(func.min(Phase.starts_on), func.max(Phase.ends_on)),
        select(func.min(Problem.deadline), func.max(Problem.deadline)),
        select(func.min(MeetingQuestion.reply_deadline), func.max(MeetingQuestion.reply_deadline)),
    ]
    days = [day for query in bounds for day in session.execute(query).one() if day is not None]
    if not days:
        return []
    settings = settings if settings is not None else chase_settings(session)
    last = max(days) + dt.timedelta(days=2 * (settings.focus_after + 1) + 14)
    return list(range(min(days).year, last.year + 1))


@dataclass(frozen=True)
class ChaseAdminView:
    """What /admin/chase shows."""

    settings: ChaseSettings
    contacts: list[Contact]
    years: list[int]  # the years the calendar chooser offers
    unknown: list[int]  # years a campaign touches that neither the library nor the admin has
    admin_days: list[CalendarEntry]  # every day the admin has set (to take one back)
    library_years: tuple[int, int]  # the first and last year the library knows

    def default_year(self, today: dt.date) -> int:
        """The calendar year shown first: the first unknown year, else this year."""
        return self.unknown[0] if self.unknown else today.year


def library_years() -> tuple[int, int]:
    """The first and last year the holiday library knows."""
    known = [year for year in range(1990, 2101) if library_knows(year)]
    return (known[0], known[-1]) if known else (0, 0)


def chase_admin_view(session: Session, today: dt.date) -> ChaseAdminView:
    """The 催办 settings page's data."""
    settings = chase_settings(session)
    touched = touched_years(session, settings)
    counter = DayCounter(mode=WORKING, overrides=admin_days(session))
    query = select(CalendarDay).where(CalendarDay.removed_at.is_(None)).order_by(CalendarDay.day)
    own = [
        CalendarEntry(row.day, row.workday, row.name or "", "admin", library_workday(row.day))
        for row in session.scalars(query)
    ]
    years = sorted({*touched, today.year, today.year + 1, *(e.day.year for e in own)})
    return ChaseAdminView(
        settings=settings,
        contacts=contacts(session),
        years=years,
        unknown=[year for year in touched if not counter.known(year)],
        admin_days=own,
        library_years=library_years(),
    )


def needed_years(session: Session, today: dt.date | None = None) -> list[int]:
    """The years work_day should cover: from the year before the first campaign to the year
    after the last campaign or today, whichever is later."""
    today = today or dt.date.today()
    first, last = session.execute(select(func.min(Campaign.year), func.max(Campaign.year))).one()
    first = min(first or today.year, today.year)
    last = max(last or today.year, today.year)
    return list(range(first - 1, last + 2))


def ensure_work_days(session: Session, years: list[int] | set[int]) -> int:
    """Make work_day hold every day of `years` (and of the years it already holds) with its
    working-day ordinal as the calendar now says; only changed days are written. Returns how
    many days were written."""
    held = {int(y) for y in session.scalars(select(extract("year", WorkDay.day)).distinct())}
    counter = DayCounter(mode=WORKING, overrides=admin_days(session))
    wanted = {
        day: (counter.is_workday(day), counter.ordinal(day))
        for year in sorted(held | {int(y) for y in years})
        for day in _days_of(year)
    }
    current = {
        row.day: (row.workday, row.ordinal)
        for row in session.execute(select(WorkDay.day, WorkDay.workday, WorkDay.ordinal))
    }
    changed = [day for day, value in wanted.items() if current.get(day) != value]
    if not changed:
        return 0
    stale = [day for day in changed if day in current]
    for i in range(0, len(stale), 500):
        session.execute(delete(WorkDay).where(WorkDay.day.in_(stale[i : i + 500])))
    session.execute(
        insert(WorkDay),
        [{"day": day, "workday": wanted[day][0], "ordinal": wanted[day][1]} for day in changed],
    )
    return len(changed)


def set_calendar_day(session: Session, day: dt.date, workday: bool, name: str | None) -> None:
    """Set one day by hand (recorded in the history) and rebuild work_day after it."""
    lock_writers(session)  # two admins setting the same day: the second waits, then updates
    row = session.get(CalendarDay, day)
    if row is None:
        session.add(CalendarDay(day=day, workday=workday, name=name or None))
    else:
        row.workday, row.name, row.removed_at = workday, name or None, None
    session.flush()
    ensure_work_days(session, [day.year])


def remove_calendar_day(session: Session, day: dt.date, now: dt.datetime | None = None) -> bool:
    """Take back a day the admin set (it follows the library again; the row stays, marked
    removed, for the history); False when there was no such day."""
    row = session.get(CalendarDay, day)
    if row is None or row.removed_at is not None:
        return False
    row.removed_at = now or dt.datetime.now()
    session.flush()
    ensure_work_days(session, [day.year])
    return True


class CalendarDayForm(Form):
    """A day the admin sets: the date, whether it is worked (调休) or off (放假), a name."""

    day: Annotated[dt.date, BeforeValidator(parse_date)]
    workday: Literal["work", "off"]
    # The length is the text's, checked only when there is one (None: no name).
    name: Annotated[
        Annotated[str, StringConstraints(max_length=50)] | None, BeforeValidator(clean_text)
    ] = None


def add_calendar_day(session: Session, raw: dict[str, Any]) -> dt.date:
    """Set a day from the calendar form (FormError naming the field when wrong)."""
    form = validate(CalendarDayForm, raw)
    set_calendar_day(session, form.day, form.workday == "work", form.name)
    return form.day


def remove_calendar_day_form(session: Session, raw: dict[str, Any]) -> dt.date:
    """Take back the day chosen in the remove form (FormError when none or not set)."""
    try:
        day = parse_date(raw.get("day"))
    except ValueError:
        day = None
    if day is None or not remove_calendar_day(session, day):
        raise FormError({"day": "请选择要移除的自设日期"})
    return day


# ---- SQL -------------------------------------------------------------------------------------


class date_diff(FunctionElement[int]):
    """Whole days from `earlier` to `later` (two DATE expressions), on SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True
    name = "date_diff"


@compiles(date_diff)
def _date_diff_default(element: date_diff, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(date_diff, "sqlite")
def _date_diff_sqlite(element: date_diff, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def _ordinal_of(day: Any) -> Any:
    """The work_day ordinal of a date expression (NULL outside the covered years)."""
    return select(WorkDay.ordinal).where(WorkDay.day == day).scalar_subquery()


def overdue_days_sql(
    as_of: dt.date, deadline_column: Any, mode: str | None = None
) -> ColumnElement[int]:
    """Days overdue at the as-of date of each row's deadline (negative: days left), counted as
    `mode` says, or (None) as the bureau's 催办 setting says, read in the same statement.

    Working days come from two work_day ordinals; a deadline outside the years work_day covers
    falls back to calendar days rather than to NULL."""
    as_of_value = literal(as_of)
    calendar = date_diff(as_of_value, deadline_column)
    working = func.coalesce(_ordinal_of(as_of_value) - _ordinal_of(deadline_column), calendar)
    if mode == CALENDAR:
        return calendar
    if mode == WORKING:
        return working
    setting = (
        select(Setting.value["day_count"].as_string())
        .where(Setting.key == CHASE_KEY)
        .scalar_subquery()
    )
    return case((setting == WORKING, working), else_=calendar)
