"""Who signed: IIN, BIN, names, organisation and roles read by OID, and the identity rules.

Rules (rules.md): the IIN must be a valid IIN (production) or an NCA test identity (test-PKI mode, with a
``test_identity`` warning); a certificate issued for a tester (the test-certificate policy
``oids.POLICY_SIM_TEST_CERTIFICATE``) is refused in production and accepted with a ``test_certificate``
warning in test-PKI mode, so test issuance can never impersonate anyone on a production deployment; the owner
is 16 or older on the validation date (EDS-14); a login needs an individual's certificate (UNIS-3). The age is
counted on Kazakhstan's date of the validation time (KZ-TIME), by the same :func:`pki.iin.age_at` the CA uses
at issuance.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import lru_cache

from pki import oids
from pki.errors import InvalidInput
from pki.iin import NCA_TEST_BINS, NCA_TEST_IINS, age_at, has_valid_checksum, parse_bin, parse_iin
from pki.names import parse_subject
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.memo import Memo, small_der
from verifier.policy import Purpose, VerificationPolicy
from verifier.verdict import Check, CheckId, CheckStatus, Identity, Notice

INDIVIDUAL = "individual"
LEGAL_ENTITY = "legal_entity"


def read_identity(cert: Cert, at: dt.datetime) -> Identity:
    """The identity the certificate's subject and role EKUs state (nothing validated here).

    ``kind`` is ``legal_entity`` when a role EKU under 1.2.398.3.3.4.1.2 is present, or, without
    any role EKU, when the subject carries a BIN; otherwise ``individual``. ``age`` is counted on
    Kazakhstan's date of ``at`` (KZ-TIME, :func:`pki.iin.age_at`).
    """
    identity = _identity_of(cert)
    if identity.birth_date is None:
        return identity
    return dataclasses.replace(identity, age=age_at(identity.birth_date, at))


_IDENTITIES: Memo[bytes, Identity] = Memo(4096, admit=small_der)


def _identity_of(cert: Cert) -> Identity:
    """The time-independent part of :func:`read_identity`, memoised by DER (a pure function), computed
    from ``cert`` on a miss."""
    return _IDENTITIES.get(cert.der, lambda: _stated_identity(cert))


def _stated_identity(cert: Cert) -> Identity:
    subject = parse_subject(cert.subject_attributes)
    try:
        eku = cert.extended_key_usage or ()
    except InvalidInput:
        eku = ()  # undecodable extensions: no roles (the chain check refuses the certificate)
    role_oids = [oid for oid in eku if oid.startswith(oids.ROLE_ARC + ".")]
    roles = tuple(oids.ROLE_NAMES.get(oid, oid) for oid in role_oids)
    if any(
        oid == oids.ROLE_LEGAL_ENTITY or oid.startswith(oids.ROLE_LEGAL_ENTITY + ".") for oid in role_oids
    ):
        kind = LEGAL_ENTITY
    elif oids.ROLE_INDIVIDUAL in role_oids:
        kind = INDIVIDUAL
    else:
        kind = LEGAL_ENTITY if subject.bin else INDIVIDUAL
    return Identity(
        kind=kind,
        iin=subject.iin,
        bin=subject.bin,
        common_name=subject.common_name,
        surname=subject.surname,
        name=subject.name,
        patronymic=subject.patronymic,
        organization=subject.organization,
        email=subject.email,
        country=subject.country,
        roles=roles,
        birth_date=_birth_date(subject.iin),
        age=None,
        test_certificate=oids.POLICY_SIM_TEST_CERTIFICATE in _policies(cert),
    )


def _policies(cert: Cert) -> tuple[str, ...]:
    try:
        return cert.policies
    except InvalidInput:  # a malformed policies extension: the chain check reports it
        return ()


def check_identity(
    identity: Identity, policy: VerificationPolicy, signer: int | None
) -> tuple[list[Check], list[Notice]]:
    """The identity checks in order (``iin``, ``bin``, ``age``, ``individual`` for logins) and warnings.

    None for a time-stamp: a time-stamping authority is no EDS owner (RFC 3161).
    """
    checks: list[Check] = []
    if policy.purpose is Purpose.TIMESTAMP:
        return checks, []
    notices: list[Notice] = []
    _check_test_certificate(identity, policy, signer, checks, notices)
    iin_passed = _check_number(identity.iin, CheckId.IIN, NCA_TEST_IINS, policy, signer, checks, notices)
    _check_number(identity.bin, CheckId.BIN, NCA_TEST_BINS, policy, signer, checks, notices)
    if identity.age is not None and iin_passed:
        if identity.age < policy.min_age_years:
            checks.append(
                Check(
                    CheckId.AGE,
                    CheckStatus.FAILED,
                    f"the owner is {identity.age}, under {policy.min_age_years} (EDS-14)",
                    Reason.UNDER_AGE,
                    signer,
                )
            )
        else:
            checks.append(
                Check(
                    CheckId.AGE,
                    CheckStatus.PASSED,
                    f"the owner is {policy.min_age_years} or older",
                    None,
                    signer,
                )
            )
    else:
        checks.append(
            Check(CheckId.AGE, CheckStatus.SKIPPED, "no birth date can be read from the IIN", None, signer)
        )
    if policy.purpose is Purpose.LOGIN:
        if identity.kind == INDIVIDUAL:
            checks.append(
                Check(
                    CheckId.INDIVIDUAL,
                    CheckStatus.PASSED,
                    "an individual's certificate (UNIS-3)",
                    None,
                    signer,
                )
            )
        else:
            checks.append(
                Check(
                    CheckId.INDIVIDUAL,
                    CheckStatus.FAILED,
                    "a legal entity's certificate: a login needs an individual's (UNIS-3)",
                    Reason.NOT_INDIVIDUAL,
                    signer,
                )
            )
    return checks, notices


def _check_test_certificate(
    identity: Identity,
    policy: VerificationPolicy,
    signer: int | None,
    checks: list[Check],
    notices: list[Notice],
) -> None:
    """A tester's certificate: FAILED ``test_certificate`` in production, a warning in test-PKI mode."""
    if not identity.test_certificate:
        return
    if policy.test_pki:
        notices.append(
            Notice(Reason.TEST_CERTIFICATE.value, "a test certificate, accepted in test-PKI mode", signer)
        )
        return
    checks.append(
        Check(
            CheckId.TEST_CERTIFICATE,
            CheckStatus.FAILED,
            "a test certificate (issued for a tester): never accepted in production",
            Reason.TEST_CERTIFICATE,
            signer,
        )
    )


