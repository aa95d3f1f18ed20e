"""Audit filter indexes: actor and target with seq, for the console's audit table (issue 14.5).

Revision ID: 0009
Revises: 0008
Created: 2026-12-02 15:03:34.289307
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_actor_seq", ["actor", "seq"], unique=False)
        batch_op.create_index("ix_audit_entries_target_seq", ["target", "seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_target_seq")
        batch_op.drop_index("ix_audit_entries_actor_seq")
