"""The ``kzpki`` command line. Each area registers its commands from ``api/commands/``."""

from __future__ import annotations

import click

from api.commands import ca, db, registry, serve, unis, verify


@click.group()
def cli() -> None:
    """Simulated Kazakh PKI and EDS verification service."""


for _area in (ca, registry, verify, unis, serve, db):
    _area.register(cli)


def main() -> None:
    """Console-script entry point."""
    cli()
