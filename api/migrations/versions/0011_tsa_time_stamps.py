"""the TSA's ledger of issued time stamps (``ca_sim.time_stamp_ledger``): one row per token, by serial

Revision ID: 0011
Revises: 0010
Created: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tsa_time_stamps",
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("gen_time", sa.DateTime(), nullable=False),
        sa.Column("policy", sa.String(length=64), nullable=False),
        sa.Column("imprint_algorithm", sa.String(length=64), nullable=False),
        sa.Column("imprint", sa.String(length=128), nullable=False),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("tsa_certificate_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("serial"),
    )
    with op.batch_alter_table("tsa_time_stamps", schema=None) as batch_op:
        batch_op.create_index("ix_tsa_time_stamps_gen_time", ["gen_time"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tsa_time_stamps", schema=None) as batch_op:
        batch_op.drop_index("ix_tsa_time_stamps_gen_time")
    op.drop_table("tsa_time_stamps")
