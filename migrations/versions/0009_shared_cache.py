"""the cache every worker and server shares

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 05:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The shared_cache table (data/cache.py). On PostgreSQL it is UNLOGGED: a cache needs no
    write-ahead log (after a crash it starts empty, which costs one recomputation)."""
    op.create_table(
        "shared_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_shared_cache"),
    )
    op.create_index("ix_shared_cache_version", "shared_cache", ["version"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE shared_cache SET UNLOGGED")


def downgrade() -> None:
    """Back to 0008 (the cache is dropped; nothing is lost)."""
    op.drop_index("ix_shared_cache_version", table_name="shared_cache")
    op.drop_table("shared_cache")
