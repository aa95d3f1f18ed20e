"""Operator accounts of the CAs: roles, CA scopes, bearer tokens (personal-data law Art. 22; EDS-21).

Roles (:class:`Role`) and what each may do (:data:`ROLE_PERMISSIONS`) are data. An ``operator`` acts only on
the CAs in its scope (an operator of ``gov`` cannot revoke an ``nca`` certificate); a ``tester`` may issue
test certificates but never revoke, and only on a deployment in test mode (:data:`TEST_MODE_ROLES`: such an
account cannot be created, and an existing one is refused ``test_mode_only``, in production: a tester can
never mint a certificate a production login accepts for someone else's IIN; what it issues in test mode
carries the test-certificate policy that production verification refuses); a ``security_officer`` manages
operators, archives and publishes but does not touch certificates (separation of duties); an ``auditor`` only
reads the audit log.

Tokens (``ca_sim.operator_tokens``) are 256 random bits, shown once at creation, stored only as their
SHA-256, each with an expiry, and revocable one by one; the comparison is constant time. Every refusal
(missing, wrong, expired or revoked token, role or scope) and every token made or revoked is written to the
audit log.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from sqlalchemy import Boolean, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.audit import AuditLog, Outcome
from ca_sim.db import Base, UtcDateTime
from ca_sim.operator_tokens import (
    DEFAULT_TOKEN_LIFETIME,
    OperatorToken,
    TokenInfo,
    hash_token,
    token_lifetime,
)
from pki.calendar import ensure_utc
from pki.errors import Conflict, ErrorCode, Forbidden, InvalidInput, NotFound, Unauthenticated

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
_CA_ID = re.compile(r"^[a-z][a-z0-9_]{1,15}$")


class Role(StrEnum):
    OPERATOR = "operator"  # CA operator, scoped to one or more CA ids
    SECURITY_OFFICER = "security_officer"
    AUDITOR = "auditor"
    TESTER = "tester"


class Action(StrEnum):
    """What an operator asks to do. CA-scoped actions name the CA they act on."""

    ISSUE = "issue"
    REVOKE = "revoke"  # EDS-18, EDS-17
    HOLD = "hold"
    RELEASE = "release"
    LOOKUP_OWNER = "lookup_owner"  # read an owner's register entries by IIN (personal-data law Art. 22, 24)
    PUBLISH_CRL = "publish_crl"  # EDS-18.3: on-demand publication
    MANAGE_UNIS_ACCOUNTS = "manage_unis_accounts"  # UNIS-4 .. UNIS-6
    MANAGE_OPERATORS = "manage_operators"
    ARCHIVE = "archive"  # EDS-16
    READ_AUDIT = "read_audit"


# Roles that exist only on a deployment in test mode (KZPKI_TEST_PKI=1), never in production.
TEST_MODE_ROLES = frozenset({Role.TESTER})

# Actions whose CA must be in an ``operator``'s scope.
CA_SCOPED_ACTIONS = frozenset({Action.ISSUE, Action.REVOKE, Action.HOLD, Action.RELEASE, Action.PUBLISH_CRL})

ROLE_PERMISSIONS: MappingProxyType[Role, frozenset[Action]] = MappingProxyType(
    {
        Role.OPERATOR: frozenset(
            {
                Action.ISSUE,
                Action.REVOKE,
                Action.HOLD,
                Action.RELEASE,
                Action.LOOKUP_OWNER,
                Action.PUBLISH_CRL,
                Action.MANAGE_UNIS_ACCOUNTS,
            }
        ),
        Role.SECURITY_OFFICER: frozenset(
            {Action.MANAGE_OPERATORS, Action.ARCHIVE, Action.PUBLISH_CRL, Action.READ_AUDIT}
        ),
        Role.AUDITOR: frozenset({Action.READ_AUDIT}),
        Role.TESTER: frozenset({Action.ISSUE}),  # test certificates; never revocation
    }
)


class OperatorAccount(Base):
    """A stored operator; its bearer tokens are :class:`ca_sim.operator_tokens.OperatorToken` rows."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    ca_ids: Mapped[str] = mapped_column(String(200))  # space-separated scope, "" for unscoped roles
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


