"""the saves of new-record forms, by the token each form was opened with (a double-clicked
save makes one record)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One new table."""
    op.create_table(
        "form_token",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("form", sa.String(length=50), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_form_token"),
    )
    op.create_index("ix_form_token_created_at", "form_token", ["created_at"], unique=False)


def downgrade() -> None:
    """Back to 0005 (a save sent twice after this makes two records again)."""
    op.drop_index("ix_form_token_created_at", table_name="form_token")
    op.drop_table("form_token")
