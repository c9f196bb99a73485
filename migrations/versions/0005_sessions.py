"""revocable sessions, log-in failures by account and address, pending import files in the
database, an index for rate-limited refusals

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DENIED = sa.text("action = 'denied'")


def upgrade() -> None:
    """The session epoch of every account, two new tables and a partial index of refusals."""
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_login_failure"),
        sa.UniqueConstraint("username", "source", name="uq_login_failure_username"),
    )
    op.create_table(
        "pending_upload",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_pending_upload"),
    )
    op.create_index("ix_pending_upload_created_at", "pending_upload", ["created_at"], unique=False)
    op.create_index(
        "ix_change_log_denied",
        "change_log",
        ["user_id", "at"],
        unique=False,
        sqlite_where=DENIED,
        postgresql_where=DENIED,
    )


def downgrade() -> None:
    """Back to 0004 (files waiting for confirmation are dropped with their table)."""
    op.drop_index("ix_change_log_denied", table_name="change_log")
    op.drop_index("ix_pending_upload_created_at", table_name="pending_upload")
    op.drop_table("pending_upload")
    op.drop_table("login_failure")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("session_epoch")