@dataclass(frozen=True)
class Operator:
    """An authenticated operator. ``ca_ids`` is the scope of an ``operator``; empty for other roles."""

    name: str
    role: Role
    ca_ids: frozenset[str]


@dataclass(frozen=True)
class AuditedAs:
    """How a refused authentication is recorded: the action, its target and extra details."""

    action: str = "authenticate"
    target: str = "-"
    details: Mapping[str, Any] = field(default_factory=dict)


def _to_operator(row: OperatorAccount) -> Operator:
    return Operator(row.name, Role(row.role), frozenset(row.ca_ids.split()))


def _token_info(token: OperatorToken, account: OperatorAccount) -> TokenInfo:
    return TokenInfo(
        id=token.id,
        operator=account.name,
        role=account.role,
        ca_ids=tuple(account.ca_ids.split()),
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        account_active=account.active,
    )


class OperatorDirectory:
    """Operator accounts over ``sm``; refusals and changes are recorded in ``audit``."""

    def __init__(
        self,
        sm: sessionmaker[Session],
        audit: AuditLog,
        *,
        test_mode: bool = False,
        token_lifetime: dt.timedelta = DEFAULT_TOKEN_LIFETIME,
    ) -> None:
        self._sm = sm
        self._audit = audit
        self.test_mode = test_mode  # True only on a test deployment: TEST_MODE_ROLES work there alone
        self.token_lifetime = token_lifetime  # of a new token when none is given

    def add(
        self,
        name: str,
        role: Role | str,
        ca_ids: Iterable[str],
        at: dt.datetime,
        created_by: str,
        lifetime: dt.timedelta | None = None,
    ) -> tuple[Operator, str]:
        """Create an operator and return it with its first bearer token (the only time the token exists in
        clear), valid ``lifetime`` from ``at`` (default: the directory's ``token_lifetime``).

        An ``operator`` needs at least one CA id; other roles take none. Raises InvalidInput
        (``invalid_operator``) for a bad name, role, scope or lifetime, (``test_mode_only``) for a tester
        outside test mode, Conflict (``operator_exists``) for a taken name.
        """
        lifetime = token_lifetime(self.token_lifetime if lifetime is None else lifetime)
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput(ErrorCode.INVALID_OPERATOR, f"unknown role {role!r}", field="role") from None
        scope = sorted(set(ca_ids))
        if role in TEST_MODE_ROLES and not self.test_mode:
            raise InvalidInput(
                ErrorCode.TEST_MODE_ONLY,
                f"the {role.value} role exists only on a test deployment",
                field="role",
            )
        if not _NAME.match(name):
            raise InvalidInput(ErrorCode.INVALID_OPERATOR, "name: 2-64 letters, digits, '._@-'", field="name")
        if any(not _CA_ID.match(ca) for ca in scope):
            raise InvalidInput(ErrorCode.INVALID_OPERATOR, "a CA id is malformed", field="ca_ids")
        if (role is Role.OPERATOR) != bool(scope):
            raise InvalidInput(
                ErrorCode.INVALID_OPERATOR,
                "an operator needs a CA scope; other roles have none",
                field="ca_ids",
            )
        at = ensure_utc(at)
        try:
            with self._sm.begin() as session:
                account = OperatorAccount(
                    name=name, role=role.value, ca_ids=" ".join(scope), created_at=at, active=True
                )
                session.add(account)
                session.flush()
                token, row = self._issue_in(session, account, at, lifetime)
                details = {
                    "role": role.value,
                    "ca_ids": scope,
                    "token_id": row.id,
                    "expires_at": row.expires_at,
                }
                self._audit.record_in(session, created_by, "add_operator", name, Outcome.SUCCESS, details, at)
        except IntegrityError:
            raise Conflict(ErrorCode.OPERATOR_EXISTS, f"an operator named {name!r} exists") from None
        return Operator(name, role, frozenset(scope)), token

    def issue_token(
        self, name: str, at: dt.datetime, issued_by: str, lifetime: dt.timedelta | None = None
    ) -> str:
        """A further bearer token for the operator ``name`` (e.g. to replace one about to expire), valid
        ``lifetime`` from ``at``; shown this once. Audited. Raises NotFound (``unknown_operator``) and
        InvalidInput (``invalid_operator``) for a lifetime out of range."""
        lifetime = token_lifetime(self.token_lifetime if lifetime is None else lifetime)
        at = ensure_utc(at)
        with self._sm.begin() as session:
            account = session.scalars(
                select(OperatorAccount).where(OperatorAccount.name == name)
            ).one_or_none()
            if account is None:
                raise NotFound(ErrorCode.UNKNOWN_OPERATOR, f"no operator named {name!r}")
            token, row = self._issue_in(session, account, at, lifetime)
            details = {"token_id": row.id, "expires_at": row.expires_at}
            self._audit.record_in(
                session, issued_by, "issue_operator_token", name, Outcome.SUCCESS, details, at
            )
            return token

    @staticmethod
    def _issue_in(
        session: Session, account: OperatorAccount, at: dt.datetime, lifetime: dt.timedelta
    ) -> tuple[str, OperatorToken]:
        """A new token of ``account`` in the caller's transaction: the token in clear and its row."""
        token = secrets.token_urlsafe(32)
        row = OperatorToken(
            operator_id=account.id, token_hash=hash_token(token), created_at=at, expires_at=at + lifetime
        )
        session.add(row)
        session.flush()
        return token, row

    def tokens(self) -> list[TokenInfo]:
        """Every token, oldest first, as :class:`TokenInfo` (no secret, no hash)."""
        statement = (
            select(OperatorToken, OperatorAccount)
            .join(OperatorAccount, OperatorToken.operator_id == OperatorAccount.id)
            .order_by(OperatorToken.id)
        )
        with self._sm() as session:
            return [_token_info(token, account) for token, account in session.execute(statement).all()]

    def token(self, token_id: int) -> TokenInfo:
        """The token ``token_id`` as :class:`TokenInfo`. Raises NotFound (``unknown_token``)."""
        with self._sm() as session:
            token = session.get(OperatorToken, token_id)
            if token is None:
                raise NotFound(ErrorCode.UNKNOWN_TOKEN, f"no operator token {token_id}")
            return _token_info(token, session.get_one(OperatorAccount, token.operator_id))

    def revoke_token(self, token_id: int, at: dt.datetime, revoked_by: str) -> TokenInfo:
        """Revoke the token ``token_id``: refused ``token_revoked`` from its next use. Audited.

        Raises NotFound (``unknown_token``), Conflict (``token_revoked``) when it is revoked already.
        """
        at = ensure_utc(at)
        with self._sm.begin() as session:
            token = session.get(OperatorToken, token_id, with_for_update=True)
            if token is None:
                raise NotFound(ErrorCode.UNKNOWN_TOKEN, f"no operator token {token_id}")
            account = session.get_one(OperatorAccount, token.operator_id)
            if token.revoked_at is not None:
                raise Conflict(ErrorCode.TOKEN_REVOKED, f"operator token {token_id} is revoked already")
            token.revoked_at, token.revoked_by = at, revoked_by
            details = {"token_id": token_id}
            self._audit.record_in(
                session, revoked_by, "revoke_operator_token", account.name, Outcome.SUCCESS, details, at
            )
            return _token_info(token, account)

    def disable(self, name: str, at: dt.datetime, disabled_by: str) -> None:
        """Deactivate ``name``: its token stops working at once. Raises NotFound (``unknown_operator``)."""
        with self._sm.begin() as session:
            row = session.scalars(select(OperatorAccount).where(OperatorAccount.name == name)).one_or_none()
            if row is None:
                raise NotFound(ErrorCode.UNKNOWN_OPERATOR, f"no operator named {name!r}")
            row.active = False
            self._audit.record_in(session, disabled_by, "disable_operator", name, Outcome.SUCCESS, None, at)

    def authenticate(
        self, token: str | None, at: dt.datetime, *, audited_as: AuditedAs | None = None
    ) -> Operator:
        """The active operator holding ``token``, a token neither revoked nor expired at ``at``.

        Raises Unauthenticated ``missing_token`` (None/empty), ``invalid_token`` (unknown, or its account
        disabled), ``token_revoked`` or ``token_expired`` (``at`` at or past its ``expires_at``), after
        recording the refusal once: as ``authenticate``, or as ``audited_as`` says (the console's sign-in
        records its refusals as ``console_sign_in`` with the client address).
        """
        audited = audited_as or AuditedAs()
        if not token:
            self._refuse_authentication(ErrorCode.MISSING_TOKEN, at, audited)
            raise Unauthenticated(ErrorCode.MISSING_TOKEN, "an operator token is required")
        digest = hash_token(token)
        statement = (
            select(OperatorToken, OperatorAccount)
            .join(OperatorAccount, OperatorToken.operator_id == OperatorAccount.id)
            .where(OperatorToken.token_hash == digest)
        )
        with self._sm() as session:
            found = session.execute(statement).one_or_none()
        if found is None or not found[1].active or not hmac.compare_digest(found[0].token_hash, digest):
            self._refuse_authentication(ErrorCode.INVALID_TOKEN, at, audited)
            raise Unauthenticated(ErrorCode.INVALID_TOKEN, "the operator token is not valid")
        row, account = found
        if row.revoked_at is not None:
            self._refuse_authentication(ErrorCode.TOKEN_REVOKED, at, audited)
            raise Unauthenticated(ErrorCode.TOKEN_REVOKED, "the operator token was revoked")
        if ensure_utc(at) >= row.expires_at:
            self._refuse_authentication(ErrorCode.TOKEN_EXPIRED, at, audited)
            raise Unauthenticated(
                ErrorCode.TOKEN_EXPIRED, "the operator token has expired; ask for a new one"
            )
        return _to_operator(account)

    def authorize(
        self, operator: Operator, action: Action | str, at: dt.datetime, ca_id: str | None = None
    ) -> None:
        """Return if ``operator`` may do ``action`` (on ``ca_id`` for CA-scoped actions), else raise.

        Raises Forbidden ``role_forbidden`` (the role never may), ``ca_out_of_scope`` (an ``operator``
        acting on a CA outside its scope, or a CA-scoped action without a CA) or ``test_mode_only`` (a
        tester on a production deployment), after recording the refusal.
        """
        action = Action(action)
        code = refusal_code(operator, action, ca_id)
        if code is None and operator.role in TEST_MODE_ROLES and not self.test_mode:
            code = ErrorCode.TEST_MODE_ONLY
        if code is None:
            return
        target = ca_id or "-"
        self._audit.record(operator.name, action.value, target, Outcome.REFUSED, {"code": code}, at)
        raise Forbidden(code, f"{operator.role.value} {operator.name!r} may not {action.value} on {target}")

    def _refuse_authentication(self, code: ErrorCode, at: dt.datetime, audited: AuditedAs) -> None:
        details = {"code": code, **audited.details}
        self._audit.record("anonymous", audited.action, audited.target, Outcome.REFUSED, details, at)


def refusal_code(operator: Operator, action: Action, ca_id: str | None) -> ErrorCode | None:
    """The refusal code for ``operator`` doing ``action`` on ``ca_id``, or None when allowed."""
    if action not in ROLE_PERMISSIONS[operator.role]:
        return ErrorCode.ROLE_FORBIDDEN
    if operator.role is Role.OPERATOR and action in CA_SCOPED_ACTIONS and ca_id not in operator.ca_ids:
        return ErrorCode.CA_OUT_OF_SCOPE
    return None
