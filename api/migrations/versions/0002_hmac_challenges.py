"""Challenges are HMAC-signed and stateless until consumed: only consumed ids are stored (UNIS-9/10).

The old table of issued challenges is dropped: a challenge issued before the upgrade cannot be presented
after it (the login asks for a new one), which its five-minute life makes harmless.

Revision ID: 0002
Revises: 0001
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unis_used_challenges",
        sa.Column("challenge_id", sa.String(length=43), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("challenge_id"),
    )
    op.create_index(
        op.f("ix_unis_used_challenges_expires_at"), "unis_used_challenges", ["expires_at"], unique=False
    )
    op.drop_index(op.f("ix_unis_challenges_expires_at"), table_name="unis_challenges")
    op.drop_table("unis_challenges")


def downgrade() -> None:
    op.create_table(
        "unis_challenges",
        sa.Column("challenge_id", sa.String(length=43), nullable=False),
        sa.Column("nonce", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("challenge_id"),
    )
    op.create_index(op.f("ix_unis_challenges_expires_at"), "unis_challenges", ["expires_at"], unique=False)
    op.drop_index(op.f("ix_unis_used_challenges_expires_at"), table_name="unis_used_challenges")
    op.drop_table("unis_used_challenges")
