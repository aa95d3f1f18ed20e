"""Operators' console credentials: a login name, a password and a TOTP code (RFC 6238) (EDS-21, PD-22).

Issued by the host administrator (``kzpki operators add`` / ``kzpki operators credentials``), shown once:
the password (:data:`PASSWORD_CHARS` random URL-safe characters, about 120 bits) and the TOTP secret (160
random bits, as an ``otpauth://`` URI for an authenticator app: SHA-1, 6 digits, 30-second steps, the
parameters every authenticator app supports).

At rest neither is in clear. The password is kept as scrypt (RFC 7914; N=2**14, r=8, p=5: 16 MiB, one of
OWASP's Password Storage Cheat Sheet's equivalent settings), parameters and 16-octet salt stored with the
hash. The TOTP secret is sealed with AES-256-GCM under the key-encryption key derived from the CA
passphrase (``ca_sim.keywrap``, as the CA keys are), the row's operator id bound as associated data: a copy
of the database gives neither a password nor a code generator.

An operator changes their own password (:meth:`OperatorCredentials.change_password`) by giving the
current password and a fresh TOTP code, exactly as at sign-in (the code's step is used up). The new one
must follow :func:`check_new_password` (NIST SP 800-63B 3.1.1.2: a minimum length, no composition rules,
no context-specific words); the TOTP secret stays. The change counts as a new credential: every password
session opened before it ends at its next request, as after ``kzpki operators credentials``.

Sign-in (:meth:`OperatorCredentials.authenticate`) accepts a code of the current 30-second step or one
step either side (clock drift), and each step once: the step of an accepted code is stored and a code of
that step or an earlier one is refused (RFC 6238 5.2), by one conditional UPDATE, so two requests racing
with the same code cannot both win. Every refusal answers the single code ``invalid_credentials`` (no
oracle telling which part was wrong) and is audited once with its cause; an unknown name costs the same
scrypt as a known one.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn, cast

import pyotp
from sqlalchemy import BigInteger, CursorResult, ForeignKey, LargeBinary, String, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.audit import AuditLog, Outcome
from ca_sim.db import Base, UtcDateTime
from ca_sim.keywrap import WrappingKey, open_secret
from ca_sim.operator_tokens import ACTOR_CHARS
from ca_sim.operators import AuditedAs, Operator, OperatorAccount, Role
from pki.calendar import ensure_utc
from pki.errors import ErrorCode, InvalidInput, NotFound, Unauthenticated

PASSWORD_CHARS = 20  # secrets.token_urlsafe: 6 bits a character
TOTP_STEP_SECONDS = 30  # RFC 6238 4.1 X, the default every authenticator app uses
TOTP_DIGITS = 6
TOTP_DRIFT_STEPS = 1  # a code of the step before or after is accepted too (RFC 6238 5.2)
TOTP_ISSUER = "kzpki"
MAX_PASSWORD_CHARS = 200
# An operator's own password: NIST SP 800-63B asks at least 8 characters; a CA's console asks more.
MIN_NEW_PASSWORD_CHARS = 12
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 5
_SCRYPT_MAXMEM = 64 * 1024 * 1024
_SALT_OCTETS = 16
CHANGE_PASSWORD_ACTION = "change_console_password"  # noqa: S105 - the audit action, not a secret


class OperatorCredential(Base):
    """An operator's console credential: the scrypt hash of the password, the sealed TOTP secret, the step of
    the last accepted code."""

    __tablename__ = "operator_credentials"

    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # scrypt$N$r$p$salt$hash (base64)
    sealed_totp: Mapped[bytes] = mapped_column(LargeBinary)
    last_totp_step: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(ACTOR_CHARS))


class RefusalCause(StrEnum):
    """Why a sign-in was refused: recorded in the audit entry, never told to the client."""

    UNKNOWN_OPERATOR = "unknown_operator"
    OPERATOR_DISABLED = "operator_disabled"
    NO_CREDENTIAL = "no_credential"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a cause's name
    WRONG_CODE = "wrong_code"
    CODE_REUSED = "code_reused"  # a code of a step already used (replay, RFC 6238 5.2)
    CREDENTIAL_REPLACED = "credential_replaced"  # a session opened with credentials since replaced


@dataclass(frozen=True)
class IssuedCredential:
    """What the operator is given, once: the password and the otpauth:// URI of the TOTP secret."""

    operator: str
    password: str
    totp_uri: str = ""


