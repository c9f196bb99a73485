"""The bureau's evaluation settings (weights, points, cutoffs, threshold): defaults, overrides."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.labels import GRADE_BASIC, GRADE_DISSATISFIED, GRADE_FAIRLY, GRADE_SATISFIED
from data.models import Setting
from data.reference import Rating

EVALUATION_KEY = "evaluation"
# Scores equal to this many decimals are equal: float noise must not split a tie or a grade.
SCORE_DECIMALS = 6

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvaluationSettings:
    """How the evaluation result (评议结果) is computed; defaults follow DOMAIN.md."""

    satisfaction_weight: float = 0.7
    work_weight: float = 0.3
    tasks_weight: float = 0.4
    on_time_weight: float = 0.4
    conformity_weight: float = 0.2
    rating_conform: float = 1.0
    rating_basic: float = 0.6
    rating_nonconform: float = 0.0
    points_satisfied: float = 100.0
    points_basic: float = 70.0
    points_dissatisfied: float = 30.0
    grade_satisfied: float = 85.0
    grade_fairly_satisfied: float = 75.0
    grade_basic: float = 60.0
    focus_threshold: float = 0.8

    def rating_value(self, rating: str) -> float:
        """The value of a supervision rating (符合 / 基本符合 / 不符合)."""
        return {
            Rating.CONFORM: self.rating_conform,
            Rating.BASIC: self.rating_basic,
            Rating.NONCONFORM: self.rating_nonconform,
        }[Rating(rating)]

    def grade(self, composite: float | None) -> str | None:
        """The grade (满意/比较满意/基本满意/不满意) of a composite score; None without one."""
        if composite is None:
            return None
        composite = round(composite, SCORE_DECIMALS)
        if composite >= self.grade_satisfied:
            return GRADE_SATISFIED
        if composite >= self.grade_fairly_satisfied:
            return GRADE_FAIRLY
        if composite >= self.grade_basic:
            return GRADE_BASIC
        return GRADE_DISSATISFIED

    def to_dict(self) -> dict[str, float]:
        """The settings as a JSON-ready dict (the shape stored under the `evaluation` key)."""
        return asdict(self)


def settings_from_dict(overrides: dict[str, Any] | None) -> EvaluationSettings:
    """Defaults with the known numeric fields of `overrides` applied; anything else is ignored."""
    known = {f.name for f in fields(EvaluationSettings)}
    changes: dict[str, float] = {}
    for key, value in (overrides or {}).items():
        if key not in known:
            log.warning("unknown evaluation setting %r ignored", key)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            log.warning("evaluation setting %r=%r is not a number; default kept", key, value)
        else:
            changes[key] = float(value)
    return replace(EvaluationSettings(), **changes)


def settings_key(year: int) -> str:
    """The `setting` row of one campaign's evaluation settings."""
    return f"{EVALUATION_KEY}:{year}"


def load_settings(session: Session, year: int | None = None) -> EvaluationSettings:
    """The evaluation settings of a campaign: its own row, else the bureau-wide `evaluation`
    row (campaigns made before settings were per campaign), over the defaults."""
    keys = [settings_key(year), EVALUATION_KEY] if year is not None else [EVALUATION_KEY]
    query = select(Setting.key, Setting.value).where(Setting.key.in_(keys))
    rows = {key: value for key, value in session.execute(query)}
    value = next((rows[k] for k in keys if k in rows), None)
    return settings_from_dict(value if isinstance(value, dict) else None)
