"""The operators' web console: server-side sessions, failed sign-ins per client, the register's name index.

Revision ID: 0006
Revises: 0005
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("sealed_token", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_table(
        "console_sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_console_sign_in_failures_client_at", "console_sign_in_failures", ["client", "at"])
    op.create_index("ix_issued_certificates_subject_cn", "issued_certificates", ["subject_cn"])


def downgrade() -> None:
    op.drop_index("ix_issued_certificates_subject_cn", table_name="issued_certificates")
    op.drop_index("ix_console_sign_in_failures_client_at", table_name="console_sign_in_failures")
    op.drop_table("console_sign_in_failures")
    op.drop_table("console_sessions")
