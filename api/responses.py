"""Response headers the endpoints share."""

from __future__ import annotations

from flask import Response


def no_store(response: Response) -> Response:
    """``response`` marked ``Cache-Control: no-store``: answers about a person, a one-time secret or a
    moment's state are kept by no cache. Returns the same response."""
    response.headers["Cache-Control"] = "no-store"
    return response
