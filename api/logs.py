"""Logging that never holds a full IIN, a key, a password or a token (personal-data law Art. 22).

:class:`ScrubbingFilter` sits on every handler (:func:`api.observability.structured.configure_logging`):
every record's final message has any standalone 12-digit number (IIN/BIN) masked to its last four digits
and any ``Bearer`` credential replaced. Code must still not pass secrets to a logger; this is the safety net.
"""

from __future__ import annotations

import logging
import re

from pki.iin import mask

_TWELVE_DIGITS = re.compile(r"(?<![0-9A-Za-z])((?:IIN|BIN)?)(\d{12})(?![0-9A-Za-z])")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def scrub(text: str) -> str:
    """``text`` with IINs/BINs masked and bearer tokens removed."""
    text = _TWELVE_DIGITS.sub(lambda m: m.group(1) + mask(m.group(2)), text)
    return _BEARER.sub(r"\1[redacted]", text)


class ScrubbingFilter(logging.Filter):
    """Rewrites each record's message (args merged in) and exception text through :func:`scrub`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
