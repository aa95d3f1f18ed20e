"""operator tokens with an expiry, revocable one by one (EDS-21, PD-22)

Each operator's token moves from ``operators.token_hash`` to a row of ``operator_tokens``. A token made
before this revision had no expiry: it gets the default lifetime (90 days, ``ca_sim.operator_tokens``)
counted from the upgrade, so nobody is locked out by the upgrade itself and no token lives forever.

Revision ID: 0007
Revises: 0006
Created: 2026-12-02
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE_LIFETIME = dt.timedelta(days=90)  # ca_sim.operator_tokens.DEFAULT_TOKEN_LIFETIME when written


def upgrade() -> None:
    bind = op.get_bind()
    # Read the tokens first: SQLite rebuilds ``operators`` to drop the column, which it cannot while
    # another table's foreign key points at it.
    read = sa.text("SELECT id, token_hash, created_at FROM operators ORDER BY id").columns(
        sa.column("id", sa.Integer()),
        sa.column("token_hash", sa.String()),
        sa.column("created_at", sa.DateTime()),
    )
    tokens = bind.execute(read).all()
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operators_token_hash"))
        batch_op.drop_column("token_hash")

    table = op.create_table(
        "operator_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("operator_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operator_tokens_operator_id"), ["operator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_operator_tokens_token_hash"), ["token_hash"], unique=True)

    # naive UTC, as every timestamp column stores it (storage.types.UtcDateTime)
    expires = (dt.datetime.now(dt.UTC) + UPGRADE_LIFETIME).replace(tzinfo=None, microsecond=0)
    if tokens:
        op.bulk_insert(
            table,
            [
                {"operator_id": id_, "token_hash": token_hash, "created_at": created, "expires_at": expires}
                for id_, token_hash, created in tokens
            ],
        )


def downgrade() -> None:
    """Back to one token per operator: its newest unrevoked one (an operator without one gets an unusable
    hash); expiries are lost."""
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE operators SET token_hash = (SELECT t.token_hash FROM operator_tokens t "
        "WHERE t.operator_id = operators.id AND t.revoked_at IS NULL ORDER BY t.id DESC LIMIT 1)"
    )
    op.execute("UPDATE operators SET token_hash = 'revoked-' || CAST(id AS VARCHAR) WHERE token_hash IS NULL")
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f("ix_operators_token_hash"), ["token_hash"], unique=True)

    with op.batch_alter_table("operator_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_tokens_token_hash"))
        batch_op.drop_index(batch_op.f("ix_operator_tokens_operator_id"))
    op.drop_table("operator_tokens")