def _check_number(
    value: str | None,
    field: CheckId,
    test_values: frozenset[str],
    policy: VerificationPolicy,
    signer: int | None,
    checks: list[Check],
    notices: list[Notice],
) -> bool:
    """Append the ``iin``/``bin`` check; True when it passed (as a real number or a test identity)."""
    label = field.upper()
    if value is None:
        if field == CheckId.IIN and policy.purpose is Purpose.LOGIN:
            checks.append(
                Check(field, CheckStatus.FAILED, "the certificate carries no IIN", Reason.INVALID_IIN, signer)
            )
        else:
            checks.append(
                Check(field, CheckStatus.SKIPPED, f"the certificate carries no {label}", None, signer)
            )
        return False
    if policy.test_pki and (value in test_values or not has_valid_checksum(value)):
        checks.append(Check(field, CheckStatus.PASSED, f"{label} accepted as a test identity", None, signer))
        notices.append(
            Notice(
                Reason.TEST_IDENTITY.value,
                f"{label} is an NCA test identity, accepted in test-PKI mode",
                signer,
            )
        )
        return True
    problem = _number_problem(value, field == CheckId.IIN)
    if problem is not None:
        reason = Reason.INVALID_IIN if field == CheckId.IIN else Reason.INVALID_BIN
        checks.append(Check(field, CheckStatus.FAILED, f"{label} is not valid: {problem}", reason, signer))
        return False
    checks.append(Check(field, CheckStatus.PASSED, f"{label} is valid", None, signer))
    return True


def _number_problem(value: str, iin: bool) -> str | None:
    """Why ``value`` is no valid IIN (``iin``) or BIN, None when it is: :func:`pki.iin.parse_iin` /
    ``parse_bin``'s message. A pure function, memoised for 12 characters (a returning user's number is the
    same with every login; any other length is refused at once and never held)."""
    return _memoised_number_problem(value, iin) if len(value) == 12 else _parse_problem(value, iin)


def _parse_problem(value: str, iin: bool) -> str | None:
    try:
        (parse_iin if iin else parse_bin)(value)
    except InvalidInput as exc:
        return exc.message
    return None


_memoised_number_problem = lru_cache(maxsize=4096)(_parse_problem)


def _birth_date(iin: str | None) -> dt.date | None:
    if iin is None:
        return None
    try:
        return parse_iin(iin, require_checksum=False).birth_date
    except InvalidInput:
        return None
