"""covering indexes: a campaign's figures are read from the problem indexes alone; partial
question index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 07:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns as of this revision (not imported from data.models: a migration is frozen).
FIGURE_COLUMNS = (
    "unit_id",
    "found_on",
    "channel",
    "criterion_code",
    "status",
    "severity",
    "deadline",
    "completed_on",
    "voided_at",
)


def _covering(*keys: str) -> list[str]:
    return list(keys) + [c for c in FIGURE_COLUMNS if c not in keys]


NARROW = {
    "ix_problem_campaign_found": ["campaign_id", "found_on"],
    "ix_problem_campaign_unit": ["campaign_id", "unit_id"],
    "ix_problem_campaign_channel": ["campaign_id", "channel", "found_on"],
}
WIDE = {
    "ix_problem_campaign_found": _covering("campaign_id", "found_on"),
    "ix_problem_campaign_unit": _covering("campaign_id", "unit_id", "found_on"),
    "ix_problem_campaign_channel": _covering("campaign_id", "channel", "found_on"),
}


def _replace(indexes: dict[str, list[str]]) -> None:
    for name, columns in indexes.items():
        op.drop_index(name, table_name="problem")
        op.create_index(name, "problem", columns, unique=False)


def _question_index(partial: bool) -> None:
    op.drop_index("ix_problem_question", table_name="problem")
    where = sa.text("question_id IS NOT NULL") if partial else None
    op.create_index(
        "ix_problem_question",
        "problem",
        ["question_id"],
        unique=False,
        sqlite_where=where,
        postgresql_where=where,
    )


def upgrade() -> None:
    """Widen the three campaign indexes of problem to cover every figure column; index only
    the follow-up problems of meeting questions (a full index of NULLs misleads the planner)."""
    _replace(WIDE)
    _question_index(partial=True)


def downgrade() -> None:
    """Back to the indexes of 0002."""
    _replace(NARROW)
    _question_index(partial=False)
