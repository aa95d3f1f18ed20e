"""The schema of the last release without migrations (commit 44a99e4, made by ``create_all``).

A database that release created has these tables but no ``alembic_version``; :mod:`api.schema` stamps it
with this revision before upgrading, so the data it holds carries over.

Revision ID: 0001
Revises:
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column(
            "seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index(op.f("ix_audit_entries_action"), "audit_entries", ["action"], unique=False)
    op.create_index(op.f("ix_audit_entries_at"), "audit_entries", ["at"], unique=False)
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ca_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ca_id", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("key_algorithm", sa.String(length=16), nullable=False),
        sa.Column("certificate_der", sa.LargeBinary(), nullable=False),
        sa.Column("encrypted_key", sa.LargeBinary(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ca_id", "purpose", "generation", name="uq_ca_keys_generation"),
    )
    op.create_table(
        "court_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=False),
        sa.Column("court", sa.String(length=200), nullable=False),
        sa.Column("document_ref", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.DateTime(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_court_orders_iin", "court_orders", ["iin"], unique=False)
    op.create_table(
        "crl_issues",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ca_id", sa.String(length=16), nullable=False),
        sa.Column("crl_number", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("this_update", sa.DateTime(), nullable=False),
        sa.Column("next_update", sa.DateTime(), nullable=False),
        sa.Column("base_crl_number", sa.BigInteger(), nullable=True),
        sa.Column("status_version", sa.BigInteger(), nullable=False),
        sa.Column("entries", sa.BigInteger(), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ca_id", "crl_number", name="uq_crl_issues_number"),
    )
    op.create_index("ix_crl_issues_latest", "crl_issues", ["ca_id", "kind", "this_update"], unique=False)
    op.create_table(
        "issued_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ca_id", sa.String(length=16), nullable=False),
        sa.Column("serial", sa.String(length=42), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_cn", sa.String(length=256), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ca_id", "serial", name="uq_issued_certificates_ca_serial"),
    )
    op.create_index("ix_issued_certificates_iin", "issued_certificates", ["iin"], unique=False)
    op.create_table(
        "operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("ca_ids", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index(op.f("ix_operators_token_hash"), "operators", ["token_hash"], unique=True)
    op.create_table(
        "revocation_state",
        sa.Column("ca_id", sa.String(length=16), nullable=False),
        sa.Column("status_version", sa.BigInteger(), nullable=False),
        sa.Column("crl_number", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("ca_id"),
    )
    op.create_table(
        "revocations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ca_id", sa.String(length=16), nullable=False),
        sa.Column("serial", sa.String(length=42), nullable=False),
        sa.Column("ground", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("revocation_time", sa.DateTime(), nullable=False),
        sa.Column("invalidity_date", sa.DateTime(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("document_ref", sa.String(length=300), nullable=False),
        sa.Column("effective_from", sa.DateTime(), nullable=False),
        sa.Column("effective_until", sa.DateTime(), nullable=True),
        sa.Column("end_action", sa.String(length=16), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.Column("end_document_ref", sa.String(length=300), nullable=True),
        sa.Column("started_version", sa.BigInteger(), nullable=False),
        sa.Column("ended_version", sa.BigInteger(), nullable=True),
        sa.Column("entry_der", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revocations_ended", "revocations", ["ca_id", "ended_version"], unique=False)
    op.create_index("ix_revocations_from", "revocations", ["ca_id", "effective_from"], unique=False)
    op.create_index(
        "ix_revocations_serial", "revocations", ["ca_id", "serial", "effective_from"], unique=False
    )
    op.create_index("ix_revocations_started", "revocations", ["ca_id", "started_version"], unique=False)
    op.create_index("ix_revocations_until", "revocations", ["ca_id", "effective_until"], unique=False)
    op.create_table(
        "revocations_archive",
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ca_id", sa.String(length=16), nullable=False),
        sa.Column("serial", sa.String(length=42), nullable=False),
        sa.Column("ground", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("revocation_time", sa.DateTime(), nullable=False),
        sa.Column("invalidity_date", sa.DateTime(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("document_ref", sa.String(length=300), nullable=False),
        sa.Column("effective_from", sa.DateTime(), nullable=False),
        sa.Column("effective_until", sa.DateTime(), nullable=True),
        sa.Column("end_action", sa.String(length=16), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.Column("end_document_ref", sa.String(length=300), nullable=True),
        sa.Column("started_version", sa.BigInteger(), nullable=False),
        sa.Column("ended_version", sa.BigInteger(), nullable=True),
        sa.Column("entry_der", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_revocations_archive_ended", "revocations_archive", ["ca_id", "ended_version"], unique=False
    )
    op.create_index(
        "ix_revocations_archive_from", "revocations_archive", ["ca_id", "effective_from"], unique=False
    )
    op.create_index(
        "ix_revocations_archive_serial",
        "revocations_archive",
        ["ca_id", "serial", "effective_from"],
        unique=False,
    )
    op.create_index(
        "ix_revocations_archive_started", "revocations_archive", ["ca_id", "started_version"], unique=False
    )
    op.create_index(
        "ix_revocations_archive_until", "revocations_archive", ["ca_id", "effective_until"], unique=False
    )
    op.create_table(
        "unis_accounts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("chamber", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.String(length=64), nullable=True),
        sa.Column("suspended_until", sa.DateTime(), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_unis_accounts_iin"), "unis_accounts", ["iin"], unique=True)
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
    op.create_table(
        "unis_login_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("challenge_id", sa.String(length=43), nullable=True),
        sa.Column("iin_masked", sa.String(length=12), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("signature_format", sa.String(length=8), nullable=False),
        sa.Column("certificate_issuer", sa.String(length=500), nullable=True),
        sa.Column("certificate_serial", sa.String(length=64), nullable=True),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=True),
        sa.Column("indication", sa.String(length=32), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_unis_login_records_account_id"), "unis_login_records", ["account_id"], unique=False
    )
    op.create_index(op.f("ix_unis_login_records_at"), "unis_login_records", ["at"], unique=False)
    op.create_index(
        op.f("ix_unis_login_records_challenge_id"), "unis_login_records", ["challenge_id"], unique=False
    )
    op.create_table(
        "unis_account_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("until", sa.DateTime(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["unis_accounts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_unis_account_events_account_id"), "unis_account_events", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_unis_account_events_account_id"), table_name="unis_account_events")
    op.drop_table("unis_account_events")
    op.drop_index(op.f("ix_unis_login_records_challenge_id"), table_name="unis_login_records")
    op.drop_index(op.f("ix_unis_login_records_at"), table_name="unis_login_records")
    op.drop_index(op.f("ix_unis_login_records_account_id"), table_name="unis_login_records")
    op.drop_table("unis_login_records")
    op.drop_index(op.f("ix_unis_challenges_expires_at"), table_name="unis_challenges")
    op.drop_table("unis_challenges")
    op.drop_index(op.f("ix_unis_accounts_iin"), table_name="unis_accounts")
    op.drop_table("unis_accounts")
    op.drop_index("ix_revocations_archive_until", table_name="revocations_archive")
    op.drop_index("ix_revocations_archive_started", table_name="revocations_archive")
    op.drop_index("ix_revocations_archive_serial", table_name="revocations_archive")
    op.drop_index("ix_revocations_archive_from", table_name="revocations_archive")
    op.drop_index("ix_revocations_archive_ended", table_name="revocations_archive")
    op.drop_table("revocations_archive")
    op.drop_index("ix_revocations_until", table_name="revocations")
    op.drop_index("ix_revocations_started", table_name="revocations")
    op.drop_index("ix_revocations_serial", table_name="revocations")
    op.drop_index("ix_revocations_from", table_name="revocations")
    op.drop_index("ix_revocations_ended", table_name="revocations")
    op.drop_table("revocations")
    op.drop_table("revocation_state")
    op.drop_index(op.f("ix_operators_token_hash"), table_name="operators")
    op.drop_table("operators")
    op.drop_index("ix_issued_certificates_iin", table_name="issued_certificates")
    op.drop_table("issued_certificates")
    op.drop_index("ix_crl_issues_latest", table_name="crl_issues")
    op.drop_table("crl_issues")
    op.drop_index("ix_court_orders_iin", table_name="court_orders")
    op.drop_table("court_orders")
    op.drop_table("ca_keys")
    op.drop_table("audit_head")
    op.drop_index(op.f("ix_audit_entries_at"), table_name="audit_entries")
    op.drop_index(op.f("ix_audit_entries_action"), table_name="audit_entries")
    op.drop_table("audit_entries")
