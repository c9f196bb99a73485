"""the rest of the work plan

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 08:05:59.469046

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """#18: topics, briefings, the 纠风办 loop, public commitments, archives and attachments."""
    op.create_table(
        "attachment_blob",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_blob")),
        sa.UniqueConstraint("sha256", name=op.f("uq_attachment_blob_sha256")),
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("owner", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("blob_id", sa.Integer(), nullable=False),
        sa.Column("covert", sa.Boolean(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "owner IN ('task', 'problem', 'visit', 'inspection', 'topic', 'archive_item')",
            name=op.f("ck_attachment_owner"),
        ),
        sa.CheckConstraint(
            "stage IS NULL OR stage IN ('before', 'after')", name=op.f("ck_attachment_stage")
        ),
        sa.ForeignKeyConstraint(
            ["blob_id"], ["attachment_blob.id"], name=op.f("fk_attachment_blob_id_attachment_blob")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_attachment_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_attachment_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_blob_id"), ["blob_id"], unique=False)
        batch_op.create_index("ix_attachment_owner", ["owner", "owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_briefing_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshot.id"], name=op.f("fk_briefing_snapshot_id_snapshot")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing")),
        sa.UniqueConstraint("campaign_id", "number", name=op.f("uq_briefing_campaign_id")),
    )
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_briefing_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_where", sa.String(length=200), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_commitment_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_commitment_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_commitment_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "report_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reported_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_report_batch_campaign_id_campaign")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_batch")),
        sa.UniqueConstraint("campaign_id", "number", name=op.f("uq_report_batch_campaign_id")),
    )
    with op.batch_alter_table("report_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_batch_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("criterion_code", sa.String(length=30), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("deployment", sa.Text(), nullable=True),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_topic_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["criterion_code"], ["criterion.code"], name=op.f("fk_topic_criterion_code_criterion")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_topic_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic")),
        sa.UniqueConstraint("campaign_id", "unit_id", "title", name=op.f("uq_topic_campaign_id")),
    )
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_topic_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_topic_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "briefing_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("representative_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
            name=op.f("fk_briefing_recipient_briefing_id_briefing"),
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["representative.id"],
            name=op.f("fk_briefing_recipient_representative_id_representative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_recipient")),
        sa.UniqueConstraint(
            "briefing_id", "representative_id", name=op.f("uq_briefing_recipient_briefing_id")
        ),
    )
    with op.batch_alter_table("briefing_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_briefing_recipient_briefing_id"), ["briefing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_briefing_recipient_representative_id"),
            ["representative_id"],
            unique=False,
        )

    op.create_table(
        "visit_topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("unlinked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_visit_topic_topic_id_topic")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["supervision_visit.id"],
            name=op.f("fk_visit_topic_visit_id_supervision_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_topic")),
        sa.UniqueConstraint("visit_id", "topic_id", name=op.f("uq_visit_topic_visit_id")),
    )
    with op.batch_alter_table("visit_topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_topic_topic_id"), ["topic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_topic_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "commitment_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("unlinked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_problem_commitment_id_commitment"),
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problem.id"], name=op.f("fk_commitment_problem_problem_id_problem")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_problem")),
        sa.UniqueConstraint(
            "commitment_id", "problem_id", name=op.f("uq_commitment_problem_commitment_id")
        ),
    )
    with op.batch_alter_table("commitment_problem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_problem_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_problem_problem_id"), ["problem_id"], unique=False
        )

    op.create_table(
        "topic_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("unlinked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problem.id"], name=op.f("fk_topic_problem_problem_id_problem")
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_topic_problem_topic_id_topic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_problem")),
        sa.UniqueConstraint("topic_id", "problem_id", name=op.f("uq_topic_problem_topic_id")),
    )
    with op.batch_alter_table("topic_problem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_topic_problem_problem_id"), ["problem_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_topic_problem_topic_id"), ["topic_id"], unique=False)

    with op.batch_alter_table("archive_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))

    # The problem table is the big one (a million rows at the large size): columns are added in
    # place, never by copying the table as a batch operation would on SQLite.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE problem ADD COLUMN report_batch_id INTEGER "
            "CONSTRAINT fk_problem_report_batch_id_report_batch REFERENCES report_batch (id)"
        )
    else:
        op.add_column("problem", sa.Column("report_batch_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_problem_report_batch_id_report_batch",
            "problem",
            "report_batch",
            ["report_batch_id"],
            ["id"],
        )
    op.add_column("problem", sa.Column("report_feedback", sa.Text(), nullable=True))
    op.add_column("problem", sa.Column("report_feedback_on", sa.Date(), nullable=True))
    op.create_index("ix_problem_report_batch_id", "problem", ["report_batch_id"], unique=False)

    with op.batch_alter_table("task_template", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derived_from", sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            "derived_from", "derived_from IS NULL OR derived_from IN ('archive', 'upload')"
        )
    # #18 item 5: the default checklist's two archive tasks derive from the archive items.
    op.execute("UPDATE task_template SET derived_from = 'archive' WHERE name = '整理工作档案'")
    op.execute("UPDATE task_template SET derived_from = 'upload' WHERE name = '上传纠风网站'")


def downgrade() -> None:
    """Back to 0009 (the new records are dropped)."""
    with op.batch_alter_table("task_template", schema=None) as batch_op:
        batch_op.drop_column("derived_from")

    op.drop_index("ix_problem_report_batch_id", table_name="problem")
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.drop_constraint("fk_problem_report_batch_id_report_batch", type_="foreignkey")
        batch_op.drop_column("report_feedback_on")
        batch_op.drop_column("report_feedback")
        batch_op.drop_column("report_batch_id")

    with op.batch_alter_table("archive_item", schema=None) as batch_op:
        batch_op.drop_column("note")

    with op.batch_alter_table("topic_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topic_problem_topic_id"))
        batch_op.drop_index(batch_op.f("ix_topic_problem_problem_id"))

    op.drop_table("topic_problem")
    with op.batch_alter_table("commitment_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_problem_problem_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_problem_commitment_id"))

    op.drop_table("commitment_problem")
    with op.batch_alter_table("visit_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_topic_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_topic_topic_id"))

    op.drop_table("visit_topic")
    with op.batch_alter_table("briefing_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_recipient_representative_id"))
        batch_op.drop_index(batch_op.f("ix_briefing_recipient_briefing_id"))

    op.drop_table("briefing_recipient")
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topic_unit_id"))
        batch_op.drop_index(batch_op.f("ix_topic_campaign_id"))

    op.drop_table("topic")
    with op.batch_alter_table("report_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_batch_campaign_id"))

    op.drop_table("report_batch")
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_unit_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_campaign_id"))

    op.drop_table("commitment")
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_campaign_id"))

    op.drop_table("briefing")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_unit_id"))
        batch_op.drop_index("ix_attachment_owner")
        batch_op.drop_index(batch_op.f("ix_attachment_blob_id"))

    op.drop_table("attachment")
    op.drop_table("attachment_blob")
