"""campaign set-up without the demo: unit aliases, task templates per unit kind and retired,
archive checklist per campaign, one-time passwords

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 21:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """New tables and columns; existing campaigns get their archive checklist from their items."""
    op.create_table(
        "unit_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name="fk_unit_alias_unit_id_unit"),
        sa.PrimaryKeyConstraint("id", name="pk_unit_alias"),
        sa.UniqueConstraint("alias", name="uq_unit_alias_alias"),
    )
    op.create_index("ix_unit_alias_unit_id", "unit_alias", ["unit_id"], unique=False)
    op.create_table(
        "archive_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "category IN ('document', 'material', 'photo')", name="ck_archive_template_category"
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name="fk_archive_template_campaign_id_campaign"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_archive_template"),
        sa.UniqueConstraint("campaign_id", "name", name="uq_archive_template_campaign_id"),
    )
    with op.batch_alter_table("task_template") as batch:
        batch.add_column(sa.Column("kinds", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    # The checklist of a campaign made before this revision: the items its units have.
    op.execute(
        "INSERT INTO archive_template (campaign_id, name, category, sort_order) "
        "SELECT campaign_id, name, MIN(category), MIN(id) FROM archive_item "
        "GROUP BY campaign_id, name"
    )


def downgrade() -> None:
    """Back to 0003."""
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("must_change_password")
    with op.batch_alter_table("task_template") as batch:
        batch.drop_column("retired_at")
        batch.drop_column("kinds")
    op.drop_table("archive_template")
    op.drop_index("ix_unit_alias_unit_id", table_name="unit_alias")
    op.drop_table("unit_alias")
