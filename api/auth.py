"""Operator authentication and authorisation at the web edge (bearer tokens, roles, CA scopes).

The decisions are ``ca_sim.operators``' (roles and scopes as data); this module reads the
``Authorization: Bearer <token>`` header and asks. Every refusal (missing or unknown token, a role
that may never, a CA outside the operator's scope) is written to the audit log by the directory
before the error becomes a 401/403 problem document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, request

from api.services import Services
from ca_sim.audit import Outcome
from ca_sim.operators import Action, Operator
from pki.errors import KzPkiError

MAX_TOKEN_CHARS = 200
_View = TypeVar("_View", bound=Callable[..., Any])


def services() -> Services:
    """The current app's :class:`Services`."""
    return cast(Services, current_app.extensions["kzpki"])


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header; None when absent or not a bearer credential."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
        return None
    return token


def authorize(action: Action, ca_id: str | None = None) -> Operator:
    """The operator of this request, allowed to do ``action`` (on ``ca_id``); kept in ``g.operator``.

    Raises Unauthenticated (``missing_token`` / ``invalid_token`` / ``token_expired`` / ``token_revoked``)
    or Forbidden (``role_forbidden`` / ``ca_out_of_scope``), each audited.
    """
    ctx = services()
    at = ctx.clock()
    operator = ctx.operators.authenticate(bearer_token(), at)
    ctx.operators.authorize(operator, action, at, ca_id=ca_id)
    g.operator = operator
    return operator


def requires(action: Action, *, ca_id_arg: str | None = None) -> Callable[[_View], _View]:
    """Decorate a view: the request must come from an operator allowed ``action``, on the CA named by the
    view argument ``ca_id_arg`` when given. The view reads the operator from ``g.operator``."""

    def decorate(view: _View) -> _View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            authorize(action, None if ca_id_arg is None else kwargs[ca_id_arg])
            return view(*args, **kwargs)

        guarded.required_action = action  # type: ignore[attr-defined]  # read by api.openapi (security)
        return cast(_View, guarded)

    return decorate


def current_operator() -> Operator:
    """The operator :func:`authorize` admitted for this request."""
    return cast(Operator, g.operator)


SUBJECT = "subject_iin"  # the key of audited()'s facts naming the person concerned (never recorded)


@contextmanager
def audited(
    action: str, target: str, details: dict[str, Any] | None = None, *, subject: str | None = None
) -> Iterator[dict[str, Any]]:
    """Record the current operator's ``action`` on ``target`` in the audit log: success when the block
    completes, refused (with the error code) when it raises a domain error. Full IINs are scrubbed by the
    audit log. The yielded dict can take more details before the block ends.

    ``subject`` is the IIN of the person whose data the action reads or changes (PD-22, PD-24: the owner
    is shown the entry); a block that learns it only inside sets ``facts[SUBJECT]`` instead.
    """
    ctx = services()
    operator = current_operator()
    facts = dict(details or {})
    try:
        yield facts
    except KzPkiError as exc:
        facts["code"] = exc.code
        who = facts.pop(SUBJECT, subject)
        ctx.audit.record(operator.name, action, target, Outcome.REFUSED, facts, ctx.clock(), subject=who)
        raise
    who = facts.pop(SUBJECT, subject)
    ctx.audit.record(operator.name, action, target, Outcome.SUCCESS, facts, ctx.clock(), subject=who)
