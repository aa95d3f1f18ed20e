"""console sign-in by name, password and TOTP; holds with an end date; the register's issue-date index

``operator_credentials`` holds each operator's scrypt password hash, sealed TOTP secret and the step of
the last accepted code (``ca_sim.operator_credentials``); ``console_sessions.method`` says how a session
was opened (sessions from before this revision were opened with a token); ``scheduled_until`` is a hold's
end date as given (``ca_sim.revocation_periods``); the register's indexes serve the console's search:
issue dates and the newest-first order (``issued_at``, also within one CA), a serial across the CAs, and
the hold periods (``reason``).

Revision ID: 0008
Revises: 0007
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operator_credentials",
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("sealed_totp", sa.LargeBinary(), nullable=False),
        sa.Column("last_totp_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"]),
        sa.PrimaryKeyConstraint("operator_id"),
    )
    op.add_column(
        "console_sessions",
        sa.Column("method", sa.String(length=16), nullable=False, server_default="token"),
    )
    op.create_index("ix_issued_certificates_issued_at", "issued_certificates", ["issued_at", "id"])
    op.create_index(
        "ix_issued_certificates_ca_issued_at", "issued_certificates", ["ca_id", "issued_at", "id"]
    )
    op.create_index("ix_issued_certificates_serial", "issued_certificates", ["serial"])
    for table in ("revocations", "revocations_archive"):
        op.add_column(table, sa.Column("scheduled_until", sa.DateTime(), nullable=True))
        op.create_index(f"ix_{table}_reason", table, ["reason", "effective_until"])


def downgrade() -> None:
    for table in ("revocations_archive", "revocations"):
        op.drop_index(f"ix_{table}_reason", table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("scheduled_until")
    for index in ("serial", "ca_issued_at", "issued_at"):
        op.drop_index(f"ix_issued_certificates_{index}", table_name="issued_certificates")
    with op.batch_alter_table("console_sessions") as batch_op:
        batch_op.drop_column("method")
    op.drop_table("operator_credentials")
