"""the history chained: a digest on every change_log row, the chain's end in history_head;
existing history is chained in id order

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def _append_only(enable: bool) -> None:
    """Drop the append-only triggers for the one pass that writes the digests, then restore them
    exactly as 0001 made them."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS change_log_no_{verb.lower()}")
            if enable:
                op.execute(
                    f"CREATE TRIGGER change_log_no_{verb.lower()} BEFORE {verb} ON change_log "
                    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            f"ALTER TABLE change_log {'ENABLE' if enable else 'DISABLE'} "
            "TRIGGER change_log_append_only"
        )


def upgrade() -> None:
    """A digest column, the head table, and every existing row chained."""
    from data.chain import GENESIS, row_digest

    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest", sa.String(length=64), nullable=True))
    head = op.create_table(
        "history_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_history_head"),
    )
    bind = op.get_bind()
    log = sa.table(
        "change_log",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("actor", sa.String),
        sa.column("user_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("note", sa.Text),
        sa.column("digest", sa.String),
    )
    _append_only(False)
    previous, count, last_id = GENESIS, 0, 0
    while True:
        rows = bind.execute(
            sa.select(log).where(log.c.id > last_id).order_by(log.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        digests = []
        for row in rows:
            previous = row_digest(previous, row._mapping)
            digests.append({"row_id": row.id, "value": previous})
        bind.execute(
            sa.update(log)
            .where(log.c.id == sa.bindparam("row_id"))
            .values(digest=sa.bindparam("value")),
            digests,
        )
        count += len(rows)
        last_id = rows[-1].id
    _append_only(True)
    op.bulk_insert(head, [{"id": 1, "rows": count, "digest": previous}])


def downgrade() -> None:
    """Back to 0006: the history unchained."""
    op.drop_table("history_head")
    _append_only(False)
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("digest")
    _append_only(True)
