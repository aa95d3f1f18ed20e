"""The project's one error hierarchy.

Domain code raises these; only ``api/`` turns them into HTTP problem documents
(RFC 9457). Each class fixes the HTTP-ish category; each instance carries a stable
machine ``code``, a message a person can act on, and optional structured ``data``.

Raise for misuse, undecodable input, not-found, refusals and conflicts. Anything
the verifier managed to evaluate is a *verdict*, not an exception.
"""

from __future__ import annotations

from typing import Any


class KzPkiError(Exception):
    """Base class. ``code`` is stable and documented; ``message`` is for people."""

    category = "error"

    def __init__(self, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class InvalidInput(KzPkiError):
    """The input cannot be decoded or is structurally wrong (garbage base64, truncated DER, ...)."""

    category = "invalid_input"


class Unauthenticated(KzPkiError):
    """No or unknown credentials."""

    category = "unauthenticated"


class Forbidden(KzPkiError):
    """Authenticated, but the role or CA scope does not allow the action."""

    category = "forbidden"


class NotFound(KzPkiError):
    """The named object (CA, certificate, account, challenge) does not exist."""

    category = "not_found"


class Conflict(KzPkiError):
    """The action conflicts with the current state (e.g. revoking a revoked certificate)."""

    category = "conflict"


class Refused(KzPkiError):
    """A rule of the law refuses the request (e.g. EDS-14-1 refusals of issuance)."""

    category = "refused"


class UnsupportedAlgorithm(KzPkiError):
    """An algorithm we do not implement. Never a pass, never a crash."""

    category = "unsupported"
