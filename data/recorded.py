"""Figures as they were *recorded* at a moment (#14 item 3).

"As of" applies the date rules (found_on, deadline, completed_on ≤ the date) to the records as
they are now; a completion entered later and backdated, or a problem marked 不属实 later, changes
the figures of a date already reported. "As recorded" answers the other question — what did the
records say at that moment? Every change is in the history (data/history.py, proved by
data/chain.py), so each audited record's state at the moment is its create plus its changes up
to then. Those states are loaded into a private in-memory SQLite database with the same schema,
and the same figure code (data/figures.py) runs on it: no second implementation of any figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Table, create_engine, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from data.chain import audited_tables, recorded_states
from data.figures import CampaignFigures, campaign_figures
from data.history import WROTE
from data.models import Base

# Reference data that is not evaluation data (no history): copied as it is.
REFERENCE_TABLES = ("criterion",)


def moment_of(text: str) -> dt.datetime:
    """A moment from the command line: a date means the end of that day."""
    value = text.strip()
    if "T" in value or " " in value:
        return dt.datetime.fromisoformat(value)
    return dt.datetime.combine(dt.date.fromisoformat(value), dt.time.max)


def _typed(table: Table, state: dict[str, Any]) -> dict[str, Any]:
    """A state as the history holds it (JSON values) in the column types of `table`."""
    row: dict[str, Any] = {}
    for column in table.columns:
        value = state.get(column.key)
        if value is None:
            if column.key == "version":
                value = 1
            elif column.default is not None and column.default.is_scalar:
                value = column.default.arg
        elif isinstance(column.type, DateTime) and isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        elif isinstance(column.type, Date) and isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        elif isinstance(column.type, Boolean):
            value = bool(value)
        row[column.key] = value
    return row


@contextmanager
def recorded_session(source: Session, moment: dt.datetime) -> Iterator[Session]:
    """A read-only session on the records as the history had them at `moment`."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    Base.metadata.create_all(engine)
    audited = {table.name for table in audited_tables()}
    try:
        with engine.begin() as target:
            for name in REFERENCE_TABLES:
                table = Base.metadata.tables[name]
                target.execute(table.delete())
                rows = [dict(r._mapping) for r in source.execute(select(table))]
                if rows:
                    target.execute(insert(table), rows)
            for table in Base.metadata.sorted_tables:  # parents before children
                if table.name not in audited:
                    continue
                states = recorded_states(source, table.name, until=moment)
                rows = [_typed(table, state) for state in states.values()]
                if rows:
                    target.execute(insert(table), rows)
        with Session(engine) as session:
            # A private database: the figures cache (keyed by address and data version) must
            # neither serve nor keep its figures.
            session.info[WROTE] = True
            yield session
    finally:
        engine.dispose()


def figures_as_recorded(
    source: Session, year: int, as_of: dt.date, moment: dt.datetime
) -> CampaignFigures:
    """The figures of `year` at `as_of` computed from the records as recorded at `moment`."""
    with recorded_session(source, moment) as session:
        return campaign_figures(session, year, as_of)
