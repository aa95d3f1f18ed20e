"""Option values shared by the ``kzpki`` commands."""

from __future__ import annotations

import datetime as dt

import click

from pki.calendar import parse_instant


def parse_time(text: str, option: str) -> dt.datetime:
    """``text`` given to ``option`` as a UTC instant: an ISO 8601 time (no zone means UTC) or a date (the
    start of that Kazakh day, KZ-TIME). Raises click.BadParameter naming ``option``."""
    try:
        return parse_instant(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date or time: {text!r}", param_hint=option) from None
