"""The register-status revocation source (UNIS-11, EDS-18): the status read from the issuing CA's own
register, what the verdict says was consulted, and fail-closed when the register cannot be read or does not
hold the certificate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from cryptography import x509

from pki.errors import ErrorCode, NotFound
from pki.reasons import Reason
from tests.verifier.conftest import T0, MiniPki
from verifier import RevocationMethods, Verifier
from verifier.revocation import RegisterState, RegisterStatus, RegistryRevocationSource
from verifier.verdict import CheckStatus

REVOKED_AT = T0 - dt.timedelta(days=1)


class RegisterDouble:
    """A register read for the MiniPki's nca CA: answers ``state`` (or raises ``error``), counts calls."""

    def __init__(
        self, pki: MiniPki, state: RegisterState = RegisterState.GOOD, error: Exception | None = None
    ) -> None:
        self.issuer = pki.nca.cert  # the register's one CA
        self.state = state
        self.error = error
        self.calls = 0

    def __call__(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> RegisterStatus | None:
        if issuer != self.issuer:
            return None
        self.calls += 1
        if self.error is not None:
            raise self.error
        revoked = self.state in (RegisterState.REVOKED, RegisterState.ON_HOLD)
        reason = "certificate_hold" if self.state is RegisterState.ON_HOLD else "key_compromise"
        return RegisterStatus(
            self.state, 7, at, "registry:nca", REVOKED_AT if revoked else None, reason if revoked else None
        )


def _verifier(pki: MiniPki, register: RegisterDouble, crls: Sequence[bytes] = ()) -> Verifier:
    source = RegistryRevocationSource(register, fallback=pki.static_source(crls))
    return Verifier(pki.policy(revocation_methods=RevocationMethods.CRL), source)


def _revocation(verdict):  # type: ignore[no-untyped-def]
    return next(c for c in verdict.checks if c.id == "revocation")


def test_unis11_a_good_status_read_from_the_register_says_what_was_consulted(pki: MiniPki) -> None:
    register = RegisterDouble(pki)
    verdict = _verifier(pki, register).inspect_certificate(pki.leaf().der, at=T0)
    assert verdict.passed and register.calls == 1
    evidence = verdict.signer.revocation
    assert evidence.source == "registry" and evidence.location == "registry:nca"
    assert evidence.status == "good" and evidence.status_version == 7 and evidence.this_update == T0
    assert evidence.to_json()["status_version"] == 7


def test_unis11_every_verification_reads_the_register_again(pki: MiniPki) -> None:
    register = RegisterDouble(pki)
    verifier = _verifier(pki, register)
    leaf = pki.leaf()
    assert verifier.inspect_certificate(leaf.der, at=T0).passed
    register.state = RegisterState.REVOKED  # revoked between two logins: the next one sees it
    verdict = verifier.inspect_certificate(leaf.der, at=T0 + dt.timedelta(seconds=1))
    assert register.calls == 2 and verdict.reasons == (Reason.REVOKED,)


@pytest.mark.parametrize(
    ("state", "reason"), [(RegisterState.REVOKED, Reason.REVOKED), (RegisterState.ON_HOLD, Reason.ON_HOLD)]
)
def test_eds18_revoked_and_held_in_the_register_are_refused(
    pki: MiniPki, state: RegisterState, reason: Reason
) -> None:
    verdict = _verifier(pki, RegisterDouble(pki, state)).inspect_certificate(pki.leaf().der, at=T0)
    assert not verdict.passed and verdict.reasons == (reason,)
    evidence = verdict.signer.revocation
    assert evidence.source == "registry" and evidence.revocation_time == REVOKED_AT


def test_unis11_a_register_that_cannot_be_read_fails_closed_without_falling_back(pki: MiniPki) -> None:
    """The database is down: revocation_unknown, although a good CRL is at hand (it may predate a change)."""
    error = NotFound(ErrorCode.REVOCATION_UNAVAILABLE, "the revocation register could not be read")
    verifier = _verifier(pki, RegisterDouble(pki, error=error), crls=[pki.crl()])
    verdict = verifier.inspect_certificate(pki.leaf().der, at=T0)
    assert not verdict.passed and verdict.reasons == (Reason.REVOCATION_UNKNOWN,)
    check = _revocation(verdict)
    assert check.status is CheckStatus.UNKNOWN and "fails closed" in check.message
    assert verdict.signer.revocation is None


def test_unis11_a_certificate_the_register_does_not_hold_is_not_passed(pki: MiniPki) -> None:
    verdict = _verifier(pki, RegisterDouble(pki, RegisterState.NOT_ISSUED)).inspect_certificate(
        pki.leaf().der, at=T0
    )
    assert not verdict.passed and verdict.reasons == (Reason.REVOCATION_UNKNOWN,)
    assert _revocation(verdict).status is CheckStatus.UNKNOWN
    assert verdict.signer.revocation.source == "registry"


def test_an_issuer_outside_the_register_goes_to_the_fallback_source(pki: MiniPki) -> None:
    """The register covers none of this PKI's CAs: the CRLs of the wrapped source decide."""
    register = RegisterDouble(pki)
    register.issuer = pki.root.cert  # a register of another CA
    leaf = pki.leaf()
    crl = pki.crl([(leaf.cert.serial_number, REVOKED_AT, x509.ReasonFlags.key_compromise)])
    verdict = _verifier(pki, register, crls=[crl]).inspect_certificate(leaf.der, at=T0)
    assert register.calls == 0 and verdict.reasons == (Reason.REVOKED,)
    assert verdict.signer.revocation.source == "crl"
