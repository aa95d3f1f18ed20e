"""JSON encoding for the API's responses and the database's JSON columns, by orjson.

Every response body is JSON, and each login writes its verdict's checks into a JSON column: the standard
library's encoder (C, but calling back into Python for every container) cost ~0.6 M instructions per login,
a tenth of the login (callgrind, 2026-12-03); orjson encodes the same values several times faster.

The output is what Flask's own provider gives (``ensure_ascii=False``, no sorting, compact): the same
values, for the types Flask knows, because dates, times and dataclasses are handed to Flask's ``default``
as the standard encoder hands them (http-date for dates; dataclasses as dicts), as are decimals and
anything else orjson does not encode itself. Non-string keys are written as strings, as the standard
encoder writes them. Where the two differ: orjson writes NaN and infinities as ``null`` (the standard
encoder writes ``NaN``, which is not JSON), and refuses integers beyond 64 bits (TypeError, as for any
value it cannot encode). Pretty-printing (Flask's debug mode) stays with the standard encoder.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS


def dumps_text(value: Any) -> str:
    """``value`` as compact JSON text (the database's JSON columns). Raises TypeError for a value that is
    not JSON (as ``json.dumps`` does)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson for compact output (see the module docstring); parsing is Flask's."""

    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text; with ``indent`` (debug pretty-printing) or other encoder options, Flask's
        own. Raises TypeError for a value that is not JSON."""
        if kwargs and kwargs != {"separators": (",", ":")}:
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=_OPTIONS).decode("utf-8")
