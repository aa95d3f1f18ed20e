"""Alembic's environment: every run goes through :func:`api.schema.run_migrations` (lock, baseline)."""

from alembic import context

from api.schema import run_migrations

run_migrations(context)
