"""published snapshots of the figures, append-only like the history

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 03:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The snapshot table; UPDATE and DELETE refused by the database itself."""
    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=100), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("history_rows", sa.Integer(), nullable=False),
        sa.Column("history_digest", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshot"),
    )
    op.create_index("ix_snapshot_year_as_of", "snapshot", ["year", "as_of"], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER snapshot_no_{verb.lower()} BEFORE {verb} ON snapshot "
                "BEGIN SELECT RAISE(ABORT, 'snapshot is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION snapshot_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'snapshot is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER snapshot_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            "ON snapshot FOR EACH STATEMENT EXECUTE FUNCTION snapshot_append_only()"
        )


def downgrade() -> None:
    """Back to 0007 (published snapshots are lost)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS snapshot_append_only ON snapshot")
        op.execute("DROP FUNCTION IF EXISTS snapshot_append_only()")
    op.drop_index("ix_snapshot_year_as_of", table_name="snapshot")
    op.drop_table("snapshot")
