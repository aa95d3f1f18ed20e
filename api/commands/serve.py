"""`kzpki` commands for this area (filled in by its owner)."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this area's commands to ``cli``."""
