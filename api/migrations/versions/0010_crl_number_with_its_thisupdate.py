"""the thisUpdate of the last CRL number given out, per CA (CRL numbers in time order, RFC 5280 5.2.3)

``revocation_state.crl_this_update``: NULL until the CA's next CRL is numbered after the upgrade (no
earlier instant is known; the next CRL's own thisUpdate becomes the floor for the ones after it).

Revision ID: 0010
Revises: 0009
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revocation_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("crl_this_update", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revocation_state", schema=None) as batch_op:
        batch_op.drop_column("crl_this_update")
