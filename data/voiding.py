"""Problems are never deleted, only voided with a reason; a complainant is revealed on record.

Both are writes to evaluation data and land in the append-only history: voiding through the
ORM (the history listener records it as action `void`), a reveal through `record_reveal`,
the same row `dashboard export ledger --reveal` writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data.edits import check_version
from data.exports import record_reveal
from data.forms import FormError, clean_text
from data.history import HistoryEntry, record_history
from data.models import Problem

MAX_REASON = 500


def void_problem(
    session: Session,
    problem_id: int,
    reason: str | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> Problem:
    """Void a problem with a reason (required); it drops out of every figure from then on."""
    reason = clean_text(reason)
    if not reason:
        raise FormError({"void_reason": "请填写作废原因"})
    if len(reason) > MAX_REASON:
        raise FormError({"void_reason": f"不能超过 {MAX_REASON} 个字"})
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise FormError({"problem": "问题不存在"})
    if problem.voided_at is not None:
        raise FormError({"problem": "该问题已作废"})
    check_version(problem, expected_version, {})
    problem.voided_at = now
    problem.void_reason = reason
    session.flush()
    return problem


@dataclass(frozen=True)
class Complainant:
    """A complainant's name and phone as stored (only for the one callback that shows them)."""

    name: str | None
    phone: str | None


def reveal_complainant(session: Session, problem_id: int) -> Complainant | None:
    """The complainant of one problem, unmasked; the reveal is written to the history first."""
    problem = session.get(Problem, problem_id)
    if problem is None or not (problem.complainant_name or problem.complainant_phone):
        return None
    record_reveal(session, [problem.id], "单位详情页")
    return Complainant(problem.complainant_name, problem.complainant_phone)


def problem_history(session: Session, problem_id: int, limit: int = 100) -> list[HistoryEntry]:
    """A problem's history, newest first; complainants masked for every role."""
    return record_history(session, "problem", problem_id, limit).entries
