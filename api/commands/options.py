"""Option values shared by the ``kzpki`` commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pki.calendar import parse_instant
from pki.errors import InvalidInput

_F = TypeVar("_F", bound=Callable[..., Any])

# A file that must exist, given to the command as a Path.
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def parse_time(text: str, option: str) -> dt.datetime:
    """``text`` given to ``option`` as a UTC instant: an ISO 8601 time (no zone means UTC) or a date (the
    start of that Kazakh day, KZ-TIME), in [1950, 9000) UTC. Raises click.BadParameter naming ``option``."""
    try:
        return parse_instant(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date or time: {text!r}", param_hint=option) from None
    except InvalidInput as exc:
        raise click.BadParameter(f"{exc.code}: {exc.message}", param_hint=option) from None


def repeatable_files(flag: str, name: str, help_text: str) -> Callable[[_F], _F]:
    """A repeatable ``flag`` naming existing files, passed to the command as a tuple of Paths ``name``."""
    return click.option(flag, name, multiple=True, type=EXISTING_FILE, help=help_text)
