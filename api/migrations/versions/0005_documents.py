"""state-body documents, access grants and views (DD-8, DD-9, DD-14)

Revision ID: 0005
Revises: 0004
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("signature_sha256", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("signature_format", sa.String(length=8), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("document_type", sa.String(length=100), nullable=True),
        sa.Column("owner_iin", sa.String(length=12), nullable=False),
        sa.Column("signers", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.JSON(), nullable=False),
        sa.Column("indication", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signature_sha256"),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_owner_iin"), ["owner_iin"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_submitted_at"), ["submitted_at"], unique=False)

    op.create_table(
        "document_grants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_sha256"),
    )
    with op.batch_alter_table("document_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_grants_document_id"), ["document_id"], unique=False)

    op.create_table(
        "document_views",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("current_indication", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["document_grants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("document_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_views_grant_id"), ["grant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_views_grant_id"))

    op.drop_table("document_views")
    with op.batch_alter_table("document_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_grants_document_id"))

    op.drop_table("document_grants")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_documents_owner_iin"))

    op.drop_table("documents")