def hash_password(password: str) -> str:
    """The stored form of ``password``: ``scrypt$N$r$p$salt$hash`` with a fresh random salt."""
    salt = secrets.token_bytes(_SALT_OCTETS)
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    encoded = [base64.b64encode(v).decode("ascii") for v in (salt, digest)]
    return "$".join(["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), *encoded])


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` (from :func:`hash_password`) was made of; constant time.
    False for a stored value in no known form."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = (int(v) for v in parts[1:4])
        salt, digest = base64.b64decode(parts[4]), base64.b64decode(parts[5])
        if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False
        return hmac.compare_digest(_scrypt(password, salt, n, r, p), digest)
    except ValueError:
        return False


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    encoded = password.encode("utf-8")[: MAX_PASSWORD_CHARS * 4]
    return hashlib.scrypt(encoded, salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=32)


@functools.cache
def _dummy_hash() -> str:
    """A hash of no one's password, checked for names without a credential (the same cost as a real one)."""
    return hash_password(secrets.token_urlsafe(PASSWORD_CHARS))


def totp_step(at: dt.datetime) -> int:
    """The RFC 6238 time step of ``at``: whole :data:`TOTP_STEP_SECONDS` since the Unix epoch."""
    return int(ensure_utc(at).timestamp()) // TOTP_STEP_SECONDS


def totp_code(secret: str, step: int) -> str:
    """The code of ``secret`` (base32) for time step ``step`` (what an authenticator app shows)."""
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_STEP_SECONDS).at(step * TOTP_STEP_SECONDS)


def _label(operator_id: int) -> bytes:
    return f"operator_credentials/{operator_id}/totp".encode("ascii")


class OperatorCredentials:
    """Console credentials over ``sm``; secrets sealed under ``kek`` (derived from ``passphrase``), every
    change and refusal recorded in ``audit``."""

    def __init__(
        self, sm: sessionmaker[Session], audit: AuditLog, kek: WrappingKey, passphrase: bytes
    ) -> None:
        self._sm = sm
        self._audit = audit
        self._kek = kek
        self._passphrase = passphrase

    def issue(self, name: str, at: dt.datetime, issued_by: str) -> IssuedCredential:
        """A new password and TOTP secret for the operator ``name``, replacing any earlier ones; shown this
        once. Audited. Raises NotFound (``unknown_operator``)."""
        at = ensure_utc(at)
        password = secrets.token_urlsafe(PASSWORD_CHARS)[:PASSWORD_CHARS]
        secret = pyotp.random_base32()
        with self._sm.begin() as session:
            account = _account(session, name)
            if account is None:
                raise NotFound(ErrorCode.UNKNOWN_OPERATOR, f"no operator named {name!r}")
            row = session.get(OperatorCredential, account.id)
            if row is None:
                row = OperatorCredential(operator_id=account.id)
                session.add(row)
            row.password_hash = hash_password(password)
            row.sealed_totp = self._kek.seal_secret(secret.encode("ascii"), _label(account.id))
            row.last_totp_step, row.created_at, row.created_by = None, at, issued_by[:ACTOR_CHARS]
            self._audit.record_in(
                session, issued_by, "issue_operator_credentials", name, Outcome.SUCCESS, None, at
            )
        uri = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_STEP_SECONDS).provisioning_uri(
            name=name, issuer_name=TOTP_ISSUER
        )
        return IssuedCredential(name, password, uri)

    def authenticate(
        self, name: str, password: str, code: str, at: dt.datetime, *, audited_as: AuditedAs | None = None
    ) -> Operator:
        """The active operator ``name`` if ``password`` is theirs and ``code`` is their TOTP code of a step
        within :data:`TOTP_DRIFT_STEPS` of ``at`` not used before; that step is then used up.

        Raises Unauthenticated (``invalid_credentials``) otherwise, after recording the refusal once with
        its :class:`RefusalCause` (as ``audited_as`` says, by default ``authenticate``).
        """
        at = ensure_utc(at)
        audited = audited_as or AuditedAs()
        with self._sm() as session:
            account = _account(session, name) if name else None
            row = None if account is None else session.get(OperatorCredential, account.id)
        right_password = password_matches(password, _dummy_hash() if row is None else row.password_hash)
        if account is None:
            self._refuse(RefusalCause.UNKNOWN_OPERATOR, None, at, audited)
        if not account.active:
            self._refuse(RefusalCause.OPERATOR_DISABLED, account.name, at, audited)
        if row is None:
            self._refuse(RefusalCause.NO_CREDENTIAL, account.name, at, audited)
        if not right_password:
            self._refuse(RefusalCause.WRONG_PASSWORD, account.name, at, audited)
        secret = open_secret(row.sealed_totp, self._passphrase, _label(account.id)).decode("ascii")
        step = _matching_step(secret, code.strip(), totp_step(at))
        if step is None:
            self._refuse(RefusalCause.WRONG_CODE, account.name, at, audited)
        if not self._use_step(account.id, step):
            self._refuse(RefusalCause.CODE_REUSED, account.name, at, audited)
        return Operator(account.name, Role(account.role), frozenset(account.ca_ids.split()))

    def change_password(self, name: str, current: str, code: str, new: str, at: dt.datetime) -> None:
        """Replace the password of ``name`` by ``new``, proven by the ``current`` password and the TOTP
        ``code`` as :meth:`authenticate` proves a sign-in (the code's step is used up); the TOTP secret stays.
        Every password session opened before ``at`` ends (see :meth:`active`). Audited
        (``change_console_password``), refusals included.

        Raises InvalidInput with the code of the rule ``new`` breaks (:func:`check_new_password`, checked
        first: it needs no secret, and a mistyped new password costs no code; ``password_unchanged`` after
        the proof), and Unauthenticated (``invalid_credentials``) as :meth:`authenticate` does.
        """
        at = ensure_utc(at)
        audited = AuditedAs(CHANGE_PASSWORD_ACTION, name)
        try:
            check_new_password(name, new)
        except InvalidInput as exc:
            self._refuse_change(name, exc, at)
        operator = self.authenticate(name, current, code, at, audited_as=audited)
        if new == current:  # current is the proven password
            unchanged = InvalidInput(ErrorCode.PASSWORD_UNCHANGED, "the new password is the current one")
            self._refuse_change(name, unchanged, at)
        with self._sm.begin() as session:
            account = _account(session, operator.name)
            row = None if account is None else session.get(OperatorCredential, account.id)
            if row is None:  # removed since the proof a moment ago
                raise Unauthenticated(
                    ErrorCode.INVALID_CREDENTIALS, "the name, password or code is not right"
                )
            row.password_hash = hash_password(new)
            row.created_at, row.created_by = at, name[:ACTOR_CHARS]
            self._audit.record_in(session, name, CHANGE_PASSWORD_ACTION, name, Outcome.SUCCESS, None, at)

    def active(self, name: str, at: dt.datetime, *, signed_in_at: dt.datetime) -> Operator:
        """The operator ``name`` as a password session opened at ``signed_in_at`` re-checks it on each
        request: active, and holding the credential it signed in with (new credentials, issued after a lost
        phone or a leaked password, end the sessions opened with the old ones). Raises Unauthenticated
        (``invalid_credentials``), audited, otherwise."""
        with self._sm() as session:
            account = _account(session, name)
            row = None if account is None else session.get(OperatorCredential, account.id)
        if account is None:
            self._refuse(RefusalCause.UNKNOWN_OPERATOR, name, at, AuditedAs())
        if not account.active:
            self._refuse(RefusalCause.OPERATOR_DISABLED, name, at, AuditedAs())
        if row is None or row.created_at > ensure_utc(signed_in_at):
            self._refuse(RefusalCause.CREDENTIAL_REPLACED, name, at, AuditedAs())
        return Operator(account.name, Role(account.role), frozenset(account.ca_ids.split()))

    def _use_step(self, operator_id: int, step: int) -> bool:
        """Record ``step`` as used unless it or a later one was: one conditional UPDATE (race-safe)."""
        statement = (
            update(OperatorCredential)
            .where(
                OperatorCredential.operator_id == operator_id,
                or_(OperatorCredential.last_totp_step.is_(None), OperatorCredential.last_totp_step < step),
            )
            .values(last_totp_step=step)
        )
        with self._sm.begin() as session:
            result = session.execute(statement.execution_options(synchronize_session=False))
            return cast(CursorResult[Any], result).rowcount == 1

    def _refuse_change(self, name: str, refusal: InvalidInput, at: dt.datetime) -> NoReturn:
        """Audit ``name``'s refused password change with the code of ``refusal``, then raise it."""
        details = {"code": refusal.code}
        self._audit.record(name, CHANGE_PASSWORD_ACTION, name, Outcome.REFUSED, details, at)
        raise refusal

    def _refuse(self, cause: RefusalCause, name: str | None, at: dt.datetime, audited: AuditedAs) -> NoReturn:
        details: Mapping[str, Any] = {
            "code": ErrorCode.INVALID_CREDENTIALS,
            "cause": cause.value,
            **audited.details,
        }
        actor = name or "anonymous"
        self._audit.record(actor, audited.action, audited.target, Outcome.REFUSED, details, at)
        raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, "the name, password or code is not right")


def check_new_password(name: str, password: str) -> None:
    """The rules an operator's own new password follows: :data:`MIN_NEW_PASSWORD_CHARS` to
    :data:`MAX_PASSWORD_CHARS` characters, and not containing the login ``name`` (any case). Raises
    InvalidInput (``password_too_short``, ``password_too_long``, ``password_contains_name``)."""
    if len(password) < MIN_NEW_PASSWORD_CHARS:
        raise InvalidInput(
            ErrorCode.PASSWORD_TOO_SHORT,
            f"the new password needs at least {MIN_NEW_PASSWORD_CHARS} characters",
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput(
            ErrorCode.PASSWORD_TOO_LONG, f"the new password may have at most {MAX_PASSWORD_CHARS} characters"
        )
    if name and name.casefold() in password.casefold():
        raise InvalidInput(ErrorCode.PASSWORD_CONTAINS_NAME, "the new password contains the login name")


def _account(session: Session, name: str) -> OperatorAccount | None:
    return session.scalars(select(OperatorAccount).where(OperatorAccount.name == name)).one_or_none()


def _matching_step(secret: str, code: str, step: int) -> int | None:
    """The step within the drift window whose code is ``code`` (compared in constant time), or None."""
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    found = None
    for candidate in range(step - TOTP_DRIFT_STEPS, step + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp_code(secret, candidate), code):
            found = candidate
    return found
