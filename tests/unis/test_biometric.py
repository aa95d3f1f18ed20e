"""Biometric attestations (UNIS-2025-bio): signed by the pinned service, bound to IIN, challenge, time."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pki.reasons import Reason
from tests.unis.conftest import T0
from unis.biometric import attestation_content, check_attestation, mint_attestation

IIN = "800517400012"
CHALLENGE = "challenge-1"
MAX_AGE = dt.timedelta(minutes=5)
SKEW = dt.timedelta(seconds=30)


def _service(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(T0 - dt.timedelta(days=1))
        .not_valid_after(T0 + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


@pytest.fixture(scope="module")
def service():
    return _service("BIOMETRIC SERVICE (SIM)")


def _check(attestation, service, *, at=T0, iin=IIN, challenge=CHALLENGE):
    return check_attestation(
        attestation,
        trusted=[service[1]],
        iin=iin,
        challenge_id=challenge,
        at=at,
        max_age=MAX_AGE,
        clock_skew=SKEW,
    )


def _mint(service, *, checked_at=T0, iin=IIN, challenge=CHALLENGE, result="passed") -> bytes:
    key, certificate = service
    return mint_attestation(
        private_key=key,
        certificate=certificate,
        iin=iin,
        challenge_id=challenge,
        checked_at=checked_at,
        result=result,
    )


def test_unis2025bio_fresh_attestation_passes_in_der_and_base64(service):
    attestation = _mint(service, checked_at=T0 - dt.timedelta(minutes=4))
    assert _check(attestation, service).passed
    assert _check(base64.b64encode(attestation), service).passed


def test_unis2025bio_missing_attestation(service):
    assert _check(None, service).reason is Reason.BIOMETRIC_MISSING
    assert _check(b"", service).reason is Reason.BIOMETRIC_MISSING


def test_unis2025bio_stale_attestation(service):
    result = _check(_mint(service, checked_at=T0 - dt.timedelta(minutes=5, seconds=1)), service)
    assert result.reason is Reason.BIOMETRIC_STALE


@pytest.mark.parametrize(
    "change",
    [
        {"iin": "800517400013"},
        {"challenge": "another-challenge"},
        {"result": "failed"},
        {"checked_at": T0 + dt.timedelta(minutes=2)},
    ],
    ids=["other_iin", "other_challenge", "not_passed", "future"],
)
def test_unis2025bio_attestation_bound_to_this_login(service, change):
    assert _check(_mint(service, **change), service).reason is Reason.BIOMETRIC_INVALID


def test_unis2025bio_attestation_from_an_untrusted_key_is_invalid(service):
    impostor = _service("BIOMETRIC SERVICE (SIM)")
    assert _check(_mint(impostor), service).reason is Reason.BIOMETRIC_INVALID


def test_unis2025bio_tampered_content_is_invalid(service):
    attestation = bytearray(_mint(service))
    content = attestation_content(iin=IIN, challenge_id=CHALLENGE, checked_at=T0)
    at = bytes(attestation).index(content)
    attestation[at + content.index(b"passed")] ^= 0x01
    assert _check(bytes(attestation), service).reason is Reason.BIOMETRIC_INVALID


@pytest.mark.parametrize(
    "garbage", [b"\x30\x03\x02\x01", b"not base64 !!", b"\x30" + b"\xff" * 40, b"A" * 70000]
)
def test_unis2025bio_garbage_is_invalid_never_an_exception(service, garbage):
    assert _check(garbage, service).reason is Reason.BIOMETRIC_INVALID


def test_unis2025bio_service_certificate_outside_its_validity(service):
    result = _check(
        _mint(service, checked_at=T0 + dt.timedelta(days=400)), service, at=T0 + dt.timedelta(days=400)
    )
    assert result.reason is Reason.BIOMETRIC_INVALID
