"""`kzpki db upgrade | current | revision`: the database schema's migrations (``api.schema``)."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import create_engine

from api import schema
from api.config import load_settings


def register(cli: click.Group) -> None:
    """Add ``db`` to ``cli``."""
    cli.add_command(db)


@click.group()
def db() -> None:
    """The database schema (KZPKI_DATABASE_URL): Alembic migrations."""


@db.command("upgrade")
def upgrade() -> None:
    """Bring the database to the newest schema revision, keeping its data (serve does this at start)."""
    engine = create_engine(load_settings().database_url)
    try:
        before, after = schema.upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"at {after} (newest): nothing to do")
    else:
        click.echo(f"upgraded {before or 'an empty database'} -> {after}")


@db.command("current")
def current() -> None:
    """Print the database's schema revision and the newest one; exit 1 when it is behind."""
    engine = create_engine(load_settings().database_url)
    try:
        with engine.connect() as connection:
            revision = schema.current(connection)
    finally:
        engine.dispose()
    newest = schema.head()
    click.echo(f"database at {revision or 'none'}, newest {newest}")
    if revision != newest:
        raise SystemExit(1)


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the schema change is, in a few words.")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write it (default: api/migrations/versions).",
)
def revision(message: str, directory: Path | None) -> None:
    """For developers: write the next migration from the models' difference to the newest revision."""
    click.echo(schema.new_revision(message, directory))
