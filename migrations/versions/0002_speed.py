"""speed: data version for the figures cache, indexes for per-unit and per-question lookups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 02:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add data_version (one row, moved by every write) and two problem indexes."""
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "n": 0}])
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.create_index("ix_problem_unit_found", ["unit_id", "found_on"], unique=False)
        batch_op.create_index("ix_problem_question", ["question_id"], unique=False)


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.drop_index("ix_problem_question")
        batch_op.drop_index("ix_problem_unit_found")
    op.drop_table("data_version")
