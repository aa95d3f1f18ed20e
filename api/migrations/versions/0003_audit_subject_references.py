"""audit subject references and seals (PD-22, PD-18)

Revision ID: 0003
Revises: 0002
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("subject_salt", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("subject_seal", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_entries_subject_ref"), ["subject_ref"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_subject_ref"))
        batch_op.drop_column("subject_seal")
        batch_op.drop_column("subject_salt")
        batch_op.drop_column("subject_ref")
